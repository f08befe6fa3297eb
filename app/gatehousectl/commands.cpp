#include "commands.h"

#include "auditcommands.h"
#include "cli.h"
#include "qrterminal.h"
#include "rolecommands.h"
#include "sessioncommands.h"
#include "table.h"
#include "terminal.h"

#include "access/permissions.h"
#include "gatehouseclient.h"
#include "verification/usernames.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cstdio>
#include <optional>

#include <unistd.h>

namespace gh::cli {

namespace {

constexpr int kExitOk = 0;
constexpr int kExitError = 1;
constexpr int kExitUsage = 2;
constexpr int kContinue = -1;      // "no failure yet" from a helper that otherwise returns an exit code
constexpr int kPromptAttempts = 3; // on a terminal, chances to type an acceptable, matching new password

void writeBytes(FILE* stream, const char* data, std::size_t size) {
    std::fwrite(data, 1, size, stream);
}

void writeLine(FILE* stream, const QString& text) {
    const QByteArray bytes = text.toUtf8();
    writeBytes(stream, bytes.constData(), static_cast<std::size_t>(bytes.size()));
    writeBytes(stream, "\n", 1);
}

// Messages for people → stderr; data → stdout.
void say(const QString& text) {
    std::fflush(stdout); // keep the order of data and messages when both go to one terminal or file
    writeLine(stderr, text);
}
void print(const QString& text) {
    writeLine(stdout, text);
}

QString errcName(Errc code) {
    switch (code) {
    case Errc::VaultNotFound:
        return QStringLiteral("vault-not-found");
    case Errc::VaultExists:
        return QStringLiteral("vault-exists");
    case Errc::VaultWrongKey:
        return QStringLiteral("vault-wrong-key");
    case Errc::VaultNotAVault:
        return QStringLiteral("vault-not-a-vault");
    case Errc::VaultCorrupt:
        return QStringLiteral("vault-corrupt");
    case Errc::VaultNewerSchema:
        return QStringLiteral("vault-newer-schema");
    case Errc::VaultRolledBack:
        return QStringLiteral("vault-rolled-back");
    case Errc::KeychainLocked:
        return QStringLiteral("keychain-locked");
    case Errc::VaultReadOnly:
        return QStringLiteral("vault-read-only");
    case Errc::VaultIo:
        return QStringLiteral("vault-io");
    case Errc::VaultBusy:
        return QStringLiteral("vault-busy");
    case Errc::KeyMissing:
        return QStringLiteral("key-missing");
    case Errc::KeychainUnavailable:
        return QStringLiteral("keychain-unavailable");
    case Errc::PassphraseRequired:
        return QStringLiteral("passphrase-required");
    case Errc::ServiceUnavailable:
        return QStringLiteral("service-unavailable");
    case Errc::AuthenticationFailed:
        return QStringLiteral("authentication-failed");
    case Errc::Throttled:
        return QStringLiteral("throttled");
    case Errc::LockedOut:
        return QStringLiteral("locked-out");
    case Errc::AccountDisabled:
        return QStringLiteral("account-disabled");
    case Errc::PasswordRejected:
        return QStringLiteral("password-rejected");
    case Errc::PasswordChangeRequired:
        return QStringLiteral("password-change-required");
    case Errc::SecondFactorRequired:
        return QStringLiteral("second-factor-required");
    case Errc::CodeWrong:
        return QStringLiteral("code-wrong");
    case Errc::CodeExpired:
        return QStringLiteral("code-expired");
    case Errc::CodeReplayed:
        return QStringLiteral("code-replayed");
    case Errc::LoginExpired:
        return QStringLiteral("login-expired");
    case Errc::SessionInvalid:
        return QStringLiteral("session-invalid");
    case Errc::NotPermitted:
        return QStringLiteral("not-permitted");
    case Errc::InvalidUsername:
        return QStringLiteral("invalid-username");
    case Errc::UserExists:
        return QStringLiteral("user-exists");
    case Errc::UserNotFound:
        return QStringLiteral("user-not-found");
    case Errc::FactorNotFound:
        return QStringLiteral("factor-not-found");
    case Errc::AlreadyInitialised:
        return QStringLiteral("already-initialised");
    case Errc::InvalidArgument:
        return QStringLiteral("invalid-argument");
    case Errc::SelfTestFailed:
        return QStringLiteral("self-test-failed");
    case Errc::Internal:
        return QStringLiteral("internal");
    case Errc::StepUpRequired:
        return QStringLiteral("step-up-required");
    case Errc::KeyNotFound:
        return QStringLiteral("key-not-found");
    case Errc::KeyNotRegistered:
        return QStringLiteral("key-not-registered");
    case Errc::KeyAlreadyRegistered:
        return QStringLiteral("key-already-registered");
    case Errc::KeyPinRequired:
        return QStringLiteral("key-pin-required");
    case Errc::KeyPinWrong:
        return QStringLiteral("key-pin-wrong");
    case Errc::KeyPinBlocked:
        return QStringLiteral("key-pin-blocked");
    case Errc::KeyTimeout:
        return QStringLiteral("key-timeout");
    case Errc::KeyDenied:
        return QStringLiteral("key-denied");
    case Errc::KeyCancelled:
        return QStringLiteral("key-cancelled");
    case Errc::KeyRemoved:
        return QStringLiteral("key-removed");
    case Errc::KeyRejected:
        return QStringLiteral("key-rejected");
    case Errc::KeyCloneSuspected:
        return QStringLiteral("key-clone-suspected");
    case Errc::SessionLimitReached:
        return QStringLiteral("session-limit-reached");
    case Errc::ServiceBusy:
        return QStringLiteral("service-busy");
    case Errc::LastAdministrator:
        return QStringLiteral("last-administrator");
    }
    return QStringLiteral("error");
}

// Errors about the vault file itself (not the keychain as a whole, not the accounts inside).
bool namesTheVault(Errc code) {
    switch (code) {
    case Errc::VaultNotFound:
    case Errc::VaultExists:
    case Errc::VaultWrongKey:
    case Errc::VaultNotAVault:
    case Errc::VaultCorrupt:
    case Errc::VaultNewerSchema:
    case Errc::VaultRolledBack:
    case Errc::VaultReadOnly:
    case Errc::VaultIo:
    case Errc::VaultBusy:
    case Errc::KeyMissing:
    case Errc::PassphraseRequired:
        return true;
    default:
        return false;
    }
}

QString keySourceName(KeySource source) {
    return source == KeySource::Passphrase ? QStringLiteral("passphrase") : QStringLiteral("keychain");
}

// People read local time; JSON carries ISO 8601 UTC.
QString localTime(const QDateTime& time) {
    return time.isValid() ? time.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss t"))
                          : QStringLiteral("never");
}
QString localDate(const QDateTime& time) {
    return time.isValid() ? time.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm")) : QStringLiteral("never");
}
QJsonValue isoTime(const QDateTime& time) {
    return time.isValid() ? QJsonValue(time.toUTC().toString(Qt::ISODate)) : QJsonValue(QJsonValue::Null);
}

QString yesNo(bool value) {
    return value ? QStringLiteral("yes") : QStringLiteral("no");
}

QString roleText(const QString& role) {
    return role.isEmpty() ? QStringLiteral("none") : role;
}

QString dashIfEmpty(const QString& text) {
    return text.isEmpty() ? QStringLiteral("-") : text;
}

// "password + totp"; JSON gets the names as an array.
QString factorsText(const QList<FactorKind>& kinds) {
    QStringList names;
    for (FactorKind kind : kinds)
        names << factorKindName(kind);
    return names.isEmpty() ? QStringLiteral("none") : names.join(QStringLiteral(" + "));
}
QJsonArray factorsJson(const QList<FactorKind>& kinds) {
    QJsonArray names;
    for (FactorKind kind : kinds)
        names.append(factorKindName(kind));
    return names;
}
QString categoriesText(const QList<FactorCategory>& categories) {
    QStringList names;
    for (FactorCategory category : categories)
        names << factorCategoryName(category);
    return names.isEmpty() ? QStringLiteral("none") : names.join(QStringLiteral(", "));
}
QString categoriesOf(const QList<FactorKind>& kinds) {
    QList<FactorCategory> categories;
    for (FactorKind kind : kinds) {
        if (!categories.contains(categoryOf(kind)))
            categories << categoryOf(kind);
    }
    return categoriesText(categories);
}

QString restrictionName(Restriction restriction) {
    switch (restriction) {
    case Restriction::None:
        break;
    case Restriction::ChangePassword:
        return QStringLiteral("change-password");
    case Restriction::EnrollSecondFactor:
        return QStringLiteral("enroll-second-factor");
    }
    return {};
}

QString totpSettings(const TotpParams& params) {
    return QStringLiteral("TOTP, %1, %2 digits, %3 seconds")
        .arg(totpAlgorithmName(params.algorithm))
        .arg(params.digits)
        .arg(params.period);
}

void printTable(const QList<QStringList>& rows) {
    for (const QString& line : tableLines(rows))
        print(line);
}

bool sameSecret(const SecureBuffer& a, const SecureBuffer& b) {
    return constantTimeEqual(a, b);
}

// A session that ends when it goes out of scope: the CLI keeps nothing after the command.
class SignedIn {
public:
    SignedIn(Client& gatehouse, Session session) : m_gatehouse(gatehouse), m_session(std::move(session)) {}
    ~SignedIn() {
        if (!m_keepOpen)
            (void)m_gatehouse.logout(m_session);
    }
    // `login` only: the session stays open in the vault (listable, revocable) until it idles out
    // or is revoked; its secret still dies with this process (SES-02), so nobody can use it.
    void keepOpen() { m_keepOpen = true; }
    SignedIn(const SignedIn&) = delete;
    SignedIn& operator=(const SignedIn&) = delete;
    Session& session() { return m_session; }
    const SessionInfo& info() const { return m_session.info; }

private:
    Client& m_gatehouse;
    Session m_session;
    bool m_keepOpen = false;
};

// A usage error: the message, the short usage on stderr, and with --json the error document on
// stdout as for any other error (a script that asked for JSON got nothing to parse). Exit 2.
int failUsage(const QString& message, bool json) {
    say(QStringLiteral("gatehousectl: ") + message);
    say(QString());
    writeLine(stderr, shortUsage().trimmed());
    if (json) {
        const QJsonObject error{{QStringLiteral("code"), QStringLiteral("usage")},
                                {QStringLiteral("message"), message},
                                {QStringLiteral("exitCode"), kExitUsage}};
        const QByteArray bytes = QJsonDocument(QJsonObject{{QStringLiteral("error"), error}}).toJson();
        writeBytes(stdout, bytes.constData(), static_cast<std::size_t>(bytes.size()));
    }
    return kExitUsage;
}

class Cli {
public:
    explicit Cli(Invocation invocation)
        : m_inv(std::move(invocation)), m_path(m_inv.vaultPath),
          m_interactive(!m_inv.passwordStdin && stdinIsTerminal()) {}

    int run() {
        switch (m_inv.command) {
        case Command::Help:
            print(usageText(Client::defaultVaultPath()).trimmed());
            return kExitOk;
        case Command::Init:
            return init();
        case Command::Status:
            return status();
        case Command::VaultAcceptRestore:
            return acceptRestore();
        case Command::UserAdd:
            return userAdd();
        case Command::UserList:
            return userList();
        case Command::UserDisable:
            return userSetEnabled(false);
        case Command::UserEnable:
            return userSetEnabled(true);
        case Command::UserUnlock:
            return userUnlock();
        case Command::UserResetPassword:
            return userResetPassword();
        case Command::UserDelete:
            return userDelete();
        case Command::Login:
            return login();
        case Command::Passwd:
            return passwd();
        case Command::FactorList:
            return factorList();
        case Command::FactorAddTotp:
            return factorAddTotp();
        case Command::FactorConfirm:
            return factorConfirm();
        case Command::FactorAddRecovery:
            return factorAddRecovery();
        case Command::FactorRemove:
            return factorRemove();
        case Command::RoleList:
        case Command::RoleAssign:
        case Command::RoleRevoke:
        case Command::RoleCreate:
        case Command::RoleDelete:
            return roleCommand();
        case Command::FactorAddFido2:
            return factorAddFido2();
        case Command::AuditList:
        case Command::AuditVerify:
        case Command::AuditDiagnose:
            return audit();
        case Command::SessionsList:
        case Command::SessionsRevoke:
            return sessions();
        case Command::NoticesList:
            return noticesList();
        case Command::NoticesDismiss:
            return noticesDismiss();
        case Command::PolicyStuffing:
            return policyStuffing();
        case Command::UserAllowEnrollment:
            return userAllowEnrollment();
        }
        return kExitUsage;
    }

private:
    // ---- output -------------------------------------------------------------------------------

    void emitJson(const QJsonObject& document) {
        QByteArray bytes = QJsonDocument(document).toJson(QJsonDocument::Indented);
        writeBytes(stdout, bytes.constData(), static_cast<std::size_t>(bytes.size()));
        wipe(bytes); // may hold a temporary password
    }

    QString hintFor(const Error& error) const {
        const QString prefix = commandPrefix(m_inv);
        switch (error.code) {
        case Errc::VaultNotFound:
            return QStringLiteral("Create one with: %1 init --admin NAME").arg(prefix);
        case Errc::PassphraseRequired:
            return m_interactive ? QString()
                                 : QStringLiteral("gatehousectl asks for the vault passphrase on a terminal only.");
        case Errc::PasswordChangeRequired:
            return QStringLiteral("Replace the temporary password first: %1 --as %2 --password-stdin passwd")
                .arg(prefix, m_inv.asUser);
        case Errc::NotPermitted:
            // Refused while enrolling (no enrollment grant): the message itself says what to do.
            if (m_restriction == Restriction::EnrollSecondFactor && m_inv.command != Command::FactorAddTotp &&
                m_inv.command != Command::FactorConfirm && m_inv.command != Command::FactorAddFido2 &&
                m_inv.command != Command::FactorAddRecovery)
                return QStringLiteral("Administrators need a second factor. Enroll one first: %1 --as %2 factor "
                                      "add-totp")
                    .arg(prefix, m_inv.asUser);
            return {};
        case Errc::SecondFactorRequired:
            return QStringLiteral("Give it on the stdin line after the password with --otp-stdin or "
                                  "--recovery-code-stdin, from a file descriptor with --otp-fd N or --recovery-code-fd "
                                  "N, at the prompt on a terminal, or plug in your security key.");
        case Errc::KeyNotFound:
            return m_inv.fido2 || m_inv.securityKey || m_inv.command == Command::FactorAddFido2
                       ? QString()
                       : QStringLiteral("Plug in your security key, or sign in with --otp-stdin or "
                                        "--recovery-code-stdin if the account has codes.");
        case Errc::FactorNotFound:
            return QStringLiteral("See the factors with: %1 --as %2 factor list").arg(prefix, m_inv.asUser);
        case Errc::ServiceUnavailable:
            return error.detail; // why: e.g. the system service is installed but not running
        default:
            return {};
        }
    }

    // Every failure of the facade goes through here: one message (describe()), one exit code
    // (exitCodeOf()), optionally a hint for what to do next.
    int fail(const Error& error, QString hint = {}) {
        const QString message = describe(error); // for Throttled it names the time to wait
        if (hint.isEmpty())
            hint = hintFor(error);
        // Storage failures name the file, since describe() speaks of "this vault".
        if (namesTheVault(error.code))
            hint = QStringLiteral("Vault: %1").arg(path()) + (hint.isEmpty() ? QString() : QLatin1Char('\n') + hint);
        // "Needs a second factor" is one line that names the options (a script's log stays readable).
        const bool oneLine = error.code == Errc::SecondFactorRequired || error.code == Errc::KeyNotFound;
        return report(exitCodeOf(error.code), errcName(error.code), layerName(layerOf(error.code)), message, hint,
                      error.retryAfterSeconds, oneLine);
    }

    // Failures found by the CLI itself (input it could not read).
    int failInput(const QString& message) {
        return report(kExitError, QStringLiteral("input"), QString(), message, QString(), 0, false);
    }

    int report(int exitCode, const QString& code, const QString& layer, const QString& message, const QString& hint,
               qint64 retryAfter, bool oneLine) {
        if (oneLine && !hint.isEmpty()) {
            say(QStringLiteral("gatehousectl: ") + message + QLatin1Char(' ') + hint);
        } else {
            say(QStringLiteral("gatehousectl: ") + message);
            if (!hint.isEmpty())
                say(hint);
        }
        if (m_inv.json) {
            QJsonObject error{{QStringLiteral("code"), code},
                              {QStringLiteral("message"), message},
                              {QStringLiteral("exitCode"), exitCode}};
            if (!layer.isEmpty())
                error.insert(QStringLiteral("layer"), layer);
            if (!hint.isEmpty())
                error.insert(QStringLiteral("hint"), hint);
            if (retryAfter > 0)
                error.insert(QStringLiteral("retryAfterSeconds"), retryAfter);
            emitJson({{QStringLiteral("error"), error}});
        }
        return exitCode;
    }

    // ---- secrets ------------------------------------------------------------------------------

    // The next secret: prompted on a terminal, else the next line of standard input.
    std::optional<SecureBuffer> readSecret(const QString& prompt) {
        return checkedText(m_interactive ? promptSecret(prompt) : readSecretLine());
    }
    // Secrets and codes that are not valid UTF-8 are refused (issue 17), never decoded to U+FFFD.
    std::optional<SecureBuffer> checkedText(std::optional<SecureBuffer> s) {
        m_notText = s && !isValidUtf8(s->chars(), s->size());
        if (m_notText)
            return std::nullopt;
        return s;
    }

    int missingInput(int line, const QString& what) {
        if (m_notText)
            return report(kExitUsage, QStringLiteral("input"), QString(),
                          QStringLiteral("the %1 is not valid text (UTF-8); refused, nothing was done.").arg(what),
                          QString(), 0, false);
        if (lastLineTooLong())
            return report(kExitUsage, QStringLiteral("input"), QString(),
                          QStringLiteral("the %1 is longer than %2 bytes; refused whole (nothing was cut).")
                              .arg(what)
                              .arg(kMaxSecretLine),
                          QString(), 0, false);
        if (m_interactive)
            return failInput(QStringLiteral("no %1 entered.").arg(what));
        return failInput(QStringLiteral("expected the %1 on line %2 of standard input.").arg(what).arg(line));
    }

    PasswordVerdict verdictFor(const SecureBuffer& password, const QString& username) const {
        QString text = QString::fromUtf8(password.chars(), static_cast<qsizetype>(password.size()));
        const PasswordVerdict verdict = m_gatehouse.checkPassword(text, username);
        wipe(text);
        return verdict;
    }

    // A new password (or vault passphrase) that the policy accepts. On a terminal it is typed twice
    // and the person gets a few tries; from standard input it is the line `line`.
    int readNewSecret(const QString& what, const QString& username, int line, SecureBuffer& out) {
        const QString capitalised = what.left(1).toUpper() + what.mid(1);
        for (int attempt = 1;; ++attempt) {
            std::optional<SecureBuffer> first = readSecret(capitalised + QStringLiteral(": "));
            if (!first)
                return missingInput(line, what);
            const PasswordVerdict verdict = verdictFor(*first, username);
            if (!verdict.acceptable()) {
                if (m_interactive && attempt < kPromptAttempts) {
                    say(PasswordPolicy::explain(verdict));
                    continue;
                }
                return fail(Error{Errc::PasswordRejected, {}, 0}, PasswordPolicy::explain(verdict));
            }
            if (m_interactive) {
                std::optional<SecureBuffer> second = readSecret(QStringLiteral("Repeat the %1: ").arg(what));
                if (!second)
                    return missingInput(line, what);
                if (!sameSecret(*first, *second)) {
                    if (attempt < kPromptAttempts) {
                        say(QStringLiteral("The two entries differ; try again."));
                        continue;
                    }
                    return failInput(QStringLiteral("the two entries differ."));
                }
            }
            out = std::move(*first);
            return kContinue;
        }
    }

    // ---- vault and session --------------------------------------------------------------------

    Status openVault() {
        if (m_gatehouse.vaultExists(path()) && m_gatehouse.keySourceOf(path()) == KeySource::Passphrase) {
            if (!m_interactive)
                return Error{Errc::PassphraseRequired, {}, 0};
            std::optional<SecureBuffer> passphrase = promptSecret(QStringLiteral("Vault passphrase: "));
            if (!passphrase)
                return Error{Errc::PassphraseRequired, {}, 0};
            return m_gatehouse.openVault(path(), &*passphrase);
        }
        return m_gatehouse.openVault(path());
    }

    QString client() const { return QStringLiteral("gatehousectl pid %1").arg(QCoreApplication::applicationPid()); }

    // The second factor for a login that needs one: --otp / --recovery-code, else (on a terminal
    // only) a prompt. Without either the pending login is dropped: SecondFactorRequired (exit 3).
    Result<Session> completeSecondFactor(const LoginStep& step, std::optional<SecureBuffer>& givenCode) {
        SecondFactor given = m_inv.second;
        std::optional<SecureBuffer> code;
        if (given != SecondFactor::None) {
            code = std::move(givenCode);
        } else if (m_interactive) {
            const bool totp = step.offered.contains(FactorKind::Totp);
            const bool recovery = step.offered.contains(FactorKind::RecoveryCode);
            const QString what = totp && recovery
                                     ? QStringLiteral("Code from your authenticator app (or a recovery code)")
                                 : totp ? QStringLiteral("Code from your authenticator app")
                                        : QStringLiteral("Recovery code");
            code = promptSecret(what + QStringLiteral(": "));
            if (code && !code->isEmpty()) {
                // Authenticator codes are digits only; recovery codes always contain letters.
                bool digitsOnly = true;
                for (std::size_t i = 0; i < code->size(); ++i) {
                    const char c = code->chars()[i];
                    if (c != ' ' && (c < '0' || c > '9'))
                        digitsOnly = false;
                }
                given = totp && (digitsOnly || !recovery) ? SecondFactor::Otp : SecondFactor::RecoveryCode;
            }
        }
        if (given == SecondFactor::None) {
            m_gatehouse.cancelLogin(step.pendingId);
            return Error{Errc::SecondFactorRequired, {}, 0};
        }
        return m_gatehouse.completeLogin(
            step.pendingId, given == SecondFactor::Otp ? FactorKind::Totp : FactorKind::RecoveryCode, *code);
    }

    // Opens the vault, reads the caller's password (line 1) and signs in as --as, with a second
    // factor when the account needs one.
    int signIn(std::optional<SignedIn>& out, SecureBuffer* passwordOut = nullptr,
               const QString& prompt = QStringLiteral("Password for %1: ")) {
        if (Status opened = openVault(); !opened)
            return fail(opened.error());
        if (m_inv.securityKey)
            return signInWithKey(out);
        std::optional<SecureBuffer> password = readSecret(prompt.arg(m_inv.asUser));
        if (!password)
            return missingInput(1, QStringLiteral("password"));
        // The code of --otp-stdin/--otp-fd (never argv), read now so that the stdin lines keep
        // their places whether or not the account asks for it.
        std::optional<SecureBuffer> givenCode;
        if (m_inv.second != SecondFactor::None) {
            const QString what =
                m_inv.second == SecondFactor::Otp ? QStringLiteral("one-time code") : QStringLiteral("recovery code");
            givenCode = m_inv.secondFd >= 0 ? checkedText(readSecretLineFrom(m_inv.secondFd))
                                            : readSecret(QStringLiteral("%1: ").arg(what));
            if (!givenCode)
                return m_inv.secondFd >= 0 && !lastLineTooLong() && !m_notText
                           ? failInput(
                                 QStringLiteral("expected the %1 on file descriptor %2.").arg(what).arg(m_inv.secondFd))
                           : missingInput(2, what);
        }
        Result<LoginStep> step = m_gatehouse.beginLogin(m_inv.asUser, *password, client());
        if (!step)
            return fail(step.error());
        Session session;
        if (m_inv.fido2 && (step->complete || !step->offered.contains(FactorKind::SecurityKey))) {
            if (!step->complete)
                m_gatehouse.cancelLogin(step->pendingId);
            return fail(Error{Errc::InvalidArgument,
                              QStringLiteral("%1 has no security key; --fido2 cannot be used.").arg(m_inv.asUser), 0});
        }
        if (step->complete) {
            if (m_inv.second != SecondFactor::None)
                say(QStringLiteral("Note: %1 has no active second factor, so the %2 was not used.")
                        .arg(step->session.info.username, m_inv.second == SecondFactor::Otp
                                                              ? QStringLiteral("one-time code")
                                                              : QStringLiteral("recovery code")));
            session = std::move(step->session);
        } else {
            Result<Session> completed =
                useKeyFor(*step) ? completeWithKey(*step) : completeSecondFactor(*step, givenCode);
            if (!completed)
                return fail(completed.error());
            session = std::move(completed).value();
        }
        if (passwordOut)
            *passwordOut = std::move(*password);
        m_restriction = session.info.restriction;
        out.emplace(m_gatehouse, std::move(session));
        return kContinue;
    }

    // ---- commands -----------------------------------------------------------------------------

    int init() {
        const std::optional<QString> admin = normaliseUsername(m_inv.admin);
        if (!admin)
            return fail(Error{Errc::InvalidUsername, {}, 0});

        // A vault whose first administrator was never created (an earlier init stopped half way)
        // is finished here instead of being refused.
        bool resuming = false;
        if (m_gatehouse.vaultExists(path())) {
            if (Status opened = openVault(); !opened)
                return fail(opened.error());
            if (!m_gatehouse.needsFirstAdmin())
                return fail(Error{Errc::AlreadyInitialised, {}, 0},
                            QStringLiteral("Sign in with: %1 --as NAME login").arg(commandPrefix(m_inv)));
            resuming = true;
            say(QStringLiteral("The vault at %1 exists but has no administrator yet; creating it now.")
                    .arg(m_gatehouse.vaultPath()));
        }

        // Ask for everything before anything is written.
        std::optional<SecureBuffer> passphrase;
        if (!resuming && !m_gatehouse.keychainAvailable()) {
            if (!m_interactive)
                return fail(Error{Errc::KeychainUnavailable, {}, 0},
                            QStringLiteral("init keeps the new vault's key in the Secret Service. Start a "
                                           "keyring (for example gnome-keyring) in this session and run init "
                                           "again, or run init on a terminal (or use the Gatehouse app) to "
                                           "protect the vault with a passphrase instead."));
            say(QStringLiteral("No keychain (Secret Service) answered, so the vault key will be derived from a "
                               "passphrase.\nYou will need it every time the vault is opened; it cannot be "
                               "recovered if lost."));
            passphrase.emplace();
            if (int rc = readNewSecret(QStringLiteral("vault passphrase"), QString(), 1, *passphrase); rc != kContinue)
                return rc;
        }
        SecureBuffer password;
        if (int rc = readNewSecret(QStringLiteral("password for %1").arg(*admin), *admin, 1, password); rc != kContinue)
            return rc;

        if (!resuming) {
            if (Status created = m_gatehouse.createVault(path(), passphrase ? &*passphrase : nullptr); !created)
                return fail(created.error());
        }

        if (Status made = m_gatehouse.createFirstAdmin(*admin, password); !made)
            return fail(made.error(), QStringLiteral("The vault exists; run the same init command again to create "
                                                     "the administrator."));

        const QString path = m_gatehouse.vaultPath();
        // Set-up ends with the administrator's second factor, in the same command when a code can
        // be read (a terminal, --code-stdin, --code-fd): the set-up's enrollment grant binds it
        // (issue 13, ATK-03). Otherwise the administrator's first sign-in can only enroll one.
        const bool enrollNow = m_interactive || m_inv.codeStdin || m_inv.codeFd >= 0;
        bool enrolled = false;
        if (enrollNow) {
            if (int rc = enrollFirstAdmin(*admin, password, enrolled); rc != kExitOk)
                return rc;
        }
        if (m_inv.json) {
            emitJson({{QStringLiteral("vault"), path},
                      {QStringLiteral("keySource"), keySourceName(m_gatehouse.keySource())},
                      {QStringLiteral("keyLocation"), m_gatehouse.keyLocation()},
                      {QStringLiteral("admin"), *admin},
                      {QStringLiteral("setupComplete"), enrolled}});
        } else {
            printTable({{QStringLiteral("Vault:"), path},
                        {QStringLiteral("Key:"), m_gatehouse.keyLocation()},
                        {QStringLiteral("Administrator:"), *admin}});
            if (enrolled)
                say(QStringLiteral("Set-up complete. Sign in with: %1 --as %2 login (password and authenticator code)")
                        .arg(commandPrefix(m_inv), *admin));
            else
                say(QStringLiteral("Set-up is not complete until %2 enrolls a second factor: %1 --as %2 factor "
                                   "add-totp, then factor confirm ID (or run init on a terminal, or with "
                                   "--code-stdin, to do it here).")
                        .arg(commandPrefix(m_inv), *admin));
        }
        return kExitOk;
    }

    // init's second half: the first administrator's authenticator app, bound with set-up's grant.
    // The key and URI go to stdout (the URI alone on its line), the confirming code is read like
    // factor confirm's. A wrong code leaves the factor pending (exit 3), the administrator created.
    int enrollFirstAdmin(const QString& admin, const SecureBuffer& password, bool& enrolled) {
        Result<Session> session = m_gatehouse.login(admin, password, QStringLiteral("gatehousectl init"));
        if (!session)
            return fail(session.error());
        Result<TotpEnrollment> begun = m_gatehouse.beginTotpEnrollment(*session, QStringLiteral("Authenticator app"));
        if (!begun) {
            (void)m_gatehouse.logout(*session);
            return fail(begun.error());
        }
        const TotpEnrollment& e = *begun;
        if (!m_inv.json) {
            if (isatty(STDERR_FILENO) == 1) {
                say(QStringLiteral("Set-up ends with %1's second factor. Scan this QR code with your authenticator "
                                   "app, or type in the key below:")
                        .arg(admin));
                std::fflush(stderr);
                const SecureBuffer qr = renderQrForTerminal(e.uri);
                writeBytes(stderr, qr.chars(), qr.size());
            } else {
                say(QStringLiteral("Set-up ends with %1's second factor: add the key below to an authenticator app, "
                                   "or open the URI on the next line.")
                        .arg(admin));
            }
            std::fflush(stderr);
        }
        static const char kKeyLabel[] = "Key:       ";
        writeBytes(stdout, kKeyLabel, sizeof kKeyLabel - 1);
        writeBytes(stdout, e.secretBase32.chars(), e.secretBase32.size());
        writeBytes(stdout, "\n", 1);
        writeBytes(stdout, e.uri.chars(), e.uri.size());
        writeBytes(stdout, "\n", 1);
        std::fflush(stdout);
        std::optional<SecureBuffer> typed = m_inv.codeFd >= 0
                                                ? checkedText(readSecretLineFrom(m_inv.codeFd))
                                                : readSecret(QStringLiteral("Code your authenticator app shows now: "));
        if (!typed) {
            (void)m_gatehouse.logout(*session);
            return missingInput(2, QStringLiteral("authenticator code"));
        }
        QString codeText = QString::fromUtf8(typed->chars(), static_cast<qsizetype>(typed->size()));
        const Status confirmed = m_gatehouse.confirmTotp(*session, e.factorId, codeText);
        wipe(codeText);
        (void)m_gatehouse.logout(*session);
        if (!confirmed)
            return fail(confirmed.error(),
                        QStringLiteral("The administrator exists; finish set-up with: %1 --as %2 factor confirm %3")
                            .arg(commandPrefix(m_inv), admin)
                            .arg(e.factorId));
        enrolled = true;
        return kExitOk;
    }

    // Break-glass (INT-01): the vault is behind its anti-rollback anchor because a backup was
    // restored on purpose. The service lets only its own user or root do this and audits it.
    int acceptRestore() {
        Status accepted = ok();
        if (m_gatehouse.vaultExists(path()) && m_gatehouse.keySourceOf(path()) == KeySource::Passphrase) {
            if (!m_interactive)
                return fail(Error{Errc::PassphraseRequired, {}, 0});
            std::optional<SecureBuffer> passphrase = promptSecret(QStringLiteral("Vault passphrase: "));
            if (!passphrase)
                return fail(Error{Errc::PassphraseRequired, {}, 0});
            accepted = m_gatehouse.acceptRestore(path(), &*passphrase);
        } else {
            accepted = m_gatehouse.acceptRestore(path());
        }
        if (!accepted)
            return fail(accepted.error());
        if (m_inv.json)
            emitJson({{QStringLiteral("vault"), m_gatehouse.vaultPath()}, {QStringLiteral("accepted"), true}});
        say(QStringLiteral("The vault at %1 is accepted as it is now: its anti-rollback anchor records it, copies "
                           "older than it stay refused, and the audit log holds the acceptance "
                           "(vault.restore_accepted). Sign-in state (used codes, lockouts) is that of the backup.")
                .arg(m_gatehouse.vaultPath()));
        return kExitOk;
    }

    int status() {
        if (Status opened = openVault(); !opened)
            return fail(opened.error());
        Result<VaultStatus> result = m_gatehouse.status();
        if (!result)
            return fail(result.error());
        const VaultStatus& s = *result;
        const bool needsAdmin = m_gatehouse.needsFirstAdmin();
        const Result<LayerHealth> health = m_gatehouse.layerHealth();
        if (!health)
            return fail(health.error());
        // System mode shows the counts to signed-in users only (-1: hidden; gatehoused iface_status.cpp).
        const bool counts = s.users >= 0;
        const auto count = [counts](qint64 n) { return counts ? QJsonValue(n) : QJsonValue(QJsonValue::Null); };
        if (m_inv.json) {
            emitJson({{QStringLiteral("vault"), s.path},
                      {QStringLiteral("keySource"), keySourceName(s.keySource)},
                      {QStringLiteral("keyLocation"), s.keyLocation},
                      {QStringLiteral("schemaVersion"), s.schemaVersion},
                      {QStringLiteral("ownerOnlyPermissions"), s.ownerOnlyPermissions},
                      {QStringLiteral("needsFirstAdmin"), needsAdmin},
                      {QStringLiteral("users"), count(s.users)},
                      {QStringLiteral("admins"), count(s.admins)},
                      {QStringLiteral("disabledUsers"), count(s.disabledUsers)},
                      {QStringLiteral("lockedUsers"), count(s.lockedUsers)},
                      {QStringLiteral("activeSessions"), count(s.activeSessions)},
                      {QStringLiteral("auditEvents"), count(s.auditEvents)},
                      {QStringLiteral("auditChainIntact"),
                       counts ? QJsonValue(s.auditChainIntact) : QJsonValue(QJsonValue::Null)},
                      {QStringLiteral("health"), layerHealthJson(health.value())}});
            return kExitOk;
        }
        QList<QStringList> rows{
            {QStringLiteral("Vault:"), s.path},
            {QStringLiteral("Key:"), s.keyLocation},
            {QStringLiteral("Schema:"), QStringLiteral("version %1").arg(s.schemaVersion)},
            {QStringLiteral("File access:"), s.ownerOnlyPermissions
                                                 ? QStringLiteral("owner only")
                                                 : QStringLiteral("WARNING: readable by other users (chmod 600)")},
        };
        if (!counts)
            rows << QStringList{
                QStringLiteral("Counts:"),
                QStringLiteral("shown to signed-in users (%1 --as NAME login, then status)").arg(commandPrefix(m_inv))};
        else
            rows << QList<QStringList>{
                {QStringLiteral("Users:"), QStringLiteral("%1 (%2 admin, %3 disabled, %4 locked)")
                                               .arg(s.users)
                                               .arg(s.admins)
                                               .arg(s.disabledUsers)
                                               .arg(s.lockedUsers)},
                {QStringLiteral("Sessions:"), QStringLiteral("%1 active").arg(s.activeSessions)},
                {QStringLiteral("Audit log:"),
                 QStringLiteral("%1 events, chain %2")
                     .arg(s.auditEvents)
                     .arg(s.auditChainIntact ? QStringLiteral("intact")
                                             : QStringLiteral("BROKEN (events were altered)"))},
            };
        printTable(rows);
        print(QString());
        print(QStringLiteral("Health by layer:"));
        printTable(layerHealthRows(health.value()));
        if (needsAdmin)
            say(QStringLiteral("No administrator yet: %1 init --admin NAME").arg(commandPrefix(m_inv)));
        return kExitOk;
    }

    int sessions() {
        std::optional<SignedIn> signedIn;
        if (int rc = signIn(signedIn); rc != kContinue)
            return rc;
        const SessionsOutcome outcome = runSessions(m_gatehouse, signedIn->session(), m_inv);
        return outcome.error ? fail(*outcome.error) : outcome.exitCode;
    }

    int login() {
        std::optional<SignedIn> signedIn;
        if (int rc = signIn(signedIn); rc != kContinue)
            return rc;
        signedIn->keepOpen();
        const SessionInfo& info = signedIn->info();
        const bool restricted = info.restriction != Restriction::None;
        if (m_inv.json) {
            emitJson({{QStringLiteral("username"), info.username},
                      {QStringLiteral("role"), info.role},
                      {QStringLiteral("sessionId"), info.id},
                      {QStringLiteral("client"), info.client},
                      {QStringLiteral("created"), isoTime(info.created)},
                      {QStringLiteral("expires"), isoTime(info.expires)},
                      {QStringLiteral("factors"), factorsJson(info.factors)},
                      {QStringLiteral("aal"), aalName(info.aal)},
                      {QStringLiteral("restricted"), restricted},
                      {QStringLiteral("restriction"),
                       restricted ? QJsonValue(restrictionName(info.restriction)) : QJsonValue(QJsonValue::Null)},
                      {QStringLiteral("restrictionReason"), info.restrictionReason},
                      {QStringLiteral("notice"), info.noticeForUser}});
        } else {
            printTable({
                {QStringLiteral("User:"), info.username},
                {QStringLiteral("Role:"), roleText(info.role)},
                {QStringLiteral("Session:"), info.id},
                {QStringLiteral("Client:"), info.client},
                {QStringLiteral("Created:"), localTime(info.created)},
                {QStringLiteral("Expires:"), localTime(info.expires)},
                {QStringLiteral("Factors:"),
                 QStringLiteral("%1 (%2)").arg(factorsText(info.factors), categoriesOf(info.factors))},
                {QStringLiteral("Assurance:"), aalName(info.aal)},
                {QStringLiteral("Restricted:"),
                 restricted ? QStringLiteral("yes: %1").arg(info.restrictionReason) : QStringLiteral("no")},
            });
        }
        if (!m_inv.json && !restricted)
            say(QStringLiteral("Signed in. This session stays open until it idles out or is revoked (gatehousectl "
                               "sessions list / sessions revoke); other commands sign in for themselves with --as."));
        if (!info.noticeForUser.isEmpty())
            say(info.noticeForUser);
        switch (info.restriction) {
        case Restriction::None:
            break;
        case Restriction::ChangePassword:
            say(QStringLiteral("This session may only change the password. Set a new one with:\n  %1 --as %2 "
                               "--password-stdin passwd   (line 1: current password, line 2: new password)")
                    .arg(commandPrefix(m_inv), info.username));
            break;
        case Restriction::EnrollSecondFactor:
            say(QStringLiteral("Enroll an authenticator app with:\n  %1 --as %2 factor add-totp")
                    .arg(commandPrefix(m_inv), info.username));
            break;
        }
        return kExitOk;
    }

    int passwd() {
        // Sign in with the current password first: a wrong one fails as authentication (exit 3)
        // before a new password is asked for.
        std::optional<SignedIn> signedIn;
        SecureBuffer current;
        if (int rc = signIn(signedIn, &current, QStringLiteral("Current password for %1: ")); rc != kContinue)
            return rc;
        const QString username = signedIn->info().username;
        SecureBuffer next;
        if (int rc = readNewSecret(QStringLiteral("new password for %1").arg(username), username, 2, next);
            rc != kContinue)
            return rc;
        if (Status changed = m_gatehouse.changePassword(signedIn->session(), current, next); !changed) {
            if (changed.code() == Errc::PasswordRejected)
                return fail(changed.error(), PasswordPolicy::explain(verdictFor(next, username)));
            return fail(changed.error());
        }
        if (m_inv.json)
            emitJson({{QStringLiteral("username"), username}, {QStringLiteral("passwordChanged"), true}});
        say(QStringLiteral("Password changed for %1.").arg(username));
        return kExitOk;
    }

    int userAdd() {
        const QString role = m_inv.role; // validated by the parser; empty = no role
        std::optional<SignedIn> signedIn;
        if (int rc = signIn(signedIn); rc != kContinue)
            return rc;
        Result<SecureBuffer> temporary = m_gatehouse.addUser(signedIn->session(), m_inv.target, role);
        if (!temporary)
            return fail(temporary.error());
        const std::optional<QString> username = normaliseUsername(m_inv.target);
        const QString name = username.value_or(m_inv.target);
        const qint64 hours = Client::kTempPasswordLifetimeSecs / 3600;
        if (m_inv.json) {
            QString text = QString::fromUtf8(temporary->chars(), static_cast<qsizetype>(temporary->size()));
            emitJson({{QStringLiteral("username"), name},
                      {QStringLiteral("role"), role},
                      {QStringLiteral("temporaryPassword"), text},
                      {QStringLiteral("temporaryPasswordLifetimeSeconds"), Client::kTempPasswordLifetimeSecs}});
            wipe(text);
            return kExitOk;
        }
        say(QStringLiteral("Added %1 (role %2). Their one-time temporary password follows; it expires in %3 hours\n"
                           "and must be replaced at the first login. Hand it over privately.")
                .arg(name, roleText(role))
                .arg(hours));
        std::fflush(stderr);
        // Alone on the last line of stdout, straight from secure memory.
        writeBytes(stdout, temporary->chars(), temporary->size());
        writeBytes(stdout, "\n", 1);
        return kExitOk;
    }

    int userList() {
        std::optional<SignedIn> signedIn;
        if (int rc = signIn(signedIn); rc != kContinue)
            return rc;
        Result<QList<UserInfo>> users = m_gatehouse.listUsers(signedIn->session());
        if (!users)
            return fail(users.error());
        if (m_inv.json) {
            QJsonArray array;
            for (const UserInfo& u : *users) {
                array.append(QJsonObject{{QStringLiteral("username"), u.username},
                                         {QStringLiteral("role"), u.role},
                                         {QStringLiteral("roles"), QJsonArray::fromStringList(u.roles)},
                                         {QStringLiteral("enabled"), u.enabled},
                                         {QStringLiteral("mustChangePassword"), u.mustChangePassword},
                                         {QStringLiteral("locked"), u.locked},
                                         {QStringLiteral("throttledSecs"), u.throttledSecs},
                                         {QStringLiteral("created"), isoTime(u.created)},
                                         {QStringLiteral("lastLogin"), isoTime(u.lastLogin)}});
            }
            emitJson({{QStringLiteral("users"), array}});
            return kExitOk;
        }
        QList<QStringList> rows{{QStringLiteral("USERNAME"), QStringLiteral("ROLE"), QStringLiteral("ENABLED"),
                                 QStringLiteral("MUST-CHANGE"), QStringLiteral("LOCKED"), QStringLiteral("CREATED"),
                                 QStringLiteral("LAST LOGIN")}};
        for (const UserInfo& u : *users) {
            rows << QStringList{u.username,
                                u.roles.size() > 1 ? u.roles.join(u",") : roleText(u.role),
                                yesNo(u.enabled),
                                yesNo(u.mustChangePassword),
                                u.throttledSecs > 0 ? QStringLiteral("wait %1 s").arg(u.throttledSecs)
                                                    : yesNo(u.locked),
                                localDate(u.created),
                                localDate(u.lastLogin)};
        }
        printTable(rows);
        return kExitOk;
    }

    int userSetEnabled(bool enabled) {
        std::optional<SignedIn> signedIn;
        if (int rc = signIn(signedIn); rc != kContinue)
            return rc;
        if (Status changed = m_gatehouse.setUserEnabled(signedIn->session(), m_inv.target, enabled); !changed)
            return fail(changed.error());
        const QString name = normaliseUsername(m_inv.target).value_or(m_inv.target);
        if (m_inv.json)
            emitJson({{QStringLiteral("username"), name}, {QStringLiteral("enabled"), enabled}});
        say(enabled ? QStringLiteral("Enabled %1: they can sign in again.").arg(name)
                    : QStringLiteral("Disabled %1: they can no longer sign in.").arg(name));
        return kExitOk;
    }

    int userUnlock() {
        std::optional<SignedIn> signedIn;
        if (int rc = signIn(signedIn); rc != kContinue)
            return rc;
        if (Status unlocked = m_gatehouse.unlockUser(signedIn->session(), m_inv.target); !unlocked)
            return fail(unlocked.error());
        const QString name = normaliseUsername(m_inv.target).value_or(m_inv.target);
        if (m_inv.json)
            emitJson({{QStringLiteral("username"), name}, {QStringLiteral("unlocked"), true}});
        say(QStringLiteral("Unlocked %1: failed attempts are cleared.").arg(name));
        return kExitOk;
    }

    int userAllowEnrollment() {
        std::optional<SignedIn> signedIn;
        if (int rc = signIn(signedIn); rc != kContinue)
            return rc;
        if (Status granted = m_gatehouse.allowEnrollment(signedIn->session(), m_inv.target); !granted)
            return fail(granted.error());
        const QString name = normaliseUsername(m_inv.target).value_or(m_inv.target);
        if (m_inv.json)
            emitJson({{QStringLiteral("username"), name}, {QStringLiteral("enrollmentGranted"), true}});
        say(QStringLiteral("%1 may add a first second factor once within 72 hours.").arg(name));
        return kExitOk;
    }

    // Issue 12: a forgotten password. The temporary password is printed once, alone on the last
    // line of stdout (like user add's), with its expiry on stderr.
    int userResetPassword() {
        std::optional<SignedIn> signedIn;
        if (int rc = signIn(signedIn); rc != kContinue)
            return rc;
        Result<SecureBuffer> temporary = m_gatehouse.resetPassword(signedIn->session(), m_inv.target);
        if (!temporary)
            return fail(temporary.error());
        const QString name = normaliseUsername(m_inv.target).value_or(m_inv.target);
        const QDateTime expires = QDateTime::currentDateTimeUtc().addSecs(Client::kTempPasswordLifetimeSecs);
        if (m_inv.json) {
            QString text = QString::fromUtf8(temporary->chars(), static_cast<qsizetype>(temporary->size()));
            emitJson({{QStringLiteral("username"), name},
                      {QStringLiteral("temporaryPassword"), text},
                      {QStringLiteral("expires"), isoTime(expires)},
                      {QStringLiteral("temporaryPasswordLifetimeSeconds"), Client::kTempPasswordLifetimeSecs}});
            wipe(text);
            return kExitOk;
        }
        say(QStringLiteral("Reset the password of %1: their sessions have ended. Their one-time temporary password "
                           "follows; it expires at %2 (in %3 hours) and must be replaced at the next sign-in. Hand "
                           "it over privately.")
                .arg(name, localTime(expires))
                .arg(Client::kTempPasswordLifetimeSecs / 3600));
        std::fflush(stderr);
        writeBytes(stdout, temporary->chars(), temporary->size());
        writeBytes(stdout, "\n", 1);
        return kExitOk;
    }

    // Issue 12: deleting an account asks first on a terminal (the name typed back); elsewhere it
    // needs --yes, so a script says so explicitly.
    int userDelete() {
        if (!m_inv.yes && !m_interactive)
            return failUsage(QStringLiteral("user delete asks for confirmation on a terminal; to delete without "
                                            "asking (scripts), add --yes"),
                             m_inv.json);
        std::optional<SignedIn> signedIn;
        if (int rc = signIn(signedIn); rc != kContinue)
            return rc;
        const QString name = normaliseUsername(m_inv.target).value_or(m_inv.target);
        if (!m_inv.yes) {
            say(QStringLiteral("This deletes the account %1: its factors, sessions, roles and notices go at once and "
                               "cannot be restored; its audit history stays, under its name.")
                    .arg(name));
            const std::optional<QString> answer = promptLine(QStringLiteral("Type %1 to delete it: ").arg(name));
            if (!answer || answer->trimmed() != name) {
                say(QStringLiteral("Not deleted: %1 is unchanged.").arg(name));
                return kExitError;
            }
        }
        if (Status deleted = m_gatehouse.deleteUser(signedIn->session(), m_inv.target); !deleted)
            return fail(deleted.error());
        if (m_inv.json)
            emitJson({{QStringLiteral("username"), name}, {QStringLiteral("deleted"), true}});
        if (name == signedIn->info().username) // one's own account: nobody can sign in as it any more
            say(QStringLiteral("Deleted %1, your own account; you are signed out. Its audit history stays: an "
                               "administrator can read it with %2 --as ADMIN audit list --user %1")
                    .arg(name, commandPrefix(m_inv)));
        else
            say(QStringLiteral("Deleted %1. Its audit history stays: %2 --as %3 audit list --user %1")
                    .arg(name, commandPrefix(m_inv), signedIn->info().username));
        return kExitOk;
    }

    // ---- factors ------------------------------------------------------------------------------

    static QString factorDescription(const FactorInfo& factor) {
        return factor.label.isEmpty() ? QStringLiteral("factor %1 (%2)").arg(factor.id).arg(factorKindName(factor.kind))
                                      : QStringLiteral("factor %1 (%2, '%3')")
                                            .arg(factor.id)
                                            .arg(factorKindName(factor.kind), factor.label);
    }

    std::optional<FactorInfo> findFactor(const Session& session, qint64 id) {
        Result<QList<FactorInfo>> factors = m_gatehouse.listFactors(session);
        if (factors) {
            for (const FactorInfo& factor : *factors) {
                if (factor.id == id)
                    return factor;
            }
        }
        return std::nullopt;
    }

    // The account's notices (issue 16): listed together, each dismissed on its own.
    // policy stuffing: shows the detector's thresholds, or sets them (issue 13).
    int policyStuffing() {
        std::optional<SignedIn> signedIn;
        if (int rc = signIn(signedIn); rc != kContinue)
            return rc;
        Result<StuffingPolicy> current = m_gatehouse.stuffingPolicy(signedIn->session());
        if (!current)
            return fail(current.error());
        StuffingPolicy p = *current;
        if (!m_inv.numbers.isEmpty()) {
            p.names = static_cast<int>(std::min<qint64>(m_inv.numbers.value(0), StuffingPolicy::kMaxNames + 1));
            p.windowSecs = m_inv.numbers.value(1);
            if (m_inv.numbers.size() >= 4) {
                p.baseDelaySecs = m_inv.numbers.value(2);
                p.maxDelaySecs = m_inv.numbers.value(3);
            }
            if (Status s = m_gatehouse.setStuffingPolicy(signedIn->session(), p); !s)
                return fail(s.error());
        }
        if (m_inv.json) {
            emitJson(QJsonObject{{QStringLiteral("names"), p.names},
                                 {QStringLiteral("windowSecs"), p.windowSecs},
                                 {QStringLiteral("baseDelaySecs"), p.baseDelaySecs},
                                 {QStringLiteral("maxDelaySecs"), p.maxDelaySecs}});
            return kExitOk;
        }
        print(QStringLiteral("credential stuffing: trips at %1 distinct failing names within %2 s; sign-ins paced by "
                             "%3 s, up to %4 s for the attacking source")
                  .arg(p.names)
                  .arg(p.windowSecs)
                  .arg(p.baseDelaySecs)
                  .arg(p.maxDelaySecs));
        return kExitOk;
    }

    int noticesList() {
        std::optional<SignedIn> signedIn;
        if (int rc = signIn(signedIn); rc != kContinue)
            return rc;
        Result<QList<AccountNotice>> notices = m_gatehouse.notices(signedIn->session());
        if (!notices)
            return fail(notices.error());
        if (m_inv.json) {
            QJsonArray array;
            for (const AccountNotice& n : *notices)
                array.append(QJsonObject{{QStringLiteral("id"), n.id},
                                         {QStringLiteral("created"), isoTime(n.created)},
                                         {QStringLiteral("alert"), n.alert},
                                         {QStringLiteral("text"), n.text}});
            emitJson(QJsonObject{{QStringLiteral("notices"), array}});
            return kExitOk;
        }
        if (notices->isEmpty())
            say(QStringLiteral("No notices."));
        for (const AccountNotice& n : *notices)
            print(QStringLiteral("%1  %2  %3%4")
                      .arg(n.id)
                      .arg(n.created.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm")),
                           n.alert ? QStringLiteral("ALERT: ") : QString(), n.text));
        return kExitOk;
    }

    int noticesDismiss() {
        std::optional<SignedIn> signedIn;
        if (int rc = signIn(signedIn); rc != kContinue)
            return rc;
        if (Status s = m_gatehouse.dismissNotice(signedIn->session(), m_inv.factorId); !s)
            return fail(s.error());
        say(QStringLiteral("Notice %1 dismissed.").arg(m_inv.factorId));
        return kExitOk;
    }

    int factorList() {
        std::optional<SignedIn> signedIn;
        if (int rc = signIn(signedIn); rc != kContinue)
            return rc;
        Result<QList<FactorInfo>> factors = m_gatehouse.listFactors(signedIn->session(), m_inv.user);
        if (!factors)
            return fail(factors.error());
        const QString owner =
            m_inv.user.isEmpty() ? signedIn->info().username : normaliseUsername(m_inv.user).value_or(m_inv.user);
        const bool own = owner == signedIn->info().username;
        std::optional<AccountAssurance> reach;
        if (own) {
            if (Result<AccountAssurance> a = m_gatehouse.assurance(signedIn->session()))
                reach = *a;
        }
        if (m_inv.json) {
            QJsonArray array;
            for (const FactorInfo& f : *factors) {
                QJsonObject o{
                    {QStringLiteral("id"), f.id},
                    {QStringLiteral("kind"), factorKindName(f.kind)},
                    {QStringLiteral("label"), f.label},
                    {QStringLiteral("category"), factorCategoryName(f.category)},
                    {QStringLiteral("state"), f.pending ? QStringLiteral("pending") : QStringLiteral("active")},
                    {QStringLiteral("created"), isoTime(f.created)},
                    {QStringLiteral("lastUsed"), isoTime(f.lastUsed)},
                    {QStringLiteral("expires"), f.pending ? isoTime(f.expires) : QJsonValue(QJsonValue::Null)},
                    {QStringLiteral("codesLeft"),
                     f.kind == FactorKind::RecoveryCode ? QJsonValue(f.codesLeft) : QJsonValue(QJsonValue::Null)}};
                if (f.kind == FactorKind::SecurityKey) {
                    o.insert(QStringLiteral("algorithm"), f.keyAlgorithm);
                    o.insert(QStringLiteral("attestation"), f.keyAttestation);
                    o.insert(QStringLiteral("userVerification"), f.keyUserVerifying);
                }
                if (f.kind == FactorKind::Totp) {
                    o.insert(QStringLiteral("algorithm"), totpAlgorithmName(f.totp.algorithm));
                    o.insert(QStringLiteral("digits"), f.totp.digits);
                    o.insert(QStringLiteral("period"), f.totp.period);
                }
                array.append(o);
            }
            QJsonObject document{{QStringLiteral("username"), owner}, {QStringLiteral("factors"), array}};
            if (reach) {
                QJsonArray categories;
                for (FactorCategory c : reach->categories)
                    categories.append(factorCategoryName(c));
                document.insert(QStringLiteral("categories"), categories);
                document.insert(QStringLiteral("reachableAal"), aalName(reach->reachable));
                document.insert(QStringLiteral("mfaRequired"), reach->mfaRequired);
            }
            emitJson(document);
            return kExitOk;
        }
        QList<QStringList> rows{{QStringLiteral("ID"), QStringLiteral("KIND"), QStringLiteral("LABEL"),
                                 QStringLiteral("CATEGORY"), QStringLiteral("STATE"), QStringLiteral("ADDED"),
                                 QStringLiteral("LAST USED"), QStringLiteral("CODES LEFT")}};
        for (const FactorInfo& f : *factors) {
            rows << QStringList{QString::number(f.id),
                                factorKindName(f.kind),
                                dashIfEmpty(f.label),
                                factorCategoryName(f.category),
                                f.pending ? QStringLiteral("pending") : QStringLiteral("active"),
                                localDate(f.created),
                                localDate(f.lastUsed),
                                f.kind == FactorKind::RecoveryCode ? QString::number(f.codesLeft)
                                                                   : QStringLiteral("-")};
        }
        printTable(rows);
        if (reach) {
            say(QStringLiteral("Categories held: %1. A login can reach %2.")
                    .arg(categoriesText(reach->categories), aalName(reach->reachable)));
            if (reach->categories.size() > 1 && reach->reachable < Aal::Aal2)
                say(QStringLiteral("Recovery codes are a backup: they count as a second factor only next to an "
                                   "authenticator app."));
            if (reach->mfaRequired && reach->reachable < Aal::Aal2)
                say(QStringLiteral("Your role requires a second factor. Enroll one with: %1 --as %2 factor add-totp")
                        .arg(commandPrefix(m_inv), owner));
        }
        return kExitOk;
    }

    int factorAddTotp() {
        std::optional<SignedIn> signedIn;
        if (int rc = signIn(signedIn); rc != kContinue)
            return rc;
        Result<TotpEnrollment> begun = m_gatehouse.beginTotpEnrollment(signedIn->session(), m_inv.label);
        if (!begun)
            return fail(begun.error());
        const TotpEnrollment& e = *begun;
        const QString confirm = QStringLiteral("%1 --as %2 factor confirm %3")
                                    .arg(commandPrefix(m_inv), signedIn->info().username)
                                    .arg(e.factorId);
        if (m_inv.json) {
            QString uri = QString::fromUtf8(e.uri.chars(), static_cast<qsizetype>(e.uri.size()));
            QString secret = QString::fromUtf8(e.secretBase32.chars(), static_cast<qsizetype>(e.secretBase32.size()));
            emitJson({{QStringLiteral("factorId"), e.factorId},
                      {QStringLiteral("state"), QStringLiteral("pending")},
                      {QStringLiteral("issuer"), e.issuer},
                      {QStringLiteral("account"), e.account},
                      {QStringLiteral("algorithm"), totpAlgorithmName(e.params.algorithm)},
                      {QStringLiteral("digits"), e.params.digits},
                      {QStringLiteral("period"), e.params.period},
                      {QStringLiteral("expires"), isoTime(e.expires)},
                      {QStringLiteral("secret"), secret},
                      {QStringLiteral("uri"), uri}});
            wipe(uri);
            wipe(secret);
            return kExitOk;
        }
        // The QR code only where a person looks at it; a script reads the URI from the last line.
        if (isatty(STDERR_FILENO) == 1) {
            say(QStringLiteral("Scan this QR code with your authenticator app, or type in the key below:"));
            std::fflush(stderr);
            const SecureBuffer qr = renderQrForTerminal(e.uri);
            writeBytes(stderr, qr.chars(), qr.size());
        } else {
            say(QStringLiteral("Add the key below to your authenticator app, or open the URI on the last line."));
        }
        std::fflush(stderr);
        printTable({{QStringLiteral("Factor:"), QString::number(e.factorId)},
                    {QStringLiteral("Account:"), QStringLiteral("%1 (%2)").arg(e.account, e.issuer)},
                    {QStringLiteral("Settings:"), totpSettings(e.params)}});
        // The key in groups of four and the URI, straight from secure memory.
        static const char kKeyLabel[] = "Key:       ";
        writeBytes(stdout, kKeyLabel, sizeof kKeyLabel - 1);
        for (std::size_t i = 0; i < e.secretBase32.size(); i += 4) {
            if (i > 0)
                writeBytes(stdout, " ", 1);
            writeBytes(stdout, e.secretBase32.chars() + i, std::min<std::size_t>(4, e.secretBase32.size() - i));
        }
        writeBytes(stdout, "\n", 1);
        writeBytes(stdout, e.uri.chars(), e.uri.size());
        writeBytes(stdout, "\n", 1);
        say(QStringLiteral("The factor stays pending until confirmed with a code from the app (before %1):\n  %2")
                .arg(localTime(e.expires), confirm));
        return kExitOk;
    }

    int factorConfirm() {
        if (!m_interactive && !m_inv.codeStdin && m_inv.codeFd < 0)
            return failUsage(QStringLiteral("factor confirm needs the code your authenticator app shows now: at the "
                                            "prompt on a terminal, on the stdin line after the password with "
                                            "--code-stdin, or from a file descriptor with --code-fd N"),
                             m_inv.json);
        std::optional<SignedIn> signedIn;
        if (int rc = signIn(signedIn); rc != kContinue)
            return rc;
        std::optional<SecureBuffer> typed = m_inv.codeFd >= 0
                                                ? checkedText(readSecretLineFrom(m_inv.codeFd))
                                                : readSecret(QStringLiteral("Code your authenticator app shows now: "));
        if (!typed)
            return missingInput(m_inv.second == SecondFactor::None || m_inv.secondFd >= 0 ? 2 : 3,
                                QStringLiteral("authenticator code"));
        QString codeText = QString::fromUtf8(typed->chars(), static_cast<qsizetype>(typed->size()));
        const Status confirmed = m_gatehouse.confirmTotp(signedIn->session(), m_inv.factorId, codeText);
        wipe(codeText);
        if (!confirmed) {
            const Errc code = confirmed.code();
            const bool stillPending =
                code == Errc::CodeWrong || code == Errc::CodeExpired || code == Errc::CodeReplayed;
            QString hint = hintFor(confirmed.error());
            if (stillPending)
                hint += (hint.isEmpty() ? QString() : QStringLiteral("\n")) +
                        QStringLiteral("Factor %1 is still pending; try again with the code the app shows now.")
                            .arg(m_inv.factorId);
            return fail(confirmed.error(), hint);
        }
        const QString username = signedIn->info().username;
        bool hasRecovery = false;
        if (Result<QList<FactorInfo>> factors = m_gatehouse.listFactors(signedIn->session())) {
            for (const FactorInfo& f : *factors)
                hasRecovery = hasRecovery || (f.kind == FactorKind::RecoveryCode && !f.pending);
        }
        if (m_inv.json)
            emitJson(
                {{QStringLiteral("factorId"), m_inv.factorId}, {QStringLiteral("state"), QStringLiteral("active")}});
        say(QStringLiteral("Factor %1 is active. Sign in with its code from now on (prompted, or --otp-stdin); each "
                           "code is accepted once, so "
                           "the next command needs the app's next code.")
                .arg(m_inv.factorId));
        if (!hasRecovery)
            say(QStringLiteral("Keep recovery codes for when the device is lost: %1 --as %2 factor add-recovery")
                    .arg(commandPrefix(m_inv), username));
        return kExitOk;
    }

    // Issue 12: two steps. The new codes are printed, then one of them is read back (a hidden
    // prompt on a terminal, else the next line of standard input, or file descriptor N); only then
    // do they replace the old set. An empty line or end of input discards them: the old codes keep
    // working. The code read back never travels on the command line.
    int factorAddRecovery() {
        std::optional<SignedIn> signedIn;
        if (int rc = signIn(signedIn); rc != kContinue)
            return rc;
        Result<PendingRecoveryCodes> pending = m_gatehouse.beginRecoveryCodes(signedIn->session());
        if (!pending)
            return fail(pending.error());
        const QString username = signedIn->info().username;
        if (m_inv.json) {
            QJsonArray array;
            for (const SecureBuffer& code : pending->codes)
                array.append(QString::fromUtf8(code.chars(), static_cast<qsizetype>(code.size())));
            emitJson({{QStringLiteral("username"), username},
                      {QStringLiteral("recoveryCodes"), array},
                      {QStringLiteral("state"), QStringLiteral("pending")},
                      {QStringLiteral("expires"), isoTime(pending->expires)}});
        } else {
            say(QStringLiteral("%1 new recovery codes for %2 follow, one per line. Each works once, in place of a "
                               "code from the app (--recovery-code-stdin). Store them offline; they are not shown "
                               "again. Your current codes keep working until you type one of the new ones back.")
                    .arg(pending->codes.size())
                    .arg(username));
            std::fflush(stderr);
            for (const SecureBuffer& code : pending->codes) {
                writeBytes(stdout, code.chars(), code.size());
                writeBytes(stdout, "\n", 1);
            }
        }
        std::fflush(stdout); // the codes are out before the question (a script answers from them)
        const int tries = m_interactive && m_inv.codeFd < 0 ? 3 : 1;
        for (int attempt = 1; attempt <= tries; ++attempt) {
            std::optional<SecureBuffer> typed =
                m_inv.codeFd >= 0
                    ? checkedText(readSecretLineFrom(m_inv.codeFd))
                    : readSecret(QStringLiteral("Type one of the new codes to confirm (empty to cancel): "));
            if (!typed || typed->size() == 0) {
                (void)m_gatehouse.cancelRecoveryCodes(signedIn->session(), pending->setId);
                if (m_notText || lastLineTooLong())
                    return missingInput(2, QStringLiteral("recovery code"));
                say(QStringLiteral("Cancelled: the new codes were discarded; your current recovery codes still work."));
                return kExitError;
            }
            const Status confirmed = m_gatehouse.confirmRecoveryCodes(signedIn->session(), pending->setId, *typed);
            if (confirmed) {
                say(QStringLiteral("The new recovery codes are active; the earlier ones no longer work."));
                return kExitOk;
            }
            if (confirmed.code() != Errc::CodeWrong || attempt == tries) {
                (void)m_gatehouse.cancelRecoveryCodes(signedIn->session(), pending->setId);
                return fail(confirmed.error(),
                            QStringLiteral("The new codes were discarded; your current recovery codes still work. "
                                           "Run factor add-recovery again for a new set."));
            }
            say(describe(confirmed.error()));
        }
        return kExitError; // not reached
    }

    int factorRemove() {
        if (!m_inv.user.isEmpty())
            return factorRemoveOf();
        // The password typed to sign in is the re-authentication removeFactor() asks for.
        std::optional<SignedIn> signedIn;
        SecureBuffer password;
        if (int rc = signIn(signedIn, &password); rc != kContinue)
            return rc;
        const std::optional<FactorInfo> factor = findFactor(signedIn->session(), m_inv.factorId);
        if (Status removed = m_gatehouse.removeFactor(signedIn->session(), m_inv.factorId, password); !removed)
            return fail(removed.error());
        if (m_inv.json)
            emitJson({{QStringLiteral("factorId"), m_inv.factorId}, {QStringLiteral("removed"), true}});
        say(QStringLiteral("Removed %1.")
                .arg(factor ? factorDescription(*factor) : QStringLiteral("factor %1").arg(m_inv.factorId)));
        return kExitOk;
    }

    // Another account's factor (issue 12): a lost phone or key; the owner reads the reason.
    int factorRemoveOf() {
        std::optional<SignedIn> signedIn;
        if (int rc = signIn(signedIn); rc != kContinue)
            return rc;
        const QString name = normaliseUsername(m_inv.user).value_or(m_inv.user);
        std::optional<FactorInfo> factor;
        if (Result<QList<FactorInfo>> factors = m_gatehouse.listFactors(signedIn->session(), m_inv.user))
            for (const FactorInfo& f : *factors)
                if (f.id == m_inv.factorId)
                    factor = f;
        if (Status removed =
                m_gatehouse.removeUserFactor(signedIn->session(), m_inv.user, m_inv.factorId, m_inv.reason);
            !removed)
            return fail(removed.error());
        if (m_inv.json)
            emitJson({{QStringLiteral("username"), name},
                      {QStringLiteral("factorId"), m_inv.factorId},
                      {QStringLiteral("removed"), true}});
        say(QStringLiteral("Removed %1 of %2; their sessions that used it have ended, and they will read your reason "
                           "at their next sign-in.")
                .arg(factor ? factorDescription(*factor) : QStringLiteral("factor %1").arg(m_inv.factorId), name));
        return kExitOk;
    }

    // role list|assign|revoke|create|delete (rolecommands.cpp). Each command signs in afresh, so
    // the session is fresh for the step-up rule.
    int roleCommand() {
        std::optional<SignedIn> signedIn;
        if (int rc = signIn(signedIn); rc != kContinue)
            return rc;
        const RoleOutput result = runRoleCommand(m_gatehouse, signedIn->session(), m_inv);
        if (result.error)
            return fail(*result.error);
        if (m_inv.json)
            emitJson(result.json);
        else if (!result.text.isEmpty())
            writeLine(stdout, result.text.trimmed());
        if (!result.message.isEmpty())
            say(result.message);
        return kExitOk;
    }

    // ---- security keys ------------------------------------------------------------------------

    // A key is used when asked for (--fido2), when one is plugged in and no code was given, or when
    // it is the account's only second factor (then "no key" is the plain answer, exit 3).
    bool useKeyFor(const LoginStep& step) {
        if (!step.offered.contains(FactorKind::SecurityKey) || m_inv.second != SecondFactor::None)
            return false;
        if (m_inv.fido2 || !m_gatehouse.securityKeys().isEmpty())
            return true;
        return !step.offered.contains(FactorKind::Totp) && !step.offered.contains(FactorKind::RecoveryCode);
    }

    // Runs a key operation; when the key asks for its PIN, reads it (terminal prompt, else the next
    // line of standard input) and tries again. The PIN lives only in secure memory, for this call.
    template <class Op> auto withKeyPin(Op op) -> decltype(op(nullptr)) {
        // No prompt when no key is plugged in: the one-line "no key" answer follows at once.
        if (!m_gatehouse.securityKeys().isEmpty()) {
            say(QStringLiteral("Touch your security key when it blinks..."));
            std::fflush(stderr);
        }
        auto result = op(nullptr);
        for (int attempt = 1; !result && (result.code() == Errc::KeyPinRequired || result.code() == Errc::KeyPinWrong);
             ++attempt) {
            if (result.code() == Errc::KeyPinWrong && (!m_interactive || attempt > kPromptAttempts))
                break;
            if (result.code() == Errc::KeyPinWrong)
                say(describe(result.error()));
            std::optional<SecureBuffer> pin = m_inv.pinFd >= 0
                                                  ? checkedText(readSecretLineFrom(m_inv.pinFd))
                                                  : readSecret(QStringLiteral("PIN of the security key: "));
            if (!pin || pin->isEmpty())
                break;
            say(QStringLiteral("Touch your security key when it blinks..."));
            std::fflush(stderr);
            result = op(&*pin);
        }
        return result;
    }

    // --security-key: no password; the key verifies its user (PIN or fingerprint) and the session is
    // AAL3. The password's throttle does not apply (ATK-04): this is the owner's way in while
    // someone else's guessing keeps the password path shut.
    int signInWithKey(std::optional<SignedIn>& out) {
        if (m_gatehouse.securityKeys().isEmpty())
            return fail(Error{Errc::KeyNotFound, {}, 0});
        Result<QString> pending = m_gatehouse.beginKeyLogin(m_inv.asUser, client());
        if (!pending)
            return fail(pending.error());
        LoginStep step;
        step.pendingId = *pending;
        Result<Session> session = completeWithKey(step);
        if (!session)
            return fail(session.error());
        m_restriction = session->info.restriction;
        out.emplace(m_gatehouse, std::move(session).value());
        return kContinue;
    }

    Result<Session> completeWithKey(const LoginStep& step) {
        auto result = withKeyPin(
            [&](const SecureBuffer* pin) { return m_gatehouse.completeLoginWithKey(step.pendingId, QString(), pin); });
        if (!result)
            m_gatehouse.cancelLogin(step.pendingId);
        return result;
    }

    int factorAddFido2() {
        std::optional<SignedIn> signedIn;
        if (int rc = signIn(signedIn); rc != kContinue)
            return rc;
        Result<QString> rpId = m_gatehouse.relyingPartyId();
        if (!rpId)
            return fail(rpId.error());
        if (m_inv.device.isEmpty() && m_gatehouse.securityKeys().isEmpty())
            return fail(Error{Errc::KeyNotFound, {}, 0});
        Result<FactorInfo> added = withKeyPin([&](const SecureBuffer* pin) {
            return m_gatehouse.enrollSecurityKey(signedIn->session(), m_inv.device, m_inv.name, pin);
        });
        if (!added)
            return fail(added.error());
        const FactorInfo& f = *added;
        if (m_inv.json) {
            emitJson({{QStringLiteral("factorId"), f.id},
                      {QStringLiteral("kind"), factorKindName(f.kind)},
                      {QStringLiteral("label"), f.label},
                      {QStringLiteral("algorithm"), f.keyAlgorithm},
                      {QStringLiteral("attestation"), f.keyAttestation},
                      {QStringLiteral("userVerification"), f.keyUserVerifying},
                      {QStringLiteral("aaguid"), f.keyAaguid},
                      {QStringLiteral("relyingParty"), *rpId}});
            return kExitOk;
        }
        printTable({{QStringLiteral("Factor:"), QString::number(f.id)},
                    {QStringLiteral("Name:"), f.label},
                    {QStringLiteral("Algorithm:"), f.keyAlgorithm},
                    {QStringLiteral("Attestation:"), f.keyAttestation},
                    {QStringLiteral("PIN/biometric:"), yesNo(f.keyUserVerifying)},
                    {QStringLiteral("Relying party:"), *rpId}});
        say(QStringLiteral("Security key registered. Sign in with it plugged in (or with --fido2); register a second "
                           "key as a spare."));
        return kExitOk;
    }

    // audit list | verify | diagnose (auditcommands.cpp), as the signed-in caller.
    int audit() {
        std::optional<SignedIn> signedIn;
        if (int rc = signIn(signedIn); rc != kContinue)
            return rc;
        const AuditOutput out{[](const QString& t) { print(t); }, [](const QString& t) { say(t); },
                              [this](const QJsonObject& o) { emitJson(o); }, [this](const Error& e) { return fail(e); },
                              [](const QList<QStringList>& rows) { printTable(rows); }};
        if (m_inv.command == Command::AuditVerify)
            return auditVerify(m_gatehouse, signedIn->session(), m_inv, out);
        if (m_inv.command == Command::AuditDiagnose)
            return auditDiagnose(m_gatehouse, signedIn->session(), m_inv, out);
        return auditList(m_gatehouse, signedIn->session(), m_inv, out);
    }

    Invocation m_inv;
    bool m_notText = false; // the last secret read was not valid UTF-8
    // The vault named by --vault, else the one the service serves by default (session mode:
    // $XDG_DATA_HOME/gatehouse/vault.db; system mode: /var/lib/gatehouse/vault.db).
    const QString& path() {
        if (m_path.isEmpty())
            m_path = m_gatehouse.serviceDefaultVault();
        return m_path;
    }
    QString m_path;
    bool m_interactive;
    Restriction m_restriction = Restriction::None; // of the session signIn() opened
    Client m_gatehouse;
};

} // namespace

int run(const QStringList& arguments) {
    const Parsed parsed = parse(arguments);
    if (!parsed.ok()) {
        const qsizetype optionsEnd = arguments.indexOf(QStringLiteral("--"));
        return failUsage(parsed.error,
                         arguments.mid(0, optionsEnd < 0 ? arguments.size() : optionsEnd).contains(u"--json"));
    }
    Cli cli(parsed.invocation);
    const int rc = cli.run();
    std::fflush(stdout);
    std::fflush(stderr);
    return rc;
}

} // namespace gh::cli
