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
    add(t, i, QStringLiteral("ListRoles"), "ay", "av", {token, QStringLiteral("roles")}, [](Call& c) -> Reply {
        auto s = c.session(0);
        if (!s)
            return s.error();
        auto r = c.vault->gh->listRoles(*s);
        if (!r)
            return r.error();
        return QVariantList{QVariant(wire::toList(*r))};
    });
    add(t, i, QStringLiteral("RolesOf"), "ays", "as", {token, user, QStringLiteral("roles")}, [](Call& c) -> Reply {
        auto s = c.session(0);
        if (!s)
            return s.error();
        auto r = c.vault->gh->rolesOf(*s, c.str(1));
        if (!r)
            return r.error();
        return QVariantList{*r};
    });
    add(t, i, QStringLiteral("PermissionsOf"), "ay", "as", {token, perms}, [](Call& c) -> Reply {
        auto s = c.session(0);
        if (!s)
            return s.error();
        auto r = c.vault->gh->permissionsOf(*s);
        if (!r)
            return r.error();
        return QVariantList{*r};
    });
    add(t, i, QStringLiteral("CreateRole"), "aysass", "", {token, name, perms, QStringLiteral("description")},
        [](Call& c) -> Reply {
            auto s = c.session(0);
            if (!s)
                return s.error();
            if (Status r = c.vault->gh->createRole(*s, c.str(1), c.strings(2), c.str(3)); !r)
                return r.error();
            return QVariantList();
        });
    add(t, i, QStringLiteral("UpdateRole"), "aysas", "", {token, name, perms}, [](Call& c) -> Reply {
        auto s = c.session(0);
        if (!s)
            return s.error();
        return changed(c, c.vault->gh->updateRole(*s, c.str(1), c.strings(2)), QString());
    });
    add(t, i, QStringLiteral("DeleteRole"), "ays", "", {token, name}, [](Call& c) -> Reply {
        auto s = c.session(0);
        if (!s)
            return s.error();
        return changed(c, c.vault->gh->deleteRole(*s, c.str(1)), QString());
    });
    add(t, i, QStringLiteral("AssignRole"), "ayss", "", {token, user, role}, [](Call& c) -> Reply {
        auto s = c.session(0);
        if (!s)
            return s.error();
        return changed(c, c.vault->gh->assignRole(*s, c.str(1), c.str(2)), c.str(1));
    });
    add(t, i, QStringLiteral("RevokeRole"), "ayss", "", {token, user, role}, [](Call& c) -> Reply {
        auto s = c.session(0);
        if (!s)
            return s.error();
        return changed(c, c.vault->gh->revokeRole(*s, c.str(1), c.str(2)), c.str(1));
    });
}

} // namespace gh::service
