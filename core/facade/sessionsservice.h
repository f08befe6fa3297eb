// io.gatehouse.Gatehouse1.Sessions (app/gatehoused/iface_sessions.cpp): listing, revocation and
// the concurrent-session limit (L3; SES-01…SES-07), and the calls gatehoused needs for the
// SessionEnded signal and a restart. Reached as gh.sessions(). Checking a session (validate) and
// recording activity (touch) are Login's, as on the bus.
#pragma once

#include "errors.h"
#include "facade/service.h"
#include "types.h"

#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

namespace gh {

class SessionsService : public FacadeService {
public:
    using FacadeService::FacadeService;

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

    // ---- For gatehoused, the service that owns the vault ----
    // Which of these session ids are no longer live, with the reason each ended.
    QHash<QString, QString> endedAmong(const QStringList& sessionIds);
    // Ends every live session (a service restart: secrets are never persisted, SES-02).
    Result<int> endAllSessions(const QString& reason);
};

} // namespace gh
