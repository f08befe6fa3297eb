#include "permissions.h"

#include <QRegularExpression>

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
bool validName(const QString& name) {
    static const QRegularExpression re(QStringLiteral("^[a-z][a-z0-9._-]{0,31}$"));
    return re.match(name).hasMatch();
}

bool isKnown(const QString& role) {
    return role.isEmpty() || builtIn().contains(role);
}
} // namespace roles

QList<Permission> allPermissions() {
    return {Permission::UsersRead,         Permission::UsersManage,     Permission::StatusRead,
            Permission::PasswordChangeOwn, Permission::AuditRead,       Permission::FactorsManageOwn,
            Permission::FactorsManageAny,  Permission::SessionsReadAll, Permission::SessionsRevokeAny,
            Permission::RolesAssign,       Permission::PolicyManage};
}

std::optional<Permission> permissionFromName(const QString& name) {
    for (Permission p : allPermissions())
        if (permissionName(p) == name)
            return p;
    return std::nullopt;
}

QString permissionDescription(Permission permission) {
    switch (permission) {
    case Permission::UsersRead:
        return QStringLiteral("See the list of accounts");
    case Permission::UsersManage:
        return QStringLiteral("Add, disable, enable and unlock accounts");
    case Permission::StatusRead:
        return QStringLiteral("See vault and layer health");
    case Permission::PasswordChangeOwn:
        return QStringLiteral("Change one's own password (every account)");
    case Permission::AuditRead:
        return QStringLiteral("Read the audit log");
    case Permission::FactorsManageOwn:
        return QStringLiteral("Manage one's own second factors (every account)");
    case Permission::FactorsManageAny:
        return QStringLiteral("See and manage other accounts' factors");
    case Permission::SessionsReadAll:
        return QStringLiteral("See every account's sessions");
    case Permission::SessionsRevokeAny:
        return QStringLiteral("End other accounts' sessions");
    case Permission::RolesAssign:
        return QStringLiteral("Assign and revoke roles, create and edit custom roles");
    case Permission::PolicyManage:
        return QStringLiteral("Change policy settings");
    }
    return {};
}

bool isSelfService(Permission permission) {
    return permission == Permission::PasswordChangeOwn || permission == Permission::FactorsManageOwn;
}

bool isAdministrative(Permission permission) {
    switch (permission) {
    case Permission::UsersManage:
    case Permission::FactorsManageAny:
    case Permission::SessionsRevokeAny:
    case Permission::RolesAssign:
    case Permission::PolicyManage:
        return true;
    default:
        return false;
    }
}

bool requiresSecondFactor(Permission permission) {
    switch (permission) {
    case Permission::UsersRead:
    case Permission::UsersManage:
    case Permission::AuditRead:
    case Permission::FactorsManageAny:
    case Permission::SessionsReadAll:
    case Permission::SessionsRevokeAny:
    case Permission::RolesAssign:
    case Permission::PolicyManage:
        return true;
    case Permission::StatusRead:
    case Permission::PasswordChangeOwn:
    case Permission::FactorsManageOwn:
        return false;
    }
    return true; // fail closed
}

bool requiresSecondFactor(const QList<Permission>& held) {
    for (Permission p : held)
        if (requiresSecondFactor(p))
            return true;
    return false;
}

} // namespace gh
