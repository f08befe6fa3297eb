// TOTP (RFC 6238) over HOTP (RFC 4226) through liboath — the only place that includes it.
// SECURITY.md OTP-01…OTP-03, ST-05. Codes are compared in constant time.
#pragma once

#include "../crypto/securebuffer.h"

#include <QString>

#include <cstdint>
#include <optional>

namespace gh {

enum class TotpAlgorithm { Sha1, Sha256, Sha512 };

QString totpAlgorithmName(TotpAlgorithm algorithm); // "SHA1", "SHA256", "SHA512"
std::optional<TotpAlgorithm> totpAlgorithmFromName(const QString& name);

struct TotpParams {
    TotpAlgorithm algorithm = TotpAlgorithm::Sha1; // the default issued, for common apps
    int digits = 6;                                // 6 or 8
    int period = 30;                               // seconds, 1…120 (OTP-03)
    static constexpr int kWindow = 1;              // ±1 step
    static constexpr int kSeedBytes = 20;          // 160 bits (ST-05)
    bool valid() const { return (digits == 6 || digits == 8) && period >= 1 && period <= 120; }
};

namespace totp {

bool initialise();
// The code for Unix time `now` (64-bit), zero-padded to params.digits.
QString generate(const SecureBuffer& seed, qint64 now, const TotpParams& params);
// The time step (counter) a code matches within ±kWindow of `now`, or nothing.
std::optional<std::int64_t> match(const SecureBuffer& seed, qint64 now, const TotpParams& params, const QString& code);
// The same for a code held in a wiping buffer (digits only; what people type is a secret, ST-06).
std::optional<std::int64_t> match(const SecureBuffer& seed, qint64 now, const TotpParams& params,
                                  const SecureBuffer& code);
inline std::int64_t stepOf(qint64 now, const TotpParams& params) {
    return now / params.period;
}

// RFC 4648 Base32 through liboath. encode() emits no padding (otpauth); decode() accepts lower
// case, spaces and missing padding, and fails on anything else. The encoded seed is as secret as
// the seed: base32EncodeSecure() keeps it in wiping memory (ST-05); base32Encode() is for tests
// and vectors.
QString base32Encode(const SecureBuffer& bytes);
SecureBuffer base32EncodeSecure(const SecureBuffer& bytes);
std::optional<SecureBuffer> base32Decode(const QString& text);

} // namespace totp
} // namespace gh
