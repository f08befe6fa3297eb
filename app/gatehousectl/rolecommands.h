// gatehousectl role …: list, assign, revoke, create, delete (issue 6). The parser (cli.cpp) hands
// the `role` words here; commands.cpp signs the caller in and prints what runRoleCommand returns,
// so failures go through the same describe()/exit-code path as every other command.
#pragma once

#include "cli.h"

#include "errors.h"

#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <optional>

namespace gh {
class Client;
struct Session;
} // namespace gh

namespace gh::cli {

// Fills inv.command/target/roleName from `role SUB …`; returns a usage problem or empty.
QString parseRoleWords(const QStringList& words, Invocation& inv);
bool isRoleCommand(Command command);

struct RoleOutput {
    std::optional<Error> error;
    QString text;    // stdout (tables), plain mode
    QString message; // stderr confirmation for people
    QJsonObject json;
};

RoleOutput runRoleCommand(Client& gatehouse, const Session& session, const Invocation& inv);

} // namespace gh::cli
