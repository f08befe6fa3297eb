// gatehousectl sessions list / sessions revoke end to end: the real binary (QProcess) on a real
// vault whose key is in the real Secret Service (tests/support/with-services.sh), next to this test
// process holding a session of its own through the facade — two processes on one vault, with the
// real clocks. alice's second factor is enrolled through the facade here (the CLI's own enrollment
// is tst_cli's subject); CLI sign-ins use her recovery codes (single use, any number per step).
// Covers SES-02, SES-05, SES-06, SES-07, AC-01.
#include "crypto/primitives.h"
#include "gatehouse.h"
#include "vault/keystore.h"
#include "vault/vault.h"
#include "verification/otpauth.h"
#include "verification/totp.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include "newcodes.h"
#include "privatebus.h"

using namespace gh;

namespace {
const QByteArray kAlicePassword = "correct horse battery staple";
const QByteArray kBobPassword = "violet canyon ledger drifts slowly";

struct Run {
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
    QJsonObject json() const { return QJsonDocument::fromJson(out).object(); }
};

SecureBuffer buf(const QByteArray& b) {
    return SecureBuffer(b.constData(), static_cast<std::size_t>(b.size()));
}

QJsonObject byId(const QJsonObject& list, const QString& id) {
    for (const QJsonValue& v : list.value(QStringLiteral("sessions")).toArray())
        if (v.toObject().value(QStringLiteral("id")).toString() == id)
            return v.toObject();
    return {};
}
} // namespace

class TestCliSessions : public QObject {
    Q_OBJECT
    // The CLI reaches a real gatehoused on a bus of this test's own (tests/support/privatebus.h).
    gh::test::PrivateBus m_privateBus;
    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_vault;
    QList<QByteArray> m_codes; // alice's unused recovery codes

    Run ctl(const QStringList& args, const QByteArray& input = {}) const {
        QProcess p;
        p.setProgram(QStringLiteral(GATEHOUSECTL_PATH));
        p.setArguments(QStringList{QStringLiteral("--vault"), m_vault} + args);
        p.start();
        if (!p.waitForStarted(10000))
            return {};
        p.write(input);
        p.closeWriteChannel();
        if (!p.waitForFinished(120000)) {
            p.kill();
            p.waitForFinished();
            return {};
        }
        Run r;
        r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
        r.out = p.readAllStandardOutput();
        r.err = p.readAllStandardError();
        return r;
    }
    Run asAlice(const QStringList& command) {
        if (m_codes.isEmpty())
            return {};
        // The code on the stdin line after the password, never in argv (issue 17).
        return ctl(QStringList{QStringLiteral("--as"), QStringLiteral("alice"), QStringLiteral("--password-stdin"),
                               QStringLiteral("--recovery-code-stdin")} +
                       command,
                   kAlicePassword + '\n' + m_codes.takeFirst() + '\n');
    }

    // init through the CLI; then, through the facade: alice's authenticator app and recovery
    // codes, and bob (viewer) with his own password.
    bool setUp(Gatehouse& g) {
        const Run init =
            ctl({QStringLiteral("init"), QStringLiteral("--admin"), QStringLiteral("alice")}, kAlicePassword + '\n');
        if (init.exitCode != 0 || !g.openVault(m_vault))
            return false;
        auto s = g.login().fullLogin(QStringLiteral("alice"), buf(kAlicePassword), QStringLiteral("test"));
        if (!s)
            return false;
        auto e = g.factors().beginTotpEnrollment(*s, QStringLiteral("phone"));
        OtpauthKey key;
        if (!e || otpauth::parse(QString::fromLatin1(e->uri.chars(), static_cast<qsizetype>(e->uri.size())), &key) !=
                      OtpauthError::None)
            return false;
        if (!g.factors().confirmTotp(*s, e->factorId,
                                     totp::generate(key.secret, QDateTime::currentSecsSinceEpoch(), key.params)))
            return false;
        // Enrolling leaves the session at what its sign-in proved: step up with the app (the next
        // step's code, newer than the confirming one) for the administrative calls below.
        const SecureBuffer next =
            SecureBuffer::fromUtf8(totp::generate(key.secret, QDateTime::currentSecsSinceEpoch() + 30, key.params));
        if (!g.login().stepUp(*s, buf(kAlicePassword), FactorKind::Totp, &next))
            return false;
        auto codes = gh::test::newRecoveryCodes(g.factors(), *s);
        if (!codes)
            return false;
        for (const SecureBuffer& c : *codes)
            m_codes << QByteArray(c.chars(), static_cast<qsizetype>(c.size()));
        auto temp = g.accounts().addUser(*s, QStringLiteral("bob"), QStringLiteral("viewer"));
        if (!temp)
            return false;
        auto bob = g.login().fullLogin(QStringLiteral("bob"), *temp, QStringLiteral("test"));
        if (!bob || !g.login().changePassword(*bob, *temp, buf(kBobPassword)) || !g.login().logout(*bob))
            return false;
        return g.login().logout(*s).ok();
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(crypto::initialise()); }
    void init() {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
        m_vault = m_dir->filePath(QStringLiteral("vault.db"));
    }
    void cleanup() {
        (void)SecretServiceKeyStore().remove(Vault::keychainEntry(Vault::canonicalPath(m_vault)));
        m_dir.reset();
        m_codes.clear();
    }

    // The "Done when": two CLI logins, `sessions list --all --json` as admin shows both
    // with their fields; `sessions revoke` ends one and the list shows why. A session held by
    // this (other) process is revoked by the CLI and this process sees it at its next check.
    void twoLoginsListRevoke() {
        Gatehouse g;
        QVERIFY(setUp(g));
        const Run first = asAlice({QStringLiteral("login"), QStringLiteral("--json")});
        const Run second = asAlice({QStringLiteral("login"), QStringLiteral("--json")});
        QCOMPARE(first.exitCode, 0);
        QCOMPARE(second.exitCode, 0);
        const QString a = first.json().value(QStringLiteral("sessionId")).toString();
        const QString b = second.json().value(QStringLiteral("sessionId")).toString();
        QVERIFY(!a.isEmpty() && !b.isEmpty() && a != b);

        const Run list = asAlice(
            {QStringLiteral("sessions"), QStringLiteral("list"), QStringLiteral("--all"), QStringLiteral("--json")});
        QCOMPARE(list.exitCode, 0);
        const QJsonObject all = list.json();
        for (const QString& id : {a, b}) {
            const QJsonObject s = byId(all, id);
            QVERIFY2(!s.isEmpty(), qPrintable(id));
            QCOMPARE(s.value(QStringLiteral("username")).toString(), QStringLiteral("alice"));
            QCOMPARE(s.value(QStringLiteral("role")).toString(), QStringLiteral("admin"));
            // The name gatehousectl claims, quoted, then the source the bus vouched for.
            const QString client = s.value(QStringLiteral("client")).toString();
            QVERIFY2(client.startsWith(QStringLiteral("\"gatehousectl pid ")), qPrintable(client));
            QVERIFY2(client.contains(QStringLiteral("\" via gatehousectl (uid ")), qPrintable(client));
            QVERIFY(s.value(QStringLiteral("pid")).toInteger() > 0);
            QVERIFY(!s.value(QStringLiteral("host")).toString().isEmpty());
            QVERIFY(s.value(QStringLiteral("factors")).toArray() ==
                    (QJsonArray{QStringLiteral("password"), QStringLiteral("recovery")}));
            QVERIFY(s.value(QStringLiteral("categories")).toArray() ==
                    (QJsonArray{QStringLiteral("knowledge"), QStringLiteral("possession")}));
            QCOMPARE(s.value(QStringLiteral("aal")).toString(), QStringLiteral("AAL2"));
            QCOMPARE(s.value(QStringLiteral("active")).toBool(), true);
            QCOMPARE(s.value(QStringLiteral("current")).toBool(), false);
            QCOMPARE(s.value(QStringLiteral("idleTimeoutSeconds")).toInt(), 30 * 60);
            const qint64 idleLeft = s.value(QStringLiteral("idleLeftSeconds")).toInteger();
            QVERIFY2(idleLeft > 25 * 60 && idleLeft <= 30 * 60, qPrintable(QString::number(idleLeft)));
            const qint64 absLeft = s.value(QStringLiteral("absoluteLeftSeconds")).toInteger();
            QVERIFY(absLeft > 11 * 3600 && absLeft <= 12 * 3600);
            const QDateTime created = QDateTime::fromString(s.value(QStringLiteral("created")).toString(), Qt::ISODate);
            QCOMPARE(QDateTime::fromString(s.value(QStringLiteral("absoluteDeadline")).toString(), Qt::ISODate),
                     created.addSecs(12 * 3600));
            QVERIFY(s.value(QStringLiteral("endReason")).isNull());
            QVERIFY(!s.contains(QStringLiteral("secret")));
        }
        int current = 0;
        for (const QJsonValue& v : all.value(QStringLiteral("sessions")).toArray())
            current += v.toObject().value(QStringLiteral("current")).toBool() ? 1 : 0;
        QCOMPARE(current, 1); // the listing command's own session

        const Run revoke = asAlice({QStringLiteral("sessions"), QStringLiteral("revoke"), a});
        QCOMPARE(revoke.exitCode, 0);
        const Run after = asAlice({QStringLiteral("sessions"), QStringLiteral("list"), QStringLiteral("--all"),
                                   QStringLiteral("--ended"), QStringLiteral("--json")});
        QCOMPARE(after.exitCode, 0);
        const QJsonObject ended = byId(after.json(), a);
        QCOMPARE(ended.value(QStringLiteral("active")).toBool(), false);
        QCOMPARE(ended.value(QStringLiteral("endReason")).toString(), QStringLiteral("revoked"));
        QCOMPARE(ended.value(QStringLiteral("endedBy")).toString(), QStringLiteral("alice"));
        QVERIFY(!ended.value(QStringLiteral("ended")).isNull());
        QCOMPARE(byId(after.json(), b).value(QStringLiteral("active")).toBool(), true);
        // Without --ended only live sessions are listed.
        const Run live = asAlice({QStringLiteral("sessions"), QStringLiteral("list"), QStringLiteral("--json")});
        QVERIFY(byId(live.json(), a).isEmpty());
        QVERIFY(!byId(live.json(), b).isEmpty());
        // The table names the reason too.
        const Run table = asAlice({QStringLiteral("sessions"), QStringLiteral("list"), QStringLiteral("--ended")});
        QCOMPARE(table.exitCode, 0);
        QVERIFY(table.out.contains("revoked by alice"));
        QVERIFY(table.out.contains("active (this command)"));

        // Another process (this one) holds a session; the CLI revokes it.
        const SecureBuffer code = buf(m_codes.takeLast());
        auto held = g.login().fullLogin(QStringLiteral("alice"), buf(kAlicePassword),
                                        QStringLiteral("gatehouse (test)"), FactorKind::RecoveryCode, &code);
        QVERIFY2(held, qPrintable(describe(held.error())));
        QVERIFY(g.login().validate(*held));
        QCOMPARE(asAlice({QStringLiteral("sessions"), QStringLiteral("revoke"), held->info.id}).exitCode, 0);
        auto seen = g.login().validate(*held);
        QVERIFY(!seen);
        QCOMPARE(seen.code(), Errc::SessionInvalid);
        QCOMPARE(seen.error().detail, QStringLiteral("revoked by alice"));
    }

    // AC-01: bob (viewer) may list and end only his own sessions; usage errors exit 2.
    void permissionsAndUsage() {
        Gatehouse g;
        QVERIFY(setUp(g));
        auto bob = [&](const QStringList& command) {
            return ctl(QStringList{QStringLiteral("--as"), QStringLiteral("bob"), QStringLiteral("--password-stdin")} +
                           command,
                       kBobPassword + '\n');
        };
        const Run login = bob({QStringLiteral("login"), QStringLiteral("--json")});
        QCOMPARE(login.exitCode, 0);
        const Run adminLogin = asAlice({QStringLiteral("login"), QStringLiteral("--json")});
        const QString aliceId = adminLogin.json().value(QStringLiteral("sessionId")).toString();
        QCOMPARE(bob({QStringLiteral("sessions"), QStringLiteral("list"), QStringLiteral("--all")}).exitCode, 4);
        QCOMPARE(bob({QStringLiteral("sessions"), QStringLiteral("revoke"), aliceId}).exitCode, 4);
        const Run own = bob({QStringLiteral("sessions"), QStringLiteral("list"), QStringLiteral("--json")});
        QCOMPARE(own.exitCode, 0);
        QVERIFY(byId(own.json(), aliceId).isEmpty());
        QVERIFY(!byId(own.json(), login.json().value(QStringLiteral("sessionId")).toString()).isEmpty());
        const Run others = bob({QStringLiteral("sessions"), QStringLiteral("revoke"), QStringLiteral("--others"),
                                QStringLiteral("--json")});
        QCOMPARE(others.exitCode, 0);
        QCOMPARE(others.json().value(QStringLiteral("ended")).toInt(), 1);

        QCOMPARE(bob({QStringLiteral("sessions"), QStringLiteral("revoke")}).exitCode, 2);
        QCOMPARE(
            bob({QStringLiteral("sessions"), QStringLiteral("revoke"), QStringLiteral("x"), QStringLiteral("--others")})
                .exitCode,
            2);
        QCOMPARE(bob({QStringLiteral("sessions"), QStringLiteral("list"), QStringLiteral("--others")}).exitCode, 2);
        QCOMPARE(bob({QStringLiteral("sessions")}).exitCode, 2);
        QCOMPARE(bob({QStringLiteral("status"), QStringLiteral("--all")}).exitCode, 2);
    }
};

QTEST_GUILESS_MAIN(TestCliSessions)
#include "tst_cli_sessions.moc"
