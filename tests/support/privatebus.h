// A private D-Bus bus for one test program, with the Gatehouse service on it: the CLI and GUI
// tests reach a real gatehoused over a real bus, isolated from other tests that run in parallel.
// The bus's address goes into $GATEHOUSE_BUS_ADDRESS of this process, so gh::Client here and every
// gatehousectl started with QProcess use it; the Secret Service stays on the session bus
// (tests/support/with-services.sh). `daemon` picks the service program (default: the production
// gatehoused, started on demand by the first client exactly as in session mode). On destruction
// the service is stopped with the bus.
#pragma once

#include <QDBusConnection>
#include <QDBusConnectionInterface>
#include <QDeadlineTimer>
#include <QProcess>
#include <QThread>

#include <csignal>
#include <sys/types.h>

namespace gh::test {

class PrivateBus {
public:
    explicit PrivateBus(const QString& daemon = {}) {
        m_bus.setProgram(QStringLiteral("dbus-daemon"));
        m_bus.setArguments({QStringLiteral("--session"), QStringLiteral("--nofork"), QStringLiteral("--nopidfile"),
                            QStringLiteral("--print-address=1")});
        m_bus.start();
        if (!m_bus.waitForStarted(5000))
            return;
        QDeadlineTimer deadline(5000);
        while (!m_bus.canReadLine() && !deadline.hasExpired())
            m_bus.waitForReadyRead(100);
        m_address = QString::fromUtf8(m_bus.readLine().trimmed());
        qputenv("GATEHOUSE_BUS_ADDRESS", m_address.toUtf8());
        if (!daemon.isEmpty())
            qputenv("GATEHOUSED", daemon.toUtf8());
    }
    ~PrivateBus() { stop(); }
    PrivateBus(const PrivateBus&) = delete;
    PrivateBus& operator=(const PrivateBus&) = delete;

    bool ok() const { return !m_address.isEmpty(); }
    QString address() const { return m_address; }

    // The pid of the service on this bus (0 when none runs).
    qint64 servicePid() const {
        QDBusConnection c = QDBusConnection::connectToBus(m_address, QStringLiteral("privatebus-probe"));
        const qint64 pid =
            c.interface() ? qint64(c.interface()->servicePid(QStringLiteral("io.gatehouse.Gatehouse1")).value()) : 0;
        QDBusConnection::disconnectFromBus(QStringLiteral("privatebus-probe"));
        return pid;
    }

    // Stops the service (SIGTERM, then waits until the name is free); the bus stays.
    bool stopService(int signal = SIGTERM) const {
        const qint64 pid = servicePid();
        if (pid <= 0)
            return true;
        ::kill(pid_t(pid), signal);
        QDeadlineTimer deadline(10000);
        while (!deadline.hasExpired()) {
            if (::kill(pid_t(pid), 0) != 0)
                return true;
            QThread::msleep(20);
        }
        return false;
    }

    void stop() {
        if (m_bus.state() == QProcess::NotRunning)
            return;
        stopService();
        m_bus.terminate();
        m_bus.waitForFinished(5000);
        qunsetenv("GATEHOUSE_BUS_ADDRESS");
        qunsetenv("GATEHOUSED");
    }

private:
    QProcess m_bus;
    QString m_address;
};

} // namespace gh::test
