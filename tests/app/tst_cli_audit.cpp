// End-to-end tests of `gatehousectl audit list|verify|diagnose` and the layer health of `status`:
// the real binary (QProcess) on a real vault whose key is in the real Secret Service
// (tests/support/with-services.sh). The accounts are set up in-process through the same facade
// (alice: admin with an authenticator and recovery codes; bob: viewer), then every command runs
// as a person would, alice signing in with one recovery code per command.
// Covers AUD-04 (tamper-evident chain; read-only to non-admins), AC-01/AC-02 (own events only
// without audit.read), AUD-01 (denials are audited and diagnosed).
#include "crypto/primitives.h"
#include "gatehouse.h"
#include "vault/keystore.h"
#include "vault/vault.h"
#include "verification/otpauth.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include "newcodes.h"
#include "privatebus.h"

#include <memory>

#include <unistd.h>

using namespace gh;

namespace {

const char kAlicePassword[] = "correct horse battery staple";
const char kBobPassword[] = "violet canyon ledger drifts slowly";

SecureBuffer pw(const char* s) {
    return SecureBuffer(s, std::strlen(s));
}

struct Run {
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
    QJsonObject json() const { return QJsonDocument::fromJson(out).object(); }
};

} // namespace

class TestCliAudit : public QObject {
    Q_OBJECT
    // The CLI reaches a real gatehoused on a bus of this test's own (tests/support/privatebus.h).
    gh::test::PrivateBus m_privateBus;
    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_vault;
    QList<QByteArray> m_codes; // alice's unused recovery codes
    qint64 m_bobDenied = 0;    // bob's access.denied event

    static Run ctl(const QStringList& args, const QByteArray& input = {}) {
        QProcess process;
        process.setProgram(QStringLiteral(GATEHOUSECTL_PATH));
        process.setArguments(args);
        process.start();
        if (!process.waitForStarted(10000))
            return {};
        process.write(input);
        process.closeWriteChannel();
        if (!process.waitForFinished(120000)) {
            process.kill();
            process.waitForFinished();
            return {};
        }
        Run run;
        run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
        run.out = process.readAllStandardOutput();
        run.err = process.readAllStandardError();
        return run;
    }

    Run asAlice(const QStringList& command) {
        if (m_codes.isEmpty())
            return {};
        // The code on the stdin line after the password, never in argv (issue 17).
        const QByteArray code = m_codes.takeFirst();
        return ctl(QStringList{QStringLiteral("--vault"), m_vault, QStringLiteral("--as"), QStringLiteral("alice"),
                               QStringLiteral("--password-stdin"), QStringLiteral("--recovery-code-stdin")} +
                       command,
                   QByteArray(kAlicePassword) + '\n' + code + '\n');
    }
    Run asBob(const QStringList& command) {
        return ctl(QStringList{QStringLiteral("--vault"), m_vault, QStringLiteral("--as"), QStringLiteral("bob"),
                               QStringLiteral("--password-stdin")} +
                       command,
                   QByteArray(kBobPassword) + '\n');
    }

    // alice (admin, TOTP + recovery codes) and bob (viewer), and one L4 denial by bob.
    bool setUp() {
        Gatehouse g;
        if (!g.createVault(m_vault) || !g.accounts().createFirstAdmin(QStringLiteral("alice"), pw(kAlicePassword)))
            return false;
        auto alice = g.login().fullLogin(QStringLiteral("alice"), pw(kAlicePassword), QStringLiteral("test"));
        if (!alice)
            return false;
        auto enrollment = g.factors().beginTotpEnrollment(*alice, QStringLiteral("phone"));
        if (!enrollment)
            return false;
        OtpauthKey key;
        if (otpauth::parse(QString::fromLatin1(enrollment->uri.chars(), static_cast<qsizetype>(enrollment->uri.size())),
                           &key) != OtpauthError::None)
            return false;
        if (!g.factors().confirmTotp(*alice, enrollment->factorId,
                                     totp::generate(key.secret, QDateTime::currentSecsSinceEpoch(), key.params)))
            return false;
        // Enrolling leaves the session at what its sign-in proved: step up with the app (the next
        // step's code, newer than the confirming one) for the administrative calls below.
        const SecureBuffer next =
            SecureBuffer::fromUtf8(totp::generate(key.secret, QDateTime::currentSecsSinceEpoch() + 30, key.params));
        if (!g.login().stepUp(*alice, pw(kAlicePassword), FactorKind::Totp, &next))
            return false;
        auto codes = gh::test::newRecoveryCodes(g.factors(), *alice);
        if (!codes)
            return false;
        for (const SecureBuffer& c : *codes)
            m_codes << QByteArray(c.chars(), static_cast<qsizetype>(c.size()));
        auto temp = g.accounts().addUser(*alice, QStringLiteral("bob"), QStringLiteral("viewer"));
        if (!temp)
            return false;
        auto bob = g.login().fullLogin(QStringLiteral("bob"), *temp, QStringLiteral("test"));
        if (!bob || !g.login().changePassword(*bob, *temp, pw(kBobPassword)))
            return false;
        if (g.accounts().addUser(*bob, QStringLiteral("eve"), QString()).code() != Errc::NotPermitted)
            return false;
        AuditQuery q;
        q.action = QStringLiteral("access.denied");
        q.limit = 1;
        auto page = g.audit().queryAudit(*alice, q);
        if (!page || page->events.isEmpty())
            return false;
        m_bobDenied = page->events.first().id;
        (void)g.login().logout(*bob);
        (void)g.login().logout(*alice);
        return true;
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(crypto::initialise()); }

    void init() {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
        m_vault = m_dir->filePath(QStringLiteral("vault.db"));
        m_codes.clear();
        QVERIFY(setUp());
    }

    void cleanup() {
        (void)SecretServiceKeyStore().remove(Vault::keychainEntry(Vault::canonicalPath(m_vault)));
        m_dir.reset();
    }

    void listFiltersByLayerOutcomeAndUser() {
        const Run denied = asAlice({QStringLiteral("--json"), QStringLiteral("audit"), QStringLiteral("list"),
                                    QStringLiteral("--layer"), QStringLiteral("L4"), QStringLiteral("--outcome"),
                                    QStringLiteral("denied")});
        QCOMPARE(denied.exitCode, 0);
        const QJsonArray events = denied.json().value(QStringLiteral("events")).toArray();
        QVERIFY(!events.isEmpty());
        bool sawBob = false;
        for (const QJsonValue& v : events) {
            const QJsonObject e = v.toObject();
            QCOMPARE(e.value(QStringLiteral("layer")).toString(), QStringLiteral("L4"));
            QCOMPARE(e.value(QStringLiteral("outcome")).toString(), QStringLiteral("denied"));
            sawBob = sawBob || (e.value(QStringLiteral("actor")).toString() == QLatin1String("bob") &&
                                e.value(QStringLiteral("subject")).toString() == QLatin1String("users.manage"));
        }
        QVERIFY(sawBob);

        const Run table = asAlice({QStringLiteral("audit"), QStringLiteral("list"), QStringLiteral("--user"),
                                   QStringLiteral("bob"), QStringLiteral("--limit"), QStringLiteral("2")});
        QCOMPARE(table.exitCode, 0);
        const QList<QByteArray> lines = table.out.trimmed().split('\n');
        QCOMPARE(lines.size(), 3); // header + 2
        QVERIFY(lines.first().startsWith("ID"));
        QVERIFY(lines.at(1).contains("bob"));
        QVERIFY(table.err.contains("more events match"));
    }

    // AUD-04, red team t26 (e): each event names the process it was recorded for, as the bus
    // vouched for it, in a field of its own ("origin"; SOURCE in the table, Source: in a
    // diagnosis), never as the tail of the detail, where a client's own words could imitate it.
    // Events recorded in-process (this test's set-up) have none.
    void eventsCarryTheirSourceApart() {
        QCOMPARE(asBob({QStringLiteral("audit"), QStringLiteral("list")}).exitCode, 0); // a sign-in via gatehoused
        const Run list = asAlice({QStringLiteral("--json"), QStringLiteral("audit"), QStringLiteral("list"),
                                  QStringLiteral("--user"), QStringLiteral("bob")});
        QCOMPARE(list.exitCode, 0);
        const QString expected = QStringLiteral("gatehousectl (uid %1, pid ").arg(::getuid());
        qint64 viaService = 0;
        int inProcess = 0;
        for (const QJsonValue& v : list.json().value(QStringLiteral("events")).toArray()) {
            const QJsonObject e = v.toObject();
            QVERIFY2(e.contains(QStringLiteral("origin")), QJsonDocument(e).toJson().constData());
            const QString origin = e.value(QStringLiteral("origin")).toString();
            const QString detail = e.value(QStringLiteral("detail")).toString();
            QVERIFY2(!detail.contains(QStringLiteral("from gatehousectl")), qPrintable(detail));
            if (origin.isEmpty())
                ++inProcess;
            else
                QVERIFY2(origin.startsWith(expected), qPrintable(origin));
            if (!viaService && e.value(QStringLiteral("action")).toString() == QLatin1String("login.succeeded") &&
                !origin.isEmpty())
                viaService = e.value(QStringLiteral("id")).toInteger();
        }
        QVERIFY(viaService > 0);
        QVERIFY(inProcess > 0); // bob's first sign-in and his denial, made in-process
        const Run table = asAlice({QStringLiteral("audit"), QStringLiteral("list"), QStringLiteral("--user"),
                                   QStringLiteral("bob"), QStringLiteral("--limit"), QStringLiteral("1")});
        QCOMPARE(table.exitCode, 0);
        QVERIFY2(table.out.startsWith("ID") && table.out.split('\n').first().contains("SOURCE"), table.out.constData());
        const Run text = asAlice({QStringLiteral("audit"), QStringLiteral("diagnose"), QString::number(viaService)});
        QCOMPARE(text.exitCode, 0);
        QVERIFY2(text.out.contains("Source:") && text.out.contains(expected.toUtf8()), text.out.constData());
    }

    // AUD-04 read-only to non-admins: bob sees his own history only.
    void viewerReadsOnlyOwnEvents() {
        const Run own = asBob({QStringLiteral("--json"), QStringLiteral("audit"), QStringLiteral("list")});
        QCOMPARE(own.exitCode, 0);
        const QJsonArray events = own.json().value(QStringLiteral("events")).toArray();
        QVERIFY(!events.isEmpty());
        for (const QJsonValue& v : events) {
            const QJsonObject e = v.toObject();
            QVERIFY(e.value(QStringLiteral("actor")).toString() == QLatin1String("bob") ||
                    e.value(QStringLiteral("subject")).toString() == QLatin1String("bob"));
        }
        const Run foreign =
            asBob({QStringLiteral("audit"), QStringLiteral("list"), QStringLiteral("--user"), QStringLiteral("alice")});
        QCOMPARE(foreign.exitCode, 4);
        QVERIFY(foreign.err.contains("audit.read"));
        QCOMPARE(asBob({QStringLiteral("audit"), QStringLiteral("verify")}).exitCode, 4);
    }

    // The "Done when": exit 0 on an intact vault, and the first broken event named after a
    // row is altered by someone holding the key (triggers dropped first).
    void verifyIntactThenTampered() {
        const Run intact = asAlice({QStringLiteral("audit"), QStringLiteral("verify")});
        QCOMPARE(intact.exitCode, 0);
        QVERIFY(intact.err.contains("intact"));
        {
            SecretServiceKeyStore keys;
            auto v = Vault::open(m_vault, keys);
            QVERIFY2(v, qPrintable(describe(v.error())));
            QVERIFY((*v)->db().exec("DROP TRIGGER audit_no_update"));
            QVERIFY((*v)->db().exec("UPDATE audit SET detail = detail || ' (edited)' WHERE id = 7"));
        }
        const Run broken = asAlice({QStringLiteral("audit"), QStringLiteral("verify")});
        QCOMPARE(broken.exitCode, 1);
        QVERIFY2(broken.err.contains("BROKEN at event 7"), broken.err.constData());
        const Run json = asAlice({QStringLiteral("--json"), QStringLiteral("audit"), QStringLiteral("verify")});
        QCOMPARE(json.exitCode, 1);
        QCOMPARE(json.json().value(QStringLiteral("firstBrokenId")).toInteger(), 7);
        QCOMPARE(json.json().value(QStringLiteral("intact")).toBool(), false);
        const Run status = ctl({QStringLiteral("--vault"), m_vault, QStringLiteral("status")});
        QCOMPARE(status.exitCode, 0);
        QVERIFY(status.out.contains("BROKEN"));

        // diagnose of the edited event says so, at L1, and exits 1 as verify does (it explained
        // the edited text and said "nothing to fix"); the event before it still checks out.
        const Run edited = asAlice({QStringLiteral("audit"), QStringLiteral("diagnose"), QStringLiteral("7")});
        QCOMPARE(edited.exitCode, 1);
        QVERIFY2(edited.out.contains("Changed after it was recorded"), edited.out.constData());
        QVERIFY2(edited.out.contains("L1 storage"), edited.out.constData());
        QVERIFY(!edited.out.contains("nothing to fix"));
        const Run editedJson = asAlice(
            {QStringLiteral("--json"), QStringLiteral("audit"), QStringLiteral("diagnose"), QStringLiteral("7")});
        QCOMPARE(editedJson.exitCode, 1);
        const QJsonObject d = editedJson.json().value(QStringLiteral("diagnosis")).toObject();
        QCOMPARE(d.value(QStringLiteral("layer")).toString(), QStringLiteral("L1"));
        QVERIFY(d.value(QStringLiteral("problem")).toBool());
        const Run before = asAlice({QStringLiteral("audit"), QStringLiteral("diagnose"), QStringLiteral("6")});
        QCOMPARE(before.exitCode, 0);
        QVERIFY2(!before.out.contains("Changed after it was recorded"), before.out.constData());
    }

    void diagnoseNamesTheLayerAndTheFix() {
        const QString id = QString::number(m_bobDenied);
        const Run text = asAlice({QStringLiteral("audit"), QStringLiteral("diagnose"), id});
        QCOMPARE(text.exitCode, 0);
        QVERIFY2(text.out.contains("L4 access control failed"), text.out.constData());
        QVERIFY(text.out.contains("users.manage"));
        QVERIFY(text.out.contains("Fix:"));
        const Run json = asAlice({QStringLiteral("--json"), QStringLiteral("audit"), QStringLiteral("diagnose"), id});
        QCOMPARE(json.exitCode, 0);
        const QJsonObject d = json.json().value(QStringLiteral("diagnosis")).toObject();
        QCOMPARE(d.value(QStringLiteral("layer")).toString(), QStringLiteral("L4"));
        QVERIFY(d.value(QStringLiteral("problem")).toBool());
        QVERIFY(!d.value(QStringLiteral("fix")).toString().isEmpty());
        // bob may diagnose his own denial, not alice's events.
        const Run own = asBob({QStringLiteral("audit"), QStringLiteral("diagnose"), id});
        QCOMPARE(own.exitCode, 0);
        QVERIFY(own.out.contains("L4"));
        const Run missing = asAlice({QStringLiteral("audit"), QStringLiteral("diagnose"), QStringLiteral("99999")});
        QVERIFY(missing.exitCode != 0);
        QVERIFY(missing.err.contains("No audit event with id 99999"));
    }

    void statusShowsLayerHealth() {
        const Run text = ctl({QStringLiteral("--vault"), m_vault, QStringLiteral("status")});
        QCOMPARE(text.exitCode, 0);
        for (const char* layer :
             {"L1 storage:", "L2 credential verification:", "L3 session management:", "L4 access control:"})
            QVERIFY2(text.out.contains(layer), layer);
        QVERIFY(text.out.contains("2 accounts: 1 with a second factor, 1 without"));
        const Run json = ctl({QStringLiteral("--vault"), m_vault, QStringLiteral("--json"), QStringLiteral("status")});
        QCOMPARE(json.exitCode, 0);
        const QJsonObject health = json.json().value(QStringLiteral("health")).toObject();
        QCOMPARE(health.value(QStringLiteral("L2")).toObject().value(QStringLiteral("adminsWithoutMfa")).toInt(), 0);
        QCOMPARE(health.value(QStringLiteral("L4")).toObject().value(QStringLiteral("admins")).toInt(), 1);
        QVERIFY(health.value(QStringLiteral("L1")).toObject().value(QStringLiteral("vaultEncrypted")).toBool());
    }

    void usageErrors_data() {
        QTest::addColumn<QStringList>("args");
        QTest::newRow("bad layer") << QStringList{QStringLiteral("audit"), QStringLiteral("list"),
                                                  QStringLiteral("--layer"), QStringLiteral("L9")};
        QTest::newRow("bad outcome") << QStringList{QStringLiteral("audit"), QStringLiteral("list"),
                                                    QStringLiteral("--outcome"), QStringLiteral("maybe")};
        QTest::newRow("bad limit") << QStringList{QStringLiteral("audit"), QStringLiteral("list"),
                                                  QStringLiteral("--limit"), QStringLiteral("0")};
        QTest::newRow("limit on verify") << QStringList{QStringLiteral("audit"), QStringLiteral("verify"),
                                                        QStringLiteral("--limit"), QStringLiteral("3")};
        QTest::newRow("layer outside audit") << QStringList{QStringLiteral("user"), QStringLiteral("list"),
                                                            QStringLiteral("--layer"), QStringLiteral("L1")};
        QTest::newRow("diagnose without id") << QStringList{QStringLiteral("audit"), QStringLiteral("diagnose")};
        QTest::newRow("diagnose bad id") << QStringList{QStringLiteral("audit"), QStringLiteral("diagnose"),
                                                        QStringLiteral("x1")};
        QTest::newRow("unknown subcommand") << QStringList{QStringLiteral("audit"), QStringLiteral("erase")};
    }
    void usageErrors() {
        QFETCH(QStringList, args);
        const Run run = ctl(
            QStringList{QStringLiteral("--vault"), m_vault, QStringLiteral("--as"), QStringLiteral("alice")} + args);
        QCOMPARE(run.exitCode, 2);
        QVERIFY(run.out.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestCliAudit)
#include "tst_cli_audit.moc"
