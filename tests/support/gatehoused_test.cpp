// gatehoused-test: the real service (app/gatehoused's library) with test seams, never
// installed. Tests that drive the real CLI or GUI through the service use it where they need
// to control what the installed service takes from the machine:
//   GATEHOUSE_TEST_CLOCK=FILE           the clock (tests/support/fileclock.h), moved by the test
//   GATEHOUSE_TEST_CALL_LIMITS=C,U,T    each caller's share (calllimits.h: per connection, per uid,
//                                       in total), e.g. very large to measure the service without it
//   GATEHOUSE_TEST_AGENT_TIMEOUT_MS=N  how long RequestSignIn waits for the agent's answer (Timeout)
//   GATEHOUSE_TEST_HANG_FILE=FILE       while FILE exists, every call hangs on its worker (before it
//                                       runs), as a call stuck on a device or a bug would
// and an object for tests, /io/gatehouse/Test (io.gatehouse.Test1.Counts → a{sv}): what the
// service holds (pendingLogins, callsInFlight).
// Everything else (bus, vault, Secret Service, peer credentials) is the production code path.
// It has no security-key seam because the service never talks to a key: the ceremony runs in the
// client (the software key is installed in gatehousectl-test and in the GUI tests' gh::Client,
// tests/support/statefilekey.h). SECURITY.md FIDO-01/02: the daemon only verifies.
#include "fileclock.h"
#include "processhardening.h"
#include "quitonsignal.h"
#include "service.h"

#include "dbusapi.h"

#include <QCoreApplication>
#include <QDBusConnection>
#include <QDBusMessage>
#include <QDBusVirtualObject>
#include <QFile>
#include <QThread>
#include <QTimer>

#include <csignal>
#include <cstdio>
#include <cstdlib>

namespace {

// io.gatehouse.Test1 on /io/gatehouse/Test, answered on the event loop.
class TestObject final : public QDBusVirtualObject {
public:
    explicit TestObject(gh::service::Service& service, QDBusConnection bus) : m_service(service), m_bus(bus) {}
    QString introspect(const QString&) const override {
        return QStringLiteral("<interface name=\"io.gatehouse.Test1\"><method name=\"Counts\">"
                              "<arg name=\"counts\" type=\"a{sv}\" direction=\"out\"/></method></interface>");
    }
    bool handleMessage(const QDBusMessage& message, const QDBusConnection&) override {
        if (message.type() != QDBusMessage::MethodCallMessage || message.member() != QLatin1String("Counts"))
            return false;
        const QVariantMap counts{{QStringLiteral("pendingLogins"), m_service.pendingLogins()},
                                 {QStringLiteral("callsInFlight"), m_service.callsInFlight()}};
        m_bus.send(message.createReply(QVariantList{counts}));
        return true;
    }

private:
    gh::service::Service& m_service;
    QDBusConnection m_bus;
};

} // namespace

int main(int argc, char** argv) {
    gh::disableCoreDumps();
    std::signal(SIGPIPE, SIG_IGN); // a client that hangs up must not end the service
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("gatehoused"));
    gh::service::Service::Options options;
    options.defaultVault = gh::Gatehouse::defaultVaultPath();

    std::unique_ptr<gh::test::FileClock> clock;
    if (const QString path = qEnvironmentVariable("GATEHOUSE_TEST_CLOCK"); !path.isEmpty()) {
        clock = std::make_unique<gh::test::FileClock>(path);
        options.services.clock = clock.get();
    }
    if (const QStringList l = qEnvironmentVariable("GATEHOUSE_TEST_CALL_LIMITS").split(QLatin1Char(',')); l.size() == 3)
        options.limits = {l.at(0).toInt(), l.at(1).toInt(), l.at(2).toInt()};
    if (const int ms = qEnvironmentVariableIntValue("GATEHOUSE_TEST_AGENT_TIMEOUT_MS"); ms > 0)
        options.agentTimeoutMs = ms;
    if (const QString hang = qEnvironmentVariable("GATEHOUSE_TEST_HANG_FILE"); !hang.isEmpty()) {
        options.beforeCall = [hang] {
            while (QFile::exists(hang))
                QThread::msleep(20);
        };
    }

    const QByteArray address = qgetenv(gh::dbus::kBusAddressEnv);
    QDBusConnection bus = address.isEmpty()
                              ? QDBusConnection::sessionBus()
                              : QDBusConnection::connectToBus(QString::fromUtf8(address), QStringLiteral("gatehoused"));
    gh::service::Service service(bus, options);
    if (gh::Status s = service.start(); !s) {
        std::fprintf(stderr, "gatehoused-test: %s\n", qPrintable(s.error().detail));
        return 0;
    }
    TestObject testObject(service, bus);
    bus.registerVirtualObject(QStringLiteral("/io/gatehouse/Test"), &testObject);
    gh::service::quitOnTerminationSignals();
    QTimer lifeline;
    QObject::connect(&lifeline, &QTimer::timeout, &app, [&bus] {
        if (!bus.isConnected())
            QCoreApplication::exit(0);
    });
    lifeline.start(200);
    const int rc = app.exec();
    if (!service.drain(gh::service::Service::kShutdownWaitMs)) {
        std::fprintf(stderr, "gatehoused-test: calls still running at the stop; exiting anyway\n");
        std::fflush(stderr);
        std::_Exit(rc);
    }
    return rc;
}
