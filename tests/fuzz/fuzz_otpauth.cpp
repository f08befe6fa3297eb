// libFuzzer target for the parsers that read untrusted text (STYLE.md #13): otpauth:// URIs
// (scanned QR codes, pasted links), Base32 secrets and typed recovery codes. Besides "no crash,
// no sanitizer report", it checks round-trip properties, so a parser that accepts something it
// cannot reproduce is found too. Built with clang++ by tests/fuzz/run.sh, not by the g++ build.
#include "crypto/primitives.h"
#include "verification/otpauth.h"
#include "verification/recoverycodes.h"
#include "verification/totp.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>

using namespace gh;

namespace {

[[noreturn]] void fail(const char* what, const QString& input) {
    std::fprintf(stderr, "round-trip property violated: %s\ninput: %s\n", what, input.toUtf8().constData());
    std::abort();
}

bool same(const SecureBuffer& a, const SecureBuffer& b) {
    return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size()) == 0;
}

void base32(const QString& text) {
    const auto bytes = totp::base32Decode(text);
    if (!bytes)
        return;
    if (bytes->isEmpty())
        fail("base32Decode accepted input that decodes to nothing", text);
    const QString again = totp::base32Encode(*bytes);
    if (again.isEmpty() || again.contains(QLatin1Char('=')))
        fail("base32Encode output is empty or padded", text);
    const auto back = totp::base32Decode(again);
    if (!back || !same(*back, *bytes))
        fail("base32 encode/decode does not round-trip", text);
}

void otpauthUri(const QString& text) {
    OtpauthKey key;
    if (otpauth::parse(text, &key) != OtpauthError::None)
        return;
    if (key.secret.size() < 16)
        fail("parse accepted a secret below 128 bits", text);
    if (!key.params.valid())
        fail("parse accepted invalid TOTP parameters", text);
    if (key.account.isEmpty() || key.account.contains(QLatin1Char(':')) || key.issuer.contains(QLatin1Char(':')))
        fail("parse accepted an empty account or a ':' inside a name", text);
    const SecureBuffer uri = otpauth::emit(key);
    const QString emitted = QString::fromUtf8(uri.chars(), static_cast<qsizetype>(uri.size()));
    OtpauthKey back;
    const OtpauthError e = otpauth::parse(emitted, &back);
    if (e != OtpauthError::None)
        fail("emit(parse(x)) does not parse", text);
    if (back.issuer != key.issuer || back.account != key.account || !same(back.secret, key.secret) ||
        back.params.algorithm != key.params.algorithm || back.params.digits != key.params.digits ||
        back.params.period != key.params.period)
        fail("emit(parse(x)) parses to a different key", text);
}

void recoveryCode(const uint8_t* data, size_t size) {
    const SecureBuffer typed(reinterpret_cast<const char*>(data), size);
    const auto c = recoverycodes::canonical(typed);
    if (!c)
        return;
    const auto again = recoverycodes::canonical(*c);
    if (!again || !same(*again, *c))
        fail("recovery code canonical form is not a fixed point",
             QString::fromLatin1(reinterpret_cast<const char*>(data), static_cast<qsizetype>(size)));
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    static const bool ready = crypto::initialise() && totp::initialise();
    if (!ready)
        std::abort();
    if (size > 4096)
        return 0;
    const QString text = QString::fromUtf8(reinterpret_cast<const char*>(data), static_cast<qsizetype>(size));
    base32(text);
    otpauthUri(text);
    recoveryCode(data, size);
    return 0;
}
