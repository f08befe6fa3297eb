// Session mode: when nobody owns io.gatehouse.Gatehouse1 on the session bus, the client starts
// gatehoused itself (from next to the running program in a build tree, else from the install
// path) and waits until it has taken the name. Two clients racing both start one; the loser
// exits at once because the name is taken, and both use the winner.
//
// Never when the system service is installed but not running: a client would silently get a
// session-mode service with another vault (the person's own, keyed in their keychain) instead of
// the machine's. The client fails closed with Errc::ServiceUnavailable (exit 6) instead.
#pragma once

#include "errors.h"

#include <QStringList>

class QDBusConnection;

namespace gh::daemon {

// Where gatehoused is looked for: $GATEHOUSED (development), beside the running program, the
// build tree's app/gatehoused, then the install path (libexec/gatehouse/gatehoused).
QString locate();
Status ensureRunning(QDBusConnection& bus, int waitMs = 15000);

// Files that exist when the system service is installed: its systemd unit (package or
// administrator) and its system-bus activation file.
QStringList systemServiceMarkers();
// Whether this machine has the system service: one of `markers` exists, or the system bus can
// start io.gatehouse.Gatehouse1 (an activatable name). A test points $DBUS_SYSTEM_BUS_ADDRESS at a
// bus of its own, or passes markers of its own.
bool systemServiceInstalled(QDBusConnection& systemBus, const QStringList& markers = systemServiceMarkers());

} // namespace gh::daemon
