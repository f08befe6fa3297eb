#include "daemonlauncher.h"

#include "dbusapi.h"

#include <QCoreApplication>
#include <QDBusConnection>
#include <QDBusConnectionInterface>
#include <QDBusReply>
#include <QDeadlineTimer>
#include <QFileInfo>
#include <QProcess>
#include <QThread>

namespace gh::daemon {

QString locate() {
    QStringList candidates;
    const QString env = qEnvironmentVariable("GATEHOUSED");
    if (!env.isEmpty())
        candidates << env;
    const QString here = QCoreApplication::applicationDirPath();
    candidates << here + QStringLiteral("/gatehoused") << here + QStringLiteral("/../gatehoused/gatehoused");
#ifdef GATEHOUSE_BUILD_DAEMON
    // Only programs that run from inside the build tree (tests, `make run`) use the build's daemon.
    if (here.startsWith(QStringLiteral(GATEHOUSE_BUILD_ROOT)))
        candidates << QStringLiteral(GATEHOUSE_BUILD_DAEMON);
#endif
    candidates << QStringLiteral(GATEHOUSE_INSTALLED_DAEMON);
    for (const QString& c : candidates) {
        const QFileInfo info(c);
        if (info.isFile() && info.isExecutable())
            return info.canonicalFilePath();
    }
    return {};
}

Status ensureRunning(QDBusConnection& bus, int waitMs) {
    QDBusConnectionInterface* iface = bus.interface();
    if (!iface)
        return Error{Errc::ServiceUnavailable, QStringLiteral("the bus has no org.freedesktop.DBus interface"), 0};
    if (iface->isServiceRegistered(dbus::kService).value())
        return ok();
    const QString program = locate();
    if (program.isEmpty())
        return Error{Errc::ServiceUnavailable, QStringLiteral("gatehoused was not found"), 0};
    const QStringList args{QStringLiteral("--session")};
    // Detached, with no stdio of ours: a pipe a test or a shell reads would otherwise outlive its
    // reader and end the service with SIGPIPE at its first log line.
    QProcess process;
    process.setProgram(program);
    process.setArguments(args);
    process.setStandardInputFile(QProcess::nullDevice());
    process.setStandardOutputFile(QProcess::nullDevice());
    process.setStandardErrorFile(QProcess::nullDevice());
    if (!process.startDetached())
        return Error{Errc::ServiceUnavailable, QStringLiteral("%1 could not be started").arg(program), 0};
    QDeadlineTimer deadline(waitMs);
    while (!deadline.hasExpired()) {
        if (iface->isServiceRegistered(dbus::kService).value())
            return ok();
        QThread::msleep(20);
    }
    return Error{Errc::ServiceUnavailable,
                 QStringLiteral("%1 did not take the name %2 within %3 ms").arg(program, dbus::kService).arg(waitMs),
                 0};
}

QStringList systemServiceMarkers() {
    return {QStringLiteral("/usr/lib/systemd/system/gatehoused.service"),
            QStringLiteral("/lib/systemd/system/gatehoused.service"),
            QStringLiteral("/etc/systemd/system/gatehoused.service"),
            QStringLiteral("/usr/share/dbus-1/system-services/") + dbus::kService + QStringLiteral(".service")};
}

bool systemServiceInstalled(QDBusConnection& systemBus, const QStringList& markers) {
    for (const QString& m : markers)
        if (QFileInfo::exists(m))
            return true;
    if (!systemBus.isConnected() || !systemBus.interface())
        return false;
    const QDBusReply<QStringList> names = systemBus.interface()->activatableServiceNames();
    return names.isValid() && names.value().contains(dbus::kService);
}

} // namespace gh::daemon
