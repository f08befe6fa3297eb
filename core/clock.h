// Time as the core sees it, behind an interface so tests inject a fake clock (STYLE.md #10).
// Wall time (UTC) stamps records and persistent throttling; the monotonic clock measures
// in-process durations, so a wall clock that jumps never extends anything timed in memory.
#pragma once

#include <QDateTime>
#include <QElapsedTimer>

#include <ctime>

namespace gh {

class Clock {
public:
    virtual ~Clock() = default;
    virtual QDateTime nowUtc() const = 0;
    virtual qint64 monotonicMs() const = 0;
    qint64 nowSecs() const { return nowUtc().toSecsSinceEpoch(); }
};

// monotonicMs() is CLOCK_BOOTTIME: milliseconds since boot, the same in every process of this
// boot (so the GUI and the CLI can compare session deadlines kept in the vault), never set by
// anyone (settimeofday, NTP steps and the user's clock changes leave it alone) and counting time
// spent suspended (a laptop closed for a night is idle for that night).
class SystemClock final : public Clock {
public:
    QDateTime nowUtc() const override { return QDateTime::currentDateTimeUtc(); }
    qint64 monotonicMs() const override {
        timespec ts{};
        clock_gettime(CLOCK_BOOTTIME, &ts);
        return static_cast<qint64>(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
    }
};

} // namespace gh
