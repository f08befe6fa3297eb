// io.gatehouse.Gatehouse1.Roles (app/gatehoused/iface_roles.cpp): roles and permissions (L4).
// Reached as gh.roles().
#pragma once

#include "apps/apppermissions.h"
#include "errors.h"
#include "facade/service.h"
#include "types.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace gh {

class RolesService : public FacadeService {
public:
    using FacadeService::FacadeService;

    // Roles live in the vault only (AC-03); every call reads them at call time, so a change applies
    // to live sessions at once (AC-04). listRoles needs users.read; rolesOf needs nothing for one's
    // own account, users.read otherwise.
    Result<QList<RoleInfo>> listRoles(const Session& session);
    Result<QStringList> rolesOf(const Session& session, const QString& username = {});
    // What this session may do now (names), for UIs deciding what to show. Core checks again.
    Result<QStringList> permissionsOf(const Session& session);
    // The following need roles.assign, a fresh session (signed in or stepped up within
    // Gatehouse::kStepUpWindowSecs, else Errc::StepUpRequired) and never grant a permission the
    // caller lacks. The last holder of roles.assign keeps it (AC-06).
    Status createRole(const Session& session, const QString& name, const QStringList& permissions,
                      const QString& description = {});
    Status updateRole(const Session& session, const QString& name, const QStringList& permissions);
    Status deleteRole(const Session& session, const QString& name); // custom and unassigned only
    Status assignRole(const Session& session, const QString& username, const QString& role);
    Status revokeRole(const Session& session, const QString& username, const QString& role);
    // What applications declare (core/apps), read again now; needs users.read. `problems`
    // receives the malformed files' lines ("path:line: message").
    Result<QList<AppPermission>> appPermissions(const Session& session, QStringList* problems = nullptr);
};

} // namespace gh
