// AuthorityService (io.gatehouse.Authority1): other applications ask Gatehouse (issue 11). See the
// header for the model; the rules per call are in the top-level README ("Other applications").
#include "authorityservice.h"

#include "core.h"
#include "crypto/sha256.h"

#include <mutex>

namespace gh {

namespace {

// Reads what the scope's person holds now: the asked permissions that an application declares and
// the person's roles grant. A read error leaves nothing held (fail closed, AC-05).
void refresh(Core& core, Core::AppScope& scope) {
    scope.generation = core.rolesGeneration;
    scope.held.clear();
    auto held = core.roleStore->appPermissionsOf(scope.userId);
    auto roles = core.roleStore->rolesOf(scope.userId);
    scope.roles = roles ? *roles : QStringList();
    if (!held)
        return;
    for (const QString& p : scope.asked)
        if (held->contains(p) && core.apps.declares(p))
            scope.held << p;
}

QList<FactorCategory> categoriesOf(const QString& factors) {
    QList<FactorCategory> out;
    for (FactorKind k : parseFactors(factors))
        if (const FactorCategory c = categoryOf(k); !out.contains(c))
            out << c;
    return out;
}

} // namespace

Result<Session> AuthorityService::delegate(const Session& session, const QString& appId,
                                           const QStringList& permissions) {
    std::lock_guard guard(m_core.lock);
    auto caller = m_core.authorize(session, Permission::PasswordChangeOwn, appId);
    if (!caller)
        return caller.error();
    if (static_cast<Restriction>(caller->record.restriction) != Restriction::None)
        return Error{Errc::NotPermitted,
                     QStringLiteral("a restricted session cannot sign in an application: %1")
                         .arg(restrictionReason(static_cast<Restriction>(caller->record.restriction))),
                     0};
    m_core.reloadApps();
    if (!m_core.apps.knowsApp(appId))
        return Error{Errc::InvalidArgument,
                     QStringLiteral("no application \"%1\" declares permissions (%1.conf in %2)")
                         .arg(appId, m_core.apps.dirs().join(u", ")),
                     0};
    QStringList asked;
    for (const QString& raw : permissions) {
        const QString p = raw.trimmed();
        const AppPermission* declared = m_core.apps.find(p);
        if (!declared || declared->app != appId)
            return Error{Errc::InvalidArgument,
                         QStringLiteral("application %1 does not declare the permission \"%2\"").arg(appId, p), 0};
        if (!asked.contains(p))
            asked << p;
    }
    asked.sort();
    // A two-factor permission the person holds needs a two-factor session now, rather than a token
    // whose every check of it is denied: StepUpRequired when the account holds a second factor
    // (enrolled since this sign-in; the agent asks for password and code), else a refusal saying why.
    if (caller->record.aal < static_cast<int>(Aal::Aal2)) {
        auto held = m_core.roleStore->appPermissionsOf(caller->user.id);
        if (!held)
            return held.error();
        QStringList needs;
        for (const QString& p : std::as_const(asked))
            if (m_core.apps.find(p)->twoFactor && held->contains(p))
                needs << p;
        if (!needs.isEmpty()) {
            (void)m_core.record(caller->user.username, QStringLiteral("access.denied"), Layer::Access, Outcome::Denied,
                                FactorCategory::None, needs.join(u','),
                                QStringLiteral("application %1 asked for %2 from a one-factor session (needs a "
                                               "second factor)")
                                    .arg(appId, needs.join(u", ")),
                                Core::by(caller->user.id));
            auto second = m_core.holdsSecondFactor(caller->user.id);
            if (!second)
                return second.error();
            if (*second)
                return Error{Errc::StepUpRequired,
                             QStringLiteral("%1 needs a two-factor sign-in: confirm it's you with your password and "
                                            "your second factor")
                                 .arg(needs.join(u", ")),
                             0};
            return Error{Errc::NotPermitted,
                         QStringLiteral("%1 needs a two-factor sign-in, and %2 has no second factor yet (add one "
                                        "under My security)")
                             .arg(needs.join(u", "), caller->user.username),
                         0};
        }
    }
    // Forget the scopes of sessions that ended since (one read, at issue only).
    for (auto it = m_core.appScopes.begin(); it != m_core.appScopes.end();) {
        auto found = m_core.sessions->find(it.key());
        if (found && (!found->has_value() || (*found)->ended.isValid()))
            it = m_core.appScopes.erase(it);
        else
            ++it;
    }
    const SessionRecord parent = caller->record;
    Result<Session> issued = Errc::Internal;
    Status s = m_core.vault->transaction([&]() -> Status {
        issued = m_core.issueSession(caller->user, QStringLiteral("app %1").arg(appId), parseFactors(parent.factors),
                                     QStringLiteral("for application %1 (%2)").arg(appId, asked.join(u",")), &parent,
                                     false, parent.aal);
        return issued ? ok() : Status(issued.error());
    });
    if (!s) {
        // Like a sign-in, an application session counts toward the account's session limit; the
        // refusal's audit row went with the rolled-back transaction, so it is written again here.
        if (s.code() == Errc::SessionLimitReached)
            (void)m_core.record(caller->user.username, QStringLiteral("session.limit_reached"), Layer::Session,
                                Outcome::Denied, FactorCategory::None, caller->user.username,
                                QStringLiteral("%1 (a session for application %2)").arg(s.error().detail, appId),
                                Core::self(caller->user.id));
        return s.error();
    }
    Core::AppScope scope;
    scope.appId = appId;
    scope.asked = asked;
    scope.userId = caller->user.id;
    scope.username = caller->user.username;
    refresh(m_core, scope);
    m_core.appScopes.insert(issued->info.id, scope);
    return issued;
}

PermissionAnswer AuthorityService::check(const Session& appSession, const QString& permission) {
    if (appSession.secret.size() != 32)
        return check(TokenDigest{}, permission); // no session has it: an L3 denial like any unknown token
    return check(crypto::Sha256().digest(appSession.secret.data(), appSession.secret.size()), permission);
}

PermissionAnswer AuthorityService::check(const TokenDigest& token, const QString& permission) {
    std::lock_guard guard(m_core.lock);
    return answer(token, permission);
}

std::optional<PermissionAnswer> AuthorityService::tryCheck(const TokenDigest& token, const QString& permission) {
    std::unique_lock guard(m_core.lock, std::try_to_lock);
    if (!guard.owns_lock())
        return std::nullopt;
    return answer(token, permission);
}

PermissionAnswer AuthorityService::answer(const TokenDigest& token, const QString& permission) {
    if (!m_core.vault)
        return {false, Layer::Storage, QStringLiteral("the vault is not open")};
    auto live = m_core.sessions->checkDigest(token, SessionStore::Use::Activity);
    if (!live) {
        QString why = live.error().detail;
        if (why.isEmpty())
            why = m_core.sessions->endReasonOf(token);
        const QString reason = why.isEmpty() ? QStringLiteral("not a live session")
                                             : QStringLiteral("the session has ended (%1)").arg(why);
        (void)m_core.recordRepeated(QStringLiteral("authority.check|L3|") + why, QString(),
                                    QStringLiteral("authority.check"), Layer::Session, Outcome::Denied,
                                    FactorCategory::None, permission, reason);
        return {false, Layer::Session, reason};
    }
    const QString sessionId = live->record->id;
    auto it = m_core.appScopes.find(sessionId);
    auto deny = [&](const QString& username, qint64 userId, const QString& app, const QString& reason) {
        (void)m_core.recordRepeated(QStringLiteral("authority.check|L4|%1|%2|%3").arg(sessionId, permission, reason),
                                    username, QStringLiteral("authority.check"), Layer::Access, Outcome::Denied,
                                    FactorCategory::None, permission,
                                    QStringLiteral("application %1: %2").arg(app, reason), Core::by(userId));
        return PermissionAnswer{false, Layer::Access, reason};
    };
    if (it == m_core.appScopes.end())
        return deny(QString(), live->userId, QStringLiteral("(none)"),
                    QStringLiteral("this token is not an application's (ask with RequestSignIn)"));
    Core::AppScope& scope = *it;
    if (!scope.asked.contains(permission))
        return deny(scope.username, scope.userId, scope.appId,
                    QStringLiteral("the application did not ask for %1 when it signed in").arg(permission));
    if (scope.generation != m_core.rolesGeneration)
        refresh(m_core, scope);
    const AppPermission* declared = m_core.apps.find(permission);
    if (!declared)
        return deny(scope.username, scope.userId, scope.appId,
                    QStringLiteral("no application declares %1 any more").arg(permission));
    if (!scope.held.contains(permission))
        return deny(scope.username, scope.userId, scope.appId,
                    QStringLiteral("missing permission %1 (roles of %2: %3)")
                        .arg(permission, scope.username,
                             scope.roles.isEmpty() ? QStringLiteral("none") : scope.roles.join(u", ")));
    if (declared->twoFactor && live->aal < static_cast<int>(Aal::Aal2))
        return deny(scope.username, scope.userId, scope.appId,
                    QStringLiteral("%1 needs a two-factor sign-in").arg(permission));
    const QString reason = QStringLiteral("%1 holds %2").arg(scope.username, permission);
    if (declared->audited)
        (void)m_core.record(scope.username, QStringLiteral("authority.check"), Layer::Access, Outcome::Allowed,
                            FactorCategory::None, permission, QStringLiteral("application %1").arg(scope.appId),
                            Core::by(scope.userId));
    return {true, Layer::Access, reason};
}

Result<AppSessionInfo> AuthorityService::whoIsSignedIn(const Session& session) {
    std::lock_guard guard(m_core.lock);
    if (!m_core.vault)
        return Errc::VaultNotFound;
    auto record = m_core.sessions->validateNow(session.secret, SessionStore::Use::Peek);
    if (!record)
        return record.error();
    auto user = m_core.findUser(QStringLiteral("id"), record->userId);
    if (!user)
        return user.error();
    if (!user->has_value() || !(*user)->enabled)
        return Errc::SessionInvalid;
    AppSessionInfo out;
    out.session = m_core.infoOf(*record, **user);
    out.categories = categoriesOf(record->factors);
    auto roles = m_core.roleStore->rolesOf(record->userId);
    if (!roles)
        return roles.error();
    out.roles = *roles;
    if (auto it = m_core.appScopes.find(record->id); it != m_core.appScopes.end()) {
        if (it->generation != m_core.rolesGeneration)
            refresh(m_core, *it);
        out.appId = it->appId;
        out.asked = it->asked;
        out.permissions = it->held;
    }
    return out;
}

Status AuthorityService::endSession(const Session& session) {
    std::lock_guard guard(m_core.lock);
    if (!m_core.vault)
        return Errc::VaultNotFound;
    auto record = m_core.sessions->validate(session.secret, SessionStore::Use::Peek);
    if (!record)
        return record.error();
    const QString app = m_core.appScopes.value(record->id).appId;
    auto user = m_core.findUser(QStringLiteral("id"), record->userId);
    const QString username = user && user->has_value() ? (*user)->username : QString();
    Status s = m_core.vault->transaction([&]() -> Status {
        if (Status e = m_core.sessions->end(record->id, QStringLiteral("logout")); !e)
            return e;
        return m_core.record(
            username, QStringLiteral("session.ended"), Layer::Session, Outcome::Info, FactorCategory::None, record->id,
            app.isEmpty() ? QStringLiteral("logout") : QStringLiteral("logout by application %1").arg(app),
            Core::by(record->userId));
    });
    if (s)
        m_core.appScopes.remove(record->id);
    return s;
}

QStringList AuthorityService::changedScopes() {
    std::lock_guard guard(m_core.lock);
    QStringList changed;
    if (!m_core.vault)
        return changed;
    for (auto it = m_core.appScopes.begin(); it != m_core.appScopes.end();) {
        auto found = m_core.sessions->find(it.key());
        if (found && (!found->has_value() || (*found)->ended.isValid())) {
            it = m_core.appScopes.erase(it);
            continue;
        }
        const QStringList before = it->held;
        refresh(m_core, *it);
        if (it->held != before)
            changed << it.key();
        ++it;
    }
    return changed;
}

QString AuthorityService::appOf(const QString& sessionId) {
    std::lock_guard guard(m_core.lock);
    return m_core.appScopes.value(sessionId).appId;
}

QStringList AuthorityService::problems() {
    std::lock_guard guard(m_core.lock);
    QStringList out;
    for (const AppPermissionProblem& p : m_core.apps.problems())
        out << p.text();
    return out;
}

Result<QList<AppPermission>> AuthorityService::declarationsFor(const QString& appId, const QStringList& permissions) {
    std::lock_guard guard(m_core.lock);
    m_core.reloadApps();
    if (!m_core.apps.knowsApp(appId))
        return Error{Errc::InvalidArgument,
                     QStringLiteral("no application \"%1\" declares permissions (%1.conf in %2)")
                         .arg(appId, m_core.apps.dirs().join(u", ")),
                     0};
    if (permissions.isEmpty())
        return Error{Errc::InvalidArgument, QStringLiteral("application %1 asked for no permission").arg(appId), 0};
    QList<AppPermission> out;
    QStringList seen;
    for (const QString& raw : permissions) {
        const QString p = raw.trimmed();
        const AppPermission* declared = m_core.apps.find(p);
        if (!declared || declared->app != appId)
            return Error{Errc::InvalidArgument,
                         QStringLiteral("application %1 does not declare the permission \"%2\"").arg(appId, p), 0};
        if (seen.contains(p))
            continue;
        seen << p;
        out << *declared;
    }
    return out;
}

} // namespace gh
