#include "throttle.h"

#include <algorithm>

namespace gh::throttle {

qint64 delayAfter(int failures) {
    if (failures <= kFreeFailures)
        return 0;
    const int doublings = std::min(failures - kFreeFailures - 1, 10);
    return std::min(kBaseDelaySecs << doublings, kMaxDelaySecs);
}

qint64 remaining(int failures, qint64 lastFailureSecs, qint64 nowSecs) {
    const qint64 until = lastFailureSecs + delayAfter(failures);
    // A wall clock set back must not lengthen the wait beyond one full delay.
    return std::clamp<qint64>(until - nowSecs, 0, delayAfter(failures));
}

} // namespace gh::throttle
