// io.gatehouse.Gatehouse1.Login (app/gatehoused/iface_login.cpp): signing in (one or two steps,
// the second with a code or a security key), checking a session and recording its activity,
// step-up, the password change and signing out. Reached as gh.login().
#pragma once

#include "crypto/securebuffer.h"
#include "errors.h"
#include "facade/service.h"
#include "types.h"

#include <QList>
#include <QString>

#include <functional>
#include <memory>
#include <mutex>
#include <optional>

namespace gh {

struct KeyRow;
struct SessionRecord;
struct UserRow;

class LoginService : public FacadeService {
public:
    explicit LoginService(Core& core);
    ~LoginService();

    // The login state machine: identify + first factor (password) → second factor of another
    // category when the account holds one or its role requires MFA → session. Unknown user and
    // wrong password give the same error and cost the same time. All steps share the throttling
    // counter (RL-01…RL-03).
    Result<LoginStep> beginLogin(const QString& username, const SecureBuffer& password, const QString& client);
    Result<Session> completeLogin(const QString& pendingId, FactorKind kind, const SecureBuffer& code);
    void cancelLogin(const QString& pendingId);
    // The whole login in one call (D-Bus Login.Login; the CLI): `second` may be null when the
    // account needs none; otherwise Errc::SecondFactorRequired.
    Result<Session> fullLogin(const QString& username, const SecureBuffer& password, const QString& client,
                              FactorKind secondKind = FactorKind::Totp, const SecureBuffer* second = nullptr);
    Status logout(Session& session);

    // Checks a session: never counts as activity, answers from memory after a cheap check for
    // other processes' changes; its error detail says why a session ended.
    Result<SessionInfo> validate(const Session& session);
    // Records activity of the holder (the GUI calls it on input): slides the idle deadline.
    Status touch(const Session& session);
    // Re-authentication without a new login: the password, plus a second factor when the account
    // holds one, proving at least the session's AAL (else Errc::NotPermitted; an AAL3 session
    // signs in again with its key). The session is replaced by one with a new secret, renewed
    // freshness and idle deadline, and the same absolute deadline (no path moves that, SES-03);
    // the old one ends ("step-up"). The only way to renew freshness (Errc::StepUpRequired).
    Status stepUp(Session& session, const SecureBuffer& password, FactorKind secondKind = FactorKind::Totp,
                  const SecureBuffer* second = nullptr);
    // Changes the caller's password (needs the current one, PW-10, and a fresh session, SES-04). On
    // success the session is re-issued with a new secret and without the restriction; its absolute
    // deadline, freshness and AAL stay what they were (only stepUp() renews freshness).
    Status changePassword(Session& session, const SecureBuffer& current, const SecureBuffer& next);

    // The second login step with a security key, for a pending login that offered
    // FactorKind::SecurityKey (or the hard lock's way out, LoginStep::lockedOut: password + a key
    // that verifies the user). The ceremony runs as described at FactorsService's enrolment; its id
    // belongs to the pending login that began it.
    Result<KeyAssertionRequest> beginSecurityKeyAssertion(const QString& pendingId);
    Result<Session> completeLoginWithKeyAssertion(const QString& pendingId, const QString& ceremonyId,
                                                  const KeyAssertion& assertion);
    // Passwordless sign-in with a security key that verifies its user (issue 13 item 3, ATK-04):
    // begins a pending login for `username` without a password; the key step then runs as above
    // (beginSecurityKeyAssertion → key → completeLoginWithKeyAssertion) with user verification
    // required. No attempt counter is charged (a signature cannot be guessed; the key counts PIN
    // guesses itself), so neither guesses at the password — the password path throttled or
    // hard-locked — nor made-up key answers keep the owner out; the stuffing detector sees its
    // failures but does not pace it. Every name, known or not,
    // with or without keys, gets the same answer (RL-04): the key finds no credential for it.
    // Success: a session at AAL3 (key = possession, its PIN or fingerprint = knowledge/inherence).
    Result<LoginStep> beginKeyLogin(const QString& username, const QString& client);
    // On the locked path only what the person can act on passes (plug the key in, its PIN, touch,
    // cancel); anything else ends the pending login and reads as the lock (Errc::LockedOut).
    Error abortSecurityKeyAssertion(const QString& pendingId, const QString& ceremonyId, const Error& deviceError);

    // The credential-stuffing detector's thresholds (ATK-01; verification/stuffing.h), kept in the
    // vault (meta). Reading needs policy.manage or audit.read; changing needs policy.manage and
    // freshness, and is audited.
    Result<StuffingPolicy> stuffingPolicy(const Session& session);
    Status setStuffingPolicy(const Session& session, const StuffingPolicy& policy);

private:
    // Logins between their password and their second factor, and their key ceremonies: in memory
    // only, never persisted (loginservice.cpp).
    struct PendingLogin;
    struct State;

    // fullLogin()/beginLogin() for a step-up of `reauth` (null: a sign-in). They take the lock
    // themselves and release it for Argon2id, so no caller may hold it.
    Result<LoginStep> beginLoginAs(const QString& username, const SecureBuffer& password, const QString& client,
                                   const SessionRecord* reauth);
    Result<Session> loginAs(const QString& username, const SecureBuffer& password, const QString& client,
                            FactorKind secondKind, const SecureBuffer* second, const SessionRecord* reauth);

    // The helpers below run with the facade lock held (those taking `guard` release it for
    // Argon2id only). `reauth`: the session a step-up re-authenticates (null for a sign-in): the
    // login must prove at least its AAL, the new session keeps its absolute deadline, and it ends
    // in the same transaction.
    void expirePending();
    // Success of a whole login: refunds the `charges` the login made (and only those), stamps the
    // user, issues the session and hands over the account's notices, in one transaction.
    Result<Session> completeWith(const UserRow& u, const QString& client, const QList<FactorKind>& factors,
                                 const QString& notice, int charges, const SessionRecord* reauth,
                                 const std::function<Status()>& inTransaction = {});
    Result<Session> verifyTotpLogin(const UserRow& u, const QString& client, const SecureBuffer& code, int charges,
                                    const SessionRecord* reauth);
    // `liftLock`: the owner's way out of the hard lock (RL-02) — only with `passwordOk`; every
    // failure is Errc::LockedOut; success resets the counter and is audited.
    // The codes' Argon2id runs with `guard` (the facade lock) released; the account is read again
    // after it.
    Result<Session> verifyRecoveryLogin(std::unique_lock<std::mutex>& guard, const UserRow& u, const QString& client,
                                        const SecureBuffer& code, int charges, bool liftLock = false,
                                        bool passwordOk = true, const SessionRecord* reauth = nullptr);
    // The hard-locked account's first step: the password is verified (same cost as ever, with
    // `guard` released) but its verdict is kept for the second step, which alone can succeed (no
    // password oracle).
    Result<LoginStep> beginLockedLogin(std::unique_lock<std::mutex>& guard, const std::optional<UserRow>& user,
                                       const QString& name, const SecureBuffer& password, const QString& client);
    // Whether `u` still has the password and state `login`'s first step saw (same account, same
    // stored hash, no disable, reset or deletion in this process since: Core::accountGeneration).
    bool stillCurrent(const PendingLogin& login, const UserRow& u) const;
    // Ends `login` when it is no longer current (above) or its account is gone or disabled, with
    // the error to give; ok() otherwise.
    Status restartIfStale(const QString& pendingId, const PendingLogin& login, const std::optional<UserRow>& now);
    // The passwordless key sign-in's end, after completeLoginWithKeyAssertion verified the key's
    // answer: UV, the account's state, the session at AAL3, the record (login.passwordless).
    void recordKeyFault(const PendingLogin& login, const QString& kind, const QString& detail);
    Result<Session> completeKeyLogin(const QString& pendingId, const PendingLogin& login, const UserRow& u,
                                     const KeyRow& row, qint64 signCount, bool uv);
    // Records that the hard lock was lifted by the owner (inside the success transaction).
    Status liftHardLock(const UserRow& u, const QString& how);
    // The notices an account's sign-in hands over (and marks shown), inside the caller's transaction.
    Status collectNotices(const UserRow& u, Session& session);

    std::unique_ptr<State> m_state;
};

} // namespace gh
