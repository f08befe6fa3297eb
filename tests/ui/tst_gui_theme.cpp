// Issue 15, dark mode: the palette follows the desktop's colour scheme through the XDG desktop
// portal (a stand-in portal on this test's session bus answers Settings.Read and emits
// SettingChanged, as xdg-desktop-portal does), and without a portal the person's choice from the
// header toggle is remembered for the next start.
#include "colorscheme.h"
#include "startup.h"

#include <QDBusConnection>
#include <QDBusConnectionInterface>
#include <QDBusMessage>
#include <QDBusVariant>
#include <QQmlComponent>
#include <QQmlEngine>
#include <QSettings>
#include <QtQml/QQmlExtensionPlugin>
#include <QtTest>

Q_IMPORT_QML_PLUGIN(Gatehouse_UiPlugin)

namespace {

// org.freedesktop.portal.Settings with one setting, on a connection of its own.
class FakePortal : public QObject {
    Q_OBJECT
    Q_CLASSINFO("D-Bus Interface", "org.freedesktop.portal.Settings")
public:
    uint scheme = 0;
public Q_SLOTS:
    Q_SCRIPTABLE QDBusVariant Read(const QString& ns, const QString& key) {
        if (ns == QLatin1String("org.freedesktop.appearance") && key == QLatin1String("color-scheme"))
            return QDBusVariant(QVariant::fromValue(QDBusVariant(scheme))); // v of v, like older portals
        return QDBusVariant(QVariant());
    }
};

const QString kPortalName = QStringLiteral("org.freedesktop.portal.Desktop");
const QString kPortalPath = QStringLiteral("/org/freedesktop/portal/desktop");

// Theme.dark as QML sees it, in a fresh engine (a fresh ColorScheme: a new start of the window).
class ThemeProbe {
public:
    ThemeProbe() {
        gh::ui::prepareEngine(engine);
        QQmlComponent c(&engine);
        c.setData("import QtQuick\nimport Gatehouse.Ui\nQtObject { property bool dark: Theme.dark }", QUrl());
        object.reset(c.create());
    }
    bool dark() const { return object && object->property("dark").toBool(); }
    gh::ui::ColorScheme* scheme() {
        return engine.singletonInstance<gh::ui::ColorScheme*>(qmlTypeId("Gatehouse.Ui", 1, 0, "ColorScheme"));
    }
    QQmlEngine engine;
    std::unique_ptr<QObject> object;
};

} // namespace

class tst_GuiTheme : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init() { QSettings().remove(QString::fromLatin1(gh::ui::ColorScheme::kSettingsKey)); }

    void withoutAPortalTheChoiceIsRemembered() {
        QVERIFY(!QDBusConnection::sessionBus().interface()->isServiceRegistered(kPortalName).value());
        {
            ThemeProbe first;
            QVERIFY(first.object);
            QVERIFY(!first.dark()); // the default is light
            first.scheme()->toggle();
            QVERIFY(first.dark());
            QVERIFY(!first.scheme()->followsDesktop());
        }
        ThemeProbe next; // the next start
        QVERIFY(next.dark());
        QTest::qWait(300); // the portal read fails (no portal) and changes nothing
        QVERIFY(next.dark());
    }

    void followsTheDesktopLive() {
        // The portal on a second connection to the session bus: calls to it travel over the bus.
        QDBusConnection portalBus = QDBusConnection::connectToBus(
            QString::fromLocal8Bit(qgetenv("DBUS_SESSION_BUS_ADDRESS")), QStringLiteral("fake-portal"));
        QVERIFY(portalBus.isConnected());
        FakePortal portal;
        portal.scheme = 1; // prefer dark
        QVERIFY(portalBus.registerObject(kPortalPath, &portal, QDBusConnection::ExportScriptableSlots));
        QVERIFY(portalBus.registerService(kPortalName));

        ThemeProbe probe; // remembered: light (init)
        QVERIFY(!probe.dark());
        QTRY_VERIFY(probe.dark()); // the portal's answer arrives
        QVERIFY(probe.scheme()->followsDesktop());

        // The desktop switches to light, then back to dark: followed at once.
        const auto changed = [&](uint scheme) {
            QDBusMessage signal = QDBusMessage::createSignal(
                kPortalPath, QStringLiteral("org.freedesktop.portal.Settings"), QStringLiteral("SettingChanged"));
            signal << QStringLiteral("org.freedesktop.appearance") << QStringLiteral("color-scheme")
                   << QVariant::fromValue(QDBusVariant(scheme));
            QVERIFY(portalBus.send(signal));
        };
        changed(2);
        QTRY_VERIFY(!probe.dark());
        changed(1);
        QTRY_VERIFY(probe.dark());
        // The toggle still works (and is remembered); another desktop change wins again.
        probe.scheme()->toggle();
        QVERIFY(!probe.dark());
        QVERIFY(!probe.scheme()->followsDesktop());
        changed(1);
        QTRY_VERIFY(probe.dark());
        // No preference from the desktop: the remembered choice (light, from the toggle).
        changed(0);
        QTRY_VERIFY(!probe.dark());

        portalBus.unregisterService(kPortalName);
        QDBusConnection::disconnectFromBus(QStringLiteral("fake-portal"));
    }
};

QTEST_MAIN(tst_GuiTheme)
#include "tst_gui_theme.moc"
