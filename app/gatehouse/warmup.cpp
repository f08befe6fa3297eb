#include "warmup.h"

#include <dlfcn.h>

#include <string>

namespace gh::app {

namespace {

// The plugins of the modules Main.qml and the first screens import (QtQuick.Controls in the Fusion
// style, its Basic fallback and implementation modules, QtQuick.Layouts, QtQuick.Templates,
// QtQuick.Window, QtQml.WorkerScript), in the order the engine's loader thread asks for them.
// Relative to Qt's QML import directory. A file that is not there is skipped: Qt loads what it
// needs itself, only later.
constexpr const char* kPlugins[] = {
    "QtQml/WorkerScript/libworkerscriptplugin.so",
    "QtQuick/Controls/libqtquickcontrols2plugin.so",
    "QtQuick/Controls/Fusion/libqtquickcontrols2fusionstyleplugin.so",
    "QtQuick/Controls/Basic/libqtquickcontrols2basicstyleplugin.so",
    "QtQuick/Controls/impl/libqtquickcontrols2implplugin.so",
    "QtQuick/Layouts/libqquicklayoutsplugin.so",
    "QtQuick/Templates/libqtquicktemplates2plugin.so",
    "QtQuick/Controls/Fusion/impl/libqtquickcontrols2fusionstyleimplplugin.so",
    "QtQuick/Window/libquickwindowplugin.so",
};

void warmUp() {
    // fontconfig is loaded with Qt's GUI library; its first use parses every configuration file and
    // maps the font cache. Done here, Qt's first text layout finds it ready (fontconfig's
    // initialisation is thread-safe).
    using FcInitFn = int (*)();
    if (auto init = reinterpret_cast<FcInitFn>(dlsym(RTLD_DEFAULT, "FcInit")))
        init();
    // Mapped, relocated and initialised now; the engine's dlopen of the same file then only counts a
    // reference. The handles are kept: the plugins stay loaded for the life of the process anyway.
    const std::string dir = GH_QT_QML_DIR "/";
    for (const char* plugin : kPlugins)
        dlopen((dir + plugin).c_str(), RTLD_LAZY | RTLD_LOCAL);
}

} // namespace

WarmUp::WarmUp() : thread_(warmUp) {}

WarmUp::~WarmUp() {
    finish();
}

void WarmUp::finish() {
    if (thread_.joinable())
        thread_.join();
}

} // namespace gh::app
