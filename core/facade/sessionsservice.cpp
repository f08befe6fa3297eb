// SessionsService (io.gatehouse.Gatehouse1.Sessions): the facade's session operations (L3; SECURITY.md SES-01…SES-07):
// activity, step-up, listing, revocation and the concurrent-session limit. Lifetimes and the cross-process mechanism
// are explained in core/sessions/sessionstore.h.
#include "sessionsservice.h"

#include "core.h"

#include <QHash>

namespace gh {

namespace {
constexpr const char* kLimitKey = "session_limit";
constexpr const char* kLimitModeKey = "session_limit_mode";

QString modeName(SessionLimitMode mode) {
    return mode == SessionLimitMode::EndOldest ? QStringLiteral("end-oldest") : QStringLiteral("refuse");
}
} // namespace

Result<QList<SessionInfo>> SessionsService::listSessions(const Session& session, bool allUsers, bool includeEnded) {
    std::lock_guard guard(m_core.lock);
    auto caller = m_core.authorize(session, allUsers ? Permission::SessionsReadAll : Permission::PasswordChangeOwn);
    if (!caller)
        return caller.error();
    if (allUsers)
        m_core.auditForeignRead(*caller, Permission::SessionsReadAll, QStringLiteral("every account's sessions"));
    auto records = m_core.sessions->list(allUsers ? 0 : caller->user.id, includeEnded);
    if (!records)
        return records.error();
    QHash<qint64, UserRow> users;
    QList<SessionInfo> out;
    for (const SessionRecord& r : *records) {
        if (!users.contains(r.userId)) {
            auto u = m_core.findUser(QStringLiteral("id"), r.userId);
            if (!u)
                return u.error();
            UserRow row;
            if (u->has_value())
                row = **u;
            else
                row.username = QStringLiteral("(deleted #%1)").arg(r.userId);
            users.insert(r.userId, row);
        }
        SessionInfo info = m_core.infoOf(r, users.value(r.userId));
        info.current = r.id == caller->record.id;
        out << info;
    }
    return out;
}

Status SessionsService::revokeSession(const Session& session, const QString& sessionId) {
    std::lock_guard guard(m_core.lock);
    auto caller = m_core.authorize(session, Permission::PasswordChangeOwn);
    if (!caller)
        return caller.error();
    if (sessionId == caller->record.id) { // ending one's own current session is a logout
        return m_core.vault->transaction([&]() -> Status {
            if (Status e = m_core.sessions->end(sessionId, QStringLiteral("logout")); !e)
                return e;
            return m_core.record(caller->user.username, QStringLiteral("session.ended"), Layer::Session, Outcome::Info,
                                 FactorCategory::None, sessionId, QStringLiteral("logout"), Core::by(caller->user.id));
        });
    }
    auto target = m_core.sessions->find(sessionId);
    if (!target)
        return target.error();
    const bool mine = target->has_value() && (*target)->userId == caller->user.id;
    if (!mine) {
        auto any = m_core.authorize(session, Permission::SessionsRevokeAny);
        if (!any)
            return any.error();
    }
    if (!target->has_value())
        return Error{Errc::InvalidArgument, QStringLiteral("No session with ID \"%1\".").arg(sessionId), 0};
    if (Status f = m_core.requireFresh(*caller, QStringLiteral("revoking a session")); !f)
        return f;
    const SessionRecord& t = **target;
    if (t.ended.isValid())
        return ok(); // already ended: nothing to do, and its recorded reason stays
    bool endedElsewhere = false;
    Status result = m_core.vault->transaction([&]() -> Status {
        if (Status e = m_core.sessions->end(t.id, QStringLiteral("revoked"), caller->user.username); !e)
            return e;
        if (m_core.vault->db().changes() != 1) { // another process ended it a moment ago: its reason stays
            endedElsewhere = true;
            return Errc::SessionInvalid;
        }
        return m_core.record(caller->user.username, QStringLiteral("session.revoked"), Layer::Session, Outcome::Allowed,
                             FactorCategory::None, t.id,
                             mine ? QStringLiteral("own session") : QStringLiteral("other account"),
                             {caller->user.id, t.userId});
    });
    return endedElsewhere ? ok() : result;
}

Result<int> SessionsService::revokeOtherSessions(const Session& session) {
    std::lock_guard guard(m_core.lock);
    auto caller = m_core.authorize(session, Permission::PasswordChangeOwn);
    if (!caller)
        return caller.error();
    if (Status f = m_core.requireFresh(*caller, QStringLiteral("ending your other sessions")); !f)
        return f.error();
    int n = 0;
    Status s = m_core.vault->transaction([&]() -> Status {
        auto ended = m_core.sessions->endMany(caller->user.id, caller->record.id, QStringLiteral("revoked"),
                                              caller->user.username);
        if (!ended)
            return ended.error();
        n = *ended;
        return m_core.record(caller->user.username, QStringLiteral("session.revoked_others"), Layer::Session,
                             Outcome::Allowed, FactorCategory::None, caller->user.username,
                             QStringLiteral("%1 ended").arg(n), Core::self(caller->user.id));
    });
    if (!s)
        return s.error();
    (void)m_core.sessions->sync(true);
    return n;
}

Result<int> SessionsService::revokeUserSessions(const Session& session, const QString& rawName) {
    std::lock_guard guard(m_core.lock);
    auto caller = m_core.authorize(session, Permission::SessionsRevokeAny);
    if (!caller)
        return caller.error();
    if (Status f = m_core.requireFresh(*caller, QStringLiteral("ending an account's sessions")); !f)
        return f.error();
    const auto name = normaliseUsername(rawName);
    if (!name)
        return Errc::InvalidUsername;
    auto target = m_core.findUser(QStringLiteral("username"), *name);
    if (!target)
        return target.error();
    if (!target->has_value())
        return Errc::UserNotFound;
    int n = 0;
    Status s = m_core.vault->transaction([&]() -> Status {
        // The caller's own current session survives "end all of mine" issued from it.
        auto ended = m_core.sessions->endMany((*target)->id, caller->record.id, QStringLiteral("revoked"),
                                              caller->user.username);
        if (!ended)
            return ended.error();
        n = *ended;
        return m_core.record(caller->user.username, QStringLiteral("session.revoked_user"), Layer::Session,
                             Outcome::Allowed, FactorCategory::None, *name, QStringLiteral("%1 ended").arg(n),
                             {caller->user.id, (*target)->id});
    });
    if (!s)
        return s.error();
    (void)m_core.sessions->sync(true);
    return n;
}

Result<int> SessionsService::revokeAllSessions(const Session& session) {
    std::lock_guard guard(m_core.lock);
    auto caller = m_core.authorize(session, Permission::SessionsRevokeAny);
    if (!caller)
        return caller.error();
    if (Status f = m_core.requireFresh(*caller, QStringLiteral("ending every session")); !f)
        return f.error();
    int n = 0;
    Status s = m_core.vault->transaction([&]() -> Status {
        auto ended = m_core.sessions->endMany(0, caller->record.id, QStringLiteral("revoked"), caller->user.username);
        if (!ended)
            return ended.error();
        n = *ended;
        return m_core.record(caller->user.username, QStringLiteral("session.revoked_all"), Layer::Session,
                             Outcome::Allowed, FactorCategory::None, QStringLiteral("*"),
                             QStringLiteral("%1 ended").arg(n), Core::by(caller->user.id));
    });
    if (!s)
        return s.error();
    (void)m_core.sessions->sync(true);
    return n;
}

Result<SessionLimit> SessionsService::sessionLimit(const Session& session) {
    std::lock_guard guard(m_core.lock);
    auto caller = m_core.authorize(session, Permission::SessionsReadAll);
    if (!caller)
        return caller.error();
    return m_core.readSessionLimit();
}

Status SessionsService::setSessionLimit(const Session& session, SessionLimit limit) {
    std::lock_guard guard(m_core.lock);
    auto caller = m_core.authorize(session, Permission::PolicyManage);
    if (!caller)
        return caller.error();
    if (Status f = m_core.requireFresh(*caller, QStringLiteral("changing the session limit")); !f)
        return f;
    if (limit.maxPerUser < 0 || limit.maxPerUser > 1000)
        return Error{Errc::InvalidArgument,
                     QStringLiteral("The session limit is a number from 1 to 1000, or 0 for no limit."), 0};
    return m_core.vault->transaction([&]() -> Status {
        for (const auto& [key, value] : {std::pair{QString::fromLatin1(kLimitKey), QString::number(limit.maxPerUser)},
                                         std::pair{QString::fromLatin1(kLimitModeKey), modeName(limit.mode)}}) {
            auto st = m_core.vault->db().prepare("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)");
            if (!st)
                return st.error();
            st->bind(1, key).bind(2, value);
            if (Status s = st->done(); !s)
                return s;
        }
        return m_core.record(caller->user.username, QStringLiteral("policy.session_limit"), Layer::Access,
                             Outcome::Allowed, FactorCategory::None, QStringLiteral("session limit"),
                             limit.maxPerUser == 0
                                 ? QStringLiteral("unlimited")
                                 : QStringLiteral("%1 per account, %2").arg(limit.maxPerUser).arg(modeName(limit.mode)),
                             Core::by(caller->user.id));
    });
}

QHash<QString, QString> SessionsService::endedAmong(const QStringList& sessionIds) {
    std::lock_guard guard(m_core.lock);
    QHash<QString, QString> out;
    if (!m_core.vault)
        return out;
    for (const QString& id : sessionIds) {
        auto found = m_core.sessions->find(id);
        if (!found || !found->has_value()) {
            out.insert(id, QStringLiteral("ended"));
            continue;
        }
        const SessionRecord& r = **found;
        if (r.ended.isValid()) {
            // Worded like validate()'s error detail ("revoked by alice"), so a holder told by a
            // signal says the same as one that asked.
            const QString reason = r.endReason.isEmpty() ? QStringLiteral("ended") : r.endReason;
            out.insert(id, r.endedBy.isEmpty() ? reason : QStringLiteral("%1 by %2").arg(reason, r.endedBy));
        }
    }
    return out;
}

Result<int> SessionsService::endAllSessions(const QString& reason) {
    std::lock_guard guard(m_core.lock);
    if (!m_core.vault)
        return Errc::VaultNotFound;
    int n = 0;
    Status s = m_core.vault->transaction([&]() -> Status {
        auto ended = m_core.sessions->endMany(0, QString(), reason, QStringLiteral("system"));
        if (!ended)
            return ended.error();
        n = *ended;
        if (n == 0)
            return ok();
        return m_core.record(QStringLiteral("system"), QStringLiteral("session.ended_all"), Layer::Session,
                             Outcome::Info, FactorCategory::None, QString(),
                             (n == 1 ? QStringLiteral("1 session: %1").arg(reason)
                                     : QStringLiteral("%1 sessions: %2").arg(n).arg(reason)));
    });
    if (!s)
        return s.error();
    return n;
}

} // namespace gh
