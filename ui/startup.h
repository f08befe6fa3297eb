// What main() and the GUI tests share to bring the QML up the same way.
#pragma once

#include <QUrl>

QT_BEGIN_NAMESPACE
class QQmlEngine;
QT_END_NAMESPACE

namespace gh::ui {

// The Qt Quick Controls style; call before the first QML engine exists.
void applyStyle();
// Import path for the Gatehouse.Ui module (it lives in the resources under qrc:/Gatehouse/Ui).
void prepareEngine(QQmlEngine& engine);
// The main window's QML file.
QUrl mainQml();

} // namespace gh::ui
