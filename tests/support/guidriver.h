// The harness the GUI tests share: start the real Main.qml in a real window (with the real
// Secret Service and cheap Argon2 parameters), find items by objectName, and drive them with
// real key presses and mouse clicks once their layout has settled (quickinput.h).
#pragma once

#include "appcontroller.h"
#include "gatehouse.h"
#include "quickinput.h"
#include "startup.h"

#include <QDir>
#include <QImage>
#include <QQmlApplicationEngine>
#include <QQuickItem>
#include <QQuickWindow>
#include <QtTest>

#include <algorithm>
#include <memory>

namespace gh::test {

class GuiDriver {
protected:
    static Services testServices() {
        Services services; // real clock, randomness and Secret Service
        services.hashParams = Argon2Params::testing();
        services.kdfParams = Argon2Params::testing();
        return services;
    }

    static QObject* findNamed(QObject* root, const QString& name) {
        if (!root)
            return nullptr;
        if (root->objectName() == name)
            return root;
        if (auto* quickItem = qobject_cast<QQuickItem*>(root)) {
            for (QQuickItem* child : quickItem->childItems())
                if (QObject* found = findNamed(child, name))
                    return found;
        }
        for (QObject* child : root->children())
            if (QObject* found = findNamed(child, name))
                return found;
        return nullptr;
    }

    // Loads the app on `vault` and waits until its window is exposed and active.
    bool launch(const QString& vault) {
        ui::AppController::setOptions({vault, testServices()});
        m_engine = std::make_unique<QQmlApplicationEngine>();
        ui::prepareEngine(*m_engine);
        m_engine->load(ui::mainQml());
        if (m_engine->rootObjects().isEmpty())
            return false;
        m_window = qobject_cast<QQuickWindow*>(m_engine->rootObjects().constFirst());
        if (!m_window || !QTest::qWaitForWindowExposed(m_window))
            return false;
        m_window->requestActivate();
        if (!QTest::qWaitForWindowActive(m_window))
            return false;
        m_app = m_engine->singletonInstance<ui::AppController*>(qmlTypeId("Gatehouse.Ui", 1, 0, "AppController"));
        return m_app != nullptr;
    }

    // Deletes the window and the AppController (which ends its session).
    void close() {
        m_engine.reset();
        m_window = nullptr;
        m_app = nullptr;
    }

    QQuickItem* item(const QString& name) {
        return qobject_cast<QQuickItem*>(findNamed(m_window->contentItem(), name));
    }

    QString textOf(const QString& name) {
        QQuickItem* found = item(name);
        return found ? found->property("text").toString() : QStringLiteral("<no item %1>").arg(name);
    }

    bool isShown(const QString& name) {
        QQuickItem* found = item(name);
        return found && found->isVisible();
    }

    void click(const QString& name) {
        QQuickItem* target = item(name);
        QVERIFY2(target, qPrintable(name));
        QTRY_VERIFY2(target->isVisible() && target->isEnabled(), qPrintable(name));
        // A page can still grow after the first scroll (Home's Roles button and health panel
        // appear once their checks answer), so scroll again until the settled target stays in view.
        QPoint centre;
        for (int attempt = 0; attempt < 5; ++attempt) {
            scrollIntoView(target);
            centre = settledCentre(target);
            if (m_window->contentItem()->contains(centre))
                break;
        }
        QVERIFY2(m_window->contentItem()->contains(centre), qPrintable(name + QStringLiteral(" is off-screen")));
        QTest::mouseClick(m_window, Qt::LeftButton, Qt::NoModifier, centre);
    }

    // Scrolls the nearest Flickable around `target` (the screens are scrollable pages) so that the
    // target is in view, as a person would before clicking it.
    static void scrollIntoView(QQuickItem* target) {
        for (QQuickItem* p = target->parentItem(); p; p = p->parentItem()) {
            if (!p->inherits("QQuickFlickable"))
                continue;
            auto* content = p->property("contentItem").value<QQuickItem*>();
            if (!content)
                return;
            const qreal y = target->mapToItem(content, QPointF(0, 0)).y();
            const qreal maxY = std::max<qreal>(0, p->property("contentHeight").toReal() - p->height());
            const qreal wanted = std::clamp<qreal>(y + target->height() / 2 - p->height() / 2, 0, maxY);
            p->setProperty("contentY", wanted);
            return;
        }
    }

    // Grabs the window once the screen's fade-in is over and saves it as <name>.png next to the
    // test binary and, for the README's pictures, in $GATEHOUSE_SCREENSHOT_DIR as well. Null when
    // the grab or a save failed.
    QImage saveScreenshot(const QString& name, bool forReadme) {
        QTest::qWait(250);
        QImage image = m_window->grabWindow();
        if (image.isNull())
            return image;
        QStringList dirs{QStringLiteral(GH_SCREENSHOT_BUILD_DIR)};
        if (forReadme && qEnvironmentVariableIsSet("GATEHOUSE_SCREENSHOT_DIR"))
            dirs << qEnvironmentVariable("GATEHOUSE_SCREENSHOT_DIR");
        for (const QString& dir : dirs) {
            const QString path = QDir(dir).filePath(name + QStringLiteral(".png"));
            if (!QDir().mkpath(dir) || !image.save(path)) {
                qWarning("could not save %s", qPrintable(path));
                return {};
            }
        }
        return image;
    }

    void typeText(const QString& text) {
        for (QChar c : text)
            QTest::keyClick(m_window, c.toLatin1());
    }

    void press(Qt::Key key) { QTest::keyClick(m_window, key); }

    std::unique_ptr<QQmlApplicationEngine> m_engine;
    QQuickWindow* m_window = nullptr;
    ui::AppController* m_app = nullptr;
};

} // namespace gh::test
