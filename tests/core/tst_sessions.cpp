// Session lifetimes, revocation, listing, step-up and the session limit through the facade, with
// an injected clock (both clocks, or only the wall clock, move) and randomness.
// Covers SES-01, SES-02, SES-03, SES-04, SES-05, SES-06, SES-07, AC-01, AUD-01.
#include "crypto/primitives.h"
#include "fakes.h"
#include "gatehouse.h"
#include "newcodes.h"
#include "sessions/flatkeymap.h"
#include "sessions/sessionstore.h"
#include "vault/database.h"
#include "verification/otpauth.h"

#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>

using namespace gh;

namespace {
SecureBuffer pw(const char* s) {
    return SecureBuffer(s, std::strlen(s));
}
const char* const kAlicePassword = "correct horse battery staple";
const char* const kBobPassword = "bob's own long passphrase here";
const QString kAlice = QStringLiteral("alice");
const QString kBob = QStringLiteral("bob");

QString errText(const Error& e) {
    return QStringLiteral("%1 \"%2\"").arg(int(e.code)).arg(describe(e));
}
} // namespace

#define CHECK_CODE(result, expected)                                                                                   \
    do {                                                                                                               \
        const auto& r_ = (result);                                                                                     \
        QVERIFY2(!r_.ok() && r_.code() == (expected),                                                                  \
                 qPrintable(QStringLiteral("got %1, expected %2")                                                      \
                                .arg(r_.ok() ? QStringLiteral("success") : errText(r_.error()),                        \
                                     errText(Error{expected, {}, 0}))));                                               \
    } while (0)
#define CHECK_OK(result)                                                                                               \
    do {                                                                                                               \
        const auto& r_ = (result);                                                                                     \
        QVERIFY2(r_.ok(),                                                                                              \
                 qPrintable(r_.ok() ? QString() : errText(r_.error()) + QLatin1Char(' ') + r_.error().detail));        \
    } while (0)

class TestSessions : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    test::MemoryKeyStore m_keys;
    test::SeededRandom m_random{55};
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
    std::unique_ptr<Gatehouse> freshVault() {
        m_path = m_dir.filePath(QStringLiteral("s%1.db").arg(++m_counter));
        auto g = std::make_unique<Gatehouse>(services());
        if (!g->createVault(m_path) || !g->accounts().createFirstAdmin(kAlice, pw(kAlicePassword)))
            return nullptr;
        return g;
    }
    // Another Gatehouse on the same vault file: its own SQLCipher connection, as another process has.
    std::unique_ptr<Gatehouse> second() {
        auto g = std::make_unique<Gatehouse>(services());
        if (!g->openVault(m_path))
            return nullptr;
        return g;
    }
    // A bare SQLCipher connection to the current vault file, for the SessionStore tests.
    std::unique_ptr<Vault> connection() {
        auto key = m_keys.read(Vault::keychainEntry(Vault::canonicalPath(m_path)));
        if (!key)
            return nullptr;
        auto v = Vault::openWithKey(m_path, *key);
        return v ? std::move(*v) : nullptr;
    }
    static SessionRecord userOneRecord() {
        SessionRecord r;
        r.userId = 1;
        r.client = QStringLiteral("t");
        return r;
    }
    SecureBuffer aliceCode() {
        m_clock.advance(30); // a new TOTP step: codes are accepted once
        return SecureBuffer::fromUtf8(totp::generate(m_aliceKey->secret, m_clock.nowSecs(), m_aliceKey->params));
    }
    // alice enrolls an authenticator app: an unrestricted AAL2 administrator session.
    Result<Session> enrolledAdmin(Gatehouse& g) {
        auto s = g.login().fullLogin(kAlice, pw(kAlicePassword), QStringLiteral("t"));
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
        return s;
    }
    Result<Session> adminLogin(Gatehouse& g, const QString& client = QStringLiteral("t")) {
        const SecureBuffer code = aliceCode();
        return g.login().fullLogin(kAlice, pw(kAlicePassword), client, FactorKind::Totp, &code);
    }
    // bob, an operator with his own password (AAL1, unrestricted).
    Status addBob(Gatehouse& g, const Session& admin) {
        auto temp = g.accounts().addUser(admin, kBob, QStringLiteral("operator"));
        if (!temp)
            return temp.error();
        auto s = g.login().fullLogin(kBob, *temp, QStringLiteral("t"));
        if (!s)
            return s.error();
        if (Status c = g.login().changePassword(*s, *temp, pw(kBobPassword)); !c)
            return c;
        return g.login().logout(*s);
    }
    Status addBob(Gatehouse& g) {
        auto admin = adminLogin(g);
        if (!admin)
            return admin.error();
        return addBob(g, *admin);
    }
    // bob's session enrolls an authenticator app and steps up with it: an operator reads other
    // people's data only from a two-factor session (issue 13 item 5).
    Status bobTwoFactor(Gatehouse& g, Session& s) {
        auto e = g.factors().beginTotpEnrollment(s, QStringLiteral("bob's phone"));
        if (!e)
            return e.error();
        OtpauthKey key;
        if (otpauth::parse(QString::fromLatin1(e->uri.chars(), static_cast<qsizetype>(e->uri.size())), &key) !=
            OtpauthError::None)
            return Errc::Internal;
        if (Status c =
                g.factors().confirmTotp(s, e->factorId, totp::generate(key.secret, m_clock.nowSecs(), key.params));
            !c)
            return c;
        m_clock.advance(30);
        const SecureBuffer code = SecureBuffer::fromUtf8(totp::generate(key.secret, m_clock.nowSecs(), key.params));
        return g.login().stepUp(s, pw(kBobPassword), FactorKind::Totp, &code);
    }
    Result<Session> bobLogin(Gatehouse& g, const QString& client = QStringLiteral("t")) {
        return g.login().fullLogin(kBob, pw(kBobPassword), client);
    }
    static std::optional<SessionInfo> byId(const QList<SessionInfo>& list, const QString& id) {
        for (const SessionInfo& s : list)
            if (s.id == id)
                return s;
        return std::nullopt;
    }
    std::unique_ptr<Vault> rawVault() {
        auto key = m_keys.read(Vault::keychainEntry(Vault::canonicalPath(m_path)));
        if (!key)
            return nullptr;
        auto v = Vault::openWithKey(m_path, *key);
        return v ? std::move(v.value()) : nullptr;
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(crypto::initialise()); }

    // DESIGN.md policy table → SessionStore::lifetimesFor (SES-03, SES-07).
    void lifetimesPerAal() {
        QCOMPARE(SessionStore::lifetimesFor(1).idleSecs, 30 * 60);
        QCOMPARE(SessionStore::lifetimesFor(2).idleSecs, 30 * 60);
        QCOMPARE(SessionStore::lifetimesFor(3).idleSecs, 15 * 60);
        for (int aal : {1, 2, 3})
            QCOMPARE(SessionStore::lifetimesFor(aal).absoluteSecs, 12 * 3600);
        QCOMPARE(SessionStore::kFreshSecs, 5 * 60);
    }

    // SES-03: idle timeout on the monotonic clock; a check (validate) is not activity; the expiry
    // ends the record in the vault with its reason, and is audited.
    void idleExpiry() {
        auto g = freshVault();
        QVERIFY(g);
        auto admin = enrolledAdmin(*g);
        CHECK_OK(admin);
        auto s = adminLogin(*g);
        CHECK_OK(s);
        QCOMPARE(s->info.idleTimeoutSecs, 30 * 60);
        QCOMPARE(s->info.idleLeftSecs, 30 * 60);
        m_clock.advance(30 * 60 - 1);
        auto still = g->login().validate(*s);
        CHECK_OK(still);
        QCOMPARE(still->idleLeftSecs, 1);
        m_clock.advance(1);
        auto gone = g->login().validate(*s);
        CHECK_CODE(gone, Errc::SessionInvalid);
        QCOMPARE(gone.error().detail, QStringLiteral("idle timeout"));
        QVERIFY(describe(gone.error()).contains(QStringLiteral("idle timeout")));
        // Later checks keep saying why (from the vault), and a new login works.
        QCOMPARE(g->login().validate(*s).error().detail, QStringLiteral("idle timeout"));
        auto fresh = adminLogin(*g);
        CHECK_OK(fresh);
        auto list = g->sessions().listSessions(*fresh, false, true);
        CHECK_OK(list);
        auto ended = byId(*list, s->info.id);
        QVERIFY(ended);
        QVERIFY(!ended->active);
        QCOMPARE(ended->endReason, QStringLiteral("idle timeout"));
        auto events = g->audit().recentAudit(*fresh, 100);
        CHECK_OK(events);
        bool audited = false;
        for (const AuditEvent& e : *events)
            audited |= e.action == QStringLiteral("session.ended") && e.subject == s->info.id &&
                       e.detail == QStringLiteral("idle timeout");
        QVERIFY(audited);
    }

    // SES-03: activity slides the idle deadline only; the absolute deadline never moves.
    void slidingIdleAndAbsolute() {
        auto g = freshVault();
        QVERIFY(g);
        CHECK_OK(enrolledAdmin(*g));
        CHECK_OK(addBob(*g));
        auto s = bobLogin(*g);
        CHECK_OK(s);
        for (int i = 0; i < 35; ++i) { // 35 × 20 min = 11 h 40 min
            m_clock.advance(20 * 60);
            CHECK_OK(g->login().touch(*s));
        }
        auto info = g->login().validate(*s);
        CHECK_OK(info);
        QCOMPARE(info->idleLeftSecs, 30 * 60);
        QCOMPARE(info->absoluteLeftSecs, 20 * 60);
        QCOMPARE(info->expires, info->created.addSecs(12 * 3600)); // displayed deadline unchanged
        m_clock.advance(19 * 60);
        CHECK_OK(g->login().touch(*s));
        m_clock.advance(60);
        auto gone = g->login().touch(*s);
        CHECK_CODE(gone, Errc::SessionInvalid);
        QCOMPARE(gone.error().detail, QStringLiteral("absolute lifetime"));
    }

    // SES-03: the wall clock jumping either way neither extends nor shortens a session.
    void wallClockJumps() {
        auto g = freshVault();
        QVERIFY(g);
        CHECK_OK(enrolledAdmin(*g));
        CHECK_OK(addBob(*g));
        auto s = bobLogin(*g);
        CHECK_OK(s);
        // Forward 13 h: past the displayed absolute deadline, yet only 0 s really passed.
        m_clock.jumpWall(13 * 3600);
        CHECK_OK(g->login().touch(*s));
        // Back 2 days, then 31 real minutes without activity: idle, although the wall clock
        // now reads earlier than the session's creation.
        m_clock.jumpWall(-2 * 24 * 3600);
        m_clock.advance(31 * 60);
        auto idle = g->login().validate(*s);
        CHECK_CODE(idle, Errc::SessionInvalid);
        QCOMPARE(idle.error().detail, QStringLiteral("idle timeout"));

        // Absolute: a wall clock turned back by a day does not give 12 more hours.
        auto t = bobLogin(*g);
        CHECK_OK(t);
        for (int i = 0; i < 24; ++i) {
            m_clock.advance(30 * 60 - 1);
            m_clock.jumpWall(-(30 * 60 - 1));
            CHECK_OK(g->login().touch(*t));
        }
        m_clock.advance(24);
        auto abs = g->login().touch(*t);
        CHECK_CODE(abs, Errc::SessionInvalid);
        QCOMPARE(abs.error().detail, QStringLiteral("absolute lifetime"));
    }

    // SES-04: sensitive operations need a sign-in within 5 minutes; step-up (password + the
    // second factor the account holds) refreshes it with a new secret, ending the old one.
    void freshnessAndStepUp() {
        auto g = freshVault();
        QVERIFY(g);
        CHECK_OK(enrolledAdmin(*g));
        CHECK_OK(addBob(*g));
        auto s = adminLogin(*g);
        CHECK_OK(s);
        auto other = bobLogin(*g);
        CHECK_OK(other);
        CHECK_OK(gh::test::newRecoveryCodes(g->factors(), *s)); // fresh
        m_clock.advance(5 * 60 + 1);
        CHECK_OK(g->accounts().listUsers(*s)); // not sensitive: still works (and is activity)
        auto info = g->login().validate(*s);
        CHECK_OK(info);
        QCOMPARE(info->freshLeftSecs, 0);
        CHECK_CODE(gh::test::newRecoveryCodes(g->factors(), *s), Errc::StepUpRequired);
        CHECK_CODE(g->factors().beginTotpEnrollment(*s, QStringLiteral("second phone")), Errc::StepUpRequired);
        CHECK_CODE(g->sessions().revokeSession(*s, other->info.id), Errc::StepUpRequired);
        CHECK_CODE(g->sessions().revokeUserSessions(*s, kBob), Errc::StepUpRequired);
        CHECK_CODE(g->sessions().setSessionLimit(*s, SessionLimit{3, SessionLimitMode::Refuse}), Errc::StepUpRequired);
        const auto stepUp = g->sessions().revokeOtherSessions(*s);
        CHECK_CODE(stepUp, Errc::StepUpRequired);
        QCOMPARE(exitCodeOf(Errc::StepUpRequired), 4);
        QCOMPARE(describe(stepUp.error()),
                 QStringLiteral("Confirm it's you: sign in again (your last sign-in is more than 5 minutes old)."));
        CHECK_OK(g->login().validate(*other)); // nothing was revoked

        // Wrong password, then the right one without the code the account needs: no step-up.
        const QString oldId = s->info.id;
        CHECK_CODE(g->login().stepUp(*s, pw("not the password at all")), Errc::AuthenticationFailed);
        CHECK_CODE(g->login().stepUp(*s, pw(kAlicePassword)), Errc::SecondFactorRequired);
        QCOMPARE(s->info.id, oldId);
        CHECK_OK(g->login().validate(*s));

        Session before;
        before.info = s->info;
        before.secret = SecureBuffer(s->secret.chars(), s->secret.size());
        const SecureBuffer code = aliceCode();
        CHECK_OK(g->login().stepUp(*s, pw(kAlicePassword), FactorKind::Totp, &code));
        QVERIFY(s->info.id != oldId);
        QVERIFY(!crypto::constantTimeEqual(before.secret.data(), before.secret.size(), s->secret.data(),
                                           s->secret.size())); // SES-01: a new secret
        auto old = g->login().validate(before);
        CHECK_CODE(old, Errc::SessionInvalid);
        QVERIFY2(old.error().detail.startsWith(QStringLiteral("step-up")), qPrintable(old.error().detail));
        auto renewed = g->login().validate(*s);
        CHECK_OK(renewed);
        QCOMPARE(renewed->freshLeftSecs, 5 * 60);
        QCOMPARE(renewed->aal, Aal::Aal2);
        CHECK_OK(gh::test::newRecoveryCodes(g->factors(), *s));
        auto n = g->sessions().revokeUserSessions(*s, kBob);
        CHECK_OK(n);
        QCOMPARE(*n, 1);
        auto bobGone = g->login().validate(*other);
        CHECK_CODE(bobGone, Errc::SessionInvalid);
        QCOMPARE(bobGone.error().detail, QStringLiteral("revoked by alice"));
    }

    // SES-06: a revocation by another connection (another process: here another Gatehouse with
    // its own SQLCipher connection on the same file) reaches the holder's memory within kPollMs
    // even through the raw store, and at once through the facade.
    void revocationSeenByAnotherInstance() {
        auto g1 = freshVault();
        QVERIFY(g1);
        CHECK_OK(enrolledAdmin(*g1));
        auto admin = adminLogin(*g1, QStringLiteral("gatehousectl"));
        CHECK_OK(admin);
        auto g2 = second();
        QVERIFY(g2);
        auto held = adminLogin(*g2, QStringLiteral("gatehouse GUI"));
        CHECK_OK(held);
        CHECK_OK(g2->login().validate(*held));
        auto list = g1->sessions().listSessions(*admin, true);
        CHECK_OK(list);
        auto listed = byId(*list, held->info.id);
        QVERIFY(listed);
        QCOMPARE(listed->client, QStringLiteral("gatehouse GUI"));
        QVERIFY(listed->active);
        QVERIFY(!listed->current);
        QVERIFY(byId(*list, admin->info.id)->current);
        CHECK_OK(g1->sessions().revokeSession(*admin, held->info.id));
        auto seen = g2->login().validate(*held);
        CHECK_CODE(seen, Errc::SessionInvalid);
        QCOMPARE(seen.error().detail, QStringLiteral("revoked by alice"));
        CHECK_CODE(g2->accounts().listUsers(*held), Errc::SessionInvalid);
        auto after = g1->sessions().listSessions(*admin, true, true);
        CHECK_OK(after);
        auto ended = byId(*after, held->info.id);
        QVERIFY(ended && !ended->active);
        QCOMPARE(ended->endReason, QStringLiteral("revoked"));
        QCOMPARE(ended->endedBy, kAlice);
    }

    // The store's hot path: answers from memory, and notices another connection's revocation once
    // kPollMs has passed (< 1 s), without the facade's forced check.
    void storeNoticesOtherConnectionWithinPoll() {
        auto g = freshVault();
        QVERIFY(g);
        auto v1 = connection();
        auto v2 = connection();
        QVERIFY(v1 && v2);
        SessionStore holder(*v1, m_clock, m_random);
        SessionStore revoker(*v2, m_clock, m_random);
        const SessionRecord r = userOneRecord();
        SecureBuffer secret;
        auto issued = holder.issue(r, secret);
        CHECK_OK(issued);
        CHECK_OK(holder.validate(secret));
        QCOMPARE(holder.liveInMemory(), std::size_t(1));
        CHECK_OK(revoker.end(issued->id, QStringLiteral("revoked"), kAlice));
        m_clock.advance(1); // ≥ kPollMs
        auto r2 = holder.validate(secret);
        CHECK_CODE(r2, Errc::SessionInvalid);
        QCOMPARE(holder.liveInMemory(), std::size_t(0));
        QCOMPARE(holder.endReasonOf(secret), QStringLiteral("revoked by alice"));
        // A wrong-length or unknown secret is simply invalid.
        CHECK_CODE(holder.validate(SecureBuffer(16)), Errc::SessionInvalid);
        CHECK_CODE(holder.validate(m_random.secret(32)), Errc::SessionInvalid);
    }

    // SES-06: a session this process ended inside a transaction (a revoke, a factor removal's UPDATE)
    // is refused as soon as the transaction commits, not only at the next poll: the store forgets
    // nothing inside a transaction (it might roll back), so the first check after the commit must
    // look. The clock does not move here, so no poll is due.
    void endedInsideATransactionIsRefusedAfterCommit() {
        auto g = freshVault();
        QVERIFY(g);
        auto v = connection();
        QVERIFY(v);
        Vault& vault = *v;
        SessionStore store(vault, m_clock, m_random);
        const SessionRecord r = userOneRecord();
        SecureBuffer first;
        SecureBuffer second;
        auto a = store.issue(r, first);
        auto b = store.issue(r, second);
        CHECK_OK(a);
        CHECK_OK(b);
        CHECK_OK(store.validate(first));
        CHECK_OK(store.validate(second));

        CHECK_OK(vault.transaction([&]() -> Status { return store.end(a->id, QStringLiteral("revoked"), kAlice); }));
        CHECK_CODE(store.validate(first, SessionStore::Use::Activity), Errc::SessionInvalid);

        // The same through SQL of another part of the core (FactorsService ends sessions so).
        CHECK_OK(vault.transaction([&]() -> Status {
            auto st =
                vault.db().prepare("UPDATE sessions SET ended_at = 1, end_reason = 'factor removed' WHERE id = ?");
            if (!st)
                return st.error();
            st->bind(1, b->id);
            return st->done();
        }));
        CHECK_CODE(store.validate(second, SessionStore::Use::Activity), Errc::SessionInvalid);
        QCOMPARE(store.liveInMemory(), std::size_t(0));
    }

    // SES-06: disabling an account ends its sessions at once, in every process.
    void disablingUserEndsSessions() {
        auto g1 = freshVault();
        QVERIFY(g1);
        CHECK_OK(enrolledAdmin(*g1));
        auto admin = adminLogin(*g1);
        CHECK_OK(admin);
        CHECK_OK(addBob(*g1, *admin));
        auto g2 = second();
        QVERIFY(g2);
        auto bob1 = bobLogin(*g2);
        auto bob2 = bobLogin(*g2);
        CHECK_OK(bob1);
        CHECK_OK(bob2);
        CHECK_OK(g1->accounts().setUserEnabled(*admin, kBob, false));
        for (const Session* s : {&bob1.value(), &bob2.value()}) {
            auto r = g2->login().validate(*s);
            CHECK_CODE(r, Errc::SessionInvalid);
            QCOMPARE(r.error().detail, QStringLiteral("user disabled by alice"));
        }
    }

    // AC-01, SES-06: bob (operator) lists his own sessions by default and may list everyone's (the
    // built-in operator holds sessions.read_all) but may not end alice's (no sessions.revoke_any);
    // carol (viewer, neither permission) may not list everyone's; bob may end his own other sessions.
    // AUD-04's plain-text rule for the client name a program claims at sign-in (gatehoused passes
    // it on as "CLAIMED via SOURCE"): it is shown in Sessions and `sessions list`, so a newline,
    // a bidi override or an invisible TAG character in it could forge a line or reorder what a
    // reader sees. Each becomes U+FFFD, by code point; other text stays.
    void claimedClientNameIsOnePlainLine() {
        auto g = freshVault();
        QVERIFY(g);
        CHECK_OK(enrolledAdmin(*g));
        auto admin = adminLogin(*g);
        CHECK_OK(admin);
        CHECK_OK(addBob(*g, *admin));
        const QString claimed = QStringLiteral("kiosk\nroot session") + QChar(0x202e) + QStringLiteral("nimda") +
                                QString::fromUcs4(U"\U000E0041") + QStringLiteral(" end");
        auto b = bobLogin(*g, claimed);
        CHECK_OK(b);
        auto own = g->sessions().listSessions(*b);
        CHECK_OK(own);
        const auto mine = byId(*own, b->info.id);
        QVERIFY(mine);
        for (char32_t c : {U'\n', U'\x202e', U'\U000E0041'})
            QVERIFY2(!mine->client.toUcs4().contains(c), qPrintable(QString::number(c, 16)));
        QCOMPARE(mine->client, QStringLiteral("kiosk\uFFFDroot session\uFFFDnimda\uFFFD end"));
        // A long one is cut, never between the halves of a pair.
        auto longer = bobLogin(*g, QString(255, QLatin1Char('a')) + QString::fromUcs4(U"\U0001F600"));
        CHECK_OK(longer);
        own = g->sessions().listSessions(*longer);
        CHECK_OK(own);
        QCOMPARE(byId(*own, longer->info.id)->client, QString(255, QLatin1Char('a')));
    }

    void listingAndRevocationPermissions() {
        auto g = freshVault();
        QVERIFY(g);
        CHECK_OK(enrolledAdmin(*g));
        auto admin = adminLogin(*g);
        CHECK_OK(admin);
        CHECK_OK(addBob(*g, *admin));
        auto b1 = bobLogin(*g, QStringLiteral("one"));
        auto b2 = bobLogin(*g, QStringLiteral("two"));
        CHECK_OK(b1);
        CHECK_OK(b2);
        auto own = g->sessions().listSessions(*b1);
        CHECK_OK(own);
        QCOMPARE(own->size(), 2);
        for (const SessionInfo& s : *own) {
            QCOMPARE(s.username, kBob);
            QCOMPARE(s.aal, Aal::Aal1);
            QCOMPARE(s.factors, QList<FactorKind>{FactorKind::Password});
            QVERIFY(!s.host.isEmpty());
            QVERIFY(s.pid > 0);
            QCOMPARE(s.current, s.id == b1->info.id);
        }
        // A viewer holds neither sessions.read_all nor sessions.revoke_any.
        auto carolTemp = g->accounts().addUser(*admin, QStringLiteral("carol"), QStringLiteral("viewer"));
        CHECK_OK(carolTemp);
        auto carol = g->login().fullLogin(QStringLiteral("carol"), *carolTemp, QStringLiteral("t"));
        CHECK_OK(carol);
        CHECK_OK(g->login().changePassword(*carol, *carolTemp, pw(kBobPassword)));
        CHECK_OK(g->sessions().listSessions(*carol));
        const auto carolAll = g->sessions().listSessions(*carol, true);
        CHECK_CODE(carolAll, Errc::NotPermitted);
        QVERIFY(carolAll.error().detail.contains(QStringLiteral("sessions.read_all")));
        CHECK_CODE(g->sessions().revokeSession(*carol, b1->info.id), Errc::NotPermitted);
        CHECK_CODE(g->sessions().revokeAllSessions(*carol), Errc::NotPermitted);
        // The operator reads everyone's sessions (from a two-factor session, issue 13) but ends none
        // but his own.
        CHECK_CODE(g->sessions().listSessions(*b1, true), Errc::NotPermitted);
        CHECK_OK(bobTwoFactor(*g, *b1)); // a first second factor ends bob's other session (b2)
        auto bobAll = g->sessions().listSessions(*b1, true);
        CHECK_OK(bobAll);
        QCOMPARE(bobAll->size(), 4); // alice's two, bob's one, carol's
        QVERIFY(byId(*bobAll, admin->info.id));
        QVERIFY(byId(*bobAll, carol->info.id));
        const auto bobRevoke = g->sessions().revokeSession(*b1, admin->info.id);
        CHECK_CODE(bobRevoke, Errc::NotPermitted);
        QVERIFY(bobRevoke.error().detail.contains(QStringLiteral("sessions.revoke_any")));
        CHECK_CODE(g->sessions().revokeAllSessions(*b1), Errc::NotPermitted);
        CHECK_OK(g->login().validate(*admin));
        CHECK_OK(g->login().validate(*carol));
        CHECK_OK(g->login().logout(*carol));
        auto n = g->sessions().revokeOtherSessions(*b1);
        CHECK_OK(n);
        QCOMPARE(*n, 0); // b2 ended when bob enrolled his first second factor
        CHECK_CODE(g->login().validate(*b2), Errc::SessionInvalid);
        CHECK_OK(g->login().validate(*b1));
        auto all = g->sessions().listSessions(*admin, true);
        CHECK_OK(all);
        QCOMPARE(all->size(), 3); // alice's from enrolling, alice's admin session, bob's first
        auto everything = g->sessions().revokeAllSessions(*admin);
        CHECK_OK(everything);
        QCOMPARE(*everything, 2);
        CHECK_CODE(g->login().validate(*b1), Errc::SessionInvalid);
        CHECK_OK(g->login().validate(*admin)); // the caller's own session survives
        // Ending one's own current session is a logout.
        CHECK_OK(g->sessions().revokeSession(*admin, admin->info.id));
        QCOMPARE(g->login().validate(*admin).error().detail, QStringLiteral("logout"));
    }

    // SES-07: the concurrent-session limit, both modes.
    void sessionLimit() {
        auto g = freshVault();
        QVERIFY(g);
        CHECK_OK(enrolledAdmin(*g));
        auto admin = adminLogin(*g);
        CHECK_OK(admin);
        CHECK_OK(addBob(*g, *admin));
        auto unlimited = g->sessions().sessionLimit(*admin);
        CHECK_OK(unlimited);
        QCOMPARE(unlimited->maxPerUser, 0);
        CHECK_CODE(g->sessions().setSessionLimit(*admin, SessionLimit{-1, SessionLimitMode::Refuse}),
                   Errc::InvalidArgument);
        CHECK_OK(g->sessions().setSessionLimit(*admin, SessionLimit{2, SessionLimitMode::Refuse}));
        auto b1 = bobLogin(*g);
        CHECK_OK(b1);
        m_clock.advance(1);
        auto b2 = bobLogin(*g);
        CHECK_OK(b2);
        auto refused = bobLogin(*g);
        CHECK_CODE(refused, Errc::SessionLimitReached);
        QCOMPARE(exitCodeOf(Errc::SessionLimitReached), 4);
        // The refusal is in the audit log (L3), and the right password charged nothing: five more
        // refusals leave bob unthrottled.
        auto events = g->audit().recentAudit(*admin, 20);
        CHECK_OK(events);
        QVERIFY(std::any_of(events->cbegin(), events->cend(), [](const AuditEvent& e) {
            return e.action == QLatin1String("session.limit_reached") && e.layer == Layer::Session &&
                   e.subject == QLatin1String("bob");
        }));
        for (int i = 0; i < 5; ++i)
            CHECK_CODE(bobLogin(*g), Errc::SessionLimitReached);
        CHECK_OK(g->login().validate(*b1));
        CHECK_OK(g->login().validate(*b2));
        // An idle-expired session does not count.
        m_clock.advance(31 * 60);
        auto admin2 = adminLogin(*g);
        CHECK_OK(admin2);
        auto b3 = bobLogin(*g);
        CHECK_OK(b3);
        m_clock.advance(1);
        auto b4 = bobLogin(*g);
        CHECK_OK(b4);
        CHECK_OK(g->sessions().setSessionLimit(*admin2, SessionLimit{2, SessionLimitMode::EndOldest}));
        auto mode = g->sessions().sessionLimit(*admin2);
        CHECK_OK(mode);
        QCOMPARE(mode->mode, SessionLimitMode::EndOldest);
        m_clock.advance(1);
        auto b5 = bobLogin(*g);
        CHECK_OK(b5);
        auto oldest = g->login().validate(*b3);
        CHECK_CODE(oldest, Errc::SessionInvalid);
        QCOMPARE(oldest.error().detail, QStringLiteral("session limit (oldest ended)"));
        CHECK_OK(g->login().validate(*b4));
        CHECK_OK(g->login().validate(*b5));
    }

    // SES-01, SES-02: the secret is 256 bits, the vault holds only its SHA-256, and neither the
    // secret (raw, hex or base64) appears in any row of any table, the audit log included.
    void secretsNeverStored() {
        auto g = freshVault();
        QVERIFY(g);
        CHECK_OK(enrolledAdmin(*g));
        auto s = adminLogin(*g);
        CHECK_OK(s);
        QCOMPARE(s->secret.size(), std::size_t(32));
        CHECK_OK(g->sessions().listSessions(*s, true));
        CHECK_OK(g->login().touch(*s));
        const QByteArray raw(s->secret.chars(), static_cast<qsizetype>(s->secret.size()));
        const QList<QByteArray> needles{raw, raw.toHex(), raw.toHex().toUpper(), raw.toBase64(),
                                        raw.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals)};
        auto v = rawVault();
        QVERIFY(v);
        auto tables = v->db().prepare("SELECT name FROM sqlite_master WHERE type = 'table'");
        QVERIFY(tables);
        QStringList names;
        while (tables->step())
            names << tables->text(0);
        QVERIFY(names.contains(QStringLiteral("audit")) && names.contains(QStringLiteral("sessions")));
        int cells = 0;
        for (const QString& table : names) {
            const QByteArray info = "PRAGMA table_info(" + table.toLatin1() + ")";
            auto columns = v->db().prepare(info.constData());
            QVERIFY(columns);
            int count = 0;
            while (columns->step())
                ++count;
            QVERIFY(count > 0);
            const QByteArray sql = "SELECT * FROM " + table.toLatin1();
            auto rows = v->db().prepare(sql.constData());
            QVERIFY(rows);
            while (rows->step()) {
                for (int c = 0; c < count; ++c) {
                    const QByteArray cell = rows->blob(c);
                    ++cells;
                    for (const QByteArray& n : needles)
                        QVERIFY2(!cell.contains(n), qPrintable(QStringLiteral("secret found in %1").arg(table)));
                }
            }
        }
        QVERIFY(cells > 100);
        auto hash = v->db().prepare("SELECT count(*) FROM sessions WHERE id = ? AND secret_hash = ?");
        QVERIFY(hash);
        hash->bind(1, s->info.id).bind(2, crypto::sha256(raw));
        QVERIFY(hash->step());
        QCOMPARE(hash->int64(0), 1);
    }

    // The hot path's table: lookups stay right through growth and backward-shift deletion, with
    // keys that collide on their home slot.
    void flatKeyMap() {
        FlatKeyMap<int> map;
        auto key = [](int i, int home) {
            FlatKeyMap<int>::Key k{};
            k[0] = static_cast<unsigned char>(home); // low bits of the home slot
            k[8] = static_cast<unsigned char>(i);
            k[9] = static_cast<unsigned char>(i >> 8);
            return k;
        };
        for (int i = 0; i < 2000; ++i)
            map.insert(key(i, i % 7), i);
        QCOMPARE(map.size(), std::size_t(2000));
        for (int i = 0; i < 2000; i += 3)
            map.erase(key(i, i % 7));
        for (int i = 0; i < 2000; ++i) {
            const int* v = map.find(key(i, i % 7));
            if (i % 3 == 0)
                QVERIFY2(!v, qPrintable(QString::number(i)));
            else
                QVERIFY2(v && *v == i, qPrintable(QString::number(i)));
        }
        map.insert(key(1, 1), 42); // replaces
        QCOMPARE(*map.find(key(1, 1)), 42);
        map.erase(key(5000, 0)); // absent: nothing happens
        QCOMPARE(map.size(), std::size_t(2000 - 667));
    }

    // Records of an earlier boot end as "system restarted" (no process can hold their secret).
    void earlierBootEnds() {
        auto g = freshVault();
        QVERIFY(g);
        CHECK_OK(enrolledAdmin(*g));
        auto s = adminLogin(*g);
        CHECK_OK(s);
        {
            auto v = rawVault();
            QVERIFY(v);
            auto st = v->db().prepare("UPDATE sessions SET boot_id = 'an-earlier-boot' WHERE id = ?");
            QVERIFY(st);
            st->bind(1, s->info.id);
            CHECK_OK(st->done());
        }
        auto g2 = second();
        QVERIFY(g2);
        auto fresh = adminLogin(*g2);
        CHECK_OK(fresh);
        auto list = g2->sessions().listSessions(*fresh, false, true);
        CHECK_OK(list);
        auto old = byId(*list, s->info.id);
        QVERIFY(old && !old->active);
        QCOMPARE(old->endReason, QStringLiteral("system restarted"));
    }
};

QTEST_GUILESS_MAIN(TestSessions)
#include "tst_sessions.moc"
