#include "rolestore.h"

#include "../vault/vault.h"

#include <QRegularExpression>

#include <algorithm>

namespace gh {

namespace {

int primaryRank(const QString& role) {
    if (role == roles::kAdmin)
        return 0;
    if (role == roles::kOperator)
        return 1;
    if (role == roles::kViewer)
        return 2;
    return 3;
}

void sortRoles(QStringList& list) {
    std::sort(list.begin(), list.end(), [](const QString& a, const QString& b) {
        const int ra = primaryRank(a);
        const int rb = primaryRank(b);
        return ra != rb ? ra < rb : a < b;
    });
}

QList<Permission> known(const QStringList& names) {
    QList<Permission> out;
    for (Permission p : allPermissions())
        if (names.contains(permissionName(p)))
            out << p;
    return out;
}

QStringList others(const QStringList& names) {
    QStringList out;
    for (const QString& n : names)
        if (!permissionFromName(n) && !out.contains(n))
            out << n;
    out.sort();
    return out;
}

} // namespace

// Every permission name the account's roles hold, Gatehouse's own and applications' alike.
Result<QStringList> RoleStore::heldNames(qint64 userId) {
    auto st = m_vault.db().prepare("SELECT DISTINCT rp.permission FROM user_roles ur "
                                   "JOIN role_permissions rp ON rp.role = ur.role WHERE ur.user_id = ?");
    if (!st)
        return st.error();
    st->bind(1, userId);
    QStringList names;
    while (st->step())
        names << st->text(0);
    if (st->failed())
        return st->error();
    return names;
}

Result<QStringList> RoleStore::appPermissionsOf(qint64 userId) {
    auto names = heldNames(userId);
    if (!names)
        return names.error();
    return others(*names);
}

Result<QList<Permission>> RoleStore::permissionsOf(qint64 userId) {
    auto names = heldNames(userId);
    if (!names)
        return names.error();
    return known(*names);
}

Result<QStringList> RoleStore::rolesOf(qint64 userId) {
    auto st = m_vault.db().prepare("SELECT role FROM user_roles WHERE user_id = ?");
    if (!st)
        return st.error();
    st->bind(1, userId);
    QStringList out;
    while (st->step())
        out << st->text(0);
    if (st->failed())
        return st->error();
    sortRoles(out);
    return out;
}

Result<QList<RoleRecord>> RoleStore::list() {
    auto st = m_vault.db().prepare(
        "SELECT r.name, r.built_in, r.description, "
        "coalesce((SELECT group_concat(permission, ',') FROM role_permissions p WHERE p.role = r.name), ''), "
        "(SELECT count(*) FROM user_roles u WHERE u.role = r.name) FROM roles r");
    if (!st)
        return st.error();
    QList<RoleRecord> out;
    while (st->step()) {
        RoleRecord r;
        r.name = st->text(0);
        r.builtIn = st->int64(1) != 0;
        r.description = st->text(2);
        const QStringList stored = st->text(3).split(QLatin1Char(','), Qt::SkipEmptyParts);
        r.permissions = known(stored);
        r.appPermissions = others(stored);
        r.holders = static_cast<int>(st->int64(4));
        out << r;
    }
    if (st->failed())
        return st->error();
    std::sort(out.begin(), out.end(), [](const RoleRecord& a, const RoleRecord& b) {
        const int ra = primaryRank(a.name);
        const int rb = primaryRank(b.name);
        return ra != rb ? ra < rb : a.name < b.name;
    });
    return out;
}

Result<std::optional<RoleRecord>> RoleStore::find(const QString& name) {
    auto all = list();
    if (!all)
        return all.error();
    for (const RoleRecord& r : *all)
        if (r.name == name)
            return std::optional<RoleRecord>(r);
    return std::optional<RoleRecord>();
}

Status RoleStore::create(const QString& name, const QString& description, const QList<Permission>& permissions,
                         qint64 now, const QStringList& appPermissions) {
    auto st = m_vault.db().prepare("INSERT INTO roles(name, built_in, description, created_at) VALUES (?, 0, ?, ?)");
    if (!st)
        return st.error();
    st->bind(1, name).bind(2, description).bind(3, now);
    if (Status s = st->done(); !s)
        return s;
    return setPermissions(name, permissions, appPermissions);
}

Status RoleStore::setPermissions(const QString& name, const QList<Permission>& permissions,
                                 const QStringList& appPermissions) {
    auto clear = m_vault.db().prepare("DELETE FROM role_permissions WHERE role = ?");
    if (!clear)
        return clear.error();
    clear->bind(1, name);
    if (Status s = clear->done(); !s)
        return s;
    for (Permission p : permissions) {
        auto st = m_vault.db().prepare("INSERT OR IGNORE INTO role_permissions(role, permission) VALUES (?, ?)");
        if (!st)
            return st.error();
        st->bind(1, name).bind(2, permissionName(p));
        if (Status s = st->done(); !s)
            return s;
    }
    for (const QString& p : appPermissions) {
        auto st = m_vault.db().prepare("INSERT OR IGNORE INTO role_permissions(role, permission) VALUES (?, ?)");
        if (!st)
            return st.error();
        st->bind(1, name).bind(2, p);
        if (Status s = st->done(); !s)
            return s;
    }
    return ok();
}

Status RoleStore::remove(const QString& name) {
    auto st = m_vault.db().prepare("DELETE FROM roles WHERE name = ? AND built_in = 0");
    if (!st)
        return st.error();
    st->bind(1, name);
    return st->done();
}

Result<bool> RoleStore::assign(qint64 userId, const QString& role, qint64 now) {
    auto st = m_vault.db().prepare("INSERT OR IGNORE INTO user_roles(user_id, role, assigned_at) VALUES (?, ?, ?)");
    if (!st)
        return st.error();
    st->bind(1, userId).bind(2, role).bind(3, now);
    if (Status s = st->done(); !s)
        return s.error();
    const bool changed = m_vault.db().changes() > 0;
    if (Status s = syncPrimary(userId); !s)
        return s.error();
    return changed;
}

Result<bool> RoleStore::revoke(qint64 userId, const QString& role) {
    auto st = m_vault.db().prepare("DELETE FROM user_roles WHERE user_id = ? AND role = ?");
    if (!st)
        return st.error();
    st->bind(1, userId).bind(2, role);
    if (Status s = st->done(); !s)
        return s.error();
    const bool changed = m_vault.db().changes() > 0;
    if (Status s = syncPrimary(userId); !s)
        return s.error();
    return changed;
}

Result<int> RoleStore::otherHolders(Permission permission, qint64 exceptUserId, const QString& exceptRole) {
    auto st = m_vault.db().prepare("SELECT count(DISTINCT u.id) FROM users u JOIN user_roles ur ON ur.user_id = u.id "
                                   "JOIN role_permissions rp ON rp.role = ur.role "
                                   "WHERE u.enabled = 1 AND u.must_change_password = 0 AND rp.permission = ? "
                                   "AND u.id <> ? AND ur.role <> ?");
    if (!st)
        return st.error();
    st->bind(1, permissionName(permission)).bind(2, exceptUserId).bind(3, exceptRole);
    if (!st->step())
        return st->failed() ? st->error() : Error{Errc::Internal, QStringLiteral("no count"), 0};
    return static_cast<int>(st->int64(0));
}

Result<bool> RoleStore::holdsThroughOthers(qint64 userId, Permission permission, const QString& exceptRole) {
    auto st = m_vault.db().prepare("SELECT count(*) FROM user_roles ur JOIN role_permissions rp ON rp.role = ur.role "
                                   "WHERE ur.user_id = ? AND rp.permission = ? AND ur.role <> ?");
    if (!st)
        return st.error();
    st->bind(1, userId).bind(2, permissionName(permission)).bind(3, exceptRole);
    if (!st->step())
        return st->failed() ? st->error() : Error{Errc::Internal, QStringLiteral("no count"), 0};
    return st->int64(0) > 0;
}

Status RoleStore::syncPrimary(qint64 userId) {
    auto held = rolesOf(userId);
    if (!held)
        return held.error();
    auto st = m_vault.db().prepare("UPDATE users SET role = ? WHERE id = ?");
    if (!st)
        return st.error();
    st->bind(1, primaryOf(*held)).bind(2, userId);
    return st->done();
}

QString RoleStore::primaryOf(const QStringList& roleNames) {
    QStringList sorted = roleNames;
    sortRoles(sorted);
    return sorted.isEmpty() ? QString() : sorted.first();
}

bool RoleStore::validName(const QString& name) {
    return roles::validName(name);
}

Result<QStringList> RoleStore::rolesGranting(qint64 userId, Permission permission) {
    auto st = m_vault.db().prepare("SELECT r.role FROM user_roles r JOIN role_permissions p ON p.role = r.role "
                                   "WHERE r.user_id = ? AND p.permission = ? ORDER BY r.role");
    if (!st)
        return st.error();
    st->bind(1, userId).bind(2, permissionName(permission));
    QStringList out;
    while (st->step())
        out << st->text(0);
    if (st->failed())
        return st->error();
    return out;
}

} // namespace gh
