#include "secondfactormodel.h"

#include "appcontroller.h"

namespace gh::ui {

SecondFactorModel::SecondFactorModel(AppController* app) : QObject(app), m_app(app) {
    connect(&m_countdown, &RetryCountdown::secondsChanged, this, &SecondFactorModel::retrySecondsChanged);
    connect(&m_countdown, &RetryCountdown::expired, this, [this] { setError({}); });
    connect(app, &AppController::busyChanged, this, &SecondFactorModel::canVerifyChanged);
    connect(this, &SecondFactorModel::retrySecondsChanged, this, &SecondFactorModel::canVerifyChanged);
}

bool SecondFactorModel::canVerify() const {
    return !m_pendingId.isEmpty() && !m_app->busy() && retrySeconds() == 0;
}

void SecondFactorModel::setMode(const QString& mode) {
    const QString next = mode == QStringLiteral("recovery") || (mode == QStringLiteral("key") && offersKey())
                             ? mode
                             : QStringLiteral("totp");
    if (m_mode == next)
        return;
    m_mode = next;
    setError({});
    Q_EMIT modeChanged();
}

void SecondFactorModel::setError(const QString& error) {
    if (m_error == error)
        return;
    m_error = error;
    Q_EMIT errorChanged();
}

void SecondFactorModel::startPasswordless(const QString& username, const QString& pendingId) {
    start(username, pendingId, {FactorKind::SecurityKey});
    m_passwordless = true;
    Q_EMIT offeredChanged();
}

void SecondFactorModel::start(const QString& username, const QString& pendingId, const QList<FactorKind>& offered) {
    m_passwordless = false;
    m_username = username;
    m_pendingId = pendingId;
    m_offered = offered;
    // The key first when the account has one (the strongest factor), then the app, then codes.
    setMode(offersKey()                         ? QStringLiteral("key")
            : offersTotp() || !offersRecovery() ? QStringLiteral("totp")
                                                : QStringLiteral("recovery"));
    if (offersKey())
        m_app->securityKey()->beginLogin(pendingId);
    setError({});
    Q_EMIT offeredChanged();
    Q_EMIT canVerifyChanged();
}

void SecondFactorModel::clear() {
    if (!m_app->securityKey()->enrolling())
        m_app->securityKey()->stop();
    m_pendingId.clear();
    m_offered.clear();
    m_passwordless = false;
    setError({});
    Q_EMIT offeredChanged();
    Q_EMIT canVerifyChanged();
}

void SecondFactorModel::submitCode(const QString& code) {
    const QString trimmed = code.trimmed();
    if (!canVerify() || trimmed.isEmpty())
        return;
    setError({});
    const FactorKind kind = m_mode == QStringLiteral("recovery") ? FactorKind::RecoveryCode : FactorKind::Totp;
    auto secret = std::make_shared<SecureBuffer>(SecureBuffer::fromUtf8(trimmed));
    m_app->run(
        [pendingId = m_pendingId, kind, secret](Client& gh) { return gh.completeLogin(pendingId, kind, *secret); },
        [this](Result<Session> result) {
            if (result) {
                clear();
                m_app->signedIn(std::move(result).value());
                return;
            }
            const Error& error = result.error();
            if (error.code == Errc::LoginExpired || error.code == Errc::SessionInvalid) {
                clear();
                m_app->backToPasswordStep(describe(error));
                return;
            }
            setError(m_countdown.follow(error));
            Q_EMIT failed();
        });
}

void SecondFactorModel::cancel() {
    const QString pendingId = std::exchange(m_pendingId, {});
    clear();
    m_app->backToPasswordStep({});
    if (pendingId.isEmpty())
        return;
    m_app->run(
        [pendingId](Client& gh) {
            gh.cancelLogin(pendingId);
            return true;
        },
        [](bool) {});
}

void SecondFactorModel::submitCode(SecretInput* code) {
    QString codeText = code ? code->secretString() : QString();
    submitCode(codeText);
    wipe(codeText);
}

} // namespace gh::ui
