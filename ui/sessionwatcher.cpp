#include "sessionwatcher.h"

#include "appcontroller.h"

#include <QCoreApplication>
#include <QEvent>
#include <QFutureWatcher>
#include <QtConcurrent/QtConcurrentRun>

namespace gh::ui {

SessionWatcher::SessionWatcher(AppController* app) : QObject(app), m_app(app) {
    m_timer.setInterval(kPollMs);
    connect(&m_timer, &QTimer::timeout, this, &SessionWatcher::poll);
    m_since.start();
    QCoreApplication::instance()->installEventFilter(this);
}

void SessionWatcher::start() {
    m_activity = false;
    m_lastTouchMs = m_since.elapsed();
    setWarning(-1);
    m_timer.start();
}

void SessionWatcher::stop() {
    m_timer.stop();
    setWarning(-1);
}

bool SessionWatcher::eventFilter(QObject* watched, QEvent* event) {
    switch (event->type()) {
    case QEvent::KeyPress:
    case QEvent::MouseButtonPress:
    case QEvent::MouseMove:
    case QEvent::Wheel:
    case QEvent::TouchBegin:
        m_activity = true;
        break;
    default:
        break;
    }
    return QObject::eventFilter(watched, event);
}

void SessionWatcher::checkNow() {
    poll();
}

void SessionWatcher::poll() {
    auto session = m_app->session();
    if (!session || m_inFlight)
        return;
    // Activity is reported at most every kTouchMs; the other ticks only check.
    const bool touch = m_activity && m_since.elapsed() - m_lastTouchMs >= kTouchMs;
    if (touch) {
        m_activity = false;
        m_lastTouchMs = m_since.elapsed();
    }
    m_inFlight = true;
    auto* watcher = new QFutureWatcher<std::shared_ptr<Result<SessionInfo>>>(this);
    const QString polledId = session->info.id;
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, session, polledId] {
        std::shared_ptr<Result<SessionInfo>> result = watcher->result();
        watcher->deleteLater();
        m_inFlight = false;
        if (session != m_app->session() || session->info.id != polledId)
            return; // signed out or re-issued (step-up) meanwhile
        if (!*result) {
            const Error& e = result->error();
            if (e.code != Errc::SessionInvalid)
                return; // the vault was busy or unreadable for a moment: try again next tick
            stop();
            m_app->sessionEnded(e);
            return;
        }
        setWarning((*result)->idleLeftSecs);
    });
    Gatehouse* facade = &m_app->facade();
    // A copy: the GUI thread may replace the held session (step-up) while the worker reads.
    std::shared_ptr<Session> copy = AppController::copyOf(*session);
    watcher->setFuture(QtConcurrent::run(&AppController::workerPool(), [facade, copy, touch] {
        if (touch) {
            if (Status t = facade->touch(*copy); !t)
                return std::make_shared<Result<SessionInfo>>(t.error());
        }
        return std::make_shared<Result<SessionInfo>>(facade->validate(*copy));
    }));
}

void SessionWatcher::setWarning(qint64 idleLeft) {
    QString text;
    if (idleLeft >= 0 && idleLeft <= kWarnSecs)
        text = tr("You will be signed out in %1 because this window has been idle. Move the mouse or press a key to "
                  "stay signed in.")
                   .arg(idleLeft == 1 ? tr("1 second") : tr("%1 seconds").arg(idleLeft));
    const int left = idleLeft < 0 ? 0 : static_cast<int>(idleLeft);
    if (text == m_idleWarning && left == m_idleLeftSecs)
        return;
    m_idleWarning = text;
    m_idleLeftSecs = left;
    Q_EMIT idleWarningChanged();
}

} // namespace gh::ui
