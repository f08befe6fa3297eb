// gatehoused-test: the real service (app/gatehoused's library) with two test seams, never
// installed. Tests that drive the real CLI or GUI through the service use it where they need
// to control what the installed service takes from the machine:
//   GATEHOUSE_TEST_CLOCK=FILE           the clock (tests/support/fileclock.h), moved by the test
//   GATEHOUSE_TEST_SOFTFIDO_STATE=FILE  a software security key instead of hidraw devices; the
//                                       key's state is reloaded from FILE before every call when
//                                       the test changed it, and written back after every call
// Everything else (bus, vault, Secret Service, peer credentials) is the production code path.
#include "fileclock.h"
#include "processhardening.h"
#include "quitonsignal.h"
#include "service.h"
#include "softfido.h"

#include "dbusapi.h"

#include <QCoreApplication>
#include <QDBusConnection>
#include <QFile>
#include <QSaveFile>
#include <QTimer>

#include <csignal>
#include <cstdio>
#include <mutex>

namespace {

// Delegates to the soft key loaded from the state file (no file: no key plugged in).
class StateFileKey final : public gh::Fido2Transport {
public:
    explicit StateFileKey(QString path) : m_path(std::move(path)) {}
    QList<gh::Fido2DeviceInfo> devices() override {
        std::lock_guard guard(m_lock);
        return m_key ? m_key->devices() : QList<gh::Fido2DeviceInfo>();
    }
    int prepare(fido_dev_t* dev, const QString& path) override {
        std::lock_guard guard(m_lock);
        return m_key ? m_key->prepare(dev, path) : -1;
    }
    void reload() {
        std::lock_guard guard(m_lock);
        QFile f(m_path);
        if (!f.open(QIODevice::ReadOnly)) {
            m_key.reset();
            m_saved.clear();
            return;
        }
        const QByteArray bytes = f.readAll();
        if (m_key && bytes == m_saved)
            return;
        m_key = std::make_unique<gh::test::SoftFido>(gh::test::SoftFido::load(bytes));
        m_saved = bytes;
    }
    void save() {
        std::lock_guard guard(m_lock);
        if (!m_key)
            return;
        const QByteArray bytes = m_key->save();
        if (bytes == m_saved)
            return;
        QSaveFile f(m_path);
        if (f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size() && f.commit())
            m_saved = bytes;
    }

private:
    QString m_path;
    std::mutex m_lock;
    std::unique_ptr<gh::test::SoftFido> m_key;
    QByteArray m_saved;
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
    std::unique_ptr<StateFileKey> key;
    if (const QString path = qEnvironmentVariable("GATEHOUSE_TEST_SOFTFIDO_STATE"); !path.isEmpty()) {
        key = std::make_unique<StateFileKey>(path);
        options.services.fido2 = key.get();
        options.beforeCall = [k = key.get()] { k->reload(); };
        options.afterCall = [k = key.get()] { k->save(); };
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
