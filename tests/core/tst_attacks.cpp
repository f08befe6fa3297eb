// The attacks the model names, through the facade (issue 13): credential stuffing (one wrong
// password each across many names) against brute force (many guesses at one account), the stage
// and source of every sign-in attempt, the health and diagnoses that tell them apart, MFA by
// privilege, the audit of reads of other people's data, and the trust bootstrap (enrollment grants).
// Injected clock and randomness; no sleeps: the pacing is asserted through the retry-after.
// Covers ATK-01, ATK-02, ATK-03, RL-01, RL-04, AC-02, AC-06, AUD-01, AUD-02, RC-03 (bind/remove notices).
#include "accounts.h"
#include "audit/diagnosis.h"
#include "crypto/primitives.h"
#include "facade/core.h"
#include "fakes.h"
#include "gatehouse.h"
#include "origin.h"
#include "vault/vault.h"
#include "verification/otpauth.h"
#include "verification/stuffing.h"
#include "verification/throttle.h"

#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <map>

using namespace gh;

namespace {
SecureBuffer pw(const char* s) {
    return SecureBuffer(s, std::strlen(s));
}
SecureBuffer pw(const QString& s) {
    return SecureBuffer::fromUtf8(s);
}
const char* const kAlicePassword = "correct horse battery staple";
const QString kAlice = QStringLiteral("alice");
const char* const kMemberPassword = "a passphrase of my own 42";

CallerOrigin origin(quint32 uid, const char* program, qint64 pid) {
    CallerOrigin o;
    o.known = true;
    o.uid = uid;
    o.pid = pid;
    o.program = QString::fromLatin1(program);
    o.tty = QStringLiteral("pts/7");
    o.peer = QStringLiteral(":1.%1").arg(pid);
    return o;
}
} // namespace

class TestAttacks : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    test::MemoryKeyStore m_keys;
    test::SeededRandom m_random{1313};
    test::FakeClock m_clock;
    int m_counter = 0;
    QString m_path;

    test::Accounts m_accounts{m_clock};
    SecureBuffer nextCode(const QString& name) { return m_accounts.nextCode(name); }
    bool enrollTotp(Gatehouse& g, Session& s, const char* password) { return m_accounts.enrollTotp(g, s, password); }
    // alice's first session, made AAL2 with an authenticator app.
    Result<Session> admin(Gatehouse& g) { return m_accounts.signInWithApp(g, kAlice, kAlicePassword); }
    // A new account with `role`, signed in with its own password (AAL1; AAL2 with mfa).
    Result<Session> member(Gatehouse& g, const Session& by, const QString& name, const QString& role,
                           bool mfa = false) {
        return m_accounts.member(g, by, name, role, kMemberPassword, mfa);
    }

    Services services() {
        Services s;
        s.clock = &m_clock;
        s.random = &m_random;
        s.keys = &m_keys;
        s.hashParams = Argon2Params::testing();
        s.kdfParams = Argon2Params::testing();
        return s;
    }
    std::unique_ptr<Gatehouse> freshVault() {
        m_path = m_dir.filePath(QStringLiteral("atk%1.db").arg(++m_counter));
        m_accounts.clear();
        auto g = std::make_unique<Gatehouse>(services());
        if (!g->createVault(m_path) || !g->accounts().createFirstAdmin(kAlice, pw(kAlicePassword)))
            return nullptr;
        return g;
    }
    // A fresh two-factor session of alice (the admin), for reading what was recorded.
    Result<Session> adminAgain(Gatehouse& g) {
        const SecureBuffer code = nextCode(kAlice);
        return g.login().fullLogin(kAlice, pw(kAlicePassword), QStringLiteral("t"), FactorKind::Totp, &code);
    }
    QList<AuditEvent> events(Gatehouse& g, const Session& s, const QString& action) {
        AuditQuery q;
        q.action = action;
        q.limit = 1000;
        auto page = g.audit().queryAudit(s, q);
        return page ? page->events : QList<AuditEvent>{};
    }
    static bool anyNote(const LayerHealth& h, Layer layer, const QString& needle) {
        for (const HealthNote& n : h.notes)
            if (n.layer == layer && n.warning && n.text.contains(needle))
                return true;
        return false;
    }
    static bool anyNotice(const QList<AccountNotice>& list, const QString& needle) {
        for (const AccountNotice& n : list)
            if (n.text.contains(needle))
                return true;
        return false;
    }

    static AuditEvent newest(Gatehouse& g, const Session& s, const QString& action) {
        AuditQuery q;
        q.action = action;
        q.limit = 1;
        auto page = g.audit().queryAudit(s, q);
        return page && !page->events.isEmpty() ? page->events.first() : AuditEvent{};
    }

private Q_SLOTS:
    // AUD-04 (red team t29): the program name (/proc/PID/comm) and the seat (XDG_SEAT) are the
    // process's own choice; a name like "x (uid 0, pid 1" or a seat like "seat0, bus :1.1) sshd
    // (uid 0" wrote a second uid, pid or bus into the source. Neither can now: the program keeps
    // [A-Za-z0-9._+-@/] only, and a seat that is not a logind seat name is left out.
    void chosenNamesCannotImitateTheVouchedSource() {
        auto g = freshVault();
        QVERIFY(g);
        auto a = admin(*g);
        QVERIFY(a);
        CallerOrigin forged = origin(1001, "x (uid 0, pid 1", 4242);
        forged.seat = QStringLiteral("seat0, bus :1.1) sshd (uid 0");
        {
            OriginScope scope(forged);
            QCOMPARE(g->login().fullLogin(kAlice, pw("not alice's password"), QStringLiteral("cli")).code(),
                     Errc::AuthenticationFailed);
        }
        forged.program = QStringLiteral("gnome-shell");
        forged.seat = QStringLiteral("seat0");
        QCOMPARE(forged.describe(), QStringLiteral("gnome-shell (uid 1001, pid 4242, pts/7, seat0, bus :1.4242)"));
        auto failed = events(*g, *a, QStringLiteral("login.failed"));
        QVERIFY(!failed.isEmpty());
        QCOMPARE(failed.first().origin, QStringLiteral("x??uid?0??pid?1 (uid 1001, pid 4242, pts/7, bus :1.4242)"));
        // One uid, one pid, one bus name: the vouched ones.
        QCOMPARE(failed.first().origin.count(QStringLiteral("uid ")), 1);
        QCOMPARE(failed.first().origin.count(QStringLiteral("pid ")), 1);
        QCOMPARE(failed.first().origin.count(QStringLiteral("bus ")), 1);
    }

    // ATK-02: the record tells the stage (identification vs verification) and the source apart;
    // the person signing in gets the same error for both (RL-04).
    void stagesAndSourceInTheRecord() {
        auto g = freshVault();
        QVERIFY(g);
        auto a = admin(*g);
        QVERIFY(a);
        {
            OriginScope scope(origin(1001, "gatehousectl", 4242));
            auto unknown =
                g->login().fullLogin(QStringLiteral("mallory"), pw("whatever it is 123"), QStringLiteral("cli"));
            auto invalid =
                g->login().fullLogin(QStringLiteral("no/such name"), pw("whatever it is 123"), QStringLiteral("cli"));
            auto wrong = g->login().fullLogin(kAlice, pw("not alice's password"), QStringLiteral("cli"));
            QCOMPARE(unknown.code(), Errc::AuthenticationFailed);
            QCOMPARE(invalid.code(), Errc::AuthenticationFailed);
            QCOMPARE(wrong.code(), Errc::AuthenticationFailed);
            QCOMPARE(describe(unknown.error()), describe(wrong.error()));
            QCOMPARE(unknown.error().detail, wrong.error().detail);
        }
        auto failed = events(*g, *a, QStringLiteral("login.failed"));
        QCOMPARE(failed.size(), 3);
        // newest first
        QVERIFY2(failed[0].detail.startsWith(QStringLiteral("verification: wrong password")),
                 qPrintable(failed[0].detail));
        QVERIFY2(failed[1].detail.startsWith(QStringLiteral("identification: not a valid name")),
                 qPrintable(failed[1].detail));
        QVERIFY2(failed[2].detail.startsWith(QStringLiteral("identification: no such account")),
                 qPrintable(failed[2].detail));
        // The source as the bus vouched for it is its own field, not part of the detail (AUD-04).
        for (const AuditEvent& e : failed) {
            QCOMPARE(e.origin, QStringLiteral("gatehousectl (uid 1001, pid 4242, pts/7, bus :1.4242)"));
            QVERIFY2(!e.detail.contains(QStringLiteral("from")), qPrintable(e.detail));
        }
        // An in-process caller names its client.
        (void)g->login().fullLogin(QStringLiteral("mallory"), pw("whatever it is 123"), QStringLiteral("kiosk"));
        failed = events(*g, *a, QStringLiteral("login.failed"));
        QVERIFY2(failed[0].detail.contains(QStringLiteral("source: client kiosk")), qPrintable(failed[0].detail));
        QVERIFY(failed[0].origin.isEmpty()); // nothing vouched for it
        // The diagnosis explains the stage.
        const Diagnosis unknownDx = diagnose(failed[1 + 2]);
        QVERIFY2(unknownDx.explanation.contains(QStringLiteral("identification")), qPrintable(unknownDx.explanation));
        const Diagnosis wrongDx = diagnose(failed[1]);
        QVERIFY2(wrongDx.explanation.contains(QStringLiteral("verification")), qPrintable(wrongDx.explanation));
    }

    // The Done-when test, first half (ATK-01): 30 distinct names × 1 password each from one source,
    // two of them right, trip the detector: the event with counts and sources, L2 health, notices
    // for every administrator, the two accounts flagged (and told), sign-ins slowed for everyone
    // and most for the attacking source; when it subsides, the end is recorded.
    void credentialStuffingTripsTheDetector() {
        auto g = freshVault();
        QVERIFY(g);
        auto a = admin(*g);
        QVERIFY(a);
        // Two accounts whose (temporary) passwords are on the attacker's list.
        std::map<QString, QString> leaked;
        for (const QString& name : {QStringLiteral("bob"), QStringLiteral("carol")}) {
            auto temp = g->accounts().addUser(*a, name, QString());
            QVERIFY(temp);
            leaked[name] = QString::fromUtf8(temp->chars(), static_cast<qsizetype>(temp->size()));
        }
        QStringList list;
        for (int i = 0; i < 30; ++i)
            list << QStringLiteral("user%1").arg(i);
        list[14] = QStringLiteral("bob");
        list[24] = QStringLiteral("carol");
        list[5] = kAlice; // a real account, wrong password

        int paced = 0;
        qint64 lastWait = 0;
        {
            OriginScope scope(origin(6666, "stuffer", 777));
            for (const QString& name : list) {
                const SecureBuffer password =
                    leaked.count(name) ? pw(leaked[name]) : pw(QStringLiteral("leaked-%1-Summer2026!").arg(name));
                for (;;) {
                    auto r = g->login().fullLogin(name, password, QStringLiteral("cli"));
                    if (!r && r.code() == Errc::Throttled) { // paced: wait what we are told, then retry
                        QVERIFY(r.error().retryAfterSeconds > 0);
                        lastWait = r.error().retryAfterSeconds;
                        ++paced;
                        m_clock.advance(r.error().retryAfterSeconds);
                        continue;
                    }
                    if (leaked.count(name))
                        QVERIFY2(r.ok(), qPrintable(describe(r.error())));
                    else
                        QCOMPARE(r.code(), Errc::AuthenticationFailed);
                    break;
                }
                m_clock.advance(1);
            }
        }
        QVERIFY2(paced > 0, "the attacking source was never slowed down");
        QVERIFY2(lastWait >= 30, qPrintable(QStringLiteral("offender's delay only %1 s").arg(lastWait)));

        auto s = adminAgain(*g);
        QVERIFY2(s, qPrintable(s ? QString() : describe(s.error())));
        // The detection event: counts and sources.
        const auto trip = events(*g, *s, QStringLiteral("attack.credential_stuffing"));
        QCOMPARE(trip.size(), 1);
        QCOMPARE(trip[0].layer, Layer::Verification);
        QVERIFY2(trip[0].detail.contains(QStringLiteral("stuffer (uid 6666)")), qPrintable(trip[0].detail));
        QVERIFY2(trip[0].detail.contains(QStringLiteral("10 names")), qPrintable(trip[0].detail));
        // The two accounts whose passwords proved right during it.
        const auto flagged = events(*g, *s, QStringLiteral("attack.signed_in_during"));
        QStringList flaggedNames;
        for (const AuditEvent& e : flagged)
            flaggedNames << e.subject;
        flaggedNames.sort();
        QCOMPARE(flaggedNames, (QStringList{QStringLiteral("bob"), QStringLiteral("carol")}));
        // L2 health.
        auto h = g->status().layerHealth();
        QVERIFY(h);
        QVERIFY(h->attackInProgress);
        QVERIFY(anyNote(*h, Layer::Verification, QStringLiteral("Credential stuffing in progress")));
        QVERIFY(anyNote(*h, Layer::Verification, QStringLiteral("bob, carol")));
        // Every placeholder filled, the sources counted in words ("from 1 source;").
        for (const HealthNote& n : h->notes)
            QVERIFY2(!n.text.contains(QRegularExpression(QStringLiteral("%\\d"))), qPrintable(n.text));
        QVERIFY(anyNote(*h, Layer::Verification, QStringLiteral("names from 1 source; password sign-ins")));
        // Every administrator is told, with the list of flagged accounts.
        auto notices = g->accounts().notices(*s);
        QVERIFY(notices);
        QVERIFY(anyNotice(*notices, QStringLiteral("Credential stuffing in progress")));
        QVERIFY(anyNotice(*notices, QStringLiteral("bob signed in with a right password")));
        QVERIFY(anyNotice(*notices, QStringLiteral("carol signed in with a right password")));
        // The flagged accounts are told at their next sign-in to change the password.
        {
            auto bob =
                g->login().fullLogin(QStringLiteral("bob"), pw(leaked[QStringLiteral("bob")]), QStringLiteral("t"));
            if (!bob && bob.code() == Errc::Throttled) {
                m_clock.advance(bob.error().retryAfterSeconds);
                bob =
                    g->login().fullLogin(QStringLiteral("bob"), pw(leaked[QStringLiteral("bob")]), QStringLiteral("t"));
            }
            QVERIFY(bob);
            auto open = g->accounts().notices(*bob);
            QVERIFY(open);
            QVERIFY(anyNotice(*open, QStringLiteral("change it now")));
        }
        // Slowed down: another source waits the global delay; the attacker much longer.
        {
            OriginScope other(origin(1000, "gatehouse", 900));
            auto first =
                g->login().fullLogin(QStringLiteral("user-x"), pw("x wrong password x"), QStringLiteral("gui"));
            QCOMPARE(first.code(), Errc::AuthenticationFailed);
            auto second =
                g->login().fullLogin(QStringLiteral("user-y"), pw("y wrong password y"), QStringLiteral("gui"));
            QCOMPARE(second.code(), Errc::Throttled);
            QVERIFY(second.error().retryAfterSeconds > 0);
            QVERIFY2(second.error().retryAfterSeconds < lastWait,
                     qPrintable(QStringLiteral("%1 vs %2").arg(second.error().retryAfterSeconds).arg(lastWait)));
        }
        // The diagnosis tells it apart from brute force.
        const Diagnosis dx = diagnose(trip[0]);
        QCOMPARE(dx.layer, Layer::Verification);
        QVERIFY2(dx.title.contains(QStringLiteral("Credential stuffing")), qPrintable(dx.title));
        QVERIFY2(dx.explanation.contains(QStringLiteral("many accounts")), qPrintable(dx.explanation));

        // It subsides: a quiet window later the end is recorded.
        m_clock.advance(11 * 60);
        h = g->status().layerHealth();
        QVERIFY(h);
        QVERIFY(!h->attackInProgress);
        auto s2 = adminAgain(*g);
        QVERIFY(s2);
        const auto ended = events(*g, *s2, QStringLiteral("attack.credential_stuffing_ended"));
        QCOMPARE(ended.size(), 1);
        QVERIFY2(ended[0].detail.contains(QStringLiteral("bob, carol")), qPrintable(ended[0].detail));
        // No more pacing.
        OriginScope scope(origin(6666, "stuffer", 778));
        QCOMPARE(g->login().fullLogin(QStringLiteral("user-z"), pw("zz wrong password"), QStringLiteral("cli")).code(),
                 Errc::AuthenticationFailed);
        QCOMPARE(g->login().fullLogin(QStringLiteral("user-w"), pw("ww wrong password"), QStringLiteral("cli")).code(),
                 Errc::AuthenticationFailed);
    }

    // The Done-when test, second half: 30 wrong passwords against one account throttle that account
    // only (RL-01) and never trip the detector; the records and diagnoses say brute force.
    void bruteForceThrottlesOneAccountOnly() {
        auto g = freshVault();
        QVERIFY(g);
        auto a = admin(*g);
        QVERIFY(a);
        auto temp = g->accounts().addUser(*a, QStringLiteral("bob"), QString());
        QVERIFY(temp);
        int verified = 0, refused = 0;
        {
            OriginScope scope(origin(6666, "guesser", 55));
            for (int i = 0; i < 30; ++i) {
                auto r =
                    g->login().fullLogin(kAlice, pw(QStringLiteral("guess number %1").arg(i)), QStringLiteral("cli"));
                if (r.code() == Errc::Throttled) {
                    ++refused;
                    m_clock.advance(r.error().retryAfterSeconds);
                    r = g->login().fullLogin(kAlice, pw(QStringLiteral("guess number %1").arg(i)),
                                             QStringLiteral("cli"));
                }
                QCOMPARE(r.code(), Errc::AuthenticationFailed);
                ++verified;
            }
        }
        QCOMPARE(verified, 30);
        QVERIFY(refused > 0);
        // alice is throttled now; bob (another account) signs in at once, not paced.
        auto again = g->login().fullLogin(kAlice, pw(kAlicePassword), QStringLiteral("t"));
        QCOMPARE(again.code(), Errc::Throttled);
        QVERIFY(g->login().fullLogin(QStringLiteral("bob"), *temp, QStringLiteral("t")));
        auto h = g->status().layerHealth();
        QVERIFY(h);
        QVERIFY(!h->attackInProgress);
        QCOMPARE(h->throttledAccounts, 1);
        QVERIFY(anyNote(*h, Layer::Verification, QStringLiteral("Throttled now")));
        QVERIFY(anyNote(*h, Layer::Verification, QStringLiteral("alice (")));
        // Wait out the delay; read the record.
        m_clock.advance(throttle::kMaxDelaySecs);
        auto s = adminAgain(*g);
        QVERIFY2(s, qPrintable(s ? QString() : describe(s.error())));
        QCOMPARE(events(*g, *s, QStringLiteral("attack.credential_stuffing")).size(), 0);
        const auto throttled = events(*g, *s, QStringLiteral("login.throttled"));
        QVERIFY(!throttled.isEmpty());
        const Diagnosis dx = diagnose(throttled.first());
        QVERIFY2(dx.explanation.contains(QStringLiteral("one account")), qPrintable(dx.explanation));
    }

    // The detector alone: thresholds, the window, the end with hysteresis, the delays.
    void detectorWindowAndDelays() {
        StuffingDetector d;
        StuffingPolicy p;
        p.names = 5;
        p.windowSecs = 60;
        p.baseDelaySecs = 2;
        p.maxDelaySecs = 64;
        d.setPolicy(p);
        // Failures spread wider than the window never trip it.
        for (int i = 0; i < 20; ++i)
            QCOMPARE(d.failure(QStringLiteral("n%1").arg(i), true, QStringLiteral("s"), i * 20000),
                     StuffingDetector::Change::None);
        QVERIFY(!d.active());
        // Five names within the window do.
        qint64 t = 1000000;
        for (int i = 0; i < 4; ++i)
            QCOMPARE(d.failure(QStringLiteral("m%1").arg(i), true, QStringLiteral("s"), t + i),
                     StuffingDetector::Change::None);
        QCOMPARE(d.failure(QStringLiteral("m4"), false, QStringLiteral("s"), t + 4), StuffingDetector::Change::Started);
        QCOMPARE(d.snapshot().distinctNames, 5);
        QCOMPARE(d.snapshot().unknownNames, 4);
        // The offending source waits longer than anyone else.
        QVERIFY(d.delaySecs(QStringLiteral("s")) > d.delaySecs(QStringLiteral("other")));
        QCOMPARE(d.delaySecs(QStringLiteral("other")), qint64(2));
        QCOMPARE(d.delaySecs(QStringLiteral("s")), qint64(64));
        QVERIFY(d.waitSecs(QStringLiteral("s"), t + 5) > 0);
        QCOMPARE(d.waitSecs(QStringLiteral("other"), t + 5), qint64(0));
        // Right passwords during it are flagged.
        QVERIFY(d.success(QStringLiteral("bob"), QStringLiteral("s"), t + 10));
        // Still going while the attacker trickles on; over once it has been quiet a whole window.
        QCOMPARE(d.poll(t + 50000), StuffingDetector::Change::None);
        QVERIFY(d.active());
        QCOMPARE(d.poll(t + 61000), StuffingDetector::Change::Ended);
        QCOMPARE(d.lastAttack().signedIn, QStringList{QStringLiteral("bob")});
        QVERIFY(!d.success(QStringLiteral("carol"), QStringLiteral("s"), t + 62000));
        QCOMPARE(d.delaySecs(QStringLiteral("s")), qint64(0));
    }
    // ---- item 7: diagnoses and health that are right (one test per diagnosis) ----

    // A step-up request is not an invalid session.
    void stepUpIsNotAnInvalidSession() {
        auto g = freshVault();
        QVERIFY(g);
        auto a = admin(*g);
        QVERIFY(a);
        m_clock.advance(Gatehouse::kStepUpWindowSecs + 1);
        auto r = g->accounts().addUser(*a, QStringLiteral("dave"), QString());
        QCOMPARE(r.code(), Errc::StepUpRequired);
        auto s = adminAgain(*g);
        QVERIFY(s);
        const AuditEvent e = newest(*g, *s, QStringLiteral("session.step_up_required"));
        QVERIFY(e.id > 0);
        for (const Diagnosis& d : {diagnose(e), diagnose(r.error())}) {
            QCOMPARE(d.layer, Layer::Session);
            QVERIFY2(d.title.contains(QStringLiteral("step-up")), qPrintable(d.title));
            QVERIFY2(!d.title.contains(QStringLiteral("not valid")), qPrintable(d.title));
            QVERIFY2(d.explanation.contains(QStringLiteral("is valid")), qPrintable(d.explanation));
        }
    }

    // A deliberate revocation is an action, not "L3 session management failed".
    void revocationIsAnAction() {
        auto g = freshVault();
        QVERIFY(g);
        auto a = admin(*g);
        QVERIFY(a);
        auto bob = member(*g, *a, QStringLiteral("bob"), QString());
        QVERIFY(bob);
        auto s = adminAgain(*g);
        QVERIFY(s);
        QVERIFY(g->sessions().revokeSession(*s, bob->info.id));
        const AuditEvent e = newest(*g, *s, QStringLiteral("session.revoked"));
        QVERIFY(e.id > 0);
        const Diagnosis d = diagnose(e);
        QCOMPARE(d.layer, Layer::Session);
        QVERIFY(!d.problem);
        QVERIFY2(d.title.contains(QStringLiteral("on purpose")), qPrintable(d.title));
        // bob's next call: his session was ended, which is no failure either.
        auto v = g->login().validate(*bob);
        QCOMPARE(v.code(), Errc::SessionInvalid);
        QVERIFY2(!diagnose(v.error()).problem, qPrintable(v.error().detail));
    }

    // A right password followed by repeated wrong codes: the password may be known to someone else.
    void repeatedWrongCodesAfterTheRightPassword() {
        auto g = freshVault();
        QVERIFY(g);
        auto a = admin(*g);
        QVERIFY(a);
        const SecureBuffer wrong = pw("000000");
        for (int i = 0; i < 3; ++i) {
            m_clock.advance(31);
            auto r = g->login().fullLogin(kAlice, pw(kAlicePassword), QStringLiteral("t"), FactorKind::Totp, &wrong);
            if (r.code() == Errc::CodeWrong || r.code() == Errc::CodeExpired)
                continue;
            QCOMPARE(r.code(), Errc::Throttled);
        }
        m_clock.advance(throttle::kMaxDelaySecs);
        auto s = adminAgain(*g);
        QVERIFY(s);
        AuditQuery q;
        q.action = QStringLiteral("login.failed");
        q.limit = 10;
        auto page = g->audit().queryAudit(*s, q);
        QVERIFY(page && !page->events.isEmpty());
        const AuditEvent& e = page->events.first();
        QVERIFY2(e.detail.contains(QStringLiteral("after the right password")), qPrintable(e.detail));
        const Diagnosis d = diagnose(e);
        QCOMPARE(d.layer, Layer::Verification);
        QVERIFY2(d.fix.contains(QStringLiteral("the password may be known to someone else; change it")),
                 qPrintable(d.fix));
        // A single wrong code still reads as a clock or typing problem.
        AuditEvent once = e;
        once.detail = QStringLiteral("wrong code");
        QVERIFY(diagnose(once).fix.contains(QStringLiteral("clock")));
        // And alice was told.
        QVERIFY(anyNotice(s->info.notices, QStringLiteral("may be known to someone else")));
    }

    // Health shows a broken audit chain under L1.
    void healthShowsABrokenChain() {
        auto g = freshVault();
        QVERIFY(g);
        auto h = g->status().layerHealth();
        QVERIFY(h);
        QVERIFY(h->auditChainIntact);
        {
            auto key = m_keys.read(Vault::keychainEntry(Vault::canonicalPath(m_path)));
            QVERIFY(key);
            auto v = Vault::openWithKey(m_path, *key);
            QVERIFY(v);
            QVERIFY(v.value()->db().exec("DROP TRIGGER audit_no_update"));
            QVERIFY(v.value()->db().exec("UPDATE audit SET detail = 'nothing to see' WHERE id = 2"));
        }
        h = g->status().layerHealth();
        QVERIFY(h);
        QVERIFY(!h->auditChainIntact);
        QVERIFY(anyNote(*h, Layer::Storage, QStringLiteral("chain is broken")));
    }

    // Health shows a locked account under L2, by name.
    void healthShowsALockedAccount() {
        auto g = freshVault();
        QVERIFY(g);
        for (int i = 0; i < 3 * throttle::kLockAt; ++i) {
            auto r = g->login().fullLogin(kAlice, pw("not the password at all"), QStringLiteral("t"));
            if (r.code() == Errc::LockedOut)
                break;
            if (r.code() == Errc::Throttled)
                m_clock.advance(r.error().retryAfterSeconds);
        }
        auto h = g->status().layerHealth();
        QVERIFY(h);
        QCOMPARE(h->lockedAccounts, 1);
        QVERIFY(anyNote(*h, Layer::Verification, QStringLiteral("locked after repeated failures: alice")));
    }

    // Repeated unauthenticated events are folded: a flood of throttled attempts (and of a dead
    // session's use) leaves a few rows, not one per attempt.
    void repeatedEventsAreAggregated() {
        auto g = freshVault();
        QVERIFY(g);
        auto a = admin(*g);
        QVERIFY(a);
        auto bob = member(*g, *a, QStringLiteral("bob"), QString());
        QVERIFY(bob);
        int throttledAttempts = 0;
        const auto attempt = [&] {
            const Errc c =
                g->login().fullLogin(QStringLiteral("bob"), pw("wrong wrong wrong"), QStringLiteral("t")).code();
            throttledAttempts += c == Errc::Throttled ? 1 : 0;
            return c == Errc::Throttled || c == Errc::AuthenticationFailed;
        };
        for (int i = 0; i < 6; ++i)
            QVERIFY(attempt());
        {
            auto s0 = adminAgain(*g);
            QVERIFY(s0);
            QVERIFY(g->sessions().revokeSession(*s0, bob->info.id));
        }
        // ~15 attempts a second for a minute and a half.
        for (int i = 0; i < 90 * 15; ++i) {
            if (i % 15 == 0)
                m_clock.advance(1);
            QVERIFY(attempt());
            (void)g->login().validate(*bob);
        }
        m_clock.advance(61); // every window has ended: every count is written
        auto s = adminAgain(*g);
        QVERIFY(s);
        // A few rows, and together they account for every throttled attempt: each recorded one is
        // one, each "N more like it" is N.
        const auto throttled = events(*g, *s, QStringLiteral("login.throttled"));
        int recorded = 0, accounted = 0;
        for (const AuditEvent& e : throttled) {
            const bool folded = e.detail.contains(QStringLiteral("more like it"));
            recorded += folded ? 0 : 1;
            accounted += folded ? e.detail.section(QLatin1Char(' '), 0, 0).toInt() : 1;
        }
        QVERIFY2(recorded <= 3 && throttled.size() <= 2 * recorded, qPrintable(QString::number(throttled.size())));
        QVERIFY(throttledAttempts > 1000);
        QCOMPARE(accounted, throttledAttempts);
        AuditQuery q;
        q.layer = Layer::Session;
        q.user = QStringLiteral("bob");
        q.limit = 1000;
        auto bobs = g->audit().queryAudit(*s, q);
        QVERIFY(bobs);
        QVERIFY2(bobs->events.size() <= 8, qPrintable(QString::number(bobs->events.size())));
    }

    // A count row keeps the start of a long last detail, which says what happened, and marks the
    // cut with "…"; it never cuts between the halves of a surrogate pair. (Before the source had a
    // field of its own, schema 11, the row kept the end, where the source was written.)
    void foldedCountKeepsTheStartOfALongDetail() {
        Core::Repeat r;
        r.windowSecs = 60;
        r.folded = 3;
        r.last.detail = QStringLiteral("passwordless: the key said ") + QString(600, u'x') + QStringLiteral(" END");
        const QString head = QStringLiteral("3 more like it in the 60 s after the one recorded were not recorded one "
                                            "by one; the last: ");
        QString row = Core::foldedCountRow(r).detail;
        QVERIFY2(row.startsWith(head + QStringLiteral("passwordless: the key said xxx")), qPrintable(row));
        QVERIFY(row.endsWith(u'…'));
        QVERIFY(!row.contains(QStringLiteral("END")));
        QCOMPARE(row.size(), AuditLog::kMaxFieldUnits);

        const QString emoji = QString::fromUcs4(U"\U0001F511");
        for (const QString& lead : {QString(), QStringLiteral("a")}) { // both parities of the cut
            r.last.detail = lead + emoji.repeated(400);
            row = Core::foldedCountRow(r).detail;
            QVERIFY(row.endsWith(u'…'));
            QVERIFY(row.size() <= AuditLog::kMaxFieldUnits);
            for (qsizetype i = 0; i < row.size(); ++i)
                QVERIFY2(!row.at(i).isHighSurrogate() || (i + 1 < row.size() && row.at(i + 1).isLowSurrogate()),
                         "a lone surrogate");
        }

        r.last.detail = QStringLiteral("a short one");
        QCOMPARE(Core::foldedCountRow(r).detail, head + QStringLiteral("a short one"));
    }

    // AUD-01 (red team t26): the count of folded repeats is written once their window ends, with
    // the last one's source, whether or not the same kind comes again: before the next audit event
    // of any kind, and when the facade closes (gatehoused stops). It was written only by a later
    // repeat, so a flood that stopped left one row.
    void foldedCountIsWrittenWhenTheFloodStops() {
        auto g = freshVault();
        QVERIFY(g);
        auto a = admin(*g);
        QVERIFY(a);
        auto bob = member(*g, *a, QStringLiteral("bob"), QString());
        QVERIFY(bob);
        QVERIFY(g->sessions().revokeSession(*a, bob->info.id));
        const auto flood = [&](Gatehouse& on, int times) {
            for (int i = 0; i < times; ++i) {
                OriginScope scope(origin(2000 + i, "replayer", 5000 + i));
                QCOMPARE(on.login().touch(*bob).code(), Errc::SessionInvalid);
            }
        };
        flood(*g, 25);
        m_clock.advance(61); // the flood stopped; one other event follows
        auto signedIn = adminAgain(*g);
        QVERIFY(signedIn);
        auto seen = events(*g, *signedIn, QStringLiteral("session.rejected"));
        QCOMPARE(seen.size(), 2);
        QVERIFY2(seen.first().detail.startsWith(QStringLiteral("24 more like it in the 60 s after the one recorded")),
                 qPrintable(seen.first().detail));
        QVERIFY2(seen.first().origin.contains(QStringLiteral("pid 5024")), qPrintable(seen.first().origin)); // the last
        QCOMPARE(seen.first().actor, QStringLiteral("bob"));
        QCOMPARE(seen.first().layer, Layer::Session);
        QVERIFY(!seen.last().detail.contains(QStringLiteral("more like it")));

        flood(*g, 10); // a second flood, and gatehoused stops within its window
        g.reset();
        Gatehouse reopened(services());
        QVERIFY(reopened.openVault(m_path));
        auto s = adminAgain(reopened);
        QVERIFY(s);
        seen = events(reopened, *s, QStringLiteral("session.rejected"));
        QCOMPARE(seen.size(), 4);
        QVERIFY2(seen.first().detail.startsWith(QStringLiteral("9 more like it")), qPrintable(seen.first().detail));

        // A count due while a caller's transaction rolls back (a sign-in refused by the session
        // limit after its success was recorded) is not lost with it: it waits for a write of its own.
        auto carol = member(reopened, *s, QStringLiteral("carol"), QString());
        QVERIFY(carol);
        QVERIFY(reopened.sessions().setSessionLimit(*s, SessionLimit{1, SessionLimitMode::Refuse}));
        flood(reopened, 8);
        m_clock.advance(61);
        QCOMPARE(reopened.login().fullLogin(QStringLiteral("carol"), pw(kMemberPassword), QStringLiteral("t")).code(),
                 Errc::SessionLimitReached);
        flood(reopened, 1);
        seen = events(reopened, *s, QStringLiteral("session.rejected"));
        QCOMPARE(seen.size(), 7);
        QVERIFY2(seen.at(1).detail.startsWith(QStringLiteral("7 more like it")), qPrintable(seen.at(1).detail));
        auto chain = reopened.audit().verifyAudit(*s);
        QVERIFY(chain);
        QVERIFY(chain->intact);
    }

    // ---- item 5: MFA by privilege ----

    // The operator role (reads every account's audit history and sessions) without a second factor
    // is restricted, and L2 health warns for that account; with one it is not.
    void operatorWithoutSecondFactorIsRestricted() {
        auto g = freshVault();
        QVERIFY(g);
        auto a = admin(*g);
        QVERIFY(a);
        auto op = member(*g, *a, QStringLiteral("olga"), roles::kOperator);
        QVERIFY2(op, qPrintable(op ? QString() : describe(op.error())));
        QCOMPARE(op->info.restriction, Restriction::EnrollSecondFactor);
        auto read = g->audit().recentAudit(*op, 10);
        QCOMPARE(read.code(), Errc::NotPermitted);
        QVERIFY2(read.error().detail.contains(QStringLiteral("second factor")), qPrintable(read.error().detail));
        QCOMPARE(g->sessions().listSessions(*op, true).code(), Errc::NotPermitted);
        auto h = g->status().layerHealth();
        QVERIFY(h);
        QCOMPARE(h->privilegedWithoutMfa, QStringList{QStringLiteral("olga")});
        QVERIFY(anyNote(*h, Layer::Verification, QStringLiteral("olga holds permissions")));
        // A custom role is judged by what it can do, not by its name.
        auto s = adminAgain(*g);
        QVERIFY(s);
        QVERIFY(g->roles().createRole(*s, QStringLiteral("helpdesk"), {QStringLiteral("factors.manage_any")},
                                      QStringLiteral("resets people's factors")));
        QVERIFY(g->roles().createRole(*s, QStringLiteral("kiosk"), {QStringLiteral("status.read")},
                                      QStringLiteral("reads health")));
        auto help = member(*g, *s, QStringLiteral("hank"), QStringLiteral("helpdesk"));
        QVERIFY(help);
        QCOMPARE(help->info.restriction, Restriction::EnrollSecondFactor);
        auto kiosk = member(*g, *s, QStringLiteral("kim"), QStringLiteral("kiosk"));
        QVERIFY(kiosk);
        QCOMPARE(kiosk->info.restriction, Restriction::None);
        // Enrolling a second factor lifts it.
        QVERIFY(enrollTotp(*g, *op, kMemberPassword));
        QCOMPARE(op->info.restriction, Restriction::None);
        QVERIFY(g->audit().recentAudit(*op, 10));
        h = g->status().layerHealth();
        QVERIFY(h);
        QVERIFY(!h->privilegedWithoutMfa.contains(QStringLiteral("olga")));
    }
    // ---- item 6: data-access audit ----

    // A read of another account's data through an over-broad custom role is in the log (L4,
    // allowed, with the object and the role), repeats fold, and the diagnosis names it.
    void crossAccountReadIsAudited() {
        auto g = freshVault();
        QVERIFY(g);
        auto a = admin(*g);
        QVERIFY(a);
        QVERIFY(g->roles().createRole(*a, QStringLiteral("helpdesk"), {QStringLiteral("factors.manage_any")},
                                      QStringLiteral("helps people with their factors")));
        auto carol = member(*g, *a, QStringLiteral("carol"), QString());
        QVERIFY(carol);
        auto bob = member(*g, *a, QStringLiteral("bob"), QStringLiteral("helpdesk"), true);
        QVERIFY2(bob, qPrintable(bob ? QString() : describe(bob.error())));
        QVERIFY(g->factors().listFactors(*bob)); // his own: no news
        for (int i = 0; i < 5; ++i)
            QVERIFY(g->factors().listFactors(*bob, QStringLiteral("carol")));
        auto s = adminAgain(*g);
        QVERIFY(s);
        AuditQuery q;
        q.user = QStringLiteral("carol");
        q.layer = Layer::Access;
        q.limit = 100;
        auto page = g->audit().queryAudit(*s, q);
        QVERIFY(page);
        QList<AuditEvent> reads;
        for (const AuditEvent& e : page->events)
            if (e.action == QLatin1String("access.read_other"))
                reads << e;
        QCOMPARE(reads.size(), 1); // five reads, one row
        const AuditEvent& e = reads.first();
        QCOMPARE(e.outcome, Outcome::Allowed);
        QCOMPARE(e.actor, QStringLiteral("bob"));
        QCOMPARE(e.subject, QStringLiteral("carol"));
        QVERIFY2(e.detail.contains(QStringLiteral("through role helpdesk (factors.manage_any)")), qPrintable(e.detail));
        const Diagnosis d = diagnose(e);
        QCOMPARE(d.layer, Layer::Access);
        QVERIFY2(d.explanation.contains(QStringLiteral("bob read carol's factors through role helpdesk")),
                 qPrintable(d.explanation));
        // Every kind of other people's data: the account list, every account's sessions, others' history.
        QVERIFY(g->accounts().listUsers(*s));
        QVERIFY(g->sessions().listSessions(*s, true));
        AuditQuery hers;
        hers.user = QStringLiteral("carol");
        QVERIFY(g->audit().queryAudit(*s, hers));
        AuditQuery all;
        all.limit = 200;
        auto again = g->audit().queryAudit(*s, all);
        QVERIFY(again);
        QStringList objects;
        for (const AuditEvent& ev : again->events)
            if (ev.action == QLatin1String("access.read_other") && ev.actor == kAlice)
                objects << ev.detail.section(QStringLiteral(" through"), 0, 0);
        QVERIFY2(objects.contains(QStringLiteral("read the account list")), qPrintable(objects.join(u'|')));
        QVERIFY2(objects.contains(QStringLiteral("read every account's sessions")), qPrintable(objects.join(u'|')));
        QVERIFY2(objects.contains(QStringLiteral("read carol's audit history")), qPrintable(objects.join(u'|')));
    }
    // ---- item 4: trust bootstrap (ATK-03) ----

    // A leaked password of a privileged account that never enrolled a second factor is no
    // takeover: without an enrollment grant the password alone cannot bind one (NotPermitted,
    // audited); an administrator's single-use grant lets the owner bind it; every added or removed
    // factor is announced to the owner and every administrator.
    void passwordAloneCannotBindAFirstFactorToAPrivilegedAccount() {
        auto g = freshVault();
        QVERIFY(g);
        auto a = admin(*g); // set-up's grant binds alice's first factor
        QVERIFY(a);
        auto dan = member(*g, *a, QStringLiteral("dan"), roles::kAdmin); // never enrolls
        QVERIFY(dan);
        auto vic = member(*g, *a, QStringLiteral("vic"), QString());
        QVERIFY(vic);
        m_clock.advance(Gatehouse::kTempPasswordLifetimeSecs + 60); // the temporary password's grant is gone
        // The attacker holds dan's password.
        auto stolen = g->login().fullLogin(QStringLiteral("dan"), pw(kMemberPassword), QStringLiteral("attacker"));
        QVERIFY(stolen);
        QCOMPARE(stolen->info.restriction, Restriction::EnrollSecondFactor);
        auto e = g->factors().beginTotpEnrollment(*stolen, QStringLiteral("attacker's phone"));
        QCOMPARE(e.code(), Errc::NotPermitted);
        QVERIFY2(e.error().detail.contains(QStringLiteral("allow-enrollment")), qPrintable(e.error().detail));
        QCOMPARE(g->factors().beginSecurityKeyEnrollment(*stolen, QStringLiteral("attacker's key")).code(),
                 Errc::NotPermitted);
        // Nor can that session create an administrator.
        QCOMPARE(g->accounts().addUser(*stolen, QStringLiteral("mallory"), roles::kAdmin).code(), Errc::NotPermitted);
        // A viewer (nothing over other people's data) enrolls with a password as before.
        auto v2 = g->login().fullLogin(QStringLiteral("vic"), pw(kMemberPassword), QStringLiteral("t"));
        QVERIFY(v2);
        QVERIFY(g->factors().beginTotpEnrollment(*v2, QStringLiteral("vic's phone")));
        auto s = adminAgain(*g);
        QVERIFY(s);
        const AuditEvent refused = newest(*g, *s, QStringLiteral("factor.binding_refused"));
        QCOMPARE(refused.layer, Layer::Access);
        QCOMPARE(refused.outcome, Outcome::Denied);
        QCOMPARE(refused.actor, QStringLiteral("dan"));
        const Diagnosis d = diagnose(refused);
        QCOMPARE(d.layer, Layer::Access);
        QVERIFY2(d.fix.contains(QStringLiteral("allow-enrollment")), qPrintable(d.fix));
        // The administrator's grant: single use, the owner binds with it.
        QVERIFY(g->accounts().allowEnrollment(*s, QStringLiteral("dan")));
        auto owner = g->login().fullLogin(QStringLiteral("dan"), pw(kMemberPassword), QStringLiteral("t"));
        QVERIFY(owner);
        QVERIFY(enrollTotp(*g, *owner, kMemberPassword));
        QCOMPARE(owner->info.restriction, Restriction::None);
        // Announced to every administrator (and the owner).
        auto s2 = adminAgain(*g);
        QVERIFY(s2);
        auto notices = g->accounts().notices(*s2);
        QVERIFY(notices);
        QVERIFY(anyNotice(*notices, QStringLiteral("dan: an authenticator app was added")));
        auto own = g->accounts().notices(*owner);
        QVERIFY(own);
        QVERIFY(anyNotice(*own, QStringLiteral("An authenticator app was added")));
        auto factors = g->factors().listFactors(*owner);
        QVERIFY(factors);
        qint64 totpId = 0;
        for (const FactorInfo& f : *factors)
            if (f.kind == FactorKind::Totp)
                totpId = f.id;
        // The owner removing the last factor (fresh, with the password) may bind a new one: else an
        // only administrator could never again.
        QVERIFY(g->factors().removeFactor(*owner, totpId, pw(kMemberPassword)));
        notices = g->accounts().notices(*s2);
        QVERIFY(notices);
        QVERIFY(anyNotice(*notices, QStringLiteral("dan: a totp factor was removed")));
    }
};

QTEST_GUILESS_MAIN(TestAttacks)
#include "tst_attacks.moc"
