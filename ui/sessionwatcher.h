// Keeps the window honest about its session (SES-03, SES-05, SES-06): every kPollMs it asks the
// core whether the session is still valid (Gatehouse::validate answers from memory after a
// cheap check for other processes' changes), so a revocation from the CLI or an idle / absolute
// expiry found by the core locks the window within a second, with the reason. Input to the
// window is activity: it is reported to the core (Gatehouse::touch, at most every kTouchMs),
// which alone slides the idle deadline. Shortly before the idle deadline it raises a warning.
// The polls run on the facade's worker thread without marking the app busy.
#pragma once

#include "gatehouse.h"

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>
#include <QtQml/qqmlregistration.h>

#include <memory>

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
    static constexpr int kPollMs = 300;
    static constexpr int kTouchMs = 5000;
    static constexpr qint64 kWarnSecs = 120;

    explicit SessionWatcher(AppController* app);

    void start(); // after sign-in
    void stop();  // signed out
    QString idleWarning() const { return m_idleWarning; }
    int idleLeftSecs() const { return m_idleLeftSecs; }
    // Call from the GUI's input filter.
    void noteActivity() { m_activity = true; }
    // Checks at once (tests, and after the window comes back from being hidden).
    Q_INVOKABLE void checkNow();

Q_SIGNALS:
    void idleWarningChanged();

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void poll();
    void setWarning(qint64 idleLeft);

    AppController* m_app;
    QTimer m_timer;
    bool m_inFlight = false;
    bool m_activity = false;
    qint64 m_lastTouchMs = -1;
    QElapsedTimer m_since;
    QString m_idleWarning;
    int m_idleLeftSecs = 0;
};

} // namespace gh::ui
