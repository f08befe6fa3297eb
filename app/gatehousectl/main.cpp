// gatehousectl: command-line client for headless administration and scripting (DESIGN.md, CLI).
// A client of gatehoused: it never opens the vault or reads its key.
#include "commands.h"
#include "processhardening.h"

#include <QCoreApplication>

int main(int argc, char* argv[]) {
    gh::disableCoreDumps(); // a password read from stdin must never land in a core file
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("gatehousectl"));
    QCoreApplication::setOrganizationName(QStringLiteral("Gatehouse"));

    QStringList arguments = QCoreApplication::arguments();
    arguments.removeFirst();
    return gh::cli::run(arguments);
}
