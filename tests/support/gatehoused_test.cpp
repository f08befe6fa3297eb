// gatehoused-test: the real service (app/gatehoused's library) with one test seam, never
// installed. Tests that drive the real CLI or GUI through the service use it where they need
// to control what the installed service takes from the machine:
//   GATEHOUSE_TEST_CLOCK=FILE           the clock (tests/support/fileclock.h), moved by the test
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
#include <QTimer>

#include <csignal>
#include <cstdio>

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

    const QByteArray address = qgetenv(gh::dbus::kBusAddressEnv);
    QDBusConnection bus = address.isEmpty()
                              ? QDBusConnection::sessionBus()
                              : QDBusConnection::connectToBus(QString::fromUtf8(address), QStringLiteral("gatehoused"));
    gh::service::Service service(bus, options);
    if (gh::Status s = service.start(); !s) {
        std::fprintf(stderr, "gatehoused-test: %s\n", qPrintable(s.error().detail));
        return 0;
    }
    gh::service::quitOnTerminationSignals();
    QTimer lifeline;
    QObject::connect(&lifeline, &QTimer::timeout, &app, [&bus] {
        if (!bus.isConnected())
            QCoreApplication::exit(0);
    });
    lifeline.start(200);
    return app.exec();
}
