// My security (DESIGN.md GUI screen 8): the factors the account holds (kind, label, category,
// added, last used, codes left), rename, remove (with the password again), regenerate recovery
// codes and add a factor (both through the enrollment wizard), and the assurance reached.
#pragma once

#include "secretinput.h"

#include <QObject>
#include <QString>
#include <QVariantList>
#include <QtQml/qqmlregistration.h>

namespace gh::ui {

class AppController;

class SecurityModel : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Use AppController.security")
    Q_PROPERTY(QString username READ username NOTIFY loaded)
    // [{id, kind ("password" | "totp" | "recovery"), title, label, category, added, lastUsed,
    //   detail, codesLeft, pending, removable}]
    Q_PROPERTY(QVariantList factors READ factors NOTIFY loaded)
    Q_PROPERTY(bool loading READ loading NOTIFY loaded)
    Q_PROPERTY(QString assurance READ assurance NOTIFY loaded)             // "Two-step sign-in"
    Q_PROPERTY(QString assuranceDetail READ assuranceDetail NOTIFY loaded) // "AAL2 · …"
    Q_PROPERTY(bool hasRecoveryCodes READ hasRecoveryCodes NOTIFY loaded)
    Q_PROPERTY(QString error READ error NOTIFY messageChanged)
    Q_PROPERTY(QString notice READ notice NOTIFY messageChanged)

public:
    explicit SecurityModel(AppController* app);

    QString username() const { return m_username; }
    QVariantList factors() const { return m_factors; }
    bool loading() const { return m_loading; }
    QString assurance() const { return m_assurance; }
    QString assuranceDetail() const { return m_assuranceDetail; }
    bool hasRecoveryCodes() const { return m_hasRecoveryCodes; }
    QString error() const { return m_error; }
    QString notice() const { return m_notice; }

    Q_INVOKABLE void rename(qint64 id, const QString& label);
    // Re-authentication: the account password goes in with the call.
    // QML hands over the field itself; the secret goes from C++ to C++ (write-only).
    Q_INVOKABLE void remove(qint64 id, gh::ui::SecretInput* password);
    void remove(qint64 id, const QString& password);
    // What removing factor `id` does, for the confirmation: the sessions that used it end, and when
    // it is the last second factor, what follows (an administrator's next sessions are restricted
    // to adding a new one; others sign in with the password alone).
    Q_INVOKABLE QString removalText(qint64 id) const;
    Q_INVOKABLE void regenerateCodes();
    Q_INVOKABLE void addFactor();
    Q_INVOKABLE void back();

    void load(); // refreshes the list (after the wizard, a rename or a removal)
    void unload();
    void setNotice(const QString& notice);
    void clearMessages();

Q_SIGNALS:
    void loaded();
    void messageChanged();
    void removeFailed(); // QML clears and refocuses the password field

private:
    void setError(const QString& error);

    AppController* m_app;
    QString m_username;
    QVariantList m_factors;
    bool m_loading = false;
    QString m_assurance;
    QString m_assuranceDetail;
    bool m_hasRecoveryCodes = false;
    bool m_mfaRequired = false;
    QString m_error;
    QString m_notice;
};

} // namespace gh::ui
