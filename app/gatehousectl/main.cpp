// gatehousectl: command-line client for headless administration and scripting (DESIGN.md, CLI).
// A client of gatehoused: it never opens the vault or reads its key.
#include "commands.h"
#include "processhardening.h"

#include "terminal.h"

#include <QCoreApplication>

#include <cstdio>
#include <cstring>

int main(int argc, char* argv[]) {
    gh::disableCoreDumps(); // a password read from stdin must never land in a core file
    // Names, labels and paths that are not valid UTF-8 would become U+FFFD: refuse them (usage).
    for (int i = 1; i < argc; ++i)
        if (!gh::cli::isValidUtf8(argv[i], std::strlen(argv[i]))) {
            std::fprintf(stderr, "gatehousectl: argument %d is not valid text (UTF-8); nothing was done.\n", i);
            return 2;
        }
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("gatehousectl"));
    QCoreApplication::setOrganizationName(QStringLiteral("Gatehouse"));
    QCoreApplication::setApplicationVersion(QStringLiteral(GATEHOUSE_VERSION));

    QStringList arguments = QCoreApplication::arguments();
    arguments.removeFirst();
    if (arguments.contains(QStringLiteral("--version"))) { // anywhere, like --help; nothing else is done
        std::printf("gatehousectl %s\n", GATEHOUSE_VERSION);
        return 0;
    }
    return gh::cli::run(arguments);
}
