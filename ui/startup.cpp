#include "startup.h"

#include <QDir>
#include <QQmlEngine>
#include <QQuickStyle>
#include <QQuickWindow>

namespace gh::ui {

bool hasGpu() {
    return !QDir(QStringLiteral("/dev/dri")).entryList({QStringLiteral("renderD*")}, QDir::System).isEmpty();
}

void applyStyle() {
    QQuickStyle::setStyle(QStringLiteral("Fusion"));
    // Without a GPU, OpenGL is Mesa's llvmpipe: an LLVM JIT that costs about 100 MB resident and
    // a slower start for a window of flat 2D controls. Qt Quick's software scene graph draws the
    // same screens with QPainter (issue 15 item 8). A choice made in the environment wins.
    if (!hasGpu() && qEnvironmentVariableIsEmpty("QT_QUICK_BACKEND") && qEnvironmentVariableIsEmpty("QSG_RHI_BACKEND"))
        QQuickWindow::setGraphicsApi(QSGRendererInterface::Software);
}

void prepareEngine(QQmlEngine& engine) {
    engine.addImportPath(QStringLiteral("qrc:/"));
}

QUrl mainQml() {
    return QUrl(QStringLiteral("qrc:/Gatehouse/Ui/qml/Main.qml"));
}

} // namespace gh::ui
