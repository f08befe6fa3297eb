// The keyboard alone (issue 14, item 4): the real Main.qml in a real window (Xvfb) against a real
// gatehoused-test. On every main screen the first focused control shows its focus ring; Tab and
// Shift+Tab move focus to a named control, never get stuck and come round again; Space presses the
// focused button; Escape goes back to Home or closes the "Confirm it's you" dialog. alice
// (administrator, authenticator app) walks Home, My security, Active sessions, Roles (with the
// step-up dialog) and the audit log; bob signs in with a temporary password (Change password).
// Screenshots: <build>/tests/ui/screenshots/keyboard-*.png (each screen's first focus ring).
#include "appcontroller.h"
#include "crypto/selftest.h"
#include "gatehouse.h"
#include "guidriver.h"
#include "seedadmin.h"
#include "startup.h"
#include "vault/vault.h"
#include "verification/otpauth.h"

#include <QAccessible>
#include <QtQml/QQmlExtensionPlugin>
#include <QtTest>

Q_IMPORT_QML_PLUGIN(Gatehouse_UiPlugin)

using gh::ui::AppController;

namespace {
const QString kAdmin = QStringLiteral("alice");
const QString kPassword = QStringLiteral("correct horse battery staple");
constexpr int kTimeoutMs = 30000;
} // namespace

class tst_GuiKeyboard : public QObject, public gh::test::GuiDriver {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void cleanup() { close(); }
    void everyMainScreenByKeyboard();
    void changePasswordByKeyboard();

private:
    gh::test::FileClock& clock() { return useFileClock(); }
    QString code() {
        gh::SecureBuffer seed(m_seed.constData(), static_cast<std::size_t>(m_seed.size()));
        return gh::totp::generate(seed, clock().nowSecs(), m_params);
    }
    QQuickItem* focused() const { return m_window->activeFocusItem(); }
    static QString accessibleName(QQuickItem* item);
    void checkFirstFocus(const QString& where);
    void checkTabCycle(const QString& where);
    bool tabTo(const QString& name);
    void signIn(const QString& user, const QString& password, bool withCode);

    QTemporaryDir m_dir;
    QString m_vault;
    QByteArray m_seed;
    gh::TotpParams m_params;
    QString m_bobTemporary;
};

void tst_GuiKeyboard::initTestCase() {
    QVERIFY(m_dir.isValid());
    QVERIFY2(qEnvironmentVariableIsSet("DISPLAY"), "run inside tests/support/with-services.sh (Xvfb)");
    QVERIFY(gh::crypto::runSelfTest().passed);
    m_vault = m_dir.filePath(QStringLiteral("vault.db"));
    gh::ui::applyStyle();
    QAccessible::setActive(true); // names are read through the accessible interfaces, as Orca reads them

    gh::Services services = testServices();
    services.clock = &clock();
    gh::Gatehouse g(services);
    auto alice = gh::test::seedAdminWithTotp(g, m_vault, kAdmin, kPassword, clock());
    QVERIFY(alice);
    m_seed = alice->seed;
    m_params = alice->params;
    auto temp = g.accounts().addUser(alice->session, QStringLiteral("bob"), QStringLiteral("viewer"));
    QVERIFY(temp);
    m_bobTemporary = QString::fromUtf8(temp->chars(), static_cast<qsizetype>(temp->size()));
}

void tst_GuiKeyboard::cleanupTestCase() {
    (void)gh::SecretServiceKeyStore().remove(gh::Vault::keychainEntry(gh::Vault::canonicalPath(m_vault)));
}

QString tst_GuiKeyboard::accessibleName(QQuickItem* item) {
    QAccessibleInterface* iface = item ? QAccessible::queryAccessibleInterface(item) : nullptr;
    return iface ? iface->text(QAccessible::Name).trimmed() : QString();
}

// The control the screen focuses first shows its focus ring (a control's visualFocus, or the
// secret field's frame, which follows activeFocus).
void tst_GuiKeyboard::checkFirstFocus(const QString& where) {
    QTRY_VERIFY2(focused() && focused() != m_window->contentItem(), qPrintable(where + QStringLiteral(": focus")));
    QQuickItem* first = focused();
    QVERIFY2(!accessibleName(first).isEmpty(), qPrintable(where + QStringLiteral(": the first control has a name")));
    const QVariant visualFocus = first->property("visualFocus");
    if (visualFocus.isValid())
        QTRY_VERIFY2(
            first->property("visualFocus").toBool(),
            qPrintable(where + QStringLiteral(": the first control shows its focus ring: ") + accessibleName(first)));
}

// Tab from the focused control: every stop is a different, named, visible control, and focus
// comes back round to the start within 60 presses; Shift+Tab undoes each Tab.
void tst_GuiKeyboard::checkTabCycle(const QString& where) {
    QQuickItem* start = focused();
    QVERIFY(start);
    QList<QQuickItem*> stops{start};
    for (int i = 0; i < 60; ++i) {
        QQuickItem* before = focused();
        press(Qt::Key_Tab);
        QQuickItem* now = focused();
        QVERIFY2(now && now != before,
                 qPrintable(where + QStringLiteral(": Tab is stuck on ") + accessibleName(before)));
        QVERIFY2(now->isVisible(), qPrintable(where + QStringLiteral(": Tab reached a hidden item")));
        QVERIFY2(!accessibleName(now).isEmpty(),
                 qPrintable(where + QStringLiteral(": Tab reached a control without a name: ") +
                            QString::fromLatin1(now->metaObject()->className()) + QLatin1Char(' ') +
                            now->objectName()));
        press(Qt::Key_Backtab);
        QVERIFY2(focused() == before,
                 qPrintable(where + QStringLiteral(": Shift+Tab goes back from ") + accessibleName(now)));
        press(Qt::Key_Tab);
        QCOMPARE(focused(), now);
        if (now == start)
            return;
        QVERIFY2(!stops.contains(now),
                 qPrintable(where + QStringLiteral(": Tab loops without the start: ") + accessibleName(now)));
        stops << now;
    }
    QFAIL(qPrintable(where + QStringLiteral(": Tab never came back round")));
}

bool tst_GuiKeyboard::tabTo(const QString& name) {
    for (int i = 0; i < 60 && focused() != item(name); ++i)
        press(Qt::Key_Tab);
    return focused() == item(name);
}

void tst_GuiKeyboard::signIn(const QString& user, const QString& password, bool withCode) {
    QTRY_VERIFY_WITH_TIMEOUT(m_app->vaultOpen(), kTimeoutMs);
    QTRY_VERIFY(item(QStringLiteral("loginScreen")));
    QTRY_VERIFY(focused() == item(QStringLiteral("login.username")) ||
                focused() == item(QStringLiteral("login.password")));
    if (focused() == item(QStringLiteral("login.username"))) {
        checkFirstFocus(QStringLiteral("sign-in"));
        typeText(user);
        press(Qt::Key_Return); // Enter moves on to the password
    }
    QTRY_COMPARE(focused(), item(QStringLiteral("login.password")));
    typeText(password);
    QTRY_VERIFY_WITH_TIMEOUT(m_app->login()->canSignIn(), kTimeoutMs);
    press(Qt::Key_Return);
    if (withCode) {
        QTRY_COMPARE_WITH_TIMEOUT(m_app->screen(), AppController::SecondFactor, kTimeoutMs);
        QTRY_VERIFY(item(QStringLiteral("secondFactor.totp")));
        checkFirstFocus(QStringLiteral("second factor"));
        clock().advance(30);
        typeText(code());
        press(Qt::Key_Return);
    }
}

void tst_GuiKeyboard::everyMainScreenByKeyboard() {
    QVERIFY(launch(m_vault));
    signIn(kAdmin, kPassword, true);
    QTRY_COMPARE_WITH_TIMEOUT(m_app->screen(), AppController::Home, kTimeoutMs);
    QTRY_VERIFY_WITH_TIMEOUT(isShown(QStringLiteral("nav.roles")), kTimeoutMs);
    QTRY_VERIFY_WITH_TIMEOUT(isShown(QStringLiteral("home.audit")), kTimeoutMs);
    QTRY_VERIFY_WITH_TIMEOUT(isShown(QStringLiteral("nav.people")), kTimeoutMs);
    checkFirstFocus(QStringLiteral("home"));
    checkTabCycle(QStringLiteral("home"));

    // Space presses the focused button; Escape comes back.
    const struct {
        const char* link;
        AppController::Screen screen;
        const char* where;
    } screens[] = {
        {"nav.security", AppController::Security, "my security"},
        {"nav.sessions", AppController::Sessions, "sessions"},
        {"nav.roles", AppController::Roles, "roles"},
        {"nav.people", AppController::People, "people"},
        {"home.audit", AppController::Audit, "audit"},
    };
    for (const auto& s : screens) {
        const QString where = QString::fromLatin1(s.where);
        QTRY_COMPARE(m_app->screen(), AppController::Home);
        QTRY_VERIFY(item(QString::fromLatin1(s.link)));
        QVERIFY2(tabTo(QString::fromLatin1(s.link)), s.link);
        press(Qt::Key_Space);
        QTRY_COMPARE_WITH_TIMEOUT(m_app->screen(), s.screen, kTimeoutMs);
        QTest::qWait(300); // the screen's own checks answer and its layout settles
        checkFirstFocus(where);
        QVERIFY(!saveScreenshot(
                     QStringLiteral("keyboard-") + QString(where).replace(QLatin1Char(' '), QLatin1Char('-')), false)
                     .isNull()); // the first control with its focus ring
        checkTabCycle(where);
        press(Qt::Key_Escape);
        QTRY_COMPARE_WITH_TIMEOUT(m_app->screen(), AppController::Home, kTimeoutMs);
        QTRY_VERIFY2(focused() && !accessibleName(focused()).isEmpty(),
                     qPrintable(where + QStringLiteral(": back home, focus")));
    }

    // "Confirm it's you": over 5 minutes after the sign-in, a role change asks; focus starts in its
    // password field, Tab stays inside the dialog, Escape closes it.
    QTRY_VERIFY_WITH_TIMEOUT(!m_app->busy(), kTimeoutMs);
    clock().advance(gh::Gatehouse::kStepUpWindowSecs + 1);
    QVERIFY(tabTo(QStringLiteral("nav.roles")));
    press(Qt::Key_Space);
    QTRY_COMPARE(m_app->screen(), AppController::Roles);
    QTRY_VERIFY_WITH_TIMEOUT(item(QStringLiteral("roles.assign.bob")), kTimeoutMs);
    // No role is preselected: pick one with the arrow keys, then Assign is reachable.
    QVERIFY(tabTo(QStringLiteral("roles.pick.bob")));
    press(Qt::Key_Down);
    QTRY_VERIFY(item(QStringLiteral("roles.assign.bob"))->isEnabled());
    QVERIFY(tabTo(QStringLiteral("roles.assign.bob")));
    press(Qt::Key_Space);
    QTRY_VERIFY2_WITH_TIMEOUT(m_app->stepUp()->active(),
                              qPrintable(textOf(QStringLiteral("roles.notice")) + QLatin1Char('|') +
                                         textOf(QStringLiteral("roles.error")) + QLatin1Char('|') +
                                         accessibleName(focused())),
                              kTimeoutMs);
    QTRY_VERIFY(isShown(QStringLiteral("stepUp.password"))); // the dialog is open
    QTRY_COMPARE(focused(), item(QStringLiteral("stepUp.password")));
    checkFirstFocus(QStringLiteral("step-up"));
    QVERIFY(!saveScreenshot(QStringLiteral("keyboard-step-up"), false).isNull());
    checkTabCycle(QStringLiteral("step-up"));
    press(Qt::Key_Escape);
    QTRY_VERIFY(!isShown(QStringLiteral("stepUp.password"))); // closed (and unloaded with it)
    QCOMPARE(m_app->screen(), AppController::Roles);          // Escape closed the dialog, not the screen
    press(Qt::Key_Escape);
    QTRY_COMPARE(m_app->screen(), AppController::Home);
}

void tst_GuiKeyboard::changePasswordByKeyboard() {
    QVERIFY(launch(m_vault));
    signIn(QStringLiteral("bob"), m_bobTemporary, false);
    QTRY_COMPARE_WITH_TIMEOUT(m_app->screen(), AppController::ChangePassword, kTimeoutMs);
    QTRY_VERIFY(item(QStringLiteral("changePassword.current")));
    QTest::qWait(300); // the screen's fade-in and layout
    checkFirstFocus(QStringLiteral("change password"));
    checkTabCycle(QStringLiteral("change password"));
}

QTEST_MAIN(tst_GuiKeyboard)
#include "tst_gui_keyboard.moc"
