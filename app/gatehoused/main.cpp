// gatehoused: the Gatehouse service, the only process that opens the vault (DESIGN.md, "Trust
// boundary and processes").
//   gatehoused --session   the current user's service on the session bus (vault in
//                          $XDG_DATA_HOME/gatehouse, key in the Secret Service); started on
//                          demand by the GUI and gatehousectl
//   gatehoused --system    the system service (systemd unit): system bus, /var/lib/gatehouse,
//                          key from a systemd credential or a 0600 key file
#include "credentialkeystore.h"
#include "crypto/selftest.h"
#include "dbusapi.h"
#include "processhardening.h"
#include "quitonsignal.h"
#include "service.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDBusConnection>
#include <QDBusError>
#include <QFileInfo>
#include <QTimer>

#include <csignal>
#include <cstdio>
#include <cstdlib>

int main(int argc, char** argv) {
    gh::disableCoreDumps();
    std::signal(SIGPIPE, SIG_IGN); // a client that hangs up must not end the service
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("gatehoused"));
    QCoreApplication::setApplicationVersion(QStringLiteral(GATEHOUSE_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Gatehouse service: owns the vault, serves io.gatehouse.Gatehouse1."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption session(QStringLiteral("session"), QStringLiteral("Session mode (default)."));
    const QCommandLineOption system(QStringLiteral("system"), QStringLiteral("System mode (the systemd service)."));
    const QCommandLineOption stateDir(
        QStringLiteral("state-directory"),
        QStringLiteral("System mode: where the vault lives (default /var/lib/gatehouse)."), QStringLiteral("DIR"),
        QStringLiteral("/var/lib/gatehouse"));
    const QCommandLineOption permissionsDir(
        QStringLiteral("permissions-directory"),
        QStringLiteral("Where applications declare their permissions (<app_id>.conf; default: "
                       "/usr/share/gatehouse/permissions in system mode, $XDG_DATA_DIRS/gatehouse/permissions in "
                       "session mode). May be given more than once; the first wins for an application."),
        QStringLiteral("DIR"));
    parser.addOptions({session, system, stateDir, permissionsDir});
    parser.process(app);

    // Known-answer tests before any secret is handled (STYLE.md #12).
    const gh::crypto::SelfTestReport selfTest = gh::crypto::runSelfTest();
    if (!selfTest.passed) {
        std::fprintf(stderr, "gatehoused: cryptographic self-test failed (%s); refusing to run.\n",
                     qPrintable(selfTest.failedCheck));
        return 1;
    }

    gh::service::Service::Options options;
    options.systemMode = parser.isSet(system);
    std::unique_ptr<gh::KeyStore> keys;
    QDBusConnection bus(QString{});
    const QByteArray address = qgetenv(gh::dbus::kBusAddressEnv);
    if (!address.isEmpty())
        bus = QDBusConnection::connectToBus(QString::fromUtf8(address), QStringLiteral("gatehoused"));
    else
        bus = options.systemMode ? QDBusConnection::systemBus() : QDBusConnection::sessionBus();
    if (options.systemMode) {
        const QString dir =
            QFileInfo(qEnvironmentVariable("STATE_DIRECTORY", parser.value(stateDir))).absoluteFilePath();
        options.defaultVault = dir + QStringLiteral("/vault.db");
        keys = std::make_unique<gh::service::CredentialKeyStore>(dir + QStringLiteral("/vault.key"));
        options.services.keys = keys.get();
    } else {
        options.defaultVault = gh::Gatehouse::defaultVaultPath();
    }
    if (parser.isSet(permissionsDir))
        options.services.permissionDirs = parser.values(permissionsDir);
    else if (options.systemMode)
        options.services.permissionDirs = gh::AppPermissions::defaultDirs(true);
    if (!bus.isConnected()) {
        std::fprintf(stderr, "gatehoused: no D-Bus connection: %s\n", qPrintable(bus.lastError().message()));
        return 1;
    }

    gh::service::Service service(bus, options);
    if (gh::Status s = service.start(); !s) {
        if (s.error().code == gh::Errc::ServiceUnavailable) {
            // The name is taken: another instance serves. In session mode that is the loser of two
            // clients racing to start one, which leaves quietly; a second system instance is a mistake.
            std::fprintf(stderr, "gatehoused: %s\n", qPrintable(s.error().detail));
            return options.systemMode ? 1 : 0;
        }
        std::fprintf(stderr, "gatehoused: %s%s%s\n", qPrintable(gh::describe(s.error())),
                     s.error().detail.isEmpty() ? "" : " — ", qPrintable(s.error().detail));
        return 1;
    }
    // The bus is our lifeline: when it goes (the desktop session or the test's private bus ends),
    // so do we.
    gh::service::quitOnTerminationSignals();
    QTimer lifeline;
    QObject::connect(&lifeline, &QTimer::timeout, &app, [&bus] {
        if (!bus.isConnected())
            QCoreApplication::exit(0);
    });
    lifeline.start(1000);
    const int rc = app.exec();
    // A worker that hangs (a device that never answers, a bug) must not keep a stopping service
    // alive: after a bounded wait, leave without running destructors that would wait for it.
    if (!service.drain(gh::service::Service::kShutdownWaitMs)) {
        std::fprintf(stderr, "gatehoused: calls still running %d ms after the stop request; exiting anyway\n",
                     gh::service::Service::kShutdownWaitMs);
        std::fflush(stderr);
        std::_Exit(rc);
    }
    return rc;
}
