// Sign-in limits and freshness that hold on every path and under concurrency (issue 16), through
// the facade with an injected clock and randomness, the real libfido2 and the software
// authenticator. Each test names the SECURITY.md row it covers:
//   RL-01 the throttle counter under concurrency (two facades on one vault file, as two processes);
//   RL-02 the way out of the hard lock; RL-03 nothing but unlock and recovery resets the count;
//   RL-04 one normalisation for every throttle key; SES-03 no path renews the absolute deadline;
//   SES-04 no path renews freshness or raises the AAL without the full proof; AC-06 every
//   administrative method demands freshness; AC-02 own audit history by account id; OTP-04 and
//   FIDO-04 alerts reach the owner; OTP-05 a confirmation that lost a race fails cleanly.
#include "audit/diagnosis.h"
#include "crypto/passwordhash.h"
#include "crypto/primitives.h"
#include "fakes.h"
#include "gatehouse.h"
#include "newcodes.h"
#include "securitykey.h"
#include "softfido.h"
#include "verification/otpauth.h"
#include "verification/throttle.h"

#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QtTest>

#include <fido.h>

#include <atomic>
#include <functional>
#include <future>
#include <latch>
#include <map>
#include <optional>
#include <thread>

using namespace gh;
using gh::test::SoftFido;
using gh::test::SoftFidoOptions;
Q_DECLARE_METATYPE(gh::Errc)

namespace {
SecureBuffer pw(const char* s) {
    return SecureBuffer(s, std::strlen(s));
}
SecureBuffer buf(const QString& s) {
    return SecureBuffer::fromUtf8(s);
}
const char* const kAlicePassword = "correct horse battery staple";
const char* const kAliceNext = "a brand new passphrase for alice";
const char* const kBobPassword = "bob's own long passphrase here";
const QString kAlice = QStringLiteral("alice");
const QString kBob = QStringLiteral("bob");
const QString kClient = QStringLiteral("test");
constexpr qint64 kTwelveHours = 12 * 3600;

QString errText(const Error& e) {
    return QStringLiteral("%1 \"%2\" %3").arg(int(e.code)).arg(describe(e), e.detail);
}

template <class R> std::optional<Errc> codeOf(const R& r) {
    return r.ok() ? std::nullopt : std::optional<Errc>(r.code());
}

// Forwards to whichever key is "plugged in" now.
class Port final : public Fido2Transport {
public:
    Fido2Transport* key = nullptr;
    QList<Fido2DeviceInfo> devices() override { return key ? key->devices() : QList<Fido2DeviceInfo>{}; }
    int prepare(fido_dev_t* dev, const QString& path) override {
        return key ? key->prepare(dev, path) : FIDO_ERR_INTERNAL;
    }
};
// Issue 10 item 7 (argon2idNeverRunsUnderTheLock): called by passwordhash before each Argon2id run;
// a session check on another thread must get through the facade lock while the run waits.
struct LockProbe {
    Gatehouse* g = nullptr;
    const Session* probe = nullptr;
    int runs = 0;
    int blocked = 0;
    std::vector<std::future<bool>> checks; // collected after the operation (a blocked one waits)
    static void beforeRun(void* context) {
        auto* p = static_cast<LockProbe*>(context);
        ++p->runs;
        p->checks.push_back(std::async(std::launch::async, [p] { return p->g->login().validate(*p->probe).ok(); }));
        if (p->checks.back().wait_for(std::chrono::seconds(5)) != std::future_status::ready)
            ++p->blocked;
    }
};

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
        QVERIFY2(r_.ok(), qPrintable(r_.ok() ? QString() : errText(r_.error())));                                      \
    } while (0)

class TestLimits : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    test::MemoryKeyStore m_keys;
    test::SeededRandom m_random{16};
    test::FakeClock m_clock;
    Port m_port;
    // The client's half of every ceremony (client/securitykey.h), run here against the facade:
    // begin (facade) → the soft key through the real libfido2 → finish (facade).
    keys::SecurityKeys m_keyRunner{&m_port};
    Result<FactorInfo> enrollKey(Gatehouse& g, Session& s, const QString& path, const QString& name,
                                 const SecureBuffer* pin = nullptr) {
        return keys::runEnrollment(g.factors(), m_keyRunner, s, path, name, pin);
    }
    Result<Session> keyStep(Gatehouse& g, const QString& pendingId, const QString& path, const SecureBuffer* pin) {
        return keys::runAssertion(g.login(), m_keyRunner, pendingId, path, pin);
    }
    int m_counter = 0;
    QString m_path;
    std::optional<OtpauthKey> m_aliceKey;
    qint64 m_lastStep = -1;
    Argon2Params m_hashParams = Argon2Params::testing();

    Services services(RandomSource* random = nullptr) {
        Services s;
        s.clock = &m_clock;
        s.random = random ? random : &m_random;
        s.keys = &m_keys;
        s.hashParams = m_hashParams;
        s.kdfParams = Argon2Params::testing();
        return s;
    }
    std::unique_ptr<Gatehouse> freshVault() {
        m_path = m_dir.filePath(QStringLiteral("limits%1.db").arg(++m_counter));
        m_aliceKey.reset();
        m_lastStep = -1;
        auto g = std::make_unique<Gatehouse>(services());
        if (!g->createVault(m_path) || !g->accounts().createFirstAdmin(kAlice, pw(kAlicePassword)))
            return nullptr;
        return g;
    }
    // Another facade on the same vault file: its own SQLCipher connection, as another process has.
    std::unique_ptr<Gatehouse> second(RandomSource* random = nullptr) {
        auto g = std::make_unique<Gatehouse>(services(random));
        if (!g->openVault(m_path))
            return nullptr;
        return g;
    }
    // The next code of alice's authenticator app: each step is accepted once, so the clock moves
    // to the next step when this one was used (at most 30 s).
    QString aliceCode() {
        qint64 step = m_clock.nowSecs() / 30;
        if (step <= m_lastStep) {
            m_clock.advance((m_lastStep + 1) * 30 - m_clock.nowSecs());
            step = m_lastStep + 1;
        }
        m_lastStep = step;
        return totp::generate(m_aliceKey->secret, step * 30, m_aliceKey->params);
    }
    // A six-digit string that is no code near now.
    QString wrongCode() {
        QStringList near;
        for (int off = -10; off <= 10; ++off)
            near << totp::generate(m_aliceKey->secret, m_clock.nowSecs() + off * 30, m_aliceKey->params);
        for (int n = 123456;; n = (n + 111111) % 1000000) {
            const QString c = QStringLiteral("%1").arg(n, 6, 10, QLatin1Char('0'));
            if (!near.contains(c))
                return c;
        }
    }
    static bool scan(const TotpEnrollment& e, OtpauthKey* key) {
        return otpauth::parse(QString::fromLatin1(e.uri.chars(), static_cast<qsizetype>(e.uri.size())), key) ==
               OtpauthError::None;
    }
    // alice enrolls an authenticator app and steps up with it: a fresh AAL2 administrator session.
    Result<Session> enrolledAdmin(Gatehouse& g) {
        auto s = g.login().fullLogin(kAlice, pw(kAlicePassword), kClient);
        if (!s)
            return s.error();
        auto e = g.factors().beginTotpEnrollment(*s, QStringLiteral("phone"));
        if (!e)
            return e.error();
        OtpauthKey key;
        if (!scan(*e, &key))
            return Errc::Internal;
        m_aliceKey = std::move(key);
        if (Status c = g.factors().confirmTotp(*s, e->factorId, aliceCode()); !c)
            return c.error();
        const SecureBuffer code = buf(aliceCode());
        if (Status u = g.login().stepUp(*s, pw(kAlicePassword), FactorKind::Totp, &code); !u)
            return u.error();
        return s;
    }
    Result<Session> adminLogin(Gatehouse& g) {
        const SecureBuffer code = buf(aliceCode());
        return g.login().fullLogin(kAlice, pw(kAlicePassword), kClient, FactorKind::Totp, &code);
    }
    // A new account with its own password (the temporary one replaced), signed out.
    Status addAccount(Gatehouse& g, const Session& admin, const QString& name, const QString& role,
                      const char* password) {
        auto temp = g.accounts().addUser(admin, name, role);
        if (!temp)
            return temp.error();
        auto s = g.login().fullLogin(name, *temp, kClient);
        if (!s)
            return s.error();
        if (Status c = g.login().changePassword(*s, *temp, pw(password)); !c)
            return c;
        return g.login().logout(*s);
    }
    Result<Session> keyLogin(Gatehouse& g, const char* password = kAlicePassword) {
        auto step = g.login().beginLogin(kAlice, pw(password), kClient);
        if (!step)
            return step.error();
        if (step->complete)
            return Error{Errc::Internal, QStringLiteral("login did not ask for a second factor"), 0};
        return keyStep(g, step->pendingId, QString(), nullptr);
    }
    // Someone who does not know alice's password guesses until the hard lock, waiting out every
    // delay (about 23 hours on the injected clock).
    void guessUntilHardLock(Gatehouse& g, const QString& name) {
        for (int i = 0; i < throttle::kLockAt; ++i) {
            const auto r = g.login().fullLogin(name, pw("not the password"), QStringLiteral("attacker"));
            QVERIFY2(r.code() == Errc::AuthenticationFailed, qPrintable(errText(r.error())));
            m_clock.advance(throttle::delayAfter(i + 1));
        }
    }
    // A key that verifies its user itself (a fingerprint), as a passwordless sign-in needs.
    static SoftFidoOptions builtInUv() {
        SoftFidoOptions o;
        o.builtInUv = true;
        return o;
    }
    // A fresh vault in which alice has enrolled `key` (plugged in afterwards) as "fingerprint key".
    std::unique_ptr<Gatehouse> vaultWithKey(SoftFido& key) {
        auto g = freshVault();
        if (!g)
            return nullptr;
        auto restricted = g->login().fullLogin(kAlice, pw(kAlicePassword), kClient);
        m_port.key = &key;
        if (!restricted || !enrollKey(*g, *restricted, QString(), QStringLiteral("fingerprint key")))
            return nullptr;
        return g;
    }
    static QStringList actions(Gatehouse& g, const Session& admin) {
        QStringList out;
        auto events = g.audit().recentAudit(admin, 2000);
        if (events)
            for (const AuditEvent& e : *events)
                out.prepend(e.action);
        return out;
    }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(crypto::initialise());
        QVERIFY(totp::initialise());
    }
    void init() {
        m_port.key = nullptr;
        m_hashParams = Argon2Params::testing();
        m_clock.advance(3600);
    }

    // RL-01 (the high defect of issue 16): one process signs in with the right password in a loop
    // while another retries wrong codes on one pending login. Every attempt is charged before it is
    // verified; a refund must take back only its own charge, so the guesser gets no more verified
    // guesses than the policy allows (failures 1…5 are verified, then the account waits).
    void RL01_refundRaceTwoFacades() {
        m_hashParams = {1, 64u << 20}; // a password verification takes tens of ms: the race window
        {
            auto g = freshVault();
            QVERIFY(g);
            CHECK_OK(enrolledAdmin(*g));
        }
        test::SeededRandom randomA{101}, randomB{202};
        auto owner = second(&randomA);
        auto guesser = second(&randomB);
        QVERIFY(owner && guesser);
        auto pending = guesser->login().beginLogin(kAlice, pw(kAlicePassword), QStringLiteral("guesser"));
        CHECK_OK(pending);
        QVERIFY(!pending->complete);
        const SecureBuffer wrong = buf(wrongCode());

        // The guesser types its codes while a sign-in of the owner is being verified (the window
        // between its charge and its refund): after the owner's call started and until it returns.
        std::atomic<bool> done{false};
        std::atomic<bool> inCall{false};
        std::atomic<int> round{0};
        int ownerLogins = 0;
        std::thread loop([&] {
            for (int i = 0; i < 40; ++i) {
                inCall = true;
                ++round;
                auto step = owner->login().beginLogin(kAlice, pw(kAlicePassword), QStringLiteral("owner"));
                inCall = false;
                if (step) {
                    ++ownerLogins;
                    owner->login().cancelLogin(step->pendingId);
                }
                std::this_thread::sleep_for(std::chrono::milliseconds(1));
            }
            done = true;
        });
        int verified = 0, refused = 0, other = 0, seen = 0;
        while (!done.load()) {
            if (!inCall.load() || round.load() == seen) {
                std::this_thread::sleep_for(std::chrono::microseconds(200));
                continue;
            }
            seen = round.load();
            std::this_thread::sleep_for(std::chrono::milliseconds(20)); // the owner's charge is in
            while (inCall.load()) {
                const auto r = guesser->login().completeLogin(pending->pendingId, FactorKind::Totp, wrong);
                if (r.code() == Errc::CodeWrong)
                    ++verified;
                else if (r.code() == Errc::Throttled || r.code() == Errc::LockedOut)
                    ++refused;
                else
                    ++other;
                std::this_thread::sleep_for(std::chrono::milliseconds(2));
            }
        }
        loop.join();
        qInfo("owner signed in %d times; guesser: %d guesses verified, %d refused, %d other", ownerLogins, verified,
              refused, other);
        QCOMPARE(other, 0);
        QVERIFY2(verified <= throttle::kFreeFailures + 1,
                 qPrintable(QStringLiteral("%1 wrong codes were verified; the policy allows %2")
                                .arg(verified)
                                .arg(throttle::kFreeFailures + 1)));
    }

    // RL-02 (the "Done when" case): the sole administrator, hard-locked by someone else's guessing,
    // signs in with her password and a recovery code; that is audited and resets the counter. The
    // locked path is no password oracle: a wrong password with a right code is refused alike.
    void RL02_hardLockedAdminRecoversWithPasswordAndRecoveryCode() {
        auto g = freshVault();
        QVERIFY(g);
        auto admin = enrolledAdmin(*g);
        CHECK_OK(admin);
        auto codes = gh::test::newRecoveryCodes(g->factors(), *admin);
        CHECK_OK(codes);
        CHECK_OK(g->login().logout(*admin));
        guessUntilHardLock(*g, kAlice);
        // The password and the app's code: locked.
        {
            const SecureBuffer code = buf(aliceCode());
            CHECK_CODE(g->login().fullLogin(kAlice, pw(kAlicePassword), kClient, FactorKind::Totp, &code),
                       Errc::LockedOut);
        }
        // A wrong password with a right recovery code, or the right password with a wrong code:
        // refused the same way, and the code is not spent.
        const SecureBuffer first = codes->at(0).clone();
        CHECK_CODE(g->login().fullLogin(kAlice, pw("not the password"), kClient, FactorKind::RecoveryCode, &first),
                   Errc::LockedOut);
        const SecureBuffer bogus = buf(QStringLiteral("AAAA-AAAA-AAAA-AAAA"));
        CHECK_CODE(g->login().fullLogin(kAlice, pw(kAlicePassword), kClient, FactorKind::RecoveryCode, &bogus),
                   Errc::LockedOut);
        // Password + recovery code: in.
        auto in = g->login().fullLogin(kAlice, pw(kAlicePassword), kClient, FactorKind::RecoveryCode, &first);
        CHECK_OK(in);
        QCOMPARE(in->info.aal, Aal::Aal2);
        QVERIFY2(!in->info.noticeForUser.isEmpty(), "the owner is told");
        QVERIFY(actions(*g, *in).contains(QStringLiteral("login.lock_recovered")));
        // The counter is reset: a wrong password is a plain failure, and the app works again.
        CHECK_CODE(g->login().fullLogin(kAlice, pw("not the password"), kClient), Errc::AuthenticationFailed);
        CHECK_OK(adminLogin(*g));
        // The spent code is spent.
        CHECK_CODE(g->login().fullLogin(kAlice, pw(kAlicePassword), kClient, FactorKind::RecoveryCode, &first),
                   Errc::CodeWrong);
    }

    // RL-02, ATK-04: a security key that verifies the user (UV) with the password also opens the
    // hard lock; a key without UV does not.
    void RL02_hardLockedOwnerRecoversWithUvKey() {
        SoftFido key(builtInUv());
        SoftFido plainKey;
        auto g = vaultWithKey(key);
        QVERIFY(g);
        auto aal3 = keyLogin(*g);
        CHECK_OK(aal3);
        m_port.key = &plainKey;
        CHECK_OK(enrollKey(*g, *aal3, QString(), QStringLiteral("plain key")));
        guessUntilHardLock(*g, kAlice);
        m_port.key = &plainKey;
        CHECK_CODE(keyLogin(*g), Errc::LockedOut);
        m_port.key = &key;
        CHECK_CODE(keyLogin(*g, "not the password"), Errc::LockedOut);
        auto in = keyLogin(*g);
        CHECK_OK(in);
        QCOMPARE(in->info.aal, Aal::Aal3);
        QVERIFY(actions(*g, *in).contains(QStringLiteral("login.lock_recovered")));
        CHECK_CODE(g->login().fullLogin(kAlice, pw("not the password"), kClient), Errc::AuthenticationFailed);
    }

    // ATK-04 (issue 13 item 3): locking out is no weapon. alice's password path is throttled by
    // someone else's guesses; she signs in without the password with her security key that
    // verifies her (built-in UV; a PIN key with its PIN) at AAL3, the audit says so, and the
    // password stays throttled. A key without UV, a wrong PIN and an unknown name are refused; a
    // key answer that fails verification is not charged to anything.
    void ATK04_throttledOwnerSignsInWithUvKey() {
        SoftFido fingerprint(builtInUv());
        SoftFido plainKey(SoftFidoOptions{}, QStringLiteral("softfido:plain"));
        SoftFidoOptions pinOptions;
        pinOptions.pinSet = true;
        SoftFido pinKey(pinOptions, QStringLiteral("softfido:pin"));
        auto g = vaultWithKey(fingerprint);
        QVERIFY(g);
        auto aal3 = keyLogin(*g);
        CHECK_OK(aal3);
        m_port.key = &plainKey;
        CHECK_OK(enrollKey(*g, *aal3, QString(), QStringLiteral("plain key")));
        m_port.key = &pinKey;
        const SecureBuffer rightPin = pw("1234");
        CHECK_OK(enrollKey(*g, *aal3, QString(), QStringLiteral("pin key"), &rightPin));
        CHECK_OK(addAccount(*g, *aal3, kBob, QString(), kBobPassword)); // bob has no key
        CHECK_OK(g->login().logout(*aal3));

        // Someone else guesses: from the fifth failure the password path waits.
        for (int i = 0; i < 6; ++i)
            (void)g->login().fullLogin(kAlice, pw("not the password"), QStringLiteral("attacker"));
        const auto refused = g->login().fullLogin(kAlice, pw(kAlicePassword), kClient);
        CHECK_CODE(refused, Errc::Throttled);

        const auto passwordless = [&](const QString& name, const SecureBuffer* pin) -> Result<Session> {
            auto pending = g->login().beginKeyLogin(name, kClient);
            if (!pending)
                return pending.error();
            return keyStep(*g, pending->pendingId, QString(), pin);
        };
        // The key with built-in UV: AAL3, no password, unrestricted.
        m_port.key = &fingerprint;
        auto in = passwordless(kAlice, nullptr);
        CHECK_OK(in);
        QCOMPARE(in->info.aal, Aal::Aal3);
        QVERIFY(in->info.factors.contains(FactorKind::SecurityKeyUv));
        QVERIFY(!in->info.factors.contains(FactorKind::Password));
        QVERIFY(!in->info.restricted);
        QVERIFY2(in->info.noticeForUser.contains(QStringLiteral("security key signed you in")),
                 qPrintable(in->info.noticeForUser));
        AuditQuery q;
        q.action = QStringLiteral("login.passwordless");
        auto page = g->audit().queryAudit(*in, q);
        CHECK_OK(page);
        QCOMPARE(page->events.size(), 1);
        const AuditEvent& e = page->events.first();
        QCOMPARE(e.outcome, Outcome::Allowed);
        QCOMPARE(e.layer, Layer::Verification);
        QVERIFY2(e.detail.contains(QStringLiteral("while the password path is throttled")), qPrintable(e.detail));
        const Diagnosis dx = diagnose(e); // the diagnosis says what it means (issue 13 item 7)
        QCOMPARE(dx.layer, Layer::Verification);
        QVERIFY2(dx.title.contains(QStringLiteral("while the password was blocked")), qPrintable(dx.title));
        // The password's count is what the guesses made it: still throttled.
        CHECK_CODE(g->login().fullLogin(kAlice, pw(kAlicePassword), kClient), Errc::Throttled);

        // A key that does not verify its user cannot sign in without the password.
        m_port.key = &plainKey;
        const auto noUv = passwordless(kAlice, nullptr);
        QVERIFY2(!noUv, "a key without user verification signed in without the password");
        QVERIFY2(describe(noUv.error()).contains(QStringLiteral("no PIN or fingerprint")),
                 qPrintable(errText(noUv.error())));
        // A PIN key: the PIN is asked for, a wrong one refused, the right one signs in.
        m_port.key = &pinKey;
        CHECK_CODE(passwordless(kAlice, nullptr), Errc::KeyPinRequired);
        const SecureBuffer wrongPin = pw("9999");
        CHECK_CODE(passwordless(kAlice, &wrongPin), Errc::KeyPinWrong);
        auto withPin = passwordless(kAlice, &rightPin);
        CHECK_OK(withPin);
        QCOMPARE(withPin->info.aal, Aal::Aal3);
        // An unknown name reads like a key it does not know (RL-04).
        m_port.key = &fingerprint;
        CHECK_CODE(passwordless(QStringLiteral("mallory"), nullptr), Errc::KeyNotRegistered);
        CHECK_CODE(passwordless(kBob, nullptr), Errc::KeyNotRegistered);

        // Answers that fail verification are not charged: a signature is no guess (red team, issue 13).
        fingerprint.options().corruptSignature = true;
        for (int i = 0; i < 8; ++i) {
            const auto bad = passwordless(kAlice, nullptr);
            QVERIFY(!bad);
            QVERIFY2(bad.code() != Errc::Throttled && bad.code() != Errc::LockedOut, qPrintable(errText(bad.error())));
        }
        fingerprint.options().corruptSignature = false;
        CHECK_OK(passwordless(kAlice, nullptr));
    }

    // ATK-04, red team of issue 13: without key or password, a third party sends made-up answers
    // to the passwordless key step (any client of the service can: the answer comes over D-Bus).
    // They must neither throttle nor lock the owner's key, however many and however spread in time;
    // repeats are folded in the audit log; and the key request does not tell a name with a key from
    // one without (RL-04).
    void ATK04_forgedKeyAnswersNeverLockTheOwnersKey() {
        SoftFido fingerprint(builtInUv());
        auto g = vaultWithKey(fingerprint);
        QVERIFY(g);
        auto admin = keyLogin(*g);
        CHECK_OK(admin);
        CHECK_OK(addAccount(*g, *admin, kBob, QString(), kBobPassword)); // bob has no key

        // What the request reveals: every name is asked for the same number of ids, the same ones
        // each time; alice's holds her real one among stand-ins (red team: the count told).
        const auto request = [&](const QString& name) -> QList<QByteArray> {
            auto pending = g->login().beginKeyLogin(name, QStringLiteral("attacker"));
            if (!pending)
                return {};
            auto r = g->login().beginSecurityKeyAssertion(pending->pendingId);
            return r ? r->allowCredentials : QList<QByteArray>{};
        };
        const QList<QByteArray> alices = request(kAlice);
        QCOMPARE(alices.size(), Gatehouse::kOfferedKeyIds);
        QCOMPARE(request(kAlice), alices);
        for (const QString& name : {kBob, QStringLiteral("mallory")}) {
            const QList<QByteArray> ids = request(name);
            QCOMPARE(ids.size(), Gatehouse::kOfferedKeyIds);
            QCOMPARE(request(name), ids);
            for (const QByteArray& id : ids)
                QCOMPARE(id.size(), alices.first().size()); // the vault's one key length
        }
        QVERIFY(request(kBob) != request(QStringLiteral("mallory")));
        // alice's real id: the one her key signs with.
        QByteArray real;
        {
            auto pending = g->login().beginKeyLogin(kAlice, kClient);
            CHECK_OK(pending);
            auto r = g->login().beginSecurityKeyAssertion(pending->pendingId);
            CHECK_OK(r);
            auto signedByKey = m_keyRunner.getAssertion(QString(), *r, nullptr);
            CHECK_OK(signedByKey);
            real = signedByKey->credentialId;
            QVERIFY(alices.contains(real));
            QVERIFY(g->login()
                        .abortSecurityKeyAssertion(pending->pendingId, r->ceremonyId, Error{Errc::KeyCancelled, {}, 0})
                        .code == Errc::KeyCancelled);
        }
        // A made-up answer gets one reply whatever failed: the id is no key's, or it is alice's and
        // the signature is wrong (red team: KeyRejected vs KeyNotRegistered told who has a key).
        const auto forgeFor = [&](const QString& name, const QByteArray& credentialId) -> Error {
            auto pending = g->login().beginKeyLogin(name, QStringLiteral("attacker"));
            if (!pending)
                return pending.error();
            auto r = g->login().beginSecurityKeyAssertion(pending->pendingId);
            if (!r)
                return r.error();
            KeyAssertion junk;
            junk.credentialId = credentialId.isEmpty() ? r->allowCredentials.first() : credentialId;
            junk.authData = QByteArray::fromHex("5825") + QByteArray(37, '\x01'); // a 37-byte CBOR byte string
            junk.signature = QByteArray(70, '\x02');
            junk.clientDataHash = r->clientDataHash;
            auto done = g->login().completeLoginWithKeyAssertion(pending->pendingId, r->ceremonyId, junk);
            return done ? Error{Errc::Internal, QStringLiteral("a made-up answer signed in"), 0} : done.error();
        };
        const Error withRealId = forgeFor(kAlice, real);
        QCOMPARE(withRealId.code, Errc::KeyNotRegistered);
        for (const QString& name : {kBob, QStringLiteral("mallory")}) {
            const Error e = forgeFor(name, QByteArray());
            QCOMPARE(e.code, withRealId.code);
            QCOMPARE(describe(e), describe(withRealId));
        }

        // 150 made-up answers for alice, a minute apart (past every throttle delay that is not a lock).
        for (int i = 0; i < 150; ++i) {
            // Half name a credential nobody has, half alice's own (then the signature is what fails).
            const Error e = forgeFor(kAlice, i % 2 ? QByteArray(32, char(i)) : real);
            QCOMPARE(e.code, Errc::KeyNotRegistered);
            if (i % 10 == 9)
                m_clock.advance(60);
        }
        // Made-up answers for 100 made-up names within a minute fold into one row for the source,
        // not one per name (red team: 200 names were 200 durable audit rows a minute).
        for (int i = 0; i < 100; ++i)
            QCOMPARE(forgeFor(QStringLiteral("nobody%1").arg(i), QByteArray()).code, Errc::KeyNotRegistered);
        // An answer built to make the CBOR parser allocate gigabytes (an array header claiming 2^32
        // elements) is refused before it is parsed (red team: 32 s and 4 GB per call).
        {
            auto pending = g->login().beginKeyLogin(kAlice, QStringLiteral("attacker"));
            CHECK_OK(pending);
            auto r = g->login().beginSecurityKeyAssertion(pending->pendingId);
            CHECK_OK(r);
            KeyAssertion bomb;
            bomb.credentialId = real;
            bomb.authData = QByteArray::fromHex("9affffffff") + QByteArray(40, '\0');
            bomb.signature = QByteArray(70, '\x02');
            bomb.clientDataHash = r->clientDataHash;
            CHECK_CODE(g->login().completeLoginWithKeyAssertion(pending->pendingId, r->ceremonyId, bomb),
                       Errc::KeyNotRegistered);
        }
        // Repeated aborts with made-up device errors fold too.
        for (int i = 0; i < 20; ++i) {
            auto pending = g->login().beginKeyLogin(kAlice, QStringLiteral("attacker"));
            CHECK_OK(pending);
            auto r = g->login().beginSecurityKeyAssertion(pending->pendingId);
            CHECK_OK(r);
            (void)g->login().abortSecurityKeyAssertion(pending->pendingId, r->ceremonyId,
                                                       Error{Errc::KeyDenied, QStringLiteral("made up %1").arg(i), 0});
        }
        // alice signs in with her key at once: AAL3.
        auto pending = g->login().beginKeyLogin(kAlice, kClient);
        CHECK_OK(pending);
        auto in = keyStep(*g, pending->pendingId, QString(), nullptr);
        CHECK_OK(in);
        QCOMPARE(in->info.aal, Aal::Aal3);
        // Her password was never touched either.
        CHECK_OK(keyLogin(*g));
        // The record: the failures are there, folded per source and name (one row a minute, not 150).
        AuditQuery q;
        q.action = QStringLiteral("login.failed");
        q.limit = 1000;
        auto page = g->audit().queryAudit(*in, q);
        CHECK_OK(page);
        int forged = 0;
        for (const AuditEvent& e : page->events)
            if (e.detail.startsWith(QStringLiteral("passwordless:")))
                ++forged;
        QVERIFY2(forged >= 15 && forged <= 30, qPrintable(QString::number(forged)));
        int unknownNames = 0;
        for (const AuditEvent& e : page->events)
            unknownNames += e.detail.contains(QStringLiteral("no such account")) ? 1 : 0;
        QVERIFY2(unknownNames >= 1 && unknownNames <= 3, qPrintable(QString::number(unknownNames)));
        q.action = QStringLiteral("fido2.login_failed");
        auto faults = g->audit().queryAudit(*in, q);
        CHECK_OK(faults);
        QVERIFY2(faults->events.size() <= 3, qPrintable(QString::number(faults->events.size())));
        QVERIFY(!actions(*g, *in).contains(QStringLiteral("login.throttled")));
        QVERIFY(!actions(*g, *in).contains(QStringLiteral("login.locked")));
    }

    // ATK-04 with RL-02: the hard lock shuts the password path for everyone, not the key's owner.
    void ATK04_hardLockedOwnerSignsInWithoutPassword() {
        SoftFido fingerprint(builtInUv());
        auto g = vaultWithKey(fingerprint);
        QVERIFY(g);
        guessUntilHardLock(*g, kAlice);
        CHECK_CODE(g->login().fullLogin(kAlice, pw(kAlicePassword), kClient), Errc::LockedOut);
        auto pending = g->login().beginKeyLogin(kAlice, kClient);
        CHECK_OK(pending);
        auto in = keyStep(*g, pending->pendingId, QString(), nullptr);
        CHECK_OK(in);
        QCOMPARE(in->info.aal, Aal::Aal3);
        AuditQuery q;
        q.action = QStringLiteral("login.passwordless");
        auto page = g->audit().queryAudit(*in, q);
        CHECK_OK(page);
        QCOMPARE(page->events.size(), 1);
        QVERIFY2(page->events.first().detail.contains(QStringLiteral("hard-locked")),
                 qPrintable(page->events.first().detail));
        // Signing in with the key does not lift the lock: that takes the password too (RL-02).
        CHECK_CODE(g->login().fullLogin(kAlice, pw(kAlicePassword), kClient), Errc::LockedOut);
    }

    // RL-03: enrolling a factor or changing the password does not reset the failure count; only a
    // correct credential takes back its own charge.
    void RL03_enrollmentAndPasswordChangeDoNotResetTheCount() {
        auto g = freshVault();
        QVERIFY(g);
        auto admin = enrolledAdmin(*g);
        CHECK_OK(admin);
        CHECK_OK(addAccount(*g, *admin, kBob, QStringLiteral("operator"), kBobPassword));
        CHECK_OK(addAccount(*g, *admin, QStringLiteral("dave"), QStringLiteral("operator"), kBobPassword));
        // bob's session is held by someone who does not know his password.
        auto bob = g->login().fullLogin(kBob, pw(kBobPassword), kClient);
        CHECK_OK(bob);
        for (int i = 0; i < 4; ++i)
            CHECK_CODE(g->login().changePassword(*bob, pw("guess"), pw("a new passphrase they want")),
                       Errc::AuthenticationFailed);
        auto e = g->factors().beginTotpEnrollment(*bob, QStringLiteral("their phone"));
        CHECK_OK(e);
        OtpauthKey key;
        QVERIFY(scan(*e, &key));
        CHECK_OK(
            g->factors().confirmTotp(*bob, e->factorId, totp::generate(key.secret, m_clock.nowSecs(), key.params)));
        CHECK_CODE(g->login().changePassword(*bob, pw("guess"), pw("a new passphrase they want")),
                   Errc::AuthenticationFailed);
        // Five failures: the next guess waits, whatever was enrolled in between.
        CHECK_CODE(g->login().changePassword(*bob, pw("guess"), pw("a new passphrase they want")), Errc::Throttled);

        // A successful password change takes back its own charge only.
        auto dave = g->login().fullLogin(QStringLiteral("dave"), pw(kBobPassword), kClient);
        CHECK_OK(dave);
        for (int i = 0; i < 4; ++i)
            CHECK_CODE(g->login().changePassword(*dave, pw("guess"), pw("another new passphrase")),
                       Errc::AuthenticationFailed);
        CHECK_OK(g->login().changePassword(*dave, pw(kBobPassword), pw("dave's second passphrase")));
        CHECK_CODE(g->login().changePassword(*dave, pw("guess"), pw("another new passphrase")),
                   Errc::AuthenticationFailed);
        CHECK_CODE(g->login().changePassword(*dave, pw("guess"), pw("another new passphrase")), Errc::Throttled);
    }

    // RL-04: every throttle key is NFKC, trimmed and case-folded, for known and unknown names
    // alike, so the answer to a variant does not tell whether the account exists.
    void RL04_oneNormalisationForEveryThrottleKey_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("variant");
        QTest::newRow("known, full-width") << kAlice << QStringLiteral("ａｌｉｃｅ");
        QTest::newRow("unknown, full-width") << QStringLiteral("mallory") << QStringLiteral("ｍａｌｌｏｒｙ");
        QTest::newRow("unknown, spaces and case") << QStringLiteral("mallory") << QStringLiteral("  MALLORY ");
        QTest::newRow("unknown, case-folded ß") << QStringLiteral("straße") << QStringLiteral("STRASSE");
        QTest::newRow("unknown, case-folded final sigma") << QStringLiteral("οδυσσευς") << QStringLiteral("ΟΔΥΣΣΕΥΣ");
    }
    void RL04_oneNormalisationForEveryThrottleKey() {
        QFETCH(QString, name);
        QFETCH(QString, variant);
        auto g = freshVault();
        QVERIFY(g);
        for (int i = 0; i < 5; ++i)
            CHECK_CODE(g->login().fullLogin(name, pw("wrong"), kClient), Errc::AuthenticationFailed);
        const auto r = g->login().fullLogin(variant, pw("wrong"), kClient);
        CHECK_CODE(r, Errc::Throttled);
        QCOMPARE(exitCodeOf(r.code()), 5);
    }

    // SES-03, SES-04: changing the password, confirming an authenticator app, enrolling a key and
    // stepping up re-issue the session (a new secret) but never move its absolute deadline; only
    // the step-up (the full proof) renews freshness; none raises the AAL beyond what was proven.
    void SES03_SES04_noPathRenewsTheDeadlines_data() {
        QTest::addColumn<QString>("path");
        QTest::newRow("changePassword") << QStringLiteral("changePassword");
        QTest::newRow("confirmTotp") << QStringLiteral("confirmTotp");
        QTest::newRow("enrollSecurityKey") << QStringLiteral("enrollSecurityKey");
        QTest::newRow("stepUp") << QStringLiteral("stepUp");
    }
    void SES03_SES04_noPathRenewsTheDeadlines() {
        QFETCH(QString, path);
        SoftFido key;
        m_port.key = &key;
        auto g = freshVault();
        QVERIFY(g);
        auto admin = enrolledAdmin(*g);
        CHECK_OK(admin);
        CHECK_OK(addAccount(*g, *admin, kBob, QStringLiteral("operator"), kBobPassword));
        auto s = g->login().fullLogin(kBob, pw(kBobPassword), kClient); // AAL1, unrestricted
        CHECK_OK(s);
        QCOMPARE(s->info.aal, Aal::Aal1);
        const QString firstId = s->info.id;
        std::optional<TotpEnrollment> enrollment;
        if (path == QLatin1String("confirmTotp")) {
            auto e = g->factors().beginTotpEnrollment(*s, QStringLiteral("phone"));
            CHECK_OK(e);
            enrollment = std::move(e.value());
        }
        m_clock.advance(4 * 60);
        if (path == QLatin1String("changePassword")) {
            CHECK_OK(g->login().changePassword(*s, pw(kBobPassword), pw("bob's second passphrase, longer")));
        } else if (path == QLatin1String("confirmTotp")) {
            OtpauthKey k;
            QVERIFY(scan(*enrollment, &k));
            CHECK_OK(g->factors().confirmTotp(*s, enrollment->factorId,
                                              totp::generate(k.secret, m_clock.nowSecs(), k.params)));
        } else if (path == QLatin1String("enrollSecurityKey")) {
            CHECK_OK(enrollKey(*g, *s, QString(), QStringLiteral("key")));
        } else {
            CHECK_OK(g->login().stepUp(*s, pw(kBobPassword)));
        }
        QVERIFY(s->info.id != firstId); // re-issued: a new secret (SES-01)
        auto info = g->login().validate(*s);
        CHECK_OK(info);
        QCOMPARE(info->absoluteLeftSecs, kTwelveHours - 4 * 60);
        QCOMPARE(info->aal, Aal::Aal1);
        QCOMPARE(info->freshLeftSecs, path == QLatin1String("stepUp") ? qint64(5 * 60) : qint64(60));
        // The session ends 12 hours after the sign-in, whatever happened in between.
        qint64 left = info->absoluteLeftSecs;
        for (; left > 20 * 60; left -= 20 * 60) {
            m_clock.advance(20 * 60);
            CHECK_OK(g->login().touch(*s));
        }
        m_clock.advance(left);
        auto over = g->login().validate(*s);
        CHECK_CODE(over, Errc::SessionInvalid);
        QCOMPARE(over.error().detail, QStringLiteral("absolute lifetime"));
    }

    // SES-04 (the reproduction of issue 16): at 11 h 50 min a role change asks to confirm it's you
    // and the password alone does not step up; changing the password must not open that door, nor
    // carry the session past 12 hours.
    void SES04_passwordChangeAtElevenFiftyIsNoStepUp() {
        auto g = freshVault();
        QVERIFY(g);
        auto admin = enrolledAdmin(*g);
        CHECK_OK(admin);
        CHECK_OK(addAccount(*g, *admin, kBob, QStringLiteral("viewer"), kBobPassword));
        for (qint64 t = 0; t < kTwelveHours - 10 * 60; t += 20 * 60) {
            m_clock.advance(std::min<qint64>(20 * 60, kTwelveHours - 10 * 60 - t));
            CHECK_OK(g->login().touch(*admin));
        }
        CHECK_CODE(g->roles().assignRole(*admin, kBob, QStringLiteral("operator")), Errc::StepUpRequired);
        CHECK_CODE(g->login().stepUp(*admin, pw(kAlicePassword)), Errc::SecondFactorRequired);
        (void)g->login().changePassword(*admin, pw(kAlicePassword), pw(kAliceNext));
        CHECK_CODE(g->roles().assignRole(*admin, kBob, QStringLiteral("operator")), Errc::StepUpRequired);
        auto info = g->login().validate(*admin);
        CHECK_OK(info);
        QVERIFY2(info->absoluteLeftSecs <= 10 * 60, qPrintable(QString::number(info->absoluteLeftSecs)));
        m_clock.advance(10 * 60);
        CHECK_CODE(g->login().validate(*admin), Errc::SessionInvalid);
    }

    // SES-04: a factor that the session enrolled is recorded as held, but the session's AAL stays
    // what its sign-in proved (a password-only session does not become AAL2 or AAL3).
    void SES04_enrollingDoesNotRaiseTheAal_data() {
        QTest::addColumn<bool>("securityKey");
        QTest::newRow("authenticator app") << false;
        QTest::newRow("security key") << true;
    }
    void SES04_enrollingDoesNotRaiseTheAal() {
        QFETCH(bool, securityKey);
        SoftFido key;
        m_port.key = &key;
        auto g = freshVault();
        QVERIFY(g);
        auto s = g->login().fullLogin(kAlice, pw(kAlicePassword), kClient);
        CHECK_OK(s);
        QCOMPARE(s->info.restriction, Restriction::EnrollSecondFactor);
        if (securityKey) {
            CHECK_OK(enrollKey(*g, *s, QString(), QStringLiteral("key")));
        } else {
            auto e = g->factors().beginTotpEnrollment(*s, QStringLiteral("phone"));
            CHECK_OK(e);
            OtpauthKey k;
            QVERIFY(scan(*e, &k));
            m_aliceKey = std::move(k);
            CHECK_OK(g->factors().confirmTotp(*s, e->factorId, aliceCode()));
        }
        QCOMPARE(s->info.aal, Aal::Aal1);
        auto info = g->login().validate(*s);
        CHECK_OK(info);
        QCOMPARE(info->aal, Aal::Aal1);
        // Administrative functions need the proof: a step-up (or a new sign-in) with the new factor.
        const auto denied = g->accounts().addUser(*s, kBob, QString());
        QVERIFY2(!denied.ok() && (denied.code() == Errc::NotPermitted || denied.code() == Errc::StepUpRequired),
                 qPrintable(denied.ok() ? QStringLiteral("success") : errText(denied.error())));
    }

    // AC-06, SES-04: every administrative facade method, and every change of the caller's own
    // password or factors, demands a fresh session (a sign-in or step-up within 5 minutes). Each
    // row is one method; the test fails when one of them goes through on a stale session.
    void AC06_everyAdministrativeMethodNeedsFreshness_data() {
        QTest::addColumn<int>("row");
        for (int i = 0; i < static_cast<int>(adminMethods().size()); ++i)
            QTest::newRow(qPrintable(adminMethods()[static_cast<std::size_t>(i)].name)) << i;
    }
    void AC06_everyAdministrativeMethodNeedsFreshness() {
        QFETCH(int, row);
        const AdminMethod& method = adminMethods()[static_cast<std::size_t>(row)];
        SoftFido key;
        m_port.key = &key;
        auto g = freshVault();
        QVERIFY(g);
        Fixture f;
        auto admin = enrolledAdmin(*g);
        CHECK_OK(admin);
        CHECK_OK(addAccount(*g, *admin, kBob, QStringLiteral("operator"), kBobPassword));
        CHECK_OK(addAccount(*g, *admin, QStringLiteral("carol"), QStringLiteral("viewer"), kBobPassword));
        CHECK_OK(g->roles().createRole(*admin, QStringLiteral("auditor"), {QStringLiteral("audit.read")}));
        CHECK_OK(g->roles().createRole(*admin, QStringLiteral("spare"), {QStringLiteral("status.read")}));
        CHECK_OK(g->accounts().setUserEnabled(*admin, QStringLiteral("carol"), false));
        auto codes = gh::test::newRecoveryCodes(g->factors(), *admin);
        CHECK_OK(codes);
        auto bob = g->login().fullLogin(kBob, pw(kBobPassword), kClient);
        CHECK_OK(bob);
        f.bobSession = bob->info.id;
        auto other = adminLogin(*g);
        CHECK_OK(other);
        f.aliceOther = other->info.id;
        auto e = g->factors().beginTotpEnrollment(*admin, QStringLiteral("second phone"));
        CHECK_OK(e);
        f.pending = e->factorId;
        OtpauthKey k;
        QVERIFY(scan(*e, &k));
        f.pendingKey = std::move(k);
        auto list = g->factors().listFactors(*admin);
        CHECK_OK(list);
        for (const FactorInfo& fi : *list)
            if (fi.kind == FactorKind::RecoveryCode)
                f.recoveryFactor = fi.id;
        QVERIFY(f.recoveryFactor != 0);
        // Freshness over (the session itself is alive: the idle limit is 30 minutes).
        m_clock.advance(Gatehouse::kStepUpWindowSecs + 1);
        f.now = m_clock.nowSecs();
        CHECK_OK(g->login().touch(*admin));
        const auto stale = method.call(*g, *admin, f);
        QVERIFY2(
            stale == Errc::StepUpRequired,
            qPrintable(QStringLiteral("%1 on a stale session: %2")
                           .arg(method.name, stale ? errText(Error{*stale, {}, 0}) : QStringLiteral("went through"))));
        // The control: after a step-up the same call is not refused for freshness.
        const SecureBuffer code = buf(aliceCode());
        CHECK_OK(g->login().stepUp(*admin, pw(kAlicePassword), FactorKind::Totp, &code));
        f.now = m_clock.nowSecs();
        const auto fresh = method.call(*g, *admin, f);
        QVERIFY2(!fresh,
                 qPrintable(QStringLiteral("%1 after a step-up: %2").arg(method.name, errText(Error{*fresh, {}, 0}))));
    }

    // AC-02: without audit.read an account reads its own history, matched on the recorded account
    // ids: a name that is also a permission, a role or "system" reads nothing of anyone else's.
    void AC02_ownHistoryIsMatchedOnAccountIds_data() {
        QTest::addColumn<QString>("name");
        QTest::newRow("named like a permission") << QStringLiteral("audit.read");
        QTest::newRow("named like the system actor") << QStringLiteral("system");
        QTest::newRow("named like a role") << QStringLiteral("auditor");
    }
    void AC02_ownHistoryIsMatchedOnAccountIds() {
        QFETCH(QString, name);
        auto g = freshVault();
        QVERIFY(g);
        auto admin = enrolledAdmin(*g);
        CHECK_OK(admin);
        CHECK_OK(addAccount(*g, *admin, QStringLiteral("vic"), QStringLiteral("viewer"), kBobPassword));
        CHECK_OK(g->roles().createRole(*admin, QStringLiteral("auditor"), {QStringLiteral("audit.read")}));
        // vic, a viewer, asks for the log: denied, recorded with subject "audit.read".
        auto vic = g->login().fullLogin(QStringLiteral("vic"), pw(kBobPassword), kClient);
        CHECK_OK(vic);
        CHECK_CODE(g->audit().recentAudit(*vic, 10), Errc::NotPermitted);
        CHECK_OK(addAccount(*g, *admin, name, QStringLiteral("viewer"), kBobPassword));
        auto self = g->login().fullLogin(name, pw(kBobPassword), kClient);
        CHECK_OK(self);
        auto page = g->audit().queryAudit(*self, AuditQuery{});
        CHECK_OK(page);
        QVERIFY(!page->events.isEmpty()); // its own sign-ins at least
        for (const AuditEvent& e : page->events) {
            const bool foreign =
                e.actor == QLatin1String("vic") || e.action.startsWith(QLatin1String("vault.")) ||
                e.action.startsWith(QLatin1String("role.")) ||
                (e.actor == kAlice && (e.action != QLatin1String("user.created") || e.subject != name));
            QVERIFY2(!foreign, qPrintable(QStringLiteral("%1 read event %2: %3 %4 %5")
                                              .arg(name)
                                              .arg(e.id)
                                              .arg(e.actor, e.action, e.subject)));
        }
        // A single foreign event reads as missing.
        auto all = g->audit().recentAudit(*admin, 2000);
        CHECK_OK(all);
        for (const AuditEvent& e : *all)
            if (e.actor == QLatin1String("vic") && e.action == QLatin1String("access.denied"))
                CHECK_CODE(g->audit().auditEvent(*self, e.id), Errc::InvalidArgument);
    }

    // OTP-05: confirming an authenticator app checks that its guarded UPDATE changed a row. When
    // another process confirmed or dropped the factor first (here a trigger stands in for it), the
    // call fails cleanly: no success, no audit event, no new session. Removal likewise.
    void OTP05_guardedUpdatesNoticeALostRace_data() {
        QTest::addColumn<bool>("removal");
        QTest::newRow("confirmTotp") << false;
        QTest::newRow("removeFactor") << true;
    }
    void OTP05_guardedUpdatesNoticeALostRace() {
        QFETCH(bool, removal);
        auto g = freshVault();
        QVERIFY(g);
        auto admin = enrolledAdmin(*g);
        CHECK_OK(admin);
        auto e = g->factors().beginTotpEnrollment(*admin, QStringLiteral("second phone"));
        CHECK_OK(e);
        OtpauthKey k;
        QVERIFY(scan(*e, &k));
        auto codes = gh::test::newRecoveryCodes(g->factors(), *admin);
        CHECK_OK(codes);
        qint64 recoveryFactor = 0;
        const auto factors = g->factors().listFactors(*admin);
        CHECK_OK(factors);
        for (const FactorInfo& fi : factors.value())
            if (fi.kind == FactorKind::RecoveryCode)
                recoveryFactor = fi.id;
        {
            auto keyText = m_keys.read(Vault::keychainEntry(Vault::canonicalPath(m_path)));
            CHECK_OK(keyText);
            auto raw = Vault::openWithKey(m_path, *keyText);
            CHECK_OK(raw);
            CHECK_OK((*raw)->db().exec(removal ? "CREATE TRIGGER lost_race BEFORE DELETE ON factors "
                                                 "BEGIN SELECT RAISE(IGNORE); END;"
                                               : "CREATE TRIGGER lost_race BEFORE UPDATE OF pending ON factors "
                                                 "WHEN NEW.pending = 0 BEGIN SELECT RAISE(IGNORE); END;"));
        }
        const QString before = admin->info.id;
        const int added =
            actions(*g, *admin).count(removal ? QStringLiteral("factor.removed") : QStringLiteral("factor.added"));
        const Status r = removal ? g->factors().removeFactor(*admin, recoveryFactor, pw(kAlicePassword))
                                 : g->factors().confirmTotp(*admin, e->factorId,
                                                            totp::generate(k.secret, m_clock.nowSecs(), k.params));
        CHECK_CODE(r, Errc::FactorNotFound);
        QCOMPARE(admin->info.id, before);
        CHECK_OK(g->login().validate(*admin));
        QCOMPARE(actions(*g, *admin).count(removal ? QStringLiteral("factor.removed") : QStringLiteral("factor.added")),
                 added);
    }

    // OTP-04: a replayed code is shown to the owner at the next sign-in, not only audited.
    void OTP04_replayReachesTheOwner() {
        auto g = freshVault();
        QVERIFY(g);
        CHECK_OK(enrolledAdmin(*g));
        const QString used = aliceCode();
        const SecureBuffer code = buf(used);
        CHECK_OK(g->login().fullLogin(kAlice, pw(kAlicePassword), kClient, FactorKind::Totp, &code));
        CHECK_CODE(g->login().fullLogin(kAlice, pw(kAlicePassword), QStringLiteral("someone"), FactorKind::Totp, &code),
                   Errc::CodeReplayed);
        auto next = adminLogin(*g);
        CHECK_OK(next);
        QVERIFY2(next->info.noticeForUser.contains(QStringLiteral("already been used")),
                 qPrintable(next->info.noticeForUser));
    }

    // FIDO-04 (with RC-03): notices append. A clone alert is still there after a later notice
    // (new recovery codes) that used to replace it.
    void FIDO04_cloneAlertIsNotOverwritten() {
        SoftFido key;
        m_port.key = &key;
        auto g = freshVault();
        QVERIFY(g);
        auto restricted = g->login().fullLogin(kAlice, pw(kAlicePassword), kClient);
        CHECK_OK(restricted);
        CHECK_OK(enrollKey(*g, *restricted, QString(), QStringLiteral("Blue key")));
        SoftFido clone = key.cloneKey();
        auto aal3 = keyLogin(*g); // the original moves ahead
        CHECK_OK(aal3);
        m_port.key = &clone;
        CHECK_CODE(keyLogin(*g), Errc::KeyCloneSuspected);
        m_port.key = &key;
        auto fresh = keyLogin(*g);
        CHECK_OK(fresh);
        QVERIFY(fresh->info.noticeForUser.contains(QStringLiteral("signature counter")));
        // Another clone attempt, then a new set of recovery codes before the owner signs in again.
        m_port.key = &clone;
        m_clock.advance(60);
        CHECK_CODE(keyLogin(*g), Errc::KeyCloneSuspected);
        CHECK_OK(gh::test::newRecoveryCodes(g->factors(), *fresh));
        m_port.key = &key;
        auto next = keyLogin(*g);
        CHECK_OK(next);
        QVERIFY2(next->info.noticeForUser.contains(QStringLiteral("signature counter")),
                 qPrintable(next->info.noticeForUser));
        QVERIFY2(next->info.noticeForUser.contains(QStringLiteral("recovery codes")),
                 qPrintable(next->info.noticeForUser));
    }

    // RL-01: the first code after a password is part of the same attempt and skips the delay,
    // but only while no other charge came after that password: many pending logins opened in
    // parallel (by someone who knows the password) get no more verified guesses than the policy.
    void RL01_parallelPendingLoginsGetNoExtraGuesses() {
        auto g = freshVault();
        QVERIFY(g);
        CHECK_OK(enrolledAdmin(*g));
        QStringList pending;
        for (int i = 0; i < 12; ++i) {
            auto step = g->login().beginLogin(kAlice, pw(kAlicePassword), QStringLiteral("guesser"));
            CHECK_OK(step);
            pending << step->pendingId;
        }
        const SecureBuffer wrong = buf(wrongCode());
        int verified = 0;
        // Newest first: the newest pending login is the only one whose password charge is the latest.
        for (auto it = pending.crbegin(); it != pending.crend(); ++it) {
            const auto r = g->login().completeLogin(*it, FactorKind::Totp, wrong);
            QVERIFY2(r.code() == Errc::CodeWrong || r.code() == Errc::Throttled, qPrintable(errText(r.error())));
            verified += r.code() == Errc::CodeWrong ? 1 : 0;
        }
        QCOMPARE(verified, throttle::kFreeFailures + 1);
        // The owner, after waiting out the delay, signs in with password + code in one go.
        m_clock.advance(throttle::delayAfter(throttle::kFreeFailures + 1));
        CHECK_OK(adminLogin(*g));
    }

    // Issue 10 item 7: Argon2id never runs under the facade's lock. Just before every Argon2id run
    // (passwordhash's test observer) another thread makes a session check, which takes the lock;
    // it must answer while the run's thread waits for it. On the old main stepUp, changePassword,
    // addUser, regenerateRecoveryCodes (now beginRecoveryCodes), removeFactor, the recovery-code step and the rehash
    // held the lock there, so the check could not answer.
    void argon2idNeverRunsUnderTheLock_data() {
        QTest::addColumn<QString>("operation");
        for (const char* op : {"stepUp", "changePassword", "addUser", "beginRecoveryCodes", "removeFactor",
                               "recoveryCodeLogin", "beginLogin", "rehashOnLogin"})
            QTest::newRow(op) << QString::fromLatin1(op);
    }
    void argon2idNeverRunsUnderTheLock() {
        QFETCH(QString, operation);
        auto g = freshVault();
        QVERIFY(g);
        auto admin = enrolledAdmin(*g);
        CHECK_OK(admin);
        auto codes = gh::test::newRecoveryCodes(g->factors(), *admin);
        CHECK_OK(codes);
        CHECK_OK(addAccount(*g, *admin, kBob, QString(), kBobPassword));
        auto bob = g->login().fullLogin(kBob, pw(kBobPassword), kClient);
        CHECK_OK(bob);
        auto probe = adminLogin(*g); // a session no operation below ends
        CHECK_OK(probe);
        auto bobCodes = gh::test::newRecoveryCodes(g->factors(), *bob); // a factor bob can remove
        CHECK_OK(bobCodes);
        auto bobFactors = g->factors().listFactors(*bob);
        CHECK_OK(bobFactors);
        qint64 recoveryFactor = 0;
        for (const FactorInfo& f : *bobFactors)
            if (f.kind == FactorKind::RecoveryCode)
                recoveryFactor = f.id;
        QVERIFY(recoveryFactor);
        const SecureBuffer code = buf(aliceCode());
        const SecureBuffer recovery = SecureBuffer(codes->front().chars(), codes->front().size());
        // The rehash: a facade whose policy asks more than the stored hashes have.
        m_hashParams = {2, 16u << 10};
        auto stricter = second();
        QVERIFY(stricter);

        const std::map<QString, std::function<bool()>> operations{
            {QStringLiteral("stepUp"),
             [&] { return g->login().stepUp(*admin, pw(kAlicePassword), FactorKind::Totp, &code).ok(); }},
            {QStringLiteral("changePassword"),
             [&] { return g->login().changePassword(*bob, pw(kBobPassword), pw("bob's next long passphrase")).ok(); }},
            {QStringLiteral("addUser"),
             [&] { return g->accounts().addUser(*admin, QStringLiteral("carol"), QString()).ok(); }},
            {QStringLiteral("beginRecoveryCodes"),
             [&] { return gh::test::newRecoveryCodes(g->factors(), *admin).ok(); }},
            {QStringLiteral("removeFactor"),
             [&] { return g->factors().removeFactor(*bob, recoveryFactor, pw(kBobPassword)).ok(); }},
            {QStringLiteral("recoveryCodeLogin"),
             [&] {
                 return g->login()
                     .fullLogin(kAlice, pw(kAlicePassword), kClient, FactorKind::RecoveryCode, &recovery)
                     .ok();
             }},
            {QStringLiteral("beginLogin"), [&] { return g->login().beginLogin(kBob, pw(kBobPassword), kClient).ok(); }},
            {QStringLiteral("rehashOnLogin"),
             [&] { return stricter->login().fullLogin(kBob, pw(kBobPassword), kClient).ok(); }},
        };
        LockProbe lock;
        lock.g = operation == QLatin1String("rehashOnLogin") ? stricter.get() : g.get();
        lock.probe = &*probe;
        passwordhash::observeRunsForTesting(&LockProbe::beforeRun, &lock);
        const bool succeeded = operations.at(operation)();
        passwordhash::observeRunsForTesting(nullptr, nullptr);
        int answered = 0;
        for (auto& check : lock.checks)
            answered += check.get() ? 1 : 0;
        QVERIFY2(succeeded, qPrintable(operation));
        QVERIFY(lock.runs > 0);
        QCOMPARE(answered, lock.runs); // every check got its answer in the end
        QVERIFY2(lock.blocked == 0, qPrintable(QStringLiteral("%1: the lock was held during %2 of %3 Argon2id runs")
                                                   .arg(operation)
                                                   .arg(lock.blocked)
                                                   .arg(lock.runs)));
    }

    // SES-04 with Argon2id outside the lock: a step-up's state must not leak into a login that runs
    // while the step-up verifies its recovery code with the lock released. Bob signs in right then
    // (from passwordhash's observer, at the step-up's first code check); his sign-in must be his
    // own, and alice's step-up must still replace her session.
    void SES04_stepUpWithARecoveryCodeLeavesOtherLoginsAlone() {
        auto g = freshVault();
        QVERIFY(g);
        auto admin = enrolledAdmin(*g);
        CHECK_OK(admin);
        auto codes = gh::test::newRecoveryCodes(g->factors(), *admin);
        CHECK_OK(codes);
        CHECK_OK(addAccount(*g, *admin, kBob, QString(), kBobPassword));
        struct Meanwhile {
            Gatehouse* g = nullptr;
            int runs = 0;
            bool finished = false;
            std::optional<Result<Session>> bob;
            static void beforeRun(void* context) {
                auto* m = static_cast<Meanwhile*>(context);
                if (++m->runs != 2) // 1: alice's password; 2: her first recovery code check
                    return;
                auto f = std::async(std::launch::async, [m] {
                    return m->g->login().fullLogin(kBob, pw(kBobPassword), QStringLiteral("meanwhile"));
                });
                m->finished = f.wait_for(std::chrono::seconds(10)) == std::future_status::ready;
                if (m->finished)
                    m->bob = f.get();
            }
        } meanwhile;
        meanwhile.g = g.get();
        const QString oldId = admin->info.id;
        const SecureBuffer recovery(codes->front().chars(), codes->front().size());
        passwordhash::observeRunsForTesting(&Meanwhile::beforeRun, &meanwhile);
        const Status stepped = g->login().stepUp(*admin, pw(kAlicePassword), FactorKind::RecoveryCode, &recovery);
        passwordhash::observeRunsForTesting(nullptr, nullptr);
        QVERIFY(meanwhile.finished);
        QVERIFY(meanwhile.bob.has_value());
        CHECK_OK(*meanwhile.bob);
        QCOMPARE((*meanwhile.bob)->info.username, kBob);
        QCOMPARE((*meanwhile.bob)->info.aal, Aal::Aal1); // his own proof, not alice's session continued
        CHECK_OK(stepped);
        QVERIFY(admin->info.id != oldId);
        auto sessions = g->sessions().listSessions(*admin, true, true);
        CHECK_OK(sessions);
        for (const SessionInfo& si : *sessions)
            if (si.id == oldId)
                QCOMPARE(si.endReason, QStringLiteral("step-up"));
    }

    // RL-01 (issue 10 red team, High): attempts in flight count against their account, so on the
    // old main the owner's own parallel sign-ins with the right password (one service, several
    // programs) were throttled from the sixth on. They now wait for the attempts in flight and
    // all get a session; parallel wrong guesses still get exactly the policy's verified guesses.
    void RL01_parallelRightPasswordsAreNotThrottled() {
        m_hashParams = {1, 64u << 20}; // tens of ms per verification: all charges land before one settles
        auto g = freshVault();
        QVERIFY(g);
        auto admin = enrolledAdmin(*g);
        CHECK_OK(admin);
        CHECK_OK(addAccount(*g, *admin, QStringLiteral("bob"), QString(), kAliceNext));
        constexpr int kParallel = 8;
        const auto inParallel = [&](const char* password) {
            std::latch start(kParallel);
            std::vector<int> results(kParallel, -2); // -1: a session, else the Errc
            std::vector<std::thread> threads;
            for (int i = 0; i < kParallel; ++i)
                threads.emplace_back([&, i] {
                    start.arrive_and_wait();
                    auto r = g->login().fullLogin(QStringLiteral("bob"), pw(password), kClient);
                    results[std::size_t(i)] = r ? -1 : int(r.code());
                    if (r)
                        (void)g->login().logout(*r);
                });
            for (auto& t : threads)
                t.join();
            return results;
        };
        for (int round = 0; round < 3; ++round) {
            const auto right = inParallel(kAliceNext);
            QCOMPARE(std::count(right.begin(), right.end(), -1), std::ptrdiff_t(kParallel));
        }
        const auto wrong = inParallel("not bob's password");
        QCOMPARE(std::count(wrong.begin(), wrong.end(), int(Errc::AuthenticationFailed)),
                 std::ptrdiff_t(throttle::kFreeFailures + 1));
        QCOMPARE(std::count(wrong.begin(), wrong.end(), int(Errc::Throttled)),
                 std::ptrdiff_t(kParallel - throttle::kFreeFailures - 1));
    }

    // RL-02, RL-04: at the hard lock every name gets the same first step (known or not, right
    // password or not): the choice of a recovery code or a security key.
    void RL02_lockedFirstStepIsTheSameForEveryName_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<bool>("rightPassword");
        QTest::newRow("known, right password") << kAlice << true;
        QTest::newRow("known, wrong password") << kAlice << false;
        QTest::newRow("unknown") << QStringLiteral("mallory") << false;
    }
    void RL02_lockedFirstStepIsTheSameForEveryName() {
        QFETCH(QString, name);
        QFETCH(bool, rightPassword);
        auto g = freshVault();
        QVERIFY(g);
        guessUntilHardLock(*g, name);
        auto step = g->login().beginLogin(name, rightPassword ? pw(kAlicePassword) : pw("not the password"), kClient);
        CHECK_OK(step);
        QVERIFY(!step->complete);
        QVERIFY(step->lockedOut);
        QCOMPARE(step->offered, (QList<FactorKind>{FactorKind::SecurityKey, FactorKind::RecoveryCode}));
        CHECK_CODE(g->login().completeLogin(step->pendingId, FactorKind::RecoveryCode,
                                            buf(QStringLiteral("AAAA-AAAA-AAAA-AAAA"))),
                   Errc::LockedOut);
        // One try per password entry.
        CHECK_CODE(g->login().completeLogin(step->pendingId, FactorKind::RecoveryCode,
                                            buf(QStringLiteral("AAAA-AAAA-AAAA-AAAA"))),
                   Errc::LoginExpired);
        CHECK_CODE(g->login().fullLogin(name, pw(kAlicePassword), kClient), Errc::LockedOut);
    }

    // SES-04: a step-up proves at least the session's own level; an AAL3 (key) session is not
    // renewed by the password and an app code.
    void SES04_stepUpProvesTheSessionsOwnLevel() {
        SoftFido key;
        m_port.key = &key;
        auto g = freshVault();
        QVERIFY(g);
        auto admin = enrolledAdmin(*g); // authenticator app, AAL2
        CHECK_OK(admin);
        CHECK_OK(enrollKey(*g, *admin, QString(), QStringLiteral("key")));
        auto aal3 = keyLogin(*g);
        CHECK_OK(aal3);
        QCOMPARE(aal3->info.aal, Aal::Aal3);
        m_clock.advance(Gatehouse::kStepUpWindowSecs + 1);
        const QString id = aal3->info.id;
        const SecureBuffer code = buf(aliceCode());
        CHECK_CODE(g->login().stepUp(*aal3, pw(kAlicePassword), FactorKind::Totp, &code), Errc::NotPermitted);
        QCOMPARE(aal3->info.id, id);
        CHECK_OK(g->login().validate(*aal3)); // still the same, still stale
        CHECK_CODE(g->sessions().revokeOtherSessions(*aal3), Errc::StepUpRequired);
        // The right credentials are no failure: a plain sign-in right after works.
        CHECK_OK(adminLogin(*g));
    }

    // OTP-04, FIDO-04, RC-03: notices are a list per account, shown together at the next sign-in,
    // listed until each is dismissed on its own; nobody reads or dismisses another's.
    void OTP04_noticesAreAListDismissedOneByOne() {
        auto g = freshVault();
        QVERIFY(g);
        auto admin = enrolledAdmin(*g);
        CHECK_OK(admin);
        CHECK_OK(addAccount(*g, *admin, kBob, QStringLiteral("viewer"), kBobPassword));
        CHECK_OK(gh::test::newRecoveryCodes(g->factors(), *admin));
        // A code used by a step-up (no sign-in: it hands over no notices), then replayed twice.
        const SecureBuffer used = buf(aliceCode());
        CHECK_OK(g->login().stepUp(*admin, pw(kAlicePassword), FactorKind::Totp, &used));
        CHECK_CODE(g->login().fullLogin(kAlice, pw(kAlicePassword), kClient, FactorKind::Totp, &used),
                   Errc::CodeReplayed);
        CHECK_CODE(g->login().fullLogin(kAlice, pw(kAlicePassword), kClient, FactorKind::Totp, &used),
                   Errc::CodeReplayed);
        auto next = adminLogin(*g);
        CHECK_OK(next);
        // The authenticator added, the new recovery codes and one replay alert (a second replay
        // while the first waits adds nothing): shown together, in order.
        QStringList texts;
        for (const AccountNotice& n : next->info.notices)
            texts << n.text;
        QCOMPARE(next->info.notices.size(), 3);
        QVERIFY2(texts[0].contains(QStringLiteral("authenticator app was added")), qPrintable(texts[0]));
        QVERIFY2(texts[1].contains(QStringLiteral("recovery codes")), qPrintable(texts[1]));
        QVERIFY2(texts[2].contains(QStringLiteral("already been used")), qPrintable(texts[2]));
        QVERIFY(!next->info.notices[0].alert && next->info.notices[2].alert);
        QVERIFY(next->info.noticeForUser.contains(texts[0]) && next->info.noticeForUser.contains(texts[2]));
        // Shown once with a sign-in, listed until dismissed.
        auto later = adminLogin(*g);
        CHECK_OK(later);
        QVERIFY(later->info.noticeForUser.isEmpty());
        QCOMPARE(later->info.notices.size(), 3);
        QVERIFY(later->info.notices[0].shown);
        auto list = g->accounts().notices(*later);
        CHECK_OK(list);
        QCOMPARE(list->size(), 3);
        CHECK_OK(g->accounts().dismissNotice(*later, list->at(1).id));
        auto rest = g->accounts().notices(*later);
        CHECK_OK(rest);
        QCOMPARE(rest->size(), 2);
        QCOMPARE(rest->at(0).id, list->at(0).id);
        QCOMPARE(rest->at(1).id, list->at(2).id);
        CHECK_CODE(g->accounts().dismissNotice(*later, list->at(1).id), Errc::InvalidArgument); // gone already
        // AC-02: bob neither reads nor dismisses alice's notices.
        auto bob = g->login().fullLogin(kBob, pw(kBobPassword), kClient);
        CHECK_OK(bob);
        auto bobs = g->accounts().notices(*bob);
        CHECK_OK(bobs);
        for (const AccountNotice& n : *bobs)
            QVERIFY(n.id != rest->at(0).id && n.id != rest->at(1).id);
        CHECK_CODE(g->accounts().dismissNotice(*bob, rest->at(0).id), Errc::InvalidArgument);
        QCOMPARE(g->accounts().notices(*later)->size(), 2);
    }

    // RC-03 with schema 7: a notice that an older Gatehouse left in users.notice is carried over
    // into the list by the migration (which can run again without harm).
    void OTP04_olderNoticeMovesIntoTheList() {
        auto g = freshVault();
        QVERIFY(g);
        CHECK_OK(enrolledAdmin(*g));
        g.reset();
        {
            auto keyText = m_keys.read(Vault::keychainEntry(Vault::canonicalPath(m_path)));
            CHECK_OK(keyText);
            auto raw = Vault::openWithKey(m_path, *keyText);
            CHECK_OK(raw);
            CHECK_OK((*raw)->db().exec("UPDATE users SET notice = 'Left by schema 6.' WHERE username = 'alice'; "
                                       "PRAGMA user_version = 6"));
        }
        g = second();
        QVERIFY(g);
        auto s = adminLogin(*g);
        CHECK_OK(s);
        QVERIFY2(s->info.noticeForUser.contains(QStringLiteral("Left by schema 6.")),
                 qPrintable(s->info.noticeForUser));
    }

    // ST-05, ST-06: the secret-carrying values come out of wiping buffers, equal to what the
    // QString paths computed: the Base32 seed, the otpauth URI, a typed code, a new password.
    void ST05_ST06_secretsStayInWipingBuffers() {
        const SecureBuffer seed("12345678901234567890", 20);
        const SecureBuffer encoded = totp::base32EncodeSecure(seed);
        QCOMPARE(QByteArray(encoded.chars(), static_cast<qsizetype>(encoded.size())),
                 QByteArray("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ")); // RFC 6238 seed, unpadded
        OtpauthKey key;
        key.issuer = QStringLiteral("Gatehouse");
        key.account = kAlice;
        key.secret = seed.clone();
        const SecureBuffer uri = otpauth::emit(key);
        QCOMPARE(QByteArray(uri.chars(), static_cast<qsizetype>(uri.size())),
                 QByteArray("otpauth://totp/Gatehouse:alice?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Gatehouse"
                            "&algorithm=SHA1&digits=6&period=30"));
        const TotpParams params;
        const QString code = totp::generate(seed, 59, params);
        QVERIFY(totp::match(seed, 59, params, buf(code)) == totp::match(seed, 59, params, code));
        QVERIFY(totp::match(seed, 59, params, buf(code)).has_value());
        QVERIFY(!totp::match(seed, 59, params, buf(QStringLiteral("12 456"))));
        const QString password = QStringLiteral("tangerine umbrella lighthouse");
        const PasswordVerdict fromBuffer = PasswordPolicy::check(buf(password), kAlice);
        const PasswordVerdict fromText = PasswordPolicy::check(password, kAlice);
        QCOMPARE(fromBuffer.issue, fromText.issue);
        QCOMPARE(fromBuffer.codePoints, fromText.codePoints);
        QVERIFY(fromBuffer.acceptable());
        QCOMPARE(PasswordPolicy::check(buf(QStringLiteral("alice alice alice alice")), kAlice).issue,
                 PasswordIssue::ContextWord);
        // And the enrollment hands out the seed only in wiping buffers.
        auto g = freshVault();
        QVERIFY(g);
        auto s = g->login().fullLogin(kAlice, pw(kAlicePassword), kClient);
        CHECK_OK(s);
        auto e = g->factors().beginTotpEnrollment(*s, QStringLiteral("phone"));
        CHECK_OK(e);
        OtpauthKey scanned;
        QVERIFY(scan(*e, &scanned));
        const SecureBuffer manual = totp::base32EncodeSecure(scanned.secret);
        QCOMPARE(QByteArray(e->secretBase32.chars(), static_cast<qsizetype>(e->secretBase32.size())),
                 QByteArray(manual.chars(), static_cast<qsizetype>(manual.size())));
    }

private:
    struct Fixture {
        QString bobSession;
        QString aliceOther;
        qint64 pending = 0;
        std::optional<OtpauthKey> pendingKey;
        qint64 recoveryFactor = 0;
        qint64 now = 0;
    };
    struct AdminMethod {
        QString name;
        std::function<std::optional<Errc>(Gatehouse&, Session&, Fixture&)> call;
    };
    // Every administrative facade method, and every change of one's own password or factors.
    static const std::vector<AdminMethod>& adminMethods() {
        static const std::vector<AdminMethod> methods = {
            {QStringLiteral("addUser"),
             [](Gatehouse& g, Session& s, Fixture&) {
                 return codeOf(g.accounts().addUser(s, QStringLiteral("dan"), QString()));
             }},
            {QStringLiteral("addUser with a role"),
             [](Gatehouse& g, Session& s, Fixture&) {
                 return codeOf(g.accounts().addUser(s, QStringLiteral("eve"), QStringLiteral("admin")));
             }},
            {QStringLiteral("setUserEnabled (disable)"),
             [](Gatehouse& g, Session& s, Fixture&) { return codeOf(g.accounts().setUserEnabled(s, kBob, false)); }},
            {QStringLiteral("setUserEnabled (enable)"),
             [](Gatehouse& g, Session& s, Fixture&) {
                 return codeOf(g.accounts().setUserEnabled(s, QStringLiteral("carol"), true));
             }},
            {QStringLiteral("unlockUser"),
             [](Gatehouse& g, Session& s, Fixture&) { return codeOf(g.accounts().unlockUser(s, kBob)); }},
            {QStringLiteral("resetPassword"),
             [](Gatehouse& g, Session& s, Fixture&) { return codeOf(g.accounts().resetPassword(s, kBob)); }},
            {QStringLiteral("deleteUser"),
             [](Gatehouse& g, Session& s, Fixture&) {
                 return codeOf(g.accounts().deleteUser(s, QStringLiteral("carol")));
             }},
            {QStringLiteral("assignRole"),
             [](Gatehouse& g, Session& s, Fixture&) {
                 return codeOf(g.roles().assignRole(s, kBob, QStringLiteral("auditor")));
             }},
            {QStringLiteral("revokeRole"),
             [](Gatehouse& g, Session& s, Fixture&) {
                 return codeOf(g.roles().revokeRole(s, kBob, QStringLiteral("operator")));
             }},
            {QStringLiteral("createRole"),
             [](Gatehouse& g, Session& s, Fixture& f) {
                 return codeOf(
                     g.roles().createRole(s, QStringLiteral("r%1").arg(f.now), {QStringLiteral("users.read")}));
             }},
            {QStringLiteral("updateRole"),
             [](Gatehouse& g, Session& s, Fixture&) {
                 return codeOf(g.roles().updateRole(s, QStringLiteral("auditor"),
                                                    {QStringLiteral("audit.read"), QStringLiteral("users.read")}));
             }},
            {QStringLiteral("deleteRole"),
             [](Gatehouse& g, Session& s, Fixture&) {
                 return codeOf(g.roles().deleteRole(s, QStringLiteral("spare")));
             }},
            {QStringLiteral("revokeSession (another account's)"),
             [](Gatehouse& g, Session& s, Fixture& f) { return codeOf(g.sessions().revokeSession(s, f.bobSession)); }},
            {QStringLiteral("revokeSession (another of one's own)"),
             [](Gatehouse& g, Session& s, Fixture& f) { return codeOf(g.sessions().revokeSession(s, f.aliceOther)); }},
            {QStringLiteral("revokeOtherSessions"),
             [](Gatehouse& g, Session& s, Fixture&) { return codeOf(g.sessions().revokeOtherSessions(s)); }},
            {QStringLiteral("revokeUserSessions"),
             [](Gatehouse& g, Session& s, Fixture&) { return codeOf(g.sessions().revokeUserSessions(s, kBob)); }},
            {QStringLiteral("revokeAllSessions"),
             [](Gatehouse& g, Session& s, Fixture&) { return codeOf(g.sessions().revokeAllSessions(s)); }},
            {QStringLiteral("setSessionLimit"),
             [](Gatehouse& g, Session& s, Fixture&) {
                 return codeOf(g.sessions().setSessionLimit(s, SessionLimit{5, SessionLimitMode::Refuse}));
             }},
            {QStringLiteral("changePassword"),
             [](Gatehouse& g, Session& s, Fixture&) {
                 return codeOf(g.login().changePassword(s, pw(kAlicePassword), pw(kAliceNext)));
             }},
            {QStringLiteral("beginTotpEnrollment"),
             [](Gatehouse& g, Session& s, Fixture&) {
                 return codeOf(g.factors().beginTotpEnrollment(s, QStringLiteral("third phone")));
             }},
            {QStringLiteral("confirmTotp"),
             [](Gatehouse& g, Session& s, Fixture& f) {
                 return codeOf(g.factors().confirmTotp(
                     s, f.pending, totp::generate(f.pendingKey->secret, f.now, f.pendingKey->params)));
             }},
            {QStringLiteral("beginRecoveryCodes"),
             [](Gatehouse& g, Session& s, Fixture&) { return codeOf(g.factors().beginRecoveryCodes(s)); }},
            {QStringLiteral("removeFactor"),
             [](Gatehouse& g, Session& s, Fixture& f) {
                 return codeOf(g.factors().removeFactor(s, f.recoveryFactor, pw(kAlicePassword)));
             }},
            {QStringLiteral("enrollSecurityKey"),
             [](Gatehouse& g, Session& s, Fixture&) {
                 return codeOf(g.factors().beginSecurityKeyEnrollment(s, QStringLiteral("key")));
             }},
        };
        return methods;
    }
};

QTEST_GUILESS_MAIN(TestLimits)
#include "tst_limits.moc"
