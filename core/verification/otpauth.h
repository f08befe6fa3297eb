// otpauth:// Key URI format (SECURITY.md §B.5, OTP-06): emit and parse, strictly where it matters.
#pragma once

#include "totp.h"

#include <QString>

namespace gh {

enum class OtpauthError {
    None,
    NotOtpauth,      // scheme is not otpauth://
    UnsupportedType, // not "totp"
    MissingLabel,
    BadLabel, // ':' in account or issuer, bad percent-encoding
    MissingSecret,
    BadSecret,      // not Base32
    SecretTooShort, // below 128 bits (RFC 4226 §4 R6)
    IssuerMismatch, // label prefix and issuer= differ (spoofing vector)
    BadAlgorithm,
    BadDigits, // not 6 or 8
    BadPeriod, // not 1…120
    DuplicateParameter,
};

QString describeOtpauthError(OtpauthError error);

struct OtpauthKey {
    QString issuer;  // e.g. "Gatehouse"
    QString account; // e.g. "alice"
    SecureBuffer secret;
    TotpParams params;
};

namespace otpauth {

// otpauth://totp/Issuer:account?secret=…&issuer=Issuer&algorithm=SHA1&digits=6&period=30
// The result contains the secret: keep it in a SecureBuffer, never log it. Empty when the issuer
// or account contains ':' (no unambiguous escape exists, §B.5 #3).
SecureBuffer emit(const OtpauthKey& key);
OtpauthError parse(const QString& uri, OtpauthKey* out);

} // namespace otpauth
} // namespace gh
