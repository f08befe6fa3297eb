// Sessions in the GUI (issue 5, and issue 10's live revocation): the Active sessions screen; a
// session revoked from the CLI (another process) locking the window with the reason, pushed by
// the service as a signal with no timer polling; a role change reaching the open window the same
// way (PermissionsChanged); step-up before ending sessions when the last sign-in is older than 5
// minutes; the idle warning and idle lock; and a restart of the service (every session ends; the
// window says so and the person signs in again).
// The real Main.qml in a real window under Xvfb, a real gatehoused (gatehoused-test on a private
// bus, whose clock is a file this test moves: guidriver.h) and the real Secret Service; the
// accounts are set up through an in-process facade on the same clock (alice: administrator with an
// authenticator app and recovery codes; bob: viewer with his own password).
// Screenshots: sessions.png, revoked.png, step-up.png, idle-warning.png, idle-locked.png,
// service-restarted.png. Covers SES-02, SES-03, SES-04, SES-05, SES-06, AC-04.
#include "appcontroller.h"
#include "crypto/selftest.h"
#include "gatehouse.h"
#include "guidriver.h"
#include "newcodes.h"
#include "startup.h"
#include "verification/otpauth.h"
#include "verification/totp.h"

#include <QDir>
#include <QProcess>
#include <QQmlApplicationEngine>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtQml/QQmlExtensionPlugin>
#include <QtTest>

Q_IMPORT_QML_PLUGIN(Gatehouse_UiPlugin)

using gh::ui::AppController;

namespace {
const QString kBob = QStringLiteral("bob");
const QString kBobPassword = QStringLiteral("violet canyon ledger drifts slowly");
const QByteArray kAlicePassword = "correct horse battery staple";
constexpr int kTimeoutMs = 30000;

gh::SecureBuffer buf(const QByteArray& b) {
    return gh::SecureBuffer(b.constData(), static_cast<std::size_t>(b.size()));
}
} // namespace

class tst_GuiSessions : public QObject, public gh::test::GuiDriver {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanup();
    void cleanupTestCase();
    void sessionsScreenAndRevocationFromCli();
    void revocationArrivesAsSignal();
    void roleChangeReachesTheWindow();
    void stepUpThenIdleLock();
    void serviceRestartEndsEverySession();

private:
    gh::test::FileClock& clock() { return useFileClock(); }
    void signInAsBob();
    int revokeAsAlice(const QString& sessionId);
    int asAlice(const QStringList& command);
    void screenshot(const QString& name);
    int ctl(const QStringList& args, const QByteArray& input, QByteArray* out = nullptr);

    QTemporaryDir m_dir;
    QString m_vault;
    QList<QByteArray> m_codes; // alice's recovery codes
};

void tst_GuiSessions::initTestCase() {
    QVERIFY(m_dir.isValid());
    QVERIFY2(qEnvironmentVariableIsSet("DISPLAY"), "run inside tests/support/with-services.sh (Xvfb)");
    QVERIFY(gh::crypto::runSelfTest().passed);
    m_vault = m_dir.filePath(QStringLiteral("vault.db"));
    gh::ui::applyStyle();

    // The service starts with the first window, on this clock; the vault is made on it too.
    gh::Services services = testServices();
    services.clock = &clock();
    gh::Gatehouse g(services);
    QVERIFY(g.createVault(m_vault));
    QVERIFY(g.accounts().createFirstAdmin(QStringLiteral("alice"), buf(kAlicePassword)));
    auto s = g.login().fullLogin(QStringLiteral("alice"), buf(kAlicePassword), QStringLiteral("setup"));
    QVERIFY(s);
    auto e = g.factors().beginTotpEnrollment(*s, QStringLiteral("phone"));
    QVERIFY(e);
    gh::OtpauthKey key;
    QCOMPARE(gh::otpauth::parse(QString::fromLatin1(e->uri.chars(), static_cast<qsizetype>(e->uri.size())), &key),
             gh::OtpauthError::None);
    QVERIFY(g.factors().confirmTotp(*s, e->factorId, gh::totp::generate(key.secret, clock().nowSecs(), key.params)));
    // Enrolling leaves the session at what its sign-in proved: step up with the app (next step's code).
    const auto next = gh::SecureBuffer::fromUtf8(gh::totp::generate(key.secret, clock().nowSecs() + 30, key.params));
    QVERIFY(g.login().stepUp(*s, buf(kAlicePassword), gh::FactorKind::Totp, &next));
    auto codes = gh::test::newRecoveryCodes(g.factors(), *s);
    QVERIFY(codes);
    for (const gh::SecureBuffer& c : *codes)
        m_codes << QByteArray(c.chars(), static_cast<qsizetype>(c.size()));
    auto temp = g.accounts().addUser(*s, kBob, QStringLiteral("viewer"));
    QVERIFY(temp);
    auto bob = g.login().fullLogin(kBob, *temp, QStringLiteral("setup"));
    QVERIFY(bob);
    QVERIFY(g.login().changePassword(*bob, *temp, gh::SecureBuffer::fromUtf8(kBobPassword)));
    QVERIFY(g.login().logout(*bob));
    QVERIFY(g.login().logout(*s));
}

void tst_GuiSessions::cleanup() {
    close();
}

void tst_GuiSessions::cleanupTestCase() {
    (void)gh::SecretServiceKeyStore().remove(gh::Vault::keychainEntry(gh::Vault::canonicalPath(m_vault)));
}

void tst_GuiSessions::signInAsBob() {
    QTRY_VERIFY2_WITH_TIMEOUT(m_app->vaultOpen(),
                              qPrintable(QStringLiteral("screen %1, opening %2, busy %3, error: %4")
                                             .arg(m_app->screen())
                                             .arg(m_app->vaultOpening())
                                             .arg(m_app->busy())
                                             .arg(m_app->vaultError())),
                              kTimeoutMs);
    QTRY_VERIFY_WITH_TIMEOUT(!m_app->busy(), kTimeoutMs);
    if (textOf(QStringLiteral("login.username")).isEmpty()) { // else kept from the last sign-in
        QTRY_COMPARE(m_window->activeFocusItem(), item(QStringLiteral("login.username")));
        typeText(kBob);
        QTRY_COMPARE(textOf(QStringLiteral("login.username")), kBob);
        press(Qt::Key_Return);
    }
    QCOMPARE(textOf(QStringLiteral("login.username")), kBob);
    QTRY_COMPARE(m_window->activeFocusItem(), item(QStringLiteral("login.password")));
    typeText(kBobPassword);
    QTRY_COMPARE(textOf(QStringLiteral("login.password")), kBobPassword);
    press(Qt::Key_Return);
    QTRY_COMPARE_WITH_TIMEOUT(m_app->screen(), AppController::Home, kTimeoutMs);
    QTRY_VERIFY(item(QStringLiteral("homeScreen")));
}

void tst_GuiSessions::screenshot(const QString& name) {
    QVERIFY(!saveScreenshot(name, true).isNull());
}

int tst_GuiSessions::ctl(const QStringList& args, const QByteArray& input, QByteArray* out) {
    QProcess p;
    p.setProgram(QStringLiteral(GATEHOUSECTL_PATH));
    p.setArguments(QStringList{QStringLiteral("--vault"), m_vault} + args);
    p.start();
    if (!p.waitForStarted(10000))
        return -1;
    p.write(input);
    p.closeWriteChannel();
    // The GUI keeps running (its event loop delivers the service's signals) while the CLI works.
    QElapsedTimer t;
    t.start();
    while (p.state() != QProcess::NotRunning && t.elapsed() < 120000)
        QTest::qWait(20);
    if (out)
        *out = p.readAllStandardOutput();
    const int rc = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    if (rc != 0)
        qWarning("gatehousectl %s: exit %d: %s", qPrintable(args.join(u' ')), rc, p.readAllStandardError().constData());
    return rc;
}

int tst_GuiSessions::asAlice(const QStringList& command) {
    // The code on the stdin line after the password, never in argv (issue 17).
    return ctl(QStringList{QStringLiteral("--as"), QStringLiteral("alice"), QStringLiteral("--password-stdin"),
                           QStringLiteral("--recovery-code-stdin")} +
                   command,
               kAlicePassword + '\n' + m_codes.takeFirst() + '\n');
}

int tst_GuiSessions::revokeAsAlice(const QString& sessionId) {
    return asAlice({QStringLiteral("sessions"), QStringLiteral("revoke"), sessionId});
}

// DESIGN.md screen 5: the window's sessions with live countdowns; a revocation made by another
// process locks the window with the reason.
void tst_GuiSessions::sessionsScreenAndRevocationFromCli() {
    QVERIFY(launch(m_vault));
    signInAsBob();
    clock().advance(60); // a minute passes
    // A second session of bob's, opened by the CLI (login keeps its session).
    QByteArray login;
    QCOMPARE(ctl({QStringLiteral("--as"), kBob, QStringLiteral("--password-stdin"), QStringLiteral("login")},
                 kBobPassword.toUtf8() + '\n', &login),
             0);

    click(QStringLiteral("nav.sessions"));
    QTRY_COMPARE_WITH_TIMEOUT(m_app->screen(), AppController::Sessions, kTimeoutMs);
    QTRY_COMPARE_WITH_TIMEOUT(m_app->sessions()->rowCount(), 2, kTimeoutMs);
    QVERIFY(!m_app->sessions()->allUsers()); // a viewer sees only his own
    // The current session is marked, with live countdowns.
    int current = -1;
    for (int i = 0; i < 2; ++i)
        if (isShown(QStringLiteral("sessions.current.%1").arg(i)))
            current = i;
    QVERIFY(current >= 0);
    const QString countdown = textOf(QStringLiteral("sessions.countdown.%1").arg(current));
    QVERIFY2(countdown.startsWith(QStringLiteral("Idle time left ")) && countdown.contains(QStringLiteral(" min ")) &&
                 countdown.contains(QStringLiteral("ends in 11 h")),
             qPrintable(countdown));
    // Who holds each session is shown whole: the name its program claimed, quoted, then the source
    // the bus vouched for (wrapped, never cut off before the source).
    for (int i = 0; i < 2; ++i) {
        QQuickItem* client = item(QStringLiteral("sessions.client.%1").arg(i));
        QVERIFY(client);
        const QString text = client->property("text").toString();
        QVERIFY2(
            text.contains(QRegularExpression(QStringLiteral("\" via \\S+ \\(uid \\d+, pid \\d+.*, bus :[0-9.]+\\)"))),
            qPrintable(text));
        QVERIFY2(!client->property("truncated").toBool(), qPrintable(text));
    }
    // The first focus is the sidebar's entry, never "End all my other sessions" (issue 15).
    QTRY_COMPARE(m_window->activeFocusItem(), item(QStringLiteral("nav.sessions")));
    screenshot(QStringLiteral("sessions"));

    // alice revokes the GUI's session from the command line.
    QCOMPARE(revokeAsAlice(m_app->session()->info.id), 0);
    QTRY_COMPARE_WITH_TIMEOUT(m_app->screen(), AppController::Login, 5000);
    QVERIFY(!m_app->session());
    QTRY_VERIFY(item(QStringLiteral("loginScreen")));
    QCOMPARE(textOf(QStringLiteral("login.notice")),
             QStringLiteral("Your session has ended (revoked by alice). Sign in again."));
    screenshot(QStringLiteral("revoked"));
}

// Issue 10 item 5: the end of a session reaches the window as the service's SessionEnded signal.
// On Home nothing asks the service anything periodically; the watcher has no repeating timer
// (only single-shot ones at the idle deadline and its warning), makes no call between the
// revocation and the lock, and the window makes none before it has locked.
void tst_GuiSessions::revocationArrivesAsSignal() {
    QVERIFY(launch(m_vault));
    signInAsBob();
    gh::ui::SessionWatcher* watcher = m_app->watcher();
    QTRY_VERIFY_WITH_TIMEOUT(!m_app->busy() && !watcher->touchPending(), kTimeoutMs); // Home has loaded
    QCOMPARE(watcher->repeatingTimers(), 0);
    // One check armed, at the idle deadline (30 min at AAL1) the sign-in reported.
    QVERIFY2(watcher->deadlineInMs() > 29 * 60 * 1000 &&
                 watcher->deadlineInMs() <= 30 * 60 * 1000 + gh::ui::SessionWatcher::kGraceMs,
             qPrintable(QString::number(watcher->deadlineInMs())));
    const int watcherCalls = watcher->serviceCalls();
    const int appCalls = m_app->serviceCalls();
    int callsWhenLocked = -1;
    qint64 lockedAtMs = -1;
    QElapsedTimer since;
    since.start();
    QObject scope; // the connection ends with this function
    connect(m_app, &AppController::screenChanged, &scope, [&] {
        if (m_app->screen() == AppController::Login && lockedAtMs < 0) {
            lockedAtMs = since.elapsed();
            callsWhenLocked = m_app->serviceCalls();
        }
    });

    QCOMPARE(revokeAsAlice(m_app->session()->info.id), 0);
    const qint64 exitedAtMs = since.elapsed(); // the revocation was committed before the CLI exited
    QTRY_COMPARE_WITH_TIMEOUT(m_app->screen(), AppController::Login, 2000);
    qInfo("the window locked %lld ms after the revoking gatehousectl exited (negative: before)",
          lockedAtMs - exitedAtMs);
    QCOMPARE(callsWhenLocked, appCalls); // told, not asking
    QCOMPARE(watcher->serviceCalls(), watcherCalls);
    QCOMPARE(watcher->repeatingTimers(), 0);
    QCOMPARE(watcher->deadlineInMs(), -1); // nothing armed once locked
    QCOMPARE(textOf(QStringLiteral("login.notice")),
             QStringLiteral("Your session has ended (revoked by alice). Sign in again."));
}

// AC-04 through the service: a role given to or taken from bob by another process reaches his open
// window as PermissionsChanged. The operator role holds audit.read, but reading other people's data
// needs a second factor (issue 13): bob's one-factor session stays on his own events, and keeps
// living through both changes.
void tst_GuiSessions::roleChangeReachesTheWindow() {
    QVERIFY(launch(m_vault));
    signInAsBob();
    click(QStringLiteral("home.audit"));
    QTRY_COMPARE_WITH_TIMEOUT(m_app->screen(), AppController::Audit, kTimeoutMs);
    QTRY_VERIFY_WITH_TIMEOUT(!m_app->busy(), kTimeoutMs);
    QVERIFY(!m_app->audit()->readsAll());

    QCOMPARE(asAlice({QStringLiteral("role"), QStringLiteral("assign"), kBob, QStringLiteral("operator")}), 0);
    QTest::qWait(1500);
    QVERIFY(!m_app->audit()->readsAll());
    QCOMPARE(m_app->screen(), AppController::Audit);
    QCOMPARE(asAlice({QStringLiteral("role"), QStringLiteral("revoke"), kBob, QStringLiteral("operator")}), 0);
    QTRY_VERIFY_WITH_TIMEOUT(!m_app->audit()->readsAll(), 2000);
    QVERIFY(m_app->session()); // still signed in: permissions changed, the session did not end
}

// SES-04: ending sessions, and adding a factor, ask for the password when the last sign-in is
// over 5 minutes old, then carry on. SES-03: a warning before the idle deadline; at the deadline
// the window locks and the core has ended the session. Only the test moves the service's clock,
// so the window, whose timers run on real time, is told to look (checkNow) where real minutes
// would have passed; the last seconds to the deadline run on the window's own timer.
void tst_GuiSessions::stepUpThenIdleLock() {
    QVERIFY(launch(m_vault));
    signInAsBob();
    click(QStringLiteral("nav.sessions"));
    QTRY_COMPARE_WITH_TIMEOUT(m_app->screen(), AppController::Sessions, kTimeoutMs);
    QTRY_VERIFY_WITH_TIMEOUT(m_app->sessions()->rowCount() >= 1, kTimeoutMs);

    clock().advance(6 * 60);
    click(QStringLiteral("sessions.revokeOthers"));
    QTRY_VERIFY_WITH_TIMEOUT(m_app->sessions()->stepUpNeeded(), kTimeoutMs);
    QTRY_VERIFY(isShown(QStringLiteral("sessions.stepUp")));
    QVERIFY(!isShown(QStringLiteral("sessions.stepUpCode"))); // bob has no authenticator
    QTRY_COMPARE(m_window->activeFocusItem(), item(QStringLiteral("sessions.stepUpPassword")));
    const QString before = m_app->session()->info.id;
    typeText(kBobPassword);
    QTRY_COMPARE(textOf(QStringLiteral("sessions.stepUpPassword")), kBobPassword);
    press(Qt::Key_Return);
    QTRY_COMPARE_WITH_TIMEOUT(textOf(QStringLiteral("sessions.notice")),
                              QStringLiteral("Your other sessions were ended."), kTimeoutMs);
    QVERIFY(!m_app->sessions()->stepUpNeeded());
    QVERIFY(m_app->session()->info.id != before); // step-up: a new session (SES-01)
    QCOMPARE(m_app->screen(), AppController::Sessions);

    // Any screen: adding an authenticator needs a recent sign-in too. The dialog asks, and the
    // wizard carries on without a second click.
    click(QStringLiteral("nav.home"));
    QTRY_COMPARE_WITH_TIMEOUT(m_app->screen(), AppController::Home, kTimeoutMs);
    click(QStringLiteral("nav.security"));
    QTRY_COMPARE_WITH_TIMEOUT(m_app->screen(), AppController::Security, kTimeoutMs);
    clock().advance(6 * 60);
    click(QStringLiteral("security.add"));
    QTRY_COMPARE_WITH_TIMEOUT(m_app->screen(), AppController::Enroll, kTimeoutMs);
    click(QStringLiteral("enroll.chooseTotp"));
    QTRY_VERIFY_WITH_TIMEOUT(m_app->stepUp()->active(), kTimeoutMs);
    QTRY_COMPARE(m_window->activeFocusItem(), item(QStringLiteral("stepUp.password")));
    QCOMPARE(m_app->enroll()->step(), gh::ui::EnrollModel::Choose); // nothing happened yet
    screenshot(QStringLiteral("step-up"));
    typeText(kBobPassword);
    QTRY_COMPARE(textOf(QStringLiteral("stepUp.password")), kBobPassword);
    press(Qt::Key_Return);
    QTRY_COMPARE_WITH_TIMEOUT(m_app->enroll()->step(), gh::ui::EnrollModel::Totp, kTimeoutMs);
    QVERIFY(!m_app->stepUp()->active());

    // Let the input of the clicks reach the service (touch), then leave the window alone.
    m_app->showHome();
    QTRY_COMPARE_WITH_TIMEOUT(m_app->screen(), AppController::Home, kTimeoutMs);
    gh::ui::SessionWatcher* watcher = m_app->watcher();
    QTRY_VERIFY_WITH_TIMEOUT(!m_app->busy() && !watcher->touchPending(), kTimeoutMs);
    auto held = AppController::copyOf(*m_app->session());
    QVERIFY(!isShown(QStringLiteral("idleWarning")));
    QCOMPARE(watcher->repeatingTimers(), 0);

    // 29 minutes later: a minute is left, and the warning says so.
    clock().advance(30 * 60 - 60);
    watcher->checkNow();
    QTRY_VERIFY_WITH_TIMEOUT(isShown(QStringLiteral("idleWarning")), 5000);
    QVERIFY(textOf(QStringLiteral("idleWarning.text")).startsWith(QStringLiteral("You will be signed out in ")));
    QVERIFY(m_app->watcher()->idleLeftSecs() <= 60);
    QCOMPARE(watcher->repeatingTimers(), 1); // the on-screen countdown, which calls nothing
    QCOMPARE(m_app->screen(), AppController::Home);
    screenshot(QStringLiteral("idle-warning"));

    // Three seconds before the deadline the window knows it; then the deadline passes for the
    // service, and the window's own single-shot timer asks once and locks.
    clock().advance(57);
    watcher->checkNow();
    QTRY_VERIFY_WITH_TIMEOUT(watcher->deadlineInMs() >= 0 && watcher->deadlineInMs() <= 3000 + 500, 5000);
    const int calls = watcher->serviceCalls();
    clock().advance(4);
    QTRY_COMPARE_WITH_TIMEOUT(m_app->screen(), AppController::Login, 10000);
    QCOMPARE(watcher->serviceCalls(), calls + 1);
    QTRY_VERIFY(item(QStringLiteral("loginScreen")));
    QCOMPARE(textOf(QStringLiteral("login.notice")),
             QStringLiteral("Your session has ended (idle timeout). Sign in again."));
    QVERIFY(!isShown(QStringLiteral("idleWarning")));
    // Ended in the core, not only hidden.
    auto after = m_app->client().validate(*held);
    QVERIFY(!after);
    QCOMPARE(after.error().detail, QStringLiteral("idle timeout"));
    screenshot(QStringLiteral("idle-locked"));
}

// Issue 10 item 5: a restart of the service ends every session (secrets are never persisted).
// The window locks at once, says why in plain words, opens the vault again (the window's client
// starts the service anew, as in session mode) and the person signs in again.
void tst_GuiSessions::serviceRestartEndsEverySession() {
    QVERIFY(launch(m_vault));
    signInAsBob();
    const qint64 before = m_privateBus.servicePid();
    QVERIFY(before > 0);
    QVERIFY(m_privateBus.stopService());
    QTRY_COMPARE_WITH_TIMEOUT(m_app->screen(), AppController::Login, 5000);
    QVERIFY(!m_app->session());
    QTRY_VERIFY(item(QStringLiteral("loginScreen")));
    QCOMPARE(textOf(QStringLiteral("login.notice")),
             QStringLiteral("The Gatehouse service restarted, so every session ended. Sign in again."));
    QTRY_VERIFY_WITH_TIMEOUT(m_app->vaultOpen(), kTimeoutMs); // a new service has it open
    QCOMPARE(m_app->vaultError(), QString());
    const qint64 after = m_privateBus.servicePid();
    QVERIFY(after > 0 && after != before);
    QTRY_VERIFY_WITH_TIMEOUT(!m_app->busy(), kTimeoutMs);
    screenshot(QStringLiteral("service-restarted"));

    signInAsBob();
    QCOMPARE(textOf(QStringLiteral("home.username")), kBob);
}

QTEST_MAIN(tst_GuiSessions)
#include "tst_gui_sessions.moc"
