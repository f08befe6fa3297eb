// Login, second step (DESIGN.md GUI screen 2): after the password, a factor of another category —
// a code from the authenticator app, or a saved recovery code. Verified on the worker thread
// (Client::completeLogin); wrong, expired and replayed codes get gh::describe()'s text, a
// throttled account a live countdown, an expired pending login goes back to the password step.
#pragma once

#include "retrycountdown.h"

#include "gatehouseclient.h"

#include "secretinput.h"

#include <QObject>
#include <QString>
#include <QtQml/qqmlregistration.h>

namespace gh::ui {

class AppController;

class SecondFactorModel : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Use AppController.secondFactor")
    Q_PROPERTY(QString username READ username NOTIFY offeredChanged)
    Q_PROPERTY(bool offersTotp READ offersTotp NOTIFY offeredChanged)
    Q_PROPERTY(bool offersRecovery READ offersRecovery NOTIFY offeredChanged)
    Q_PROPERTY(bool offersKey READ offersKey NOTIFY offeredChanged)
    // "key", "totp" or "recovery": which step the screen shows.
    Q_PROPERTY(QString mode READ mode WRITE setMode NOTIFY modeChanged)
    Q_PROPERTY(QString error READ error NOTIFY errorChanged)
    Q_PROPERTY(int retrySeconds READ retrySeconds NOTIFY retrySecondsChanged)
    Q_PROPERTY(bool canVerify READ canVerify NOTIFY canVerifyChanged)
    // A passwordless sign-in with a security key (LoginModel::signInWithKey): no password was given.
    Q_PROPERTY(bool passwordless READ passwordless NOTIFY offeredChanged)

public:
    explicit SecondFactorModel(AppController* app);

    QString username() const { return m_username; }
    bool offersTotp() const { return m_offered.contains(FactorKind::Totp); }
    bool offersRecovery() const { return m_offered.contains(FactorKind::RecoveryCode); }
    bool offersKey() const { return m_offered.contains(FactorKind::SecurityKey); }
    QString mode() const { return m_mode; }
    void setMode(const QString& mode);
    QString error() const { return m_error; }
    int retrySeconds() const { return m_countdown.seconds(); }
    bool canVerify() const;
    bool passwordless() const { return m_passwordless; }

    // The code goes in and is never readable again.
    // QML hands over the field itself; the secret goes from C++ to C++ (write-only).
    Q_INVOKABLE void submitCode(gh::ui::SecretInput* code);
    void submitCode(const QString& code);
    Q_INVOKABLE void cancel(); // ends the pending login, back to the password step

    // AppController: the password was right and the account needs a second factor.
    void start(const QString& username, const QString& pendingId, const QList<FactorKind>& offered);
    // AppController: a passwordless sign-in began; only the key step is offered.
    void startPasswordless(const QString& username, const QString& pendingId);
    void clear(); // forgets the pending login (without telling the core)

Q_SIGNALS:
    void offeredChanged();
    void modeChanged();
    void errorChanged();
    void retrySecondsChanged();
    void canVerifyChanged();
    void failed(); // QML clears and refocuses the code field

private:
    void setError(const QString& error);

    AppController* m_app;
    QString m_username;
    QString m_pendingId;
    QList<FactorKind> m_offered;
    bool m_passwordless = false;
    QString m_mode = QStringLiteral("totp");
    QString m_error;
    RetryCountdown m_countdown;
};

} // namespace gh::ui
