// The harness the GUI tests share: start the real Main.qml in a real window, find items by
// objectName, and drive them with real key presses and mouse clicks once their layout has settled
// (quickinput.h). The window is a client of gatehoused like in production: each test program has
// a private bus (privatebus.h) on which the GUI's gh::Client starts gatehoused-test (the service
// with two test seams) the way it starts gatehoused in session mode; the vault key is in the real
// Secret Service (tests/support/with-services.sh). Time reaches the service through a file:
// useFileClock() (fileclock.h). Security keys are the client's (the window's gh::Client runs the
// ceremony): a test installs a software key with gh::Client::setDefaultSecurityKeyTransport
// (tests/support/statefilekey.h), never in the service.
#pragma once

#include "appcontroller.h"
#include "fileclock.h"
#include "gatehouse.h"
#include "privatebus.h"
#include "quickinput.h"
#include "secretinput.h"
#include "startup.h"

#include <QDir>
#include <QImage>
#include <QQmlApplicationEngine>
#include <QQuickItem>
#include <QQuickWindow>
#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <memory>

#ifndef GATEHOUSED_TEST_PATH
#error "GUI tests name the service program: GATEHOUSED_TEST_PATH (tests/ui/CMakeLists.txt)"
#endif

namespace gh::test {

class GuiDriver {
protected:
    // Cheap Argon2 parameters for a test that seeds a vault through its own in-process facade
    // (the service hashes with the policy's parameters).
    static Services testServices() {
        Services services; // real clock, randomness and Secret Service
        services.hashParams = Argon2Params::testing();
        services.kdfParams = Argon2Params::testing();
        return services;
    }

    // The service's clock becomes a file this test moves (FileClock::advance), starting at
    // `start`. Call before the service starts (it starts with the first window, or earlier with
    // a test's own gh::Client); give a seeding facade the same clock (services.clock) so times agree.
    FileClock& useFileClock(const QDateTime& start = QDateTime::currentDateTimeUtc()) {
        if (!m_clock) {
            m_clock = std::make_unique<FileClock>(m_files.filePath(QStringLiteral("clock")));
            m_clock->reset(start);
            qputenv("GATEHOUSE_TEST_CLOCK", m_files.filePath(QStringLiteral("clock")).toUtf8());
        }
        return *m_clock;
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

    // Loads the app on `vault`, waits until its window is exposed and active and, unless told
    // otherwise, until the service has answered (the Starting screen gave way to the first real
    // one; m_screens records the way).
    bool launch(const QString& vault, bool waitForFirstScreen = true) {
        ui::AppController::setOptions({vault});
        m_engine = std::make_unique<QQmlApplicationEngine>();
        ui::prepareEngine(*m_engine);
        m_engine->load(ui::mainQml());
        if (m_engine->rootObjects().isEmpty())
            return false;
        m_window = qobject_cast<QQuickWindow*>(m_engine->rootObjects().constFirst());
        m_app = m_engine->singletonInstance<ui::AppController*>(qmlTypeId("Gatehouse.Ui", 1, 0, "AppController"));
        if (!m_app)
            return false;
        m_screens = {m_app->screen()};
        QObject::connect(m_app, &ui::AppController::screenChanged, m_app, [this] { m_screens << m_app->screen(); });
        if (!m_window || !QTest::qWaitForWindowExposed(m_window))
            return false;
        m_window->requestActivate();
        if (!QTest::qWaitForWindowActive(m_window))
            return false;
        return !waitForFirstScreen ||
               QTest::qWaitFor([this] { return m_app->screen() != ui::AppController::Starting; }, 30000);
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

    // A secret field (ui::SecretInput) has no readable text property; the test, in-process C++
    // like the view-models, reads what was typed through its C++ accessor.
    QString textOf(const QString& name) {
        QQuickItem* found = item(name);
        if (auto* secret = qobject_cast<ui::SecretInput*>(found))
            return secret->secretString();
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

    // First: the bus (and the service on it) outlives the window, whose controller signs out.
    PrivateBus m_privateBus{QStringLiteral(GATEHOUSED_TEST_PATH)};
    QTemporaryDir m_files; // the clock and the key state
    std::unique_ptr<FileClock> m_clock;
    std::unique_ptr<QQmlApplicationEngine> m_engine;
    QQuickWindow* m_window = nullptr;
    ui::AppController* m_app = nullptr;
    QList<ui::AppController::Screen> m_screens; // since launch(), the first being Starting
};

} // namespace gh::test
