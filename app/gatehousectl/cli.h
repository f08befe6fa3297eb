// Command-line parsing for gatehousectl. Global options may come before or after the command;
// anything not understood is a usage error (exit 2). No option ever carries a password or a code:
// every local user can read a command line while it runs (/proc/PID/cmdline), and a code read that
// way can be used before its owner uses it (issue 17). Codes come from a prompt, the line of standard
// input after the password (--otp-stdin, --recovery-code-stdin, --code-stdin) or a file descriptor
// (--otp-fd N, --recovery-code-fd N, --code-fd N).
#pragma once

#include <QString>
#include <QStringList>

namespace gh::cli {

enum class Command {
    Help,
    Init,
    Status,
    UserAdd,
    UserList,
    UserDisable,
    UserEnable,
    UserUnlock,
    UserResetPassword, // user reset-password NAME (issue 12)
    UserDelete,        // user delete NAME [--yes]
    Login,
    Passwd,
    FactorList,
    FactorAddTotp,
    FactorConfirm,
    FactorAddRecovery,
    FactorRemove,
    RoleList,
    RoleAssign,
    RoleRevoke,
    RoleCreate,
    RoleDelete,
    FactorAddFido2,
    AuditList,
    AuditVerify,
    AuditDiagnose,
    SessionsList,        // sessions list [--all] [--ended]
    SessionsRevoke,      // sessions revoke ID | --others
    NoticesList,         // notices
    NoticesDismiss,      // notices dismiss ID
    VaultAcceptRestore,  // vault accept-restore (break-glass, INT-01)
    PolicyStuffing,      // policy stuffing [NAMES WINDOW_SECS [BASE_DELAY MAX_DELAY]] (issue 13)
    UserAllowEnrollment, // user allow-enrollment NAME (issue 13, ATK-03)
};

// The second factor given on the command line for signing in (--otp or --recovery-code).
enum class SecondFactor { None, Otp, RecoveryCode };

struct Invocation {
    Command command = Command::Help;
    QString vaultPath; // empty: Client::defaultVaultPath()
    bool json = false;
    QString asUser;
    bool passwordStdin = false;
    QString admin;  // init --admin NAME
    QString target; // user add/disable/enable NAME
    QString role;   // user add --role ROLE; empty = no role ("--role none")
    bool roleGiven = false;
    SecondFactor second = SecondFactor::None;
    int secondFd = -1;        // --otp-fd N / --recovery-code-fd N; -1 with `second` set: the stdin line
    int codeFd = -1;          // factor confirm --code-fd N
    bool codeStdin = false;   // factor confirm --code-stdin
    QString label;            // factor add-totp --label L
    QString user;             // factor list --user NAME
    qint64 factorId = 0;      // factor confirm/remove ID
    QString roleName;         // role assign/revoke USER ROLE, role create/delete NAME
    QStringList permissions;  // role create NAME --permissions a,b,c
    bool fido2 = false;       // --fido2: sign in with a security key (fail at once when none is present)
    bool securityKey = false; // --security-key: sign in without a password, with a key that verifies the user
    int pinFd = -1;           // --pin-fd N: the security key's PIN, one line from file descriptor N
    QString device;           // factor add-fido2 --device PATH (empty: the first key present)
    QString name;             // factor add-fido2 --name N
    // audit (auditcommands.cpp): list filters (--user is `user`), diagnose EVENT_ID
    QString auditLayer;   // --layer L1…L4
    QString auditOutcome; // --outcome allowed|denied|failed|info
    int auditLimit = 50;  // --limit N
    qint64 eventId = 0;
    bool all = false;      // sessions list --all
    bool ended = false;    // sessions list --ended
    bool others = false;   // sessions revoke --others
    QString sessionId;     // sessions revoke ID
    bool yes = false;      // user delete --yes: no confirmation question
    QString reason;        // factor remove ID --user NAME --reason TEXT (the owner reads it)
    QList<qint64> numbers; // policy stuffing: the values given (empty: show them)
};

// `audit list|verify|diagnose` (auditcommands.cpp): checks the words and audit options and fills
// `inv`; returns a usage problem or an empty string.
QString parseAuditCommand(const QStringList& words, Invocation& inv);

// `sessions …` (sessioncommands.cpp): sets inv.command and inv.sessionId; returns a usage
// problem or an empty string.
QString parseSessionsCommand(const QStringList& words, Invocation& inv);

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
