// gatehousectl-test: the real gatehousectl (app/gatehousectl's library, the same sources) with one
// test seam, never installed:
//   GATEHOUSE_TEST_SOFTFIDO_STATE=FILE  a software security key (statefilekey.h) instead of hidraw
//                                       devices, installed in this client's gh::Client — the
//                                       ceremony runs at the seat, never in the service
// The production gatehousectl has no such seam (app/gatehousectl/main.cpp).
#include "commands.h"
#include "gatehouseclient.h"
#include "processhardening.h"
#include "statefilekey.h"

#include <QCoreApplication>

int main(int argc, char* argv[]) {
    gh::disableCoreDumps();
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("gatehousectl"));
    QCoreApplication::setOrganizationName(QStringLiteral("Gatehouse"));

    std::unique_ptr<gh::test::StateFileKey> key;
    if (const QString path = qEnvironmentVariable("GATEHOUSE_TEST_SOFTFIDO_STATE"); !path.isEmpty()) {
        key = std::make_unique<gh::test::StateFileKey>(path);
        gh::Client::setDefaultSecurityKeyTransport(key.get());
    }
    QStringList arguments = QCoreApplication::arguments();
    arguments.removeFirst();
    return gh::cli::run(arguments);
}
