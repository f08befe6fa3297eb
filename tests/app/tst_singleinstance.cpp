// Issue 15: one Gatehouse window per desktop session. The real `gatehouse` binary on the session
// bus of tests/support/with-services.sh (and Xvfb), its service on a private bus: a second launch
// asks the first to come to the front (org.freedesktop.Application.Activate on
// io.gatehouse.Gatehouse) and exits without a window of its own; once the first has quit, the
// next launch is the first again. The window carries the app icon.
#include "privatebus.h"

#include <QDBusConnection>
#include <QDBusConnectionInterface>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

namespace {

const QString kAppId = QStringLiteral("io.gatehouse.Gatehouse");

bool appIdOwned() {
    return QDBusConnection::sessionBus().interface()->isServiceRegistered(kAppId).value();
}

// The X window ids of class gatehouse: the windows `gatehouse` shows (xwininfo, x11-utils; Qt's
// 1×1 client-leader window has no class).
QStringList gatehouseWindowIds() {
    QProcess x;
    x.start(QStringLiteral("xwininfo"), {QStringLiteral("-root"), QStringLiteral("-tree")});
    x.waitForFinished(10000);
    QStringList ids;
    for (const QByteArray& line : x.readAllStandardOutput().split('\n'))
        if (line.contains("(\"gatehouse\" \"gatehouse\")"))
            ids << QString::fromLatin1(line.trimmed().split(' ').value(0));
    return ids;
}
int gatehouseWindows() {
    return int(gatehouseWindowIds().size());
}

// The window's icon as the window manager reads it (_NET_WM_ICON, xprop): its first size.
QByteArray iconOf(const QString& windowId) {
    QProcess x;
    x.start(QStringLiteral("xprop"), {QStringLiteral("-id"), windowId, QStringLiteral("_NET_WM_ICON")});
    x.waitForFinished(10000);
    return x.readAllStandardOutput().left(120);
}

} // namespace

class TestSingleInstance : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() {
        QVERIFY2(QDBusConnection::sessionBus().isConnected(), "run inside tests/support/with-services.sh");
        QVERIFY2(!appIdOwned(), "another Gatehouse already owns io.gatehouse.Gatehouse on this bus");
    }

    void secondLaunchRaisesTheFirst() {
        gh::test::PrivateBus bus; // the service the windows start, on a bus of its own
        QVERIFY(bus.ok());
        QTemporaryDir dir;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("XDG_DATA_HOME"), dir.path());
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("xcb"));
        const QStringList args{QStringLiteral("--vault"), dir.filePath(QStringLiteral("vault.db"))};
        const int before = gatehouseWindows();

        QProcess first;
        first.setProcessEnvironment(env);
        first.start(QStringLiteral(GATEHOUSE_GUI_PATH), args);
        QVERIFY(first.waitForStarted(10000));
        QTRY_VERIFY_WITH_TIMEOUT(appIdOwned(), 30000);
        QTRY_COMPARE_WITH_TIMEOUT(gatehouseWindows(), before + 1, 30000);
        // The app icon, also when run from the build tree (no installed theme icon); it is set
        // once the window has shown its first frame.
        const QString windowId = gatehouseWindowIds().constLast();
        QTRY_VERIFY2_WITH_TIMEOUT(iconOf(windowId).startsWith("_NET_WM_ICON(CARDINAL) = "),
                                  iconOf(windowId).constData(), 10000);

        QProcess second;
        second.setProcessEnvironment(env);
        second.start(QStringLiteral(GATEHOUSE_GUI_PATH), args);
        QVERIFY(second.waitForFinished(20000));
        QCOMPARE(second.exitStatus(), QProcess::NormalExit);
        QCOMPARE(second.exitCode(), 0);
        QVERIFY2(second.readAllStandardError().contains("already running"), "the second launch says why it left");
        // The first was asked to come to the front, and it is still the only window.
        QByteArray log;
        QTRY_VERIFY_WITH_TIMEOUT((log += first.readAllStandardError()).contains("activated by another launch"), 10000);
        QCOMPARE(gatehouseWindows(), before + 1);
        QCOMPARE(first.state(), QProcess::Running);

        // Once the first has quit, a launch is the first again.
        first.terminate();
        QVERIFY(first.waitForFinished(20000));
        QTRY_VERIFY_WITH_TIMEOUT(!appIdOwned(), 10000);
        QProcess third;
        third.setProcessEnvironment(env);
        third.start(QStringLiteral(GATEHOUSE_GUI_PATH), args);
        QVERIFY(third.waitForStarted(10000));
        QTRY_VERIFY_WITH_TIMEOUT(appIdOwned(), 30000);
        QCOMPARE(third.state(), QProcess::Running);
        third.terminate();
        QVERIFY(third.waitForFinished(20000));
    }
};

QTEST_GUILESS_MAIN(TestSingleInstance)
#include "tst_singleinstance.moc"
