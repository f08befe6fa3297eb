// Keeps the window honest about its session (SES-03, SES-05, SES-06) without polling:
//  - an end pushed by gatehoused (Client::sessionEnded: revoked elsewhere, account disabled) locks
//    the window at once, with the reason; Client::permissionsChanged refreshes what the screens
//    show of the account's roles (AppController::permissionsChanged);
//  - the idle and absolute deadlines are known from the SessionInfo of the last answer, so ONE
//    single-shot timer is armed at the sooner of them and, for the idle one, one at kWarnSecs
//    before it (the warning); when the deadline timer fires the service is asked once
//    (Client::validate): locked with the reason, or re-armed from the answer;
//  - input to the window is activity: it is reported to the service (Client::touch, at most every
//    kTouchMs, a single-shot timer), which alone slides the idle deadline; the answer re-arms the
//    timers, so a warning disappears as soon as the person is back.
// While the warning shows, a one-second timer counts it down on screen; it calls nothing. Checks
// run on the worker thread without marking the app busy.
#pragma once

#include "gatehouseclient.h"

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QTimer>
#include <QtQml/qqmlregistration.h>

namespace gh::ui {

class AppController;

class SessionWatcher : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Use AppController.watcher")
    // Non-empty while the idle deadline is less than kWarnSecs away.
    Q_PROPERTY(QString idleWarning READ idleWarning NOTIFY idleWarningChanged)
    Q_PROPERTY(int idleLeftSecs READ idleLeftSecs NOTIFY idleWarningChanged)

public:
    static constexpr int kTouchMs = 5000;
    static constexpr qint64 kWarnSecs = 120;
    // Asked this long after the deadline, so the service's clock is past it too.
    static constexpr int kGraceMs = 500;
    // A check the service could not answer (busy for a moment) is repeated after this long.
    static constexpr int kRetryMs = 5000;

    explicit SessionWatcher(AppController* app);

    void start(); // after sign-in
    void stop();  // signed out
    // The held session was re-issued (step-up, factor confirmed, password changed): new deadlines.
    void sessionReplaced();
    QString idleWarning() const { return m_idleWarning; }
    int idleLeftSecs() const { return m_idleLeftSecs; }
    // Asks the service at once (tests, and whenever the window has reason to doubt its timers).
    Q_INVOKABLE void checkNow();

    // For tests: how many repeating timers run now (0 unless the idle warning is counting down),
    // how many calls the watcher has made to the service, when the deadline check is due (-1:
    // none armed).
    int repeatingTimers() const;
    int serviceCalls() const { return m_serviceCalls; }
    int deadlineInMs() const { return m_deadline.isActive() ? m_deadline.remainingTime() : -1; }
    // Activity not reported yet, or a check under way.
    bool touchPending() const { return m_activity || m_inFlight || m_touchLater.isActive(); }

Q_SIGNALS:
    void idleWarningChanged();

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void onSessionEnded(const QString& sessionId, const QString& reason);
    void onPermissionsChanged(const QString& username);
    void arm(const SessionInfo& info); // timers from deadlines measured when `info` was made
    void check();                      // touch (after activity) + validate, once
    void scheduleTouch();
    void showCountdown();
    void setWarning(qint64 idleLeft);
    void ended(const Error& why);

    AppController* m_app;
    bool m_running = false;
    QTimer m_deadline;   // single-shot: the sooner of the idle and absolute deadlines
    QTimer m_warnAt;     // single-shot: kWarnSecs before the idle deadline
    QTimer m_touchLater; // single-shot: activity is reported at most every kTouchMs
    QTimer m_countdown;  // 1 s while the warning shows: redraws it, calls nothing
    QElapsedTimer m_since;
    qint64 m_idleDeadlineMs = -1; // on m_since; -1 when the absolute deadline comes first
    qint64 m_lastTouchMs = -1;
    bool m_activity = false;
    bool m_inFlight = false;
    bool m_checkAgain = false; // asked for while a check was in flight
    int m_serviceCalls = 0;
    QHash<QString, QString> m_endedElsewhere; // ended ids (→ reason) not held yet: a re-issue may bring one
    QString m_idleWarning;
    int m_idleLeftSecs = 0;
};

} // namespace gh::ui
