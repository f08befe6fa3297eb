#pragma once

#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace gh {

enum class Permission {
    UsersRead,   // list accounts
    UsersManage, // add, disable, enable accounts
    StatusRead,  // vault and layer health
    PasswordChangeOwn,
    AuditRead,         // read the audit log
    FactorsManageOwn,  // list, enroll, rename and remove one's own factors
    FactorsManageAny,  // the same for other accounts
    SessionsReadAll,   // list every account's sessions (one's own need no permission)
    SessionsRevokeAny, // end other accounts' sessions
    RolesAssign,       // assign and revoke roles, create custom roles
    PolicyManage,      // change policy settings (lifetimes, session limit)
};

QString permissionName(Permission permission); // e.g. "users.manage"

namespace roles {
inline const QString kAdmin = QStringLiteral("admin");
inline const QString kOperator = QStringLiteral("operator");
inline const QString kViewer = QStringLiteral("viewer");
QStringList builtIn();
bool isKnown(const QString& role); // a built-in role or empty (no role)
// A custom role's name: lower case, starts with a letter, [a-z0-9._-], at most 32 characters.
bool validName(const QString& name);
} // namespace roles

// ---- roles as data (issue 6): the names are what the vault stores in role_permissions ----

// Every permission, in declaration order.
QList<Permission> allPermissions();
// "users.manage" → Permission::UsersManage; nullopt for a name this build does not know (the
// caller ignores it: fail closed).
std::optional<Permission> permissionFromName(const QString& name);
// One line for people ("Add, disable, enable and unlock accounts").
QString permissionDescription(Permission permission);
// Held by every enabled account whatever its roles: changing one's own password and managing
// one's own factors (objects the caller owns).
bool isSelfService(Permission permission);
// Administrative functions: need a two-factor (AAL2) session (AC-06).
bool isAdministrative(Permission permission);
// Permissions that administer or read other people's data (issue 13 item 5): an account whose
// roles hold any of them, built-in or custom, needs a second factor; until it holds one its
// sessions are restricted to enrolling one. Everything but status.read and the self-service pair.
bool requiresSecondFactor(Permission permission);
bool requiresSecondFactor(const QList<Permission>& held);

} // namespace gh
