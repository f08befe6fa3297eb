#include "loginmodel.h"

#include "appcontroller.h"

#include <QtMath>

namespace gh::ui {

LoginModel::LoginModel(AppController* app) : QObject(app), m_app(app) {
    m_countdown.setInterval(250);
    connect(&m_countdown, &QTimer::timeout, this, &LoginModel::tick);
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

bool LoginModel::canSignIn() const { return m_app->vaultOpen() && !m_app->busy() && m_retrySeconds == 0; }

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

void LoginModel::tick() {
    const int left = m_retryDeadline.hasExpired()
                         ? 0
                         : static_cast<int>(qCeil(static_cast<double>(m_retryDeadline.remainingTime()) / 1000.0));
    if (left == 0) {
        m_countdown.stop();
        setError({});  // the throttling message no longer applies
    }
    if (left != m_retrySeconds) {
        m_retrySeconds = left;
        Q_EMIT retrySecondsChanged();
    }
}

void LoginModel::submitPassword(const QString& password) {
    if (!canSignIn() || m_username.trimmed().isEmpty() || password.isEmpty())
        return;
    reset();
    auto secret = std::make_shared<SecureBuffer>(SecureBuffer::fromUtf8(password));
    m_app->run(
        [username = m_username.trimmed(), secret](Gatehouse& gh) {
            return gh.login(username, *secret, QStringLiteral("gatehouse (desktop)"));
        },
        [this](Result<Session> result) {
            if (result) {
                m_app->signedIn(std::move(result).value());
                return;
            }
            const Error& error = result.error();
            setError(describe(error));
            if (error.code == Errc::Throttled && error.retryAfterSeconds > 0) {
                m_retryDeadline = QDeadlineTimer(error.retryAfterSeconds * 1000);
                m_countdown.start();
                tick();
            }
            Q_EMIT failed();
        });
}

} // namespace gh::ui
