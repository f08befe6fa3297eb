// FIDO2 security keys through the facade, with the REAL libfido2 driving the software
// authenticator (tests/support/softfido.*): enrollment for every attestation format, the login
// step, and every fault a person can meet, each checked for outcome, message and audit event.
// Injected clock and randomness (STYLE.md #10).
// Covers FIDO-01 (challenge, RP id, exclude list, attestation by format, UP, id unique),
// FIDO-02/03 (allow list, credential owner, UP checked, signature), FIDO-04 (counter regression:
// refuse, audit, tell admins), FIDO-05 (device-bound → AAL3), FIDO-06 (PIN asked only when the key
// needs it; retries; blocked), FIDO-07 (removal with re-authentication ends sessions that used it),
// RL-01 (shared throttle), AUD-01.
#include "crypto/primitives.h"
#include "fakes.h"
#include "gatehouse.h"
#include "newcodes.h"
#include "origin.h"
#include "securitykey.h"
#include "softfido.h"
#include "verification/fido2.h"

#include <QTemporaryDir>
#include <QtTest>

#include <fido.h>

#include <functional>

using namespace gh;
using gh::test::SoftFido;
using gh::test::SoftFidoOptions;
Q_DECLARE_METATYPE(gh::Errc)

namespace {
SecureBuffer pw(const char* s) {
    return SecureBuffer(s, std::strlen(s));
}
const char* const kAlicePassword = "correct horse battery staple";
const QString kAlice = QStringLiteral("alice");
const QString kClient = QStringLiteral("test");

QString errText(Errc code) {
    return QStringLiteral("%1 \"%2\"").arg(int(code)).arg(describe(Error{code, {}, 0}));
}

// Forwards to whichever key is "plugged in" now, so a test can swap keys under one facade.
class Port final : public Fido2Transport {
public:
    Fido2Transport* key = nullptr;
    std::function<void()> onPrepare; // e.g. the person presses Cancel while the key is being opened
    QList<Fido2DeviceInfo> devices() override { return key ? key->devices() : QList<Fido2DeviceInfo>{}; }
    int prepare(fido_dev_t* dev, const QString& path) override {
        if (onPrepare)
            onPrepare();
        return key ? key->prepare(dev, path) : FIDO_ERR_INTERNAL;
    }
};
} // namespace

#define CHECK_CODE(result, expected)                                                                                   \
    do {                                                                                                               \
        const auto& r_ = (result);                                                                                     \
        QVERIFY2(!r_.ok() && r_.code() == (expected),                                                                  \
                 qPrintable(QStringLiteral("got %1, expected %2")                                                      \
                                .arg(r_.ok() ? QStringLiteral("success")                                               \
                                             : errText(r_.code()) + QLatin1Char(' ') + r_.error().detail,              \
                                     errText(expected))));                                                             \
    } while (0)
#define CHECK_OK(result)                                                                                               \
    do {                                                                                                               \
        const auto& r_ = (result);                                                                                     \
        QVERIFY2(r_.ok(),                                                                                              \
                 qPrintable(r_.ok() ? QString() : errText(r_.code()) + QLatin1Char(' ') + r_.error().detail));         \
    } while (0)

class TestFido2 : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    test::MemoryKeyStore m_keys;
    test::SeededRandom m_random{44};
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

    Services services() {
        Services s;
        s.clock = &m_clock;
        s.random = &m_random;
        s.keys = &m_keys;
        s.hashParams = Argon2Params::testing();
        s.kdfParams = Argon2Params::testing();
        return s;
    }
    // A new vault with the administrator alice; `restricted` is her first (enroll-only) session.
    std::unique_ptr<Gatehouse> freshVault(Session* restricted) {
        m_path = m_dir.filePath(QStringLiteral("fido%1.db").arg(++m_counter));
        auto g = std::make_unique<Gatehouse>(services());
        if (!g->createVault(m_path) || !g->accounts().createFirstAdmin(kAlice, pw(kAlicePassword)))
            return nullptr;
        auto s = g->login().fullLogin(kAlice, pw(kAlicePassword), kClient);
        if (!s)
            return nullptr;
        *restricted = std::move(s.value());
        return g;
    }
    // alice with `key` enrolled; `session` is the re-issued (unrestricted) session.
    std::unique_ptr<Gatehouse> enrolled(SoftFido& key, Session* session, FactorInfo* info = nullptr) {
        auto g = freshVault(session);
        if (!g)
            return nullptr;
        m_port.key = &key;
        auto added = enrollKey(*g, *session, QString(), QStringLiteral("Blue key"));
        if (!added) {
            qWarning("enroll failed: %s", qPrintable(describe(added.error())));
            return nullptr;
        }
        if (info)
            *info = added.value();
        return g;
    }
    // alice with `key` enrolled, then signed in with it: `session` proved the key (AAL3).
    std::unique_ptr<Gatehouse> signedInWithKey(SoftFido& key, Session* session) {
        Session enrolling;
        auto g = enrolled(key, &enrolling);
        if (!g)
            return nullptr;
        auto s = keyLogin(*g);
        if (!s)
            return nullptr;
        *session = std::move(s.value());
        return g;
    }
    Result<Session> keyLogin(Gatehouse& g, const SecureBuffer* pin = nullptr) {
        auto step = g.login().beginLogin(kAlice, pw(kAlicePassword), kClient);
        if (!step)
            return step.error();
        if (step->complete)
            return Error{Errc::Internal, QStringLiteral("login did not ask for a second factor"), 0};
        if (step->offered.value(0) != FactorKind::SecurityKey)
            return Error{Errc::Internal, QStringLiteral("security key not offered first"), 0};
        return keyStep(g, step->pendingId, QString(), pin);
    }
    // The newest audit event with `action`, read through an administrator session.
    // The newest `action` event the session may read: its own account's (a session that has not
    // proven a second factor reads no one else's, issue 13).
    std::optional<AuditEvent> lastEvent(Gatehouse& g, const Session& admin, const QString& action) {
        AuditQuery q;
        q.action = action;
        q.limit = 1;
        auto page = g.audit().queryAudit(admin, q);
        if (!page || page->events.isEmpty())
            return std::nullopt;
        return page->events.first();
    }
    int factorCount(Gatehouse& g, const Session& s, FactorKind kind) {
        auto list = g.factors().listFactors(s);
        int n = 0;
        if (list)
            for (const FactorInfo& f : *list)
                n += f.kind == kind ? 1 : 0;
        return n;
    }

private Q_SLOTS:
    void init() {
        m_port.key = nullptr;
        m_port.onPrepare = nullptr;
        m_clock.advance(3600); // no throttle left over from the previous test
    }

    // FIDO-01: each attestation format is accepted the way §C says, and what is stored is shown.
    void enrollEveryFormat_data() {
        QTest::addColumn<int>("format");
        QTest::addColumn<bool>("eddsa");
        QTest::addColumn<QString>("attestation");
        QTest::addColumn<QString>("algorithm");
        using A = SoftFidoOptions::Attestation;
        QTest::newRow("packed self, ES256") << int(A::PackedSelf) << false << "packed (self)"
                                            << "ES256";
        QTest::newRow("packed x5c, ES256") << int(A::PackedX5c) << false << "packed (x5c)"
                                           << "ES256";
        QTest::newRow("none, ES256") << int(A::None) << false << "none"
                                     << "ES256";
        QTest::newRow("packed self, EdDSA offered") << int(A::PackedSelf) << true << "packed (self)"
                                                    << "EdDSA";
        QTest::newRow("packed x5c, EdDSA offered") << int(A::PackedX5c) << true << "packed (x5c)"
                                                   << "EdDSA";
    }
    void enrollEveryFormat() {
        QFETCH(int, format);
        QFETCH(bool, eddsa);
        QFETCH(QString, attestation);
        QFETCH(QString, algorithm);
        SoftFidoOptions o;
        o.attestation = static_cast<SoftFidoOptions::Attestation>(format);
        o.eddsa = eddsa;
        SoftFido key(o);
        Session s;
        FactorInfo info;
        auto g = enrolled(key, &s, &info);
        QVERIFY(g);
        QCOMPARE(key.makeCredentialCalls(), 1);
        QCOMPARE(info.kind, FactorKind::SecurityKey);
        QCOMPARE(info.label, QStringLiteral("Blue key"));
        QCOMPARE(info.keyAttestation, attestation);
        QCOMPARE(info.keyAlgorithm, algorithm);
        QCOMPARE(info.keyAaguid.size(), 32); // 16 bytes, hex
        // The restricted admin session holds a second factor now (the restriction is gone), but its
        // AAL stays what its sign-in proved (SES-04, issue 16); a sign-in with the key is AAL3 (FIDO-05).
        QVERIFY(!s.info.restricted);
        QCOMPARE(s.info.aal, Aal::Aal1);
        QVERIFY(s.info.factors.contains(FactorKind::SecurityKey));
        QCOMPARE(factorCount(*g, s, FactorKind::SecurityKey), 1);
        auto listed = g->factors().listFactors(s);
        QVERIFY(listed);
        QCOMPARE(listed->last().keyAttestation, attestation);
        const auto added = lastEvent(*g, s, QStringLiteral("factor.added"));
        QVERIFY(added);
        QCOMPARE(added->outcome, Outcome::Allowed);
        QVERIFY2(added->detail.contains(QStringLiteral("fido2")) && added->detail.contains(attestation),
                 qPrintable(added->detail));
        // And it signs in.
        CHECK_OK(keyLogin(*g));
    }

    // FIDO-01: the RP id is fixed per vault (kept across reopen) and differs between vaults.
    void relyingPartyIdIsFixedPerVault() {
        Session s1, s2;
        auto a = freshVault(&s1);
        QVERIFY(a);
        auto rp = a->status().relyingPartyId();
        CHECK_OK(rp);
        QVERIFY(rp->startsWith(QStringLiteral("gatehouse-")));
        QCOMPARE(rp->size(), 10 + 16);
        const QString firstPath = m_path;
        auto b = freshVault(&s2);
        QVERIFY(b);
        QVERIFY(b->status().relyingPartyId().value() != rp.value());
        a.reset();
        Gatehouse again(services());
        CHECK_OK(again.openVault(firstPath));
        QCOMPARE(again.status().relyingPartyId().value(), rp.value());
    }

    // Password + key: offered first, AAL3, counter and last use stored; a second login works.
    void passwordPlusKeyLogin() {
        SoftFido key;
        Session admin;
        auto g = enrolled(key, &admin);
        QVERIFY(g);
        const uint32_t before = key.signCount();
        auto session = keyLogin(*g);
        CHECK_OK(session);
        QCOMPARE(session->info.aal, Aal::Aal3);
        QCOMPARE(session->info.factors, (QList<FactorKind>{FactorKind::Password, FactorKind::SecurityKey}));
        QCOMPARE(key.getAssertionCalls(), 1);
        QCOMPARE(key.signCount(), before + 1);
        auto list = g->factors().listFactors(*session);
        QVERIFY(list);
        QVERIFY(list->last().lastUsed.isValid());
        const auto ok = lastEvent(*g, admin, QStringLiteral("login.succeeded"));
        QVERIFY(ok);
        QCOMPARE(ok->detail, QStringLiteral("password,fido2"));
        CHECK_OK(keyLogin(*g)); // the counter grew again: accepted
        auto assurance = g->factors().assurance(admin);
        QVERIFY(assurance);
        QCOMPARE(assurance->reachable, Aal::Aal3);
        // The other second-factor entry point refuses keys instead of treating them as codes.
        auto step = g->login().beginLogin(kAlice, pw(kAlicePassword), kClient);
        QVERIFY(step && !step->complete);
        CHECK_CODE(g->login().completeLogin(step->pendingId, FactorKind::SecurityKey, pw("x")), Errc::InvalidArgument);
        g->login().cancelLogin(step->pendingId);
    }

    // Red team t03 (issue 12): a sign-in begun with a password does not complete with a key once
    // that password was changed; the pending login must start again.
    void pendingKeyLoginEndsWithThePassword() {
        SoftFido key;
        Session admin;
        auto g = enrolled(key, &admin);
        QVERIFY(g);
        auto step = g->login().beginLogin(kAlice, pw(kAlicePassword), kClient);
        QVERIFY(step && !step->complete);
        CHECK_OK(g->login().changePassword(admin, pw(kAlicePassword), pw("an entirely new passphrase 7")));
        auto late = keyStep(*g, step->pendingId, QString(), nullptr);
        QVERIFY2(!late, "a key completed a sign-in begun with the replaced password");
        CHECK_CODE(late, Errc::AuthenticationFailed);
        CHECK_OK(g->login().validate(admin)); // the change's own session goes on
    }

    // Device faults during enrollment: outcome, message and audit; nothing stored.
    void enrollFaults_data() {
        QTest::addColumn<QString>("fault");
        QTest::addColumn<Errc>("expected");
        QTest::addColumn<QString>("message");
        QTest::newRow("no key attached") << "detached" << Errc::KeyNotFound << "No security key";
        QTest::newRow("user denies") << "deny" << Errc::KeyDenied << "refused";
        QTest::newRow("never touched") << "neverTouch" << Errc::KeyTimeout << "not touched in time";
        QTest::newRow("UP flag cleared") << "clearUp" << Errc::KeyRejected << "did not confirm a touch";
        QTest::newRow("wrong rpIdHash") << "wrongRp" << Errc::KeyRejected << "another relying party";
        QTest::newRow("malformed CBOR") << "malformed" << Errc::KeyRejected << "malformed";
        QTest::newRow("removed mid-operation") << "remove" << Errc::KeyRemoved << "removed";
    }
    void enrollFaults() {
        QFETCH(QString, fault);
        QFETCH(Errc, expected);
        QFETCH(QString, message);
        SoftFidoOptions o;
        o.attached = fault != QLatin1String("detached");
        o.userDenies = fault == QLatin1String("deny");
        o.neverTouch = fault == QLatin1String("neverTouch");
        o.clearUpFlag = fault == QLatin1String("clearUp");
        o.wrongRpIdHash = fault == QLatin1String("wrongRp");
        o.malformedCbor = fault == QLatin1String("malformed");
        o.removeAfterMessages = fault == QLatin1String("remove") ? 6 : -1; // after open (INIT, GetInfo twice)
        SoftFido key(o);
        Session s;
        auto g = freshVault(&s);
        QVERIFY(g);
        m_port.key = &key;
        auto r = enrollKey(*g, s, QString(), QStringLiteral("k"));
        CHECK_CODE(r, expected);
        QVERIFY2(describe(r.error()).contains(message), qPrintable(describe(r.error())));
        // Still the restricted session, still no key.
        QVERIFY(s.info.restricted);
        QCOMPARE(factorCount(*g, s, FactorKind::SecurityKey), 0);
        // Audit (read after enrolling a good key, through the unrestricted session).
        SoftFido good;
        m_port.key = &good;
        CHECK_OK(enrollKey(*g, s, QString(), QStringLiteral("good")));
        const auto e = lastEvent(*g, s, QStringLiteral("fido2.enroll_failed"));
        QVERIFY(e);
        QCOMPARE(e->outcome, Outcome::Failed);
        QCOMPARE(e->detail, describe(r.error()));
    }

    // Faults at login: device faults are audited as fido2.login_failed and not charged; a reply
    // that fails verification is a failed login (charged to the shared throttle, RL-01).
    void loginFaults_data() {
        QTest::addColumn<QString>("fault");
        QTest::addColumn<Errc>("expected");
        QTest::addColumn<QString>("message");
        QTest::addColumn<QString>("action");
        QTest::newRow("no key attached") << "detached" << Errc::KeyNotFound << "No security key"
                                         << "fido2.login_failed";
        QTest::newRow("user denies") << "deny" << Errc::KeyDenied << "refused"
                                     << "fido2.login_failed";
        QTest::newRow("never touched") << "neverTouch" << Errc::KeyTimeout << "not touched in time"
                                       << "fido2.login_failed";
        QTest::newRow("malformed CBOR") << "malformed" << Errc::KeyRejected << "malformed"
                                        << "fido2.login_failed";
        QTest::newRow("removed mid-operation") << "remove" << Errc::KeyRemoved << "removed"
                                               << "fido2.login_failed";
        QTest::newRow("UP flag cleared") << "clearUp" << Errc::KeyRejected << "did not confirm a touch"
                                         << "login.failed";
        QTest::newRow("wrong rpIdHash") << "wrongRp" << Errc::KeyRejected << "another relying party"
                                        << "login.failed";
        QTest::newRow("corrupted signature") << "corruptSig" << Errc::KeyRejected << "signature does not verify"
                                             << "login.failed";
    }
    void loginFaults() {
        QFETCH(QString, fault);
        QFETCH(Errc, expected);
        QFETCH(QString, message);
        QFETCH(QString, action);
        SoftFido key;
        Session admin;
        auto g = enrolled(key, &admin);
        QVERIFY(g);
        const uint32_t count = key.signCount();
        SoftFidoOptions& o = key.options();
        o.attached = fault != QLatin1String("detached");
        o.userDenies = fault == QLatin1String("deny");
        o.neverTouch = fault == QLatin1String("neverTouch");
        o.clearUpFlag = fault == QLatin1String("clearUp");
        o.wrongRpIdHash = fault == QLatin1String("wrongRp");
        o.malformedCbor = fault == QLatin1String("malformed");
        o.corruptSignature = fault == QLatin1String("corruptSig");
        o.removeAfterMessages = fault == QLatin1String("remove") ? 6 : -1;
        auto r = keyLogin(*g);
        CHECK_CODE(r, expected);
        QVERIFY2(describe(r.error()).contains(message), qPrintable(describe(r.error())));
        const auto e = lastEvent(*g, admin, action);
        QVERIFY2(e, qPrintable(action));
        QCOMPARE(e->actor, kAlice);
        QVERIFY2(e->detail.contains(message), qPrintable(e->detail));
        // Nothing stored changed: with the fault gone, the same key signs in.
        QVERIFY(key.signCount() >= count);
        key.options() = SoftFidoOptions{};
        m_clock.advance(3600);
        CHECK_OK(keyLogin(*g));
    }

    // FIDO-01: the exclude list stops the same key from registering twice.
    void sameKeyTwiceIsExcluded() {
        SoftFido key;
        Session enrolling;
        auto g = enrolled(key, &enrolling);
        QVERIFY(g);
        auto signedIn = keyLogin(*g); // a session that proved the key (enrolling did not)
        CHECK_OK(signedIn);
        Session& s = *signedIn;
        auto again = enrollKey(*g, s, QString(), QStringLiteral("again"));
        CHECK_CODE(again, Errc::KeyAlreadyRegistered);
        QCOMPARE(factorCount(*g, s, FactorKind::SecurityKey), 1);
        // A second, different key is fine (two keys per account are encouraged, FIDO-07).
        SoftFido other;
        m_port.key = &other;
        CHECK_OK(enrollKey(*g, s, QString(), QStringLiteral("spare")));
        QCOMPARE(factorCount(*g, s, FactorKind::SecurityKey), 2);
        // Either key signs in (allow list holds both).
        CHECK_OK(keyLogin(*g));
        m_port.key = &key;
        CHECK_OK(keyLogin(*g));
    }

    // FIDO-02: a key that holds none of the account's credentials is told so.
    void unregisteredKeyIsRefused() {
        SoftFido key;
        Session admin;
        auto g = enrolled(key, &admin);
        QVERIFY(g);
        SoftFido stranger;
        m_port.key = &stranger;
        auto r = keyLogin(*g);
        CHECK_CODE(r, Errc::KeyNotRegistered);
        QVERIFY(describe(r.error()).contains(QStringLiteral("not registered")));
        QVERIFY(lastEvent(*g, admin, QStringLiteral("fido2.login_failed")));
    }

    // FIDO-04: a clone with a lagging counter is refused, audited, and admins are told.
    void clonedKeyWithLaggingCounter() {
        SoftFido key;
        Session admin;
        auto g = enrolled(key, &admin);
        QVERIFY(g);
        SoftFido clone = key.cloneKey();
        CHECK_OK(keyLogin(*g)); // the original moves ahead (stored counter = n + 1)
        m_port.key = &clone;    // the copy still signs n + 1: not above the stored value
        auto r = keyLogin(*g);
        CHECK_CODE(r, Errc::KeyCloneSuspected);
        QVERIFY(describe(r.error()).contains(QStringLiteral("cloned")));
        const auto e = lastEvent(*g, admin, QStringLiteral("fido2.clone_suspected"));
        QVERIFY(e);
        QCOMPARE(e->outcome, Outcome::Denied);
        QVERIFY2(e->detail.contains(QStringLiteral("Blue key")), qPrintable(e->detail));
        // The original still works, and the next sign-in (alice is the administrator) shows the alert.
        m_port.key = &key;
        m_clock.advance(3600);
        auto next = keyLogin(*g);
        CHECK_OK(next);
        QVERIFY2(next->info.noticeForUser.contains(QStringLiteral("Security alert")),
                 qPrintable(next->info.noticeForUser));
        QVERIFY(next->info.noticeForUser.contains(QStringLiteral("signature counter went backwards")));
        // A clone that catches up past the stored counter is indistinguishable: that is the limit of
        // the signal (WebAuthn: "a signal, not proof").
    }

    // FIDO-06: the PIN is asked only when the key needs it; wrong PINs report tries left; blocked.
    void pinRequiredWrongAndRight() {
        SoftFidoOptions o;
        o.pinSet = true;
        o.pin = "4321";
        SoftFido key(o);
        Session s;
        auto g = freshVault(&s);
        QVERIFY(g);
        m_port.key = &key;
        auto noPin = enrollKey(*g, s, QString(), QStringLiteral("pin key"));
        CHECK_CODE(noPin, Errc::KeyPinRequired);
        QVERIFY(describe(noPin.error()).contains(QStringLiteral("PIN")));
        const SecureBuffer wrong = pw("0000");
        auto bad = enrollKey(*g, s, QString(), QStringLiteral("pin key"), &wrong);
        CHECK_CODE(bad, Errc::KeyPinWrong);
        QVERIFY2(describe(bad.error()).contains(QStringLiteral("7 tries left")), qPrintable(describe(bad.error())));
        const SecureBuffer right = pw("4321");
        auto added = enrollKey(*g, s, QString(), QStringLiteral("pin key"), &right);
        CHECK_OK(added);
        QVERIFY(added->keyUserVerifying);
        // Login: PIN required again; with it, the key verified its user (UV: a second category).
        // A key asking for its PIN has verified nothing: no failed sign-in in the record (the CLI
        // and the GUI ask the key without a PIN first); a wrong PIN is one.
        CHECK_CODE(keyLogin(*g), Errc::KeyPinRequired);
        QVERIFY2(!lastEvent(*g, s, QStringLiteral("fido2.login_failed")), "a request for the PIN was recorded");
        CHECK_CODE(keyLogin(*g, &wrong), Errc::KeyPinWrong);
        QVERIFY(lastEvent(*g, s, QStringLiteral("fido2.login_failed")));
        auto withPin = keyLogin(*g, &right);
        CHECK_OK(withPin);
        QVERIFY(withPin->info.factors.contains(FactorKind::SecurityKeyUv));
        QCOMPARE(withPin->info.aal, Aal::Aal3);
    }

    // FIDO-06: a key with a PIN that signs with a touch alone (most real keys) is not asked for it
    // at sign-in: password + key, no UV; a key with built-in UV reports the capability.
    void pinOnlyWhenTheKeyNeedsIt() {
        SoftFidoOptions o;
        o.pinSet = true;
        o.assertionNeedsPin = false;
        SoftFido key(o);
        Session s;
        auto g = freshVault(&s);
        QVERIFY(g);
        m_port.key = &key;
        const SecureBuffer pin = pw("1234");
        CHECK_OK(enrollKey(*g, s, QString(), QStringLiteral("k"), &pin));
        auto login = keyLogin(*g); // no PIN given, none needed
        CHECK_OK(login);
        QCOMPARE(login->info.factors, (QList<FactorKind>{FactorKind::Password, FactorKind::SecurityKey}));
        SoftFidoOptions uv;
        uv.builtInUv = true;
        SoftFido fingerprint(uv);
        m_port.key = &fingerprint;
        auto added = enrollKey(*g, *login, QString(), QStringLiteral("fingerprint key"));
        CHECK_OK(added);
        QVERIFY(added->keyUserVerifying);
    }

    void pinBlocked() {
        SoftFidoOptions o;
        o.pinSet = true;
        o.pinRetries = 2;
        SoftFido key(o);
        Session s;
        auto g = freshVault(&s);
        QVERIFY(g);
        m_port.key = &key;
        const SecureBuffer wrong = pw("9999");
        auto first = enrollKey(*g, s, QString(), QStringLiteral("k"), &wrong);
        CHECK_CODE(first, Errc::KeyPinWrong);
        QVERIFY2(describe(first.error()).contains(QStringLiteral("1 try left")), qPrintable(describe(first.error())));
        auto second = enrollKey(*g, s, QString(), QStringLiteral("k"), &wrong);
        CHECK_CODE(second, Errc::KeyPinBlocked);
        QVERIFY(describe(second.error()).contains(QStringLiteral("blocked")));
        const SecureBuffer right = pw("1234");
        CHECK_CODE(enrollKey(*g, s, QString(), QStringLiteral("k"), &right), Errc::KeyPinBlocked);
        QCOMPARE(factorCount(*g, s, FactorKind::SecurityKey), 0);
    }

    // FIDO-07: removing a key needs the password and ends the sessions that used a key.
    void removeKeyEndsItsSessions() {
        SoftFido key;
        Session admin;
        FactorInfo info;
        auto g = enrolled(key, &admin, &info);
        QVERIFY(g);
        auto other = keyLogin(*g);
        CHECK_OK(other);
        CHECK_CODE(g->factors().removeFactor(admin, info.id, pw("wrong password")), Errc::AuthenticationFailed);
        QVERIFY(g->login().validate(*other));
        CHECK_OK(g->factors().removeFactor(admin, info.id, pw(kAlicePassword)));
        CHECK_CODE(g->login().validate(*other), Errc::SessionInvalid);
        QCOMPARE(factorCount(*g, admin, FactorKind::SecurityKey), 0);
        // No second factor left: the login no longer offers the key.
        auto step = g->login().beginLogin(kAlice, pw(kAlicePassword), kClient);
        QVERIFY(step);
        QVERIFY(!step->offered.contains(FactorKind::SecurityKey));
        // And the credential id is free again: the same key can be registered anew.
        CHECK_OK(enrollKey(*g, admin, QString(), QStringLiteral("back")));
    }

    // SES-04: adding a key changes the account's MFA, so it needs a fresh sign-in (or step-up)
    // like adding an authenticator app; a stale session is refused before the key is asked.
    void addingAKeyNeedsAFreshSession() {
        SoftFido key;
        Session admin;
        auto g = enrolled(key, &admin);
        QVERIFY(g);
        m_clock.advance(Gatehouse::kStepUpWindowSecs + 1);
        SoftFido spare;
        m_port.key = &spare;
        CHECK_CODE(enrollKey(*g, admin, QString(), QStringLiteral("Spare key")), Errc::StepUpRequired);
        QCOMPARE(factorCount(*g, admin, FactorKind::SecurityKey), 1);
        // A new sign-in (with the first key) is fresh.
        m_port.key = &key;
        auto fresh = keyLogin(*g);
        CHECK_OK(fresh);
        m_port.key = &spare;
        CHECK_OK(enrollKey(*g, *fresh, QString(), QStringLiteral("Spare key")));
        QCOMPARE(factorCount(*g, *fresh, FactorKind::SecurityKey), 2);
    }

    // A key alone is a primary second factor: recovery codes are offered after it.
    void recoveryCodesBackUpAKey() {
        SoftFido key;
        Session admin;
        auto g = signedInWithKey(key, &admin);
        QVERIFY(g);
        auto codes = gh::test::newRecoveryCodes(g->factors(), admin);
        CHECK_OK(codes);
        auto step = g->login().beginLogin(kAlice, pw(kAlicePassword), kClient);
        QVERIFY(step && !step->complete);
        QCOMPARE(step->offered, (QList<FactorKind>{FactorKind::SecurityKey, FactorKind::RecoveryCode}));
        g->login().cancelLogin(step->pendingId);
    }

    // Credentials belong to their account (FIDO-02): another user's key is "not registered".
    void keysBelongToTheirAccount() {
        SoftFido key;
        Session admin;
        auto g = signedInWithKey(key, &admin);
        QVERIFY(g);
        auto temp = g->accounts().addUser(admin, QStringLiteral("bob"), QStringLiteral("viewer"));
        CHECK_OK(temp);
        // bob: change the temporary password, enroll a key, then a password-only login is refused.
        auto bobTemp = g->login().fullLogin(QStringLiteral("bob"), *temp, kClient);
        CHECK_OK(bobTemp);
        CHECK_OK(g->login().changePassword(*bobTemp, *temp, pw("Tq7#vLp2!mZx9wRf-kite")));
        SoftFido bobKey;
        m_port.key = &bobKey;
        CHECK_OK(enrollKey(*g, *bobTemp, QString(), QStringLiteral("bob key")));
        auto step = g->login().beginLogin(QStringLiteral("bob"), pw("Tq7#vLp2!mZx9wRf-kite"), kClient);
        QVERIFY(step && !step->complete);
        // alice's key is not bob's: credentials are per account (FIDO-02, "belongs to the user").
        m_port.key = &key;
        CHECK_CODE(keyStep(*g, step->pendingId, QString(), nullptr), Errc::KeyNotRegistered);
        m_port.key = &bobKey;
        CHECK_OK(keyStep(*g, step->pendingId, QString(), nullptr));
    }

    // No key attached: a plain message, at once (no hang), for devices(), enroll and login.
    void noKeySaysSoPlainly() {
        m_port.key = nullptr;
        Session s;
        auto g = freshVault(&s);
        QVERIFY(g);
        QVERIFY(m_keyRunner.devices().isEmpty());
        auto r = enrollKey(*g, s, QString(), QStringLiteral("k"));
        CHECK_CODE(r, Errc::KeyNotFound);
        QCOMPARE(describe(r.error()), QStringLiteral("No security key found. Insert your key and try again."));
        QCOMPARE(exitCodeOf(r.code()), 3);
        SoftFido key;
        m_port.key = &key;
        QCOMPARE(m_keyRunner.devices().size(), 1);
        QCOMPARE(m_keyRunner.devices().first().path, QStringLiteral("softfido:0"));
        m_keyRunner.cancel(); // nothing waiting: harmless
    }

    // Cancel (from another thread in the GUI) is not lost when it comes while the key is being
    // opened: the operation stops before asking the key, and the next one is not affected.
    void cancelBeforeTheKeyIsAsked() {
        SoftFido key;
        Session s;
        auto g = freshVault(&s);
        QVERIFY(g);
        m_port.key = &key;

        m_port.onPrepare = [this] { m_keyRunner.cancel(); };
        auto r = enrollKey(*g, s, QString(), QStringLiteral("k"));
        CHECK_CODE(r, Errc::KeyCancelled);
        QCOMPARE(describe(r.error()), QStringLiteral("Cancelled."));
        QCOMPARE(key.makeCredentialCalls(), 0);
        m_port.onPrepare = nullptr;
        CHECK_OK(enrollKey(*g, s, QString(), QStringLiteral("k")));
        const auto e = lastEvent(*g, s, QStringLiteral("fido2.enroll_failed"));
        QVERIFY(e);
        QCOMPARE(e->detail, QStringLiteral("Cancelled."));
        // At sign-in: cancelled, then the same pending login completes with the key.
        auto step = g->login().beginLogin(kAlice, pw(kAlicePassword), kClient);
        QVERIFY(step && !step->complete);
        m_port.onPrepare = [this] { m_keyRunner.cancel(); };
        CHECK_CODE(keyStep(*g, step->pendingId, QString(), nullptr), Errc::KeyCancelled);
        QCOMPARE(key.getAssertionCalls(), 0);
        m_port.onPrepare = nullptr;
        CHECK_OK(keyStep(*g, step->pendingId, QString(), nullptr));
    }

    // ---- The ceremony split (issue 10 item 6): begin in the facade, the key in the client, finish
    // in the facade. These drive the three parts one by one, as a (possibly hostile) client could.

    // FIDO-02 (challenge single-use): a ceremony id is spent by its first finish, whatever the
    // outcome; it expires after kKeyCeremonySecs; it belongs to the session or pending login that
    // began it (another's is refused and stays usable by its owner), and to its kind.
    void FIDO02_ceremonyIdIsSingleUseExpiringAndOwn() {
        SoftFido key;
        Session s;
        auto g = freshVault(&s);
        QVERIFY(g);
        m_port.key = &key;
        // Enrolment: a failed finish spends the id; the good answer then comes too late.
        auto enrol = g->factors().beginSecurityKeyEnrollment(s, QStringLiteral("k"));
        CHECK_OK(enrol);
        auto made = m_keyRunner.makeCredential(QString(), *enrol, nullptr);
        CHECK_OK(made);
        KeyAttestation tampered = *made;
        tampered.authData[tampered.authData.size() - 1] ^= 0x01; // a bit of the public key
        QVERIFY(!g->factors().finishSecurityKeyEnrollment(s, enrol->ceremonyId, tampered).ok());
        CHECK_CODE(g->factors().finishSecurityKeyEnrollment(s, enrol->ceremonyId, *made),
                   Errc::KeyRejected); // replayed
        QCOMPARE(factorCount(*g, s, FactorKind::SecurityKey), 0);
        // An expired enrolment ceremony.
        enrol = g->factors().beginSecurityKeyEnrollment(s, QStringLiteral("k"));
        CHECK_OK(enrol);
        made = m_keyRunner.makeCredential(QString(), *enrol, nullptr);
        CHECK_OK(made);
        m_clock.advance(Gatehouse::kKeyCeremonySecs + 1);
        CHECK_CODE(g->factors().finishSecurityKeyEnrollment(s, enrol->ceremonyId, *made), Errc::KeyRejected);
        // The session may have gone stale meanwhile; a fresh one enrols normally.
        auto fresh = g->login().fullLogin(kAlice, pw(kAlicePassword), kClient);
        CHECK_OK(fresh);
        Session admin = std::move(fresh.value());
        enrol = g->factors().beginSecurityKeyEnrollment(admin, QStringLiteral("k"));
        CHECK_OK(enrol);
        auto spare = g->factors().beginSecurityKeyEnrollment(admin, QStringLiteral("k2")); // left open
        CHECK_OK(spare);
        made = m_keyRunner.makeCredential(QString(), *enrol, nullptr);
        CHECK_OK(made);
        CHECK_OK(g->factors().finishSecurityKeyEnrollment(admin, enrol->ceremonyId, *made));

        // Login: another pending login's id is refused and does not spend it.
        auto mine = g->login().beginLogin(kAlice, pw(kAlicePassword), kClient);
        auto other = g->login().beginLogin(kAlice, pw(kAlicePassword), kClient);
        QVERIFY(mine && !mine->complete && other && !other->complete);
        auto req = g->login().beginSecurityKeyAssertion(mine->pendingId);
        CHECK_OK(req);
        auto got = m_keyRunner.getAssertion(QString(), *req, nullptr);
        CHECK_OK(got);
        CHECK_CODE(g->login().completeLoginWithKeyAssertion(other->pendingId, req->ceremonyId, *got),
                   Errc::KeyRejected);
        // An enrolment's id is not a login's (and a login's not an enrolment's).
        CHECK_CODE(g->login().completeLoginWithKeyAssertion(mine->pendingId, spare->ceremonyId, *got),
                   Errc::KeyRejected);
        KeyAttestation none;
        CHECK_CODE(g->factors().finishSecurityKeyEnrollment(admin, req->ceremonyId, none), Errc::KeyRejected);
        // A corrupted signature spends the id; the good assertion replayed after it is refused.
        KeyAssertion bad = *got;
        bad.signature[bad.signature.size() / 2] ^= 0x01;
        CHECK_CODE(g->login().completeLoginWithKeyAssertion(mine->pendingId, req->ceremonyId, bad), Errc::KeyRejected);
        CHECK_CODE(g->login().completeLoginWithKeyAssertion(mine->pendingId, req->ceremonyId, *got), Errc::KeyRejected);
        // An expired login ceremony (the pending login itself lives longer).
        auto late = g->login().beginSecurityKeyAssertion(other->pendingId);
        CHECK_OK(late);
        auto lateGot = m_keyRunner.getAssertion(QString(), *late, nullptr);
        CHECK_OK(lateGot);
        m_clock.advance(Gatehouse::kKeyCeremonySecs + 1);
        QVERIFY(Gatehouse::kKeyCeremonySecs + 1 < Gatehouse::kPendingLoginSecs);
        CHECK_CODE(g->login().completeLoginWithKeyAssertion(other->pendingId, late->ceremonyId, *lateGot),
                   Errc::KeyRejected);
        // The pending login goes on with a new ceremony.
        CHECK_OK(keyStep(*g, other->pendingId, QString(), nullptr));
        const auto e = lastEvent(*g, admin, QStringLiteral("fido2.login_failed"));
        QVERIFY(e);
        QVERIFY2(e->detail.contains(QStringLiteral("unknown, already used or expired")), qPrintable(e->detail));
    }

    // FIDO-02 / §B.6 step 4, 9: an assertion over another challenge is refused, whether the client
    // reports the hash it signed or claims the issued one (then the signature does not verify).
    void FIDO02_assertionOverAnotherChallengeIsRefused() {
        SoftFido key;
        Session s;
        auto g = enrolled(key, &s);
        QVERIFY(g);
        for (bool lie : {false, true}) {
            auto step = g->login().beginLogin(kAlice, pw(kAlicePassword), kClient);
            QVERIFY(step && !step->complete);
            auto req = g->login().beginSecurityKeyAssertion(step->pendingId);
            CHECK_OK(req);
            KeyAssertionRequest other = *req;
            other.clientDataHash = crypto::sha256(QByteArrayLiteral("a challenge the service never issued"));
            auto got = m_keyRunner.getAssertion(QString(), other, nullptr);
            CHECK_OK(got);
            if (lie)
                got->clientDataHash = req->clientDataHash;
            auto r = g->login().completeLoginWithKeyAssertion(step->pendingId, req->ceremonyId, *got);
            CHECK_CODE(r, Errc::KeyRejected);
            QVERIFY2(r.error().detail.contains(lie ? QStringLiteral("signature") : QStringLiteral("another challenge")),
                     qPrintable(r.error().detail));
        }
    }

    // FIDO-01: an attestation made for another relying party, or over another challenge, is
    // refused at finish and nothing is stored.
    void FIDO01_attestationForAnotherRpOrChallengeIsRefused() {
        SoftFido key;
        Session s;
        auto g = freshVault(&s);
        QVERIFY(g);
        m_port.key = &key;
        auto req = g->factors().beginSecurityKeyEnrollment(s, QStringLiteral("k"));
        CHECK_OK(req);
        KeyRegistrationRequest evil = *req;
        evil.rpId = QStringLiteral("evil.example");
        auto made = m_keyRunner.makeCredential(QString(), evil, nullptr);
        CHECK_OK(made);
        auto r = g->factors().finishSecurityKeyEnrollment(s, req->ceremonyId, *made);
        CHECK_CODE(r, Errc::KeyRejected);
        QVERIFY2(r.error().detail.contains(QStringLiteral("another relying party")), qPrintable(r.error().detail));

        req = g->factors().beginSecurityKeyEnrollment(s, QStringLiteral("k"));
        CHECK_OK(req);
        KeyRegistrationRequest otherChallenge = *req;
        otherChallenge.clientDataHash = crypto::sha256(QByteArrayLiteral("not the service's challenge"));
        made = m_keyRunner.makeCredential(QString(), otherChallenge, nullptr);
        CHECK_OK(made);
        made->clientDataHash = req->clientDataHash; // claims the issued one: the self-signature fails
        r = g->factors().finishSecurityKeyEnrollment(s, req->ceremonyId, *made);
        CHECK_CODE(r, Errc::KeyRejected);
        QVERIFY2(r.error().detail.contains(QStringLiteral("attestation does not verify")),
                 qPrintable(r.error().detail));
        QCOMPARE(factorCount(*g, s, FactorKind::SecurityKey), 0);
    }

    // A client that reports something other than a key failure through abort gets it as a refused
    // answer; the report is audited and spends the ceremony.
    void abortTakesOnlyKeyErrors() {
        SoftFido key;
        Session s;
        auto g = freshVault(&s);
        QVERIFY(g);
        m_port.key = &key;
        auto req = g->factors().beginSecurityKeyEnrollment(s, QStringLiteral("k"));
        CHECK_OK(req);
        const Error shown =
            g->factors().abortSecurityKeyEnrollment(s, req->ceremonyId, Error{Errc::NotPermitted, {}, 0});
        QCOMPARE(shown.code, Errc::KeyRejected);
        auto made = m_keyRunner.makeCredential(QString(), *req, nullptr);
        CHECK_OK(made);
        CHECK_CODE(g->factors().finishSecurityKeyEnrollment(s, req->ceremonyId, *made), Errc::KeyRejected);
    }

    // A key failure's own text comes from the client: it reaches the person and the audit log as
    // one line of plain text (AUD-04), with what is not plain (ESC, a newline, a bidi override, an
    // invisible TAG character) as U+FFFD and the rest kept.
    void abortDetailIsOnePlainLine() {
        SoftFido key;
        Session s;
        auto g = freshVault(&s);
        QVERIFY(g);
        m_port.key = &key;
        auto req = g->factors().beginSecurityKeyEnrollment(s, QStringLiteral("k"));
        CHECK_OK(req);
        const QString told = QStringLiteral("touch refused\x1b[2J\nkey ok ") + QChar(0x202e) + QStringLiteral("nimda") +
                             QString::fromUcs4(U"\U000E0041") + QStringLiteral(" end");
        const Error shown =
            g->factors().abortSecurityKeyEnrollment(s, req->ceremonyId, Error{Errc::KeyDenied, told, 0});
        QCOMPARE(shown.code, Errc::KeyDenied);
        for (char32_t c : {U'\x1b', U'\n', U'\x202e', U'\U000E0041'})
            QVERIFY2(!shown.detail.toUcs4().contains(c), qPrintable(QString::number(c, 16)));
        QCOMPARE(shown.detail.count(QChar(0xfffd)), 4);
        QVERIFY(shown.detail.startsWith(QStringLiteral("touch refused")));
        QVERIFY(shown.detail.endsWith(QStringLiteral("nimda") + QChar(0xfffd) + QStringLiteral(" end")));
    }

    // AUD-04, red team t26 (e): a client's own words for an aborted ceremony cannot pass for the
    // source the bus vouched for. That source was the tail of the detail ("…; from program (uid,
    // pid, bus)"), so a client that reported "…; from gatehouse (uid 0, …)" wrote a second one;
    // now it is the event's own field, and the detail holds only what the client said.
    void clientTextCannotPassForTheOrigin() {
        SoftFido key;
        Session s;
        auto g = freshVault(&s);
        QVERIFY(g);
        m_port.key = &key;
        CallerOrigin real;
        real.known = true;
        real.uid = 1000;
        real.pid = 4242;
        real.program = QStringLiteral("gatehouse");
        real.peer = QStringLiteral(":1.7");
        const QString spoof = QStringLiteral("user pressed cancel; from gatehouse (uid 0, pid 1, bus :1.1)");
        {
            OriginScope scope(real);
            auto req = g->factors().beginSecurityKeyEnrollment(s, QStringLiteral("k"));
            CHECK_OK(req);
            (void)g->factors().abortSecurityKeyEnrollment(s, req->ceremonyId, Error{Errc::KeyCancelled, spoof, 0});
        }
        auto e = lastEvent(*g, s, QStringLiteral("fido2.enroll_failed"));
        QVERIFY(e);
        QCOMPARE(e->origin, QStringLiteral("gatehouse (uid 1000, pid 4242, bus :1.7)"));
        QVERIFY2(e->detail.endsWith(spoof), qPrintable(e->detail)); // the client's words, and nothing after them
        QVERIFY2(!e->detail.contains(real.describe()), qPrintable(e->detail));
        // The chain's MAC covers the field (tst_auditlog: changing, removing or moving it is seen).
    }

    // Every libfido2 code a person can meet maps to a typed error with a sentence.
    void errorMapping_data() {
        QTest::addColumn<int>("code");
        QTest::addColumn<int>("retries");
        QTest::addColumn<Errc>("expected");
        QTest::addColumn<QString>("message");
        QTest::newRow("no credentials") << FIDO_ERR_NO_CREDENTIALS << -1 << Errc::KeyNotRegistered << "not registered";
        QTest::newRow("excluded") << FIDO_ERR_CREDENTIAL_EXCLUDED << -1 << Errc::KeyAlreadyRegistered
                                  << "already registered";
        QTest::newRow("pin required") << FIDO_ERR_PIN_REQUIRED << -1 << Errc::KeyPinRequired << "PIN";
        QTest::newRow("pin wrong 3") << FIDO_ERR_PIN_INVALID << 3 << Errc::KeyPinWrong << "3 tries left";
        QTest::newRow("pin wrong 1") << FIDO_ERR_PIN_INVALID << 1 << Errc::KeyPinWrong << "1 try left";
        QTest::newRow("pin wrong last") << FIDO_ERR_PIN_INVALID << 0 << Errc::KeyPinBlocked << "blocked";
        QTest::newRow("pin blocked") << FIDO_ERR_PIN_BLOCKED << -1 << Errc::KeyPinBlocked << "reset";
        QTest::newRow("pin auth blocked")
            << FIDO_ERR_PIN_AUTH_BLOCKED << -1 << Errc::KeyPinBlocked << "insert it again";
        QTest::newRow("pin not set") << FIDO_ERR_PIN_NOT_SET << -1 << Errc::KeyRejected << "no PIN set";
        QTest::newRow("user action timeout") << FIDO_ERR_USER_ACTION_TIMEOUT << -1 << Errc::KeyTimeout << "touched";
        QTest::newRow("action timeout") << FIDO_ERR_ACTION_TIMEOUT << -1 << Errc::KeyTimeout << "touched";
        QTest::newRow("denied") << FIDO_ERR_OPERATION_DENIED << -1 << Errc::KeyDenied << "refused";
        QTest::newRow("cancel") << FIDO_ERR_KEEPALIVE_CANCEL << -1 << Errc::KeyCancelled << "Cancelled";
        QTest::newRow("tx") << FIDO_ERR_TX << -1 << Errc::KeyRemoved << "removed";
        QTest::newRow("rx") << FIDO_ERR_RX << -1 << Errc::KeyRemoved << "removed";
        QTest::newRow("invalid cbor") << FIDO_ERR_RX_INVALID_CBOR << -1 << Errc::KeyRejected << "malformed";
        QTest::newRow("unsupported alg") << FIDO_ERR_UNSUPPORTED_ALGORITHM << -1 << Errc::KeyRejected << "ES256";
        QTest::newRow("other") << FIDO_ERR_INTERNAL << -1 << Errc::KeyRejected << "reported an error";
    }
    void errorMapping() {
        QFETCH(int, code);
        QFETCH(int, retries);
        QFETCH(Errc, expected);
        QFETCH(QString, message);
        const Error e = keys::errorOf(code, retries);
        QCOMPARE(e.code, expected);
        QVERIFY2(describe(e).contains(message), qPrintable(describe(e)));
        QCOMPARE(layerOf(e.code), Layer::Verification);
    }
};

QTEST_GUILESS_MAIN(TestFido2)
#include "tst_fido2.moc"
