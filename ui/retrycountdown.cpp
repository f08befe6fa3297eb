#include "retrycountdown.h"

#include <QtMath>

namespace gh::ui {

RetryCountdown::RetryCountdown(QObject* parent) : QObject(parent) {
    m_timer.setInterval(250);
    connect(&m_timer, &QTimer::timeout, this, &RetryCountdown::tick);
}

void RetryCountdown::start(qint64 seconds) {
    if (seconds <= 0)
        return;
    m_deadline = QDeadlineTimer(seconds * 1000);
    m_timer.start();
    tick();
}

QString RetryCountdown::follow(const Error& error) {
    if (error.code != Errc::Throttled)
        return describe(error);
    start(error.retryAfterSeconds);
    return tr("Too many failed attempts.");
}

void RetryCountdown::tick() {
    const int left =
        m_deadline.hasExpired() ? 0 : static_cast<int>(qCeil(static_cast<double>(m_deadline.remainingTime()) / 1000.0));
    const bool ended = left == 0 && m_timer.isActive();
    if (ended)
        m_timer.stop();
    if (left != m_seconds) {
        m_seconds = left;
        Q_EMIT secondsChanged();
    }
    if (ended)
        Q_EMIT expired();
}

} // namespace gh::ui
