// io.gatehouse.Gatehouse1.Accounts (app/gatehoused/iface_accounts.cpp): the first administrator,
// account administration and the caller's own notices. Reached as gh.accounts().
#pragma once

#include "crypto/securebuffer.h"
#include "errors.h"
#include "facade/service.h"
#include "types.h"
#include "verification/passwordpolicy.h"

#include <QList>
#include <QString>

namespace gh {

class AccountsService : public FacadeService {
public:
    using FacadeService::FacadeService;

    // First run (see StatusService::needsFirstAdmin): the first account, an administrator.
    Status createFirstAdmin(const QString& username, const SecureBuffer& password);

    // Account administration (L4 checked here; every call needs a fresh session, AC-06).
    // Returns the one-time temporary password (PW-11); the new user must replace it at first login.
    Result<SecureBuffer> addUser(const Session& session, const QString& username, const QString& role);
    Result<QList<UserInfo>> listUsers(const Session& session);
    Status setUserEnabled(const Session& session, const QString& username, bool enabled);
    // Clears the failure counter of an account, including the hard lock at 100 (RL-02: from a
    // session at AAL2). The owner's own way out of the hard lock is LoginStep::lockedOut.
    Status unlockUser(const Session& session, const QString& username);

    // A single-use enrollment grant, valid 72 h (issue 13, ATK-03): lets the account bind its first
    // second factor although its roles reach other people's data (users.manage, a fresh two-factor
    // session; audited; the account is told). Defined in attacks.cpp.
    Status allowEnrollment(const Session& session, const QString& username);
    // Issue 12. A new one-time temporary password for another account (like addUser's: valid
    // Gatehouse::kTempPasswordLifetimeSecs, must be replaced at the next sign-in); the account's
    // sessions end and its owner finds a notice at the next sign-in. Also clears its failure count.
    // Needs users.manage, AAL2 and a fresh session; refused for one's own account (passwd) and for
    // an account holding permissions the caller lacks.
    Result<SecureBuffer> resetPassword(const Session& session, const QString& username);
    // Deletes an account: its sessions end, its factors, sessions, roles and notices go; its audit
    // events stay, found under its name (former_accounts). Same permission rules as resetPassword;
    // the last enabled holder of roles.assign cannot be deleted (Errc::LastAdministrator), oneself
    // included.
    Status deleteUser(const Session& session, const QString& username);

    // The caller's notices (not dismissed), oldest first, and dismissing one of them.
    Result<QList<AccountNotice>> notices(const Session& session);
    Status dismissNotice(const Session& session, qint64 noticeId);

    // Live policy feedback for a password being typed (pure; no vault needed).
    PasswordVerdict checkPassword(const QString& password, const QString& username) const;
};

} // namespace gh
