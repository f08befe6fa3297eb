// Throttling policy (DESIGN.md): from the 5th consecutive failure a delay of 30 s that doubles with
// each further failure, at most 15 minutes; a hard lock at 100 failures. The counter is persisted
// per attempted username (known or not, so throttling does not reveal which names exist).
#pragma once

#include <QtGlobal>

namespace gh::throttle {

constexpr int kFreeFailures = 4; // failures 1-4 cost nothing extra
constexpr qint64 kBaseDelaySecs = 30;
constexpr qint64 kMaxDelaySecs = 15 * 60;
constexpr int kLockAt = 100;

// Seconds to wait after the `failures`-th consecutive failure before the next attempt.
qint64 delayAfter(int failures);
// Seconds still to wait now, or 0 when an attempt is allowed.
qint64 remaining(int failures, qint64 lastFailureSecs, qint64 nowSecs);
inline bool locked(int failures) {
    return failures >= kLockAt;
}

} // namespace gh::throttle
