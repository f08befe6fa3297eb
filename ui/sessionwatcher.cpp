#include "sessionwatcher.h"

#include "appcontroller.h"

#include <QCoreApplication>
#include <QEvent>

#include <algorithm>
#include <limits>

namespace gh::ui {

namespace {
int clampMs(qint64 ms) {
    return static_cast<int>(std::clamp<qint64>(ms, 0, std::numeric_limits<int>::max()));
}
} // namespace

SessionWatcher::SessionWatcher(AppController* app) : QObject(app), m_app(app) {
    for (QTimer* t : {&m_deadline, &m_warnAt, &m_touchLater})
        t->setSingleShot(true);
    // Coarse timers may fire 5% late: 90 s on a 30-minute deadline.
    m_deadline.setTimerType(Qt::PreciseTimer);
    m_warnAt.setTimerType(Qt::PreciseTimer);
    m_countdown.setInterval(1000);
    connect(&m_deadline, &QTimer::timeout, this, &SessionWatcher::check);
    connect(&m_warnAt, &QTimer::timeout, this, &SessionWatcher::showCountdown);
    connect(&m_touchLater, &QTimer::timeout, this, &SessionWatcher::check);
    connect(&m_countdown, &QTimer::timeout, this, &SessionWatcher::showCountdown);
    connect(&app->client(), &Client::sessionEnded, this, &SessionWatcher::onSessionEnded);
    connect(&app->client(), &Client::permissionsChanged, this, &SessionWatcher::onPermissionsChanged);
    m_since.start();
    QCoreApplication::instance()->installEventFilter(this);
}

int SessionWatcher::repeatingTimers() const {
    int n = 0;
    for (const QTimer* t : {&m_deadline, &m_warnAt, &m_touchLater, &m_countdown})
        n += t->isActive() && !t->isSingleShot() ? 1 : 0;
    return n;
}

void SessionWatcher::start() {
    auto session = m_app->session();
    if (!session)
        return;
    m_running = true;
    m_activity = false;
    m_checkAgain = false;
    m_endedElsewhere.clear();
    m_lastTouchMs = m_since.elapsed(); // signing in was activity
    arm(session->info);
}

void SessionWatcher::stop() {
    m_running = false;
    m_activity = false;
    m_checkAgain = false;
    for (QTimer* t : {&m_deadline, &m_warnAt, &m_touchLater, &m_countdown})
        t->stop();
    m_idleDeadlineMs = -1;
    setWarning(-1);
}

void SessionWatcher::sessionReplaced() {
    auto session = m_app->session();
    if (!m_running || !session)
        return;
    if (auto it = m_endedElsewhere.constFind(session->info.id); it != m_endedElsewhere.constEnd())
        return ended(Error{Errc::SessionInvalid, *it, 0});
    m_lastTouchMs = m_since.elapsed();
    arm(session->info);
}

void SessionWatcher::arm(const SessionInfo& info) {
    const qint64 now = m_since.elapsed();
    const bool idleFirst = info.idleTimeoutSecs > 0 && info.idleLeftSecs <= info.absoluteLeftSecs;
    const qint64 left = idleFirst ? info.idleLeftSecs : info.absoluteLeftSecs;
    m_deadline.start(clampMs(left * 1000 + kGraceMs));
    m_idleDeadlineMs = idleFirst ? now + info.idleLeftSecs * 1000 : -1;
    m_countdown.stop();
    m_warnAt.stop();
    if (!idleFirst)
        return setWarning(-1);
    const qint64 warnIn = (info.idleLeftSecs - kWarnSecs) * 1000;
    if (warnIn > 0) {
        setWarning(-1);
        m_warnAt.start(clampMs(warnIn));
    } else {
        showCountdown();
    }
}

void SessionWatcher::showCountdown() {
    if (!m_running || m_idleDeadlineMs < 0)
        return;
    const qint64 leftMs = m_idleDeadlineMs - m_since.elapsed();
    setWarning(std::max<qint64>(0, (leftMs + 999) / 1000));
    if (!m_countdown.isActive())
        m_countdown.start();
}

bool SessionWatcher::eventFilter(QObject* watched, QEvent* event) {
    switch (event->type()) {
    case QEvent::KeyPress:
    case QEvent::MouseButtonPress:
    case QEvent::MouseMove:
    case QEvent::Wheel:
    case QEvent::TouchBegin:
        // Input to a locked window is not the person at work: the session's idle deadline runs on.
        if (m_running && !m_app->locked()) {
            m_activity = true;
            scheduleTouch();
        }
        break;
    default:
        break;
    }
    return QObject::eventFilter(watched, event);
}

void SessionWatcher::scheduleTouch() {
    if (m_touchLater.isActive() || m_inFlight)
        return; // a finished check schedules again when there was activity meanwhile
    m_touchLater.start(clampMs(m_lastTouchMs + kTouchMs - m_since.elapsed()));
}

void SessionWatcher::checkNow() {
    check();
}

void SessionWatcher::check() {
    auto session = m_app->session();
    if (!m_running || !session)
        return;
    if (m_inFlight) {
        m_checkAgain = true;
        return;
    }
    m_touchLater.stop();
    const bool touch = m_activity;
    if (touch) {
        m_activity = false;
        m_lastTouchMs = m_since.elapsed();
    }
    m_inFlight = true;
    m_serviceCalls += touch ? 2 : 1;
    // A copy: the GUI thread may replace the held session (step-up) while the worker reads.
    std::shared_ptr<Session> copy = AppController::copyOf(*session);
    const QString checkedId = session->info.id;
    m_app->runQuietly(
        [copy, touch](Client& c) -> Result<SessionInfo> {
            if (touch) {
                if (Status t = c.touch(*copy); !t)
                    return t.error();
            }
            return c.validate(*copy);
        },
        [this, session, checkedId](Result<SessionInfo> result) {
            m_inFlight = false;
            if (!m_running || session != m_app->session() || session->info.id != checkedId)
                return; // signed out or re-issued (step-up) meanwhile: sessionReplaced() re-armed
            if (!result) {
                if (result.code() == Errc::SessionInvalid)
                    return ended(result.error());
                // The service was busy or away for a moment (a restart locks through
                // AppController::serviceLost): ask again a little later.
                m_deadline.start(std::min(kRetryMs, m_deadline.isActive() ? m_deadline.remainingTime() : kRetryMs));
                return;
            }
            arm(*result);
            if (std::exchange(m_checkAgain, false))
                check();
            else if (m_activity)
                scheduleTouch();
        });
}

void SessionWatcher::onSessionEnded(const QString& sessionId, const QString& reason) {
    auto session = m_app->session();
    if (!m_running || !session)
        return;
    if (session->info.id != sessionId) {
        m_endedElsewhere.insert(sessionId, reason); // perhaps the one a re-issue is about to hand us
        return;
    }
    ended(Error{Errc::SessionInvalid, reason, 0});
}

void SessionWatcher::onPermissionsChanged(const QString& username) {
    auto session = m_app->session();
    if (m_running && session && session->info.username == username)
        m_app->permissionsChanged();
}

void SessionWatcher::ended(const Error& why) {
    stop();
    m_app->sessionEnded(why);
}

void SessionWatcher::setWarning(qint64 idleLeft) {
    QString text;
    if (idleLeft >= 0 && idleLeft <= kWarnSecs)
        text = tr("You will be signed out in %1 because this window has been idle. Move the mouse or press a key to "
                  "stay signed in.")
                   .arg(tr("%n second(s)", nullptr, static_cast<int>(idleLeft)));
    const int left = idleLeft < 0 ? 0 : static_cast<int>(idleLeft);
    if (text == m_idleWarning && left == m_idleLeftSecs)
        return;
    m_idleWarning = text;
    m_idleLeftSecs = left;
    Q_EMIT idleWarningChanged();
}

} // namespace gh::ui
