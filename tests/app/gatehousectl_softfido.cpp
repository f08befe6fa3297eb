// gatehousectl-softfido: the gatehousectl sources with a SOFTWARE security key instead of the hidraw
// devices, for tst_cli_fido2 only (never installed). The key's whole state (credentials, counter,
// PIN, fault knobs) lives in the file named by GATEHOUSE_TEST_SOFTFIDO_STATE: loaded before the
// command, written back after it, so a test can run several commands against "the same key" and
// change its knobs in between. The installed gatehousectl has no such hook (app/gatehousectl/main.cpp).
#include "commands.h"
#include "softfido.h"

#include "crypto/selftest.h"

#include <QCoreApplication>
#include <QFile>
#include <QLoggingCategory>
#include <QSaveFile>

#include <cstdio>

int main(int argc, char* argv[]) {
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("gatehousectl"));
    QCoreApplication::setOrganizationName(QStringLiteral("Gatehouse"));
    QLoggingCategory::setFilterRules(QStringLiteral("gatehouse.*=false"));
    if (!gh::crypto::runSelfTest().passed) {
        std::fprintf(stderr, "gatehousectl-softfido: cryptographic self-test failed\n");
        return 1;
    }
    const QString statePath = qEnvironmentVariable("GATEHOUSE_TEST_SOFTFIDO_STATE");
    if (statePath.isEmpty()) {
        std::fprintf(stderr, "gatehousectl-softfido: set GATEHOUSE_TEST_SOFTFIDO_STATE to the key's state file\n");
        return 1;
    }
    gh::test::SoftFido key = [&] {
        QFile file(statePath);
        if (file.open(QIODevice::ReadOnly))
            return gh::test::SoftFido::load(file.readAll());
        return gh::test::SoftFido();
    }();
    QStringList arguments = QCoreApplication::arguments();
    arguments.removeFirst();
    const int rc = gh::cli::run(arguments, &key);
    QSaveFile out(statePath);
    if (!out.open(QIODevice::WriteOnly) || out.write(key.save()) < 0 || !out.commit()) {
        std::fprintf(stderr, "gatehousectl-softfido: cannot write the key state\n");
        return 1;
    }
    return rc;
}
