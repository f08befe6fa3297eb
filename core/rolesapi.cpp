// Roles and permissions through the facade (issue 6, SECURITY.md AC-01…AC-07). Roles are vault
// data (core/access/rolestore.*); every call here is authorized in core like any other facade
// call. Changing roles needs roles.assign, a fresh session (step-up, AC-06), and never grants a
// permission the caller does not hold. The last holder of roles.assign keeps it.
#include "gatehouse_p.h"

#include "verification/usernames.h"

#include <algorithm>

namespace gh {

namespace {

QStringList namesOf(const QList<Permission>& permissions) {
    QStringList out;
    for (Permission p : permissions)
        out << permissionName(p);
    return out;
}

RoleInfo infoOf(const RoleRecord& r) {
    RoleInfo info;
    info.name = r.name;
    info.builtIn = r.builtIn;
    info.description = r.description;
    info.permissions = namesOf(r.permissions);
    info.holders = r.holders;
    return info;
}

// Permission names typed by people or scripts: unknown names are an error here (the vault side
// ignores them, fail closed).
Result<QList<Permission>> parsePermissions(const QStringList& names) {
    QList<Permission> wanted;
    for (const QString& raw : names) {
        const QString name = raw.trimmed();
        if (name.isEmpty())
            continue;
        const std::optional<Permission> p = permissionFromName(name);
        if (!p)
            return Error{Errc::InvalidArgument,
                         QStringLiteral("Unknown permission \"%1\". Permissions: %2.")
                             .arg(name, namesOf(allPermissions()).join(u", ")),
                         0};
        if (!wanted.contains(*p))
            wanted << *p;
    }
    QList<Permission> ordered;
    for (Permission p : allPermissions())
        if (wanted.contains(p))
            ordered << p;
    return ordered;
}

QString lastAdminMessage(const QString& username, const QString& what) {
    return QStringLiteral("%1 is the last administrator (the only account that can assign roles), so %2; "
                          "give another account the admin role first")
        .arg(username, what);
}

const QString kNameRule = QStringLiteral("Role names are 1 to 32 characters: lower-case letters, digits, '.', '_' "
                                         "or '-', starting with a letter.");

} // namespace

Status Gatehouse::Impl::requireHeld(const Caller& caller, const QList<Permission>& wanted, const QString& object) {
    QStringList missing;
    for (Permission p : wanted)
        if (!isSelfService(p) && !caller.permissions.contains(p))
            missing << permissionName(p);
    if (missing.isEmpty())
        return ok();
    (void)record(caller.user.username, QStringLiteral("access.denied"), Layer::Access, Outcome::Denied,
                 FactorCategory::None, permissionName(Permission::RolesAssign),
                 QStringLiteral("would grant %1 (not held) on %2").arg(missing.join(u", "), object),
                 by(caller.user.id));
    return Error{Errc::NotPermitted,
                 QStringLiteral("you cannot grant permissions you do not hold yourself (%1)").arg(missing.join(u", ")),
                 0};
}

Result<QList<RoleInfo>> Gatehouse::listRoles(const Session& session) {
    std::lock_guard guard(m_lock);
    auto caller = d->authorize(session, Permission::UsersRead);
    if (!caller)
        return caller.error();
    auto all = d->roleStore->list();
    if (!all)
        return all.error();
    QList<RoleInfo> out;
    for (const RoleRecord& r : *all)
        out << infoOf(r);
    return out;
}

Result<QStringList> Gatehouse::rolesOf(const Session& session, const QString& username) {
    std::lock_guard guard(m_lock);
    // One's own roles: any live session (password.change_own is held by every account, even a
    // restricted session). Another account's: users.read.
    auto caller = d->authorize(session, Permission::PasswordChangeOwn);
    if (!caller)
        return caller.error();
    qint64 userId = caller->user.id;
    const auto name = normaliseUsername(username);
    if (!username.isEmpty() && name != caller->user.username) {
        auto reader = d->authorize(session, Permission::UsersRead, username);
        if (!reader)
            return reader.error();
        if (!name)
            return Errc::InvalidUsername;
        auto target = d->findUser(QStringLiteral("username"), *name);
        if (!target)
            return target.error();
        if (!target->has_value())
            return Errc::UserNotFound;
        userId = (*target)->id;
    }
    return d->roleStore->rolesOf(userId);
}

Result<QStringList> Gatehouse::permissionsOf(const Session& session) {
    std::lock_guard guard(m_lock);
    auto caller = d->authorize(session, Permission::PasswordChangeOwn);
    if (!caller)
        return caller.error();
    const auto restriction = static_cast<Restriction>(caller->record.restriction);
    QList<Permission> effective;
    for (Permission p : allPermissions()) {
        bool may = isSelfService(p) || caller->permissions.contains(p);
        if (restriction == Restriction::ChangePassword)
            may = p == Permission::PasswordChangeOwn;
        else if (restriction == Restriction::EnrollSecondFactor)
            may = isSelfService(p);
        else if (isAdministrative(p) && caller->record.aal < static_cast<int>(Aal::Aal2))
            may = false;
        if (may)
            effective << p;
    }
    return namesOf(effective);
}

Status Gatehouse::createRole(const Session& session, const QString& name, const QStringList& permissions,
                             const QString& description) {
    std::lock_guard guard(m_lock);
    auto caller = d->authorize(session, Permission::RolesAssign, name);
    if (!caller)
        return caller.error();
    if (Status f = d->requireFresh(*caller, QStringLiteral("creating role %1").arg(name)); !f)
        return f;
    if (!RoleStore::validName(name))
        return Error{Errc::InvalidArgument, kNameRule, 0};
    auto wanted = parsePermissions(permissions);
    if (!wanted)
        return wanted.error();
    if (Status h = d->requireHeld(*caller, *wanted, name); !h)
        return h;
    return d->vault->transaction([&]() -> Status {
        auto existing = d->roleStore->find(name);
        if (!existing)
            return existing.error();
        if (existing->has_value())
            return Error{Errc::InvalidArgument, QStringLiteral("A role named \"%1\" exists already.").arg(name), 0};
        if (Status c = d->roleStore->create(name, description.trimmed().left(200), *wanted, d->clock->nowSecs()); !c)
            return c;
        return d->record(caller->user.username, QStringLiteral("role.created"), Layer::Access, Outcome::Allowed,
                         FactorCategory::None, name, namesOf(*wanted).join(u","), Impl::by(caller->user.id));
    });
}

Status Gatehouse::updateRole(const Session& session, const QString& name, const QStringList& permissions) {
    std::lock_guard guard(m_lock);
    auto caller = d->authorize(session, Permission::RolesAssign, name);
    if (!caller)
        return caller.error();
    if (Status f = d->requireFresh(*caller, QStringLiteral("editing role %1").arg(name)); !f)
        return f;
    auto wanted = parsePermissions(permissions);
    if (!wanted)
        return wanted.error();
    QString guardDenied;
    Status result = d->vault->transaction([&]() -> Status {
        auto existing = d->roleStore->find(name);
        if (!existing)
            return existing.error();
        if (!existing->has_value())
            return Error{Errc::InvalidArgument, QStringLiteral("No role named \"%1\".").arg(name), 0};
        const RoleRecord& role = **existing;
        if (role.builtIn) {
            guardDenied = QStringLiteral("built-in role %1 is fixed").arg(name);
            return Error{
                Errc::NotPermitted,
                QStringLiteral("the built-in role %1 cannot be changed; create a custom role instead").arg(name), 0};
        }
        QList<Permission> added;
        for (Permission p : *wanted)
            if (!role.permissions.contains(p))
                added << p;
        if (Status h = d->requireHeld(*caller, added, name); !h)
            return h;
        if (role.permissions.contains(Permission::RolesAssign) && !wanted->contains(Permission::RolesAssign)) {
            auto others = d->roleStore->otherHolders(Permission::RolesAssign, 0, name);
            if (!others)
                return others.error();
            if (*others == 0) {
                guardDenied = QStringLiteral("last-admin guard on role %1").arg(name);
                return Error{Errc::NotPermitted,
                             QStringLiteral("role %1 is the only way any enabled account can assign roles, so it "
                                            "keeps roles.assign")
                                 .arg(name),
                             0};
            }
        }
        if (Status s = d->roleStore->setPermissions(name, *wanted); !s)
            return s;
        return d->record(caller->user.username, QStringLiteral("role.updated"), Layer::Access, Outcome::Allowed,
                         FactorCategory::None, name, namesOf(*wanted).join(u","), Impl::by(caller->user.id));
    });
    if (!guardDenied.isEmpty())
        (void)d->record(caller->user.username, QStringLiteral("access.denied"), Layer::Access, Outcome::Denied,
                        FactorCategory::None, permissionName(Permission::RolesAssign), guardDenied,
                        Impl::by(caller->user.id));
    return result;
}

Status Gatehouse::deleteRole(const Session& session, const QString& name) {
    std::lock_guard guard(m_lock);
    auto caller = d->authorize(session, Permission::RolesAssign, name);
    if (!caller)
        return caller.error();
    if (Status f = d->requireFresh(*caller, QStringLiteral("deleting role %1").arg(name)); !f)
        return f;
    QString guardDenied;
    Status result = d->vault->transaction([&]() -> Status {
        auto existing = d->roleStore->find(name);
        if (!existing)
            return existing.error();
        if (!existing->has_value())
            return Error{Errc::InvalidArgument, QStringLiteral("No role named \"%1\".").arg(name), 0};
        if ((*existing)->builtIn) {
            guardDenied = QStringLiteral("built-in role %1 is fixed").arg(name);
            return Error{Errc::NotPermitted, QStringLiteral("the built-in role %1 cannot be deleted").arg(name), 0};
        }
        if ((*existing)->holders > 0) {
            guardDenied = QStringLiteral("role %1 in use").arg(name);
            return Error{Errc::NotPermitted,
                         QStringLiteral("role %1 is held by %2 account(s); revoke it from them first")
                             .arg(name)
                             .arg((*existing)->holders),
                         0};
        }
        if (Status s = d->roleStore->remove(name); !s)
            return s;
        return d->record(caller->user.username, QStringLiteral("role.deleted"), Layer::Access, Outcome::Allowed,
                         FactorCategory::None, name, {}, Impl::by(caller->user.id));
    });
    if (!guardDenied.isEmpty())
        (void)d->record(caller->user.username, QStringLiteral("access.denied"), Layer::Access, Outcome::Denied,
                        FactorCategory::None, permissionName(Permission::RolesAssign), guardDenied,
                        Impl::by(caller->user.id));
    return result;
}

Status Gatehouse::assignRole(const Session& session, const QString& username, const QString& role) {
    std::lock_guard guard(m_lock);
    const QString object = QStringLiteral("%1 (role %2)").arg(username, role);
    auto caller = d->authorize(session, Permission::RolesAssign, object);
    if (!caller)
        return caller.error();
    if (Status f = d->requireFresh(*caller, QStringLiteral("assigning a role (%1)").arg(object)); !f)
        return f;
    const auto name = normaliseUsername(username);
    if (!name)
        return Errc::InvalidUsername;
    auto found = d->roleStore->find(role);
    if (!found)
        return found.error();
    if (!found->has_value())
        return Error{Errc::InvalidArgument, QStringLiteral("No role named \"%1\".").arg(role), 0};
    if (Status h = d->requireHeld(*caller, (*found)->permissions, object); !h)
        return h;
    return d->vault->transaction([&]() -> Status {
        auto target = d->findUser(QStringLiteral("username"), *name);
        if (!target)
            return target.error();
        if (!target->has_value())
            return Errc::UserNotFound;
        auto added = d->roleStore->assign((*target)->id, role, d->clock->nowSecs());
        if (!added)
            return added.error();
        return d->record(caller->user.username, QStringLiteral("role.assigned"), Layer::Access, Outcome::Allowed,
                         FactorCategory::None, *name, *added ? role : QStringLiteral("%1 (held already)").arg(role),
                         {caller->user.id, (*target)->id});
    });
}

Status Gatehouse::revokeRole(const Session& session, const QString& username, const QString& role) {
    std::lock_guard guard(m_lock);
    const QString object = QStringLiteral("%1 (role %2)").arg(username, role);
    auto caller = d->authorize(session, Permission::RolesAssign, object);
    if (!caller)
        return caller.error();
    if (Status f = d->requireFresh(*caller, QStringLiteral("revoking a role (%1)").arg(object)); !f)
        return f;
    const auto name = normaliseUsername(username);
    if (!name)
        return Errc::InvalidUsername;
    QString guardDenied;
    Status result = d->vault->transaction([&]() -> Status {
        auto target = d->findUser(QStringLiteral("username"), *name);
        if (!target)
            return target.error();
        if (!target->has_value())
            return Errc::UserNotFound;
        const UserRow& u = **target;
        auto held = d->roleStore->rolesOf(u.id);
        if (!held)
            return held.error();
        if (!held->contains(role))
            return Error{Errc::InvalidArgument, QStringLiteral("%1 does not have the role \"%2\".").arg(*name, role),
                         0};
        // AC-06: the last enabled holder of roles.assign keeps it (demoting oneself included).
        auto found = d->roleStore->find(role);
        if (!found)
            return found.error();
        if (u.enabled && found->has_value() && (*found)->permissions.contains(Permission::RolesAssign)) {
            auto elsewhere = d->roleStore->holdsThroughOthers(u.id, Permission::RolesAssign, role);
            if (!elsewhere)
                return elsewhere.error();
            auto others = d->roleStore->otherHolders(Permission::RolesAssign, u.id);
            if (!others)
                return others.error();
            if (!*elsewhere && *others == 0) {
                guardDenied = QStringLiteral("last-admin guard on %1").arg(*name);
                return Error{Errc::NotPermitted,
                             lastAdminMessage(*name, QStringLiteral("the role %1 cannot be taken away").arg(role)), 0};
            }
        }
        auto removed = d->roleStore->revoke(u.id, role);
        if (!removed)
            return removed.error();
        return d->record(caller->user.username, QStringLiteral("role.revoked"), Layer::Access, Outcome::Allowed,
                         FactorCategory::None, *name, role, {caller->user.id, u.id});
    });
    if (!guardDenied.isEmpty())
        (void)d->record(caller->user.username, QStringLiteral("access.denied"), Layer::Access, Outcome::Denied,
                        FactorCategory::None, permissionName(Permission::RolesAssign), guardDenied,
                        Impl::by(caller->user.id));
    return result;
}

} // namespace gh
