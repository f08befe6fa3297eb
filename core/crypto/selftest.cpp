#include "selftest.h"

#include "passwordhash.h"
#include "primitives.h"

#include <QByteArray>

#include <sodium.h>

namespace gh::crypto {

namespace {

bool sha256Kat() {
    // FIPS 180-2 example: SHA-256("abc").
    const QByteArray expected = QByteArray::fromHex("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    return sha256(QByteArrayLiteral("abc")) == expected;
}

bool argon2idKat() {
    // Argon2id v1.3, t=2, m=256 KiB, p=1, 32-byte tag, password "password", salt "somesaltsomesalt";
    // expected value computed with the reference implementation (the `argon2` command), not libsodium.
    const QByteArray expected = QByteArray::fromHex("cab746b4621993fdc91ec50787980b414a90a692f0bc68dfe19f9c25b3cba9ec");
    const SecureBuffer password("password", 8);
    const auto key = passwordhash::deriveKey(password, QByteArrayLiteral("somesaltsomesalt"), {2, 256u << 10}, 32);
    return key && constantTimeEqual(key->data(), key->size(),
                                    reinterpret_cast<const unsigned char*>(expected.constData()), 32);
}

bool phcRoundTrip() {
    const SecureBuffer password("self-test password", 18);
    const SecureBuffer other("self-test passworD", 18);
    const auto phc = passwordhash::hash(password, {1, 8u << 10});
    return phc && phc->startsWith("$argon2id$v=19$m=8,t=1,p=1$") && passwordhash::verify(*phc, password) &&
           !passwordhash::verify(*phc, other);
}

bool constantTimeCompare() {
    const QByteArray a = QByteArrayLiteral("0123456789abcdef");
    QByteArray b = a;
    b[15] = 'g';
    return constantTimeEqual(a, a) && !constantTimeEqual(a, b) && !constantTimeEqual(a, a.left(15));
}

bool randomness() {
    unsigned char a[32] = {}, b[32] = {};
    randombytes_buf(a, sizeof a);
    randombytes_buf(b, sizeof b);
    return sodium_memcmp(a, b, sizeof a) != 0 && !sodium_is_zero(a, sizeof a);
}

} // namespace

SelfTestReport runSelfTest() {
    if (!initialise())
        return {false, QStringLiteral("libsodium initialisation")};
    const struct {
        const char* name;
        bool (*run)();
    } checks[] = {
        {"SHA-256 known answer", sha256Kat},
        {"Argon2id known answer", argon2idKat},
        {"Argon2id PHC round trip", phcRoundTrip},
        {"constant-time compare", constantTimeCompare},
        {"CSPRNG output", randomness},
    };
    for (const auto& check : checks)
        if (!check.run())
            return {false, QString::fromLatin1(check.name)};
    return {true, {}};
}

} // namespace gh::crypto
