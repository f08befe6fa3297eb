// The Gatehouse window as the agent of other applications (issue 11): the real Main.qml under
// Xvfb, a real gatehoused (gatehoused-test on a private bus, file clock) and the example
// application examples/sample-register run as a process of its own (offscreen, so it never takes
// the window's keyboard focus), driven and read through its --test-protocol (stdout lines, stdin
// commands). The application's declarations, .desktop file and icon are installed in a temporary
// $XDG_DATA_DIRS.
//
// signInThroughTheWindow: the application asks (RequestSignIn) while the window is signed out:
// the window names it over the sign-in screen; alice signs in there with her password and an
// authenticator code; the prompt names the application (its .desktop Name and icon), the reason
// and the permissions with their descriptions; Enter (focus on Allow) answers. The application
// receives a token; CheckPermission(lab.samples.read) is allowed and (lab.samples.write) denied in
// L4 naming the permission (alice's roles: lab-reader); an administrator's role change from
// gatehousectl reaches the application as PermissionsChanged and the next check allows it;
// `gatehousectl sessions revoke` of the application's session reaches it as SessionEnded and it
// locks. Then, signed in, Escape in the prompt answers Cancelled, and Deny answers Denied.
// staleSignInStepsUp: a window sign-in older than 5 minutes: Allow asks "Confirm it's you"
// (password and code) first, then the application is signed in.
// Screenshots: agent-waiting.png, agent-prompt.png, sample-register.png,
// sample-register-reader.png, sample-register-locked.png.
// SECURITY.md AC-01, AC-04, SES-02, SES-04, SES-07 (an explicit Allow even when signed in), AUD-01.
#include "appcontroller.h"
#include "crypto/selftest.h"
#include "gatehouse.h"
#include "guidriver.h"
#include "newcodes.h"
#include "seedadmin.h"
#include "startup.h"
#include "verification/totp.h"

#include <QDir>
#include <QProcess>
#include <QTemporaryDir>
#include <QtQml/QQmlExtensionPlugin>
#include <QtTest>

Q_IMPORT_QML_PLUGIN(Gatehouse_UiPlugin)

using gh::ui::AppController;

namespace {
const QString kAdmin = QStringLiteral("alice");
const QString kPassword = QStringLiteral("correct horse battery staple");
constexpr int kTimeoutMs = 30000;

bool copyInto(const QString& from, const QString& to) {
    QDir().mkpath(QFileInfo(to).absolutePath());
    QFile::remove(to);
    return QFile::copy(from, to);
}
} // namespace

// The example application, as a process the test reads line by line.
class SampleRegister {
public:
    bool start(const QString& vault) {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        m_process.setProcessEnvironment(env);
        m_process.setProgram(QStringLiteral(SAMPLE_REGISTER_PATH));
        m_process.setArguments({QStringLiteral("--vault"), vault, QStringLiteral("--test-protocol")});
        m_process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        m_process.start();
        return m_process.waitForStarted(10000);
    }
    void send(const QString& command) {
        m_process.write(command.toUtf8() + '\n');
        m_process.waitForBytesWritten(5000);
    }
    // The first line not read yet that starts with `prefix` (lines before it are consumed).
    QString waitFor(const QString& prefix, int timeoutMs = kTimeoutMs) {
        QString found;
        (void)QTest::qWaitFor(
            [&] {
                while (m_process.canReadLine())
                    m_lines << QString::fromUtf8(m_process.readLine()).trimmed();
                while (!m_lines.isEmpty()) {
                    const QString line = m_lines.takeFirst();
                    m_seen << line;
                    if (line.startsWith(prefix)) {
                        found = line;
                        return true;
                    }
                }
                return false;
            },
            timeoutMs);
        return found;
    }
    QString seen() const { return m_seen.join(u'\n'); }
    void stop() {
        if (m_process.state() == QProcess::NotRunning)
            return;
        send(QStringLiteral("quit"));
        if (!m_process.waitForFinished(5000)) {
            m_process.kill();
            m_process.waitForFinished(5000);
        }
    }
    ~SampleRegister() { stop(); }

private:
    QProcess m_process;
    QStringList m_lines;
    QStringList m_seen;
};

class tst_GuiAgent : public QObject, public gh::test::GuiDriver {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void cleanup() { close(); }
    void signInThroughTheWindow();
    void staleSignInStepsUp();

private:
    gh::test::FileClock& clock() { return useFileClock(); }
    QString code() {
        clock().advance(30); // a step not used yet (each code works once)
        gh::SecureBuffer seed(m_seed.constData(), static_cast<std::size_t>(m_seed.size()));
        return gh::totp::generate(seed, clock().nowSecs(), m_params);
    }
    void typeInto(const QString& field, const QString& text) {
        QTRY_VERIFY_WITH_TIMEOUT(!m_app->busy(), kTimeoutMs);
        QTRY_VERIFY(item(field));
        QTRY_VERIFY(item(field)->isVisible());
        click(field);
        QTRY_COMPARE(m_window->activeFocusItem(), item(field));
        typeText(text);
        QTRY_COMPARE(textOf(field), text);
    }
    void signIn() {
        QTRY_VERIFY_WITH_TIMEOUT(m_app->vaultOpen(), kTimeoutMs);
        QTRY_VERIFY(item(QStringLiteral("loginScreen")));
        typeInto(QStringLiteral("login.username"), kAdmin);
        typeInto(QStringLiteral("login.password"), kPassword);
        QTRY_VERIFY_WITH_TIMEOUT(m_app->login()->canSignIn(), kTimeoutMs);
        press(Qt::Key_Return);
        QTRY_COMPARE_WITH_TIMEOUT(m_app->screen(), AppController::SecondFactor, kTimeoutMs);
        typeInto(QStringLiteral("secondFactor.totp"), code());
        press(Qt::Key_Return);
    }
    // gatehousectl as alice (password and a recovery code on stdin, never in argv).
    int asAlice(const QStringList& command) {
        QProcess p;
        p.setProgram(QStringLiteral(GATEHOUSECTL_PATH));
        p.setArguments(QStringList{QStringLiteral("--vault"), m_vault, QStringLiteral("--as"), kAdmin,
                                   QStringLiteral("--password-stdin"), QStringLiteral("--recovery-code-stdin")} +
                       command);
        p.start();
        if (!p.waitForStarted(10000))
            return -1;
        p.write(kPassword.toUtf8() + '\n' + m_codes.takeFirst() + '\n');
        p.closeWriteChannel();
        QElapsedTimer t;
        t.start();
        while (p.state() != QProcess::NotRunning && t.elapsed() < 120000)
            QTest::qWait(20); // the window and the application keep running meanwhile
        const int rc = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
        if (rc != 0)
            qWarning("gatehousectl %s: exit %d: %s", qPrintable(command.join(u' ')), rc,
                     p.readAllStandardError().constData());
        return rc;
    }
    void screenshot(const QString& name) { QVERIFY(!saveScreenshot(name, true).isNull()); }
    // The application's own window, saved next to the window's screenshots.
    void appScreenshot(SampleRegister& app, const QString& name) {
        QStringList dirs{QStringLiteral(GH_SCREENSHOT_BUILD_DIR)};
        if (qEnvironmentVariableIsSet("GATEHOUSE_SCREENSHOT_DIR"))
            dirs << qEnvironmentVariable("GATEHOUSE_SCREENSHOT_DIR");
        for (const QString& dir : dirs) {
            QDir().mkpath(dir);
            app.send(QStringLiteral("screenshot ") + QDir(dir).filePath(name + QStringLiteral(".png")));
            QCOMPARE(app.waitFor(QStringLiteral("screenshot")), QStringLiteral("screenshot saved"));
        }
    }

    QTemporaryDir m_dir;
    QString m_vault;
    QByteArray m_seed;
    gh::TotpParams m_params;
    QList<QByteArray> m_codes;
};

void tst_GuiAgent::initTestCase() {
    QVERIFY(m_dir.isValid());
    QVERIFY2(qEnvironmentVariableIsSet("DISPLAY"), "run inside tests/support/with-services.sh (Xvfb)");
    QVERIFY(gh::crypto::runSelfTest().passed);
    m_vault = m_dir.filePath(QStringLiteral("vault.db"));
    gh::ui::applyStyle();

    // The example's files where an installed application would put them.
    const QString share = m_dir.filePath(QStringLiteral("share"));
    const QString example = QStringLiteral(SAMPLE_REGISTER_SOURCE_DIR);
    QVERIFY(copyInto(example + QStringLiteral("/lab.conf"), share + QStringLiteral("/gatehouse/permissions/lab.conf")));
    QVERIFY(copyInto(example + QStringLiteral("/lab.desktop"), share + QStringLiteral("/applications/lab.desktop")));
    QVERIFY(copyInto(example + QStringLiteral("/sample-register.svg"),
                     share + QStringLiteral("/icons/hicolor/scalable/apps/sample-register.svg")));
    qputenv("XDG_DATA_DIRS", (share + QStringLiteral(":/usr/local/share:/usr/share")).toUtf8());

    // alice: administrator with an authenticator app and recovery codes, and lab-reader; the
    // role lab-writer exists (read and write).
    gh::Services services = testServices();
    services.clock = &clock();
    services.permissionDirs = QStringList{share + QStringLiteral("/gatehouse/permissions")};
    gh::Gatehouse g(services);
    auto alice = gh::test::seedAdminWithTotp(g, m_vault, kAdmin, kPassword, clock());
    QVERIFY(alice);
    m_seed = alice->seed;
    m_params = alice->params;
    auto codes = gh::test::newRecoveryCodes(g.factors(), alice->session);
    QVERIFY(codes);
    for (const gh::SecureBuffer& c : *codes)
        m_codes << QByteArray(c.chars(), static_cast<qsizetype>(c.size()));
    QVERIFY(g.roles().createRole(alice->session, QStringLiteral("lab-reader"), {QStringLiteral("lab.samples.read")}));
    QVERIFY(g.roles().createRole(alice->session, QStringLiteral("lab-writer"),
                                 {QStringLiteral("lab.samples.read"), QStringLiteral("lab.samples.write")}));
    QVERIFY(g.roles().assignRole(alice->session, kAdmin, QStringLiteral("lab-reader")));
    QVERIFY(g.login().logout(alice->session));
}

void tst_GuiAgent::cleanupTestCase() {
    (void)gh::SecretServiceKeyStore().remove(gh::Vault::keychainEntry(gh::Vault::canonicalPath(m_vault)));
}

void tst_GuiAgent::signInThroughTheWindow() {
    QVERIFY(launch(m_vault));
    QTRY_VERIFY_WITH_TIMEOUT(m_app->agent()->registered(), kTimeoutMs);
    SampleRegister app;
    QVERIFY(app.start(m_vault));

    // Signed out: the window names the application over its sign-in screen.
    app.send(QStringLiteral("signin"));
    QTRY_VERIFY_WITH_TIMEOUT(m_app->agent()->active(), kTimeoutMs);
    QCOMPARE(m_app->agent()->appName(), QStringLiteral("Sample register")); // from lab.desktop
    QVERIFY(m_app->agent()->iconSource().endsWith(QStringLiteral("sample-register.svg")));
    QTRY_VERIFY(isShown(QStringLiteral("agent.banner")));
    QVERIFY(!isShown(QStringLiteral("agent.allow")));
    screenshot(QStringLiteral("agent-waiting"));

    // alice signs in with her password and a code: then the prompt asks.
    signIn();
    QTRY_VERIFY_WITH_TIMEOUT(isShown(QStringLiteral("agent.allow")), kTimeoutMs);
    QVERIFY(!isShown(QStringLiteral("agent.banner")));
    QCOMPARE(textOf(QStringLiteral("agent.title")), QStringLiteral("Sample register wants you to sign in"));
    QCOMPARE(textOf(QStringLiteral("agent.reason")), QStringLiteral("Reason given: Open the sample register"));
    QVERIFY(textOf(QStringLiteral("agent.permission.0")).contains(QStringLiteral("See the sample register")));
    QVERIFY(textOf(QStringLiteral("agent.permission.1")).contains(QStringLiteral("Add and edit samples")));
    QVERIFY(textOf(QStringLiteral("agent.permission.1")).contains(QStringLiteral("two-factor")));
    QTRY_COMPARE(m_window->activeFocusItem(), item(QStringLiteral("agent.allow")));
    screenshot(QStringLiteral("agent-prompt"));
    press(Qt::Key_Return); // Allow

    // The application has its token; read allowed, write denied in L4 naming the permission.
    const QString signedIn = app.waitFor(QStringLiteral("signed-in "));
    QVERIFY2(!signedIn.isEmpty(), qPrintable(app.seen()));
    const QStringList parts = signedIn.split(u' ');
    QCOMPARE(parts.value(2), kAdmin);
    QCOMPARE(parts.value(3), QStringLiteral("32")); // the token's bytes; never printed
    const QString session = parts.value(1);
    QTRY_VERIFY(!m_app->agent()->active());
    QCOMPARE(app.waitFor(QStringLiteral("check lab.samples.read")),
             QStringLiteral("check lab.samples.read allowed L4 alice holds lab.samples.read"));
    const QString denied = app.waitFor(QStringLiteral("check lab.samples.write"));
    QVERIFY2(
        denied.startsWith(QStringLiteral("check lab.samples.write denied L4 missing permission lab.samples.write")),
        qPrintable(denied));
    appScreenshot(app, QStringLiteral("sample-register-reader"));

    // An administrator's role change reaches the application; the next check allows writing.
    QCOMPARE(asAlice({QStringLiteral("role"), QStringLiteral("assign"), kAdmin, QStringLiteral("lab-writer")}), 0);
    QVERIFY2(!app.waitFor(QStringLiteral("permissions-changed")).isEmpty(), qPrintable(app.seen()));
    QCOMPARE(app.waitFor(QStringLiteral("check lab.samples.write")),
             QStringLiteral("check lab.samples.write allowed L4 alice holds lab.samples.write"));
    appScreenshot(app, QStringLiteral("sample-register"));

    // `sessions revoke` of the application's session: SessionEnded, and it locks.
    QCOMPARE(asAlice({QStringLiteral("sessions"), QStringLiteral("revoke"), session}), 0);
    QVERIFY2(!app.waitFor(QStringLiteral("ended ")).isEmpty(), qPrintable(app.seen()));
    appScreenshot(app, QStringLiteral("sample-register-locked"));
    QVERIFY(m_app->signedIn()); // the window's own session goes on

    // Signed in: the prompt asks at once. Escape cancels, Deny refuses.
    app.send(QStringLiteral("signin"));
    QTRY_VERIFY_WITH_TIMEOUT(isShown(QStringLiteral("agent.allow")), kTimeoutMs);
    QTRY_COMPARE(m_window->activeFocusItem(), item(QStringLiteral("agent.allow")));
    press(Qt::Key_Escape);
    QCOMPARE(app.waitFor(QStringLiteral("error ")).section(u' ', 0, 1), QStringLiteral("error Cancelled"));
    QTRY_VERIFY(!isShown(QStringLiteral("agent.allow")));
    app.send(QStringLiteral("signin"));
    QTRY_VERIFY_WITH_TIMEOUT(isShown(QStringLiteral("agent.deny")), kTimeoutMs);
    QTRY_COMPARE(m_window->activeFocusItem(), item(QStringLiteral("agent.allow")));
    press(Qt::Key_Tab);
    QTRY_COMPARE(m_window->activeFocusItem(), item(QStringLiteral("agent.deny")));
    press(Qt::Key_Return);
    QCOMPARE(app.waitFor(QStringLiteral("error ")).section(u' ', 0, 1), QStringLiteral("error Denied"));
}

void tst_GuiAgent::staleSignInStepsUp() {
    QVERIFY(launch(m_vault));
    QTRY_VERIFY_WITH_TIMEOUT(m_app->agent()->registered(), kTimeoutMs);
    signIn();
    QTRY_COMPARE_WITH_TIMEOUT(m_app->screen(), AppController::Home, kTimeoutMs);
    clock().advance(6 * 60); // the window's sign-in is no longer fresh
    SampleRegister app;
    QVERIFY(app.start(m_vault));
    app.send(QStringLiteral("signin"));
    QTRY_VERIFY_WITH_TIMEOUT(isShown(QStringLiteral("agent.allow")), kTimeoutMs);
    click(QStringLiteral("agent.allow"));
    // "Confirm it's you" names what it confirms; then the application is signed in.
    QTRY_VERIFY_WITH_TIMEOUT(isShown(QStringLiteral("stepUp.password")), kTimeoutMs);
    QVERIFY(textOf(QStringLiteral("stepUp.action")).contains(QStringLiteral("Sample register")));
    typeInto(QStringLiteral("stepUp.password"), kPassword);
    typeInto(QStringLiteral("stepUp.code"), code());
    press(Qt::Key_Return);
    const QString signedIn = app.waitFor(QStringLiteral("signed-in "));
    QVERIFY2(!signedIn.isEmpty(), qPrintable(app.seen()));
    QTRY_VERIFY(!m_app->agent()->active());
}

QTEST_MAIN(tst_GuiAgent)
#include "tst_gui_agent.moc"
