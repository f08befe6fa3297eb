// bench_bare_window: the baseline for bench_startup. A bare Qt Quick window (one Window, one
// Text) with the same start-up hook as the gatehouse GUI: with GATEHOUSE_BENCH_FIRST_FRAME=1 it
// prints "first-frame" on stdout at the first QQuickWindow::frameSwapped and exits.
// Built twice: bench_controls_window (GH_CONTROLS_WINDOW) shows Controls.qml in the Fusion style.
#include <QDir>
#include <QGuiApplication>
#include <QMetaObject>
#include <QQmlApplicationEngine>
#include <QQuickWindow>
#include <QUrl>
#ifdef GH_CONTROLS_WINDOW
#include <QQuickStyle>
#endif

#include <atomic>
#include <cstdio>

int main(int argc, char** argv) {
    QGuiApplication app(argc, argv);
    // The GUI's renderer rule (ui/startup.cpp applyStyle), so both draw the same way: the
    // software scene graph on a machine without a GPU render node.
    if (QDir(QStringLiteral("/dev/dri")).entryList({QStringLiteral("renderD*")}, QDir::System).isEmpty() &&
        qEnvironmentVariableIsEmpty("QT_QUICK_BACKEND") && qEnvironmentVariableIsEmpty("QSG_RHI_BACKEND"))
        QQuickWindow::setGraphicsApi(QSGRendererInterface::Software);
    const bool benchHook = qEnvironmentVariableIntValue("GATEHOUSE_BENCH_FIRST_FRAME") == 1;

    QQmlApplicationEngine engine;
    QObject::connect(&engine, &QQmlApplicationEngine::objectCreated, &app,
                     [&app, benchHook](QObject* object, const QUrl&) {
                         if (!object) {
                             QCoreApplication::exit(1);
                             return;
                         }
                         auto* window = qobject_cast<QQuickWindow*>(object);
                         if (!benchHook || !window)
                             return;
                         // frameSwapped comes from the render thread: report there, at once, and
                         // let the GUI thread quit.
                         QObject::connect(
                             window, &QQuickWindow::frameSwapped, window,
                             [&app] {
                                 static std::atomic_bool reported{false};
                                 if (reported.exchange(true))
                                     return;
                                 std::fputs("first-frame\n", stdout);
                                 std::fflush(stdout);
                                 QMetaObject::invokeMethod(&app, &QCoreApplication::quit, Qt::QueuedConnection);
                             },
                             Qt::DirectConnection);
                     });
#ifdef GH_CONTROLS_WINDOW
    QQuickStyle::setStyle(QStringLiteral("Fusion")); // as ui/startup.cpp
    engine.load(QUrl(QStringLiteral("qrc:/Controls.qml")));
#else
    engine.load(QUrl(QStringLiteral("qrc:/Main.qml")));
#endif
    return app.exec();
}
