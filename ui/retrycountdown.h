// A live "try again in N s" countdown after Errc::Throttled, shared by the password step and the
// second step of the login (DESIGN.md: a visible countdown when throttled).
#pragma once

#include "errors.h"

#include <QDeadlineTimer>
#include <QObject>
#include <QTimer>

namespace gh::ui {

class RetryCountdown : public QObject {
    Q_OBJECT

public:
    explicit RetryCountdown(QObject* parent = nullptr);

    int seconds() const { return m_seconds; }
    void start(qint64 seconds);
    // The message for a failed step. Throttled: the countdown starts, and the message names no time
    // (the live countdown line beside it does; a "try again in" there would stand still).
    // Otherwise describe(error).
    QString follow(const Error& error);

Q_SIGNALS:
    void secondsChanged();
    void expired(); // reached zero: the throttling message no longer applies

private:
    void tick();

    int m_seconds = 0;
    QDeadlineTimer m_deadline;
    QTimer m_timer;
};

} // namespace gh::ui
