// Roles as data (issue 6): the roles, role_permissions and user_roles tables of the vault. The
// facade (core/facade/rolesservice.cpp, Core::authorize) is the only user; this class checks nothing about
// the caller. Permission names this build does not know are ignored when read (fail closed).
#pragma once

#include "../errors.h"
#include "permissions.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace gh {

class Vault;

struct RoleRecord {
    QString name;
    bool builtIn = false;
    QString description;
    QList<Permission> permissions; // known ones only, in declaration order
    QStringList appPermissions;    // other names stored (applications' permissions, core/apps), sorted;
                                   // the facade keeps only those an application still declares
    int holders = 0;               // accounts holding the role (enabled or not)
};

class RoleStore {
public:
    explicit RoleStore(Vault& vault) : m_vault(vault) {}

    // What the user's roles grant, read now (so changes apply to live sessions, AC-04).
    Result<QList<Permission>> permissionsOf(qint64 userId);
    // The names other than Gatehouse's own that the user's roles hold (applications' permissions),
    // sorted; whether an application still declares them is the caller's question.
    Result<QStringList> appPermissionsOf(qint64 userId);
    // The user's roles, primary first (see primaryOf).
    Result<QStringList> rolesOf(qint64 userId);
    Result<QList<RoleRecord>> list();
    Result<std::optional<RoleRecord>> find(const QString& name);

    Status create(const QString& name, const QString& description, const QList<Permission>& permissions, qint64 now,
                  const QStringList& appPermissions = {});
    Status setPermissions(const QString& name, const QList<Permission>& permissions,
                          const QStringList& appPermissions = {});
    Status remove(const QString& name);
    // false when the user held the role already / did not hold it.
    Result<bool> assign(qint64 userId, const QString& role, qint64 now);
    Result<bool> revoke(qint64 userId, const QString& role);

    // Usable accounts other than `exceptUserId` that hold `permission` through a role other than
    // `exceptRole` (empty: any role): enabled, with a password of their own (not a temporary one,
    // which may expire unused; red team t06). The last-holder guard asks this before taking
    // roles.assign away.
    Result<int> otherHolders(Permission permission, qint64 exceptUserId, const QString& exceptRole = {});
    // The user's roles that grant `permission`, by name (what let a read of another account's data
    // through, issue 13 item 6).
    Result<QStringList> rolesGranting(qint64 userId, Permission permission);
    // Whether the user holds `permission` through a role other than `exceptRole`.
    Result<bool> holdsThroughOthers(qint64 userId, Permission permission, const QString& exceptRole);

    // users.role mirrors the primary role for older readers (UserInfo.role, SessionInfo.role).
    Status syncPrimary(qint64 userId);
    // admin, then operator, then viewer, then custom roles alphabetically; empty when none.
    static QString primaryOf(const QStringList& roles);
    // Role names: 1 to 32 characters, lower-case letters, digits, '.', '_' or '-', starting with a letter.
    static bool validName(const QString& name);

private:
    Result<QStringList> heldNames(qint64 userId); // every permission name its roles hold
    Vault& m_vault;
};

} // namespace gh
