// The credential-stuffing detector's thresholds (issue 13; stuffing.h): plain data, tunable by
// policy.manage and kept in the vault's meta table, so the D-Bus client can carry it too.
#pragma once

#include <QtGlobal>

namespace gh {

struct StuffingPolicy {
    int names = 10;              // distinct failing names in the window that trip the detector
    qint64 windowSecs = 10 * 60; // the sliding window
    qint64 baseDelaySecs = 2;    // pacing for every source while an attack is in progress
    qint64 maxDelaySecs = 5 * 60;
    static constexpr int kMinNames = 3;
    static constexpr int kMaxNames = 10000;
    static constexpr qint64 kMinWindowSecs = 60;
    static constexpr qint64 kMaxWindowSecs = 24 * 3600;
    bool valid() const {
        return names >= kMinNames && names <= kMaxNames && windowSecs >= kMinWindowSecs &&
               windowSecs <= kMaxWindowSecs && baseDelaySecs >= 0 && maxDelaySecs >= baseDelaySecs &&
               maxDelaySecs <= 3600;
    }
};

} // namespace gh
