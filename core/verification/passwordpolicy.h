// The password policy of DESIGN.md / SECURITY.md PW-01…PW-08. Pure: no storage.
#pragma once

#include "../crypto/securebuffer.h"

#include <QString>

namespace gh {

enum class PasswordIssue {
    None,
    Empty,
    TooShort,          // fewer code points than the minimum
    TooLong,           // over the hard byte cap (bounds hashing cost)
    Blocklisted,       // on the breached/common list (cracklib dictionary)
    ContextWord,       // is or is built from the username or the product name
    InvalidCharacters, // control characters
};

struct PasswordVerdict {
    PasswordIssue issue = PasswordIssue::None;
    int codePoints = 0;
    int minimum = 0;
    QString reason; // cracklib's reason for Blocklisted, the matched word for ContextWord
    bool acceptable() const { return issue == PasswordIssue::None; }
};

class PasswordPolicy {
public:
    static constexpr int kMinSingleFactor = 15;
    static constexpr int kMinWithMfa = 8;
    static constexpr int kHardCapBytes = 1024;

    // NFKC normalisation; the form that is hashed and compared.
    static QString normalise(const QString& password);
    static int codePoints(const QString& text);

    // mfaRequired: the account always needs a second factor (then 8 code points suffice).
    static PasswordVerdict check(const QString& password, const QString& username, bool mfaRequired = false);
    // The same for a password held in a wiping buffer; no copy outlives the call (ST-06).
    static PasswordVerdict check(const SecureBuffer& password, const QString& username, bool mfaRequired = false);
    // Guidance sentence for people, for a verdict (shared by GUI and CLI).
    static QString explain(const PasswordVerdict& verdict);
};

} // namespace gh
