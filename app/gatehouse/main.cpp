// gatehouse: the desktop GUI. A thin main: core dumps off, options, then the QML window. All
// behaviour lives in ui/ (view-models + QML); accounts, sessions and the vault live in gatehoused,
// reached through client/ (gh::Client). The crypto self-test runs there, where the crypto is.
#include "appcontroller.h"
#include "gatehouseclient.h"
#include "processhardening.h"
#include "singleinstance.h"
#include "startup.h"
#include "warmup.h"

#include <QCommandLineParser>
#include <QFileInfo>
#include <QGuiApplication>
#include <QIcon>
#include <QQmlApplicationEngine>
#include <QQuickWindow>
#include <QScopeGuard>
#include <QtQml/QQmlExtensionPlugin>

#include <atomic>
#include <cstdio>
#include <string_view>
#include <unistd.h>

Q_IMPORT_QML_PLUGIN(Gatehouse_UiPlugin)

namespace {

// Whether the command line asks only for text (--help, --help-all, --version), which is printed
// without a window: then the application needs no display (the offscreen platform), where it would
// otherwise abort for want of one. The value of --vault is skipped ("--vault -v" opens a vault).
bool asksOnlyForText(int argc, char* argv[]) {
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        if (arg == "--vault")
            ++i;
        else if (arg == "-h" || arg == "--help" || arg == "--help-all" || arg == "-v" || arg == "--version")
            return true;
    }
    return false;
}

// Whether there is a display to show the window on: a platform chosen in the environment or on the
// command line (-platform, which Qt also reads as --platform) is taken as one. Without any, Qt's xcb
// platform aborts with a page about plugins that suggests reinstalling (over ssh, from a cron job).
bool displayNamed(int argc, char* argv[]) {
    if (!qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM") || !qEnvironmentVariableIsEmpty("DISPLAY") ||
        !qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY"))
        return true;
    // A Wayland session whose launcher left WAYLAND_DISPLAY out: Qt then tries the default socket.
    if (qEnvironmentVariable("XDG_SESSION_TYPE") == QLatin1String("wayland") ||
        (!qEnvironmentVariableIsEmpty("XDG_RUNTIME_DIR") &&
         QFileInfo::exists(qEnvironmentVariable("XDG_RUNTIME_DIR") + QStringLiteral("/wayland-0"))))
        return true;
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        if (arg == "--vault")
            ++i;
        else if (arg == "-platform" || arg == "--platform")
            return true;
    }
    return false;
}

// The icon built into the program: the same SVG the package installs in the icon theme, without a
// theme lookup. Set once the window has shown its first frame: for X11 the SVG is drawn at four sizes,
// which cost 7 to 9 ms before that frame (issue 15 item 8); the window manager shows the icon as soon
// as it is set.
void setIconAfterFirstFrame(QQuickWindow* window) {
    const auto setIcon = [] {
        QGuiApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/io.gatehouse.Gatehouse.svg")));
    };
    if (window)
        QObject::connect(window, &QQuickWindow::frameSwapped, qApp, setIcon,
                         Qt::ConnectionType(Qt::QueuedConnection | Qt::SingleShotConnection));
    else
        setIcon();
}

} // namespace

int main(int argc, char* argv[]) {
    gh::disableCoreDumps(); // passwords and session tokens pass through this process
    // Text only, or nowhere to show a window: the offscreen platform, so that the options are still
    // read (--help, an unknown option) before saying there is no display.
    const bool hasDisplay = displayNamed(argc, argv);
    if (!hasDisplay || asksOnlyForText(argc, argv))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    gh::app::WarmUp warmUp; // on a second core, while the application object is built (warmup.h)
    QGuiApplication app(argc, argv);
    warmUp.applicationBuilt();
    const auto beforeTheApplicationGoes = qScopeGuard([&warmUp] { warmUp.finish(); });
    QGuiApplication::setApplicationName(QStringLiteral("gatehouse"));
    QGuiApplication::setOrganizationName(QStringLiteral("Gatehouse")); // QSettings: ~/.config/Gatehouse/gatehouse.conf
    QGuiApplication::setApplicationDisplayName(QStringLiteral("Gatehouse"));
    QGuiApplication::setApplicationVersion(QStringLiteral(GATEHOUSE_VERSION));
    QGuiApplication::setDesktopFileName(QStringLiteral("io.gatehouse.Gatehouse")); // matches the installed .desktop

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Gatehouse: identity and session manager"));
    const QCommandLineOption help = parser.addHelpOption();
    const QCommandLineOption version = parser.addVersionOption();
    const QCommandLineOption vaultOption(
        QStringLiteral("vault"),
        QStringLiteral("Open the vault at PATH (default: %1).").arg(gh::Client::defaultVaultPath()),
        QStringLiteral("PATH"));
    parser.addOption(vaultOption);
    if (!parser.parse(QCoreApplication::arguments()) || parser.isSet(help) || parser.isSet(version) ||
        parser.isSet(QStringLiteral("help-all"))) {
        warmUp.finish(); // process() prints and exits: not with the thread running
        parser.process(app);
    }

    if (!hasDisplay) {
        std::fputs("gatehouse: no display to show the window on (DISPLAY and WAYLAND_DISPLAY are not set).\n"
                   "From a terminal, gatehousectl does the same; see gatehousectl --help.\n",
                   stderr);
        return 1;
    }

    gh::app::SingleInstance instance;
    if (instance.claim() == gh::app::SingleInstance::Claim::HandedOff) {
        std::fputs("gatehouse: already running; its window was brought to the front.\n", stderr);
        return 0;
    }

    gh::ui::AppController::setOptions({parser.value(vaultOption)});
    gh::ui::applyStyle();

    QQmlApplicationEngine engine;
    gh::ui::prepareEngine(engine);
    engine.load(gh::ui::mainQml());
    if (engine.rootObjects().isEmpty())
        return 1;

    // Benchmark hooks: GATEHOUSE_BENCH_FIRST_FRAME=1 (bench/bench_startup) reports the window's
    // first frame, whatever it shows, and leaves at once; =2 waits for the first frame of the
    // first real screen, after the service has answered (and, in session mode, started).
    const int benchHook = qEnvironmentVariableIntValue("GATEHOUSE_BENCH_FIRST_FRAME");
    auto* window = qobject_cast<QQuickWindow*>(engine.rootObjects().constFirst());
    instance.setWindow(window);
    setIconAfterFirstFrame(window);
    if (window && (benchHook == 1 || benchHook == 2)) {
        static std::atomic<bool> ready{benchHook == 1};
        auto* controller =
            engine.singletonInstance<gh::ui::AppController*>(qmlTypeId("Gatehouse.Ui", 1, 0, "AppController"));
        if (controller && benchHook == 2) {
            ready = controller->screen() != gh::ui::AppController::Starting;
            QObject::connect(controller, &gh::ui::AppController::screenChanged, controller,
                             [controller] { ready = controller->screen() != gh::ui::AppController::Starting; });
        }
        QObject::connect(
            window, &QQuickWindow::frameSwapped, window,
            [] {
                if (!ready)
                    return;
                std::fputs("first-frame\n", stdout);
                std::fflush(stdout);
                ::_exit(0);
            },
            Qt::DirectConnection);
    }
    return QGuiApplication::exec();
}
