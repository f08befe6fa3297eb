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

void ChangePasswordModel::load() {
    const auto& session = m_app->session();
    m_username = session ? session->info.username : QString();
    m_reason = session ? session->info.restrictionReason : QString();
    if (m_reason.isEmpty())
        m_reason = tr("You signed in with a temporary password. Choose your own password to continue.");
    m_next->clear();
    m_next->setContext(m_username);
    setError({});
    Q_EMIT sessionChanged();
}

void ChangePasswordModel::submitCurrentPassword(const QString& current) {
    if (!canSubmit() || current.isEmpty())
        return;
    setError({});
    auto session = m_app->session();
    auto currentSecret = std::make_shared<SecureBuffer>(SecureBuffer::fromUtf8(current));
    auto nextSecret = std::make_shared<SecureBuffer>(m_next->password().clone());
    // The worker re-issues a copy; the GUI thread swaps it in when done, so the two threads never
    // touch one Session object at the same time.
    auto working = AppController::copyOf(*session);
    m_app->run([working, currentSecret,
                nextSecret](Client& gh) { return gh.changePassword(*working, *currentSecret, *nextSecret); },
               [this, session, working](Status status) {
                   if (status)
                       m_app->replaceSession(session, std::move(*working));
                   if (!status) {
                       if (status.code() == Errc::SessionInvalid) {
                           m_app->signOut(describe(status.error()));
                           return;
                       }
                       setError(describe(status.error()));
                       Q_EMIT failed();
                       return;
                   }
                   m_next->clear();
                   m_app->sessionUpdated();
               });
}

void ChangePasswordModel::cancel() {
    m_app->signOut();
}

void ChangePasswordModel::submitCurrentPassword(SecretInput* current) {
    QString currentText = current ? current->secretString() : QString();
    submitCurrentPassword(currentText);
    wipe(currentText);
}

} // namespace gh::ui
