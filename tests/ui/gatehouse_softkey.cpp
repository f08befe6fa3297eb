// gatehouse-softkey: the window of `gatehouse` (ui/ and Main.qml, unchanged) with a software
// security key in its gh::Client, for tst_gui_atspi's security-key screens (the PIN prompt), which
// a screen reader test cannot reach without a key. Test-only; never installed.
//   GATEHOUSE_TEST_SOFTKEY=FILE      the key's state (tests/support/statefilekey.h); made if absent
//   GATEHOUSE_TEST_SOFTKEY_PIN=PIN   the PIN of a key made here (then it asks for its PIN)
//   gatehouse-softkey --vault PATH
#include "appcontroller.h"
#include "gatehouseclient.h"
#include "softfido.h"
#include "startup.h"
#include "statefilekey.h"

#include <QGuiApplication>
#include <QQmlApplicationEngine>
#include <QSaveFile>
#include <QtQml/QQmlExtensionPlugin>

Q_IMPORT_QML_PLUGIN(Gatehouse_UiPlugin)

int main(int argc, char* argv[]) {
    QGuiApplication app(argc, argv);
    const QString state = qEnvironmentVariable("GATEHOUSE_TEST_SOFTKEY");
    if (state.isEmpty())
        return 2;
    if (!QFile::exists(state)) {
        gh::test::SoftFidoOptions options;
        options.pin = qgetenv("GATEHOUSE_TEST_SOFTKEY_PIN");
        options.pinSet = !options.pin.isEmpty();
        QSaveFile f(state);
        if (!f.open(QIODevice::WriteOnly) || f.write(gh::test::SoftFido(options).save()) <= 0 || !f.commit())
            return 2;
    }
    gh::test::StateFileKey key(state);
    gh::Client::setDefaultSecurityKeyTransport(&key); // before the window's client exists

    const QStringList args = QCoreApplication::arguments();
    const qsizetype vault = args.indexOf(QStringLiteral("--vault"));
    gh::ui::AppController::setOptions({vault >= 0 && vault + 1 < args.size() ? args.at(vault + 1) : QString()});
    gh::ui::applyStyle();
    QQmlApplicationEngine engine;
    gh::ui::prepareEngine(engine);
    engine.load(gh::ui::mainQml());
    return engine.rootObjects().isEmpty() ? 1 : QGuiApplication::exec();
}
