// Command-line parsing for gatehousectl. Global options may come before or after the command;
// anything not understood is a usage error (exit 2). No option ever carries a password.
#pragma once

#include <QString>
#include <QStringList>

namespace gh::cli {

enum class Command { Help, Init, Status, UserAdd, UserList, UserDisable, UserEnable, Login, Passwd };

struct Invocation {
    Command command = Command::Help;
    QString vaultPath; // empty: Gatehouse::defaultVaultPath()
    bool json = false;
    QString asUser;
    bool passwordStdin = false;
    QString admin;  // init --admin NAME
    QString target; // user add/disable/enable NAME
    QString role;   // user add --role ROLE; empty = no role ("--role none")
    bool roleGiven = false;
};

struct Parsed {
    Invocation invocation;
    QString error; // non-empty: a usage error, for people
    bool ok() const { return error.isEmpty(); }
};

// `arguments` excludes the program name.
Parsed parse(const QStringList& arguments);
QString usageText(const QString& defaultVaultPath); // --help
QString shortUsage();                               // after a usage error
// The shortest command line that reproduces the global options for a hint ("gatehousectl --vault … "),
// with shell quoting where needed.
QString commandPrefix(const Invocation& invocation);

} // namespace gh::cli
