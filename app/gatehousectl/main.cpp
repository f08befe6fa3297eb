// gatehousectl: command-line client for headless administration and scripting (DESIGN.md, CLI).
#include "commands.h"

#include "crypto/selftest.h"

#include <QCoreApplication>
#include <QLoggingCategory>

#include <cstdio>

int main(int argc, char* argv[]) {
    // QtKeychain talks to the Secret Service over D-Bus, which needs a QCoreApplication.
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("gatehousectl"));
    QCoreApplication::setOrganizationName(QStringLiteral("Gatehouse"));

    // The core's diagnostic log would mix with the CLI's own messages on stderr (and could tell
    // an unknown user from a wrong password apart, RL-04); every failure reaches the user through
    // describe() instead. QT_LOGGING_RULES="gatehouse.*=true" turns the log back on for debugging.
    QLoggingCategory::setFilterRules(QStringLiteral("gatehouse.*=false"));

    // Known-answer tests before any secret is handled (STYLE.md #12).
    const gh::crypto::SelfTestReport selfTest = gh::crypto::runSelfTest();
    if (!selfTest.passed) {
        std::fprintf(stderr, "gatehousectl: cryptographic self-test failed (%s); refusing to run.\n",
                     selfTest.failedCheck.toUtf8().constData());
        return 1;
    }

    QStringList arguments = QCoreApplication::arguments();
    arguments.removeFirst();
    return gh::cli::run(arguments);
}
