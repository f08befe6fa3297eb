// Multi-factor login through the facade: the admin-needs-MFA policy, TOTP enrollment, the second
// login step, replay and window rules, the shared throttle, and recovery codes. Injected clock and
// randomness (STYLE.md #10). Codes are computed from the enrollment URI, as an authenticator app would.
// Covers OTP-02, OTP-03, OTP-04, OTP-05, ST-05, RC-01, RC-03, RL-01, RL-03, AC-06, SES-01, SES-04, AUD-01.
#include "crypto/primitives.h"
#include "fakes.h"
#include "gatehouse.h"
#include "newcodes.h"
#include "vaultfiles.h"
#include "verification/otpauth.h"
#include "verification/recoverycodes.h"

#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <optional>

using namespace gh;
Q_DECLARE_METATYPE(gh::Errc)

namespace {
SecureBuffer pw(const char* s) {
    return SecureBuffer(s, std::strlen(s));
}
SecureBuffer buf(const QString& s) {
    return SecureBuffer::fromUtf8(s);
}
QString textOf(const SecureBuffer& b) {
    return QString::fromUtf8(b.chars(), static_cast<qsizetype>(b.size()));
}
const char* const kAlicePassword = "correct horse battery staple";
const QString kAlice = QStringLiteral("alice");
const QString kClient = QStringLiteral("test");

bool sameKinds(QList<FactorKind> a, QList<FactorKind> b) {
    std::sort(a.begin(), a.end());
    std::sort(b.begin(), b.end());
    return a == b;
}
QString errText(Errc code) {
    return QStringLiteral("%1 \"%2\"").arg(int(code)).arg(describe(Error{code, {}, 0}));
}
} // namespace

// Each evaluates `result` once (it often has side effects) and names the error on failure.
#define CHECK_CODE(result, expected)                                                                                   \
    do {                                                                                                               \
        const auto& r_ = (result);                                                                                     \
        QVERIFY2(!r_.ok() && r_.code() == (expected),                                                                  \
                 qPrintable(QStringLiteral("got %1, expected %2")                                                      \
                                .arg(r_.ok() ? QStringLiteral("success") : errText(r_.code()), errText(expected))));   \
    } while (0)
#define CHECK_OK(result)                                                                                               \
    do {                                                                                                               \
        const auto& r_ = (result);                                                                                     \
        QVERIFY2(r_.ok(),                                                                                              \
                 qPrintable(r_.ok() ? QString() : errText(r_.code()) + QLatin1Char(' ') + r_.error().detail));         \
    } while (0)

class TestMfaLogin : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    test::MemoryKeyStore m_keys;
    test::SeededRandom m_random{21};
    test::FakeClock m_clock;
    int m_counter = 0;
    QString m_path;

    struct Authenticator { // what a phone holds after scanning the QR code
        SecureBuffer seed;
        TotpParams params;
        qint64 factorId = 0;
    };

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
        m_path = m_dir.filePath(QStringLiteral("mfa%1.db").arg(++m_counter));
        auto g = std::make_unique<Gatehouse>(services());
        if (!g->createVault(m_path) || !g->accounts().createFirstAdmin(kAlice, pw(kAlicePassword)))
            return nullptr;
        return g;
    }
    std::unique_ptr<Gatehouse> reopen() {
        auto g = std::make_unique<Gatehouse>(services());
        if (!g->openVault(m_path))
            return nullptr;
        return g;
    }
    qint64 now() const { return m_clock.nowSecs(); }
    // The code an authenticator shows `offset` steps from now.
    QString code(const Authenticator& a, int offset = 0) const {
        const std::int64_t step = totp::stepOf(now(), a.params) + offset;
        return totp::generate(a.seed, step * a.params.period, a.params);
    }
    // A 6-digit string that is no code of the window or near it.
    QString wrongCode(const Authenticator& a) const {
        QStringList near;
        for (int off = -5; off <= 5; ++off)
            near << code(a, off);
        for (int n = 123456;; n = (n + 111111) % 1000000) {
            const QString c = QStringLiteral("%1").arg(n, 6, 10, QLatin1Char('0'));
            if (!near.contains(c))
                return c;
        }
    }
    Result<Session> loginWith(Gatehouse& g, FactorKind kind, const QString& second) {
        const SecureBuffer s = buf(second);
        return g.login().fullLogin(kAlice, pw(kAlicePassword), kClient, kind, &s);
    }
    Result<Session> loginTotp(Gatehouse& g, const QString& totpCode) {
        return loginWith(g, FactorKind::Totp, totpCode);
    }

    // Reads the seed back out of the enrollment URI, the way an authenticator app does.
    static bool scan(const TotpEnrollment& e, Authenticator* out) {
        OtpauthKey key;
        const OtpauthError err = otpauth::parse(textOf(e.uri), &key);
        if (err != OtpauthError::None) {
            qWarning("enrollment URI does not parse: %s", qPrintable(describeOtpauthError(err)));
            return false;
        }
        out->seed = std::move(key.secret);
        out->params = key.params;
        out->factorId = e.factorId;
        return true;
    }

    // alice with a confirmed TOTP factor; `session` is her session after a step-up with it
    // (unrestricted, AAL2, fresh: enrolling alone does not raise the AAL). Leaves the clock 10 s into
    // a step three steps after the step-up's, so every code of the window is newer than those used.
    bool enrollAlice(Gatehouse& g, Session* session, Authenticator* phone) {
        m_clock.advance(10);
        auto s = g.login().fullLogin(kAlice, pw(kAlicePassword), kClient);
        if (!s) {
            qWarning("login: %s", qPrintable(describe(s.error())));
            return false;
        }
        auto e = g.factors().beginTotpEnrollment(*s, QStringLiteral("phone"));
        if (!e || !scan(*e, phone)) {
            qWarning("enrollment: %s", qPrintable(describe(e.error())));
            return false;
        }
        const Status c = g.factors().confirmTotp(*s, e->factorId, code(*phone));
        if (!c) {
            qWarning("confirm: %s", qPrintable(describe(c.error())));
            return false;
        }
        m_clock.advance(30);
        const SecureBuffer next = buf(code(*phone));
        const Status u = g.login().stepUp(*s, pw(kAlicePassword), FactorKind::Totp, &next);
        if (!u) {
            qWarning("step-up: %s", qPrintable(describe(u.error())));
            return false;
        }
        *session = std::move(*s);
        m_clock.advance(90);
        return true;
    }

    static QStringList actions(Gatehouse& g, const Session& admin) {
        QStringList out;
        auto events = g.audit().recentAudit(admin, 1000);
        if (!events)
            qWarning("recentAudit: %s", qPrintable(describe(events.error())));
        else
            for (const AuditEvent& e : *events)
                out.prepend(e.action);
        return out;
    }
    static std::optional<FactorInfo> factor(Gatehouse& g, const Session& s, FactorKind kind) {
        auto list = g.factors().listFactors(s);
        if (list)
            for (const FactorInfo& f : *list)
                if (f.kind == kind)
                    return f;
        return std::nullopt;
    }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(crypto::initialise());
        QVERIFY(totp::initialise());
    }

    // AC-06, SES-04: the admin role requires MFA; with only a password the session can do nothing
    // but enroll a second factor.
    void adminWithPasswordOnlyIsRestricted() {
        auto g = freshVault();
        QVERIFY(g);
        auto s = g->login().fullLogin(kAlice, pw(kAlicePassword), kClient);
        CHECK_OK(s);
        QCOMPARE(s->info.restriction, Restriction::EnrollSecondFactor);
        QVERIFY(s->info.restricted);
        QVERIFY(!s->info.restrictionReason.isEmpty());
        QVERIFY(sameKinds(s->info.factors, {FactorKind::Password}));
        QCOMPARE(s->info.aal, Aal::Aal1);
        CHECK_CODE(g->accounts().addUser(*s, QStringLiteral("bob"), QStringLiteral("operator")), Errc::NotPermitted);
        CHECK_CODE(g->accounts().listUsers(*s), Errc::NotPermitted);
        CHECK_CODE(g->accounts().setUserEnabled(*s, kAlice, true), Errc::NotPermitted);
        CHECK_CODE(g->audit().recentAudit(*s, 10), Errc::NotPermitted);
        auto a = g->factors().assurance(*s);
        CHECK_OK(a);
        QVERIFY(a->mfaRequired);
        QCOMPARE(a->reachable, Aal::Aal1);
        QCOMPARE(a->categories, QList<FactorCategory>{FactorCategory::Knowledge});
        CHECK_OK(g->factors().listFactors(*s));
        // The two-step API says the same: complete, but restricted (no second factor to ask for).
        auto step = g->login().beginLogin(kAlice, pw(kAlicePassword), kClient);
        CHECK_OK(step);
        QVERIFY(step->complete);
        QCOMPARE(step->session.info.restriction, Restriction::EnrollSecondFactor);
    }

    // OTP-05, ST-05: a pending factor until one valid code confirms it; confirming re-issues the
    // session (SES-01: a new secret) without the restriction, at the AAL its sign-in proved
    // (SES-04, issue 16): administrative functions need a step-up with the new factor.
    void enrollmentIsPendingUntilConfirmed() {
        auto g = freshVault();
        QVERIFY(g);
        m_clock.advance(10);
        auto s = g->login().fullLogin(kAlice, pw(kAlicePassword), kClient);
        CHECK_OK(s);
        auto e = g->factors().beginTotpEnrollment(*s, QStringLiteral("phone"));
        CHECK_OK(e);
        QCOMPARE(e->issuer, QString::fromLatin1(Gatehouse::kIssuer));
        QCOMPARE(e->account, kAlice);
        QCOMPARE(e->params.algorithm, TotpAlgorithm::Sha1);
        QCOMPARE(e->params.digits, 6);
        QCOMPARE(e->params.period, 30);
        QCOMPARE(e->expires, m_clock.nowUtc().addSecs(Gatehouse::kPendingFactorSecs));
        Authenticator phone;
        QVERIFY(scan(*e, &phone));
        QCOMPARE(phone.seed.size(), std::size_t(TotpParams::kSeedBytes)); // ST-05: 160 bits
        QString manual = textOf(e->secretBase32);
        manual.remove(QLatin1Char(' '));
        QCOMPARE(manual, totp::base32Encode(phone.seed));
        OtpauthKey key;
        QCOMPARE(otpauth::parse(textOf(e->uri), &key), OtpauthError::None);
        QCOMPARE(key.issuer, QString::fromLatin1(Gatehouse::kIssuer));
        QCOMPARE(key.account, kAlice);

        auto pending = factor(*g, *s, FactorKind::Totp);
        QVERIFY(pending);
        QCOMPARE(pending->id, e->factorId);
        QVERIFY(pending->pending);
        QCOMPARE(pending->label, QStringLiteral("phone"));
        QCOMPARE(pending->category, FactorCategory::Possession);
        QCOMPARE(pending->expires, e->expires);
        // A pending factor proves nothing yet.
        const auto before = g->factors().assurance(*s);
        CHECK_OK(before);
        QCOMPARE(before->reachable, Aal::Aal1);
        auto plain = g->login().fullLogin(kAlice, pw(kAlicePassword), kClient);
        CHECK_OK(plain);
        QCOMPARE(plain->info.restriction, Restriction::EnrollSecondFactor);

        // A wrong code: refused, still pending, still restricted.
        CHECK_CODE(g->factors().confirmTotp(*s, e->factorId, wrongCode(phone)), Errc::CodeWrong);
        const auto stillPending = factor(*g, *s, FactorKind::Totp);
        QVERIFY(stillPending && stillPending->pending);
        QCOMPARE(s->info.restriction, Restriction::EnrollSecondFactor);
        CHECK_CODE(g->factors().confirmTotp(*s, e->factorId + 1000, code(phone)), Errc::FactorNotFound);

        const QString oldId = s->info.id;
        const QByteArray oldSecret(s->secret.chars(), static_cast<qsizetype>(s->secret.size()));
        CHECK_OK(g->factors().confirmTotp(*s, e->factorId, code(phone)));
        QCOMPARE(s->info.restriction, Restriction::None);
        QVERIFY(!s->info.restricted);
        QCOMPARE(s->info.aal, Aal::Aal1);
        QVERIFY(sameKinds(s->info.factors, {FactorKind::Password, FactorKind::Totp})); // held, not proven
        QVERIFY(s->info.id != oldId);
        QVERIFY(QByteArray(s->secret.chars(), static_cast<qsizetype>(s->secret.size())) != oldSecret);
        CHECK_OK(g->login().validate(*s));
        auto active = factor(*g, *s, FactorKind::Totp);
        QVERIFY(active && !active->pending);
        QCOMPARE(active->totp.digits, 6);
        auto a = g->factors().assurance(*s);
        CHECK_OK(a);
        QCOMPARE(a->reachable, Aal::Aal2);
        QVERIFY(a->categories.contains(FactorCategory::Knowledge));
        QVERIFY(a->categories.contains(FactorCategory::Possession));
        // Admin functions need the proof: a step-up with the new factor, then they work.
        CHECK_CODE(g->accounts().addUser(*s, QStringLiteral("bob"), QStringLiteral("operator")), Errc::StepUpRequired);
        m_clock.advance(30);
        const SecureBuffer next = buf(code(phone));
        CHECK_OK(g->login().stepUp(*s, pw(kAlicePassword), FactorKind::Totp, &next));
        QCOMPARE(s->info.aal, Aal::Aal2);
        CHECK_OK(g->accounts().addUser(*s, QStringLiteral("bob"), QStringLiteral("operator")));
        CHECK_OK(g->accounts().listUsers(*s));
        // OTP-05 / AUD-01: the binding is audited; the seed is not.
        const QStringList acts = actions(*g, *s);
        bool audited = false;
        for (const QString& act : acts)
            audited = audited || act.contains(QLatin1String("totp")) || act.contains(QLatin1String("factor"));
        QVERIFY2(audited, qPrintable(acts.join(QLatin1Char(' '))));
        auto events = g->audit().recentAudit(*s, 1000);
        for (const AuditEvent& ev : *events) {
            QVERIFY(!ev.detail.contains(manual));
            QVERIFY(!ev.subject.contains(manual));
        }
    }

    void pendingFactorExpires() {
        auto g = freshVault();
        QVERIFY(g);
        auto s = g->login().fullLogin(kAlice, pw(kAlicePassword), kClient);
        CHECK_OK(s);
        auto e = g->factors().beginTotpEnrollment(*s, QStringLiteral("phone"));
        CHECK_OK(e);
        Authenticator phone;
        QVERIFY(scan(*e, &phone));
        m_clock.advance(Gatehouse::kPendingFactorSecs + 1);
        auto again = g->login().fullLogin(kAlice, pw(kAlicePassword), kClient); // in case the first session idled out
        CHECK_OK(again);
        CHECK_CODE(g->factors().confirmTotp(*again, e->factorId, code(phone)), Errc::FactorNotFound);
        QCOMPARE(again->info.restriction, Restriction::EnrollSecondFactor);
        auto list = g->factors().listFactors(*again);
        CHECK_OK(list);
        for (const FactorInfo& f : *list)
            QVERIFY2(f.id != e->factorId || f.pending, "an expired pending factor became active");
    }

    // OTP-02: the code that confirmed the enrollment cannot be used again to log in.
    void confirmingCodeIsSpent() {
        auto g = freshVault();
        QVERIFY(g);
        m_clock.advance(10);
        auto s = g->login().fullLogin(kAlice, pw(kAlicePassword), kClient);
        auto e = g->factors().beginTotpEnrollment(*s, QStringLiteral("phone"));
        CHECK_OK(e);
        Authenticator phone;
        QVERIFY(scan(*e, &phone));
        const QString c = code(phone);
        CHECK_OK(g->factors().confirmTotp(*s, e->factorId, c));
        CHECK_CODE(loginTotp(*g, c), Errc::CodeReplayed);
    }

    // The login state machine: password, then a second factor of another category.
    void secondFactorIsRequired() {
        auto g = freshVault();
        QVERIFY(g);
        Session admin;
        Authenticator phone;
        QVERIFY(enrollAlice(*g, &admin, &phone));
        CHECK_CODE(g->login().fullLogin(kAlice, pw(kAlicePassword), kClient), Errc::SecondFactorRequired);
        auto step = g->login().beginLogin(kAlice, pw(kAlicePassword), kClient);
        CHECK_OK(step);
        QVERIFY(!step->complete);
        QVERIFY(!step->pendingId.isEmpty());
        QVERIFY(step->offered.contains(FactorKind::Totp));
        QVERIFY(!step->offered.contains(FactorKind::Password)); // never a second knowledge factor
        QVERIFY(step->session.secret.isEmpty());
        auto s = g->login().completeLogin(step->pendingId, FactorKind::Totp, buf(code(phone)));
        CHECK_OK(s);
        QVERIFY(sameKinds(s->info.factors, {FactorKind::Password, FactorKind::Totp}));
        QCOMPARE(s->info.aal, Aal::Aal2);
        QCOMPARE(s->info.restriction, Restriction::None);
        CHECK_OK(g->accounts().listUsers(*s));
        // The pending login is consumed.
        m_clock.advance(30);
        QVERIFY(!g->login().completeLogin(step->pendingId, FactorKind::Totp, buf(code(phone))).ok());
        // The wrong password never reaches the second step (and does not say the account has one).
        CHECK_CODE(g->login().beginLogin(kAlice, pw("wrong password entirely"), kClient), Errc::AuthenticationFailed);
        // One call with both factors (the CLI).
        auto one = loginTotp(*g, code(phone));
        CHECK_OK(one);
        QCOMPARE(one->info.aal, Aal::Aal2);
    }

    // OTP-02, OTP-04: a code is accepted once, even across a restart, and a replay is audited.
    void replayIsRefusedAcrossRestart() {
        auto g = freshVault();
        QVERIFY(g);
        Session admin;
        Authenticator phone;
        QVERIFY(enrollAlice(*g, &admin, &phone));
        const QString c = code(phone);
        CHECK_OK(loginTotp(*g, c));
        CHECK_CODE(loginTotp(*g, c), Errc::CodeReplayed);
        auto step = g->login().beginLogin(kAlice, pw(kAlicePassword), kClient);
        CHECK_OK(step);
        CHECK_CODE(g->login().completeLogin(step->pendingId, FactorKind::Totp, buf(c)), Errc::CodeReplayed);
        g.reset();
        g = reopen();
        QVERIFY(g);
        CHECK_CODE(loginTotp(*g, c), Errc::CodeReplayed);
        m_clock.advance(30);
        auto s = loginTotp(*g, code(phone));
        CHECK_OK(s);
        const QStringList acts = actions(*g, *s);
        QVERIFY2(acts.filter(QStringLiteral("replay")).size() >= 2, qPrintable(acts.join(QLatin1Char(' '))));
    }

    // OTP-02: after a newer code, an older one still inside the window is a replay.
    void olderInWindowCodeAfterNewerIsReplayed() {
        auto g = freshVault();
        QVERIFY(g);
        Session admin;
        Authenticator phone;
        QVERIFY(enrollAlice(*g, &admin, &phone));
        CHECK_OK(loginTotp(*g, code(phone, 0)));
        CHECK_CODE(loginTotp(*g, code(phone, -1)), Errc::CodeReplayed);
        // Same with the future edge of the window: step+1 first, then the current step.
        m_clock.advance(60);
        CHECK_OK(loginTotp(*g, code(phone, +1)));
        CHECK_CODE(loginTotp(*g, code(phone, 0)), Errc::CodeReplayed);
        CHECK_CODE(loginTotp(*g, code(phone, -1)), Errc::CodeReplayed);
    }

    // OTP-03: ±1 step accepted; older codes are "expired", anything else "wrong".
    void window_data() {
        QTest::addColumn<int>("offset"); // 99: a wrong code
        QTest::addColumn<bool>("accepted");
        QTest::addColumn<Errc>("error");
        QTest::newRow("OTP-03 current step") << 0 << true << Errc::Internal;
        QTest::newRow("OTP-03 step-1 accepted") << -1 << true << Errc::Internal;
        QTest::newRow("OTP-03 step+1 accepted") << 1 << true << Errc::Internal;
        QTest::newRow("OTP-03 step-2 expired") << -2 << false << Errc::CodeExpired;
        QTest::newRow("wrong code") << 99 << false << Errc::CodeWrong;
    }
    void window() {
        QFETCH(int, offset);
        QFETCH(bool, accepted);
        QFETCH(Errc, error);
        auto g = freshVault();
        QVERIFY(g);
        Session admin;
        Authenticator phone;
        QVERIFY(enrollAlice(*g, &admin, &phone));
        const QString c = offset == 99 ? wrongCode(phone) : code(phone, offset);
        auto s = loginTotp(*g, c);
        if (accepted) {
            CHECK_OK(s);
            QCOMPARE(s->info.aal, Aal::Aal2);
        } else {
            CHECK_CODE(s, error);
        }
    }
    // A step+2 code (clock far ahead) is never accepted.
    void farFutureCodeIsRefused() {
        auto g = freshVault();
        QVERIFY(g);
        Session admin;
        Authenticator phone;
        QVERIFY(enrollAlice(*g, &admin, &phone));
        QVERIFY(!loginTotp(*g, code(phone, 2)).ok());
        QVERIFY(!loginTotp(*g, code(phone, 10)).ok());
    }

    // OTP-02: the last accepted step is kept, so a wall clock that jumps back does not make a used
    // code (or an older one) acceptable again.
    void wallClockJumpingBackDoesNotReviveCodes() {
        auto g = freshVault();
        QVERIFY(g);
        Session admin;
        Authenticator phone;
        QVERIFY(enrollAlice(*g, &admin, &phone));
        const QString used = code(phone);
        CHECK_OK(loginTotp(*g, used));
        m_clock.jumpWall(-30); // the used code is now "step+1", inside the window
        CHECK_CODE(loginTotp(*g, used), Errc::CodeReplayed);
        CHECK_CODE(loginTotp(*g, code(phone)), Errc::CodeReplayed); // the now-current (older) step
        m_clock.jumpWall(-3600);
        QVERIFY(!loginTotp(*g, used).ok());
        QVERIFY(!loginTotp(*g, code(phone)).ok());
        m_clock.jumpWall(3600 + 30 + 30); // back, and one step on
        CHECK_OK(loginTotp(*g, code(phone)));
    }

    // The pending login lives in memory only and expires after kPendingLoginSecs.
    void pendingLoginExpires() {
        auto g = freshVault();
        QVERIFY(g);
        Session admin;
        Authenticator phone;
        QVERIFY(enrollAlice(*g, &admin, &phone));
        auto step = g->login().beginLogin(kAlice, pw(kAlicePassword), kClient);
        CHECK_OK(step);
        QVERIFY(!step->complete);
        m_clock.advance(Gatehouse::kPendingLoginSecs + 1);
        CHECK_CODE(g->login().completeLogin(step->pendingId, FactorKind::Totp, buf(code(phone))), Errc::LoginExpired);
        // Cancelled: gone.
        m_clock.advance(30);
        auto cancelled = g->login().beginLogin(kAlice, pw(kAlicePassword), kClient);
        CHECK_OK(cancelled);
        g->login().cancelLogin(cancelled->pendingId);
        QVERIFY(!g->login().completeLogin(cancelled->pendingId, FactorKind::Totp, buf(code(phone))).ok());
        // Not persisted: a restart forgets it.
        m_clock.advance(30);
        auto before = g->login().beginLogin(kAlice, pw(kAlicePassword), kClient);
        CHECK_OK(before);
        g.reset();
        g = reopen();
        QVERIFY(g);
        QVERIFY(!g->login().completeLogin(before->pendingId, FactorKind::Totp, buf(code(phone))).ok());
        // Just inside the lifetime it works.
        m_clock.advance(30);
        auto inTime = g->login().beginLogin(kAlice, pw(kAlicePassword), kClient);
        CHECK_OK(inTime);
        m_clock.advance(Gatehouse::kPendingLoginSecs - 1);
        CHECK_OK(g->login().completeLogin(inTime->pendingId, FactorKind::Totp, buf(code(phone))));
    }

    // RL-01, RL-03: wrong second factors count toward the same throttle as passwords; the count
    // persists, and regenerating recovery codes does not reset it.
    void secondStepFailuresShareTheThrottle() {
        auto g = freshVault();
        QVERIFY(g);
        Session admin;
        Authenticator phone;
        QVERIFY(enrollAlice(*g, &admin, &phone));
        auto codes = gh::test::newRecoveryCodes(g->factors(), admin);
        CHECK_OK(codes);
        for (int i = 0; i < 3; ++i)
            CHECK_CODE(loginTotp(*g, wrongCode(phone)), Errc::CodeWrong);
        CHECK_CODE(loginWith(*g, FactorKind::RecoveryCode, QStringLiteral("AAAA-AAAA-AAAA-AAAA")), Errc::CodeWrong);
        auto step = g->login().beginLogin(kAlice, pw(kAlicePassword), kClient);
        CHECK_OK(step);
        CHECK_CODE(g->login().completeLogin(step->pendingId, FactorKind::Totp, buf(wrongCode(phone))), Errc::CodeWrong);
        // Five failures: now even the password step waits, with the right code too.
        CHECK_CODE(g->login().beginLogin(kAlice, pw(kAlicePassword), kClient), Errc::Throttled);
        auto throttled = loginTotp(*g, code(phone));
        CHECK_CODE(throttled, Errc::Throttled);
        QCOMPARE(throttled.error().retryAfterSeconds, qint64(30));
        // RL-03: new codes do not reset the count; RL-01: nor does a restart.
        CHECK_OK(gh::test::newRecoveryCodes(g->factors(), admin));
        CHECK_CODE(loginTotp(*g, code(phone)), Errc::Throttled);
        g.reset();
        g = reopen();
        QVERIFY(g);
        CHECK_CODE(loginTotp(*g, code(phone)), Errc::Throttled);
        m_clock.advance(30);
        CHECK_CODE(loginTotp(*g, wrongCode(phone)), Errc::CodeWrong);
        CHECK_CODE(loginTotp(*g, code(phone)), Errc::Throttled); // the delay doubled
        m_clock.advance(60);
        CHECK_OK(loginTotp(*g, code(phone)));
        // RL-01/RL-03 (issue 16): the success took back its own charges only; the six failures of
        // the other attempts still count, so the next attempt waits the doubled delay again.
        m_clock.advance(30);
        CHECK_CODE(loginTotp(*g, wrongCode(phone)), Errc::Throttled);
        m_clock.advance(30);
        CHECK_OK(loginTotp(*g, code(phone)));
    }

    // A correct password with wrong codes must not clear the counter on its own: otherwise an
    // attacker who knows the password could guess codes forever (RL-03).
    void correctPasswordDoesNotClearCodeFailures() {
        auto g = freshVault();
        QVERIFY(g);
        Session admin;
        Authenticator phone;
        QVERIFY(enrollAlice(*g, &admin, &phone));
        for (int i = 0; i < 5; ++i) {
            auto step = g->login().beginLogin(kAlice, pw(kAlicePassword), kClient);
            CHECK_OK(step);
            CHECK_CODE(g->login().completeLogin(step->pendingId, FactorKind::Totp, buf(wrongCode(phone))),
                       Errc::CodeWrong);
        }
        CHECK_CODE(g->login().beginLogin(kAlice, pw(kAlicePassword), kClient), Errc::Throttled);
    }

    // RC-01, RC-03: ten single-use codes; using one is audited and shown with the number left;
    // regenerating voids the old set.
    void recoveryCodes() {
        auto g = freshVault();
        QVERIFY(g);
        Session admin;
        Authenticator phone;
        QVERIFY(enrollAlice(*g, &admin, &phone));
        auto codes = gh::test::newRecoveryCodes(g->factors(), admin);
        CHECK_OK(codes);
        QCOMPARE(codes->size(), recoverycodes::kCount);
        QSet<QString> distinct;
        for (const SecureBuffer& c : *codes) {
            auto canonical = recoverycodes::canonical(c);
            QVERIFY(canonical);
            distinct.insert(textOf(*canonical));
        }
        QCOMPARE(distinct.size(), recoverycodes::kCount);
        auto rc = factor(*g, admin, FactorKind::RecoveryCode);
        QVERIFY(rc);
        QCOMPARE(rc->codesLeft, 10);
        QCOMPARE(rc->category, FactorCategory::Possession);

        auto step = g->login().beginLogin(kAlice, pw(kAlicePassword), kClient);
        CHECK_OK(step);
        QVERIFY(step->offered.contains(FactorKind::Totp));
        QVERIFY(step->offered.contains(FactorKind::RecoveryCode));
        g->login().cancelLogin(step->pendingId);

        const QString first = textOf(codes->at(0));
        auto s = loginWith(*g, FactorKind::RecoveryCode, first);
        CHECK_OK(s);
        QVERIFY(sameKinds(s->info.factors, {FactorKind::Password, FactorKind::RecoveryCode}));
        QCOMPARE(s->info.aal, Aal::Aal2);
        // RC-03: the person is told, with the number left (on this login or the next).
        QString notice = s->info.noticeForUser;
        CHECK_CODE(loginWith(*g, FactorKind::RecoveryCode, first), Errc::CodeWrong); // single use
        // As typed by a person: lower case, spaces instead of dashes.
        auto typed = loginWith(*g, FactorKind::RecoveryCode,
                               textOf(codes->at(1)).toLower().replace(QLatin1Char('-'), QLatin1Char(' ')));
        CHECK_OK(typed);
        notice += QLatin1Char('|') + typed->info.noticeForUser;
        QVERIFY2(notice.contains(QLatin1String("9")) || notice.contains(QLatin1String("8")), qPrintable(notice));
        const auto left8 = factor(*g, admin, FactorKind::RecoveryCode);
        QVERIFY(left8);
        QCOMPARE(left8->codesLeft, 8);
        // A recovery code is not a TOTP code, and a TOTP code is not a recovery code.
        CHECK_CODE(loginWith(*g, FactorKind::Totp, textOf(codes->at(2))), Errc::CodeWrong);
        CHECK_CODE(loginWith(*g, FactorKind::RecoveryCode, code(phone)), Errc::CodeWrong);

        // Regenerating voids every old code.
        auto fresh = gh::test::newRecoveryCodes(g->factors(), admin);
        CHECK_OK(fresh);
        CHECK_CODE(loginWith(*g, FactorKind::RecoveryCode, textOf(codes->at(3))), Errc::CodeWrong);
        CHECK_OK(loginWith(*g, FactorKind::RecoveryCode, textOf(fresh->at(0))));
        const auto left9 = factor(*g, admin, FactorKind::RecoveryCode);
        QVERIFY(left9);
        QCOMPARE(left9->codesLeft, 9);
        // Every code used: the second step says so and what to do (it said "This account has no
        // such factor." while My security still listed the recovery codes).
        for (int i = 1; i < recoverycodes::kCount; ++i)
            CHECK_OK(loginWith(*g, FactorKind::RecoveryCode, textOf(fresh->at(i))));
        auto usedUp = loginWith(*g, FactorKind::RecoveryCode, textOf(fresh->at(0)));
        QCOMPARE(usedUp.code(), Errc::InvalidArgument);
        QVERIFY2(usedUp.error().detail.contains(QStringLiteral("Every recovery code")),
                 qPrintable(usedUp.error().detail));
        CHECK_OK(loginTotp(*g, code(phone))); // the app still signs in

        // AUD-01, RC-03: issue and use are audited; no code appears in the log (AUD-03).
        const QStringList acts = actions(*g, admin);
        QVERIFY2(acts.filter(QStringLiteral("recovery")).size() >= 3, qPrintable(acts.join(QLatin1Char(' '))));
        auto events = g->audit().recentAudit(admin, 1000);
        CHECK_OK(events);
        for (const AuditEvent& ev : *events)
            for (const SecureBuffer& c : *codes) {
                QVERIFY(!ev.detail.contains(textOf(c)));
                QVERIFY(!ev.subject.contains(textOf(c)));
            }
    }

    // My security: rename, and remove with re-authentication; removing ends the other sessions that
    // used the factor.
    void factorsCanBeRenamedAndRemoved() {
        auto g = freshVault();
        QVERIFY(g);
        Session admin;
        Authenticator phone;
        QVERIFY(enrollAlice(*g, &admin, &phone));
        CHECK_OK(gh::test::newRecoveryCodes(g->factors(), admin));
        auto totpFactor = factor(*g, admin, FactorKind::Totp);
        QVERIFY(totpFactor);
        CHECK_OK(g->factors().renameFactor(admin, totpFactor->id, QStringLiteral("old phone")));
        const auto renamed = factor(*g, admin, FactorKind::Totp);
        QVERIFY(renamed);
        QCOMPARE(renamed->label, QStringLiteral("old phone"));
        CHECK_CODE(g->factors().renameFactor(admin, totpFactor->id + 1000, QStringLiteral("x")), Errc::FactorNotFound);
        CHECK_CODE(g->factors().removeFactor(admin, totpFactor->id + 1000, pw(kAlicePassword)), Errc::FactorNotFound);
        QVERIFY(!g->factors().removeFactor(admin, totpFactor->id, pw("not my password at all")).ok());
        QVERIFY(factor(*g, admin, FactorKind::Totp));
        auto other = loginTotp(*g, code(phone)); // e.g. the CLI in another terminal
        CHECK_OK(other);
        CHECK_OK(g->factors().removeFactor(admin, totpFactor->id, pw(kAlicePassword)));
        // Other sessions that used the removed factor have ended; the caller, who just
        // re-authenticated, keeps theirs.
        CHECK_CODE(g->login().validate(*other), Errc::SessionInvalid);
        CHECK_OK(g->login().validate(admin));
        QVERIFY(!factor(*g, admin, FactorKind::Totp));
        // Recovery codes back up a primary second factor; alone they do not make a login two-step,
        // so the administrator is back to a restricted session and must enroll again (AC-06).
        m_clock.advance(30);
        auto s = g->login().fullLogin(kAlice, pw(kAlicePassword), kClient);
        CHECK_OK(s);
        QCOMPARE(s->info.restriction, Restriction::EnrollSecondFactor);
        CHECK_CODE(g->accounts().listUsers(*s), Errc::NotPermitted);
        // A code from the removed authenticator proves nothing (it may be ignored, never counted).
        auto withOldCode = loginTotp(*g, code(phone));
        if (withOldCode) {
            QVERIFY(!withOldCode->info.factors.contains(FactorKind::Totp));
            QCOMPARE(withOldCode->info.aal, Aal::Aal1);
            QCOMPARE(withOldCode->info.restriction, Restriction::EnrollSecondFactor);
        }
    }

    // RC-01, ST-05, AUD-03: recovery codes are stored as salted Argon2id hashes, the seed lives only
    // inside the encrypted vault, and neither appears in the audit log or the raw file.
    void secretsAtRest() {
        auto g = freshVault();
        QVERIFY(g);
        Session admin;
        Authenticator phone;
        QVERIFY(enrollAlice(*g, &admin, &phone));
        auto codes = gh::test::newRecoveryCodes(g->factors(), admin);
        CHECK_OK(codes);
        CHECK_OK(loginWith(*g, FactorKind::RecoveryCode, textOf(codes->at(0))));
        const QString seedB32 = totp::base32Encode(phone.seed);
        const QByteArray seed(phone.seed.chars(), static_cast<qsizetype>(phone.seed.size()));
        g.reset();

        auto key = m_keys.read(Vault::keychainEntry(Vault::canonicalPath(m_path)));
        CHECK_OK(key);
        auto v = Vault::openWithKey(m_path, *key);
        CHECK_OK(v);
        auto hashes = v.value()->db().prepare("SELECT code_hash FROM recovery_codes");
        QVERIFY(hashes);
        QSet<QString> distinct;
        while (hashes->step()) {
            const QString h = hashes->text(0);
            QVERIFY2(h.startsWith(QLatin1String("$argon2id$")), qPrintable(h));
            for (const SecureBuffer& c : *codes)
                QVERIFY(!h.contains(textOf(c)));
            distinct.insert(h);
        }
        QCOMPARE(distinct.size(), recoverycodes::kCount); // salted: no two hashes alike
        auto dump =
            v.value()->db().prepare("SELECT group_concat(actor || action || subject || detail, '|') FROM audit");
        QVERIFY(dump && dump->step());
        const QString audit = dump->text(0);
        QVERIFY(!audit.contains(seedB32));
        for (const SecureBuffer& c : *codes)
            QVERIFY(!audit.contains(textOf(c)));
        v.value().reset();
        const QByteArray raw = test::vaultBytes(m_path);
        QVERIFY(!raw.contains(seed));
        QVERIFY(!raw.contains(seedB32.toLatin1()));
        QVERIFY(!raw.contains(textOf(codes->at(1)).toLatin1()));
    }

    // An account that holds no second factor and whose role does not need one logs in with the
    // password alone (AAL1); once it enrolls TOTP the second step is required. Other people's
    // factors are off limits without FactorsManageAny.
    void operatorOptsIn() {
        auto g = freshVault();
        QVERIFY(g);
        Session admin;
        Authenticator phone;
        QVERIFY(enrollAlice(*g, &admin, &phone));
        // A viewer: an operator reads other people's data and needs a second factor (issue 13).
        auto temp = g->accounts().addUser(admin, QStringLiteral("bob"), QStringLiteral("viewer"));
        CHECK_OK(temp);
        auto bob = g->login().fullLogin(QStringLiteral("bob"), *temp, kClient);
        CHECK_OK(bob);
        CHECK_OK(g->login().changePassword(*bob, *temp, pw("tangerine umbrella lighthouse")));
        auto plain = g->login().fullLogin(QStringLiteral("bob"), pw("tangerine umbrella lighthouse"), kClient);
        CHECK_OK(plain);
        QCOMPARE(plain->info.restriction, Restriction::None);
        QCOMPARE(plain->info.aal, Aal::Aal1);
        const auto bobAssurance = g->factors().assurance(*plain);
        CHECK_OK(bobAssurance);
        QVERIFY(!bobAssurance->mfaRequired);
        CHECK_CODE(g->factors().listFactors(*plain, kAlice), Errc::NotPermitted);
        CHECK_OK(g->factors().listFactors(admin, QStringLiteral("bob")));

        auto e = g->factors().beginTotpEnrollment(*plain, QStringLiteral("bob's phone"));
        CHECK_OK(e);
        Authenticator bobPhone;
        QVERIFY(scan(*e, &bobPhone));
        QVERIFY(bobPhone.seed.size() == phone.seed.size());
        QVERIFY(QByteArray(bobPhone.seed.chars(), 20) != QByteArray(phone.seed.chars(), 20));
        // Alice's session cannot confirm Bob's factor.
        QVERIFY(!g->factors().confirmTotp(admin, e->factorId, code(bobPhone)).ok());
        CHECK_OK(g->factors().confirmTotp(*plain, e->factorId, code(bobPhone)));
        QCOMPARE(plain->info.aal, Aal::Aal1); // held, not yet proven at a sign-in
        m_clock.advance(30);
        CHECK_CODE(g->login().fullLogin(QStringLiteral("bob"), pw("tangerine umbrella lighthouse"), kClient),
                   Errc::SecondFactorRequired);
        // Alice's code is not Bob's.
        const SecureBuffer aliceCode = buf(code(phone));
        QVERIFY(!g->login()
                     .fullLogin(QStringLiteral("bob"), pw("tangerine umbrella lighthouse"), kClient, FactorKind::Totp,
                                &aliceCode)
                     .ok());
        const SecureBuffer bobCode = buf(code(bobPhone));
        auto mfa = g->login().fullLogin(QStringLiteral("bob"), pw("tangerine umbrella lighthouse"), kClient,
                                        FactorKind::Totp, &bobCode);
        CHECK_OK(mfa);
        QCOMPARE(mfa->info.aal, Aal::Aal2);
        // Alice's replay state is her own: her current code still works after Bob used his.
        CHECK_OK(loginTotp(*g, code(phone)));
    }
};

QTEST_GUILESS_MAIN(TestMfaLogin)
#include "tst_mfalogin.moc"
