// The audit screen and Home's per-layer health through the GUI (issue 6, audit half): the real
// Main.qml in a real window (Xvfb), a real gatehoused (gatehoused-test on a private bus) and the
// Secret Service. The vault is prepared in-process, before the service opens it: alice (admin, authenticator app), bob
// (viewer) with one L4 denial, and 100,000 more events appended in batches, so the list must page lazily. alice signs
// in with password and code, reads the health summary on Home, opens the audit log, scrolls (more pages load), filters
// by layer with the keyboard, selects an event and reads its diagnosis, and verifies the chain.
// Covers AUD-04 (chain verification shown), AUD-01 (denials visible with their layer).
// Screenshots: <build>/tests/ui/screenshots/{audit,home-health}.png; with GATEHOUSE_SCREENSHOT_DIR
// set, also there (docs/screenshots for the README).
#include "appcontroller.h"
#include "crypto/selftest.h"
#include "gatehouse.h"
#include "guidriver.h"
#include "startup.h"
#include "vault/keystore.h"
#include "vault/vault.h"
#include "verification/otpauth.h"

#include <QDir>
#include <QQuickItem>
#include <QQuickWindow>
#include <QTemporaryDir>
#include <QtTest>

namespace {
const QString kAdmin = QStringLiteral("alice");
const char kPassword[] = "correct horse battery staple";
const char kBobPassword[] = "violet canyon ledger drifts slowly";
constexpr int kTimeoutMs = 30000;
constexpr int kBulkEvents = 100000;

gh::SecureBuffer pw(const char* s) {
    return gh::SecureBuffer(s, std::strlen(s));
}
} // namespace

class tst_GuiAudit : public QObject, public gh::test::GuiDriver {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void healthOnHomeThenAuditScreen();

private:
    bool prepareVault();
    QString nextCode();
    QImage screenshot(const QString& name);

    QTemporaryDir m_dir;
    QString m_vault;
    gh::OtpauthKey m_key;
    qint64 m_lastStep = -1;
};

void tst_GuiAudit::initTestCase() {
    QVERIFY(m_dir.isValid());
    QVERIFY2(qEnvironmentVariableIsSet("DISPLAY"), "run inside tests/support/with-services.sh (Xvfb)");
    QVERIFY(gh::crypto::runSelfTest().passed);
    m_vault = m_dir.filePath(QStringLiteral("vault.db"));
    QVERIFY(prepareVault());
    gh::ui::applyStyle();
}

void tst_GuiAudit::cleanupTestCase() {
    close();
    (void)gh::SecretServiceKeyStore().remove(gh::Vault::keychainEntry(gh::Vault::canonicalPath(m_vault)));
}

bool tst_GuiAudit::prepareVault() {
    {
        gh::Gatehouse g(testServices());
        if (!g.createVault(m_vault) || !g.accounts().createFirstAdmin(kAdmin, pw(kPassword)))
            return false;
        auto alice = g.login().fullLogin(kAdmin, pw(kPassword), QStringLiteral("test"));
        if (!alice)
            return false;
        auto e = g.factors().beginTotpEnrollment(*alice, QStringLiteral("phone"));
        if (!e || gh::otpauth::parse(QString::fromLatin1(e->uri.chars(), static_cast<qsizetype>(e->uri.size())),
                                     &m_key) != gh::OtpauthError::None)
            return false;
        if (!g.factors().confirmTotp(*alice, e->factorId, nextCode()))
            return false;
        // Enrolling leaves the session at what its sign-in proved: step up with the app.
        const gh::SecureBuffer next = gh::SecureBuffer::fromUtf8(nextCode());
        if (gh::Status u = g.login().stepUp(*alice, pw(kPassword), gh::FactorKind::Totp, &next); !u) {
            qWarning("step-up: %s", qPrintable(gh::describe(u.error())));
            return false;
        }
        // A viewer: a password-only operator would be refused for its missing second factor first (issue 13).
        auto temp = g.accounts().addUser(*alice, QStringLiteral("bob"), QStringLiteral("viewer"));
        if (!temp)
            return false;
        auto bob = g.login().fullLogin(QStringLiteral("bob"), *temp, QStringLiteral("test"));
        if (!bob || !g.login().changePassword(*bob, *temp, pw(kBobPassword)))
            return false;
        if (g.accounts().addUser(*bob, QStringLiteral("eve"), QString()).code() != gh::Errc::NotPermitted)
            return false;
        // A second administrator who has not enrolled a factor yet: a health warning on Home.
        if (!g.accounts().addUser(*alice, QStringLiteral("zed"), QStringLiteral("admin")))
            return false;
        (void)g.login().logout(*bob);
        (void)g.login().logout(*alice);
    }
    // 100,000 more events (as a busy lab's log would hold), in batches through the audit log.
    gh::SecretServiceKeyStore keys;
    auto vault = gh::Vault::open(m_vault, keys);
    if (!vault)
        return false;
    gh::SystemClock clock;
    gh::AuditLog log(**vault, clock);
    const QStringList users{QStringLiteral("carol"), QStringLiteral("dave"), QStringLiteral("erin"),
                            QStringLiteral("frank")};
    for (int first = 0; first < kBulkEvents; first += 10000) {
        QList<gh::AuditEvent> batch;
        for (int i = first; i < first + 10000; ++i) {
            gh::AuditEvent e;
            e.actor = users[i % 4];
            e.subject = e.actor;
            if (i % 10 == 3) {
                e.action = QStringLiteral("login.failed");
                e.layer = gh::Layer::Verification;
                e.outcome = gh::Outcome::Failed;
                e.detail = QStringLiteral("wrong password or unknown user");
            } else if (i % 10 == 7) {
                e.action = QStringLiteral("session.issued");
                e.layer = gh::Layer::Session;
                e.outcome = gh::Outcome::Allowed;
                e.subject = QStringLiteral("s%1").arg(i);
            } else {
                e.action = QStringLiteral("login.succeeded");
                e.layer = gh::Layer::Verification;
                e.outcome = gh::Outcome::Allowed;
                e.detail = QStringLiteral("password,totp");
            }
            batch << e;
        }
        if (!log.appendBatch(batch))
            return false;
    }
    return true;
}

QString tst_GuiAudit::nextCode() {
    auto stepNow = [] { return QDateTime::currentSecsSinceEpoch() / 30; };
    qint64 step = std::max(stepNow(), m_lastStep + 1);
    while (step > stepNow() + 1)
        QTest::qWait(500);
    m_lastStep = step;
    return gh::totp::generate(m_key.secret, step * 30, m_key.params);
}

QImage tst_GuiAudit::screenshot(const QString& name) {
    return saveScreenshot(name, true);
}

void tst_GuiAudit::healthOnHomeThenAuditScreen() {
    QVERIFY(launch(m_vault));
    // Sign in: password, then the authenticator code.
    QTRY_VERIFY_WITH_TIMEOUT(m_app->vaultOpen(), kTimeoutMs);
    QTRY_VERIFY(item(QStringLiteral("loginScreen")));
    QTRY_COMPARE(m_window->activeFocusItem(), item(QStringLiteral("login.username")));
    typeText(kAdmin);
    QTRY_COMPARE(textOf(QStringLiteral("login.username")), kAdmin);
    press(Qt::Key_Return);
    QTRY_COMPARE(m_window->activeFocusItem(), item(QStringLiteral("login.password")));
    typeText(QString::fromLatin1(kPassword));
    press(Qt::Key_Return);
    QTRY_VERIFY_WITH_TIMEOUT(item(QStringLiteral("secondFactorScreen")), kTimeoutMs);
    QTRY_VERIFY_WITH_TIMEOUT(!m_app->busy(), kTimeoutMs);
    QTRY_COMPARE(m_window->activeFocusItem(), item(QStringLiteral("secondFactor.totp")));
    const QString code = nextCode();
    typeText(code);
    QTRY_COMPARE(textOf(QStringLiteral("secondFactor.totp")), code);
    press(Qt::Key_Return);
    QTRY_VERIFY_WITH_TIMEOUT(item(QStringLiteral("homeScreen")), kTimeoutMs);

    // Home: one chip per layer, and one warning (zed, an administrator without a second factor)
    // with the link to the screen where factors are enrolled.
    QTRY_VERIFY_WITH_TIMEOUT(!m_app->health()->loading() && m_app->health()->layers().size() == 4, kTimeoutMs);
    QStringList warningTexts;
    for (const QVariant& note : m_app->health()->warningNotes())
        warningTexts << note.toMap().value(QStringLiteral("text")).toString();
    QVERIFY2(m_app->health()->warnings() == 1, qPrintable(warningTexts.join(QStringLiteral(" | "))));
    const QVariantList layers = m_app->health()->layers();
    QVERIFY(
        layers.at(0).toMap().value(QStringLiteral("summary")).toString().contains(QStringLiteral("vault encrypted")));
    QVERIFY(layers.at(0).toMap().value(QStringLiteral("summary")).toString().contains(QStringLiteral("owner only")));
    QCOMPARE(layers.at(1).toMap().value(QStringLiteral("brief")).toString(), QStringLiteral("1/3 MFA"));
    QCOMPARE(layers.at(1).toMap().value(QStringLiteral("warnings")).toInt(), 1);
    QVERIFY(layers.at(1)
                .toMap()
                .value(QStringLiteral("summary"))
                .toString()
                .contains(QStringLiteral("3 accounts: 1 with a second factor")));
    QCOMPARE(layers.at(3).toMap().value(QStringLiteral("brief")).toString(), QStringLiteral("2 admins"));
    for (int i = 0; i < 4; ++i)
        QTRY_VERIFY(isShown(QStringLiteral("home.health.layer.%1").arg(i)));
    QTRY_VERIFY(isShown(QStringLiteral("home.health.warning.0")));
    QVERIFY(textOf(QStringLiteral("home.health.warningText.0")).contains(QStringLiteral("without a second factor")));
    QVERIFY(isShown(QStringLiteral("home.health.link.0")));
    screenshot(QStringLiteral("home-health"));
    click(QStringLiteral("home.health.link.0"));
    QTRY_VERIFY_WITH_TIMEOUT(item(QStringLiteral("securityScreen")), kTimeoutMs);
    m_app->showHome();
    QTRY_VERIFY_WITH_TIMEOUT(item(QStringLiteral("homeScreen")), kTimeoutMs);

    // The audit log: the first page only, more as the list scrolls.
    click(QStringLiteral("home.audit"));
    QTRY_VERIFY_WITH_TIMEOUT(item(QStringLiteral("auditScreen")), kTimeoutMs);
    gh::ui::AuditModel* audit = m_app->audit();
    QTRY_VERIFY_WITH_TIMEOUT(audit->events()->count() == gh::ui::AuditEventsModel::kPage, kTimeoutMs);
    QVERIFY(audit->readsAll());
    QQuickItem* list = item(QStringLiteral("audit.list"));
    QVERIFY(list);
    QMetaObject::invokeMethod(list, "positionViewAtEnd");
    QTRY_VERIFY_WITH_TIMEOUT(audit->events()->count() >= 2 * gh::ui::AuditEventsModel::kPage, kTimeoutMs);
    QVERIFY(audit->events()->count() < kBulkEvents); // lazily: far from everything

    // Filter by layer with the keyboard: focus the layer box, Down four times → L4.
    QQuickItem* layerBox = item(QStringLiteral("audit.layer"));
    QVERIFY(layerBox);
    layerBox->forceActiveFocus();
    QTRY_COMPARE(m_window->activeFocusItem(), layerBox);
    QTRY_VERIFY_WITH_TIMEOUT(!m_app->busy(), kTimeoutMs);
    for (int i = 0; i < 4; ++i)
        press(Qt::Key_Down);
    QTRY_COMPARE(audit->filterLayer(), 4);
    QTRY_VERIFY_WITH_TIMEOUT(!audit->events()->loading() && audit->events()->count() > 0, kTimeoutMs);
    for (int row = 0; row < audit->events()->count(); ++row)
        QCOMPARE(audit->events()->at(row)->layer, gh::Layer::Access);
    QVERIFY(audit->events()->count() < 10); // only the few L4 events, no stale page of another filter

    // bob's denial: select it, read the diagnosis.
    int bobRow = -1;
    for (int row = 0; row < audit->events()->count(); ++row)
        if (audit->events()->at(row)->action == QLatin1String("access.denied") &&
            audit->events()->at(row)->actor == QLatin1String("bob"))
            bobRow = row;
    QVERIFY(bobRow >= 0);
    QTRY_VERIFY(item(QStringLiteral("audit.row.%1").arg(bobRow)));
    click(QStringLiteral("audit.row.%1").arg(bobRow));
    QTRY_COMPARE(audit->selectedRow(), bobRow);
    QTRY_VERIFY(isShown(QStringLiteral("audit.diagnosis.title")));
    QCOMPARE(textOf(QStringLiteral("audit.diagnosis.title")), QStringLiteral("Permission denied"));
    QVERIFY(textOf(QStringLiteral("audit.diagnosis.layer")).contains(QStringLiteral("L4 access control")));
    QVERIFY(textOf(QStringLiteral("audit.diagnosis.explanation")).contains(QStringLiteral("users.manage")));
    QVERIFY(!textOf(QStringLiteral("audit.diagnosis.fix")).isEmpty());
    // Keyboard: Up/Down in the list move the selection (and the diagnosis with it).
    QTRY_VERIFY(list->hasActiveFocus());
    const int other = bobRow > 0 ? bobRow - 1 : bobRow + 1;
    QVERIFY(other < audit->events()->count());
    press(bobRow > 0 ? Qt::Key_Up : Qt::Key_Down);
    QTRY_COMPARE(audit->selectedRow(), other);
    QTRY_VERIFY(textOf(QStringLiteral("audit.diagnosis.title")) != QLatin1String("Permission denied"));
    press(bobRow > 0 ? Qt::Key_Down : Qt::Key_Up);
    QTRY_COMPARE(audit->selectedRow(), bobRow);

    // Verify now: runs on the worker thread; the status turns intact.
    click(QStringLiteral("audit.verify"));
    QTRY_VERIFY_WITH_TIMEOUT(audit->chainState() == QLatin1String("intact"), kTimeoutMs);
    QVERIFY(textOf(QStringLiteral("audit.chain")).contains(QStringLiteral("Chain intact")));

    // Back to all layers (keyboard) for the screenshot, with a failed event selected.
    layerBox->forceActiveFocus();
    QTRY_COMPARE(m_window->activeFocusItem(), layerBox);
    for (int i = 0; i < 4; ++i)
        press(Qt::Key_Up);
    QTRY_COMPARE(audit->filterLayer(), 0);
    QTRY_VERIFY_WITH_TIMEOUT(!audit->events()->loading() && audit->events()->count() > 0, kTimeoutMs);
    int denied = -1;
    for (int row = 0; row < audit->events()->count() && denied < 0; ++row)
        if (audit->events()->at(row)->outcome != gh::Outcome::Allowed)
            denied = row;
    QVERIFY(denied >= 0);
    audit->select(denied);
    screenshot(QStringLiteral("audit"));
}

QTEST_MAIN(tst_GuiAudit)
#include "tst_gui_audit.moc"
