// Step-up for any screen (SES-04): when the core answers Errc::StepUpRequired (the last full
// sign-in is more than 5 minutes old), a screen calls request(retry); the window shows
// StepUpDialog.qml, which asks for the password (and a second-factor code when the session was
// opened with one) and calls confirm(); on success the held session is replaced by the new one
// (Client::stepUp) and `retry` runs the interrupted action again. The dialog names the action it
// confirms (`action`, e.g. "Delete the account carol"); after a wrong code the password stays in
// its field (failed(false)), after a wrong password both are cleared (failed(true)).
#pragma once

#include "gatehouseclient.h"
#include "secretinput.h"

#include <QObject>
#include <QString>
#include <QtQml/qqmlregistration.h>

#include <functional>
#include <memory>

namespace gh::ui {

class AppController;

class StepUpModel : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Use AppController.stepUp")
    Q_PROPERTY(bool active READ active NOTIFY changed)
    Q_PROPERTY(bool needsCode READ needsCode NOTIFY changed)
    Q_PROPERTY(QString error READ error NOTIFY changed)
    // What the step-up confirms, for people ("Give bob the role admin"); empty: not said.
    Q_PROPERTY(QString action READ action NOTIFY changed)

public:
    explicit StepUpModel(AppController* app);

    bool active() const { return m_active; }
    bool needsCode() const { return m_needsCode; }
    QString error() const { return m_error; }
    QString action() const { return m_action; }

    void request(std::function<void()> retry, const QString& action = {});
    // QML hands over the field itself; the secret goes from C++ to C++ (write-only).
    Q_INVOKABLE void confirm(gh::ui::SecretInput* password, gh::ui::SecretInput* code);
    void confirm(const QString& password, const QString& code);
    Q_INVOKABLE void cancel();

    // The step-up itself, shared with the lock screen: on the worker, Client::stepUp on a copy of
    // `held` with the password and, when given, the code (digits: TOTP, else a recovery code);
    // `done` gets the re-issued session or the core's refusal, on the GUI thread.
    static void reauthenticate(AppController* app, const std::shared_ptr<Session>& held, const QString& password,
                               const QString& code, std::function<void(Result<Session>)> done);
    // A refusal about the code only (the typed password stays).
    static bool isCodeProblem(Errc code);

Q_SIGNALS:
    void changed();
    // The step-up was refused: QML clears the code, and the password too when it was the password.
    void failed(bool passwordWrong);

private:
    AppController* m_app;
    bool m_active = false;
    bool m_needsCode = false;
    QString m_error;
    QString m_action;
    std::function<void()> m_retry;
};

} // namespace gh::ui
