// The facade: the only entry point ui/ and app/ use. It joins the layers (the login flow:
// identify → verify → throttle → issue a session), checks the caller's permission in core before
// every operation (L4), and audits each outcome with its layer.
//
// Thread safety: every public method takes an internal lock, so the GUI may call from a worker
// thread while the GUI thread asks for cheap things (checkPassword).
#pragma once

#include "access/permissions.h"
#include "audit/auditlog.h"
#include "audit/diagnosis.h"
#include "clock.h"
#include "crypto/passwordhash.h"
#include "crypto/random.h"
#include "crypto/securebuffer.h"
#include "errors.h"
#include "types.h"
#include "vault/keystore.h"
#include "vault/vault.h"
#include "verification/factors.h"
#include "verification/passwordpolicy.h"
#include "verification/totp.h"

#include <QDateTime>
#include <QHash>
#include <QList>
#include <QString>

#include <memory>
#include <mutex>
#include <vector>

namespace gh {

class SessionStore;
struct SessionRecord;

struct Services {
    Clock* clock = nullptr;         // default: SystemClock
    RandomSource* random = nullptr; // default: SystemRandom
    KeyStore* keys = nullptr;       // default: SecretServiceKeyStore
    Argon2Params hashParams = Argon2Params::policyDefault();
    Argon2Params kdfParams = Argon2Params::policyDefault(); // vault passphrase derivation
};

class Gatehouse {
public:
    explicit Gatehouse(Services services = {});
    ~Gatehouse();
    Gatehouse(const Gatehouse&) = delete;
    Gatehouse& operator=(const Gatehouse&) = delete;

    // $XDG_DATA_HOME/gatehouse/vault.db
    static QString defaultVaultPath();
    static bool vaultExists(const QString& path);
    static KeySource keySourceOf(const QString& path);
    // Whether a Secret Service answers (quick probe); used to offer the passphrase fallback.
    bool keychainAvailable();

    // L1. passphrase == nullptr → random key in the keychain.
    Status createVault(const QString& path, const SecureBuffer* passphrase = nullptr);
    // `acceptRestore`: open a vault that is behind its anti-rollback anchor anyway (a deliberate
    // restore; INT-01) and record who accepted what in the audit log. Deciding who may ask is the
    // caller's job (gatehoused: the service's own user or root, the break-glass path).
    Status openVault(const QString& path, const SecureBuffer* passphrase = nullptr, bool acceptRestore = false);
    bool isOpen() const;
    QString vaultPath() const;
    KeySource keySource() const;
    QString keyLocation() const;

    // First run: true while the vault has no user. No default accounts exist (PW-12).
    bool needsFirstAdmin();
    Status createFirstAdmin(const QString& username, const SecureBuffer& password);

    // The login state machine: identify + first factor (password) → second factor of another
    // category when the account holds one or its role requires MFA → session. Unknown user and
    // wrong password give the same error and cost the same time. All steps share the throttling
    // counter (RL-01…RL-03).
    Result<LoginStep> beginLogin(const QString& username, const SecureBuffer& password, const QString& client);
    Result<Session> completeLogin(const QString& pendingId, FactorKind kind, const SecureBuffer& code);
    void cancelLogin(const QString& pendingId);
    // One call for both steps (the CLI): `second` may be null when the account needs none;
    // otherwise Errc::SecondFactorRequired.
    Result<Session> login(const QString& username, const SecureBuffer& password, const QString& client,
                          FactorKind secondKind = FactorKind::Totp, const SecureBuffer* second = nullptr);
    Status logout(Session& session);
    Result<SessionInfo> validate(const Session& session);
    // Changes the caller's password (needs the current one, PW-10, and a fresh session, SES-04). On
    // success the session is re-issued with a new secret and without the restriction; its absolute
    // deadline, freshness and AAL stay what they were (only stepUp() renews freshness).
    Status changePassword(Session& session, const SecureBuffer& current, const SecureBuffer& next);
    // The caller's notices (not dismissed), oldest first, and dismissing one of them.
    Result<QList<AccountNotice>> notices(const Session& session);
    Status dismissNotice(const Session& session, qint64 noticeId);

    // Factors of the caller's own account (FactorsManageOwn), or of `username` (FactorsManageAny).
    Result<QList<FactorInfo>> listFactors(const Session& session, const QString& username = {});
    Result<AccountAssurance> assurance(const Session& session);
    // Creates a pending TOTP factor (SHA1/6/30, 20-byte seed); it expires after kPendingFactorSecs.
    Result<TotpEnrollment> beginTotpEnrollment(const Session& session, const QString& label);
    // Activates a pending TOTP factor with one valid code (OTP-05; needs a fresh session). The
    // session is re-issued (new secret) and records the factor as held; its AAL, freshness and
    // absolute deadline stay (a step-up with the new factor proves more).
    Status confirmTotp(Session& session, qint64 factorId, const QString& code);
    // A fresh set of kCount codes; the previous set stops working (RC-03).
    Result<std::vector<SecureBuffer>> regenerateRecoveryCodes(const Session& session);
    Status renameFactor(const Session& session, qint64 factorId, const QString& label);
    // Needs a fresh session and the account password again (re-authentication), and ends the
    // caller's other sessions that were opened with this kind of factor.
    Status removeFactor(const Session& session, qint64 factorId, const SecureBuffer& password);

    // Security keys (FIDO2, fido2api.cpp; SECURITY.md FIDO-01…07). The key is plugged in at the
    // seat, so the CTAP ceremony (libfido2, PIN, touch, cancel) runs in the client
    // (client/securitykey.h); the facade never opens a device. Each ceremony is begin (a fresh
    // challenge kept in memory with the enrolment or pending login, the allow or exclude list) →
    // the client asks the key → finish (verify the answer against what begin issued and the vault
    // stores, then store). A ceremony id is single-use: finish and abort consume it, whatever the
    // outcome; it expires after kKeyCeremonySecs and belongs to the session or pending login
    // that began it (another's is refused, as an unknown one: Errc::KeyRejected).
    // The vault's fixed relying-party id: credentials are bound to it (shown to people).
    Result<QString> relyingPartyId();
    // Enrolment for the caller's account (FactorsManageOwn, a fresh session, AAL2 once the account
    // holds a second factor). Like confirmTotp: on success the session is re-issued with the key
    // among its held factors, at the same AAL.
    Result<KeyRegistrationRequest> beginSecurityKeyEnrollment(const Session& session, const QString& name);
    Result<FactorInfo> finishSecurityKeyEnrollment(Session& session, const QString& ceremonyId,
                                                   const KeyAttestation& attestation);
    // The key failed in the client (no key, PIN, timeout, cancel…): audits it, ends the ceremony and
    // returns the error to show (the device's own; only Errc::Key… codes are taken as such).
    Error abortSecurityKeyEnrollment(const Session& session, const QString& ceremonyId, const Error& deviceError);
    // The second login step with a key, for a pending login that offered FactorKind::SecurityKey
    // (or the hard lock's way out, LoginStep::lockedOut: password + a key that verifies the user).
    Result<KeyAssertionRequest> beginSecurityKeyAssertion(const QString& pendingId);
    Result<Session> completeLoginWithKeyAssertion(const QString& pendingId, const QString& ceremonyId,
                                                  const KeyAssertion& assertion);
    // On the locked path only what the person can act on passes (plug the key in, its PIN, touch,
    // cancel); anything else ends the pending login and reads as the lock (Errc::LockedOut).
    Error abortSecurityKeyAssertion(const QString& pendingId, const QString& ceremonyId, const Error& deviceError);
    static constexpr int kKeyTimeoutMs = 30000;     // the client's wait for a touch
    static constexpr qint64 kKeyCeremonySecs = 120; // begin → finish, at most

    // Account administration (L4 checked here; every call needs a fresh session, AC-06).
    // Returns the one-time temporary password (PW-11); the new user must replace it at first login.
    Result<SecureBuffer> addUser(const Session& session, const QString& username, const QString& role);
    Result<QList<UserInfo>> listUsers(const Session& session);
    Status setUserEnabled(const Session& session, const QString& username, bool enabled);
    // Clears the failure counter of an account, including the hard lock at 100 (RL-02: from a
    // session at AAL2). The owner's own way out of the hard lock is LoginStep::lockedOut.
    Status unlockUser(const Session& session, const QString& username);

    // Vault facts and counts; needs an open vault, no session.
    Result<VaultStatus> status();
    Result<QList<AuditEvent>> recentAudit(const Session& session, int limit);

    // Audit as diagnosis (auditapi.cpp). A session whose roles hold audit.read reads every event;
    // any other live session reads only its own history: the events it acted in or that are about
    // it (the account ids recorded as actor or subject are its own: AC-02). Asking for another
    // account's events without audit.read is denied and audited (L4).
    Result<AuditPage> queryAudit(const Session& session, AuditQuery query);
    Result<AuditEvent> auditEvent(const Session& session, qint64 id);
    Result<Diagnosis> diagnoseAudit(const Session& session, qint64 id);
    // Walks the whole chain (≈1 s per million events); needs audit.read.
    Result<ChainReport> verifyAudit(const Session& session);
    // Per-layer health; like status(), needs an open vault and no session (counts only).
    Result<LayerHealth> layerHealth();
    // ---- Sessions (L3; SES-01…SES-07) ----
    // Records activity of the holder (the GUI calls it on input): slides the idle deadline.
    // validate() above only checks (it never counts as activity) and answers from memory after a
    // cheap check for other processes' changes; its error detail says why a session ended.
    Status touch(const Session& session);
    // Re-authentication without a new login: the password, plus a second factor when the account
    // holds one, proving at least the session's AAL (else Errc::NotPermitted; an AAL3 session
    // signs in again with its key). The session is replaced by one with a new secret, renewed
    // freshness and idle deadline, and the same absolute deadline (no path moves that, SES-03);
    // the old one ends ("step-up"). The only way to renew freshness (Errc::StepUpRequired).
    Status stepUp(Session& session, const SecureBuffer& password, FactorKind secondKind = FactorKind::Totp,
                  const SecureBuffer* second = nullptr);
    // The caller's sessions, or every account's (SessionsReadAll). Live ones first (newest first),
    // then with includeEnded the most recently ended ones (with reason and by whom).
    Result<QList<SessionInfo>> listSessions(const Session& session, bool allUsers = false, bool includeEnded = false);
    // Ends one session: the caller's current one (= logout, needs nothing), another of the
    // caller's (needs freshness, SES-06), or another account's (SessionsRevokeAny + freshness).
    Status revokeSession(const Session& session, const QString& sessionId);
    // All the caller's other sessions (freshness). Returns how many ended.
    Result<int> revokeOtherSessions(const Session& session);
    // Every session of one account, or of every account but the caller's own current one
    // (SessionsRevokeAny + freshness).
    Result<int> revokeUserSessions(const Session& session, const QString& username);
    Result<int> revokeAllSessions(const Session& session);
    // The concurrent-session limit, kept in the vault (meta). Reading needs SessionsReadAll or
    // PolicyManage; changing it needs PolicyManage and freshness.
    Result<SessionLimit> sessionLimit(const Session& session);
    Status setSessionLimit(const Session& session, SessionLimit limit);

    // Live policy feedback for a password being typed (pure; no vault needed).
    PasswordVerdict checkPassword(const QString& password, const QString& username) const;

    // Roles and permissions (L4, rolesapi.cpp). Roles live in the vault only (AC-03); every call
    // reads them at call time, so a change applies to live sessions at once (AC-04).
    // listRoles needs users.read; rolesOf needs nothing for one's own account, users.read otherwise.
    Result<QList<RoleInfo>> listRoles(const Session& session);
    Result<QStringList> rolesOf(const Session& session, const QString& username = {});
    // What this session may do now (names), for UIs deciding what to show. Core checks again.
    Result<QStringList> permissionsOf(const Session& session);
    // The following need roles.assign, a fresh session (signed in or stepped up within
    // kStepUpWindowSecs, else Errc::StepUpRequired) and never grant a permission the caller lacks.
    // The last holder of roles.assign keeps it (AC-06).
    Status createRole(const Session& session, const QString& name, const QStringList& permissions,
                      const QString& description = {});
    Status updateRole(const Session& session, const QString& name, const QStringList& permissions);
    Status deleteRole(const Session& session, const QString& name); // custom and unassigned only
    Status assignRole(const Session& session, const QString& username, const QString& role);
    Status revokeRole(const Session& session, const QString& username, const QString& role);
    // Freshness: sensitive operations need a sign-in or stepUp() within this window (SES-04).
    static constexpr qint64 kStepUpWindowSecs = 5 * 60;

    static constexpr qint64 kTempPasswordLifetimeSecs = 72 * 3600;
    static constexpr qint64 kPendingLoginSecs = 5 * 60;
    static constexpr qint64 kPendingFactorSecs = 10 * 60;
    static constexpr const char* kIssuer = "Gatehouse";

    // ---- For gatehoused, the service that owns the vault (serviceapi.cpp) ----
    // Which of these session ids are no longer live, with the reason each ended.
    QHash<QString, QString> endedAmong(const QStringList& sessionIds);
    // What a fresh open would check (file still a vault, key store still holding its key), without
    // reopening: each client's OpenVault of an already open vault (a damaged or re-keyed vault is
    // reported at once, not at the next restart).
    Status recheckVault();
    // Ends every live session (a service restart: secrets are never persisted, SES-02).
    Result<int> endAllSessions(const QString& reason);
    // Records an event the service itself observed (e.g. a session token presented by another
    // uid, L3). Never pass a secret.
    Status recordServiceEvent(const QString& actor, const QString& action, Layer layer, Outcome outcome,
                              const QString& subject, const QString& detail);

private:
    // login()/beginLogin() for a step-up of `reauth` (null: a sign-in). They take the lock
    // themselves and release it for Argon2id, so no caller may hold it.
    Result<LoginStep> beginLoginAs(const QString& username, const SecureBuffer& password, const QString& client,
                                   const SessionRecord* reauth);
    Result<Session> loginAs(const QString& username, const SecureBuffer& password, const QString& client,
                            FactorKind secondKind, const SecureBuffer* second, const SessionRecord* reauth);

    struct Impl;
    std::unique_ptr<Impl> d;
    mutable std::recursive_mutex m_lock;
};

} // namespace gh
