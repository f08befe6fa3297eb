// Runs one gatehousectl command against the core facade (gh::Gatehouse) and maps every outcome
// to the exit codes of DESIGN.md through gh::exitCodeOf and gh::describe, so the CLI and the GUI
// word failures the same way.
#pragma once

#include <QStringList>

namespace gh {
class Fido2Transport;
}

namespace gh::cli {

// `arguments` excludes the program name. Returns the process exit code.
int run(const QStringList& arguments);
// The same with security keys from `fido2` instead of the hidraw devices: used only by the
// test-only build tests/app/gatehousectl-softfido (a software key); never by the installed binary.
int run(const QStringList& arguments, Fido2Transport* fido2);

} // namespace gh::cli
