// Change password: forced after a login with a temporary password (gh::SessionInfo::restricted),
// or by choice from My security at any time (`voluntary`): the current password plus a new one
// typed twice, with live policy feedback. Every other session of the account ends; this one goes on.
#pragma once

#include "passwordentry.h"

#include "secretinput.h"

#include <QObject>
#include <QString>
#include <QtQml/qqmlregistration.h>

#include "gatehouseclient.h"

#include <memory>

namespace gh::ui {

class AppController;

class ChangePasswordModel : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Use AppController.changePassword")
    Q_PROPERTY(QString username READ username NOTIFY sessionChanged)
    Q_PROPERTY(QString reason READ reason NOTIFY sessionChanged)
    Q_PROPERTY(gh::ui::PasswordEntry* next READ next CONSTANT)
    Q_PROPERTY(bool canSubmit READ canSubmit NOTIFY canSubmitChanged)
    Q_PROPERTY(QString error READ error NOTIFY errorChanged)
    // Opened from My security (Cancel goes back there) rather than forced at sign-in (Cancel signs out).
    Q_PROPERTY(bool voluntary READ voluntary NOTIFY sessionChanged)

public:
    explicit ChangePasswordModel(AppController* app);

    QString username() const { return m_username; }
    QString reason() const { return m_reason; }
    PasswordEntry* next() const { return m_next; }
    bool canSubmit() const;
    QString error() const { return m_error; }
    bool voluntary() const { return m_voluntary; }

    // The current (or temporary) password goes in with the call; the new one was handed in
    // keystroke by keystroke through `next`.
    // QML hands over the field itself; the secret goes from C++ to C++ (write-only).
    Q_INVOKABLE void submitCurrentPassword(gh::ui::SecretInput* current);
    void submitCurrentPassword(const QString& current);
    Q_INVOKABLE void cancel(); // signs out, or back to My security when voluntary

    void load(bool voluntary = false); // from the controller's session

Q_SIGNALS:
    void sessionChanged();
    void canSubmitChanged();
    void errorChanged();
    void failed();

private:
    void setError(const QString& error);
    void submit(std::shared_ptr<SecureBuffer> current, std::shared_ptr<SecureBuffer> next);

    AppController* m_app;
    QString m_username;
    QString m_reason;
    PasswordEntry* m_next;
    QString m_error;
    bool m_voluntary = false;
};

} // namespace gh::ui
