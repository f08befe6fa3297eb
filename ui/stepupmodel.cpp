#include "stepupmodel.h"

#include "appcontroller.h"
#include "sessionfacts.h"

namespace gh::ui {

StepUpModel::StepUpModel(AppController* app) : QObject(app), m_app(app) {}

void StepUpModel::request(std::function<void()> retry, const QString& action) {
    const auto held = m_app->session();
    if (!held)
        return;
    m_retry = std::move(retry);
    m_action = action;
    m_active = true;
    m_needsCode = aalOf(held->info) >= Aal::Aal2;
    m_error.clear();
    Q_EMIT changed();
}

void StepUpModel::reauthenticate(AppController* app, const std::shared_ptr<Session>& held, const QString& password,
                                 const QString& code, std::function<void(Result<Session>)> done) {
    auto copy = AppController::copyOf(*held);
    auto pw = std::make_shared<SecureBuffer>(SecureBuffer::fromUtf8(password));
    const QString trimmed = code.trimmed();
    auto second = trimmed.isEmpty() ? nullptr : std::make_shared<SecureBuffer>(SecureBuffer::fromUtf8(trimmed));
    bool digits = !trimmed.isEmpty();
    for (QChar c : trimmed)
        digits = digits && (c.isDigit() || c == QLatin1Char(' '));
    const FactorKind kind = digits ? FactorKind::Totp : FactorKind::RecoveryCode;
    app->run(
        [copy, pw, second, kind](Client& gh) -> Result<Session> {
            if (Status s = gh.stepUp(*copy, *pw, kind, second.get()); !s)
                return s.error();
            return Session{copy->info, copy->secret.clone()};
        },
        std::move(done));
}

bool StepUpModel::isCodeProblem(Errc code) {
    return code == Errc::CodeWrong || code == Errc::CodeExpired || code == Errc::CodeReplayed ||
           code == Errc::SecondFactorRequired;
}

void StepUpModel::confirm(const QString& password, const QString& code) {
    auto session = m_app->session();
    if (!session || !m_active)
        return;
    reauthenticate(m_app, session, password, code, [this, session](Result<Session> renewed) {
        if (!renewed) {
            if (renewed.code() == Errc::SessionInvalid) {
                cancel();
                return m_app->sessionEnded(renewed.error());
            }
            m_error = describe(renewed.error());
            if (renewed.code() == Errc::SecondFactorRequired)
                m_needsCode = true;
            Q_EMIT changed();
            // Only a wrong password (or throttling) costs the typed password; a wrong or missing
            // code keeps it, so the person types just a new code.
            Q_EMIT failed(!isCodeProblem(renewed.code()));
            return;
        }
        m_app->replaceSession(session, std::move(renewed).value());
        m_app->sessionReissued();
        m_active = false;
        m_error.clear();
        Q_EMIT changed();
        if (auto retry = std::exchange(m_retry, {}))
            retry();
    });
}

void StepUpModel::cancel() {
    m_active = false;
    m_error.clear();
    m_action.clear();
    m_retry = {};
    Q_EMIT changed();
}

void StepUpModel::confirm(SecretInput* password, SecretInput* code) {
    QString passwordText = password ? password->secretString() : QString();
    QString codeText = code ? code->secretString() : QString();
    confirm(passwordText, codeText);
    wipe(passwordText);
    wipe(codeText);
}

} // namespace gh::ui
