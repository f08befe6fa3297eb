// io.gatehouse.Authority1 (app/gatehoused/iface_authority.cpp): what other applications ask
// Gatehouse (issue 11). Reached as gh.authority().
//
// An application holds a session of its own, issued from a person's live session (delegate(): a
// new secret, the same account, factors, assurance level and deadlines, never longer) and scoped
// to it: it names the application and carries only the permissions the application asked for
// that are declared (core/apps) and held by the person's roles. Such a token works here only:
// Core::authorize refuses it for every Gatehouse function. check() answers from memory: the
// session store's in-memory hot path and the scope cached in Core::appScopes, read again from the
// vault only after a role change (Core::rolesGeneration).
#pragma once

#include "apps/apppermissions.h"
#include "errors.h"
#include "facade/service.h"
#include "types.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <array>
#include <optional>

namespace gh {

// CheckPermission's answer: allowed or not, the layer that decided (L3: the session is not live;
// L4: the permission is not held, not asked for, or needs two factors) and why, for people.
struct PermissionAnswer {
    bool allowed = false;
    Layer layer = Layer::None;
    QString reason;
};

// WhoIsSignedIn's answer.
struct AppSessionInfo {
    SessionInfo session;              // id, username, client, aal, factors, times left
    QString appId;                    // empty for a person's own (not an application's) session
    QStringList roles;                // the account's roles now
    QStringList permissions;          // an application session: what it holds now (asked ∩ held)
    QStringList asked;                // … and what it asked for
    QList<FactorCategory> categories; // distinct categories the sign-in proved
};

// The SHA-256 of a session token: what the vault and the session store know a session by.
using TokenDigest = std::array<unsigned char, 32>;

class AuthorityService : public FacadeService {
public:
    using FacadeService::FacadeService;

    // A session for application `appId` from the caller's live, unrestricted session. `appId`
    // must have a declarations file and each asked permission must be one it declares (else
    // InvalidArgument naming it). The new session holds the asked permissions the person's roles
    // grant now; its deadlines are the parent's (never later). Audited (session.issued, L3).
    Result<Session> delegate(const Session& session, const QString& appId, const QStringList& permissions);
    // From memory; every denial is audited (L3 or L4), an allowed check only for a permission
    // declared `audited`. Never an error: an unknown or ended token is an L3 denial.
    PermissionAnswer check(const Session& appSession, const QString& permission);
    // The same for a token the caller hashed (CheckPermission hashes it once, straight from the
    // message, for the service's owner check and this lookup alike).
    PermissionAnswer check(const TokenDigest& token, const QString& permission);
    // The same without waiting for the facade's lock: nothing when another call holds it (a vault
    // write, possibly waiting for the disk), so the service's event loop never stalls behind one
    // and hands the check to a thread that may wait (gatehoused's CheckPermission).
    std::optional<PermissionAnswer> tryCheck(const TokenDigest& token, const QString& permission);
    Result<AppSessionInfo> whoIsSignedIn(const Session& session);
    // Ends the (application's) session; audited.
    Status endSession(const Session& session);
    // After a role change: reads the roles of every application session again and answers the
    // ids whose permissions changed (the service pushes PermissionsChanged to them).
    QStringList changedScopes();
    // Application sessions and their application id (the service's bookkeeping, tests).
    QString appOf(const QString& sessionId);
    // The declaration files' problems at the last read ("path:line: message").
    QStringList problems();
    // RequestSignIn, before anyone is asked: `appId` declares permissions and each asked one is
    // its own (else InvalidArgument naming it, as delegate() would answer); the declarations of
    // the asked permissions (descriptions, two-factor) for the agent's prompt, in the order
    // asked, without repeats. Reads the declaration files again; no vault access.
    Result<QList<AppPermission>> declarationsFor(const QString& appId, const QStringList& permissions);

private:
    PermissionAnswer answer(const TokenDigest& token, const QString& permission); // under the lock
};

} // namespace gh
