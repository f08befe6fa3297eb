// Typed errors shared by every layer of the core, and the one result type fallible calls return.
// Each error knows the layer it belongs to (L1 storage … L4 access) and the CLI exit code it maps to,
// so the GUI, the CLI and the audit log diagnose a failure the same way.
#pragma once

#include <QString>

#include <optional>
#include <utility>
#include <variant>

namespace gh {

// None: input and general errors that no layer of the model owns (bad usernames, duplicates, bugs).
enum class Layer { None = 0, Storage = 1, Verification = 2, Session = 3, Access = 4 };

enum class Errc {
    // L1 storage
    VaultNotFound,       // no vault at the path
    VaultExists,         // create() on an existing vault
    VaultWrongKey,       // key does not decrypt the file
    VaultNotAVault,      // the file is not a SQLCipher vault (plain SQLite, empty, other data)
    VaultCorrupt,        // truncated or damaged
    VaultNewerSchema,    // written by a newer Gatehouse
    VaultRolledBack,     // behind its anti-rollback anchor (restored copy, lost WAL, removed events)
    KeychainLocked,      // the Secret Service answered but the keyring is locked
    VaultReadOnly,       // location or file not writable
    VaultIo,             // other I/O problem (disk full, permissions)
    VaultBusy,           // another process held the lock past the busy timeout
    KeyMissing,          // keychain reachable but holds no key for this vault
    KeychainUnavailable, // no Secret Service answered (or it timed out)
    PassphraseRequired,  // the vault is passphrase-protected and none was given
    ServiceUnavailable,  // gatehoused (the only process that opens the vault) could not be reached or started
    // L2 credential verification
    AuthenticationFailed, // unknown user or wrong password: deliberately one code
    Throttled,            // too many failures: wait Error::retryAfterSeconds
    LockedOut,            // hard lock after the failure limit
    AccountDisabled,
    PasswordRejected, // new password fails the policy (see Error::detail)
    PasswordChangeRequired,
    SecondFactorRequired, // the password was right; the account needs a code too
    CodeWrong,            // TOTP or recovery code does not match
    CodeExpired,          // TOTP code from outside the ±1 step window (old, or a clock off)
    CodeReplayed,         // TOTP code of a step already used (OTP-02)
    LoginExpired,         // the pending login (between password and code) timed out
    // L3 sessions
    SessionInvalid, // unknown, ended or expired session
    // L4 access control
    NotPermitted,
    // input and general
    InvalidUsername,
    UserExists,
    UserNotFound,
    FactorNotFound,
    AlreadyInitialised, // first admin exists already
    InvalidArgument,
    SelfTestFailed,
    Internal,
    StepUpRequired, // L3: the operation needs a sign-in within the last 5 minutes (a step-up)
    // L2 security keys (FIDO2, core/verification/fido2.h). Error::detail holds the message for
    // people (never a secret), e.g. how many PIN tries are left.
    KeyNotFound,          // no security key attached
    KeyNotRegistered,     // the key holds none of this account's credentials
    KeyAlreadyRegistered, // enrolling a key that already holds a credential of this account (or anyone's)
    KeyPinRequired,       // the key needs its PIN: ask for it and try again
    KeyPinWrong,          // wrong PIN; detail says how many tries are left
    KeyPinBlocked,        // too many wrong PINs: the key must be reset
    KeyTimeout,           // the key was not touched in time
    KeyDenied,            // the person (or the key) refused
    KeyCancelled,         // cancelled by the person
    KeyRemoved,           // the key was unplugged during the operation
    KeyRejected,          // the reply failed a check (malformed, wrong RP, no presence, bad signature)
    KeyCloneSuspected,    // signature counter went backwards (FIDO-04)
    SessionLimitReached,  // L3: the account has as many live sessions as the policy allows
    ServiceBusy,          // gatehoused refused the call: the caller has too many calls in progress (retryAfterSeconds)
    // L4: a guard, not a missing permission: the change would leave no enabled account that can
    // assign roles (revoking, disabling or deleting the last administrator). Error::detail says
    // who and what to do ("alice is the only administrator — make someone else one first").
    LastAdministrator,
};

struct Error {
    Errc code = Errc::Internal;
    QString detail;               // technical detail for logs/`--verbose`; never a secret
    qint64 retryAfterSeconds = 0; // for Throttled and ServiceBusy
};

Layer layerOf(Errc code);
QString layerName(Layer layer); // "L1" … "L4"
int exitCodeOf(Errc code);      // DESIGN.md exit codes
// The human message for an error, shared by the GUI and the CLI so both say the same thing.
QString describe(const Error& error);

// A small expected<T, Error>: g++ 12 has std::expected only in C++23 mode.
template <class T> class [[nodiscard]] Result {
public:
    Result(T value) : m_v(std::move(value)) {}
    Result(Error error) : m_v(std::move(error)) {}
    Result(Errc code) : m_v(Error{code, {}, 0}) {}

    bool ok() const { return m_v.index() == 0; }
    explicit operator bool() const { return ok(); }
    T& value() & { return std::get<0>(m_v); }
    const T& value() const& { return std::get<0>(m_v); }
    T&& value() && { return std::get<0>(std::move(m_v)); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    T& operator*() & { return value(); }
    // Safe to call on success too (returns an Internal placeholder), so messages can be built eagerly.
    const Error& error() const {
        static const Error none{Errc::Internal, QStringLiteral("no error"), 0};
        return ok() ? none : std::get<1>(m_v);
    }
    Errc code() const { return ok() ? Errc::Internal : error().code; }

private:
    std::variant<T, Error> m_v;
};

struct Ok {};
using Status = Result<Ok>;
inline Status ok() {
    return Ok{};
}

} // namespace gh
