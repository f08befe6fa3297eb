// Known-answer self-test of every primitive the core uses, run once at start-up before any
// secret is handled (STYLE.md #12). A failure stops the application.
#pragma once

#include <QString>

namespace gh::crypto {

struct SelfTestReport {
    bool passed = false;
    QString failedCheck; // name of the first failing check
};

SelfTestReport runSelfTest();

} // namespace gh::crypto
