// Session mode: when nobody owns io.gatehouse.Gatehouse1 on the session bus, the client starts
// gatehoused itself (from next to the running program in a build tree, else from the install
// path) and waits until it has taken the name. Two clients racing both start one; the loser
// exits at once because the name is taken, and both use the winner.
#pragma once

#include "errors.h"

class QDBusConnection;

namespace gh::daemon {

// Where gatehoused is looked for: $GATEHOUSED (development), beside the running program, the
// build tree's app/gatehoused, then the install path (libexec/gatehouse/gatehoused).
QString locate();
Status ensureRunning(QDBusConnection& bus, int waitMs = 15000);

} // namespace gh::daemon
