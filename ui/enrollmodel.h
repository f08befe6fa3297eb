// The enrollment wizard (DESIGN.md GUI screen 3): choose a factor; for an authenticator app show
// the QR code and the manual key, then confirm one code (Client::confirmTotp); for recovery
// codes show the fresh set once (copy, save to a file, print) and have one typed back. A panel
// shows the categories the account holds and the assurance level it can reach.
//
// Secrets: the otpauth URI and the Base32 key (they hold the TOTP seed) and the recovery codes
// stay in this object only while their step is shown. The URI never reaches QML: the QR image is
// rendered here (renderQrCode, libqrencode) and painted by QrCodeItem. Nothing is logged or written to disk
// except where the person asks (Save, Print). clear() wipes them all when the wizard closes.
#pragma once

#include <functional>

#include "gatehouseclient.h"

#include "secretinput.h"
#include <QImage>

#include <QObject>
#include <QString>
#include <QStringList>
#include <QUrl>
#include <QVariantList>
#include <QtQml/qqmlregistration.h>

#include <memory>

QT_BEGIN_NAMESPACE
class QIODevice;
class QTemporaryFile;
QT_END_NAMESPACE

namespace gh::ui {

class AppController;

class EnrollModel : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Use AppController.enroll")
    Q_PROPERTY(Step step READ step NOTIFY stepChanged)
    // The session may do nothing but enroll (an administrator with only a password).
    Q_PROPERTY(bool restricted READ restricted NOTIFY restrictedChanged)
    // Opened by the first run for the first administrator (issue 13 item 4, ATK-03): set-up is not
    // complete until this wizard has bound a second factor.
    Q_PROPERTY(bool setup READ setup NOTIFY restrictedChanged)
    Q_PROPERTY(QString restrictionText READ restrictionText NOTIFY restrictedChanged)
    Q_PROPERTY(QString error READ error NOTIFY errorChanged)
    Q_PROPERTY(QString notice READ notice NOTIFY noticeChanged)
    // TOTP step (the QR image itself is read by QrCodeItem from C++).
    Q_PROPERTY(bool hasQr READ hasQr NOTIFY totpChanged)
    Q_PROPERTY(QString manualKey READ manualKey NOTIFY totpChanged)
    Q_PROPERTY(QString issuer READ issuer NOTIFY totpChanged)
    Q_PROPERTY(QString account READ account NOTIFY totpChanged)
    Q_PROPERTY(QString algorithm READ algorithm NOTIFY totpChanged)
    Q_PROPERTY(int digits READ digits NOTIFY totpChanged)
    Q_PROPERTY(int period READ period NOTIFY totpChanged)
    Q_PROPERTY(QString expires READ expires NOTIFY totpChanged)
    // Recovery codes step.
    Q_PROPERTY(QStringList codes READ codes NOTIFY codesChanged)
    // The account already has a set: the new one replaces it only once a code is typed back.
    Q_PROPERTY(bool replacingCodes READ replacingCodes NOTIFY assuranceChanged)
    Q_PROPERTY(QUrl defaultSaveFile READ defaultSaveFile CONSTANT)
    // The save dialog opens here: Documents if that folder exists, else home.
    Q_PROPERTY(QUrl defaultSaveFolder READ defaultSaveFolder CONSTANT)
    // Done step.
    Q_PROPERTY(QString doneTitle READ doneTitle NOTIFY stepChanged)
    Q_PROPERTY(QString doneText READ doneText NOTIFY stepChanged)
    Q_PROPERTY(bool suggestRecovery READ suggestRecovery NOTIFY stepChanged)
    // Assurance panel: [{name, description, held}], the level reached, whether the role needs MFA.
    Q_PROPERTY(QVariantList categories READ categories NOTIFY assuranceChanged)
    Q_PROPERTY(QString assuranceLevel READ assuranceLevel NOTIFY assuranceChanged) // "AAL2" (the detail)
    Q_PROPERTY(QString assuranceTitle READ assuranceTitle NOTIFY assuranceChanged) // "Two-step sign-in"
    Q_PROPERTY(QString assuranceText READ assuranceText NOTIFY assuranceChanged)
    Q_PROPERTY(bool mfaRequired READ mfaRequired NOTIFY assuranceChanged)
    // Recovery codes are offered only when the account has none (a new set is made from My
    // security), and never to lift an administrator's restriction (they do not count for it).
    Q_PROPERTY(bool offerRecovery READ offerRecovery NOTIFY assuranceChanged)

public:
    enum Step { Choose, Totp, Codes, Done, SecurityKey };
    Q_ENUM(Step)
    enum class Origin { Login, Home, Security, Setup };

    explicit EnrollModel(AppController* app);
    ~EnrollModel() override;

    Step step() const { return m_step; }
    bool restricted() const { return m_restricted; }
    bool setup() const { return m_origin == Origin::Setup; }
    QString restrictionText() const { return m_restrictionText; }
    QString error() const { return m_error; }
    QString notice() const { return m_notice; }
    bool hasQr() const { return !m_qr.isNull(); }
    const QImage& qrImage() const { return m_qr; }
    QString manualKey() const { return m_manualKey; }
    QString issuer() const { return m_issuer; }
    QString account() const { return m_account; }
    QString algorithm() const;
    int digits() const { return m_params.digits; }
    int period() const { return m_params.period; }
    QString expires() const;
    QStringList codes() const { return m_codes; }
    QUrl defaultSaveFile() const;
    static QUrl defaultSaveFolder();
    // A failed save in plain words (errno → what to do), for the wizard's message.
    static QString saveFailure(const QString& path, int error);
    QString doneTitle() const { return m_doneTitle; }
    QString doneText() const { return m_doneText; }
    bool suggestRecovery() const { return m_suggestRecovery; }
    QVariantList categories() const { return m_categories; }
    QString assuranceLevel() const { return m_assuranceLevel; }
    QString assuranceTitle() const { return m_assuranceTitle; }
    QString assuranceText() const { return m_assuranceText; }
    bool mfaRequired() const { return m_mfaRequired; }
    bool replacingCodes() const { return m_hasRecoveryCodes; }
    bool offerRecovery() const { return m_assuranceKnown && !m_hasRecoveryCodes && !m_restricted; }

    Q_INVOKABLE void chooseTotp();
    Q_INVOKABLE void chooseRecovery();
    Q_INVOKABLE void chooseSecurityKey(); // the "Security key" step (AppController.securityKey)
    // QML hands over the field itself; the secret goes from C++ to C++ (write-only).
    Q_INVOKABLE void confirmTotp(gh::ui::SecretInput* code);
    void confirmTotp(const QString& code);
    Q_INVOKABLE void copyCodes();
    Q_INVOKABLE bool saveCodes(const QUrl& file);
    Q_INVOKABLE void printCodes();
    // The person types one of the shown codes back (checked here, against the shown set).
    // QML hands over the field itself; the secret goes from C++ to C++ (write-only).
    Q_INVOKABLE void confirmCodes(gh::ui::SecretInput* typed);
    void confirmCodes(const QString& typed);
    Q_INVOKABLE void backToChoose(); // abandons the current step
    Q_INVOKABLE void close();        // leaves the wizard (Done, or Cancel when not restricted)
    Q_INVOKABLE void signOut();

    // AppController: opens the wizard at `first` (Choose, or Codes to regenerate).
    void open(Origin origin, Step first = Choose);
    void clear(); // wipes every secret the wizard holds
    void setNotice(const QString& notice);
    // Where a recovery-code set goes when saved (also used by Save and Print).
    void writeCodes(QIODevice& out) const;

    static QString groupKey(const SecureBuffer& base32); // "ABCD EFGH …"
    static QString normaliseCode(const QString& code);   // upper case, no spaces or dashes

Q_SIGNALS:
    void stepChanged();
    void restrictedChanged();
    void errorChanged();
    void noticeChanged();
    void totpChanged();
    void codesChanged();
    void assuranceChanged();
    void failed(); // QML clears and refocuses the code field

private:
    void setStep(Step step);
    void setError(const QString& error);
    void updateRestriction();
    void loadAssurance();
    void wipeTotp();
    void wipeCodes();
    void cancelPendingCodes(); // a new set shown but not confirmed: drop it, the current set stays
    void showDone(const QString& title, const QString& text, bool suggestRecovery);
    // SessionInvalid: sign out; StepUpRequired with a `retry`: ask who is there, then retry.
    bool handleSessionError(const Error& error, std::function<void()> retry = {});

    AppController* m_app;
    Origin m_origin = Origin::Home;
    Step m_step = Choose;
    bool m_restricted = false;
    QString m_restrictionText;
    QString m_error;
    QString m_notice;

    qint64 m_factorId = 0;
    QImage m_qr;
    QString m_manualKey;
    QString m_issuer;
    QString m_account;
    TotpParams m_params;
    QDateTime m_expires;

    QStringList m_codes;
    QString m_pendingSetId; // the new set shown (beginRecoveryCodes), until confirmed or cancelled
    bool m_copied = false;
    std::unique_ptr<QTemporaryFile> m_printFile;

    QString m_doneTitle;
    QString m_doneText;
    bool m_suggestRecovery = false;
    QVariantList m_categories;
    QString m_assuranceLevel;
    QString m_assuranceTitle;
    QString m_assuranceText;
    bool m_mfaRequired = false;
    bool m_hasRecoveryCodes = false;
    bool m_assuranceKnown = false;
};

} // namespace gh::ui
