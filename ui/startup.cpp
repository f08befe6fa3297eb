#include "startup.h"

#include <QQmlEngine>
#include <QQuickStyle>

namespace gh::ui {

void applyStyle() {
    QQuickStyle::setStyle(QStringLiteral("Fusion"));
}

void prepareEngine(QQmlEngine& engine) {
    engine.addImportPath(QStringLiteral("qrc:/"));
}

QUrl mainQml() {
    return QUrl(QStringLiteral("qrc:/Gatehouse/Ui/qml/Main.qml"));
}

} // namespace gh::ui
