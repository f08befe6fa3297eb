#include "warmup.h"

#include <QLibraryInfo>
#include <QString>

#include <dlfcn.h>

namespace gh::app {

namespace {

// The plugins of the modules Main.qml and the first screens import (QtQuick.Controls in the Fusion
// style, its Basic fallback and implementation modules, QtQuick.Layouts, QtQuick.Templates,
// QtQuick.Window, QtQml.WorkerScript), in the order the engine's loader thread asks for them,
// relative to Qt's QML directory. A file that is not there is skipped: Qt loads what it needs itself.
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

// Where the engine will find QtQuick.Controls: the directory of the Qt this process runs with. Empty
// (nothing is preloaded) when QML_IMPORT_PATH or QML2_IMPORT_PATH may send the engine elsewhere:
// a second copy of a plugin would register its module twice, which Qt refuses with a fatal error.
std::string controlsDirectory() {
    if (!qEnvironmentVariableIsEmpty("QML_IMPORT_PATH") || !qEnvironmentVariableIsEmpty("QML2_IMPORT_PATH"))
        return {};
    return QLibraryInfo::path(QLibraryInfo::QmlImportsPath).toStdString();
}

} // namespace

WarmUp::WarmUp() : m_thread(&WarmUp::run, this, controlsDirectory()) {}

WarmUp::~WarmUp() {
    finish();
}

void WarmUp::applicationBuilt() {
    {
        const std::lock_guard lock(m_mutex);
        m_built = true;
    }
    m_changed.notify_one();
}

void WarmUp::finish() {
    {
        const std::lock_guard lock(m_mutex);
        m_finishing = true;
    }
    m_changed.notify_one();
    if (m_thread.joinable())
        m_thread.join();
}

void WarmUp::run(const std::string& qmlDir) {
    // Mapped, relocated and initialised now (their start-up code only fills Qt's registries, which
    // are guarded for this). The handles are kept: the plugins stay loaded for the process anyway.
    if (!qmlDir.empty())
        for (const char* plugin : kPlugins) {
            if (const std::lock_guard lock(m_mutex); m_finishing)
                return;
            dlopen((qmlDir + '/' + plugin).c_str(), RTLD_LAZY | RTLD_LOCAL);
        }
    {
        std::unique_lock lock(m_mutex);
        m_changed.wait(lock, [this] { return m_built || m_finishing; });
        if (!m_built || m_finishing)
            return;
    }
    // fontconfig is loaded with Qt's GUI library; its first use parses every configuration file and
    // maps the font cache. Its initialisation is thread-safe: whichever of this and Qt's own comes
    // second finds it done.
    using FcInitFn = int (*)();
    if (auto init = reinterpret_cast<FcInitFn>(dlsym(RTLD_DEFAULT, "FcInit")))
        init();
}

} // namespace gh::app
