// Time as the core sees it, behind an interface so tests inject a fake clock (STYLE.md #10).
// Wall time (UTC) stamps records and persistent throttling; the monotonic clock measures
// in-process durations, so a wall clock that jumps never extends anything timed in memory.
#pragma once

#include <QDateTime>
#include <QElapsedTimer>

namespace gh {

class Clock {
public:
    virtual ~Clock() = default;
    virtual QDateTime nowUtc() const = 0;
    virtual qint64 monotonicMs() const = 0;
    qint64 nowSecs() const { return nowUtc().toSecsSinceEpoch(); }
};

class SystemClock final : public Clock {
public:
    SystemClock() { m_timer.start(); }
    QDateTime nowUtc() const override { return QDateTime::currentDateTimeUtc(); }
    qint64 monotonicMs() const override { return m_timer.elapsed(); }

private:
    QElapsedTimer m_timer;
};

} // namespace gh
