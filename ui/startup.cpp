#include "startup.h"

#include <QCoreApplication>
#include <QDir>
#include <QLibraryInfo>
#include <QLocale>
#include <QQmlComponent>
#include <QQmlEngine>
#include <QQuickStyle>
#include <QQuickWindow>
#include <QTranslator>

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

QString installTranslations() {
    static QTranslator* ours = nullptr;
    if (ours)
        return ours->language();
    // The screens' strings are written in English: English needs only the plural forms
    // (gatehouse_en: "1 user", "2 users"), other languages their own file. QLocale() follows
    // LC_ALL, LC_MESSAGES and LANG (LANGUAGE orders the languages); no glibc locale data needed.
    // A locale without a file (C, fr_FR…) gets the English one.
    auto* translator = new QTranslator(QCoreApplication::instance());
    if (!translator->load(QLocale(), QStringLiteral("gatehouse"), QStringLiteral("_"), QStringLiteral(":/i18n")) &&
        !translator->load(QStringLiteral(":/i18n/gatehouse_en"))) {
        delete translator;
        return {};
    }
    QCoreApplication::installTranslator(translator);
    ours = translator;
    // Qt's own strings (the file dialog's buttons) when Debian's qt6-translations-l10n is present.
    auto* qt = new QTranslator(QCoreApplication::instance());
    if (qt->load(QLocale(), QStringLiteral("qt"), QStringLiteral("_"),
                 QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QCoreApplication::installTranslator(qt);
    else
        delete qt;
    return ours->language();
}

void prepareEngine(QQmlEngine& engine) {
    installTranslations();
    engine.addImportPath(QStringLiteral("qrc:/"));
    // The first real screen is one of these two: compiling them on the engine's loader thread while
    // the window is built lets the screen Loader find them ready (issue 15 item 8).
    for (const char* screen : {"Login.qml", "FirstRun.qml"})
        new QQmlComponent(&engine, mainQml().resolved(QUrl(QLatin1String(screen))), QQmlComponent::Asynchronous,
                          &engine);
}

QUrl mainQml() {
    return QUrl(QStringLiteral("qrc:/Gatehouse/Ui/qml/Main.qml"));
}

} // namespace gh::ui
