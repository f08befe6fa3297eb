// The audit log as a diagnosis tool (issue 6, audit half): tamper detection that names the first
// broken event, the query API (filters, keyset paging, ownership), the diagnosis of each failure
// type by layer, and the per-layer health. Covers AUD-01, AUD-04 (tamper-evident, read-only to
// non-admins), AC-01 and AC-02 (own events only without audit.read), ST-03 (key missing: no fallback).
#include "audit/diagnosis.h"
#include "crypto/primitives.h"
#include "fakes.h"
#include "gatehouse.h"
#include "vault/vault.h"
#include "verification/otpauth.h"

#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>

using namespace gh;

namespace {
SecureBuffer pw(const char* s) {
    return SecureBuffer(s, std::strlen(s));
}
const char* const kAlicePassword = "correct horse battery staple";
const char* const kBobPassword = "bob's own long passphrase";

AuditEvent ev(const QString& actor, const QString& action, Layer layer, Outcome outcome, const QString& subject = {},
              const QString& detail = {}) {
    AuditEvent e;
    e.actor = actor;
    e.action = action;
    e.layer = layer;
    e.outcome = outcome;
    e.subject = subject;
    e.detail = detail;
    return e;
}
} // namespace

class TestAuditQuery : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    test::MemoryKeyStore m_keys;
    test::SeededRandom m_random{17};
    test::FakeClock m_clock;
    int m_counter = 0;
    QString m_path;
    std::optional<OtpauthKey> m_aliceKey;

    Services services() {
        Services s;
        s.clock = &m_clock;
        s.random = &m_random;
        s.keys = &m_keys;
        s.hashParams = Argon2Params::testing();
        s.kdfParams = Argon2Params::testing();
        return s;
    }

    std::unique_ptr<Vault> vaultWith(const QList<AuditEvent>& events) {
        auto v = Vault::create(m_dir.filePath(QStringLiteral("q%1.db").arg(++m_counter)), m_keys, m_random);
        if (!v)
            return nullptr;
        // alice, bob and carol are accounts (ids 1–3), dave is not (mixedEvents).
        if (!v.value()->db().exec("INSERT INTO users(id, username, password_hash, created_at) VALUES "
                                  "(1, 'alice', 'x', 0), (2, 'bob', 'x', 0), (3, 'carol', 'x', 0)"))
            return nullptr;
        AuditLog log(*v.value(), m_clock);
        for (const AuditEvent& e : events) {
            m_clock.advance(1);
            if (!log.append(e))
                return nullptr;
        }
        return std::move(v.value());
    }

    // A varied, deterministic log: 4 users, every layer and outcome.
    QList<AuditEvent> mixedEvents(int n) {
        const QStringList users = {QStringLiteral("alice"), QStringLiteral("bob"), QStringLiteral("carol"),
                                   QStringLiteral("dave")};
        const QStringList actions = {QStringLiteral("login.failed"), QStringLiteral("login.succeeded"),
                                     QStringLiteral("session.issued"), QStringLiteral("access.denied"),
                                     QStringLiteral("vault.opened")};
        const Layer layers[] = {Layer::Verification, Layer::Verification, Layer::Session, Layer::Access,
                                Layer::Storage};
        const Outcome outcomes[] = {Outcome::Failed, Outcome::Allowed, Outcome::Allowed, Outcome::Denied,
                                    Outcome::Info};
        QList<AuditEvent> out;
        for (int i = 0; i < n; ++i) {
            const int k = (i * 7 + i / 3) % 5;
            const QString actor = users[i % 4];
            const QString subject = (i % 3 == 0) ? users[(i + 1) % 4] : actor;
            AuditEvent e = ev(actor, actions[k], layers[k], outcomes[k], subject, QStringLiteral("n%1").arg(i));
            // Most events of an account record its id; every fifth was recorded without (as events
            // from before schema 7, or by a path that names an account it did not look up), and
            // queries by name must find both (schema 8 indexes names only where no id is recorded).
            if (i % 5 != 0) {
                e.actorId = users.indexOf(actor) < 3 ? users.indexOf(actor) + 1 : 0;
                e.subjectId = users.indexOf(subject) < 3 ? users.indexOf(subject) + 1 : 0;
            }
            // Some name an account as actor without its id but record the subject's (schema 10
            // keeps such an event in the subject index although its subject is its actor's name).
            if (i % 7 == 3)
                e.actorId = 0;
            out << e;
        }
        return out;
    }

    std::unique_ptr<Gatehouse> freshGatehouse() {
        m_path = m_dir.filePath(QStringLiteral("g%1.db").arg(++m_counter));
        auto g = std::make_unique<Gatehouse>(services());
        if (!g->createVault(m_path) || !g->accounts().createFirstAdmin(QStringLiteral("alice"), pw(kAlicePassword)))
            return nullptr;
        return g;
    }

    // Alice enrolls an authenticator and steps up with it: her session is unrestricted and AAL2
    // (admin requires MFA; enrolling alone leaves the session at what its sign-in proved).
    Result<Session> enrolledAdmin(Gatehouse& g) {
        m_clock.advance(30);
        auto s = g.login().fullLogin(QStringLiteral("alice"), pw(kAlicePassword), QStringLiteral("t"));
        if (!s)
            return s.error();
        auto e = g.factors().beginTotpEnrollment(*s, QStringLiteral("phone"));
        if (!e)
            return e.error();
        OtpauthKey key;
        if (otpauth::parse(QString::fromLatin1(e->uri.chars(), static_cast<qsizetype>(e->uri.size())), &key) !=
            OtpauthError::None)
            return Errc::Internal;
        if (Status c =
                g.factors().confirmTotp(*s, e->factorId, totp::generate(key.secret, m_clock.nowSecs(), key.params));
            !c)
            return c.error();
        m_aliceKey = std::move(key);
        m_clock.advance(30);
        const SecureBuffer code =
            SecureBuffer::fromUtf8(totp::generate(m_aliceKey->secret, m_clock.nowSecs(), m_aliceKey->params));
        if (Status u = g.login().stepUp(*s, pw(kAlicePassword), FactorKind::Totp, &code); !u)
            return u.error();
        return s;
    }

    // bob, a viewer (no audit.read), with his own password.
    Result<Session> viewerBob(Gatehouse& g, const Session& admin) {
        auto temp = g.accounts().addUser(admin, QStringLiteral("bob"), QStringLiteral("viewer"));
        if (!temp)
            return temp.error();
        auto s = g.login().fullLogin(QStringLiteral("bob"), *temp, QStringLiteral("t"));
        if (!s)
            return s.error();
        if (Status c = g.login().changePassword(*s, *temp, pw(kBobPassword)); !c)
            return c.error();
        return s;
    }

    static qint64 newestId(Gatehouse& g, const Session& s, const QString& action) {
        AuditQuery q;
        q.action = action;
        q.limit = 1;
        auto page = g.audit().queryAudit(s, q);
        return page && !page->events.isEmpty() ? page->events.first().id : 0;
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(crypto::initialise()); }

    // AUD-04: someone who holds the vault key drops the append-only triggers and edits rows as
    // SQL; verify() names the first event that no longer checks out.
    void tamperingNamesTheFirstBrokenEvent_data() {
        QTest::addColumn<QByteArray>("sql");
        QTest::addColumn<qint64>("firstBroken");
        QTest::addColumn<QString>("reason");
        QTest::addColumn<bool>("parallel");
        for (const bool parallel : {false, true}) {
            const char* mode = parallel ? " (parallel)" : "";
            QTest::newRow(qPrintable(QStringLiteral("modified detail") + QLatin1String(mode)))
                << QByteArray("UPDATE audit SET detail = 'nothing to see' WHERE id = 4") << qint64(4)
                << QStringLiteral("modified") << parallel;
            QTest::newRow(qPrintable(QStringLiteral("modified outcome to an unknown name") + QLatin1String(mode)))
                << QByteArray("UPDATE audit SET outcome = 'whatever' WHERE id = 5") << qint64(5)
                << QStringLiteral("modified") << parallel;
            QTest::newRow(qPrintable(QStringLiteral("modified time") + QLatin1String(mode)))
                << QByteArray("UPDATE audit SET at_ms = at_ms - 3600000 WHERE id = 7") << qint64(7)
                << QStringLiteral("modified") << parallel;
            QTest::newRow(qPrintable(QStringLiteral("inserted with an id never issued") + QLatin1String(mode)))
                << QByteArray("INSERT INTO audit SELECT -5, at_ms, actor, action, layer, outcome, factor, subject, "
                              "detail, mac, actor_id, subject_id, origin FROM audit WHERE id = 9")
                << qint64(-5) << QStringLiteral("out of sequence") << parallel;
            QTest::newRow(qPrintable(QStringLiteral("deleted") + QLatin1String(mode)))
                << QByteArray("DELETE FROM audit WHERE id = 3") << qint64(4) << QStringLiteral("gap") << parallel;
            QTest::newRow(qPrintable(QStringLiteral("deleted several") + QLatin1String(mode)))
                << QByteArray("DELETE FROM audit WHERE id IN (2, 6)") << qint64(3) << QStringLiteral("gap") << parallel;
            // Inserted between 5 and 6: the tamperer shifts the later ids up (from the top down) and
            // puts a copy of event 2 (a valid MAC of another position) at id 6.
            QTest::newRow(qPrintable(QStringLiteral("inserted") + QLatin1String(mode)))
                << QByteArray("UPDATE audit SET id = -id WHERE id >= 6; UPDATE audit SET id = -id + 1 WHERE id < 0; "
                              "INSERT INTO audit SELECT 6, at_ms, actor, action, layer, outcome, factor, subject, "
                              "detail, mac, actor_id, subject_id, origin FROM audit WHERE id = 2")
                << qint64(6) << QStringLiteral("modified") << parallel;
            QTest::newRow(qPrintable(QStringLiteral("inserted with a fresh id at the end") + QLatin1String(mode)))
                << QByteArray("INSERT INTO audit SELECT 11, at_ms, actor, action, layer, outcome, factor, subject, "
                              "detail, mac, actor_id, subject_id, origin FROM audit WHERE id = 10")
                << qint64(11) << QStringLiteral("modified") << parallel;
            QTest::newRow(qPrintable(QStringLiteral("reordered (rows swapped with their ids)") + QLatin1String(mode)))
                << QByteArray("UPDATE audit SET id = -3 WHERE id = 3; UPDATE audit SET id = 3 WHERE id = 8; "
                              "UPDATE audit SET id = 8 WHERE id = -3")
                << qint64(3) << QStringLiteral("modified") << parallel;
            // Reordered storage: rows 5 and 6 swap places but keep their ids (rowid ≠ id is impossible
            // for INTEGER PRIMARY KEY, so the attacker renumbers: 6 gets id 5 and vice versa).
            QTest::newRow(qPrintable(QStringLiteral("reordered (ids kept, content swapped)") + QLatin1String(mode)))
                << QByteArray("UPDATE audit SET id = -5 WHERE id = 5; UPDATE audit SET id = 5 WHERE id = 6; "
                              "UPDATE audit SET id = 6 WHERE id = -5")
                << qint64(5) << QStringLiteral("modified") << parallel;
        }
    }
    void tamperingNamesTheFirstBrokenEvent() {
        QFETCH(QByteArray, sql);
        QFETCH(qint64, firstBroken);
        QFETCH(QString, reason);
        QFETCH(bool, parallel);
        auto v = vaultWith(mixedEvents(10));
        QVERIFY(v);
        {
            AuditLog log(*v, m_clock);
            auto before = log.verify();
            QVERIFY(before && before->intact);
            QCOMPARE(before->events, qint64(10));
        }
        // The triggers stop a plain UPDATE; the attacker drops them first.
        QVERIFY(!v->db().exec("UPDATE audit SET detail = 'x' WHERE id = 1"));
        QVERIFY(v->db().exec("DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete"));
        QVERIFY(v->db().exec(sql.constData()));
        AuditLog log(*v, m_clock);
        // Both paths: one sequential walk, and id ranges verified in parallel on own connections.
        log.setParallelFrom(parallel ? 1 : AuditLog::kParallelFrom);
        auto report = log.verify();
        QVERIFY(report);
        QVERIFY(!report->intact);
        QCOMPARE(report->firstBrokenId, firstBroken);
        QVERIFY2(report->reason.startsWith(reason), qPrintable(report->reason));
    }

    // Appending after tampering does not "heal" the chain, and batches chain like single appends.
    void batchesChainLikeSingleAppends() {
        auto v = vaultWith(mixedEvents(3));
        QVERIFY(v);
        AuditLog log(*v, m_clock);
        QVERIFY(log.appendBatch(mixedEvents(50)));
        QVERIFY(log.append(ev(QStringLiteral("zed"), QStringLiteral("x.y"), Layer::Access, Outcome::Denied)));
        auto report = log.verify();
        QVERIFY(report && report->intact);
        QCOMPARE(report->events, qint64(54));
        log.setParallelFrom(1); // the parallel path agrees on an intact chain
        report = log.verify();
        QVERIFY(report && report->intact);
        QCOMPARE(report->events, qint64(54));
        log.setParallelFrom(AuditLog::kParallelFrom);
        auto last = log.recent(1);
        QVERIFY(last);
        QCOMPARE(last->first().id, qint64(54));
        QVERIFY(log.appendBatch({})); // nothing to do
        // A failing batch leaves nothing behind (one transaction).
        QVERIFY(v->db().exec("CREATE TRIGGER no_zz BEFORE INSERT ON audit WHEN NEW.actor = 'zz' "
                             "BEGIN SELECT RAISE(ABORT, 'refused'); END"));
        QList<AuditEvent> bad = mixedEvents(5);
        bad << ev(QStringLiteral("zz"), QStringLiteral("a.b"), Layer::Access, Outcome::Info);
        QVERIFY(!log.appendBatch(bad));
        auto after = log.verify();
        QVERIFY(after && after->intact);
        QCOMPARE(after->events, qint64(54));
    }

    // Every filter, alone and combined, against a brute-force reading of the whole log; paging
    // with the keyset returns each match once, newest first.
    void queryMatchesBruteForce_data() {
        QTest::addColumn<QString>("user");
        QTest::addColumn<QString>("actor");
        QTest::addColumn<QString>("action");
        QTest::addColumn<int>("layer"); // 0: any
        QTest::addColumn<QString>("outcome");
        QTest::addColumn<int>("fromOffset"); // seconds after the first event; -1: open
        QTest::addColumn<int>("pageSize");
        QTest::addColumn<QString>("subject");
        QTest::addColumn<int>("account"); // an account id (own history, AC-02); 0: none
        QTest::newRow("everything") << QString() << QString() << QString() << 0 << QString() << -1 << 7 << QString()
                                    << 0;
        QTest::newRow("user") << QStringLiteral("bob") << QString() << QString() << 0 << QString() << -1 << 5
                              << QString() << 0;
        QTest::newRow("actor") << QString() << QStringLiteral("carol") << QString() << 0 << QString() << -1 << 9
                               << QString() << 0;
        QTest::newRow("actor, not an account")
            << QString() << QStringLiteral("dave") << QString() << 0 << QString() << -1 << 9 << QString() << 0;
        QTest::newRow("layer") << QString() << QString() << QString() << 2 << QString() << -1 << 4 << QString() << 0;
        QTest::newRow("outcome") << QString() << QString() << QString() << 0 << QStringLiteral("denied") << -1 << 6
                                 << QString() << 0;
        QTest::newRow("layer+outcome") << QString() << QString() << QString() << 4 << QStringLiteral("denied") << -1
                                       << 3 << QString() << 0;
        QTest::newRow("user+layer") << QStringLiteral("dave") << QString() << QString() << 2 << QString() << -1 << 2
                                    << QString() << 0;
        QTest::newRow("action") << QString() << QString() << QStringLiteral("login.failed") << 0 << QString() << -1 << 8
                                << QString() << 0;
        QTest::newRow("action family") << QString() << QString() << QStringLiteral("login.") << 0 << QString() << -1
                                       << 8 << QString() << 0;
        QTest::newRow("action family *") << QString() << QStringLiteral("alice") << QStringLiteral("login*") << 0
                                         << QString() << -1 << 3 << QString() << 0;
        QTest::newRow("time range") << QString() << QString() << QString() << 0 << QString() << 100 << 10 << QString()
                                    << 0;
        QTest::newRow("user+outcome+time") << QStringLiteral("alice") << QString() << QString() << 0
                                           << QStringLiteral("failed") << 50 << 4 << QString() << 0;
        // Schema 10: an event about its own actor is in the actor index only; by subject and by
        // account id it must still be found (issue 17).
        QTest::newRow("subject") << QString() << QString() << QString() << 0 << QString() << -1 << 6
                                 << QStringLiteral("bob") << 0;
        QTest::newRow("subject, not an account")
            << QString() << QString() << QString() << 0 << QString() << -1 << 6 << QStringLiteral("dave") << 0;
        QTest::newRow("subject+outcome") << QString() << QString() << QString() << 0 << QStringLiteral("allowed") << -1
                                         << 4 << QStringLiteral("carol") << 0;
        QTest::newRow("account") << QString() << QString() << QString() << 0 << QString() << -1 << 7 << QString() << 2;
        QTest::newRow("account+layer") << QString() << QString() << QString() << 2 << QString() << -1 << 3 << QString()
                                       << 3;
        QTest::newRow("no match") << QStringLiteral("nobody") << QString() << QString() << 0 << QString() << -1 << 5
                                  << QString() << 0;
    }
    void queryMatchesBruteForce() {
        QFETCH(QString, user);
        QFETCH(QString, actor);
        QFETCH(QString, action);
        QFETCH(int, layer);
        QFETCH(QString, outcome);
        QFETCH(int, fromOffset);
        QFETCH(int, pageSize);
        QFETCH(QString, subject);
        QFETCH(int, account);
        const QDateTime start = m_clock.nowUtc();
        auto v = vaultWith(mixedEvents(300));
        QVERIFY(v);
        AuditLog log(*v, m_clock);
        auto all = log.recent(100000);
        QVERIFY(all);
        QCOMPARE(all->size(), 300);

        AuditQuery q;
        q.user = user;
        q.actor = actor;
        q.action = action;
        q.subject = subject;
        q.account = account;
        if (layer)
            q.layer = static_cast<Layer>(layer);
        if (!outcome.isEmpty())
            q.outcome = parseOutcome(outcome);
        if (fromOffset >= 0) {
            q.from = start.addSecs(fromOffset);
            q.to = start.addSecs(fromOffset + 120);
        }
        QList<qint64> expected;
        for (const AuditEvent& e : *all) {
            bool match = true;
            match = match && (user.isEmpty() || e.actor == user || e.subject == user);
            match = match && (actor.isEmpty() || e.actor == actor);
            match = match && (subject.isEmpty() || e.subject == subject);
            match = match && (!account || e.actorId == account || e.subjectId == account);
            if (!action.isEmpty()) {
                const QString family =
                    action.endsWith(QLatin1Char('*')) ? action.chopped(1) + QLatin1Char('.') : action;
                match = match && (family.endsWith(QLatin1Char('.')) ? e.action.startsWith(family) : e.action == family);
            }
            match = match && (!layer || static_cast<int>(e.layer) == layer);
            match = match && (outcome.isEmpty() || outcomeName(e.outcome) == outcome);
            match = match && (fromOffset < 0 || (e.time >= q.from && e.time < q.to));
            if (match)
                expected << e.id;
        }
        QList<qint64> got;
        q.limit = pageSize;
        int pages = 0;
        do {
            auto page = log.query(q);
            QVERIFY2(page, qPrintable(page.error().detail));
            QVERIFY(page->events.size() <= pageSize);
            for (const AuditEvent& e : page->events)
                got << e.id;
            q.beforeId = page->nextBeforeId;
            QVERIFY(++pages < 1000);
        } while (q.beforeId != 0);
        QCOMPARE(got, expected); // same events, newest first, none twice
        if (user.isEmpty() && actor.isEmpty() && action.isEmpty() && !layer && outcome.isEmpty() && fromOffset < 0 &&
            subject.isEmpty() && !account)
            QCOMPARE(got.size(), 300);
        else if (user != QLatin1String("nobody"))
            QVERIFY(!expected.isEmpty() && expected.size() < 300); // the filter really filtered
    }

    void parsesLayersAndOutcomes() {
        QCOMPARE(parseLayer(QStringLiteral("L4")), std::optional<Layer>(Layer::Access));
        QCOMPARE(parseLayer(QStringLiteral("l1")), std::optional<Layer>(Layer::Storage));
        QCOMPARE(parseLayer(QStringLiteral("3")), std::optional<Layer>(Layer::Session));
        QVERIFY(!parseLayer(QStringLiteral("L5")));
        QVERIFY(!parseLayer(QStringLiteral("L12")));
        QVERIFY(!parseLayer(QString()));
        QCOMPARE(parseOutcome(QStringLiteral("Denied")), std::optional<Outcome>(Outcome::Denied));
        QVERIFY(!parseOutcome(QStringLiteral("deny")));
    }

    // AUD-04 read-only to non-admins, AC-02 ownership: a viewer reads only events by or about
    // him; asking for another account's events is denied and audited in L4; verify needs audit.read.
    void ownershipWithoutAuditRead() {
        auto g = freshGatehouse();
        QVERIFY(g);
        auto admin = enrolledAdmin(*g);
        QVERIFY2(admin, qPrintable(describe(admin.error())));
        auto bob = viewerBob(*g, *admin);
        QVERIFY2(bob, qPrintable(describe(bob.error())));

        auto own = g->audit().queryAudit(*bob, AuditQuery{});
        QVERIFY(own);
        QVERIFY(!own->events.isEmpty());
        for (const AuditEvent& e : own->events)
            QVERIFY2(e.actor == QLatin1String("bob") || e.subject == QLatin1String("bob"), qPrintable(e.action));
        AuditQuery foreign;
        foreign.user = QStringLiteral("alice");
        QCOMPARE(g->audit().queryAudit(*bob, foreign).code(), Errc::NotPermitted);
        QCOMPARE(g->audit().verifyAudit(*bob).code(), Errc::NotPermitted);

        // The admin sees everything, including bob's denials, and alice's events.
        AuditQuery denied;
        denied.user = QStringLiteral("bob");
        denied.layer = Layer::Access;
        denied.outcome = Outcome::Denied;
        auto seen = g->audit().queryAudit(*admin, denied);
        QVERIFY(seen);
        QCOMPARE(seen->events.size(), 2); // the foreign query and the verify
        QCOMPARE(seen->events.first().subject, QStringLiteral("audit.read"));
        AuditQuery aliceEvents;
        aliceEvents.user = QStringLiteral("alice");
        auto all = g->audit().queryAudit(*admin, aliceEvents);
        QVERIFY(all && !all->events.isEmpty());

        // Single events: one's own reads, another's reads as missing (no probing by id).
        const qint64 aliceEvent = newestId(*g, *admin, QStringLiteral("factor.added"));
        QVERIFY(aliceEvent > 0);
        QCOMPARE(g->audit().auditEvent(*bob, aliceEvent).code(), Errc::InvalidArgument);
        QVERIFY(g->audit().auditEvent(*admin, aliceEvent));
        QCOMPARE(g->audit().auditEvent(*admin, 999999).code(), Errc::InvalidArgument);
        auto chain = g->audit().verifyAudit(*admin);
        QVERIFY(chain && chain->intact);

        // A session that has ended reads nothing (L3 first).
        Session stale{bob->info, SecureBuffer(bob->secret.chars(), bob->secret.size())};
        QVERIFY(g->login().logout(*bob));
        QCOMPARE(g->audit().queryAudit(stale, AuditQuery{}).code(), Errc::SessionInvalid);
    }

    // Each failure type, produced by the real flows where the product audits it today, gets the
    // layer that failed and an explanation with a fix.
    void diagnosesRealFailures() {
        auto g = freshGatehouse();
        QVERIFY(g);
        auto admin = enrolledAdmin(*g);
        QVERIFY(admin);
        auto bob = viewerBob(*g, *admin);
        QVERIFY(bob);

        auto check = [&](const QString& action, Layer layer, const QString& titleWord) {
            const qint64 id = newestId(*g, *admin, action);
            QVERIFY2(id > 0, qPrintable(action));
            auto d = g->audit().diagnoseAudit(*admin, id);
            QVERIFY(d);
            QCOMPARE(d->layer, layer);
            QVERIFY(d->problem);
            QVERIFY2(d->title.contains(titleWord, Qt::CaseInsensitive), qPrintable(d->title));
            QVERIFY(!d->explanation.isEmpty());
            QVERIFY(!d->fix.isEmpty());
        };

        // L2 wrong password.
        QCOMPARE(g->login().fullLogin(QStringLiteral("bob"), pw("not his password at all"), QStringLiteral("t")).code(),
                 Errc::AuthenticationFailed);
        check(QStringLiteral("login.failed"), Layer::Verification, QStringLiteral("password"));
        // L2 wrong code (alice holds TOTP).
        m_clock.advance(30);
        const SecureBuffer wrong = pw("000000");
        QVERIFY(!g->login().fullLogin(QStringLiteral("alice"), pw(kAlicePassword), QStringLiteral("t"),
                                      FactorKind::Totp, &wrong));
        check(QStringLiteral("login.failed"), Layer::Verification, QStringLiteral("code"));
        // L2 replayed code.
        m_clock.advance(30);
        const SecureBuffer code =
            SecureBuffer::fromUtf8(totp::generate(m_aliceKey->secret, m_clock.nowSecs(), m_aliceKey->params));
        auto admin2 = g->login().fullLogin(QStringLiteral("alice"), pw(kAlicePassword), QStringLiteral("t"),
                                           FactorKind::Totp, &code);
        QVERIFY(admin2);
        QCOMPARE(
            g->login()
                .fullLogin(QStringLiteral("alice"), pw(kAlicePassword), QStringLiteral("t"), FactorKind::Totp, &code)
                .code(),
            Errc::CodeReplayed);
        check(QStringLiteral("totp.replayed"), Layer::Verification, QStringLiteral("twice"));
        // L4 permission denied: the viewer tries to add a user.
        QCOMPARE(g->accounts().addUser(*bob, QStringLiteral("eve"), QString()).code(), Errc::NotPermitted);
        check(QStringLiteral("access.denied"), Layer::Access, QStringLiteral("permission"));
        {
            auto d = g->audit().diagnoseAudit(*admin, newestId(*g, *admin, QStringLiteral("access.denied")));
            QVERIFY(d->explanation.contains(QStringLiteral("users.manage")));
            QVERIFY(d->explanation.contains(QStringLiteral("bob")));
        }
        // L3 session rejected: a logged-out session is used again.
        Session stale{bob->info, SecureBuffer(bob->secret.chars(), bob->secret.size())};
        QVERIFY(g->login().logout(*bob));
        QCOMPARE(g->accounts().listUsers(stale).code(), Errc::SessionInvalid);
        check(QStringLiteral("session.rejected"), Layer::Session, QStringLiteral("session"));
        // L2 throttled, then locked: repeated wrong passwords for bob.
        for (int i = 0; i < 6; ++i) {
            m_clock.advance(3600);
            (void)g->login().fullLogin(QStringLiteral("bob"), pw("wrong wrong wrong wrong"), QStringLiteral("t"));
        }
        QCOMPARE(g->login().fullLogin(QStringLiteral("bob"), pw("wrong wrong wrong wrong"), QStringLiteral("t")).code(),
                 Errc::Throttled);
        // Hours passed: alice's session idled out (SES-03, 30 min at AAL2); she signs in again
        // (a code of a new time step) to read the log.
        QCOMPARE(g->audit().queryAudit(*admin, AuditQuery{}).code(), Errc::SessionInvalid);
        m_clock.advance(30);
        const SecureBuffer later =
            SecureBuffer::fromUtf8(totp::generate(m_aliceKey->secret, m_clock.nowSecs(), m_aliceKey->params));
        admin = g->login().fullLogin(QStringLiteral("alice"), pw(kAlicePassword), QStringLiteral("t"), FactorKind::Totp,
                                     &later);
        QVERIFY(admin);
        check(QStringLiteral("login.throttled"), Layer::Verification, QStringLiteral("throttled"));

        // Allowed events are not problems.
        auto okEvent = g->audit().diagnoseAudit(*admin, newestId(*g, *admin, QStringLiteral("login.succeeded")));
        QVERIFY(okEvent && !okEvent->problem);
    }

    // Failure types the sessions and roles work will audit, an unknown action degrading to its
    // layer, and L1 failures that happen before any vault can be written (diagnosed from the error).
    void diagnosesEveryFailureType_data() {
        QTest::addColumn<QString>("action");
        QTest::addColumn<int>("layer");
        QTest::addColumn<int>("outcome");
        QTest::addColumn<QString>("detail");
        QTest::addColumn<int>("expectedLayer");
        QTest::addColumn<QString>("titleWord");
        QTest::newRow("locked") << QStringLiteral("login.locked") << 2 << int(Outcome::Denied)
                                << QStringLiteral("100 failures") << 2 << QStringLiteral("locked");
        QTest::newRow("recovery code") << QStringLiteral("login.failed") << 2 << int(Outcome::Failed)
                                       << QStringLiteral("wrong recovery code") << 2 << QStringLiteral("recovery");
        QTest::newRow("expired code") << QStringLiteral("login.failed") << 2 << int(Outcome::Failed)
                                      << QStringLiteral("expired code") << 2 << QStringLiteral("time");
        QTest::newRow("disabled") << QStringLiteral("login.denied") << 2 << int(Outcome::Denied)
                                  << QStringLiteral("account disabled") << 2 << QStringLiteral("disabled");
        QTest::newRow("session expired") << QStringLiteral("session.expired") << 3 << int(Outcome::Denied)
                                         << QStringLiteral("idle 30 min") << 3 << QStringLiteral("expired");
        // A revocation is an action, not a failure (issue 13): tst_attacks revocationIsAnAction.
        QTest::newRow("restricted") << QStringLiteral("access.denied") << 4 << int(Outcome::Denied)
                                    << QStringLiteral("restricted session: password change required") << 4
                                    << QStringLiteral("password change");
        QTest::newRow("admin without mfa") << QStringLiteral("access.denied") << 4 << int(Outcome::Denied)
                                           << QStringLiteral("administrators need a second factor; enroll one first")
                                           << 4 << QStringLiteral("second factor");
        QTest::newRow("last admin") << QStringLiteral("access.denied") << 4 << int(Outcome::Denied)
                                    << QStringLiteral("the last admin cannot be demoted") << 4
                                    << QStringLiteral("last administrator");
        QTest::newRow("vault key missing") << QStringLiteral("vault.key_missing") << 1 << int(Outcome::Failed)
                                           << QString() << 1 << QStringLiteral("key missing");
        QTest::newRow("unknown L4 action") << QStringLiteral("role.assign_refused") << 4 << int(Outcome::Denied)
                                           << QString() << 4 << QStringLiteral("not permitted");
        QTest::newRow("unknown L3 action") << QStringLiteral("session.bound_elsewhere") << 3 << int(Outcome::Failed)
                                           << QString() << 3 << QStringLiteral("session");
    }
    void diagnosesEveryFailureType() {
        QFETCH(QString, action);
        QFETCH(int, layer);
        QFETCH(int, outcome);
        QFETCH(QString, detail);
        QFETCH(int, expectedLayer);
        QFETCH(QString, titleWord);
        const Diagnosis d = diagnose(ev(QStringLiteral("bob"), action, static_cast<Layer>(layer),
                                        static_cast<Outcome>(outcome), QStringLiteral("users.manage"), detail));
        QCOMPARE(int(d.layer), expectedLayer);
        QVERIFY(d.problem);
        QVERIFY2(d.title.contains(titleWord, Qt::CaseInsensitive), qPrintable(d.title));
        QVERIFY(!d.explanation.isEmpty() && !d.fix.isEmpty());
    }

    // L1 (ST-03): a missing key or a wrong passphrase fails before anything can be audited; the
    // live error gets the same diagnosis.
    void diagnosesVaultKeyFailures() {
        auto g = freshGatehouse();
        QVERIFY(g);
        g.reset();
        test::MemoryKeyStore empty;
        Services s = services();
        s.keys = &empty;
        Gatehouse other(s);
        const Status missing = other.openVault(m_path);
        QCOMPARE(missing.code(), Errc::KeyMissing);
        Diagnosis d = diagnose(missing.error());
        QCOMPARE(d.layer, Layer::Storage);
        QVERIFY(d.title.contains(QStringLiteral("missing")));
        QVERIFY(d.explanation.contains(QStringLiteral("plain text")));

        const QString pp = m_dir.filePath(QStringLiteral("pp.db"));
        {
            Gatehouse a(services());
            const SecureBuffer pass = pw("the vault passphrase, long enough");
            QVERIFY(a.createVault(pp, &pass));
        }
        Gatehouse b(services());
        const SecureBuffer wrongPass = pw("not the vault passphrase at all");
        const Status wrong = b.openVault(pp, &wrongPass);
        QCOMPARE(wrong.code(), Errc::VaultWrongKey);
        d = diagnose(wrong.error());
        QCOMPARE(d.layer, Layer::Storage);
        QVERIFY(d.title.contains(QStringLiteral("Wrong vault key")));
        QCOMPARE(diagnose(Error{Errc::NotPermitted, {}, 0}).layer, Layer::Access);
        QCOMPARE(diagnose(Error{Errc::SessionInvalid, {}, 0}).layer, Layer::Session);
        QCOMPARE(diagnose(Error{Errc::LockedOut, {}, 0}).layer, Layer::Verification);
    }

    // Layer health: counts move with the accounts, and each warning names where it is fixed.
    // Another process (the stock sqlcipher shell, with this vault's key) opens the vault, reads it
    // and exits. Returns whether this process's write-ahead log survived that.
    bool walSurvivesAnotherProcess() {
        auto key = m_keys.read(Vault::keychainEntry(Vault::canonicalPath(m_path)));
        if (!key)
            return false;
        const QString shell = QStandardPaths::findExecutable(QStringLiteral("sqlcipher"));
        if (shell.isEmpty())
            return false;
        const SecureBuffer hex = key->toHex(); // the raw key, as the break-glass path types it
        QProcess sql;
        sql.start(shell, {m_path});
        sql.write("PRAGMA key = \"x'" + QByteArray(hex.chars(), static_cast<qsizetype>(hex.size())) +
                  "'\";\nSELECT count(*) FROM users;\n");
        sql.closeWriteChannel();
        if (!sql.waitForFinished(20000) || sql.exitCode() != 0)
            return false;
        return QFile::exists(m_path + QStringLiteral("-wal")) && QFile::exists(m_path + QStringLiteral("-shm"));
    }

    // POSIX record locks belong to the process and the file: closing ANY descriptor of the vault
    // file drops all of them, and another process closing the vault then believes it was the last
    // user and deletes the live -wal/-shm under us (the GUI showing Home while gatehousectl ran
    // split their views, then "vault damaged"). layerHealth() reads the file header through
    // SQLite's own handle for that reason. The control shows the probe detects the hazard. L1.
    void layerHealthKeepsTheVaultLocks() {
        QVERIFY2(!QStandardPaths::findExecutable(QStringLiteral("sqlcipher")).isEmpty(),
                 "the sqlcipher shell is installed by installer/deps.sh");
        {
            auto control = freshGatehouse();
            QVERIFY(control);
            QVERIFY(QFile::exists(m_path + QStringLiteral("-wal")));
            {
                QFile second(m_path);
                QVERIFY(second.open(QIODevice::ReadOnly));
            } // closing it drops this process's locks
            QVERIFY2(!walSurvivesAnotherProcess(), "control: without our locks the other process removes the WAL");
        }
        auto g = freshGatehouse();
        QVERIFY(g);
        auto h = g->status().layerHealth();
        QVERIFY(h);
        QVERIFY(h->vaultEncrypted);
        QVERIFY2(walSurvivesAnotherProcess(), "layerHealth() must not drop the vault's locks");
        QVERIFY(g->status().layerHealth()); // and the vault still answers
    }

    void layerHealth() {
        auto g = freshGatehouse();
        QVERIFY(g);
        auto h = g->status().layerHealth();
        QVERIFY(h);
        QVERIFY(h->vaultEncrypted);
        QVERIFY(h->ownerOnlyPermissions);
        QCOMPARE(h->filePermissions, QStringLiteral("0600"));
        QCOMPARE(h->accounts, 1);
        QCOMPARE(h->admins, 1);
        QCOMPARE(h->adminsWithoutMfa, 1);
        QCOMPARE(h->accountsWithoutMfa, 1);
        QCOMPARE(h->customRoles, 0); // only the built-in roles
        auto warningFor = [](const LayerHealth& health, Layer layer) -> const HealthNote* {
            for (const HealthNote& n : health.notes)
                if (n.warning && n.layer == layer)
                    return &n;
            return nullptr;
        };
        const HealthNote* w = warningFor(*h, Layer::Verification);
        QVERIFY(w);
        QCOMPARE(w->screen, QStringLiteral("security"));
        for (Layer l : {Layer::Storage, Layer::Verification, Layer::Session, Layer::Access}) {
            bool summary = false;
            for (const HealthNote& n : h->notes)
                summary = summary || (n.layer == l && !n.warning);
            QVERIFY(summary);
        }

        auto admin = enrolledAdmin(*g);
        QVERIFY(admin);
        auto bob = viewerBob(*g, *admin);
        QVERIFY(bob);
        QVERIFY(g->accounts().addUser(*admin, QStringLiteral("nora"), QString()));
        QVERIFY(QFile::setPermissions(m_path, QFile::ReadOwner | QFile::WriteOwner | QFile::ReadGroup));
        h = g->status().layerHealth();
        QVERIFY(h);
        QCOMPARE(h->accounts, 3);
        QCOMPARE(h->accountsWithMfa, 1);
        QCOMPARE(h->adminsWithoutMfa, 0);
        QCOMPARE(h->usersWithoutRole, 1);
        QVERIFY(h->activeSessions >= 2);
        QVERIFY(!h->ownerOnlyPermissions);
        QCOMPARE(h->filePermissions, QStringLiteral("0640"));
        QVERIFY(warningFor(*h, Layer::Storage));
        QVERIFY(!warningFor(*h, Layer::Verification));
        QCOMPARE(warningFor(*h, Layer::Access)->screen, QStringLiteral("roles"));
    }
};

QTEST_GUILESS_MAIN(TestAuditQuery)
#include "tst_auditquery.moc"
