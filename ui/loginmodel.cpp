#include "loginmodel.h"

#include "appcontroller.h"

namespace gh::ui {

LoginModel::LoginModel(AppController* app) : QObject(app), m_app(app) {
    connect(&m_countdown, &RetryCountdown::secondsChanged, this, &LoginModel::retrySecondsChanged);
    connect(&m_countdown, &RetryCountdown::expired, this, [this] { setError({}); });
    connect(app, &AppController::busyChanged, this, &LoginModel::canSignInChanged);
    connect(app, &AppController::vaultChanged, this, &LoginModel::canSignInChanged);
    connect(this, &LoginModel::retrySecondsChanged, this, &LoginModel::canSignInChanged);
}

void LoginModel::setUsername(const QString& username) {
    if (m_username == username)
        return;
    m_username = username;
    Q_EMIT usernameChanged();
}

bool LoginModel::canSignIn() const {
    return m_app->vaultOpen() && !m_app->busy() && retrySeconds() == 0;
}

bool LoginModel::canUseKey() const {
    return m_app->vaultOpen() && !m_app->busy();
}

void LoginModel::signInWithKey() {
    const QString username = m_username.trimmed();
    if (!canUseKey() || username.isEmpty())
        return;
    setNotice({});
    m_app->run([username](Client& gh) { return gh.beginKeyLogin(username, QStringLiteral("gatehouse (desktop)")); },
               [this, username](Result<QString> pending) {
                   if (!pending) {
                       setError(describe(pending.error()));
                       return;
                   }
                   m_app->beginKeyStep(username, *pending);
               });
}

void LoginModel::setError(const QString& error) {
    if (m_error == error)
        return;
    m_error = error;
    Q_EMIT errorChanged();
}

void LoginModel::setNotice(const QString& notice) {
    if (m_notice == notice)
        return;
    m_notice = notice;
    Q_EMIT noticeChanged();
}

void LoginModel::reset() {
    setError({});
    setNotice({});
}

void LoginModel::submitPassword(const QString& password) {
    if (!canSignIn() || m_username.trimmed().isEmpty() || password.isEmpty())
        return;
    reset();
    auto secret = std::make_shared<SecureBuffer>(SecureBuffer::fromUtf8(password));
    m_app->run([username = m_username.trimmed(),
                secret](Client& gh) { return gh.beginLogin(username, *secret, QStringLiteral("gatehouse (desktop)")); },
               [this, username = m_username.trimmed()](Result<LoginStep> result) {
                   if (result) {
                       LoginStep& step = result.value();
                       if (step.complete)
                           m_app->signedIn(std::move(step.session));
                       else
                           m_app->beginSecondStep(username, step.pendingId, step.offered);
                       return;
                   }
                   const Error& error = result.error();
                   setError(m_countdown.follow(error));
                   Q_EMIT failed();
               });
}

void LoginModel::submitPassword(SecretInput* password) {
    QString passwordText = password ? password->secretString() : QString();
    submitPassword(passwordText);
    wipe(passwordText);
}

} // namespace gh::ui
