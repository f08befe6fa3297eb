// Argon2id PHC strings, rehash decisions and key derivation (core/crypto/passwordhash). Covers ST-01, PW-07.
#include "crypto/passwordhash.h"
#include "crypto/primitives.h"

#include <QtTest>

using namespace gh;

namespace {
SecureBuffer pw(const char* s) {
    return SecureBuffer(s, std::strlen(s));
}
} // namespace

class TestPasswordHash : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QVERIFY(crypto::initialise()); }

    // ST-01: a standard PHC string with the policy parameters and a 16-byte salt, unique per hash.
    void phcStringIsStandard() {
        const Argon2Params params{2, 19u << 20};
        const auto a = passwordhash::hash(pw("correct horse battery staple"), params);
        const auto b = passwordhash::hash(pw("correct horse battery staple"), params);
        QVERIFY(a && b);
        static const QRegularExpression phc(
            QStringLiteral("^\\$argon2id\\$v=19\\$m=19456,t=2,p=1\\$([A-Za-z0-9+/]{22})\\$[A-Za-z0-9+/]{43}$"));
        const auto match = phc.match(QString::fromLatin1(*a));
        QVERIFY2(match.hasMatch(), a->constData());
        QCOMPARE(QByteArray::fromBase64(match.captured(1).toLatin1()).size(), 16); // 128-bit salt
        QVERIFY(*a != *b);                                                         // per-hash random salt
        QVERIFY(passwordhash::verify(*a, pw("correct horse battery staple")));
        QVERIFY(passwordhash::verify(*b, pw("correct horse battery staple")));
    }

    void policyDefaultMeetsFloor() {
        QVERIFY(Argon2Params::policyDefault().meetsFloor());
        QCOMPARE(Argon2Params::policyDefault().opsLimit, 3ull);
        QCOMPARE(Argon2Params::policyDefault().memLimitBytes, std::size_t(64u << 20));
        QVERIFY(!Argon2Params::testing().meetsFloor());
    }

    // PW-07: no truncation, no case folding.
    void verifyIsExact_data() {
        QTest::addColumn<QByteArray>("stored");
        QTest::addColumn<QByteArray>("attempt");
        QByteArray long72(72, 'a');
        QTest::newRow("PW-07 appended character")
            << QByteArray("tangerine umbrella") << QByteArray("tangerine umbrellax");
        QTest::newRow("PW-07 case differs") << QByteArray("tangerine umbrella") << QByteArray("Tangerine umbrella");
        QTest::newRow("PW-07 same first 72 bytes") << (long72 + "one") << (long72 + "two");
        QTest::newRow("prefix") << QByteArray("tangerine umbrella") << QByteArray("tangerine");
    }
    void verifyIsExact() {
        QFETCH(QByteArray, stored);
        QFETCH(QByteArray, attempt);
        const auto phc = passwordhash::hash(SecureBuffer::fromBytes(stored), Argon2Params::testing());
        QVERIFY(phc);
        QVERIFY(passwordhash::verify(*phc, SecureBuffer::fromBytes(stored)));
        QVERIFY(!passwordhash::verify(*phc, SecureBuffer::fromBytes(attempt)));
    }

    // ST-01: rehash when the policy rises, not when it is equal or the stored hash is stronger.
    void needsRehash_data() {
        QTest::addColumn<quint64>("storedT");
        QTest::addColumn<quint64>("storedMKiB");
        QTest::addColumn<quint64>("policyT");
        QTest::addColumn<quint64>("policyMKiB");
        QTest::addColumn<bool>("expected");
        QTest::newRow("equal") << quint64(2) << quint64(1024) << quint64(2) << quint64(1024) << false;
        QTest::newRow("policy t rises") << quint64(1) << quint64(1024) << quint64(2) << quint64(1024) << true;
        QTest::newRow("policy m rises") << quint64(2) << quint64(1024) << quint64(2) << quint64(2048) << true;
        QTest::newRow("stored stronger") << quint64(3) << quint64(2048) << quint64(2) << quint64(1024) << false;
    }
    void needsRehash() {
        QFETCH(quint64, storedT);
        QFETCH(quint64, storedMKiB);
        QFETCH(quint64, policyT);
        QFETCH(quint64, policyMKiB);
        QFETCH(bool, expected);
        const auto phc = passwordhash::hash(pw("x"), {storedT, static_cast<std::size_t>(storedMKiB) * 1024});
        QVERIFY(phc);
        QCOMPARE(passwordhash::needsRehash(*phc, {policyT, static_cast<std::size_t>(policyMKiB) * 1024}), expected);
    }

    void malformedHashNeverVerifies() {
        QVERIFY(!passwordhash::verify("$argon2id$v=19$m=8,t=1,p=1$AAAA$BBBB", pw("x")));
        QVERIFY(!passwordhash::verify("", pw("")));
        QVERIFY(passwordhash::needsRehash("garbage", Argon2Params::testing()));
    }

    // RL-04: the dummy hash is a real hash at the same parameters that matches nothing typed.
    void dummyHashHasPolicyParameters() {
        const QByteArray dummy = passwordhash::dummyHash({1, 64u << 10});
        QVERIFY(dummy.startsWith("$argon2id$v=19$m=64,t=1,p=1$"));
        QVERIFY(!passwordhash::verify(dummy, pw("")));
        QVERIFY(!passwordhash::verify(dummy, pw("password")));
        QCOMPARE(passwordhash::dummyHash({1, 64u << 10}), dummy); // computed once
    }

    // Known answer from the reference Argon2 implementation (not libsodium): Argon2id v1.3,
    // t=2, m=256 KiB, p=1, password "password", salt "somesaltsomesalt".
    // (RFC 9106 §5.3 uses a secret and associated data, which libsodium cannot set.)
    void deriveKeyKnownAnswer() {
        const auto key = passwordhash::deriveKey(pw("password"), "somesaltsomesalt", {2, 256u << 10});
        QVERIFY(key);
        QCOMPARE(QByteArray(key->chars(), 32).toHex(),
                 QByteArray("cab746b4621993fdc91ec50787980b414a90a692f0bc68dfe19f9c25b3cba9ec"));
        QVERIFY(!passwordhash::deriveKey(pw("password"), "short", {2, 256u << 10}));
    }
};

QTEST_GUILESS_MAIN(TestPasswordHash)
#include "tst_passwordhash.moc"
