// Security keys through the GUI, end to end (issue 4, issue 10 item 6): the real Main.qml in a real
// window (Xvfb), a real gatehoused with the Secret Service, and the software authenticator
// (SoftFido) driven by the real libfido2 in THIS process — the window's gh::Client runs the
// ceremony at the seat (a StateFileKey installed with Client::setDefaultSecurityKeyTransport, only
// in test builds); the service only issues challenges and verifies (FIDO-01/02). The key's state
// lives in a file this test writes; plugging the key in or out is rewriting that file. The first administrator opens
// the wizard's "Security key" step with no key plugged in (the step says so and waits), the key is plugged in (live
// detection), named and registered; then she signs out and signs in with password + key. Covers FIDO-01 (RP id shown),
// FIDO-02 (login with the key), FIDO-05 (AAL3), issue 4 "with no key attached the GUI says so plainly". Screenshots:
// enroll-security-key, login-security-key.
#include "appcontroller.h"
#include "crypto/selftest.h"
#include "gatehouse.h"
#include "guidriver.h"
#include "softfido.h"
#include "startup.h"
#include "statefilekey.h"

#include <QDir>
#include <QFile>
#include <QQmlApplicationEngine>
#include <QQuickItem>
#include <QQuickWindow>
#include <QSaveFile>
#include <QTemporaryDir>
#include <QtQml/QQmlExtensionPlugin>
#include <QtTest>

Q_IMPORT_QML_PLUGIN(Gatehouse_UiPlugin)

using gh::test::SoftFido;
using gh::ui::AppController;
using gh::ui::EnrollModel;

namespace {
const QString kAdmin = QStringLiteral("alice");
const QString kPassword = QStringLiteral("correct horse battery staple");
constexpr int kTimeoutMs = 30000;
} // namespace

class tst_GuiFido2 : public QObject, public gh::test::GuiDriver {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanup();
    void enrollKeyInWizardThenSignInWithPasswordAndKey();
    void ATK04_throttledOwnerSignsInWithKeyButton();

private:
    // The key the service sees: written to (or read back from) its state file.
    bool plugIn(SoftFido& key, bool attached);
    SoftFido keyNow() const;
    QImage screenshot(const QString& name, bool forReadme = false);
    void signInWithPassword();
    void typeInto(const QString& field, const QString& text);

    QTemporaryDir m_dir;
    QString m_vault;
    QString m_keyState;
    std::unique_ptr<gh::test::StateFileKey> m_softKey;
};

void tst_GuiFido2::initTestCase() {
    QVERIFY(m_dir.isValid());
    QVERIFY2(qEnvironmentVariableIsSet("DISPLAY"), "run inside tests/support/with-services.sh (Xvfb)");
    QVERIFY(gh::crypto::runSelfTest().passed);
    m_vault = m_dir.filePath(QStringLiteral("vault.db"));
    m_keyState = m_dir.filePath(QStringLiteral("softfido.state"));
    m_softKey = std::make_unique<gh::test::StateFileKey>(m_keyState);
    gh::Client::setDefaultSecurityKeyTransport(m_softKey.get()); // before the window's client exists
    gh::ui::applyStyle();
}

void tst_GuiFido2::cleanup() {
    close();
}

bool tst_GuiFido2::plugIn(SoftFido& key, bool attached) {
    key.options().attached = attached;
    QSaveFile f(m_keyState); // the service never reads half a file
    return f.open(QIODevice::WriteOnly) && f.write(key.save()) > 0 && f.commit();
}

SoftFido tst_GuiFido2::keyNow() const {
    QFile f(m_keyState);
    return f.open(QIODevice::ReadOnly) ? SoftFido::load(f.readAll()) : SoftFido();
}

QImage tst_GuiFido2::screenshot(const QString& name, bool forReadme) {
    return saveScreenshot(name, forReadme);
}

void tst_GuiFido2::signInWithPassword() {
    QTRY_VERIFY_WITH_TIMEOUT(m_app->vaultOpen(), kTimeoutMs);
    QTRY_VERIFY(item(QStringLiteral("loginScreen")));
    if (textOf(QStringLiteral("login.username")).isEmpty()) {
        QTRY_COMPARE(m_window->activeFocusItem(), item(QStringLiteral("login.username")));
        typeText(kAdmin);
        press(Qt::Key_Return);
    }
    QTRY_COMPARE(m_window->activeFocusItem(), item(QStringLiteral("login.password")));
    typeText(kPassword);
    QTRY_VERIFY_WITH_TIMEOUT(m_app->login()->canSignIn(), kTimeoutMs);
    press(Qt::Key_Return);
}

// Types only into a focused field while the app is idle, and checks the text arrived.
void tst_GuiFido2::typeInto(const QString& field, const QString& text) {
    QTRY_VERIFY_WITH_TIMEOUT(!m_app->busy(), kTimeoutMs);
    QTRY_VERIFY(item(field));
    if (m_window->activeFocusItem() != item(field))
        item(field)->forceActiveFocus();
    QTRY_COMPARE(m_window->activeFocusItem(), item(field));
    typeText(text);
    QTRY_COMPARE(textOf(field), text);
}

void tst_GuiFido2::enrollKeyInWizardThenSignInWithPasswordAndKey() {
    SoftFido key;
    QVERIFY(plugIn(key, false)); // not plugged in yet
    QVERIFY(launch(m_vault));

    // First run: alice, the first administrator.
    QCOMPARE(m_app->screen(), AppController::FirstRun);
    QTRY_COMPARE_WITH_TIMEOUT(m_app->firstRun()->keyMode(), gh::ui::FirstRunModel::Keychain, kTimeoutMs);
    QTRY_COMPARE(m_window->activeFocusItem(), item(QStringLiteral("firstRun.username")));
    typeText(kAdmin);
    press(Qt::Key_Tab);
    typeText(kPassword);
    press(Qt::Key_Return);
    typeText(kPassword);
    QTRY_VERIFY(item(QStringLiteral("firstRun.create"))->isEnabled());
    press(Qt::Key_Return);

    // Set-up's second step (issue 13 item 4): her second factor, where "Security key" is one of
    // the choices.
    QTRY_COMPARE_WITH_TIMEOUT(m_app->screen(), AppController::Enroll, kTimeoutMs);
    QTRY_VERIFY(item(QStringLiteral("enrollScreen")));
    QVERIFY(m_app->enroll()->setup());
    QVERIFY(m_app->enroll()->restricted());
    click(QStringLiteral("enroll.chooseSecurityKey"));
    QTRY_COMPARE_WITH_TIMEOUT(m_app->enroll()->step(), EnrollModel::SecurityKey, kTimeoutMs);

    // No key plugged in: it says so plainly and cannot start.
    QTRY_VERIFY(isShown(QStringLiteral("key.insert")));
    QVERIFY(!item(QStringLiteral("key.start"))->isEnabled());
    QVERIFY(!isShown(QStringLiteral("key.pin"))); // no PIN unless the key asks for one
    // Plain words on screen; the relying party id only on demand (tooltip, accessible description).
    QTRY_VERIFY_WITH_TIMEOUT(
        item(QStringLiteral("key.relyingParty"))->property("detail").toString().contains(QStringLiteral("gatehouse-")),
        kTimeoutMs);
    QVERIFY(!textOf(QStringLiteral("key.relyingParty")).contains(QStringLiteral("relying party")));
    screenshot(QStringLiteral("enroll-security-key-insert"));

    // Plug it in: the step notices by itself (asking about twice a second).
    QVERIFY(plugIn(key, true));
    QTRY_COMPARE_WITH_TIMEOUT(m_app->securityKey()->deviceCount(), 1, kTimeoutMs);
    QTRY_VERIFY(!isShown(QStringLiteral("key.insert")));
    QVERIFY(isShown(QStringLiteral("key.device")));
    typeInto(QStringLiteral("key.name"), QStringLiteral("Blue key"));
    QTRY_VERIFY(item(QStringLiteral("key.start"))->isEnabled());
    screenshot(QStringLiteral("enroll-security-key"), true);

    // Register (Enter in the name field): the key is asked once, and the wizard says done.
    press(Qt::Key_Return);
    QTRY_COMPARE_WITH_TIMEOUT(m_app->enroll()->step(), EnrollModel::Done, kTimeoutMs);
    key = keyNow(); // as the service left it: one credential made
    QCOMPARE(key.credentialCount(), 1);
    QCOMPARE(m_app->enroll()->doneTitle(), QStringLiteral("Set-up complete"));
    QVERIFY(m_app->enroll()->doneText().contains(QStringLiteral("Blue key")));
    QTRY_COMPARE_WITH_TIMEOUT(textOf(QStringLiteral("enroll.aal")), QStringLiteral("AAL3"), kTimeoutMs);
    QVERIFY(!m_app->enroll()->restricted());
    click(QStringLiteral("enroll.finish"));
    QTRY_COMPARE_WITH_TIMEOUT(m_app->screen(), AppController::Home, kTimeoutMs);
    QTRY_VERIFY(item(QStringLiteral("homeScreen")));
    // The account reaches AAL3; this session stays at what its sign-in proved (SES-04, issue 16).
    QVERIFY(textOf(QStringLiteral("home.aal")).startsWith(QStringLiteral("AAL1")));

    // Sign out; sign in with the password, then the key. With the key unplugged, the step says so.
    click(QStringLiteral("nav.signOut"));
    QTRY_COMPARE(m_app->screen(), AppController::Login);
    QVERIFY(plugIn(key, false));
    signInWithPassword();
    QTRY_COMPARE_WITH_TIMEOUT(m_app->screen(), AppController::SecondFactor, kTimeoutMs);
    QTRY_VERIFY(item(QStringLiteral("secondFactorScreen")));
    QVERIFY(m_app->secondFactor()->offersKey());
    QCOMPARE(m_app->secondFactor()->mode(), QStringLiteral("key"));
    QTRY_VERIFY(isShown(QStringLiteral("key.insert")));
    QVERIFY(!item(QStringLiteral("key.start"))->isEnabled());
    QVERIFY(!isShown(QStringLiteral("secondFactor.verify"))); // no code field for a key
    const uint32_t signCount = key.signCount();
    QVERIFY(plugIn(key, true));
    QTRY_COMPARE_WITH_TIMEOUT(m_app->securityKey()->deviceCount(), 1, kTimeoutMs);
    QTRY_VERIFY(item(QStringLiteral("key.start"))->isEnabled());
    QVERIFY(!isShown(QStringLiteral("key.name"))); // naming is for the wizard only
    screenshot(QStringLiteral("login-security-key"), true);
    click(QStringLiteral("key.start"));
    QTRY_COMPARE_WITH_TIMEOUT(m_app->screen(), AppController::Home, kTimeoutMs);
    QCOMPARE(keyNow().signCount(), signCount + 1); // the key signed once
    QVERIFY(m_app->session());
    QCOMPARE(m_app->session()->info.factors,
             (QList<gh::FactorKind>{gh::FactorKind::Password, gh::FactorKind::SecurityKey}));
    QTRY_VERIFY(textOf(QStringLiteral("home.aal")).startsWith(QStringLiteral("AAL3")));

    // My security lists the key with its last use.
    QTRY_VERIFY(item(QStringLiteral("nav.security")));
    click(QStringLiteral("nav.security"));
    QTRY_COMPARE_WITH_TIMEOUT(m_app->screen(), AppController::Security, kTimeoutMs);
    QTRY_VERIFY_WITH_TIMEOUT(!m_app->security()->loading(), kTimeoutMs);
    bool listed = false;
    for (const QVariant& v : m_app->security()->factors()) {
        const QVariantMap f = v.toMap();
        if (f.value(QStringLiteral("kind")).toString() != QLatin1String("fido2"))
            continue;
        listed = true;
        QCOMPARE(f.value(QStringLiteral("label")).toString(), QStringLiteral("Blue key"));
        QVERIFY(f.value(QStringLiteral("lastUsed")).toString() != QStringLiteral("never"));
        QVERIFY(f.value(QStringLiteral("detail")).toString().contains(QStringLiteral("ES256")));
        QCOMPARE(f.value(QStringLiteral("removable")).toBool(), true);
    }
    QVERIFY(listed);
    screenshot(QStringLiteral("my-security-key"));
}

// ATK-04 (issue 13 item 3): someone's wrong passwords pause alice's password sign-in; the login
// screen says a key still works, and "Sign in with a security key" signs her in without the
// password — the key verifies her (built-in UV) — at AAL3, recorded as login.passwordless. The
// key step shows its touch prompt and Cancel, as the second step does.
void tst_GuiFido2::ATK04_throttledOwnerSignsInWithKeyButton() {
    SoftFido key = keyNow(); // alice's "Blue key" from the test before
    QCOMPARE(key.credentialCount(), 1);
    key.options().builtInUv = true; // the same key, now with a fingerprint reader
    QVERIFY(plugIn(key, true));
    QVERIFY(launch(m_vault));
    QTRY_VERIFY_WITH_TIMEOUT(m_app->vaultOpen(), kTimeoutMs);
    QTRY_COMPARE(m_window->activeFocusItem(), item(QStringLiteral("login.username")));
    typeText(kAdmin);
    press(Qt::Key_Return);
    // Five wrong passwords, and the sixth attempt is paused (the countdown); the key is offered.
    for (int i = 0; i < 6; ++i) {
        typeInto(QStringLiteral("login.password"), QStringLiteral("not alice's password %1").arg(i));
        QTRY_VERIFY_WITH_TIMEOUT(m_app->login()->canSignIn(), kTimeoutMs);
        press(Qt::Key_Return);
        QTRY_VERIFY_WITH_TIMEOUT(!m_app->busy(), kTimeoutMs);
        QTRY_VERIFY_WITH_TIMEOUT(!textOf(QStringLiteral("login.error")).isEmpty(), kTimeoutMs);
    }
    QTRY_VERIFY_WITH_TIMEOUT(m_app->login()->retrySeconds() > 0, kTimeoutMs);
    QVERIFY(!m_app->login()->canSignIn());
    QVERIFY(isShown(QStringLiteral("login.keyHint")));
    QVERIFY(item(QStringLiteral("login.securityKey"))->isEnabled());
    QVERIFY(!item(QStringLiteral("login.signIn"))->isEnabled());
    screenshot(QStringLiteral("login-throttled-key"), true);

    // The key step without a password: its own title, the touch prompt, Cancel.
    click(QStringLiteral("login.securityKey"));
    QTRY_COMPARE_WITH_TIMEOUT(m_app->screen(), AppController::SecondFactor, kTimeoutMs);
    QVERIFY(m_app->secondFactor()->passwordless());
    QCOMPARE(m_app->secondFactor()->mode(), QStringLiteral("key"));
    QTRY_COMPARE_WITH_TIMEOUT(m_app->securityKey()->deviceCount(), 1, kTimeoutMs);
    QTRY_VERIFY(item(QStringLiteral("key.start"))->isEnabled());
    QVERIFY(isShown(QStringLiteral("secondFactor.cancel")));
    QVERIFY(!isShown(QStringLiteral("secondFactor.useCode")));
    screenshot(QStringLiteral("login-passwordless-key"), true);
    click(QStringLiteral("key.start"));
    QTRY_COMPARE_WITH_TIMEOUT(m_app->screen(), AppController::Home, kTimeoutMs);
    QVERIFY(m_app->session());
    QCOMPARE(m_app->session()->info.factors,
             (QList<gh::FactorKind>{gh::FactorKind::SecurityKey, gh::FactorKind::SecurityKeyUv}));
    QCOMPARE(m_app->session()->info.aal, gh::Aal::Aal3);
    QVERIFY2(m_app->session()->info.noticeForUser.contains(QStringLiteral("security key signed you in")),
             qPrintable(m_app->session()->info.noticeForUser));

    // The audit says so, read through a client of this test's own with the window's session.
    gh::Client reader;
    QVERIFY(reader.openVault(m_vault).ok());
    auto events = reader.recentAudit(*m_app->session(), 50);
    QVERIFY2(events.ok(), events.ok() ? "" : qPrintable(gh::describe(events.error())));
    bool recorded = false;
    for (const gh::AuditEvent& e : *events)
        recorded = recorded || (e.action == QLatin1String("login.passwordless") &&
                                e.detail.contains(QStringLiteral("while the password path is throttled")));
    QVERIFY(recorded);
}

QTEST_MAIN(tst_GuiFido2)
#include "tst_gui_fido2.moc"
