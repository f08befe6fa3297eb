#include "cli.h"

#include "access/permissions.h"
#include "rolecommands.h"

#include <QFileInfo>
#include <QSet>

#include <optional>

namespace gh::cli {

namespace {

enum class Takes { Nothing, Value };

struct OptionSpec {
    const char* name;
    Takes takes;
};

constexpr OptionSpec kOptions[] = {
    {"--vault", Takes::Value},        {"--json", Takes::Nothing},
    {"--as", Takes::Value},           {"--password-stdin", Takes::Nothing},
    {"--admin", Takes::Value},        {"--role", Takes::Value},
    {"--otp", Takes::Value},          {"--recovery-code", Takes::Value},
    {"--label", Takes::Value},        {"--code", Takes::Value},
    {"--otp-stdin", Takes::Nothing},  {"--recovery-code-stdin", Takes::Nothing},
    {"--otp-fd", Takes::Value},       {"--recovery-code-fd", Takes::Value},
    {"--code-stdin", Takes::Nothing}, {"--code-fd", Takes::Value},
    {"--user", Takes::Value},         {"--help", Takes::Nothing},
    {"-h", Takes::Nothing},           {"--permissions", Takes::Value},
    {"--fido2", Takes::Nothing},      {"--device", Takes::Value},
    {"--name", Takes::Value},         {"--layer", Takes::Value},
    {"--outcome", Takes::Value},      {"--limit", Takes::Value},
    {"--all", Takes::Nothing},        {"--ended", Takes::Nothing},
    {"--others", Takes::Nothing},     {"--yes", Takes::Nothing},
    {"--reason", Takes::Value},       {"--security-key", Takes::Nothing},
    {"--pin-fd", Takes::Value},
};

std::optional<OptionSpec> findOption(const QString& name) {
    for (const OptionSpec& spec : kOptions) {
        if (name == QLatin1String(spec.name))
            return spec;
    }
    return std::nullopt;
}

Parsed usageError(const QString& message) {
    Parsed parsed;
    parsed.error = message;
    return parsed;
}

QString shellQuote(const QString& word) {
    static const QString safe =
        QStringLiteral("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789@%+=:,./-_");
    bool plain = !word.isEmpty();
    for (QChar c : word) {
        if (!safe.contains(c)) {
            plain = false;
            break;
        }
    }
    if (plain)
        return word;
    QString quoted = word;
    quoted.replace(QLatin1Char('\''), QStringLiteral("'\\''"));
    return QLatin1Char('\'') + quoted + QLatin1Char('\'');
}

} // namespace

Parsed parse(const QStringList& arguments) {
    Parsed parsed;
    Invocation& inv = parsed.invocation;
    QStringList words;
    bool help = false;
    bool adminGiven = false;
    bool labelGiven = false;
    bool codeGiven = false;
    bool userGiven = false;
    bool permissionsGiven = false;
    bool keyOptionGiven = false; // --device or --name
    bool optionsEnded = false;
    QStringList auditOptions;  // name, value, … (checked by parseAuditCommand)
    QSet<QString> valuesGiven; // an option with a value once only ("--role viewer --role admin" is a slip)

    for (qsizetype i = 0; i < arguments.size(); ++i) {
        const QString& arg = arguments.at(i);
        if (optionsEnded || !arg.startsWith(QLatin1Char('-')) || arg == QLatin1String("-")) {
            words << arg;
            continue;
        }
        if (arg == QLatin1String("--")) {
            optionsEnded = true;
            continue;
        }
        QString name = arg;
        std::optional<QString> inlineValue;
        const qsizetype eq = arg.indexOf(QLatin1Char('='));
        if (arg.startsWith(QLatin1String("--")) && eq > 0) {
            name = arg.left(eq);
            inlineValue = arg.mid(eq + 1);
        }
        const std::optional<OptionSpec> spec = findOption(name);
        if (!spec && name.startsWith(QLatin1String("--pass")))
            return usageError(QStringLiteral("unknown option '%1': passwords are never taken from the command "
                                             "line; type them at the prompt or pipe them with --password-stdin")
                                  .arg(name));
        if (!spec)
            return usageError(QStringLiteral("unknown option '%1'").arg(name));
        QString value;
        if (spec->takes == Takes::Value) {
            if (inlineValue) {
                value = *inlineValue;
            } else if (i + 1 < arguments.size()) {
                value = arguments.at(++i);
            } else {
                return usageError(QStringLiteral("option '%1' needs a value").arg(name));
            }
            if (value.isEmpty())
                return usageError(QStringLiteral("option '%1' needs a non-empty value").arg(name));
        } else if (inlineValue) {
            return usageError(QStringLiteral("option '%1' takes no value").arg(name));
        }
        if (spec->takes == Takes::Value) {
            if (valuesGiven.contains(name))
                return usageError(QStringLiteral("option '%1' is given twice; give it once").arg(name));
            valuesGiven.insert(name);
        }

        if (name == QLatin1String("--vault")) {
            // Absolute here, so the path means this directory and the hints printed later name the
            // same file from anywhere (the service never sees a relative path: gh::Client).
            inv.vaultPath = QFileInfo(value).absoluteFilePath();
        } else if (name == QLatin1String("--json")) {
            inv.json = true;
        } else if (name == QLatin1String("--as")) {
            inv.asUser = value;
        } else if (name == QLatin1String("--password-stdin")) {
            inv.passwordStdin = true;
        } else if (name == QLatin1String("--admin")) {
            inv.admin = value;
            adminGiven = true;
        } else if (name == QLatin1String("--role")) {
            inv.role = value;
            inv.roleGiven = true;
        } else if (name == QLatin1String("--otp") || name == QLatin1String("--recovery-code") ||
                   name == QLatin1String("--code")) {
            // Never a code in argv (issue 17): say how to pass it instead. The value is not echoed.
            const QString base = name.mid(2);
            return usageError(
                QStringLiteral("'%1' would put the code on the command line, where every local user can read it "
                               "while the command runs; codes are never taken from there. Type it at the prompt, "
                               "put it on the line of standard input after the password with --%2-stdin, or read "
                               "it from a file descriptor with --%2-fd N")
                    .arg(name, base));
        } else if (name == QLatin1String("--otp-stdin") || name == QLatin1String("--recovery-code-stdin") ||
                   name == QLatin1String("--otp-fd") || name == QLatin1String("--recovery-code-fd")) {
            const SecondFactor kind =
                name.startsWith(QLatin1String("--otp")) ? SecondFactor::Otp : SecondFactor::RecoveryCode;
            if (inv.second != SecondFactor::None)
                return usageError(QStringLiteral("give one second factor: --otp-stdin, --otp-fd N, "
                                                 "--recovery-code-stdin or --recovery-code-fd N"));
            inv.second = kind;
            if (name.endsWith(QLatin1String("-fd"))) {
                bool okFd = false;
                inv.secondFd = value.toInt(&okFd);
                if (!okFd || inv.secondFd < 0 || inv.secondFd == 1 || inv.secondFd == 2)
                    return usageError(QStringLiteral("option '%1' needs a readable file descriptor number (0 or 3 "
                                                     "and up)")
                                          .arg(name));
            }
        } else if (name == QLatin1String("--code-stdin")) {
            inv.codeStdin = true;
            codeGiven = true;
        } else if (name == QLatin1String("--code-fd")) {
            bool okFd = false;
            inv.codeFd = value.toInt(&okFd);
            if (!okFd || inv.codeFd < 0 || inv.codeFd == 1 || inv.codeFd == 2)
                return usageError(QStringLiteral("option '--code-fd' needs a readable file descriptor number"));
            codeGiven = true;
        } else if (name == QLatin1String("--label")) {
            inv.label = value;
            labelGiven = true;
        } else if (name == QLatin1String("--permissions")) {
            inv.permissions = value.split(QLatin1Char(','), Qt::SkipEmptyParts);
            permissionsGiven = true;
        } else if (name == QLatin1String("--user")) {
            inv.user = value;
            userGiven = true;
        } else if (name == QLatin1String("--fido2")) {
            inv.fido2 = true;
        } else if (name == QLatin1String("--security-key")) {
            inv.securityKey = true;
        } else if (name == QLatin1String("--pin-fd")) {
            bool okFd = false;
            inv.pinFd = value.toInt(&okFd);
            if (!okFd || inv.pinFd < 0 || inv.pinFd == 1 || inv.pinFd == 2)
                return usageError(QStringLiteral("option '--pin-fd' needs a readable file descriptor number"));
        } else if (name == QLatin1String("--device")) {
            inv.device = value;
            keyOptionGiven = true;
        } else if (name == QLatin1String("--name")) {
            inv.name = value;
            keyOptionGiven = true;
        } else if (name == QLatin1String("--layer") || name == QLatin1String("--outcome") ||
                   name == QLatin1String("--limit")) {
            auditOptions << name << value;
        } else if (name == QLatin1String("--all")) {
            inv.all = true;
        } else if (name == QLatin1String("--ended")) {
            inv.ended = true;
        } else if (name == QLatin1String("--others")) {
            inv.others = true;
        } else if (name == QLatin1String("--yes")) {
            inv.yes = true;
        } else if (name == QLatin1String("--reason")) {
            inv.reason = value;
        } else {
            help = true; // --help, -h
        }
    }

    if (help || (!words.isEmpty() && words.first() == QLatin1String("help"))) {
        inv.command = Command::Help;
        return parsed;
    }
    if (words.isEmpty())
        return usageError(QStringLiteral("no command given"));

    const QString command = words.first();
    auto expectWords = [&](qsizetype count, const QString& form) -> QString {
        if (words.size() < count)
            return QStringLiteral("missing argument: %1").arg(form);
        if (words.size() > count)
            return QStringLiteral("unexpected argument '%1' (usage: %2)").arg(words.at(count), form);
        return {};
    };

    QString problem;
    if (command == QLatin1String("init")) {
        inv.command = Command::Init;
        problem = expectWords(1, QStringLiteral("init --admin NAME"));
        if (problem.isEmpty() && !adminGiven)
            problem = QStringLiteral("init needs --admin NAME (the first administrator's username)");
    } else if (command == QLatin1String("status")) {
        inv.command = Command::Status;
        problem = expectWords(1, QStringLiteral("status"));
    } else if (command == QLatin1String("login")) {
        inv.command = Command::Login;
        problem = expectWords(1, QStringLiteral("login"));
    } else if (command == QLatin1String("passwd")) {
        inv.command = Command::Passwd;
        problem = expectWords(1, QStringLiteral("passwd"));
    } else if (command == QLatin1String("user")) {
        const QString sub = words.size() > 1 ? words.at(1) : QString();
        if (sub == QLatin1String("add")) {
            inv.command = Command::UserAdd;
            problem = expectWords(3, QStringLiteral("user add NAME [--role ROLE]"));
        } else if (sub == QLatin1String("list")) {
            inv.command = Command::UserList;
            problem = expectWords(2, QStringLiteral("user list"));
        } else if (sub == QLatin1String("disable")) {
            inv.command = Command::UserDisable;
            problem = expectWords(3, QStringLiteral("user disable NAME"));
        } else if (sub == QLatin1String("enable")) {
            inv.command = Command::UserEnable;
            problem = expectWords(3, QStringLiteral("user enable NAME"));
        } else if (sub == QLatin1String("unlock")) {
            inv.command = Command::UserUnlock;
            problem = expectWords(3, QStringLiteral("user unlock NAME"));
        } else if (sub == QLatin1String("allow-enrollment")) {
            inv.command = Command::UserAllowEnrollment;
            problem = expectWords(3, QStringLiteral("user allow-enrollment NAME"));
        } else if (sub == QLatin1String("reset-password")) {
            inv.command = Command::UserResetPassword;
            problem = expectWords(3, QStringLiteral("user reset-password NAME"));
        } else if (sub == QLatin1String("delete")) {
            inv.command = Command::UserDelete;
            problem = expectWords(3, QStringLiteral("user delete NAME [--yes]"));
        } else if (sub.isEmpty()) {
            problem = QStringLiteral("'user' needs a subcommand: add, list, disable, enable, unlock, reset-password, "
                                     "delete or allow-enrollment");
        } else {
            problem =
                QStringLiteral("unknown user subcommand '%1' (add, list, disable, enable, unlock, reset-password, "
                               "delete, allow-enrollment)")
                    .arg(sub);
        }
        if (problem.isEmpty() && words.size() > 2)
            inv.target = words.at(2);
    } else if (command == QLatin1String("factor")) {
        const QString sub = words.size() > 1 ? words.at(1) : QString();
        bool takesId = false;
        if (sub == QLatin1String("list")) {
            inv.command = Command::FactorList;
            problem = expectWords(2, QStringLiteral("factor list [--user NAME]"));
        } else if (sub == QLatin1String("add-totp")) {
            inv.command = Command::FactorAddTotp;
            problem = expectWords(2, QStringLiteral("factor add-totp [--label LABEL]"));
        } else if (sub == QLatin1String("confirm")) {
            inv.command = Command::FactorConfirm;
            problem = expectWords(3, QStringLiteral("factor confirm ID [--code-stdin | --code-fd N]"));
            takesId = true;
        } else if (sub == QLatin1String("add-recovery")) {
            inv.command = Command::FactorAddRecovery;
            problem = expectWords(2, QStringLiteral("factor add-recovery"));
        } else if (sub == QLatin1String("remove")) {
            inv.command = Command::FactorRemove;
            problem = expectWords(3, QStringLiteral("factor remove ID [--user NAME --reason TEXT]"));
            takesId = true;
        } else if (sub == QLatin1String("add-fido2")) {
            inv.command = Command::FactorAddFido2;
            problem = expectWords(2, QStringLiteral("factor add-fido2 [--device PATH] [--name N]"));
        } else if (sub.isEmpty()) {
            problem = QStringLiteral(
                "'factor' needs a subcommand: list, add-totp, confirm, add-recovery, add-fido2 or remove");
        } else {
            problem = QStringLiteral(
                          "unknown factor subcommand '%1' (list, add-totp, confirm, add-recovery, add-fido2, remove)")
                          .arg(sub);
        }
        if (problem.isEmpty() && takesId) {
            bool numeric = false;
            inv.factorId = words.at(2).toLongLong(&numeric);
            if (!numeric || inv.factorId <= 0)
                problem = QStringLiteral("'%1' is not a factor ID (a number from 'factor list')").arg(words.at(2));
        }
    } else if (command == QLatin1String("notices")) {
        const QString sub = words.size() > 1 ? words.at(1) : QString();
        if (sub.isEmpty()) {
            inv.command = Command::NoticesList;
        } else if (sub == QLatin1String("dismiss")) {
            inv.command = Command::NoticesDismiss;
            problem = expectWords(3, QStringLiteral("notices dismiss ID"));
            if (problem.isEmpty()) {
                bool numeric = false;
                inv.factorId = words.at(2).toLongLong(&numeric);
                if (!numeric || inv.factorId <= 0)
                    problem = QStringLiteral("'%1' is not a notice ID (a number from 'notices')").arg(words.at(2));
            }
        } else {
            problem = QStringLiteral("unknown notices subcommand '%1' (dismiss)").arg(sub);
        }
    } else if (command == QLatin1String("role")) {
        problem = parseRoleWords(words, inv);
    } else if (command == QLatin1String("audit")) {
        problem = parseAuditCommand(words + QStringList{QStringLiteral("--")} + auditOptions, inv);
        auditOptions.clear();
    } else if (command == QLatin1String("sessions")) {
        problem = parseSessionsCommand(words, inv);
    } else if (command == QLatin1String("policy")) {
        const QString sub = words.size() > 1 ? words.at(1) : QString();
        if (sub != QLatin1String("stuffing")) {
            problem = sub.isEmpty() ? QStringLiteral("'policy' needs a subcommand: stuffing")
                                    : QStringLiteral("unknown policy subcommand '%1' (stuffing)").arg(sub);
        } else if (words.size() != 2 && words.size() != 4 && words.size() != 6) {
            problem = QStringLiteral("usage: policy stuffing [NAMES WINDOW_SECS [BASE_DELAY_SECS MAX_DELAY_SECS]]");
        } else {
            inv.command = Command::PolicyStuffing;
            for (qsizetype w = 2; w < words.size() && problem.isEmpty(); ++w) {
                bool numeric = false;
                const qint64 v = words.at(w).toLongLong(&numeric);
                if (!numeric || v < 0)
                    problem = QStringLiteral("'%1' is not a number of names or seconds").arg(words.at(w));
                inv.numbers << v;
            }
        }
    } else if (command == QLatin1String("vault")) {
        if (words.size() >= 2 && words.at(1) == QLatin1String("accept-restore")) {
            inv.command = Command::VaultAcceptRestore;
            problem = expectWords(2, QStringLiteral("vault accept-restore"));
        } else {
            problem = words.size() < 2
                          ? QStringLiteral("'vault' needs a subcommand: accept-restore")
                          : QStringLiteral("unknown vault subcommand '%1' (accept-restore)").arg(words.at(1));
        }
    } else {
        problem = QStringLiteral("unknown command '%1'").arg(command);
    }
    if (problem.isEmpty() && !auditOptions.isEmpty())
        problem = QStringLiteral("option '%1' belongs to 'audit list'").arg(auditOptions.first());
    if (!problem.isEmpty())
        return usageError(problem);

    if (adminGiven && inv.command != Command::Init)
        return usageError(QStringLiteral("option '--admin' belongs to 'init'"));
    if (inv.roleGiven && inv.command != Command::UserAdd)
        return usageError(QStringLiteral("option '--role' belongs to 'user add'"));
    if (inv.roleGiven) {
        if (inv.role == QLatin1String("none"))
            inv.role.clear();
        else if (!roles::isKnown(inv.role) && !roles::validName(inv.role)) // custom roles: checked in core
            return usageError(QStringLiteral("'%1' is not a role name (admin, operator, viewer, a custom role or none)")
                                  .arg(inv.role));
    }
    if (labelGiven && inv.command != Command::FactorAddTotp)
        return usageError(QStringLiteral("option '--label' belongs to 'factor add-totp'"));
    if (codeGiven && inv.command != Command::FactorConfirm && inv.command != Command::FactorAddRecovery &&
        inv.command != Command::Init)
        return usageError(QStringLiteral("options '--code-stdin' and '--code-fd' belong to 'factor confirm', "
                                         "'factor add-recovery' and 'init'; to sign in with a code use --otp-stdin, "
                                         "--otp-fd N or their --recovery-code forms"));
    if (permissionsGiven && inv.command != Command::RoleCreate)
        return usageError(QStringLiteral("option '--permissions' belongs to 'role create'"));
    if (keyOptionGiven && inv.command != Command::FactorAddFido2)
        return usageError(QStringLiteral("options '--device' and '--name' belong to 'factor add-fido2'"));
    if (inv.fido2 && inv.second != SecondFactor::None)
        return usageError(QStringLiteral("give one second factor: --fido2, an --otp-… or a --recovery-code-… option"));
    if (inv.securityKey && (inv.fido2 || inv.second != SecondFactor::None))
        return usageError(QStringLiteral("--security-key signs in with the key alone (and its PIN): it takes no "
                                         "--fido2, --otp-… or --recovery-code-… option"));
    if (inv.securityKey && (inv.command == Command::Passwd || (inv.command == Command::FactorRemove && !userGiven)))
        return usageError(QStringLiteral("'%1' needs the password; sign in with it instead of --security-key")
                              .arg(words.mid(0, inv.command == Command::Passwd ? 1 : 2).join(QLatin1Char(' '))));
    if (userGiven && inv.command != Command::FactorList && inv.command != Command::AuditList &&
        inv.command != Command::FactorRemove)
        return usageError(QStringLiteral("option '--user' belongs to 'factor list', 'factor remove' or 'audit list'"));
    if (!inv.reason.isEmpty() && !(inv.command == Command::FactorRemove && userGiven))
        return usageError(QStringLiteral("option '--reason' belongs to 'factor remove ID --user NAME'"));
    if (inv.command == Command::FactorRemove && userGiven && inv.reason.trimmed().isEmpty())
        return usageError(QStringLiteral("'factor remove ID --user NAME' needs --reason TEXT: the owner reads it at "
                                         "their next sign-in (e.g. --reason \"phone lost\")"));
    if (inv.yes && inv.command != Command::UserDelete)
        return usageError(QStringLiteral("option '--yes' belongs to 'user delete'"));
    if ((inv.all || inv.ended) && inv.command != Command::SessionsList)
        return usageError(QStringLiteral("options '--all' and '--ended' belong to 'sessions list'"));
    if (inv.others && inv.command != Command::SessionsRevoke)
        return usageError(QStringLiteral("option '--others' belongs to 'sessions revoke'"));
    const bool needsCaller = inv.command != Command::Help && inv.command != Command::Init &&
                             inv.command != Command::Status && inv.command != Command::VaultAcceptRestore;
    if (needsCaller && inv.asUser.isEmpty())
        return usageError(QStringLiteral("'%1' needs --as USER: every account command authenticates its caller")
                              .arg(words.mid(0, inv.command == Command::Login || inv.command == Command::Passwd ? 1 : 2)
                                       .join(QLatin1Char(' '))));
    if (!needsCaller && (inv.second != SecondFactor::None || inv.fido2 || inv.securityKey))
        return usageError(QStringLiteral("'%1' signs nobody in, so it takes no second factor").arg(command));
    return parsed;
}

QString commandPrefix(const Invocation& invocation) {
    QString prefix = QStringLiteral("gatehousectl");
    if (!invocation.vaultPath.isEmpty())
        prefix += QStringLiteral(" --vault ") + shellQuote(invocation.vaultPath);
    return prefix;
}

namespace {
const char kSynopsis[] = "Usage: gatehousectl [OPTIONS] COMMAND [ARGUMENTS]\n"
                         "\n"
                         "Commands:\n"
                         "  init --admin NAME            create the vault and its first administrator\n"
                         "  status                       vault path, key, counts, audit chain, health per layer\n"
                         "  user add NAME [--role ROLE]  add an account (ROLE: admin, operator, viewer or none;\n"
                         "                               default none); prints its one-time temporary password\n"
                         "                               alone on the last line\n"
                         "  user list                    list accounts\n"
                         "  user disable NAME            stop an account from signing in\n"
                         "  user enable NAME             let a disabled account sign in again\n"
                         "  user unlock NAME             clear an account's failed-attempt lock\n"
                         "  user reset-password NAME     give NAME a new one-time temporary password (printed\n"
                         "                               alone on the last line, with its expiry); their\n"
                         "                               sessions end and they are told at the next sign-in\n"
                         "  user delete NAME [--yes]     delete an account: its factors, sessions and roles go,\n"
                         "                               its audit history stays (asks first on a terminal;\n"
                         "                               elsewhere --yes is needed); never the last administrator\n"
                         "  user allow-enrollment NAME   let NAME bind a first second factor once (72 h): needed\n"
                         "                               when NAME's roles reach other people's data\n"
                         "  login                        sign in as USER and print the session summary\n"
                         "  passwd                       change the password of USER\n"
                         "  factor list [--user NAME]    the factors of USER (of NAME: administrators only)\n"
                         "  factor add-totp [--label L]  start enrolling an authenticator app: prints the key\n"
                         "                               and a QR code, and the otpauth:// URI alone on the last\n"
                         "                               line; the factor stays pending until confirmed\n"
                         "  factor confirm ID [--code-stdin | --code-fd N]\n"
                         "                               activate a pending authenticator with its current code\n"
                         "                               (prompted, or the stdin line after the password(s), or\n"
                         "                               one line read from file descriptor N)\n"
                         "  factor add-recovery [--code-stdin | --code-fd N]\n"
                         "                               print a new set of recovery codes, one per line (once),\n"
                         "                               then ask for one of them back: only then does the new\n"
                         "                               set replace the old one (an empty line or end of input\n"
                         "                               discards it and the old codes keep working); off a\n"
                         "                               terminal the code is the next line of standard input\n"
                         "  factor add-fido2 [--device PATH] [--name N]\n"
                         "                               register a FIDO2 security key (touch it when asked;\n"
                         "                               its PIN is asked only if the key needs one)\n"
                         "  factor remove ID             remove a factor; USER's password re-authenticates\n"
                         "  factor remove ID --user NAME --reason TEXT\n"
                         "                               remove another account's factor (a lost phone or key;\n"
                         "                               administrators); NAME reads the reason at next sign-in\n"
                         "  notices                      what happened to USER's account (factors added or removed,\n"
                         "                               recovery codes used, replayed codes, a possibly cloned key)\n"
                         "  notices dismiss ID           dismiss one notice\n"
                         "  policy stuffing [NAMES WINDOW_SECS [BASE_DELAY MAX_DELAY]]\n"
                         "                               the credential-stuffing detector: show its thresholds, or\n"
                         "                               set them (needs policy.manage): trip at NAMES distinct\n"
                         "                               failing names within WINDOW_SECS; pace sign-ins by\n"
                         "                               BASE_DELAY s, up to MAX_DELAY s for the attacking source\n"
                         "  role list                    roles, their permissions and holders\n"
                         "  role assign USER ROLE        give USER a role (needs roles.assign; applies at once)\n"
                         "  role revoke USER ROLE        take a role away (the last administrator keeps admin)\n"
                         "  role create NAME --permissions a,b,c\n"
                         "                               a custom role (only permissions you hold yourself)\n"
                         "  role delete NAME             delete an unassigned custom role\n"
                         "  audit list [--user U] [--layer L1|L2|L3|L4] [--outcome allowed|denied|failed|info]\n"
                         "             [--limit N]       audit events, newest first (all of them with audit.read,\n"
                         "                               else USER's own)\n"
                         "  audit verify                 check the audit chain and the anti-rollback anchor; exit 1\n"
                         "                               naming the first broken event or what the anchor found\n"
                         "  audit diagnose EVENT_ID      the layer that failed, what it means and the fix\n"
                         "  sessions list [--all] [--ended]\n"
                         "                               USER's live sessions (--all: every account's, for\n"
                         "                               administrators; --ended: recently ended ones too, with\n"
                         "                               why and by whom)\n"
                         "  sessions revoke ID | --others\n"
                         "                               end one session, or all of USER's other sessions\n"
                         "  vault accept-restore         accept a vault restored on purpose although it is older\n"
                         "                               than its anti-rollback anchor (as the service's own user\n"
                         "                               or root; audited)\n"
                         "  help                         show this text\n";
} // namespace

QString usageText(const QString& defaultVaultPath) {
    return QString::fromUtf8(kSynopsis) +
           QStringLiteral("\n"
                          "Options (before or after the command):\n"
                          "  --vault PATH                 the vault file (default: %1)\n"
                          "  --json                       print one JSON document on standard output\n"
                          "  --as USER                    the account to sign in as; needed by user, factor, login,\n"
                          "                               passwd\n"
                          "  --password-stdin             read passwords from standard input, one per line\n"
                          "  --otp-stdin | --otp-fd N     second factor: the code from your authenticator app, on\n"
                          "                               the stdin line after the password, or one line read\n"
                          "                               from file descriptor N (e.g. --otp-fd 3 3<file)\n"
                          "  --recovery-code-stdin | --recovery-code-fd N\n"
                          "                               second factor: one of your recovery codes (used up)\n"
                          "  --fido2                      second factor: a security key (must be present; without\n"
                          "                               this option a key is used when one is plugged in)\n"
                          "  --security-key               sign in without the password: a security key that verifies\n"
                          "                               you (its PIN or fingerprint); works while the password is\n"
                          "                               throttled or locked by someone else's guessing\n"
                          "  --pin-fd N                   the security key's PIN: one line from file descriptor N\n"
                          "  -h, --help                   show this text\n"
                          "  --version                    print the version and exit\n"
                          "\n"
                          "Passwords and codes are never taken from the command line or the environment (any\n"
                          "local user can read a running command's arguments). On a terminal\n"
                          "you are prompted, with the input hidden. With --password-stdin, or when standard\n"
                          "input is not a terminal, the first line of standard input is the password; for\n"
                          "passwd the first line is the current password and the second line the new one.\n"
                          "Each account command signs in, does its work and signs out; nothing is cached.\n"
                          "login leaves its session open (listed by 'sessions list', ended by 'sessions\n"
                          "revoke' or after 30 idle minutes); its secret is never kept, so nothing can use it.\n"
                          "\n"
                          "An account with an authenticator app also needs a code on every account command:\n"
                          "asked for on a terminal, else the stdin line after the password (--otp-stdin or\n"
                          "--recovery-code-stdin) or a line from a file descriptor (--otp-fd N). Each\n"
                          "authenticator code is accepted once, so the next command needs the app's next code\n"
                          "(or a recovery code). Administrators must have a second factor: with only a\n"
                          "password their session can do nothing but the factor commands and passwd.\n"
                          "An account with a security key signs in with it when the key is plugged in: touch\n"
                          "it when asked. If the key needs its PIN, it is prompted for on a terminal, or read\n"
                          "from the next line of standard input. With no key present the command says so and\n"
                          "exits with status 3 at once.\n"
                          "\n"
                          "Exit status: 0 ok, 1 error, 2 usage, 3 authentication failed, 4 not permitted,\n"
                          "5 throttled or locked out, 6 vault unavailable or wrong key.\n")
               .arg(defaultVaultPath);
}

QString shortUsage() {
    return QString::fromUtf8(kSynopsis) + QStringLiteral("\nRun 'gatehousectl --help' for the options.\n");
}

} // namespace gh::cli
