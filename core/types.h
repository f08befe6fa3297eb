// The facade's value types: what a login, a session, an account, a factor, a role, the vault and
// its health look like to the programs that use Gatehouse. Plain data with no storage behind it:
// gatehoused (through core/gatehouse.h) and its clients (client/, which never links the vault)
// share these definitions.
#pragma once

#include "access/permissions.h"
#include "audit/auditevent.h"
#include "audit/diagnosis.h"
#include "crypto/securebuffer.h"
#include "errors.h"
#include "vault/keysource.h"
#include "verification/factors.h"
#include "verification/passwordpolicy.h"
#include "verification/stuffingpolicy.h"
#include "verification/totp.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>

#include <vector>

namespace gh {

struct UserInfo {
    QString username;
    QString role; // "admin", "operator", "viewer" or empty
    bool enabled = true;
    bool mustChangePassword = false;
    bool locked = false;      // hard lock after throttle::kLockAt failures: only an unlock lifts it
    qint64 throttledSecs = 0; // password sign-ins wait this long from the answer's time; 0: not now
    QDateTime created;
    QDateTime lastLogin; // invalid when never
    QStringList roles;   // every role held, primary first (role == roles.value(0))
};

// A role as stored in the vault (issue 6): built-in (admin, operator, viewer) or custom.
struct RoleInfo {
    QString name;
    bool builtIn = false;
    QString description;
    QStringList permissions; // permission names ("users.read", …) in declaration order
    int holders = 0;         // accounts holding it
};

// What a session may do besides its role: a temporary password must be replaced first; an
// administrator without a second factor may only enroll one (the admin role requires MFA).
enum class Restriction { None = 0, ChangePassword = 1, EnrollSecondFactor = 2 };

// A notice for an account's owner (issue 16): something that happened to the account that its
// owner should know (a factor added or removed, a recovery code used, a replayed code, a key that
// may be cloned). Notices only accumulate; each stays until its owner dismisses it.
struct AccountNotice {
    qint64 id = 0;
    QDateTime created;
    bool alert = false; // a security alert rather than information
    QString text;       // for people
    bool shown = false; // delivered with an earlier sign-in
};

struct SessionInfo {
    QString id; // public id, safe to show
    QString username;
    QString role;
    QString client;
    QDateTime created;
    QDateTime expires;
    FactorCategory factor = FactorCategory::Knowledge; // strongest category proven
    // What the sign-in (or step-up) proved, plus factors this session enrolled since: those are
    // held, not proven, and do not raise `aal` (issue 16).
    QList<FactorKind> factors;
    Aal aal = Aal::Aal1;
    Restriction restriction = Restriction::None;
    bool restricted = false;   // restriction != None
    QString restrictionReason; // why, for people
    QString noticeForUser;     // e.g. "a recovery code was used; 9 left", shown after login; may be empty
    // At sign-in: every notice of the account not dismissed yet, oldest first. noticeForUser holds
    // the text of those not shown before (plus what this sign-in itself has to say).
    QList<AccountNotice> notices;
    // Lifetimes and origin (sessions issue). Times left are measured on the monotonic clock at
    // the moment the info was made; the wall-clock fields are for display.
    QString host;
    qint64 pid = 0;
    QDateTime lastActive;
    QDateTime lastAuthenticated;
    qint64 idleTimeoutSecs = 0;
    qint64 idleLeftSecs = 0;
    qint64 absoluteLeftSecs = 0;
    qint64 freshLeftSecs = 0; // sensitive operations need > 0 (else Errc::StepUpRequired)
    bool current = false;     // in listSessions: the caller's own session
    bool active = true;       // false once ended (listSessions with ended ones)
    QDateTime ended;
    QString endReason; // "logout", "idle timeout", "revoked", "user disabled", …
    QString endedBy;   // the account that ended it, when a person did
};

// Concurrent sessions per account (SES-07): 0 = unlimited (the default).
enum class SessionLimitMode { Refuse, EndOldest };
struct SessionLimit {
    int maxPerUser = 0;
    SessionLimitMode mode = SessionLimitMode::Refuse;
};

// What a caller holds after a login: the public info and the secret. Move-only; the secret is
// never written anywhere and is wiped when the session object dies.
struct Session {
    SessionInfo info;
    SecureBuffer secret;
};

struct FactorInfo {
    qint64 id = 0;
    FactorKind kind = FactorKind::Totp;
    FactorCategory category = FactorCategory::Possession;
    QString label;
    bool pending = false; // TOTP waiting for its first code
    QDateTime created;
    QDateTime lastUsed; // invalid when never
    QDateTime expires;  // pending factors only
    int codesLeft = 0;  // recovery codes only
    TotpParams totp;    // TOTP only
    // Security keys only.
    QString keyAlgorithm;          // "ES256", "EdDSA"
    bool keyUserVerifying = false; // has a PIN or built-in UV
    QString keyAaguid;             // model identifier (hex), not secret
    QString keyAttestation;        // "packed (x5c)", "packed (self)", "none"
};

// A TOTP factor waiting for its confirming code. `uri` and `secretBase32` contain the seed:
// show them once (QR code, manual key), never log or store them.
struct TotpEnrollment {
    qint64 factorId = 0;
    SecureBuffer uri;
    SecureBuffer secretBase32;
    QString issuer;
    QString account;
    TotpParams params;
    QDateTime expires;
};

// A new set of recovery codes that does not replace the current one until the person types one of
// them back (FactorsService::confirmRecoveryCodes); cancelling it, letting it expire, or a service
// restart leaves the current set working (issue 12). `codes` are secrets: show them once, never
// log or store them. The set lives in the service's memory only, bound to the account.
struct PendingRecoveryCodes {
    QString setId; // opaque, not secret
    std::vector<SecureBuffer> codes;
    QDateTime expires; // after this the set is gone and confirming it fails
};

// Which categories an account holds (active factors) and what a login can reach with them.
struct AccountAssurance {
    QList<FactorCategory> categories;
    Aal reachable = Aal::Aal1;
    bool mfaRequired = false; // by role (admin)
};

// After the first factor: either the session, or a pending login that needs a second factor of
// another category. The pending login lives in memory only and expires (kPendingLoginSecs).
struct LoginStep {
    bool complete = false;
    Session session;           // when complete
    QString pendingId;         // when not complete
    QList<FactorKind> offered; // second factors the account holds
    // The account is hard-locked (throttle::kLockAt failures). Only the owner's way out is offered:
    // a recovery code (completeLogin) or a security key that verifies the user (completeLoginWithKey),
    // together with the password already given, which is not judged before then (no password
    // oracle). Success is audited and resets the counter; any failure is Errc::LockedOut.
    bool lockedOut = false;
};

// A security key present at the seat (client/securitykey.h lists them; the service never does).
struct Fido2DeviceInfo {
    QString path; // e.g. /dev/hidraw3, or "softfido:0" in tests
    QString manufacturer;
    QString product;
};

// Security keys across the process boundary (DESIGN.md, "Trust boundary and processes"): the
// service begins a ceremony (fresh challenge, lists), the client runs it on the key at the seat
// (libfido2, PIN, touch, cancel), the service verifies the key's answer against what it stored.
// A ceremony id is single-use and expires (Gatehouse::kKeyCeremonySecs); the challenge behind
// clientDataHash lives in the service's memory only (FIDO-01/02). None of these hold a secret.
struct KeyRegistrationRequest {
    QString ceremonyId;
    QString rpId;
    QString rpName;
    QByteArray userId; // opaque handle, never the name
    QString userName;
    QString displayName;
    QByteArray clientDataHash;            // SHA-256 of the client data around the service's challenge
    QList<QByteArray> excludeCredentials; // the account's credential ids: a key refuses to register twice
    QList<int> algorithms;                // COSE ids the service accepts, preferred first
    int timeoutMs = 30000;                // how long the key waits for a touch
};

// The key's answer to a KeyRegistrationRequest, as libfido2 returned it (untrusted).
struct KeyAttestation {
    QString format;            // "packed", "none", "fido-u2f", "tpm"
    int algorithm = 0;         // COSE id of the new credential
    QByteArray authData;       // CBOR byte string (fido_cred_authdata_ptr)
    QByteArray attestation;    // attStmt, CBOR (fido_cred_attstmt_ptr)
    QByteArray clientDataHash; // what the key was asked to sign over (must be the request's)
    bool pinSet = false;       // the key has a PIN (GetInfo): display only
    bool builtInUv = false;    // the key has built-in UV (GetInfo): display only
};

struct KeyAssertionRequest {
    QString ceremonyId;
    QString rpId;
    QByteArray clientDataHash;
    QList<QByteArray> allowCredentials; // this account's credential ids (FIDO-02)
    bool userVerification = false;      // UV required (the hard lock's way out)
    int timeoutMs = 30000;
};

// The key's answer to a KeyAssertionRequest (untrusted).
struct KeyAssertion {
    QByteArray credentialId;
    QByteArray authData;  // CBOR byte string (fido_assert_authdata_ptr)
    QByteArray signature; // over authData || clientDataHash
    QByteArray userHandle;
    QByteArray clientDataHash;
};

struct VaultStatus {
    QString path;
    KeySource keySource = KeySource::Keychain;
    QString keyLocation; // for people: "Secret Service (entry …)" or "passphrase (Argon2id)"
    int schemaVersion = 0;
    // The counts below are -1 when gatehoused hides them (system mode, a caller without a session).
    int users = 0;
    int admins = 0;
    int disabledUsers = 0;
    int lockedUsers = 0;
    int activeSessions = 0;
    qint64 auditEvents = 0;
    bool auditChainIntact = false;
    bool ownerOnlyPermissions = false; // vault file mode is 0600 (or stricter)
};

// Per-layer health for Home and `gatehousectl status` (StatusService::layerHealth). Counts only, no names.
struct HealthNote {
    Layer layer = Layer::None;
    bool warning = false; // false: a summary line
    QString text;         // for people
    QString screen;       // where it is fixed: "users", "security", "sessions", "roles", "audit" or empty
};

struct LayerHealth {
    // L1 storage
    bool vaultEncrypted = false;  // the file is SQLCipher data, not plain SQLite
    bool auditChainIntact = true; // the hash chain of the audit log checks out
    KeySource keySource = KeySource::Keychain;
    QString keyLocation;
    bool ownerOnlyPermissions = false;
    QString filePermissions; // octal, e.g. "0600"
    // L2 credential verification
    int accounts = 0; // enabled accounts
    int accountsWithMfa = 0;
    int accountsWithoutMfa = 0;
    int adminsWithoutMfa = 0;
    int lockedAccounts = 0;
    int throttledAccounts = 0;        // waiting out a delay after repeated failures, now
    bool attackInProgress = false;    // the credential-stuffing detector has tripped (issue 13)
    QStringList privilegedWithoutMfa; // accounts whose roles need a second factor and who hold none
    // L3 sessions
    int activeSessions = 0;
    QString lifetimePolicy;
    // L4 access control
    int admins = 0;
    int usersWithoutRole = 0;
    int customRoles = -1;    // -1: roles are not vault data in this build ("not yet")
    QList<HealthNote> notes; // per layer: one summary line, then its warnings
    int warnings() const;
};

} // namespace gh
