// End-to-end tests of gatehousectl: the real binary, run with QProcess, each case on a fresh vault
// in a temporary directory, with its key in the real Secret Service (gnome-keyring from
// tests/support/with-services.sh). Keychain entries created by a case are removed in cleanup().
#include "access/permissions.h"
#include "crypto/primitives.h"
#include "crypto/random.h"
#include "errors.h"
#include "gatehouse.h"
#include "vault/keystore.h"
#include "vault/vault.h"
#include "verification/passwordpolicy.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

#include <memory>

namespace {

const QByteArray kAlicePassword = "correct horse battery staple";
const QByteArray kBobPassword = "violet canyon ledger drifts slowly";

struct Run {
    int exitCode = -1;
    QByteArray out;
    QByteArray err;

    QByteArray lastLine() const {
        QList<QByteArray> lines = out.trimmed().split('\n');
        return lines.isEmpty() ? QByteArray() : lines.last();
    }
    QJsonObject json() const { return QJsonDocument::fromJson(out).object(); }
    QByteArray all() const { return out + err; }
};

QString describeCode(gh::Errc code) {
    return gh::describe(gh::Error{code, {}, 0});
}

} // namespace

class TestCli : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_vault;

    QString keychainEntry() const { return gh::Vault::keychainEntry(gh::Vault::canonicalPath(m_vault)); }

    static Run ctl(const QStringList& args, const QByteArray& input = {}) {
        QProcess process;
        process.setProgram(QStringLiteral(GATEHOUSECTL_PATH));
        process.setArguments(args);
        process.start();
        if (!process.waitForStarted(10000))
            return {};
        process.write(input);
        process.closeWriteChannel();
        if (!process.waitForFinished(120000)) {
            process.kill();
            process.waitForFinished();
            return {};
        }
        Run run;
        run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
        run.out = process.readAllStandardOutput();
        run.err = process.readAllStandardError();
        return run;
    }

    // Runs against this case's vault.
    Run onVault(const QStringList& args, const QByteArray& input = {}) const {
        return ctl(QStringList{QStringLiteral("--vault"), m_vault} + args, input);
    }

    // Signs in as `user`, password on stdin, and runs `command`.
    Run as(const QString& user, const QByteArray& password, const QStringList& command) const {
        return onVault(QStringList{QStringLiteral("--as"), user, QStringLiteral("--password-stdin")} + command,
                       password + '\n');
    }

    bool initAlice() const {
        const Run run = onVault({QStringLiteral("init"), QStringLiteral("--admin"), QStringLiteral("alice")},
                                kAlicePassword + '\n');
        if (run.exitCode != 0)
            qWarning() << "init failed:" << run.exitCode << run.err;
        return run.exitCode == 0;
    }

    // Adds `name` as alice and returns the temporary password (empty on failure).
    QByteArray addUser(const QString& name, const QString& role = {}) const {
        QStringList command{QStringLiteral("user"), QStringLiteral("add"), name};
        if (!role.isEmpty())
            command << QStringLiteral("--role") << role;
        const Run run = as(QStringLiteral("alice"), kAlicePassword, command);
        if (run.exitCode != 0) {
            qWarning() << "user add failed:" << run.exitCode << run.err;
            return {};
        }
        return run.lastLine();
    }

    // Adds `name` and replaces the temporary password with `password`.
    bool addActiveUser(const QString& name, const QString& role, const QByteArray& password) const {
        const QByteArray temporary = addUser(name, role);
        if (temporary.isEmpty())
            return false;
        const Run run = as(name, temporary + '\n' + password, {QStringLiteral("passwd")});
        if (run.exitCode != 0)
            qWarning() << "passwd failed:" << run.exitCode << run.err;
        return run.exitCode == 0;
    }

    static void verifyNoSecrets(const Run& run, const QList<QByteArray>& secrets) {
        for (const QByteArray& secret : secrets)
            QVERIFY2(!run.all().contains(secret), "a password appeared in the output");
        // A 256-bit session secret in hex would be a 64-hex-digit run; nothing printed looks like one.
        static const QRegularExpression longHex(QStringLiteral("[0-9a-fA-F]{64}"));
        QVERIFY2(!longHex.match(QString::fromUtf8(run.all())).hasMatch(),
                 "something like a session secret was printed");
    }

    static QByteArray readFile(const QString& path) {
        QFile file(path);
        return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(gh::crypto::initialise()); } // SecureBuffer needs libsodium ready

    void init() {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
        m_vault = m_dir->filePath(QStringLiteral("vault.db"));
    }

    void cleanup() {
        // Leave no keychain entries behind, whatever the case did.
        (void)gh::SecretServiceKeyStore().remove(keychainEntry());
        m_dir.reset();
    }

    void help_data() {
        QTest::addColumn<QStringList>("args");
        QTest::newRow("--help") << QStringList{QStringLiteral("--help")};
        QTest::newRow("-h") << QStringList{QStringLiteral("-h")};
        QTest::newRow("help command") << QStringList{QStringLiteral("help")};
        QTest::newRow("--help after a command") << QStringList{QStringLiteral("status"), QStringLiteral("--help")};
    }
    void help() {
        QFETCH(QStringList, args);
        const Run run = ctl(args);
        QCOMPARE(run.exitCode, 0);
        QVERIFY(
            run.out.startsWith("Usage: gatehousectl [--vault PATH] [--json] [--as USER] [--password-stdin] COMMAND"));
        for (const char* command : {"init --admin NAME", "status", "user add NAME", "user list", "user disable NAME",
                                    "user enable NAME", "login", "passwd"})
            QVERIFY2(run.out.contains(command), command);
        QVERIFY(run.err.isEmpty());
    }

    void usageErrors_data() {
        QTest::addColumn<QStringList>("args");
        auto row = [](const char* name, std::initializer_list<const char*> words) {
            QStringList args;
            for (const char* w : words)
                args << QString::fromUtf8(w);
            QTest::newRow(name) << args;
        };
        row("no command", {});
        row("unknown command", {"frobnicate"});
        row("unknown option", {"--bogus", "status"});
        row("password on the command line is not an option", {"--password", "hunter2", "--as", "alice", "login"});
        row("--vault without a value", {"--vault"});
        row("--json with a value", {"--json=yes", "status"});
        row("init without --admin", {"init"});
        row("user without subcommand", {"user"});
        row("unknown user subcommand", {"--as", "alice", "user", "delete", "bob"});
        row("user add without a name", {"--as", "alice", "user", "add"});
        row("user add with an unknown role", {"--as", "alice", "user", "add", "bob", "--role", "wizard"});
        row("user list without --as", {"user", "list"});
        row("login without --as", {"login"});
        row("passwd without --as", {"passwd"});
        row("extra argument", {"status", "extra"});
        row("--role outside user add", {"--role", "admin", "status"});
        row("--admin outside init", {"--admin", "alice", "status"});
    }
    void usageErrors() {
        QFETCH(QStringList, args);
        const Run run = ctl(QStringList{QStringLiteral("--vault"), m_vault} + args, "some password\n");
        QCOMPARE(run.exitCode, 2);
        QVERIFY(run.out.isEmpty());
        QVERIFY(run.err.startsWith("gatehousectl: "));
        QVERIFY(run.err.contains("Usage: gatehousectl"));
        QVERIFY(!QFile::exists(m_vault));
    }

    // The first "Done when" line; covers PW-12 (the first admin is created at init, no
    // default accounts) and ST-03 (the key lives in the Secret Service).
    void initCreatesVaultAndStatusReportsIt() {
        const Run run = onVault({QStringLiteral("init"), QStringLiteral("--admin"), QStringLiteral("alice")},
                                kAlicePassword + '\n');
        QCOMPARE(run.exitCode, 0);
        QVERIFY(QFile::exists(m_vault));
        const QString canonical = gh::Vault::canonicalPath(m_vault);
        QVERIFY2(run.out.contains(canonical.toUtf8()), run.out.constData());
        QVERIFY(run.out.contains("Key:"));
        QVERIFY(run.out.contains("alice"));
        verifyNoSecrets(run, {kAlicePassword});

        gh::Result<gh::SecureBuffer> key = gh::SecretServiceKeyStore().read(keychainEntry());
        QVERIFY(key.ok());
        QCOMPARE(key->size(), std::size_t(32));

        const Run status = onVault({QStringLiteral("status")});
        QCOMPARE(status.exitCode, 0);
        QVERIFY(status.out.contains(canonical.toUtf8()));
        QVERIFY(status.out.contains("1 (1 admin"));

        const Run json = onVault({QStringLiteral("status"), QStringLiteral("--json")});
        QCOMPARE(json.exitCode, 0);
        const QJsonObject s = json.json();
        QCOMPARE(s.value(QStringLiteral("vault")).toString(), canonical);
        QCOMPARE(s.value(QStringLiteral("keySource")).toString(), QStringLiteral("keychain"));
        QCOMPARE(s.value(QStringLiteral("schemaVersion")).toInt(), gh::Vault::kSchemaVersion);
        QCOMPARE(s.value(QStringLiteral("users")).toInt(), 1);
        QCOMPARE(s.value(QStringLiteral("admins")).toInt(), 1);
        QCOMPARE(s.value(QStringLiteral("needsFirstAdmin")).toBool(), false);
        QCOMPARE(s.value(QStringLiteral("auditChainIntact")).toBool(), true);
        QVERIFY(s.value(QStringLiteral("auditEvents")).toInteger() > 0);
        QCOMPARE(s.value(QStringLiteral("ownerOnlyPermissions")).toBool(), true);
    }

    void initRefusesAnInitialisedVault() {
        QVERIFY(initAlice());
        const Run run = onVault({QStringLiteral("init"), QStringLiteral("--admin"), QStringLiteral("mallory")},
                                "another long passphrase here\n");
        QCOMPARE(run.exitCode, gh::exitCodeOf(gh::Errc::AlreadyInitialised));
        QVERIFY(run.err.contains(describeCode(gh::Errc::AlreadyInitialised).toUtf8()));
        QCOMPARE(as(QStringLiteral("alice"), kAlicePassword, {QStringLiteral("login")}).exitCode, 0);
    }

    // covers PW-01 (length in code points), PW-08 (blocklist and context words, with the reason)
    void initRejectsPasswordsThePolicyRefuses_data() {
        QTest::addColumn<QString>("password");
        QTest::newRow("PW-01 empty") << QString();
        QTest::newRow("PW-01 14 code points") << QStringLiteral("plum orbit fen");
        QTest::newRow("PW-01 14 code points, non-ASCII") << QStringLiteral("pläm örbit fén");
        QTest::newRow("PW-08 blocklisted") << QStringLiteral("password1234567");
        QTest::newRow("PW-08 context word: the username") << QStringLiteral("alicealicealicealice");
        QTest::newRow("PW-08 context word: the product") << QStringLiteral("gatehousegatehouse");
    }
    void initRejectsPasswordsThePolicyRefuses() {
        QFETCH(QString, password);
        const gh::PasswordVerdict verdict = gh::PasswordPolicy::check(password, QStringLiteral("alice"));
        QVERIFY2(!verdict.acceptable(), "test precondition: the policy must refuse this row");

        const Run run = onVault({QStringLiteral("init"), QStringLiteral("--admin"), QStringLiteral("alice")},
                                password.toUtf8() + '\n');
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains(gh::PasswordPolicy::explain(verdict).toUtf8()), run.err.constData());
        // Nothing half-created: no vault file and no keychain entry.
        QVERIFY(!QFile::exists(m_vault));
        QCOMPARE(gh::SecretServiceKeyStore().read(keychainEntry()).code(), gh::Errc::KeyMissing);
        // And a retry with an acceptable password works.
        QVERIFY(initAlice());
    }

    // A vault created without its administrator (an interrupted init) can be finished by init.
    void initFinishesAVaultWithoutAdministrator() {
        {
            gh::Gatehouse gatehouse;
            QVERIFY(gatehouse.createVault(m_vault).ok());
        }
        const Run status = onVault({QStringLiteral("status"), QStringLiteral("--json")});
        QCOMPARE(status.exitCode, 0);
        QCOMPARE(status.json().value(QStringLiteral("needsFirstAdmin")).toBool(), true);
        QVERIFY(initAlice());
        QCOMPARE(as(QStringLiteral("alice"), kAlicePassword, {QStringLiteral("login")}).exitCode, 0);
    }

    void loginPrintsTheSessionSummaryButNoSecret() {
        QVERIFY(initAlice());
        const Run run = as(QStringLiteral("alice"), kAlicePassword, {QStringLiteral("login")});
        QCOMPARE(run.exitCode, 0);
        QVERIFY(run.out.contains("alice"));
        QVERIFY(run.out.contains("admin"));
        QVERIFY(run.out.contains("Expires:"));
        verifyNoSecrets(run, {kAlicePassword});

        const Run json =
            as(QStringLiteral("alice"), kAlicePassword, {QStringLiteral("login"), QStringLiteral("--json")});
        QCOMPARE(json.exitCode, 0);
        const QJsonObject s = json.json();
        QCOMPARE(s.value(QStringLiteral("username")).toString(), QStringLiteral("alice"));
        QCOMPARE(s.value(QStringLiteral("role")).toString(), QStringLiteral("admin"));
        QCOMPARE(s.value(QStringLiteral("restricted")).toBool(), false);
        QVERIFY(!s.value(QStringLiteral("sessionId")).toString().isEmpty());
        QVERIFY(!s.contains(QStringLiteral("secret")));
        QVERIFY(QDateTime::fromString(s.value(QStringLiteral("expires")).toString(), Qt::ISODate) >
                QDateTime::currentDateTimeUtc());
        verifyNoSecrets(json, {kAlicePassword});

        // The CLI keeps no session: each command signs out when it ends.
        const Run status = onVault({QStringLiteral("status"), QStringLiteral("--json")});
        QCOMPARE(status.json().value(QStringLiteral("activeSessions")).toInt(), 0);
    }

    // covers RL-04: an unknown user and a wrong password give the same exit code and the same bytes
    void wrongPasswordAndUnknownUserAreIndistinguishable_data() {
        QTest::addColumn<QStringList>("extra");
        QTest::newRow("text") << QStringList{};
        QTest::newRow("json") << QStringList{QStringLiteral("--json")};
    }
    void wrongPasswordAndUnknownUserAreIndistinguishable() {
        QFETCH(QStringList, extra);
        QVERIFY(initAlice());
        const QStringList command = extra + QStringList{QStringLiteral("login")};
        const Run wrongPassword = as(QStringLiteral("alice"), "wrong horse battery staple", command);
        const Run unknownUser = as(QStringLiteral("mallory"), kAlicePassword, command);
        QCOMPARE(wrongPassword.exitCode, 3);
        QCOMPARE(unknownUser.exitCode, 3);
        QCOMPARE(wrongPassword.err, unknownUser.err);
        QCOMPARE(wrongPassword.out, unknownUser.out);
        QVERIFY(wrongPassword.err.contains(describeCode(gh::Errc::AuthenticationFailed).toUtf8()));
    }

    // covers RL-01, RL-02 (growing delay, the right password refused while throttled) and RL-04
    // (an unknown name is throttled exactly like a known one)
    void repeatedFailuresAreThrottled_data() {
        QTest::addColumn<QString>("user");
        QTest::newRow("known user") << QStringLiteral("alice");
        QTest::newRow("unknown user") << QStringLiteral("mallory");
    }
    void repeatedFailuresAreThrottled() {
        QFETCH(QString, user);
        QVERIFY(initAlice());
        int attempt = 0;
        Run run;
        for (attempt = 1; attempt <= 10; ++attempt) {
            run = as(user, "not the password at all", {QStringLiteral("login")});
            if (run.exitCode != 3)
                break;
        }
        QCOMPARE(run.exitCode, 5);
        QVERIFY2(attempt > 1 && attempt <= 10, qPrintable(QString::number(attempt)));
        // The message says how long to wait.
        static const QRegularExpression wait(QStringLiteral("Try again in \\d+ (seconds?|minutes?)"));
        QVERIFY2(wait.match(QString::fromUtf8(run.err)).hasMatch(), run.err.constData());
        // While throttled even the right password is refused.
        const Run right = as(user, kAlicePassword, {QStringLiteral("login")});
        QCOMPARE(right.exitCode, 5);
        const Run json = as(user, kAlicePassword, {QStringLiteral("login"), QStringLiteral("--json")});
        QCOMPARE(json.exitCode, 5);
        const QJsonObject error = json.json().value(QStringLiteral("error")).toObject();
        QCOMPARE(error.value(QStringLiteral("code")).toString(), QStringLiteral("throttled"));
        QVERIFY(error.value(QStringLiteral("retryAfterSeconds")).toInteger() > 0);
    }

    // L1 storage failures: exit 6, a specific message, and nothing changed on disk. covers ST-03
    // (no fallback when the keychain has no or a wrong key)
    void vaultThatCannotBeOpened_data() {
        QTest::addColumn<QString>("damage");
        QTest::addColumn<int>("expected"); // a gh::Errc, or -1 for "any storage error"
        QTest::newRow("wrong key in the keychain") << QStringLiteral("wrong-key") << int(gh::Errc::VaultWrongKey);
        QTest::newRow("keychain entry removed") << QStringLiteral("no-key") << int(gh::Errc::KeyMissing);
        QTest::newRow("vault file missing") << QStringLiteral("no-file") << int(gh::Errc::VaultNotFound);
        QTest::newRow("text file") << QStringLiteral("text") << -1;
        QTest::newRow("truncated vault") << QStringLiteral("truncate") << -1;
    }
    void vaultThatCannotBeOpened() {
        QFETCH(QString, damage);
        QFETCH(int, expected);
        QVERIFY(initAlice());
        gh::SecretServiceKeyStore keys;
        if (damage == QLatin1String("wrong-key")) {
            gh::SystemRandom random;
            QVERIFY(keys.write(keychainEntry(), random.secret(32)).ok());
        } else if (damage == QLatin1String("no-key")) {
            QVERIFY(keys.remove(keychainEntry()).ok());
        } else if (damage == QLatin1String("no-file")) {
            QVERIFY(QFile::remove(m_vault));
        } else {
            QFile file(m_vault);
            if (damage == QLatin1String("text")) {
                QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
                file.write("This is a shopping list, not a vault.\n");
            } else {
                QVERIFY(file.resize(file.size() / 2 + 100));
            }
        }
        const QByteArray before = readFile(m_vault);

        const QList<QStringList> commands{
            {QStringLiteral("status")},
            {QStringLiteral("--as"), QStringLiteral("alice"), QStringLiteral("--password-stdin"),
             QStringLiteral("login")},
        };
        QString firstMessage;
        for (const QStringList& command : commands) {
            const Run run = onVault(command, kAlicePassword + '\n');
            QCOMPARE(run.exitCode, 6);
            QVERIFY(run.out.isEmpty());
            QVERIFY(run.err.startsWith("gatehousectl: "));
            if (expected >= 0) {
                QVERIFY2(run.err.contains(describeCode(gh::Errc(expected)).toUtf8()), run.err.constData());
            }
            verifyNoSecrets(run, {kAlicePassword});
            QCOMPARE(readFile(m_vault), before); // nothing changed on disk
            QCOMPARE(QFile::exists(m_vault), damage != QLatin1String("no-file"));
        }
        const Run json = onVault({QStringLiteral("status"), QStringLiteral("--json")});
        QCOMPARE(json.exitCode, 6);
        QCOMPARE(json.json().value(QStringLiteral("error")).toObject().value(QStringLiteral("layer")).toString(),
                 QStringLiteral("L1"));
    }

    // A wrong key and a missing key are told apart (both exit 6, different messages).
    void wrongKeyAndMissingKeyDiffer() {
        QVERIFY(initAlice());
        gh::SecretServiceKeyStore keys;
        gh::SystemRandom random;
        QVERIFY(keys.write(keychainEntry(), random.secret(32)).ok());
        const Run wrongKey = onVault({QStringLiteral("status")});
        QVERIFY(keys.remove(keychainEntry()).ok());
        const Run missingKey = onVault({QStringLiteral("status")});
        QCOMPARE(wrongKey.exitCode, 6);
        QCOMPARE(missingKey.exitCode, 6);
        QVERIFY(wrongKey.err != missingKey.err);
    }

    // covers PW-11 (one-time temporary password, must be replaced at first use) and PW-10 (the
    // change needs the current password)
    void temporaryPasswordMustBeReplaced() {
        QVERIFY(initAlice());
        const Run add = as(QStringLiteral("alice"), kAlicePassword,
                           {QStringLiteral("user"), QStringLiteral("add"), QStringLiteral("bob")});
        QCOMPARE(add.exitCode, 0);
        const QByteArray temporary = add.lastLine();
        QVERIFY(temporary.size() >= 15);
        QCOMPARE(add.out, temporary + '\n'); // alone on stdout
        QVERIFY(!add.err.contains(temporary));
        verifyNoSecrets(add, {kAlicePassword});

        const Run restricted =
            as(QStringLiteral("bob"), temporary, {QStringLiteral("login"), QStringLiteral("--json")});
        QCOMPARE(restricted.exitCode, 0);
        QCOMPARE(restricted.json().value(QStringLiteral("restricted")).toBool(), true);
        QVERIFY(!restricted.json().value(QStringLiteral("restrictionReason")).toString().isEmpty());
        const Run restrictedText = as(QStringLiteral("bob"), temporary, {QStringLiteral("login")});
        QCOMPARE(restrictedText.exitCode, 0);
        QVERIFY(restrictedText.err.contains("--password-stdin passwd"));
        verifyNoSecrets(restrictedText, {temporary});

        // Anything but passwd is refused with the facade's error while restricted.
        const Run refused = as(QStringLiteral("bob"), temporary, {QStringLiteral("user"), QStringLiteral("list")});
        QVERIFY(refused.exitCode != 0);
        QVERIFY(refused.err.contains("passwd"));

        const Run passwd = onVault({QStringLiteral("--as"), QStringLiteral("bob"), QStringLiteral("--password-stdin"),
                                    QStringLiteral("passwd")},
                                   temporary + '\n' + kBobPassword + '\n');
        QCOMPARE(passwd.exitCode, 0);
        verifyNoSecrets(passwd, {temporary, kBobPassword});

        const Run fresh = as(QStringLiteral("bob"), kBobPassword, {QStringLiteral("login"), QStringLiteral("--json")});
        QCOMPARE(fresh.exitCode, 0);
        QCOMPARE(fresh.json().value(QStringLiteral("restricted")).toBool(), false);
        verifyNoSecrets(fresh, {kBobPassword});
        // The temporary password is single use.
        QCOMPARE(as(QStringLiteral("bob"), temporary, {QStringLiteral("login")}).exitCode, 3);
    }

    void userAddWithJson() {
        QVERIFY(initAlice());
        const Run add = as(QStringLiteral("alice"), kAlicePassword,
                           {QStringLiteral("--json"), QStringLiteral("user"), QStringLiteral("add"),
                            QStringLiteral("Carol"), QStringLiteral("--role"), QStringLiteral("operator")});
        QCOMPARE(add.exitCode, 0);
        const QJsonObject o = add.json();
        QCOMPARE(o.value(QStringLiteral("username")).toString(), QStringLiteral("carol")); // normalised
        QCOMPARE(o.value(QStringLiteral("role")).toString(), QStringLiteral("operator"));
        const QByteArray temporary = o.value(QStringLiteral("temporaryPassword")).toString().toUtf8();
        QVERIFY(temporary.size() >= 15);
        QCOMPARE(as(QStringLiteral("carol"), temporary, {QStringLiteral("login")}).exitCode, 0);

        const Run duplicate = as(QStringLiteral("alice"), kAlicePassword,
                                 {QStringLiteral("user"), QStringLiteral("add"), QStringLiteral("carol")});
        QCOMPARE(duplicate.exitCode, gh::exitCodeOf(gh::Errc::UserExists));
        QVERIFY(duplicate.err.contains(describeCode(gh::Errc::UserExists).toUtf8()));
        QVERIFY(duplicate.out.isEmpty());
    }

    // L4: what each role may do follows gh::allowed(); refusals exit 4 with the shared message.
    void rolesLimitAccountCommands_data() {
        QTest::addColumn<QString>("role");
        QTest::newRow("viewer") << QStringLiteral("viewer");
        QTest::newRow("operator") << QStringLiteral("operator");
        QTest::newRow("no role") << QStringLiteral("none");
    }
    void rolesLimitAccountCommands() {
        QFETCH(QString, role);
        QVERIFY(initAlice());
        QVERIFY(addActiveUser(QStringLiteral("bob"), role, kBobPassword));
        const QString effective = role == QLatin1String("none") ? QString() : role;

        const Run add = as(QStringLiteral("bob"), kBobPassword,
                           {QStringLiteral("user"), QStringLiteral("add"), QStringLiteral("carol")});
        const Run list = as(QStringLiteral("bob"), kBobPassword, {QStringLiteral("user"), QStringLiteral("list")});
        const Run disable = as(QStringLiteral("bob"), kBobPassword,
                               {QStringLiteral("user"), QStringLiteral("disable"), QStringLiteral("alice")});
        QCOMPARE(add.exitCode, gh::allowed(effective, gh::Permission::UsersManage) ? 0 : 4);
        QCOMPARE(list.exitCode, gh::allowed(effective, gh::Permission::UsersRead) ? 0 : 4);
        QCOMPARE(disable.exitCode, gh::allowed(effective, gh::Permission::UsersManage) ? 0 : 4);
        for (const Run* run : {&add, &list, &disable}) {
            if (run->exitCode == 4) {
                QVERIFY(run->err.contains(describeCode(gh::Errc::NotPermitted).toUtf8()));
                QVERIFY(run->out.isEmpty());
            }
        }
        // The refused add created nothing.
        const Run users = as(QStringLiteral("alice"), kAlicePassword,
                             {QStringLiteral("--json"), QStringLiteral("user"), QStringLiteral("list")});
        QCOMPARE(users.json().value(QStringLiteral("users")).toArray().size(), 2);
    }

    void disabledUserCannotSignIn() {
        QVERIFY(initAlice());
        QVERIFY(addActiveUser(QStringLiteral("bob"), QStringLiteral("viewer"), kBobPassword));
        QCOMPARE(as(QStringLiteral("alice"), kAlicePassword,
                    {QStringLiteral("user"), QStringLiteral("disable"), QStringLiteral("bob")})
                     .exitCode,
                 0);
        const Run refused = as(QStringLiteral("bob"), kBobPassword, {QStringLiteral("login")});
        QVERIFY(refused.exitCode != 0);
        QCOMPARE(refused.exitCode, gh::exitCodeOf(gh::Errc::AccountDisabled));
        QVERIFY(refused.out.isEmpty());

        const Run list = as(QStringLiteral("alice"), kAlicePassword,
                            {QStringLiteral("--json"), QStringLiteral("user"), QStringLiteral("list")});
        QCOMPARE(list.exitCode, 0);
        bool found = false;
        for (const QJsonValue& v : list.json().value(QStringLiteral("users")).toArray()) {
            if (v.toObject().value(QStringLiteral("username")).toString() == QLatin1String("bob")) {
                found = true;
                QCOMPARE(v.toObject().value(QStringLiteral("enabled")).toBool(), false);
            }
        }
        QVERIFY(found);

        QCOMPARE(as(QStringLiteral("alice"), kAlicePassword,
                    {QStringLiteral("user"), QStringLiteral("enable"), QStringLiteral("bob")})
                     .exitCode,
                 0);
        QCOMPARE(as(QStringLiteral("bob"), kBobPassword, {QStringLiteral("login")}).exitCode, 0);
    }

    // L4 guard in core: the last administrator cannot be disabled, and the CLI says why.
    void lastAdministratorCannotBeDisabled() {
        QVERIFY(initAlice());
        const Run run = as(QStringLiteral("alice"), kAlicePassword,
                           {QStringLiteral("user"), QStringLiteral("disable"), QStringLiteral("alice")});
        QCOMPARE(run.exitCode, 4);
        QVERIFY(run.err.contains(describeCode(gh::Errc::NotPermitted).toUtf8()));
        QVERIFY(run.err.contains("administrator"));
        QCOMPARE(as(QStringLiteral("alice"), kAlicePassword, {QStringLiteral("login")}).exitCode, 0);
    }

    void userListShowsATable() {
        QVERIFY(initAlice());
        QVERIFY(!addUser(QStringLiteral("bob"), QStringLiteral("viewer")).isEmpty());
        const Run run = as(QStringLiteral("alice"), kAlicePassword, {QStringLiteral("user"), QStringLiteral("list")});
        QCOMPARE(run.exitCode, 0);
        const QList<QByteArray> lines = run.out.trimmed().split('\n');
        QCOMPARE(lines.size(), 3);
        QVERIFY(lines.at(0).startsWith("USERNAME"));
        for (const char* column : {"ROLE", "ENABLED", "MUST-CHANGE", "LOCKED", "CREATED", "LAST LOGIN"})
            QVERIFY2(lines.at(0).contains(column), column);
        const QList<QByteArray> alice = lines.at(1).simplified().split(' ');
        QCOMPARE(alice.value(0), QByteArray("alice"));
        QCOMPARE(alice.value(1), QByteArray("admin"));
        QCOMPARE(alice.value(2), QByteArray("yes")); // enabled
        QCOMPARE(alice.value(3), QByteArray("no"));  // must change
        const QList<QByteArray> bob = lines.at(2).simplified().split(' ');
        QCOMPARE(bob.value(0), QByteArray("bob"));
        QCOMPARE(bob.value(3), QByteArray("yes")); // must replace the temporary password
        QVERIFY(lines.at(2).endsWith("never"));    // never logged in
    }

    void passwdFailures_data() {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QByteArray>("message");
        QTest::newRow("wrong current password") << QByteArray("wrong horse battery staple\n" + kBobPassword + '\n') << 3
                                                << describeCode(gh::Errc::AuthenticationFailed).toUtf8();
        QTest::newRow("PW-01 new password too short")
            << QByteArray(kAlicePassword + "\nshort one\n") << 1
            << gh::PasswordPolicy::explain(
                   gh::PasswordPolicy::check(QStringLiteral("short one"), QStringLiteral("alice")))
                   .toUtf8();
        QTest::newRow("no second line") << QByteArray(kAlicePassword + '\n') << 1 << QByteArray("line 2");
        QTest::newRow("no input at all") << QByteArray() << 1 << QByteArray("line 1");
    }
    void passwdFailures() {
        QFETCH(QByteArray, input);
        QFETCH(int, exitCode);
        QFETCH(QByteArray, message);
        QVERIFY(initAlice());
        const Run run = onVault({QStringLiteral("--as"), QStringLiteral("alice"), QStringLiteral("passwd")}, input);
        QCOMPARE(run.exitCode, exitCode);
        QVERIFY2(run.err.contains(message), run.err.constData());
        // The old password still works.
        QCOMPARE(as(QStringLiteral("alice"), kAlicePassword, {QStringLiteral("login")}).exitCode, 0);
    }

    void globalOptionsMayFollowTheCommand() {
        QVERIFY(initAlice());
        const Run run =
            ctl({QStringLiteral("login"), QStringLiteral("--as"), QStringLiteral("alice"), QStringLiteral("--vault"),
                 m_vault, QStringLiteral("--json"), QStringLiteral("--password-stdin")},
                kAlicePassword + '\n');
        QCOMPARE(run.exitCode, 0);
        QCOMPARE(run.json().value(QStringLiteral("username")).toString(), QStringLiteral("alice"));
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
