// Runs one gatehousectl command through the Gatehouse service (gh::Client, client/) and maps every
// outcome to the exit codes of DESIGN.md through gh::exitCodeOf and gh::describe, so the CLI and
// the GUI word failures the same way.
#pragma once

#include <QStringList>

namespace gh::cli {

// `arguments` excludes the program name. Returns the process exit code.
int run(const QStringList& arguments);

} // namespace gh::cli
