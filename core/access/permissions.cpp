#include "permissions.h"

namespace gh {

QString permissionName(Permission permission) {
    switch (permission) {
    case Permission::UsersRead:
        return QStringLiteral("users.read");
    case Permission::UsersManage:
        return QStringLiteral("users.manage");
    case Permission::StatusRead:
        return QStringLiteral("status.read");
    case Permission::PasswordChangeOwn:
        return QStringLiteral("password.change_own");
    case Permission::AuditRead:
        return QStringLiteral("audit.read");
    case Permission::FactorsManageOwn:
        return QStringLiteral("factors.manage_own");
    case Permission::FactorsManageAny:
        return QStringLiteral("factors.manage_any");
    case Permission::SessionsReadAll:
        return QStringLiteral("sessions.read_all");
    case Permission::SessionsRevokeAny:
        return QStringLiteral("sessions.revoke_any");
    case Permission::RolesAssign:
        return QStringLiteral("roles.assign");
    case Permission::PolicyManage:
        return QStringLiteral("policy.manage");
    }
    return QStringLiteral("unknown");
}

namespace roles {
QStringList builtIn() {
    return {kAdmin, kOperator, kViewer};
}
bool isKnown(const QString& role) {
    return role.isEmpty() || builtIn().contains(role);
}
} // namespace roles

bool allowed(const QString& role, Permission permission) {
    if (permission == Permission::PasswordChangeOwn || permission == Permission::FactorsManageOwn)
        return true; // every account may change its own password
    if (role == roles::kAdmin)
        return true;
    if (role == roles::kOperator)
        return permission == Permission::UsersRead || permission == Permission::StatusRead;
    if (role == roles::kViewer)
        return permission == Permission::StatusRead;
    return false; // deny by default
}

} // namespace gh
