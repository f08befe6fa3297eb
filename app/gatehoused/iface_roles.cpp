// io.gatehouse.Gatehouse1.Roles: roles and permissions (L4). A change pushes PermissionsChanged
// to the holders of the affected sessions, so their screens update at once (AC-04).
#include "dbusapi.h"
#include "marshal.h"
#include "service.h"

namespace gh::service {

namespace {
Reply changed(Call& c, Status r, const QString& username) {
    if (!r)
        return r.error();
    c.service.announcePermissions(*c.vault, username);
    return QVariantList();
}
} // namespace

void addRolesMethods(MethodTable& t) {
    const QString i = dbus::kRoles;
    const QString token = QStringLiteral("token"), user = QStringLiteral("username"), role = QStringLiteral("role"),
                  name = QStringLiteral("name"), perms = QStringLiteral("permissions");
    addWithSession(t, i, QStringLiteral("ListRoles"), "ay", "av", {token, QStringLiteral("roles")},
                   [](Call& c, Session& s) -> Reply { return listReply(c.vault->gh->roles().listRoles(s)); });
    addWithSession(t, i, QStringLiteral("RolesOf"), "ays", "as", {token, user, QStringLiteral("roles")},
                   [](Call& c, Session& s) -> Reply { return valueReply(c.vault->gh->roles().rolesOf(s, c.str(1))); });
    addWithSession(t, i, QStringLiteral("PermissionsOf"), "ay", "as", {token, perms},
                   [](Call& c, Session& s) -> Reply { return valueReply(c.vault->gh->roles().permissionsOf(s)); });
    // Issue 11: the permissions applications declare (core/apps), read again now (users.read).
    addWithSession(t, i, QStringLiteral("ListAppPermissions"), "ay", "av", {token, perms},
                   [](Call& c, Session& s) -> Reply { return listReply(c.vault->gh->roles().appPermissions(s)); });
    addWithSession(t, i, QStringLiteral("CreateRole"), "aysass", "",
                   {token, name, perms, QStringLiteral("description")}, [](Call& c, Session& s) -> Reply {
                       return done(c.vault->gh->roles().createRole(s, c.str(1), c.strings(2), c.str(3)));
                   });
    addWithSession(t, i, QStringLiteral("UpdateRole"), "aysas", "", {token, name, perms},
                   [](Call& c, Session& s) -> Reply {
                       return changed(c, c.vault->gh->roles().updateRole(s, c.str(1), c.strings(2)), QString());
                   });
    addWithSession(t, i, QStringLiteral("DeleteRole"), "ays", "", {token, name}, [](Call& c, Session& s) -> Reply {
        return changed(c, c.vault->gh->roles().deleteRole(s, c.str(1)), QString());
    });
    addWithSession(t, i, QStringLiteral("AssignRole"), "ayss", "", {token, user, role},
                   [](Call& c, Session& s) -> Reply {
                       return changed(c, c.vault->gh->roles().assignRole(s, c.str(1), c.str(2)), c.str(1));
                   });
    addWithSession(t, i, QStringLiteral("RevokeRole"), "ayss", "", {token, user, role},
                   [](Call& c, Session& s) -> Reply {
                       return changed(c, c.vault->gh->roles().revokeRole(s, c.str(1), c.str(2)), c.str(1));
                   });
}

} // namespace gh::service
