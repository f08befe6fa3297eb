// The facade's session operations (L3; SECURITY.md SES-01…SES-07): activity, step-up,
// listing, revocation and the concurrent-session limit. Lifetimes and the cross-process
// mechanism are explained in core/sessions/sessionstore.h.
#include "gatehouse_p.h"

#include <QHash>

namespace gh {

namespace {
constexpr const char* kLimitKey = "session_limit";
constexpr const char* kLimitModeKey = "session_limit_mode";

QString modeName(SessionLimitMode mode) {
    return mode == SessionLimitMode::EndOldest ? QStringLiteral("end-oldest") : QStringLiteral("refuse");
}
} // namespace

void Gatehouse::Impl::fillSessionTimes(SessionInfo& info, const SessionRecord& r) const {
    info.host = r.host;
    info.pid = r.pid;
    info.lastActive = !r.ended.isValid() && sessions ? sessions->wallOf(r.lastActiveMono) : r.lastActive;
    info.lastAuthenticated = r.lastAuth;
    info.idleTimeoutSecs = r.idleSecs;
    info.ended = r.ended;
    info.endReason = r.endReason;
    info.endedBy = r.endedBy;
    info.active = !r.ended.isValid();
    if (info.active && sessions) {
        info.idleLeftSecs = sessions->idleLeftMs(r) / 1000;
        info.absoluteLeftSecs = sessions->absoluteLeftMs(r) / 1000;
        info.freshLeftSecs = sessions->freshLeftMs(r) / 1000;
    }
}

void Gatehouse::Impl::auditRejected(const Session& session, const Error& error) {
    if (error.code != Errc::SessionInvalid)
        return;
    if (!error.detail.isEmpty()) // the store has just ended it: idle timeout or absolute lifetime
        (void)record(session.info.username, QStringLiteral("session.ended"), Layer::Session, Outcome::Info,
                     FactorCategory::None, session.info.id, error.detail);
    else
        (void)record(session.info.username, QStringLiteral("session.rejected"), Layer::Session, Outcome::Denied,
                     FactorCategory::None, session.info.id);
}

Status Gatehouse::Impl::requireFresh(const Caller& caller, const QString& what) {
    if (sessions->freshLeftMs(caller.record) > 0)
        return ok();
    (void)record(caller.user.username, QStringLiteral("session.step_up_required"), Layer::Session, Outcome::Denied,
                 FactorCategory::None, caller.record.id, what, by(caller.user.id));
    return Error{Errc::StepUpRequired, what, 0};
}

Result<SessionLimit> Gatehouse::Impl::readSessionLimit() {
    auto st = vault->db().prepare("SELECT key, value FROM meta WHERE key IN ('session_limit', 'session_limit_mode')");
    if (!st)
        return st.error();
    SessionLimit limit;
    while (st->step()) {
        if (st->text(0) == QLatin1String(kLimitKey))
            limit.maxPerUser = std::max(0, st->text(1).toInt());
        else if (st->text(1) == QLatin1String("end-oldest"))
            limit.mode = SessionLimitMode::EndOldest;
    }
    if (st->failed())
        return st->error();
    return limit;
}

Status Gatehouse::Impl::enforceSessionLimit(const UserRow& u) {
    auto limit = readSessionLimit();
    if (!limit)
        return limit.error();
    if (limit->maxPerUser <= 0)
        return ok();
    auto live = sessions->countLiveForUser(u.id, replacingSessionId);
    if (!live)
        return live.error();
    if (*live < limit->maxPerUser)
        return ok();
    if (limit->mode == SessionLimitMode::Refuse) {
        (void)record(u.username, QStringLiteral("session.limit_reached"), Layer::Session, Outcome::Denied,
                     FactorCategory::None, u.username,
                     QStringLiteral("%1 live sessions, limit %2").arg(*live).arg(limit->maxPerUser), self(u.id));
        return Error{Errc::SessionLimitReached,
                     QStringLiteral("%1 live sessions, limit %2").arg(*live).arg(limit->maxPerUser), 0};
    }
    const int excess = *live - limit->maxPerUser + 1;
    auto ended = sessions->endOldest(u.id, excess, QStringLiteral("session limit (oldest ended)"), replacingSessionId);
    if (!ended)
        return ended.error();
    return record(u.username, QStringLiteral("session.limit_ended_oldest"), Layer::Session, Outcome::Info,
                  FactorCategory::None, u.username,
                  QStringLiteral("%1 ended, limit %2").arg(*ended).arg(limit->maxPerUser), self(u.id));
}

Status Gatehouse::touch(const Session& session) {
    std::lock_guard guard(m_lock);
    if (!d->vault)
        return Errc::VaultNotFound;
    auto record = d->sessions->validate(session.secret, SessionStore::Use::Activity);
    if (!record) {
        d->auditRejected(session, record.error());
        return record.error();
    }
    return ok();
}

Status Gatehouse::stepUp(Session& session, const SecureBuffer& password, FactorKind secondKind,
                         const SecureBuffer* second) {
    std::optional<SessionRecord> reauth;
    QString username;
    {
        std::lock_guard guard(m_lock);
        auto caller = d->authorize(session, Permission::PasswordChangeOwn); // any live session of any role
        if (!caller)
            return caller.error();
        reauth = caller->record;
        username = caller->user.username;
    }
    // The whole login again (password, then the second factor the account holds): throttling,
    // replay protection and auditing are the login's own, and Argon2id runs outside the lock. It
    // must prove at least this session's AAL; the session it issues keeps this one's absolute
    // deadline, and this one ends in the same transaction (Impl::completeWith, Impl::issueSession).
    Result<Session> renewed = loginAs(username, password, reauth->client, secondKind, second, &*reauth);
    if (!renewed)
        return renewed.error();
    session = std::move(renewed.value());
    return ok();
}

Result<QList<SessionInfo>> Gatehouse::listSessions(const Session& session, bool allUsers, bool includeEnded) {
    std::lock_guard guard(m_lock);
    auto caller = d->authorize(session, allUsers ? Permission::SessionsReadAll : Permission::PasswordChangeOwn);
    if (!caller)
        return caller.error();
    auto records = d->sessions->list(allUsers ? 0 : caller->user.id, includeEnded);
    if (!records)
        return records.error();
    QHash<qint64, UserRow> users;
    QList<SessionInfo> out;
    for (const SessionRecord& r : *records) {
        if (!users.contains(r.userId)) {
            auto u = d->findUser(QStringLiteral("id"), r.userId);
            if (!u)
                return u.error();
            UserRow row;
            if (u->has_value())
                row = **u;
            else
                row.username = QStringLiteral("(deleted #%1)").arg(r.userId);
            users.insert(r.userId, row);
        }
        SessionInfo info = d->infoOf(r, users.value(r.userId));
        info.current = r.id == caller->record.id;
        out << info;
    }
    return out;
}

Status Gatehouse::revokeSession(const Session& session, const QString& sessionId) {
    std::lock_guard guard(m_lock);
    auto caller = d->authorize(session, Permission::PasswordChangeOwn);
    if (!caller)
        return caller.error();
    if (sessionId == caller->record.id) { // ending one's own current session is a logout
        return d->vault->transaction([&]() -> Status {
            if (Status e = d->sessions->end(sessionId, QStringLiteral("logout")); !e)
                return e;
            return d->record(caller->user.username, QStringLiteral("session.ended"), Layer::Session, Outcome::Info,
                             FactorCategory::None, sessionId, QStringLiteral("logout"), Impl::by(caller->user.id));
        });
    }
    auto target = d->sessions->find(sessionId);
    if (!target)
        return target.error();
    const bool mine = target->has_value() && (*target)->userId == caller->user.id;
    if (!mine) {
        auto any = d->authorize(session, Permission::SessionsRevokeAny);
        if (!any)
            return any.error();
    }
    if (!target->has_value())
        return Error{Errc::InvalidArgument, QStringLiteral("No session with ID \"%1\".").arg(sessionId), 0};
    if (Status f = d->requireFresh(*caller, QStringLiteral("revoking a session")); !f)
        return f;
    const SessionRecord& t = **target;
    if (t.ended.isValid())
        return ok(); // already ended: nothing to do, and its recorded reason stays
    bool endedElsewhere = false;
    Status result = d->vault->transaction([&]() -> Status {
        if (Status e = d->sessions->end(t.id, QStringLiteral("revoked"), caller->user.username); !e)
            return e;
        if (d->vault->db().changes() != 1) { // another process ended it a moment ago: its reason stays
            endedElsewhere = true;
            return Errc::SessionInvalid;
        }
        return d->record(caller->user.username, QStringLiteral("session.revoked"), Layer::Session, Outcome::Allowed,
                         FactorCategory::None, t.id,
                         mine ? QStringLiteral("own session") : QStringLiteral("other account"),
                         {caller->user.id, t.userId});
    });
    return endedElsewhere ? ok() : result;
}

Result<int> Gatehouse::revokeOtherSessions(const Session& session) {
    std::lock_guard guard(m_lock);
    auto caller = d->authorize(session, Permission::PasswordChangeOwn);
    if (!caller)
        return caller.error();
    if (Status f = d->requireFresh(*caller, QStringLiteral("ending your other sessions")); !f)
        return f.error();
    int n = 0;
    Status s = d->vault->transaction([&]() -> Status {
        auto ended =
            d->sessions->endMany(caller->user.id, caller->record.id, QStringLiteral("revoked"), caller->user.username);
        if (!ended)
            return ended.error();
        n = *ended;
        return d->record(caller->user.username, QStringLiteral("session.revoked_others"), Layer::Session,
                         Outcome::Allowed, FactorCategory::None, caller->user.username,
                         QStringLiteral("%1 ended").arg(n), Impl::self(caller->user.id));
    });
    if (!s)
        return s.error();
    (void)d->sessions->sync(true);
    return n;
}

Result<int> Gatehouse::revokeUserSessions(const Session& session, const QString& rawName) {
    std::lock_guard guard(m_lock);
    auto caller = d->authorize(session, Permission::SessionsRevokeAny);
    if (!caller)
        return caller.error();
    if (Status f = d->requireFresh(*caller, QStringLiteral("ending an account's sessions")); !f)
        return f.error();
    const auto name = normaliseUsername(rawName);
    if (!name)
        return Errc::InvalidUsername;
    auto target = d->findUser(QStringLiteral("username"), *name);
    if (!target)
        return target.error();
    if (!target->has_value())
        return Errc::UserNotFound;
    int n = 0;
    Status s = d->vault->transaction([&]() -> Status {
        // The caller's own current session survives "end all of mine" issued from it.
        auto ended =
            d->sessions->endMany((*target)->id, caller->record.id, QStringLiteral("revoked"), caller->user.username);
        if (!ended)
            return ended.error();
        n = *ended;
        return d->record(caller->user.username, QStringLiteral("session.revoked_user"), Layer::Session,
                         Outcome::Allowed, FactorCategory::None, *name, QStringLiteral("%1 ended").arg(n),
                         {caller->user.id, (*target)->id});
    });
    if (!s)
        return s.error();
    (void)d->sessions->sync(true);
    return n;
}

Result<int> Gatehouse::revokeAllSessions(const Session& session) {
    std::lock_guard guard(m_lock);
    auto caller = d->authorize(session, Permission::SessionsRevokeAny);
    if (!caller)
        return caller.error();
    if (Status f = d->requireFresh(*caller, QStringLiteral("ending every session")); !f)
        return f.error();
    int n = 0;
    Status s = d->vault->transaction([&]() -> Status {
        auto ended = d->sessions->endMany(0, caller->record.id, QStringLiteral("revoked"), caller->user.username);
        if (!ended)
            return ended.error();
        n = *ended;
        return d->record(caller->user.username, QStringLiteral("session.revoked_all"), Layer::Session, Outcome::Allowed,
                         FactorCategory::None, QStringLiteral("*"), QStringLiteral("%1 ended").arg(n),
                         Impl::by(caller->user.id));
    });
    if (!s)
        return s.error();
    (void)d->sessions->sync(true);
    return n;
}

Result<SessionLimit> Gatehouse::sessionLimit(const Session& session) {
    std::lock_guard guard(m_lock);
    auto caller = d->authorize(session, Permission::SessionsReadAll);
    if (!caller)
        return caller.error();
    return d->readSessionLimit();
}

Status Gatehouse::setSessionLimit(const Session& session, SessionLimit limit) {
    std::lock_guard guard(m_lock);
    auto caller = d->authorize(session, Permission::PolicyManage);
    if (!caller)
        return caller.error();
    if (Status f = d->requireFresh(*caller, QStringLiteral("changing the session limit")); !f)
        return f;
    if (limit.maxPerUser < 0 || limit.maxPerUser > 1000)
        return Error{Errc::InvalidArgument,
                     QStringLiteral("The session limit is a number from 1 to 1000, or 0 for no limit."), 0};
    return d->vault->transaction([&]() -> Status {
        for (const auto& [key, value] : {std::pair{QString::fromLatin1(kLimitKey), QString::number(limit.maxPerUser)},
                                         std::pair{QString::fromLatin1(kLimitModeKey), modeName(limit.mode)}}) {
            auto st = d->vault->db().prepare("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)");
            if (!st)
                return st.error();
            st->bind(1, key).bind(2, value);
            if (Status s = st->done(); !s)
                return s;
        }
        return d->record(caller->user.username, QStringLiteral("policy.session_limit"), Layer::Access, Outcome::Allowed,
                         FactorCategory::None, QStringLiteral("session limit"),
                         limit.maxPerUser == 0
                             ? QStringLiteral("unlimited")
                             : QStringLiteral("%1 per account, %2").arg(limit.maxPerUser).arg(modeName(limit.mode)),
                         Impl::by(caller->user.id));
    });
}

} // namespace gh
