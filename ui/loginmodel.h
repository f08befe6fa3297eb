// Login (DESIGN.md GUI screen 2, password step): username and password, the hash verified on
// the worker thread (Client::beginLogin), the shared failure text of gh::describe(), and a live
// countdown while the account is throttled. When the account needs a second factor the
// controller moves on to the second step (SecondFactorModel).
#pragma once

#include "retrycountdown.h"

#include "secretinput.h"

#include <QObject>
#include <QString>
#include <QtQml/qqmlregistration.h>

namespace gh::ui {

class AppController;

class LoginModel : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Use AppController.login")
    Q_PROPERTY(QString username READ username WRITE setUsername NOTIFY usernameChanged)
    Q_PROPERTY(QString error READ error NOTIFY errorChanged)
    // Informational line (e.g. "Signed out."); not an error.
    Q_PROPERTY(QString notice READ notice NOTIFY noticeChanged)
    // Seconds until the next attempt is allowed; 0 when not throttled.
    Q_PROPERTY(int retrySeconds READ retrySeconds NOTIFY retrySecondsChanged)
    Q_PROPERTY(bool canSignIn READ canSignIn NOTIFY canSignInChanged)
    // Passwordless sign-in with a security key that verifies its user (ATK-04): not held back by
    // the password's countdown, which someone else's guessing may have started.
    Q_PROPERTY(bool canUseKey READ canUseKey NOTIFY canSignInChanged)

public:
    explicit LoginModel(AppController* app);

    QString username() const { return m_username; }
    void setUsername(const QString& username);
    QString error() const { return m_error; }
    QString notice() const { return m_notice; }
    int retrySeconds() const { return m_countdown.seconds(); }
    bool canSignIn() const;
    bool canUseKey() const;

    // The password goes in and is never readable again.
    // QML hands over the field itself; the secret goes from C++ to C++ (write-only).
    Q_INVOKABLE void submitPassword(gh::ui::SecretInput* password);
    void submitPassword(const QString& password);
    // Begins the passwordless sign-in of `username` (the field's text); the key step follows on the
    // second-step screen (SecondFactorModel::passwordless).
    Q_INVOKABLE void signInWithKey();

    void setNotice(const QString& notice);
    void setError(const QString& error);
    void reset(); // clears error and notice

Q_SIGNALS:
    void usernameChanged();
    void errorChanged();
    void noticeChanged();
    void retrySecondsChanged();
    void canSignInChanged();
    void failed(); // QML clears and refocuses the password field

private:
    AppController* m_app;
    QString m_username;
    QString m_error;
    QString m_notice;
    RetryCountdown m_countdown;
};

} // namespace gh::ui
