#include "changepasswordmodel.h"

#include "appcontroller.h"

namespace gh::ui {

ChangePasswordModel::ChangePasswordModel(AppController* app) : QObject(app), m_app(app) {
    m_next = new PasswordEntry(
        [app](const QString& text, const QString& context) { return app->client().checkPassword(text, context); },
        this);
    connect(m_next, &PasswordEntry::changed, this, &ChangePasswordModel::canSubmitChanged);
    connect(app, &AppController::busyChanged, this, &ChangePasswordModel::canSubmitChanged);
}

bool ChangePasswordModel::canSubmit() const {
    return !m_app->busy() && m_app->session() && m_next->ready();
}

void ChangePasswordModel::setError(const QString& error) {
    if (m_error == error)
        return;
    m_error = error;
    Q_EMIT errorChanged();
}

void ChangePasswordModel::load(bool voluntary) {
    const auto& session = m_app->session();
    m_voluntary = voluntary;
    m_username = session ? session->info.username : QString();
    m_reason = session && !voluntary ? session->info.restrictionReason : QString();
    if (voluntary)
        m_reason = tr("Type your current password, then the new one twice. Your other sessions end; this one "
                      "goes on.");
    else if (m_reason.isEmpty())
        m_reason = tr("You signed in with a temporary password. Choose your own password to continue.");
    m_next->clear();
    m_next->setContext(m_username);
    setError({});
    Q_EMIT sessionChanged();
}

void ChangePasswordModel::submitCurrentPassword(const QString& current) {
    if (!canSubmit() || current.isEmpty())
        return;
    submit(std::make_shared<SecureBuffer>(SecureBuffer::fromUtf8(current)),
           std::make_shared<SecureBuffer>(m_next->password().clone()));
}

void ChangePasswordModel::submit(std::shared_ptr<SecureBuffer> currentSecret,
                                 std::shared_ptr<SecureBuffer> nextSecret) {
    auto session = m_app->session();
    if (!session || m_app->busy())
        return;
    setError({});
    // The worker re-issues a copy; the GUI thread swaps it in when done, so the two threads never
    // touch one Session object at the same time.
    auto working = AppController::copyOf(*session);
    m_app->run(
        [working, currentSecret, nextSecret](Client& gh) {
            return gh.changePassword(*working, *currentSecret, *nextSecret);
        },
        [this, session, working, currentSecret, nextSecret](Status status) {
            if (status)
                m_app->replaceSession(session, std::move(*working));
            if (!status) {
                if (status.code() == Errc::SessionInvalid) {
                    m_app->signOut(describe(status.error()));
                    return;
                }
                if (status.code() == Errc::StepUpRequired) {
                    // By choice, long after the sign-in: confirm it's you, then change it.
                    m_app->stepUp()->request([this, currentSecret, nextSecret] { submit(currentSecret, nextSecret); },
                                             tr("Change your password"));
                    return;
                }
                setError(describe(status.error()));
                Q_EMIT failed();
                return;
            }
            m_next->clear();
            if (m_voluntary) {
                m_voluntary = false;
                m_app->showSecurity();
                m_app->security()->setNotice(
                    tr("Your password is changed. Your other sessions have ended; sign in there with the new one."));
                return;
            }
            m_app->sessionUpdated();
        });
}

void ChangePasswordModel::cancel() {
    m_next->clear();
    setError({});
    if (m_voluntary) {
        m_voluntary = false;
        m_app->showSecurity();
        return;
    }
    m_app->signOut();
}

void ChangePasswordModel::submitCurrentPassword(SecretInput* current) {
    QString currentText = current ? current->secretString() : QString();
    submitCurrentPassword(currentText);
    wipe(currentText);
}

} // namespace gh::ui
