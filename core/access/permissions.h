#pragma once

#include <QString>
#include <QStringList>

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
} // namespace roles

// Deny by default: unknown roles and unknown permissions are refused.
bool allowed(const QString& role, Permission permission);

} // namespace gh
