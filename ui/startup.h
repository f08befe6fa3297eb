// What main() and the GUI tests share to bring the QML up the same way.
#pragma once

#include <QString>
#include <QUrl>

QT_BEGIN_NAMESPACE
class QQmlEngine;
QT_END_NAMESPACE

namespace gh::ui {

// The Qt Quick Controls style, and the scene graph: the software renderer on a machine without a
// GPU (no /dev/dri render node) unless QT_QUICK_BACKEND or QSG_RHI_BACKEND says otherwise. Call
// before the first QML engine and window exist.
void applyStyle();
// Whether the machine has a GPU render node (/dev/dri/renderD*).
bool hasGpu();
// Loads the translation for the system locale (embedded, qrc:/i18n/gatehouse_<lang>.qm) once per
// process; returns its language ("de_DE"), empty when the locale has none (the strings stay English).
QString installTranslations();
// Installs the translations, then the import path for the Gatehouse.Ui module (it lives in the
// resources under qrc:/Gatehouse/Ui).
void prepareEngine(QQmlEngine& engine);
// The main window's QML file.
QUrl mainQml();

} // namespace gh::ui
