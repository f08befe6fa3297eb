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

#include <unistd.h>

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
    void healthShowsEachLayersTroubleWithItsLayer();

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
    // At the window's default size beside the detail pane, a row shows who in full: the date is a
    // heading over each day and the row shows the time of day (with the date in every row, the
    // actor column was cut to "…").
    QTRY_VERIFY(item(QStringLiteral("audit.row.0.actor")));
    QCOMPARE(m_window->width(), 1100);
    int withActor = 0;
    for (int row = 0; row < 10; ++row) {
        const QString name = QStringLiteral("audit.row.%1.actor").arg(row);
        // Names as long as "alice → bob" in full (a session's 32-digit id, or an object path, may be cut).
        if (!item(name) || audit->events()->at(row)->actor.isEmpty() || textOf(name).size() > 16)
            continue;
        ++withActor;
        QVERIFY2(textOf(name).startsWith(audit->events()->at(row)->actor), qPrintable(textOf(name)));
        QTRY_VERIFY2(!item(name)->property("truncated").toBool(), qPrintable(textOf(name)));
    }
    QVERIFY(withActor > 0);
    QTRY_VERIFY(isShown(QStringLiteral("audit.day")));
    QStringList days;
    for (int row = 0; row < audit->events()->count(); ++row)
        days << QLocale().toString(audit->events()->at(row)->time.toLocalTime().date(), QLocale::LongFormat);
    QVERIFY2(days.contains(textOf(QStringLiteral("audit.day"))), qPrintable(textOf(QStringLiteral("audit.day"))));
    // Scrolled to the end (again on each try, as a person keeps scrolling: a view that has not
    // settled its layout yet may not ask for more on the first move), the next page comes.
    QTRY_VERIFY_WITH_TIMEOUT((QMetaObject::invokeMethod(list, "positionViewAtEnd"),
                              audit->events()->count() >= 2 * gh::ui::AuditEventsModel::kPage),
                             kTimeoutMs);
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
    QVERIFY(textOf(QStringLiteral("audit.diagnosis.layer")).contains(QStringLiteral("Permissions")));
    QVERIFY(textOf(QStringLiteral("audit.diagnosis.explanation")).contains(QStringLiteral("users.manage")));
    QVERIFY(!textOf(QStringLiteral("audit.diagnosis.fix")).isEmpty());
    QVERIFY(!isShown(QStringLiteral("audit.detail.origin"))); // recorded in-process (the set-up): no source
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
    // AUD-04: an event recorded for a client of gatehoused (this window's own sign-in) shows the
    // source the bus vouched for in a row of its own, apart from the detail.
    int viaService = -1;
    for (int row = 0; row < audit->events()->count() && viaService < 0; ++row)
        if (!audit->events()->at(row)->origin.isEmpty())
            viaService = row;
    QVERIFY(viaService >= 0);
    audit->select(viaService);
    QTRY_VERIFY(isShown(QStringLiteral("audit.detail.origin")));
    QCOMPARE(textOf(QStringLiteral("audit.detail.origin")), audit->events()->at(viaService)->origin);
    QVERIFY2(textOf(QStringLiteral("audit.detail.origin")).contains(QStringLiteral("uid %1, pid ").arg(::getuid())),
             qPrintable(textOf(QStringLiteral("audit.detail.origin"))));
    screenshot(QStringLiteral("audit-source"));
    audit->select(denied);
    screenshot(QStringLiteral("audit"));
}

// Issue 13 item 7 (AUD-04, ATK-01, RL-01): health names what is wrong under its layer, and L1
// failures carry their layer in the GUI. A vault where bob is throttled now, carol hard-locked and
// an audit row was edited: Home's L1 chip reads "chain broken" and its warning carries the L1
// badge; L2 reads "1 locked" with bob and carol named in L2 warnings; credential stuffing (11
// unknown names through the service) turns L2 into "attack" with its warning; the Audit screen's
// broken chain carries the L1 badge; and a vault whose key is gone shows its error with the L1
// badge on the login screen.
void tst_GuiAudit::healthShowsEachLayersTroubleWithItsLayer() {
    close();
    const QString vault = m_dir.filePath(QStringLiteral("trouble.db"));
    {
        gh::Gatehouse g(testServices());
        QVERIFY(g.createVault(vault) && g.accounts().createFirstAdmin(kAdmin, pw(kPassword)));
        auto alice = g.login().fullLogin(kAdmin, pw(kPassword), QStringLiteral("test"));
        QVERIFY(alice);
        auto e = g.factors().beginTotpEnrollment(*alice, QStringLiteral("phone"));
        QVERIFY(e && gh::otpauth::parse(QString::fromLatin1(e->uri.chars(), static_cast<qsizetype>(e->uri.size())),
                                        &m_key) == gh::OtpauthError::None);
        QVERIFY(g.factors().confirmTotp(*alice, e->factorId, nextCode()));
        const gh::SecureBuffer next = gh::SecureBuffer::fromUtf8(nextCode());
        QVERIFY(g.login().stepUp(*alice, pw(kPassword), gh::FactorKind::Totp, &next));
        for (const QString& name : {QStringLiteral("bob"), QStringLiteral("carol")})
            QVERIFY(g.accounts().addUser(*alice, name, QStringLiteral("viewer")));
        (void)g.login().logout(*alice);
    }
    {
        gh::SecretServiceKeyStore keys;
        auto v = gh::Vault::open(vault, keys);
        QVERIFY(v);
        // The counters as hours of someone's guessing leave them (a test cannot wait a day):
        // bob 8 failures just now (240 s to wait), carol at the hard lock.
        const QByteArray now = QByteArray::number(QDateTime::currentSecsSinceEpoch());
        QVERIFY((*v)->db().exec(("INSERT INTO login_throttle(username, failures, last_failure_at, charge_seq) "
                                 "VALUES ('bob', 8, " +
                                 now + ", 8), ('carol', 100, " + now + ", 100)")
                                    .constData()));
        // An edited audit row: the chain breaks there.
        QVERIFY((*v)->db().exec("DROP TRIGGER audit_no_update"));
        QVERIFY((*v)->db().exec("UPDATE audit SET detail = 'edited afterwards' WHERE id = 3"));
    }
    QVERIFY(launch(vault));
    QTRY_VERIFY_WITH_TIMEOUT(m_app->vaultOpen(), kTimeoutMs);
    QTRY_COMPARE(m_window->activeFocusItem(), item(QStringLiteral("login.username")));
    typeText(kAdmin);
    press(Qt::Key_Return);
    QTRY_COMPARE(m_window->activeFocusItem(), item(QStringLiteral("login.password")));
    typeText(QString::fromLatin1(kPassword));
    press(Qt::Key_Return);
    QTRY_VERIFY_WITH_TIMEOUT(item(QStringLiteral("secondFactorScreen")), kTimeoutMs);
    QTRY_VERIFY_WITH_TIMEOUT(!m_app->busy(), kTimeoutMs);
    QTRY_COMPARE(m_window->activeFocusItem(), item(QStringLiteral("secondFactor.totp")));
    typeText(nextCode());
    press(Qt::Key_Return);
    QTRY_VERIFY_WITH_TIMEOUT(item(QStringLiteral("homeScreen")), kTimeoutMs);

    // The warning of each kind, and the layer it stands under (its LayerBadge's level).
    const auto layerOfWarning = [this](const QString& words) {
        const QVariantList notes = m_app->health()->warningNotes();
        for (int i = 0; i < notes.size(); ++i) {
            const QVariantMap n = notes.at(i).toMap();
            if (!n.value(QStringLiteral("text")).toString().contains(words))
                continue;
            const QQuickItem* line = item(QStringLiteral("home.health.warning.%1").arg(i));
            const auto* badge = line ? line->childItems().value(0) : nullptr;
            const int shown = badge ? badge->property("level").toInt() : -1;
            return shown == n.value(QStringLiteral("layer")).toInt() ? shown : -2;
        }
        return 0;
    };
    QTRY_VERIFY_WITH_TIMEOUT(!m_app->health()->loading() && m_app->health()->layers().size() == 4, kTimeoutMs);
    QTRY_VERIFY(isShown(QStringLiteral("home.health.warning.0")));
    QCOMPARE(m_app->health()->layers().at(0).toMap().value(QStringLiteral("brief")).toString(),
             QStringLiteral("chain broken"));
    QCOMPARE(m_app->health()->layers().at(1).toMap().value(QStringLiteral("brief")).toString(),
             QStringLiteral("1 locked"));
    QTRY_COMPARE(layerOfWarning(QStringLiteral("audit log's chain is broken")), 1);
    QCOMPARE(layerOfWarning(QStringLiteral("Throttled now")), 2);
    QCOMPARE(layerOfWarning(QStringLiteral("locked after repeated failures: carol")), 2);
    QStringList texts;
    for (const QVariant& n : m_app->health()->warningNotes())
        texts << n.toMap().value(QStringLiteral("text")).toString();
    QVERIFY2(texts.join(u'|').contains(QStringLiteral("bob (8 failures")), qPrintable(texts.join(u'|')));
    QCOMPARE(layerOfWarning(QStringLiteral("Credential stuffing")), 0); // not yet

    // Credential stuffing through the service: 11 names that are no account, one wrong password each.
    {
        gh::Client attacker;
        QVERIFY(attacker.openVault(vault).ok());
        for (int i = 0; i < 11; ++i)
            (void)attacker.login(QStringLiteral("stuffed%1").arg(i), pw("leaked password 123"),
                                 QStringLiteral("attacker"));
    }
    m_app->health()->load();
    QTRY_VERIFY_WITH_TIMEOUT(!m_app->health()->loading() &&
                                 m_app->health()->layers().value(1).toMap().value(QStringLiteral("brief")).toString() ==
                                     QStringLiteral("attack"),
                             kTimeoutMs);
    QTRY_COMPARE(layerOfWarning(QStringLiteral("Credential stuffing in progress")), 2);
    screenshot(QStringLiteral("home-health-trouble"));

    // The Audit screen: verifying finds the edited row; the broken chain carries the L1 badge.
    click(QStringLiteral("home.audit"));
    QTRY_VERIFY_WITH_TIMEOUT(item(QStringLiteral("auditScreen")), kTimeoutMs);
    QVERIFY(!isShown(QStringLiteral("audit.chainLayer")));
    click(QStringLiteral("audit.verify"));
    QTRY_VERIFY_WITH_TIMEOUT(m_app->audit()->chainState() == QLatin1String("broken"), kTimeoutMs);
    QVERIFY(textOf(QStringLiteral("audit.chain")).contains(QStringLiteral("event 3")));
    QTRY_VERIFY(isShown(QStringLiteral("audit.chainLayer")));
    QCOMPARE(item(QStringLiteral("audit.chainLayer"))->property("level").toInt(), 1);
    // The edited event itself: its diagnosis says it was changed (L1), not what its text claims.
    gh::ui::AuditModel* audit = m_app->audit();
    int edited = -1;
    for (int row = 0; row < audit->events()->count(); ++row)
        if (audit->events()->at(row)->id == 3)
            edited = row;
    QVERIFY(edited >= 0);
    audit->select(edited);
    QTRY_COMPARE_WITH_TIMEOUT(textOf(QStringLiteral("audit.diagnosis.title")),
                              QStringLiteral("Changed after it was recorded"), kTimeoutMs);
    QVERIFY(textOf(QStringLiteral("audit.diagnosis.layer")).contains(QStringLiteral("Storage")));
    audit->select(edited - 1); // the event after it still checks out
    QTRY_VERIFY(textOf(QStringLiteral("audit.diagnosis.title")) != QLatin1String("Changed after it was recorded"));
    audit->select(edited);
    QTRY_COMPARE_WITH_TIMEOUT(textOf(QStringLiteral("audit.diagnosis.title")),
                              QStringLiteral("Changed after it was recorded"), kTimeoutMs);
    screenshot(QStringLiteral("audit-chain-broken"));

    // An L1 failure on the login screen: the vault's key is gone from the keychain.
    close();
    QVERIFY(gh::SecretServiceKeyStore().remove(gh::Vault::keychainEntry(gh::Vault::canonicalPath(vault))));
    QVERIFY(launch(vault));
    QTRY_VERIFY_WITH_TIMEOUT(!m_app->vaultError().isEmpty(), kTimeoutMs);
    QCOMPARE(m_app->vaultErrorLayer(), 1);
    QTRY_VERIFY(isShown(QStringLiteral("login.vaultError.layer")));
    QCOMPARE(item(QStringLiteral("login.vaultError.layer"))->property("level").toInt(), 1);
    screenshot(QStringLiteral("login-vault-error-l1"));
}

QTEST_MAIN(tst_GuiAudit)
#include "tst_gui_audit.moc"
