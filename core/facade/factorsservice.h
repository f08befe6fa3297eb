// io.gatehouse.Gatehouse1.Factors (app/gatehoused/iface_factors.cpp): second factors of an
// account: list, assurance, TOTP (two-step enrolment), recovery codes, rename, remove, and
// security-key enrolment. Reached as gh.factors().
#pragma once

#include "crypto/securebuffer.h"
#include "errors.h"
#include "facade/service.h"
#include "types.h"

#include <QList>
#include <QString>

#include <memory>
#include <vector>

namespace gh {

class KeyCeremonies;
struct SessionRecord;
struct UserRow;

class FactorsService : public FacadeService {
public:
    explicit FactorsService(Core& core);
    ~FactorsService();

    // Factors of the caller's own account (FactorsManageOwn), or of `username` (FactorsManageAny).
    Result<QList<FactorInfo>> listFactors(const Session& session, const QString& username = {});
    Result<AccountAssurance> assurance(const Session& session);
    // Creates a pending TOTP factor (SHA1/6/30, 20-byte seed); it expires after
    // Gatehouse::kPendingFactorSecs.
    Result<TotpEnrollment> beginTotpEnrollment(const Session& session, const QString& label);
    // Activates a pending TOTP factor with one valid code (OTP-05; needs a fresh session). The
    // session is re-issued (new secret) and records the factor as held; its AAL, freshness and
    // absolute deadline stay (a step-up with the new factor proves more).
    Status confirmTotp(Session& session, qint64 factorId, const QString& code);
    // Recovery codes in two steps (RC-03, issue 12): begin makes a fresh set of kCount codes and
    // shows it once (FactorsManageOwn, a fresh session, AAL2 once the account holds a second
    // factor); nothing stored changes. confirm, with one of the new codes typed back, replaces the
    // stored set in one transaction (the old codes stop working; the typed one stays usable); a
    // wrong code changes nothing (Errc::CodeWrong) and the set may be confirmed again. cancel, an
    // expiry (Gatehouse::kPendingFactorSecs), a newer begin or a service restart discard the new
    // set and leave the old one working. A set is the account's own: another's reads as unknown.
    Result<PendingRecoveryCodes> beginRecoveryCodes(const Session& session);
    Status confirmRecoveryCodes(Session& session, const QString& setId, const SecureBuffer& oneOfTheNewCodes);
    Status cancelRecoveryCodes(const Session& session, const QString& setId);
    Status renameFactor(const Session& session, qint64 factorId, const QString& label);
    // Needs a fresh session and the account password again (re-authentication), and ends the
    // caller's other sessions that were opened with this kind of factor.
    Status removeFactor(const Session& session, qint64 factorId, const SecureBuffer& password);
    // Another account's factor (a lost phone or key; issue 12): factors.manage_any (AAL2) and a
    // fresh session; not one's own (removeFactor re-authenticates) nor an account holding
    // permissions the caller lacks. `reason` (1 to 200 characters, one line) reaches the owner as a
    // notice at the next sign-in. The owner's sessions that proved or hold that kind of factor end,
    // so no session keeps an assurance the account can no longer reach.
    Status removeUserFactor(const Session& session, const QString& username, qint64 factorId, const QString& reason);

    // Security keys (FIDO2; SECURITY.md FIDO-01…07). The key is plugged in at the seat, so the
    // CTAP ceremony (libfido2, PIN, touch, cancel) runs in the client (client/securitykey.h); the
    // facade never opens a device. Each ceremony is begin (a fresh challenge kept in memory, the
    // exclude list) → the client asks the key → finish (verify the answer against what begin
    // issued and the vault stores, then store). A ceremony id is single-use: finish and abort
    // consume it, whatever the outcome; it expires after Gatehouse::kKeyCeremonySecs and belongs
    // to the session that began it (another's is refused, as an unknown one: Errc::KeyRejected).
    // Enrolment for the caller's account (FactorsManageOwn, a fresh session, AAL2 once the account
    // holds a second factor). Like confirmTotp: on success the session is re-issued with the key
    // among its held factors, at the same AAL.
    Result<KeyRegistrationRequest> beginSecurityKeyEnrollment(const Session& session, const QString& name);
    Result<FactorInfo> finishSecurityKeyEnrollment(Session& session, const QString& ceremonyId,
                                                   const KeyAttestation& attestation);
    // The key failed in the client (no key, PIN, timeout, cancel…): audits it, ends the ceremony and
    // returns the error to show (the device's own; only Errc::Key… codes are taken as such).
    Error abortSecurityKeyEnrollment(const Session& session, const QString& ceremonyId, const Error& deviceError);

private:
    // listFactors() with the facade lock held (assurance() uses it too).
    Result<QList<FactorInfo>> listFactorsLocked(const Session& session, const QString& username);
    // After a factor is enrolled, inside its transaction: the caller's session is re-issued with
    // `factors` held, at the AAL, freshness and absolute deadline its sign-in proved (issue 16).
    // The account's first second factor (`hadSecond` false) ends every password-only session of
    // the account, not just the caller's.
    Result<Session> reissueAfterEnrolment(const UserRow& user, const SessionRecord& caller,
                                          const QList<FactorKind>& factors, bool hadSecond, const QString& reason);

    // After one of the caller's own factors of `kind` is removed, inside its transaction: the
    // caller's session drops `kind` from its factors and its AAL to what the rest proves (and is
    // restricted as a sign-in with only those would be) when the account holds no other active
    // factor of that kind.
    Status downgradeAfterRemoval(const UserRow& user, const SessionRecord& session, const QString& kind);

    std::unique_ptr<KeyCeremonies> m_keyCeremonies; // enrolments between begin and finish
    struct PendingCodeSets;
    std::unique_ptr<PendingCodeSets> m_pendingCodes; // recovery codes between begin and confirm
};

} // namespace gh
