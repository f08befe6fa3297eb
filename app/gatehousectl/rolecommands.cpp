#include "rolecommands.h"

#include "gatehouseclient.h"
#include "table.h"
#include "verification/usernames.h"

#include <QJsonArray>

#include <algorithm>

namespace gh::cli {

namespace {

QString table(const QList<QStringList>& rows) {
    return tableLines(rows).join(u'\n') + u'\n';
}

RoleOutput failed(const Error& error) {
    RoleOutput out;
    out.error = error;
    return out;
}

} // namespace

bool isRoleCommand(Command command) {
    return command == Command::RoleList || command == Command::RoleAssign || command == Command::RoleRevoke ||
           command == Command::RoleCreate || command == Command::RoleDelete;
}

QString parseRoleWords(const QStringList& words, Invocation& inv) {
    auto expect = [&](qsizetype count, const QString& form) -> QString {
        if (words.size() < count)
            return QStringLiteral("missing argument: %1").arg(form);
        if (words.size() > count)
            return QStringLiteral("unexpected argument '%1' (usage: %2)").arg(words.at(count), form);
        return {};
    };
    const QString sub = words.size() > 1 ? words.at(1) : QString();
    QString problem;
    if (sub == QLatin1String("list")) {
        inv.command = Command::RoleList;
        problem = expect(2, QStringLiteral("role list"));
    } else if (sub == QLatin1String("assign") || sub == QLatin1String("revoke")) {
        inv.command = sub == QLatin1String("assign") ? Command::RoleAssign : Command::RoleRevoke;
        problem = expect(4, QStringLiteral("role %1 USER ROLE").arg(sub));
        if (problem.isEmpty()) {
            inv.target = words.at(2);
            inv.roleName = words.at(3);
        }
    } else if (sub == QLatin1String("create")) {
        inv.command = Command::RoleCreate;
        problem = expect(3, QStringLiteral("role create NAME --permissions a,b,c"));
        if (problem.isEmpty())
            inv.roleName = words.at(2);
    } else if (sub == QLatin1String("delete")) {
        inv.command = Command::RoleDelete;
        problem = expect(3, QStringLiteral("role delete NAME"));
        if (problem.isEmpty())
            inv.roleName = words.at(2);
    } else if (sub.isEmpty()) {
        problem = QStringLiteral("'role' needs a subcommand: list, assign, revoke, create or delete");
    } else {
        problem = QStringLiteral("unknown role subcommand '%1' (list, assign, revoke, create, delete)").arg(sub);
    }
    return problem;
}

RoleOutput runRoleCommand(Client& gatehouse, const Session& session, const Invocation& inv) {
    RoleOutput out;
    const QString user = normaliseUsername(inv.target).value_or(inv.target);
    switch (inv.command) {
    case Command::RoleList: {
        auto roles = gatehouse.listRoles(session);
        if (!roles)
            return failed(roles.error());
        auto users = gatehouse.listUsers(session);
        if (!users)
            return failed(users.error());
        QJsonArray roleArray;
        QList<QStringList> rows{
            {QStringLiteral("ROLE"), QStringLiteral("KIND"), QStringLiteral("HOLDERS"), QStringLiteral("PERMISSIONS")}};
        for (const RoleInfo& r : *roles) {
            QStringList holders;
            for (const UserInfo& u : *users)
                if (u.roles.contains(r.name))
                    holders << u.username;
            roleArray.append(QJsonObject{{QStringLiteral("name"), r.name},
                                         {QStringLiteral("builtIn"), r.builtIn},
                                         {QStringLiteral("description"), r.description},
                                         {QStringLiteral("permissions"), QJsonArray::fromStringList(r.permissions)},
                                         {QStringLiteral("holders"), QJsonArray::fromStringList(holders)}});
            rows << QStringList{r.name, r.builtIn ? QStringLiteral("built-in") : QStringLiteral("custom"),
                                holders.isEmpty() ? QStringLiteral("-") : holders.join(u","),
                                r.permissions.isEmpty() ? QStringLiteral("-") : r.permissions.join(u",")};
        }
        out.json = QJsonObject{{QStringLiteral("roles"), roleArray}};
        out.text = table(rows);
        return out;
    }
    case Command::RoleAssign:
        if (Status s = gatehouse.assignRole(session, inv.target, inv.roleName); !s)
            return failed(s.error());
        out.message = QStringLiteral("%1 now has the role %2 (it applies to their open sessions at once).")
                          .arg(user, inv.roleName);
        out.json = QJsonObject{{QStringLiteral("username"), user},
                               {QStringLiteral("role"), inv.roleName},
                               {QStringLiteral("assigned"), true}};
        return out;
    case Command::RoleRevoke:
        if (Status s = gatehouse.revokeRole(session, inv.target, inv.roleName); !s)
            return failed(s.error());
        out.message = QStringLiteral("%1 no longer has the role %2 (it applies to their open sessions at once).")
                          .arg(user, inv.roleName);
        out.json = QJsonObject{{QStringLiteral("username"), user},
                               {QStringLiteral("role"), inv.roleName},
                               {QStringLiteral("revoked"), true}};
        return out;
    case Command::RoleCreate:
        if (Status s = gatehouse.createRole(session, inv.roleName, inv.permissions); !s)
            return failed(s.error());
        out.message = QStringLiteral("Created the role %1 (%2).")
                          .arg(inv.roleName, inv.permissions.isEmpty() ? QStringLiteral("no permissions")
                                                                       : inv.permissions.join(u", "));
        out.json = QJsonObject{{QStringLiteral("role"), inv.roleName},
                               {QStringLiteral("permissions"), QJsonArray::fromStringList(inv.permissions)},
                               {QStringLiteral("created"), true}};
        return out;
    case Command::RoleDelete:
        if (Status s = gatehouse.deleteRole(session, inv.roleName); !s)
            return failed(s.error());
        out.message = QStringLiteral("Deleted the role %1.").arg(inv.roleName);
        out.json = QJsonObject{{QStringLiteral("role"), inv.roleName}, {QStringLiteral("deleted"), true}};
        return out;
    default:
        break;
    }
    return failed(Error{Errc::Internal, QStringLiteral("not a role command"), 0});
}

} // namespace gh::cli
