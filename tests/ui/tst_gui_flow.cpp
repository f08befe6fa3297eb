// The GUI end to end: the real Main.qml in a real window (Xvfb), a client of a real gatehoused
// (gatehoused-test on a private bus, started by the window as in session mode) whose vault key is
// in the real Secret Service (gnome-keyring from tests/support/with-services.sh), driven by key
// presses and mouse clicks. Walks first run → login → home on a fresh vault, checks the failure text and the
// throttle countdown, and the forced password change after a temporary password (PW-11). The
// administrator has only a password at first, so the login sends her to the enrollment wizard
// (admin role requires MFA); this test enrolls with Gatehouse's own TOTP code to get on (the
// independent check of the QR code and the codes is tst_gui_mfa).
// Screenshots of each screen go to <build>/tests/ui/screenshots; when GATEHOUSE_SCREENSHOT_DIR is
// set, first-run.png, login.png and home.png also go there (the README's docs/screenshots).
#include "appcontroller.h"
#include "crypto/selftest.h"
#include "errors.h"
#include "gatehouse.h"
#include "guidriver.h"
#include "startup.h"
#include "verification/totp.h"

#include <QDir>
#include <QFileInfo>
#include <QQmlApplicationEngine>
#include <QQuickItem>
#include <QQuickWindow>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtQml/QQmlExtensionPlugin>
#include <QtTest>

#include <memory>
#include <optional>

Q_IMPORT_QML_PLUGIN(Gatehouse_UiPlugin)

using gh::ui::AppController;

namespace {

const QString kAdmin = QStringLiteral("alice");
const QString kPassword = QStringLiteral("correct horse battery staple");
const QString kWrongPassword = QStringLiteral("incorrect horse battery staple");
constexpr int kTimeoutMs = 30000;

QString describe(gh::Errc code) {
    return gh::describe(gh::Error{code, {}, 0});
}

} // namespace

class tst_GuiFlow : public QObject, public gh::test::GuiDriver {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanup();
    void firstRunLoginHome();
    void wrongPasswordStaysOnLogin();
    void temporaryPasswordForcesChange();
    void throttledShowsCountdown();
    void serviceThatCannotStart();

private:
    void screenshot(const QString& name, bool forReadme = false);

    // The next TOTP code for alice's authenticator (a step not used yet: each is accepted once).
    QString nextCode();

    QTemporaryDir m_dir;
    QString m_vault;
    std::optional<gh::SecureBuffer> m_seed;
    gh::TotpParams m_params;
    qint64 m_lastStep = -1;
};

void tst_GuiFlow::initTestCase() {
    QVERIFY(m_dir.isValid());
    QVERIFY2(qEnvironmentVariableIsSet("DISPLAY"), "run inside tests/support/with-services.sh (Xvfb)");
    QVERIFY(gh::crypto::runSelfTest().passed);
    m_vault = m_dir.filePath(QStringLiteral("vault.db"));
    gh::ui::applyStyle();
}

void tst_GuiFlow::cleanup() {
    close();
}

void tst_GuiFlow::screenshot(const QString& name, bool forReadme) {
    QVERIFY(!saveScreenshot(name, forReadme).isNull());
}

QString tst_GuiFlow::nextCode() {
    const auto stepNow = [this] { return QDateTime::currentSecsSinceEpoch() / m_params.period; };
    qint64 step = std::max(stepNow(), m_lastStep + 1);
    while (step > stepNow() + 1)
        QTest::qWait(500);
    m_lastStep = step;
    return gh::totp::generate(*m_seed, step * m_params.period, m_params);
}

void tst_GuiFlow::firstRunLoginHome() {
    QVERIFY(launch(m_vault));

    // First run: a fresh location, the key goes to the Secret Service. Until the service had
    // answered the window showed the neutral Starting screen, then this one (no other in between).
    QCOMPARE(m_screens, (QList<AppController::Screen>{AppController::Starting, AppController::FirstRun}));
    QCOMPARE(m_app->screen(), AppController::FirstRun);
    QVERIFY(item(QStringLiteral("firstRunScreen")));
    QCOMPARE(textOf(QStringLiteral("firstRun.vaultPath")), m_vault);
    QTRY_COMPARE_WITH_TIMEOUT(m_app->firstRun()->keyMode(), gh::ui::FirstRunModel::Keychain, kTimeoutMs);
    QCOMPARE(textOf(QStringLiteral("firstRun.keyLocation")), QStringLiteral("System keychain (Secret Service)"));
    QVERIFY(!isShown(QStringLiteral("firstRun.passphrase")));
    // The title names the vault (by its file name without .db), later also the account (issue 15).
    const QString vaultName = QFileInfo(m_vault).fileName().chopped(3);
    QCOMPARE(m_window->title(), vaultName + QStringLiteral(" — Gatehouse"));

    // Keyboard only: focus starts in the username, Tab and Enter move on.
    QTRY_COMPARE(m_window->activeFocusItem(), item(QStringLiteral("firstRun.username")));
    typeText(kAdmin);
    press(Qt::Key_Tab);
    QTRY_COMPARE(m_window->activeFocusItem(), item(QStringLiteral("firstRun.password")));
    typeText(QStringLiteral("short"));
    // Live policy feedback: too short, the Create button stays disabled.
    QCOMPARE(textOf(QStringLiteral("firstRun.policy.count")), QStringLiteral("5 / 15 characters"));
    QVERIFY(!textOf(QStringLiteral("firstRun.policy.explanation")).isEmpty());
    QVERIFY(!item(QStringLiteral("firstRun.create"))->isEnabled());
    for (int i = 0; i < 5; ++i)
        press(Qt::Key_Backspace);
    typeText(kPassword);
    QVERIFY(m_app->firstRun()->password()->acceptable());
    press(Qt::Key_Return);
    QTRY_COMPARE(m_window->activeFocusItem(), item(QStringLiteral("firstRun.repeat")));
    typeText(kPassword.left(10));
    QVERIFY(!item(QStringLiteral("firstRun.create"))->isEnabled()); // entries differ
    typeText(kPassword.mid(10));
    QTRY_VERIFY(item(QStringLiteral("firstRun.create"))->isEnabled());
    QCOMPARE(textOf(QStringLiteral("firstRun.match")), QStringLiteral("Both entries match."));
    // Complete, the form shows its Create button, in the default window too (it stayed below the
    // fold), and the field being typed in stays in view.
    const auto inView = [this](const QString& name) {
        const QQuickItem* it = item(name);
        const QRectF r = it->mapRectToScene(QRectF(0, 0, it->width(), it->height()));
        return r.top() >= 0 && r.bottom() <= m_window->height();
    };
    QTRY_VERIFY(inView(QStringLiteral("firstRun.create")));
    QVERIFY(inView(QStringLiteral("firstRun.repeat")));
    screenshot(QStringLiteral("first-run"), true);
    // While the vault and then the administrator are made, the screen keeps its title (it read
    // "Create the first administrator" between the two steps, and the focus jumped to Username).
    QQuickItem* title = item(QStringLiteral("screenTitle"));
    QVERIFY(title);
    QCOMPARE(title->property("text").toString(), QStringLiteral("Set up Gatehouse"));
    QSignalSpy titleChanges(title, SIGNAL(textChanged(QString)));
    QVERIFY(titleChanges.isValid());
    press(Qt::Key_Return); // Enter submits

    // Set-up goes on with the new administrator signed in (issue 13 item 4, ATK-03): it is not
    // complete until she holds a second factor, bound in the same flow with set-up's grant.
    QTRY_COMPARE_WITH_TIMEOUT(m_app->screen(), AppController::Enroll, kTimeoutMs);
    QCOMPARE(titleChanges.count(), 0);
    QVERIFY(gh::Gatehouse::vaultExists(m_vault));
    QVERIFY(m_app->enroll()->setup());
    QVERIFY(m_app->enroll()->restricted());
    QTRY_VERIFY(item(QStringLiteral("enroll.chooseTotp")));
    QVERIFY(isShown(QStringLiteral("enroll.signOut"))); // "Finish set-up later"
    QVERIFY(!isShown(QStringLiteral("enroll.cancel")));
    screenshot(QStringLiteral("first-run-second-factor"), true);
    click(QStringLiteral("enroll.chooseTotp"));
    QTRY_COMPARE_WITH_TIMEOUT(m_app->enroll()->step(), gh::ui::EnrollModel::Totp, kTimeoutMs);
    m_seed = gh::totp::base32Decode(m_app->enroll()->manualKey());
    QVERIFY(m_seed.has_value());
    m_params = {};
    QCOMPARE(m_app->enroll()->digits(), m_params.digits);
    QCOMPARE(m_app->enroll()->period(), m_params.period);
    QTRY_COMPARE(m_window->activeFocusItem(), item(QStringLiteral("enroll.totpCode")));
    // Enter is ignored while the app is busy (e.g. still opening the vault on a loaded machine).
    QTRY_VERIFY_WITH_TIMEOUT(!m_app->busy(), kTimeoutMs);
    typeText(nextCode());
    press(Qt::Key_Return);
    QTRY_COMPARE_WITH_TIMEOUT(m_app->enroll()->step(), gh::ui::EnrollModel::Done, kTimeoutMs);
    QCOMPARE(m_app->enroll()->doneTitle(), QStringLiteral("Set-up complete"));
    QVERIFY(m_app->enroll()->doneText().contains(kAdmin));
    QTRY_VERIFY(item(QStringLiteral("enroll.finish")));
    screenshot(QStringLiteral("first-run-complete"), true);
    click(QStringLiteral("enroll.finish"));
    QTRY_COMPARE_WITH_TIMEOUT(m_app->screen(), AppController::Home, kTimeoutMs);

    // Sign out; the login screen keeps the administrator's name, focus waits in the password.
    click(QStringLiteral("nav.signOut"));
    QTRY_COMPARE_WITH_TIMEOUT(m_app->screen(), AppController::Login, kTimeoutMs);
    QTRY_VERIFY(item(QStringLiteral("loginScreen")));
    QCOMPARE(textOf(QStringLiteral("login.username")), kAdmin);
    QTRY_COMPARE(m_window->activeFocusItem(), item(QStringLiteral("login.password")));
    screenshot(QStringLiteral("login"), true);

    // A wrong password: the shared failure text, still on the login screen.
    typeText(kWrongPassword);
    press(Qt::Key_Return);
    QTRY_COMPARE_WITH_TIMEOUT(textOf(QStringLiteral("login.error")), describe(gh::Errc::AuthenticationFailed),
                              kTimeoutMs);
    QTRY_VERIFY(!m_app->busy());
    QCOMPARE(m_app->screen(), AppController::Login);
    QCOMPARE(textOf(QStringLiteral("login.password")), QString()); // cleared for the next try
    screenshot(QStringLiteral("login-failed"));

    // The right one, by mouse this time, then the code from the app.
    typeText(kPassword);
    click(QStringLiteral("login.signIn"));
    QTRY_COMPARE_WITH_TIMEOUT(m_app->screen(), AppController::SecondFactor, kTimeoutMs);
    QTRY_COMPARE(m_window->activeFocusItem(), item(QStringLiteral("secondFactor.totp")));
    QTRY_VERIFY_WITH_TIMEOUT(!m_app->busy(), kTimeoutMs);
    typeText(nextCode());
    press(Qt::Key_Return);
    QTRY_COMPARE_WITH_TIMEOUT(m_app->screen(), AppController::Home, kTimeoutMs);
    QTRY_VERIFY(item(QStringLiteral("homeScreen")));
    QCOMPARE(textOf(QStringLiteral("home.username")), kAdmin);
    QCOMPARE(textOf(QStringLiteral("home.role")), QStringLiteral("Role: admin"));
    QCOMPARE(m_window->title(), kAdmin + QStringLiteral(" — ") + vaultName + QStringLiteral(" — Gatehouse"));
    QVERIFY(!textOf(QStringLiteral("home.expires")).isEmpty());
    QVERIFY(!textOf(QStringLiteral("home.sessionId")).isEmpty());
    screenshot(QStringLiteral("home"), true);
    // The dark palette, by the header toggle (build-dir screenshot only: README shows light).
    click(QStringLiteral("themeToggle"));
    screenshot(QStringLiteral("home-dark"));
    click(QStringLiteral("themeToggle"));

    // Sign out returns to the login screen.
    click(QStringLiteral("nav.signOut"));
    QTRY_COMPARE(m_app->screen(), AppController::Login);
    QTRY_COMPARE(textOf(QStringLiteral("login.notice")), QStringLiteral("You have signed out."));
    QCOMPARE(m_window->title(), vaultName + QStringLiteral(" — Gatehouse"));
}

void tst_GuiFlow::wrongPasswordStaysOnLogin() {
    // A second start on the existing vault: the service reads the key from the keychain while the
    // login screen shows "Opening the vault…".
    QVERIFY(launch(m_vault));
    QCOMPARE(m_screens, (QList<AppController::Screen>{AppController::Starting, AppController::Login}));
    QTRY_VERIFY_WITH_TIMEOUT(m_app->vaultOpen(), kTimeoutMs);
    QCOMPARE(m_app->vaultError(), QString());
    QTRY_COMPARE(m_window->activeFocusItem(), item(QStringLiteral("login.username")));

    typeText(kAdmin);
    press(Qt::Key_Return);
    typeText(kWrongPassword);
    press(Qt::Key_Return);
    QTRY_COMPARE_WITH_TIMEOUT(textOf(QStringLiteral("login.error")), describe(gh::Errc::AuthenticationFailed),
                              kTimeoutMs);
    QCOMPARE(m_app->screen(), AppController::Login);

    // An unknown user gets the very same text (RL-04).
    m_app->login()->setUsername(QStringLiteral("nobody"));
    QTRY_VERIFY(!m_app->busy());
    m_app->login()->submitPassword(kWrongPassword);
    QTRY_VERIFY_WITH_TIMEOUT(!m_app->busy(), kTimeoutMs);
    QCOMPARE(textOf(QStringLiteral("login.error")), describe(gh::Errc::AuthenticationFailed));
    QCOMPARE(m_app->screen(), AppController::Login);
}

void tst_GuiFlow::temporaryPasswordForcesChange() {
    QVERIFY(launch(m_vault));
    QTRY_VERIFY_WITH_TIMEOUT(m_app->vaultOpen(), kTimeoutMs);

    // The administrator adds bob (as `gatehousectl user add` would), on the app's own worker
    // thread and client; bob gets a one-time temporary password (PW-11).
    bool done = false;
    QString temporary;
    QString failure;
    QVERIFY(m_seed.has_value());
    m_app->run(
        [code = nextCode()](gh::Client& gh) -> gh::Result<gh::SecureBuffer> {
            const gh::SecureBuffer otp = gh::SecureBuffer::fromUtf8(code);
            auto session = gh.login(kAdmin, gh::SecureBuffer::fromUtf8(kPassword), QStringLiteral("test"),
                                    gh::FactorKind::Totp, &otp);
            if (!session)
                return session.error();
            auto added = gh.addUser(*session, QStringLiteral("bob"), QStringLiteral("viewer"));
            (void)gh.logout(*session);
            return added;
        },
        [&](gh::Result<gh::SecureBuffer> added) {
            done = true;
            if (added)
                temporary = QString::fromUtf8(added->chars(), static_cast<qsizetype>(added->size()));
            else
                failure = gh::describe(added.error());
        });
    QTRY_VERIFY_WITH_TIMEOUT(done, kTimeoutMs);
    QVERIFY2(failure.isEmpty(), qPrintable(failure));
    QVERIFY(!temporary.isEmpty());

    QTRY_COMPARE(m_window->activeFocusItem(), item(QStringLiteral("login.username")));
    typeText(QStringLiteral("bob"));
    press(Qt::Key_Return);
    typeText(temporary);
    press(Qt::Key_Return);

    QTRY_COMPARE_WITH_TIMEOUT(m_app->screen(), AppController::ChangePassword, kTimeoutMs);
    QTRY_VERIFY(item(QStringLiteral("changePasswordScreen")));
    QCOMPARE(textOf(QStringLiteral("changePassword.username")), QStringLiteral("bob"));
    QTRY_COMPARE(m_window->activeFocusItem(), item(QStringLiteral("changePassword.current")));
    const QString next = QStringLiteral("a quiet meadow under seven moons");
    typeText(temporary);
    press(Qt::Key_Return);
    typeText(next);
    press(Qt::Key_Return);
    typeText(next);
    QTRY_VERIFY(item(QStringLiteral("changePassword.submit"))->isEnabled());
    screenshot(QStringLiteral("change-password"));
    press(Qt::Key_Return);

    QTRY_COMPARE_WITH_TIMEOUT(m_app->screen(), AppController::Home, kTimeoutMs);
    QTRY_VERIFY(item(QStringLiteral("homeScreen")));
    QCOMPARE(textOf(QStringLiteral("home.username")), QStringLiteral("bob"));
    QCOMPARE(textOf(QStringLiteral("home.role")), QStringLiteral("Role: viewer"));
}

void tst_GuiFlow::throttledShowsCountdown() {
    QVERIFY(launch(m_vault));
    QTRY_VERIFY_WITH_TIMEOUT(m_app->vaultOpen(), kTimeoutMs);
    m_app->login()->setUsername(kAdmin);
    // Failures until the growing delay starts (DESIGN.md: from the 5th failure); earlier tests
    // left one or two behind, so count up to a bound rather than exactly.
    for (int attempt = 0; attempt < 10 && m_app->login()->retrySeconds() == 0; ++attempt) {
        QTRY_VERIFY_WITH_TIMEOUT(m_app->login()->canSignIn(), kTimeoutMs);
        m_app->login()->submitPassword(kWrongPassword);
        QTRY_VERIFY_WITH_TIMEOUT(!m_app->busy(), kTimeoutMs);
    }
    const int seconds = m_app->login()->retrySeconds();
    QVERIFY2(seconds > 0, "no throttling after repeated failures");
    QVERIFY(!m_app->login()->canSignIn());

    QTRY_VERIFY(item(QStringLiteral("login.countdown")) && item(QStringLiteral("login.countdown"))->isVisible());
    QVERIFY(textOf(QStringLiteral("login.countdown")).contains(QStringLiteral("try again in")));
    QVERIFY(!item(QStringLiteral("login.signIn"))->isEnabled());
    QVERIFY(!textOf(QStringLiteral("login.error")).isEmpty());
    screenshot(QStringLiteral("login-throttled"));
    // The countdown is live, and the only time shown: the message above it says why without a
    // time of its own (it said "Try again in 29 seconds" while the countdown went down).
    QTRY_VERIFY_WITH_TIMEOUT(m_app->login()->retrySeconds() < seconds, 3000);
    QCOMPARE(textOf(QStringLiteral("login.error")), QStringLiteral("Too many failed attempts."));
}

// No service answers at start-up: the window never guesses a screen, says what is wrong and
// tries again when asked. (A program that exits at once stands in for a gatehoused that cannot
// start; the client waits its 15 s for the name, as it would in session mode.)
void tst_GuiFlow::serviceThatCannotStart() {
    QVERIFY(m_privateBus.stopService());
    const QByteArray service = qgetenv("GATEHOUSED");
    qputenv("GATEHOUSED", QStandardPaths::findExecutable(QStringLiteral("true")).toUtf8());
    QVERIFY(launch(m_vault, false));
    QTRY_VERIFY_WITH_TIMEOUT(!m_app->startError().isEmpty(), 30000);
    QCOMPARE(m_app->screen(), AppController::Starting);
    QCOMPARE(m_screens, QList<AppController::Screen>{AppController::Starting});
    QCOMPARE(m_app->startError(), describe(gh::Errc::ServiceUnavailable));
    QTRY_VERIFY(isShown(QStringLiteral("starting.error")));
    QTRY_COMPARE(m_window->activeFocusItem(), item(QStringLiteral("starting.retry")));
    screenshot(QStringLiteral("service-unavailable"));

    // The service can start again: Try again (Enter on the focused button) finds it.
    qputenv("GATEHOUSED", service);
    press(Qt::Key_Return);
    QTRY_COMPARE_WITH_TIMEOUT(m_app->screen(), AppController::Login, kTimeoutMs);
    QCOMPARE(m_screens, (QList<AppController::Screen>{AppController::Starting, AppController::Login}));
    QTRY_VERIFY_WITH_TIMEOUT(m_app->vaultOpen(), kTimeoutMs);
}

QTEST_MAIN(tst_GuiFlow)
#include "tst_gui_flow.moc"
