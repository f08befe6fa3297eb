// RolesService (io.gatehouse.Gatehouse1.Roles): roles and permissions through the facade (issue 6, SECURITY.md
// AC-01…AC-07). Roles are vault data (core/access/rolestore.*); every call here is authorized in core like any other
// facade call. Changing roles needs roles.assign, a fresh session (step-up, AC-06), and never grants a permission the
// caller does not hold. The last holder of roles.assign keeps it.
#include "rolesservice.h"

#include "core.h"

#include "apps/apppermissions.h"
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

// The role as people read it: Gatehouse's own permissions, then the applications' permissions
// that an application still declares (a name whose declaration went is held by nobody).
RoleInfo infoOf(const RoleRecord& r, const AppPermissions& apps) {
    RoleInfo info;
    info.name = r.name;
    info.builtIn = r.builtIn;
    info.description = r.description;
    info.permissions = namesOf(r.permissions);
    for (const QString& name : r.appPermissions)
        if (apps.declares(name))
            info.permissions << name;
    info.holders = r.holders;
    return info;
}

struct Wanted {
    QList<Permission> own;    // Gatehouse's, in declaration order
    QStringList applications; // declared by an application (core/apps), sorted
};

// Permission names typed by people or scripts: a name that is neither Gatehouse's own nor declared
// by an application is an error here, with the reason (the vault side ignores such names, fail
// closed).
Result<Wanted> parsePermissions(const QStringList& names, const AppPermissions& apps) {
    Wanted wanted;
    for (const QString& raw : names) {
        const QString name = raw.trimmed();
        if (name.isEmpty())
            continue;
        if (const std::optional<Permission> p = permissionFromName(name)) {
            if (!wanted.own.contains(*p))
                wanted.own << *p;
            continue;
        }
        if (apps.declares(name)) {
            if (!wanted.applications.contains(name))
                wanted.applications << name;
            continue;
        }
        const QString app = name.section(QLatin1Char('.'), 0, 0);
        const QString where =
            apps.dirs().isEmpty() ? QStringLiteral("gatehouse/permissions") : apps.dirs().join(QStringLiteral(", "));
        QString detail =
            apps.knowsApp(app)
                ? QStringLiteral("Unknown permission \"%1\": application %2 does not declare it.").arg(name, app)
                : QStringLiteral("Unknown permission \"%1\": it is not one of Gatehouse's and no application declares "
                                 "it (an application declares its permissions in %2.conf in %3).")
                      .arg(name, app, where);
        QStringList declared;
        for (const AppPermission& a : apps.all())
            declared << a.name;
        detail += QStringLiteral(" Gatehouse's permissions: %1.").arg(namesOf(allPermissions()).join(u", "));
        if (!declared.isEmpty())
            detail += QStringLiteral(" Declared by applications: %1.").arg(declared.join(u", "));
        return Error{Errc::InvalidArgument, detail, 0};
    }
    QList<Permission> ordered;
    for (Permission p : allPermissions())
        if (wanted.own.contains(p))
            ordered << p;
    wanted.own = ordered;
    wanted.applications.sort();
    return wanted;
}

const QString kNameRule = QStringLiteral("Role names are 1 to 32 characters: lower-case letters, digits, '.', '_' "
                                         "or '-', starting with a letter.");

} // namespace

Result<QList<RoleInfo>> RolesService::listRoles(const Session& session) {
    std::lock_guard guard(m_core.lock);
    auto caller = m_core.authorize(session, Permission::UsersRead);
    if (!caller)
        return caller.error();
    auto all = m_core.roleStore->list();
    if (!all)
        return all.error();
    QList<RoleInfo> out;
    for (const RoleRecord& r : *all)
        out << infoOf(r, m_core.apps);
    return out;
}

Result<QStringList> RolesService::rolesOf(const Session& session, const QString& username) {
    std::lock_guard guard(m_core.lock);
    // One's own roles: any live session (password.change_own is held by every account, even a
    // restricted session). Another account's: users.read.
    auto account = m_core.accountFor(session, Permission::PasswordChangeOwn, Permission::UsersRead, username);
    if (!account)
        return account.error();
    return m_core.roleStore->rolesOf(account->id);
}

Result<QStringList> RolesService::permissionsOf(const Session& session) {
    std::lock_guard guard(m_core.lock);
    auto caller = m_core.authorize(session, Permission::PasswordChangeOwn);
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
        else if (requiresSecondFactor(p) && caller->record.aal < static_cast<int>(Aal::Aal2))
            may = false;
        if (may)
            effective << p;
    }
    return namesOf(effective);
}

Status RolesService::createRole(const Session& session, const QString& name, const QStringList& permissions,
                                const QString& description) {
    std::lock_guard guard(m_core.lock);
    auto caller = m_core.authorize(session, Permission::RolesAssign, name);
    if (!caller)
        return caller.error();
    if (Status f = m_core.requireFresh(*caller, QStringLiteral("creating role %1").arg(name)); !f)
        return f;
    if (!RoleStore::validName(name))
        return Error{Errc::InvalidArgument, kNameRule, 0};
    // "none" stands for no role (gatehousectl user add --role none; user list): a role of that
    // name would read as no role wherever it is shown, and could not be given.
    if (name == QLatin1String("none"))
        return Error{Errc::InvalidArgument,
                     QStringLiteral("\"none\" is reserved: it means no role. Choose another name."), 0};
    m_core.reloadApps();
    auto wanted = parsePermissions(permissions, m_core.apps);
    if (!wanted)
        return wanted.error();
    // Applications' permissions are granted by whoever may assign roles (no built-in role holds
    // them); Gatehouse's own only by someone who holds them.
    if (Status h = m_core.requireHeld(*caller, wanted->own, name); !h)
        return h;
    return m_core.vault->transaction([&]() -> Status {
        auto existing = m_core.roleStore->find(name);
        if (!existing)
            return existing.error();
        if (existing->has_value())
            return Error{Errc::InvalidArgument, QStringLiteral("A role named \"%1\" exists already.").arg(name), 0};
        if (Status c = m_core.roleStore->create(name, description.trimmed().left(200), wanted->own,
                                                m_core.clock->nowSecs(), wanted->applications);
            !c)
            return c;
        return m_core.record(caller->user.username, QStringLiteral("role.created"), Layer::Access, Outcome::Allowed,
                             FactorCategory::None, name, (namesOf(wanted->own) + wanted->applications).join(u","),
                             Core::by(caller->user.id));
    });
}

Status RolesService::updateRole(const Session& session, const QString& name, const QStringList& permissions) {
    std::lock_guard guard(m_core.lock);
    auto caller = m_core.authorize(session, Permission::RolesAssign, name);
    if (!caller)
        return caller.error();
    if (Status f = m_core.requireFresh(*caller, QStringLiteral("editing role %1").arg(name)); !f)
        return f;
    m_core.reloadApps();
    auto wanted = parsePermissions(permissions, m_core.apps);
    if (!wanted)
        return wanted.error();
    QString guardDenied;
    Status result = m_core.vault->transaction([&]() -> Status {
        auto existing = m_core.roleStore->find(name);
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
        for (Permission p : wanted->own)
            if (!role.permissions.contains(p))
                added << p;
        if (Status h = m_core.requireHeld(*caller, added, name); !h)
            return h;
        if (role.permissions.contains(Permission::RolesAssign) && !wanted->own.contains(Permission::RolesAssign)) {
            auto others = m_core.roleStore->otherHolders(Permission::RolesAssign, 0, name);
            if (!others)
                return others.error();
            if (*others == 0) {
                guardDenied = QStringLiteral("last-admin guard on role %1").arg(name);
                return Error{Errc::LastAdministrator,
                             QStringLiteral("role %1 is the only way any enabled account can assign roles, so it "
                                            "keeps roles.assign — make someone else an administrator first")
                                 .arg(name),
                             0};
            }
        }
        if (Status s = m_core.roleStore->setPermissions(name, wanted->own, wanted->applications); !s)
            return s;
        return m_core.record(caller->user.username, QStringLiteral("role.updated"), Layer::Access, Outcome::Allowed,
                             FactorCategory::None, name, (namesOf(wanted->own) + wanted->applications).join(u","),
                             Core::by(caller->user.id));
    });
    if (result)
        m_core.rolesChanged();
    if (!guardDenied.isEmpty())
        (void)m_core.record(caller->user.username, QStringLiteral("access.denied"), Layer::Access, Outcome::Denied,
                            FactorCategory::None, permissionName(Permission::RolesAssign), guardDenied,
                            Core::by(caller->user.id));
    return result;
}

Status RolesService::deleteRole(const Session& session, const QString& name) {
    std::lock_guard guard(m_core.lock);
    auto caller = m_core.authorize(session, Permission::RolesAssign, name);
    if (!caller)
        return caller.error();
    if (Status f = m_core.requireFresh(*caller, QStringLiteral("deleting role %1").arg(name)); !f)
        return f;
    QString guardDenied;
    Status result = m_core.vault->transaction([&]() -> Status {
        auto existing = m_core.roleStore->find(name);
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
        if (Status s = m_core.roleStore->remove(name); !s)
            return s;
        m_core.rolesChanged();
        return m_core.record(caller->user.username, QStringLiteral("role.deleted"), Layer::Access, Outcome::Allowed,
                             FactorCategory::None, name, {}, Core::by(caller->user.id));
    });
    if (!guardDenied.isEmpty())
        (void)m_core.record(caller->user.username, QStringLiteral("access.denied"), Layer::Access, Outcome::Denied,
                            FactorCategory::None, permissionName(Permission::RolesAssign), guardDenied,
                            Core::by(caller->user.id));
    return result;
}

Status RolesService::assignRole(const Session& session, const QString& username, const QString& role) {
    std::lock_guard guard(m_core.lock);
    const QString object = QStringLiteral("%1 (role %2)").arg(username, role);
    auto caller = m_core.authorize(session, Permission::RolesAssign, object);
    if (!caller)
        return caller.error();
    if (Status f = m_core.requireFresh(*caller, QStringLiteral("assigning a role (%1)").arg(object)); !f)
        return f;
    const auto name = normaliseUsername(username);
    if (!name)
        return Errc::InvalidUsername;
    auto found = m_core.roleStore->find(role);
    if (!found)
        return found.error();
    if (!found->has_value())
        return Error{Errc::InvalidArgument, QStringLiteral("No role named \"%1\".").arg(role), 0};
    if (Status h = m_core.requireHeld(*caller, (*found)->permissions, object); !h)
        return h;
    return m_core.vault->transaction([&]() -> Status {
        auto target = m_core.existingUser(*name);
        if (!target)
            return target.error();
        auto added = m_core.roleStore->assign(target->id, role, m_core.clock->nowSecs());
        if (!added)
            return added.error();
        m_core.rolesChanged();
        return m_core.record(caller->user.username, QStringLiteral("role.assigned"), Layer::Access, Outcome::Allowed,
                             FactorCategory::None, *name, *added ? role : QStringLiteral("%1 (held already)").arg(role),
                             {caller->user.id, target->id});
    });
}

Status RolesService::revokeRole(const Session& session, const QString& username, const QString& role) {
    std::lock_guard guard(m_core.lock);
    const QString object = QStringLiteral("%1 (role %2)").arg(username, role);
    auto caller = m_core.authorize(session, Permission::RolesAssign, object);
    if (!caller)
        return caller.error();
    if (Status f = m_core.requireFresh(*caller, QStringLiteral("revoking a role (%1)").arg(object)); !f)
        return f;
    const auto name = normaliseUsername(username);
    if (!name)
        return Errc::InvalidUsername;
    QString guardDenied;
    Status result = m_core.vault->transaction([&]() -> Status {
        auto target = m_core.existingUser(*name);
        if (!target)
            return target.error();
        const UserRow& u = *target;
        auto held = m_core.roleStore->rolesOf(u.id);
        if (!held)
            return held.error();
        if (!held->contains(role))
            return Error{Errc::InvalidArgument, QStringLiteral("%1 does not have the role \"%2\".").arg(*name, role),
                         0};
        // AC-06: the last enabled holder of roles.assign keeps it (demoting oneself included).
        auto found = m_core.roleStore->find(role);
        if (!found)
            return found.error();
        if (u.enabled && found->has_value() && (*found)->permissions.contains(Permission::RolesAssign)) {
            auto elsewhere = m_core.roleStore->holdsThroughOthers(u.id, Permission::RolesAssign, role);
            if (!elsewhere)
                return elsewhere.error();
            auto others = m_core.roleStore->otherHolders(Permission::RolesAssign, u.id);
            if (!others)
                return others.error();
            if (!*elsewhere && *others == 0) {
                guardDenied = QStringLiteral("last-admin guard on %1").arg(*name);
                return lastAdministrator(*name, QStringLiteral("cannot lose the role %1").arg(role));
            }
        }
        auto removed = m_core.roleStore->revoke(u.id, role);
        if (!removed)
            return removed.error();
        m_core.rolesChanged();
        return m_core.record(caller->user.username, QStringLiteral("role.revoked"), Layer::Access, Outcome::Allowed,
                             FactorCategory::None, *name, role, {caller->user.id, u.id});
    });
    if (!guardDenied.isEmpty())
        (void)m_core.record(caller->user.username, QStringLiteral("access.denied"), Layer::Access, Outcome::Denied,
                            FactorCategory::None, permissionName(Permission::RolesAssign), guardDenied,
                            Core::by(caller->user.id));
    return result;
}

} // namespace gh

namespace gh {

Result<QList<AppPermission>> RolesService::appPermissions(const Session& session, QStringList* problems) {
    std::lock_guard guard(m_core.lock);
    auto caller = m_core.authorize(session, Permission::UsersRead);
    if (!caller)
        return caller.error();
    m_core.reloadApps();
    if (problems)
        for (const AppPermissionProblem& p : m_core.apps.problems())
            *problems << p.text();
    return m_core.apps.all();
}

} // namespace gh
