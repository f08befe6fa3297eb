// The People screen, end to end (issue 12): the real Main.qml in a real window (Xvfb), a real
// gatehoused (gatehoused-test on a private bus), the service's clock in a file this test moves.
// alice (administrator, authenticator app) opens People from Home: every account with its state,
// factors, roles, last sign-in and open sessions; search; adds carol (the name checked as typed,
// no role unless chosen, the temporary password shown once, Copy clearing the clipboard), and
// carol signs in with it and replaces it; disables and enables bob (Escape cancels the question;
// a disabled bob cannot sign in); unlocks dave after his hard lock; ends bob's sessions; is refused
// deleting herself, the only administrator. vic (viewer) has no People link and changes his own
// password from My security. Covers AC-01, AC-06, RL-03, SES-06, PW-10.
// Screenshots: <build>/tests/ui/screenshots/people*.png (and GATEHOUSE_SCREENSHOT_DIR).
#include "appcontroller.h"
#include "crypto/selftest.h"
#include "gatehouse.h"
#include "guidriver.h"
#include "seedadmin.h"
#include "startup.h"
#include "vault/vault.h"
#include "verification/otpauth.h"
#include "verification/throttle.h"

#include <QClipboard>
#include <QGuiApplication>
#include <QtQml/QQmlExtensionPlugin>
#include <QtTest>

Q_IMPORT_QML_PLUGIN(Gatehouse_UiPlugin)

using gh::ui::AppController;

namespace {
const QString kAdmin = QStringLiteral("alice");
const QString kPassword = QStringLiteral("correct horse battery staple");
const QString kBobPassword = QStringLiteral("bob's own long passphrase");
const QString kDavePassword = QStringLiteral("dave's own long passphrase");
const QString kVicPassword = QStringLiteral("viewer passphrase of my own");
const QString kErinPassword = QStringLiteral("erin's own long passphrase");
constexpr int kTimeoutMs = 30000;

gh::SecureBuffer buf(const QString& s) {
    return gh::SecureBuffer::fromUtf8(s);
}
} // namespace

class tst_GuiPeople : public QObject, public gh::test::GuiDriver {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void cleanup() { close(); }
    void listSearchAndAddAPerson();
    void disableEnableUnlockAndEndSessions();
    void resetRemoveAFactorAndDelete();
    void lastAdministratorIsGuarded();
    void viewerChangesOwnPasswordFromMySecurity();
    void administratorRemovesHerLastFactor(); // last: alice keeps only her password

private:
    gh::test::FileClock& clock() { return useFileClock(); }
    QString code() {
        gh::SecureBuffer seed(m_seed.constData(), static_cast<std::size_t>(m_seed.size()));
        return gh::totp::generate(seed, clock().nowSecs(), m_params);
    }
    void typeInto(const QString& field, const QString& text) {
        QTRY_VERIFY_WITH_TIMEOUT(!m_app->busy(), kTimeoutMs);
        QTRY_VERIFY(item(field));
        QTRY_VERIFY(item(field)->isVisible());
        click(field);
        QTRY_COMPARE(m_window->activeFocusItem(), item(field));
        if (!textOf(field).isEmpty()) // e.g. the name of the last sign-in: replace it
            QTest::keyClick(m_window, Qt::Key_A, Qt::ControlModifier);
        typeText(text);
        QTRY_COMPARE(textOf(field), text);
    }
    void signIn(const QString& user, const QString& password, bool withCode);
    void openPeople();
    // Clicks `button`, checks the question starts with `question`, and confirms.
    void confirm(const QString& button, const QString& question);
    QString stateOf(const QString& user) { return textOf(QStringLiteral("people.state.") + user); }
    gh::Result<gh::Session> loginAs(const QString& user, const QString& password) {
        return m_app->client().login(user, buf(password), QStringLiteral("tst_gui_people"));
    }
    // The README shows people, people-added, people-reset and people-confirm.
    void screenshot(const QString& name) {
        static const QStringList readme{QStringLiteral("people"), QStringLiteral("people-added"),
                                        QStringLiteral("people-reset"), QStringLiteral("people-confirm")};
        QVERIFY(!saveScreenshot(name, readme.contains(name)).isNull());
    }

    QTemporaryDir m_dir;
    QString m_vault;
    QByteArray m_seed;
    gh::TotpParams m_params;
};

void tst_GuiPeople::initTestCase() {
    QVERIFY(m_dir.isValid());
    QVERIFY2(qEnvironmentVariableIsSet("DISPLAY"), "run inside tests/support/with-services.sh (Xvfb)");
    QVERIFY(gh::crypto::runSelfTest().passed);
    m_vault = m_dir.filePath(QStringLiteral("vault.db"));
    gh::ui::applyStyle();
    // The service's clock starts a day back, so that after dave's 100 spaced-out failures below it
    // stands at about now (the screen shows real-looking times).
    useFileClock(
        QDateTime::currentDateTimeUtc().addSecs(-gh::throttle::kLockAt * (gh::throttle::kMaxDelaySecs + 1) - 120));

    // alice (admin, authenticator app); bob, dave (no role) and vic (viewer) with their own
    // passwords; dave then hard-locked by 100 failed sign-ins (each after its wait).
    gh::Services services = testServices();
    services.clock = &clock();
    gh::Gatehouse g(services);
    auto alice = gh::test::seedAdminWithTotp(g, m_vault, kAdmin, kPassword, clock());
    QVERIFY(alice);
    m_seed = alice->seed;
    m_params = alice->params;
    const struct {
        QString name, role, password;
    } people[] = {{QStringLiteral("bob"), QString(), kBobPassword},
                  {QStringLiteral("dave"), QString(), kDavePassword},
                  {QStringLiteral("vic"), QStringLiteral("viewer"), kVicPassword}};
    for (const auto& p : people) {
        auto temp = g.accounts().addUser(alice->session, p.name, p.role);
        QVERIFY(temp);
        auto s = g.login().fullLogin(p.name, *temp, QStringLiteral("setup"));
        QVERIFY(s);
        QVERIFY(g.login().changePassword(*s, *temp, buf(p.password)));
        QVERIFY(g.login().logout(*s));
    }
    // erin (no role) with an authenticator app.
    {
        auto temp = g.accounts().addUser(alice->session, QStringLiteral("erin"), QString());
        QVERIFY(temp);
        auto s = g.login().fullLogin(QStringLiteral("erin"), *temp, QStringLiteral("setup"));
        QVERIFY(s);
        QVERIFY(g.login().changePassword(*s, *temp, buf(kErinPassword)));
        auto e = g.factors().beginTotpEnrollment(*s, QStringLiteral("phone"));
        QVERIFY(e);
        gh::OtpauthKey key;
        QCOMPARE(gh::otpauth::parse(QString::fromLatin1(e->uri.chars(), static_cast<qsizetype>(e->uri.size())), &key),
                 gh::OtpauthError::None);
        QVERIFY(
            g.factors().confirmTotp(*s, e->factorId, gh::totp::generate(key.secret, clock().nowSecs(), key.params)));
        QVERIFY(g.login().logout(*s));
    }
    for (int i = 0; i < gh::throttle::kLockAt; ++i) {
        clock().advance(gh::throttle::kMaxDelaySecs + 1);
        QVERIFY(!g.login().fullLogin(QStringLiteral("dave"), buf(QStringLiteral("not dave's password")),
                                     QStringLiteral("guess")));
    }
    QVERIFY(g.login().logout(alice->session));
}

void tst_GuiPeople::cleanupTestCase() {
    (void)gh::SecretServiceKeyStore().remove(gh::Vault::keychainEntry(gh::Vault::canonicalPath(m_vault)));
}

void tst_GuiPeople::signIn(const QString& user, const QString& password, bool withCode) {
    QTRY_VERIFY_WITH_TIMEOUT(m_app->vaultOpen(), kTimeoutMs);
    QTRY_VERIFY(item(QStringLiteral("loginScreen")));
    typeInto(QStringLiteral("login.username"), user);
    typeInto(QStringLiteral("login.password"), password);
    QTRY_VERIFY_WITH_TIMEOUT(m_app->login()->canSignIn(), kTimeoutMs);
    press(Qt::Key_Return);
    if (withCode) {
        QTRY_COMPARE_WITH_TIMEOUT(m_app->screen(), AppController::SecondFactor, kTimeoutMs);
        clock().advance(30); // a step not used yet (each code works once)
        typeInto(QStringLiteral("secondFactor.totp"), code());
        press(Qt::Key_Return);
    }
    QTRY_VERIFY_WITH_TIMEOUT(m_app->screen() != AppController::Login && m_app->screen() != AppController::SecondFactor,
                             kTimeoutMs);
}

void tst_GuiPeople::openPeople() {
    QTRY_COMPARE_WITH_TIMEOUT(m_app->screen(), AppController::Home, kTimeoutMs);
    QTRY_VERIFY_WITH_TIMEOUT(isShown(QStringLiteral("nav.people")), kTimeoutMs);
    click(QStringLiteral("nav.people"));
    QTRY_COMPARE(m_app->screen(), AppController::People);
    QTRY_VERIFY_WITH_TIMEOUT(item(QStringLiteral("people.row.bob")), kTimeoutMs);
    QTRY_VERIFY_WITH_TIMEOUT(!m_app->busy(), kTimeoutMs);
}

void tst_GuiPeople::confirm(const QString& button, const QString& question) {
    QTRY_VERIFY_WITH_TIMEOUT(!m_app->busy(), kTimeoutMs);
    click(button);
    QTRY_VERIFY(isShown(QStringLiteral("confirm.text")));
    QVERIFY2(textOf(QStringLiteral("confirm.text")).startsWith(question),
             qPrintable(textOf(QStringLiteral("confirm.text"))));
    // First focus is never on the destructive button.
    QVERIFY(m_window->activeFocusItem() != item(QStringLiteral("confirm.accept")));
    click(QStringLiteral("confirm.accept"));
    QTRY_VERIFY(!isShown(QStringLiteral("confirm.text")));
}

void tst_GuiPeople::listSearchAndAddAPerson() {
    QVERIFY(launch(m_vault));
    signIn(kAdmin, kPassword, true);
    openPeople();

    // Every account, with its state, factors (and their categories), roles and sessions.
    QCOMPARE(stateOf(QStringLiteral("bob")), QStringLiteral("Enabled"));
    QCOMPARE(stateOf(QStringLiteral("dave")), QStringLiteral("Locked after too many failed sign-ins"));
    QCOMPARE(textOf(QStringLiteral("people.factors.alice")),
             QStringLiteral("Authenticator app “phone” (something you have)"));
    QCOMPARE(textOf(QStringLiteral("people.factors.bob")), QStringLiteral("none (password only)"));
    QCOMPARE(textOf(QStringLiteral("people.roles.alice")), QStringLiteral("admin"));
    QCOMPARE(textOf(QStringLiteral("people.roles.bob")), QStringLiteral("no role"));
    QCOMPARE(textOf(QStringLiteral("people.sessions.alice")), QStringLiteral("1 open session"));
    // The service's clock ran a day ahead while dave was locked: not "today", but a time.
    QVERIFY(textOf(QStringLiteral("people.lastLogin.alice")).contains(u':'));
    QVERIFY(isShown(QStringLiteral("people.unlock.dave")));
    QVERIFY(!isShown(QStringLiteral("people.unlock.bob")));
    QVERIFY(!isShown(QStringLiteral("people.disable.alice"))); // not oneself
    screenshot(QStringLiteral("people"));

    // Search narrows the list as it is typed.
    typeInto(QStringLiteral("people.search"), QStringLiteral("locked"));
    QTRY_VERIFY(!item(QStringLiteral("people.row.bob")));
    QVERIFY(item(QStringLiteral("people.row.dave")));
    for (int i = 0; i < 6; ++i)
        press(Qt::Key_Backspace);
    QTRY_VERIFY(item(QStringLiteral("people.row.bob")));

    // Add a person: the name is checked as it is typed; the role starts at "no role".
    click(QStringLiteral("people.add"));
    QTRY_VERIFY(isShown(QStringLiteral("people.addName")));
    QTRY_COMPARE(m_window->activeFocusItem(), item(QStringLiteral("people.addName")));
    typeText(QStringLiteral("bob"));
    QTRY_COMPARE(textOf(QStringLiteral("people.addNameProblem")), QStringLiteral("bob already exists."));
    QVERIFY(!item(QStringLiteral("people.addConfirm"))->isEnabled());
    typeText(QStringLiteral("!"));
    QTRY_VERIFY(textOf(QStringLiteral("people.addNameProblem")).startsWith(QStringLiteral("Use 1 to 64")));
    QVERIFY(!item(QStringLiteral("people.addConfirm"))->isEnabled());
    for (int i = 0; i < 4; ++i)
        press(Qt::Key_Backspace);
    typeText(QStringLiteral("Carol"));
    QTRY_COMPARE(textOf(QStringLiteral("people.addNameProblem")), QString());
    QTRY_VERIFY(item(QStringLiteral("people.addConfirm"))->isEnabled());
    QCOMPARE(item(QStringLiteral("people.addRole"))->property("currentText").toString(), QStringLiteral("no role"));
    screenshot(QStringLiteral("people-add"));
    press(Qt::Key_Return); // Enter in the name field adds
    QTRY_VERIFY_WITH_TIMEOUT(isShown(QStringLiteral("people.issuedPassword")), kTimeoutMs);
    QTRY_VERIFY_WITH_TIMEOUT(item(QStringLiteral("people.row.carol")), kTimeoutMs);
    QCOMPARE(textOf(QStringLiteral("people.notice")), QStringLiteral("Added carol with no role."));
    const QString temporary = textOf(QStringLiteral("people.issuedPassword"));
    QVERIFY(temporary.size() >= 16);
    QVERIFY2(textOf(QStringLiteral("people.issuedExpires")).startsWith(QStringLiteral("Valid until ")),
             qPrintable(textOf(QStringLiteral("people.issuedExpires"))));
    QVERIFY(textOf(QStringLiteral("people.issuedExpires")).contains(QStringLiteral("(72 hours)")));
    QTRY_COMPARE(stateOf(QStringLiteral("carol")), QStringLiteral("Enabled · must choose a new password at sign-in"));
    QCOMPARE(textOf(QStringLiteral("people.roles.carol")), QStringLiteral("no role"));
    QCOMPARE(textOf(QStringLiteral("people.lastLogin.carol")), QStringLiteral("never"));
    screenshot(QStringLiteral("people-added"));

    // Copy puts it on the clipboard and takes it off again (30 s; 1 s here) while it still holds it.
    m_app->people()->setClipboardClearMs(1000);
    click(QStringLiteral("people.copyIssued"));
    QCOMPARE(QGuiApplication::clipboard()->text(), temporary);
    QTRY_COMPARE_WITH_TIMEOUT(QGuiApplication::clipboard()->text(), QString(), 5000);
    // …but not what the person copied since.
    click(QStringLiteral("people.copyIssued"));
    QGuiApplication::clipboard()->setText(QStringLiteral("something else"));
    QTest::qWait(1500);
    QCOMPARE(QGuiApplication::clipboard()->text(), QStringLiteral("something else"));
    // Shown once: hidden, it is gone.
    click(QStringLiteral("people.dismissIssued"));
    QTRY_VERIFY(!isShown(QStringLiteral("people.issuedPassword")));
    QCOMPARE(m_app->people()->issuedPassword(), QString());

    // Core agrees: carol has no role and must replace the password.
    auto users = m_app->client().listUsers(*m_app->session());
    QVERIFY(users);
    bool found = false;
    for (const gh::UserInfo& u : *users) {
        if (u.username == QStringLiteral("carol")) {
            found = true;
            QVERIFY(u.roles.isEmpty());
            QVERIFY(u.mustChangePassword);
        }
    }
    QVERIFY(found);

    // carol signs in with it and replaces it.
    m_app->signOut();
    signIn(QStringLiteral("carol"), temporary, false);
    QTRY_COMPARE_WITH_TIMEOUT(m_app->screen(), AppController::ChangePassword, kTimeoutMs);
    const QString carolsOwn = QStringLiteral("carol's very own passphrase");
    typeInto(QStringLiteral("changePassword.current"), temporary);
    typeInto(QStringLiteral("changePassword.next"), carolsOwn);
    typeInto(QStringLiteral("changePassword.repeat"), carolsOwn);
    QTRY_VERIFY_WITH_TIMEOUT(item(QStringLiteral("changePassword.submit"))->isEnabled(), kTimeoutMs);
    click(QStringLiteral("changePassword.submit"));
    QTRY_COMPARE_WITH_TIMEOUT(m_app->screen(), AppController::Home, kTimeoutMs);
    QVERIFY(!loginAs(QStringLiteral("carol"), temporary));
    auto own = loginAs(QStringLiteral("carol"), carolsOwn);
    QVERIFY(own);
    QCOMPARE(own->info.restriction, gh::Restriction::None);
    // carol (no role) sees no People link, and core refuses the list.
    QTRY_VERIFY_WITH_TIMEOUT(!m_app->busy(), kTimeoutMs);
    QVERIFY(!isShown(QStringLiteral("nav.people")));
    QCOMPARE(m_app->client().listUsers(*own).code(), gh::Errc::NotPermitted);
}

void tst_GuiPeople::disableEnableUnlockAndEndSessions() {
    QVERIFY(launch(m_vault));
    signIn(kAdmin, kPassword, true);
    auto bobs = loginAs(QStringLiteral("bob"), kBobPassword); // bob is signed in elsewhere
    QVERIFY(bobs);
    openPeople();
    QTRY_COMPARE(textOf(QStringLiteral("people.sessions.bob")), QStringLiteral("1 open session"));

    // Disable asks first, naming what happens; Escape cancels and nothing changes.
    const int calls = m_app->serviceCalls();
    click(QStringLiteral("people.disable.bob"));
    QTRY_VERIFY(isShown(QStringLiteral("confirm.text")));
    QCOMPARE(textOf(QStringLiteral("confirm.text")),
             QStringLiteral("Disable bob? bob's open session ends at once. bob cannot sign in until enabled again; "
                            "nothing else changes."));
    screenshot(QStringLiteral("people-confirm"));
    press(Qt::Key_Escape);
    QTRY_VERIFY(!isShown(QStringLiteral("confirm.text")));
    QCOMPARE(m_app->serviceCalls(), calls);
    QCOMPARE(m_app->screen(), AppController::People);
    QCOMPARE(stateOf(QStringLiteral("bob")), QStringLiteral("Enabled"));
    QVERIFY(m_app->client().validate(*bobs));

    confirm(QStringLiteral("people.disable.bob"), QStringLiteral("Disable bob?"));
    QTRY_COMPARE_WITH_TIMEOUT(stateOf(QStringLiteral("bob")), QStringLiteral("Disabled"), kTimeoutMs);
    QCOMPARE(textOf(QStringLiteral("people.notice")),
             QStringLiteral("bob is disabled; their open sessions have ended."));
    QCOMPARE(m_app->client().validate(*bobs).code(), gh::Errc::SessionInvalid);
    QCOMPARE(loginAs(QStringLiteral("bob"), kBobPassword).code(), gh::Errc::AccountDisabled);
    QVERIFY(isShown(QStringLiteral("people.enable.bob")));
    click(QStringLiteral("people.enable.bob"));
    QTRY_COMPARE_WITH_TIMEOUT(stateOf(QStringLiteral("bob")), QStringLiteral("Enabled"), kTimeoutMs);
    bobs = loginAs(QStringLiteral("bob"), kBobPassword);
    QVERIFY(bobs);

    // dave is hard-locked: even his right password is refused until he is unlocked.
    QCOMPARE(loginAs(QStringLiteral("dave"), kDavePassword).code(), gh::Errc::LockedOut);
    click(QStringLiteral("people.unlock.dave"));
    QTRY_COMPARE_WITH_TIMEOUT(stateOf(QStringLiteral("dave")), QStringLiteral("Enabled"), kTimeoutMs);
    QVERIFY(!isShown(QStringLiteral("people.unlock.dave")));
    auto dave = loginAs(QStringLiteral("dave"), kDavePassword);
    QVERIFY(dave);
    QVERIFY(m_app->client().logout(*dave));

    // vic is throttled by five wrong passwords (someone guessing): People says so with the time
    // left; Unlock forgets the failures and vic's right password works at once (RL-02).
    for (int i = 0; i <= gh::throttle::kFreeFailures; ++i)
        QCOMPARE(loginAs(QStringLiteral("vic"), QStringLiteral("not vic's password")).code(),
                 gh::Errc::AuthenticationFailed);
    QCOMPARE(loginAs(QStringLiteral("vic"), kVicPassword).code(), gh::Errc::Throttled);
    m_app->people()->load();
    QTRY_VERIFY_WITH_TIMEOUT(stateOf(QStringLiteral("vic")).startsWith(QStringLiteral("Throttled")), kTimeoutMs);
    QCOMPARE(stateOf(QStringLiteral("vic")),
             QStringLiteral("Throttled after wrong passwords · next try in %1 s").arg(gh::throttle::kBaseDelaySecs));
    QVERIFY(isShown(QStringLiteral("people.unlock.vic")));
    screenshot(QStringLiteral("people-throttled"));
    click(QStringLiteral("people.unlock.vic"));
    QTRY_COMPARE_WITH_TIMEOUT(stateOf(QStringLiteral("vic")), QStringLiteral("Enabled"), kTimeoutMs);
    QVERIFY(!isShown(QStringLiteral("people.unlock.vic")));
    auto vic = loginAs(QStringLiteral("vic"), kVicPassword);
    QVERIFY(vic);
    QVERIFY(m_app->client().logout(*vic));

    // End sessions: bob's session (opened again above) ends at once.
    m_app->people()->load();
    QTRY_COMPARE_WITH_TIMEOUT(textOf(QStringLiteral("people.sessions.bob")), QStringLiteral("1 open session"),
                              kTimeoutMs);
    confirm(QStringLiteral("people.endSessions.bob"), QStringLiteral("End every open session of bob?"));
    QTRY_COMPARE_WITH_TIMEOUT(textOf(QStringLiteral("people.sessions.bob")), QStringLiteral("none"), kTimeoutMs);
    QCOMPARE(m_app->client().validate(*bobs).code(), gh::Errc::SessionInvalid);
}

void tst_GuiPeople::resetRemoveAFactorAndDelete() {
    QVERIFY(launch(m_vault));
    signIn(kAdmin, kPassword, true);
    auto bobs = loginAs(QStringLiteral("bob"), kBobPassword);
    QVERIFY(bobs);
    auto daves = loginAs(QStringLiteral("dave"), kDavePassword);
    QVERIFY(daves);
    openPeople();

    // Reset bob's password: a new temporary one, shown once; his open session ends at once.
    confirm(QStringLiteral("people.reset.bob"), QStringLiteral("Reset the password of bob? The current password stops "
                                                               "working. bob's open session ends at once."));
    QTRY_VERIFY_WITH_TIMEOUT(isShown(QStringLiteral("people.issuedPassword")), kTimeoutMs);
    QCOMPARE(m_app->people()->issuedFor(), QStringLiteral("bob"));
    const QString temporary = textOf(QStringLiteral("people.issuedPassword"));
    QVERIFY(temporary.size() >= 16);
    QCOMPARE(m_app->client().validate(*bobs).code(), gh::Errc::SessionInvalid);
    QCOMPARE(loginAs(QStringLiteral("bob"), kBobPassword).code(), gh::Errc::AuthenticationFailed);
    auto withTemporary = loginAs(QStringLiteral("bob"), temporary);
    QVERIFY(withTemporary);
    QCOMPARE(withTemporary->info.restriction, gh::Restriction::ChangePassword);
    QTRY_COMPARE_WITH_TIMEOUT(stateOf(QStringLiteral("bob")),
                              QStringLiteral("Enabled · must choose a new password at sign-in"), kTimeoutMs);
    screenshot(QStringLiteral("people-reset"));
    click(QStringLiteral("people.dismissIssued"));
    QTRY_VERIFY(!isShown(QStringLiteral("people.issuedPassword")));

    // Remove erin's authenticator app (lost phone): a reason is required; focus starts there.
    QCOMPARE(textOf(QStringLiteral("people.factors.erin")),
             QStringLiteral("Authenticator app “phone” (something you have)"));
    click(QStringLiteral("people.removeFactor.erin.0"));
    QTRY_VERIFY(isShown(QStringLiteral("confirm.reason")));
    QTRY_COMPARE(m_window->activeFocusItem(), item(QStringLiteral("confirm.reason")));
    QVERIFY2(textOf(QStringLiteral("confirm.text"))
                 .startsWith(QStringLiteral("Remove Authenticator app from erin? The sessions that used it end")),
             qPrintable(textOf(QStringLiteral("confirm.text"))));
    QVERIFY(textOf(QStringLiteral("confirm.text")).contains(QStringLiteral("It is erin's last second factor")));
    QVERIFY(!item(QStringLiteral("confirm.accept"))->isEnabled());
    typeText(QStringLiteral("lost phone"));
    QTRY_VERIFY(item(QStringLiteral("confirm.accept"))->isEnabled());
    screenshot(QStringLiteral("people-remove-factor"));
    press(Qt::Key_Return);
    QTRY_COMPARE_WITH_TIMEOUT(textOf(QStringLiteral("people.factors.erin")), QStringLiteral("none (password only)"),
                              kTimeoutMs);
    auto erins = loginAs(QStringLiteral("erin"), kErinPassword); // the password alone now
    QVERIFY(erins);
    auto notices = m_app->client().notices(*erins);
    QVERIFY(notices);
    bool told = false;
    for (const gh::AccountNotice& n : *notices)
        told = told || n.text.contains(QStringLiteral("lost phone"));
    QVERIFY2(told, "erin is told why");

    // Delete dave: the question names what goes; his session ends, his audit history stays.
    m_app->people()->load();
    QTRY_COMPARE_WITH_TIMEOUT(textOf(QStringLiteral("people.sessions.dave")), QStringLiteral("1 open session"),
                              kTimeoutMs);
    QTRY_VERIFY_WITH_TIMEOUT(!m_app->busy(), kTimeoutMs);
    confirm(QStringLiteral("people.delete.dave"),
            QStringLiteral("Delete dave? Going with it: 1 open session. The audit history stays under the name dave. "
                           "This cannot be undone."));
    QTRY_VERIFY_WITH_TIMEOUT(!item(QStringLiteral("people.row.dave")), kTimeoutMs);
    QCOMPARE(m_app->client().validate(*daves).code(), gh::Errc::SessionInvalid);
    QCOMPARE(loginAs(QStringLiteral("dave"), kDavePassword).code(), gh::Errc::AuthenticationFailed);
    gh::AuditQuery history;
    history.user = QStringLiteral("dave");
    auto page = m_app->client().queryAudit(*m_app->session(), history);
    QVERIFY(page);
    QVERIFY(!page->events.isEmpty());

    // Core refuses deleting the last administrator too, and says why as a guard.
    m_app->people()->deletePerson(kAdmin);
    QTRY_VERIFY_WITH_TIMEOUT(
        textOf(QStringLiteral("people.error"))
            .startsWith(QStringLiteral("alice is the only administrator — make someone else one first")),
        kTimeoutMs);
    QVERIFY(item(QStringLiteral("people.row.alice")));
}

void tst_GuiPeople::lastAdministratorIsGuarded() {
    QVERIFY(launch(m_vault));
    signIn(kAdmin, kPassword, true);
    openPeople();
    const int calls = m_app->serviceCalls();
    click(QStringLiteral("people.delete.alice"));
    QTRY_VERIFY(isShown(QStringLiteral("confirm.guard")));
    QCOMPARE(textOf(QStringLiteral("confirm.guard")),
             QStringLiteral("alice is the only administrator — make someone else one first, then delete alice."));
    QVERIFY(!isShown(QStringLiteral("confirm.accept")));
    press(Qt::Key_Escape);
    QTRY_VERIFY(!isShown(QStringLiteral("confirm.guard")));
    QCOMPARE(m_app->serviceCalls(), calls);
    QCOMPARE(m_app->screen(), AppController::People);
}

void tst_GuiPeople::viewerChangesOwnPasswordFromMySecurity() {
    QVERIFY(launch(m_vault));
    signIn(QStringLiteral("vic"), kVicPassword, false);
    QTRY_COMPARE_WITH_TIMEOUT(m_app->screen(), AppController::Home, kTimeoutMs);
    QTRY_VERIFY_WITH_TIMEOUT(!m_app->busy(), kTimeoutMs);
    // A viewer does not hold users.read: no People link (core would refuse the list).
    QVERIFY(!isShown(QStringLiteral("nav.people")));
    // vic holds only a password: Home says so (once the account's assurance is known).
    QTRY_VERIFY_WITH_TIMEOUT(isShown(QStringLiteral("home.mfaHint")), kTimeoutMs);
    QCOMPARE(textOf(QStringLiteral("home.factor")), QStringLiteral("Password"));
    click(QStringLiteral("nav.security"));
    QTRY_COMPARE(m_app->screen(), AppController::Security);
    click(QStringLiteral("security.changePassword"));
    QTRY_COMPARE(m_app->screen(), AppController::ChangePassword);
    QTRY_VERIFY(item(QStringLiteral("changePasswordScreen")));
    // Escape goes back to My security, nothing changed.
    press(Qt::Key_Escape);
    QTRY_COMPARE(m_app->screen(), AppController::Security);
    click(QStringLiteral("security.changePassword"));
    QTRY_COMPARE(m_app->screen(), AppController::ChangePassword);
    const QString next = QStringLiteral("vic's second long passphrase");
    typeInto(QStringLiteral("changePassword.current"), kVicPassword);
    typeInto(QStringLiteral("changePassword.next"), next);
    typeInto(QStringLiteral("changePassword.repeat"), next);
    QTRY_VERIFY_WITH_TIMEOUT(item(QStringLiteral("changePassword.submit"))->isEnabled(), kTimeoutMs);
    const QString before = m_app->session()->info.id;
    press(Qt::Key_Return);
    QTRY_COMPARE_WITH_TIMEOUT(m_app->screen(), AppController::Security, kTimeoutMs);
    QTRY_VERIFY(textOf(QStringLiteral("security.notice")).startsWith(QStringLiteral("Your password is changed.")));
    QVERIFY(m_app->session()->info.id != before); // re-issued, still signed in
    QVERIFY(m_app->client().validate(*m_app->session()));
    QCOMPARE(loginAs(QStringLiteral("vic"), kVicPassword).code(), gh::Errc::AuthenticationFailed);
    QVERIFY(loginAs(QStringLiteral("vic"), next));
}

// Removing one's last second factor says what follows; afterwards every screen agrees on the
// assurance level, and the wizard does not offer recovery codes as a way out of the restriction.
void tst_GuiPeople::administratorRemovesHerLastFactor() {
    QVERIFY(launch(m_vault));
    signIn(kAdmin, kPassword, true);
    QTRY_COMPARE_WITH_TIMEOUT(m_app->screen(), AppController::Home, kTimeoutMs);
    QTRY_VERIFY(textOf(QStringLiteral("home.aal")).startsWith(QStringLiteral("AAL2")));
    click(QStringLiteral("nav.security"));
    QTRY_COMPARE(m_app->screen(), AppController::Security);
    QTRY_VERIFY_WITH_TIMEOUT(!m_app->security()->loading(), kTimeoutMs);
    QTRY_VERIFY(textOf(QStringLiteral("security.aal")).startsWith(QStringLiteral("AAL2")));
    click(QStringLiteral("security.remove.1"));
    QTRY_VERIFY(isShown(QStringLiteral("security.removeText.1")));
    QVERIFY2(textOf(QStringLiteral("security.removeText.1"))
                 .contains(QStringLiteral("It is your last second factor. Your role needs two steps, so this session "
                                          "drops to one-step sign-in and can only add a new factor, as can every "
                                          "sign-in until you do.")),
             qPrintable(textOf(QStringLiteral("security.removeText.1"))));
    screenshot(QStringLiteral("security-remove-last"));
    QTRY_COMPARE(m_window->activeFocusItem(), item(QStringLiteral("security.removePassword.1")));
    typeText(kPassword);
    press(Qt::Key_Return);
    // The session goes on, restricted and at AAL1: the window goes to the wizard, which says AAL1
    // like Home's model, and does not offer recovery codes as a way out of the restriction.
    QTRY_VERIFY2_WITH_TIMEOUT(m_app->screen() == AppController::Enroll,
                              qPrintable(textOf(QStringLiteral("security.error")) + QLatin1Char('|') +
                                         textOf(QStringLiteral("security.notice"))),
                              kTimeoutMs);
    QVERIFY(m_app->enroll()->restricted());
    QTRY_COMPARE_WITH_TIMEOUT(textOf(QStringLiteral("enroll.aal")), QStringLiteral("AAL1"), kTimeoutMs);
    QTRY_COMPARE_WITH_TIMEOUT(m_app->home()->aal(), QStringLiteral("AAL1"), kTimeoutMs);
    QCOMPARE(m_app->session()->info.aal, gh::Aal::Aal1);
    QTRY_VERIFY(isShown(QStringLiteral("enroll.chooseTotp")));
    QTRY_VERIFY_WITH_TIMEOUT(!m_app->busy(), kTimeoutMs);
    QVERIFY(!isShown(QStringLiteral("enroll.chooseRecovery"))); // codes do not lift the restriction
    QVERIFY(isShown(QStringLiteral("enroll.restriction")));
    screenshot(QStringLiteral("enroll-restricted"));

    // The next sign-in, with the password alone, is restricted the same way.
    m_app->signOut();
    signIn(kAdmin, kPassword, false);
    QTRY_COMPARE_WITH_TIMEOUT(m_app->screen(), AppController::Enroll, kTimeoutMs);
    QVERIFY(m_app->enroll()->restricted());
    QTRY_COMPARE_WITH_TIMEOUT(textOf(QStringLiteral("enroll.aal")), QStringLiteral("AAL1"), kTimeoutMs);
    QTRY_VERIFY_WITH_TIMEOUT(!m_app->busy(), kTimeoutMs);
    QVERIFY(!isShown(QStringLiteral("enroll.chooseRecovery")));
}

QTEST_MAIN(tst_GuiPeople)
#include "tst_gui_people.moc"
