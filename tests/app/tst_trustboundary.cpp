// The trust boundary of issue 10, with real processes and real uids: gatehoused in system mode
// runs as root on a private bus that every uid may use (as the system bus is); clients run as
// other uids through setpriv. A client signs in and works through the API, but cannot read the
// vault file or its key; a session token copied to a process of a third uid is refused and the
// refusal is audited in L3. Last, a session-mode vault moves to system mode by the procedure of
// installer/system/README.md (key from the Secret Service into the service's key file).
// And what an unprivileged caller must not get from the service: answers about other files
// (VaultState), the vault's counts without a session (Status), the difference between another
// uid's live token and a dead one, the first administrator of a fresh vault, and (from a second
// instance) the end of everyone's sessions.
// $GATEHOUSE_TEST_DAEMON runs another gatehoused build (e.g. an older one) under the same tests.
// Needs root (to switch uids); otherwise every case is skipped with the reason.
#include "credentialkeystore.h"
#include "gatehouse.h"
#include "vault/database.h"
#include "vault/keystore.h"
#include "vault/vault.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <unistd.h>

namespace {

const QByteArray kPassword = "correct horse battery staple";
constexpr int kNobody = 65534;
constexpr int kThirdUid = 1;  // "daemon": a uid the bus knows (dbus-daemon refuses uids without a passwd entry)
constexpr int kFourthUid = 2; // "bin": signs in only to see the counts

QString daemonPath() {
    return qEnvironmentVariable("GATEHOUSE_TEST_DAEMON", QStringLiteral(GATEHOUSED_PATH));
}

struct Run {
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

// A bus like the system bus: any local uid may connect and call; the service authorises calls.
QByteArray busConfig(const QString& socket) {
    return QStringLiteral("<!DOCTYPE busconfig PUBLIC \"-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN\" "
                          "\"http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd\">\n"
                          "<busconfig><type>custom</type><listen>unix:path=%1</listen><auth>EXTERNAL</auth>"
                          "<policy context=\"default\"><allow user=\"*\"/><allow own=\"*\"/>"
                          "<allow send_destination=\"*\"/><allow receive_sender=\"*\"/></policy></busconfig>\n")
        .arg(socket)
        .toUtf8();
}

} // namespace

class TestTrustBoundary : public QObject {
    Q_OBJECT
    QString m_root; // 0755 so other uids reach the bus socket; the state dir inside is 0700
    QProcess m_bus;
    QProcess m_daemon;
    QString m_address;
    QString m_state;

    Run run(const QString& program, const QStringList& args, const QByteArray& input, int uid = -1,
            const QString& address = {}) {
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("GATEHOUSE_BUS_ADDRESS"), address.isEmpty() ? m_address : address);
        env.remove(QStringLiteral("DBUS_SESSION_BUS_ADDRESS")); // a client needs nothing but the service
        env.insert(QStringLiteral("HOME"), m_root);
        p.setProcessEnvironment(env);
        p.setWorkingDirectory(m_root);
        if (uid >= 0) {
            p.setProgram(QStringLiteral("setpriv"));
            p.setArguments(QStringList{QStringLiteral("--reuid=%1").arg(uid), QStringLiteral("--regid=%1").arg(uid),
                                       QStringLiteral("--clear-groups"), QStringLiteral("--"), program} +
                           args);
        } else {
            p.setProgram(program);
            p.setArguments(args);
        }
        p.start();
        if (!p.waitForStarted(10000))
            return {};
        p.write(input);
        p.closeWriteChannel();
        if (!p.waitForFinished(60000)) {
            p.kill();
            p.waitForFinished();
            return {};
        }
        return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, p.readAllStandardOutput(),
                p.readAllStandardError()};
    }

    // Starts a bus and a system-mode service on it; returns the bus address.
    bool startService(QProcess& bus, QProcess& daemon, const QString& name, const QString& state, QString& address) {
        const QString config = m_root + QLatin1Char('/') + name + QStringLiteral(".conf");
        QFile f(config);
        if (!f.open(QIODevice::WriteOnly) ||
            f.write(busConfig(m_root + QLatin1Char('/') + name + QStringLiteral(".socket"))) < 0)
            return false;
        f.close();
        bus.setProgram(QStringLiteral("dbus-daemon"));
        bus.setArguments({QStringLiteral("--config-file=") + config, QStringLiteral("--nofork"),
                          QStringLiteral("--print-address=1")});
        bus.start();
        if (!bus.waitForStarted(5000) || !bus.waitForReadyRead(5000))
            return false;
        address = QString::fromUtf8(bus.readLine().trimmed());
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("GATEHOUSE_BUS_ADDRESS"), address);
        daemon.setProcessEnvironment(env);
        daemon.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        daemon.setProgram(daemonPath());
        daemon.setArguments({QStringLiteral("--system"), QStringLiteral("--state-directory"), state,
                             QStringLiteral("--permissions-directory"), m_root + QStringLiteral("/permissions")});
        daemon.start();
        if (!daemon.waitForStarted(5000))
            return false;
        // Ready when the name answers.
        for (int i = 0; i < 250; ++i) {
            const Run ping =
                run(QStringLiteral("dbus-send"),
                    {QStringLiteral("--bus=") + address, QStringLiteral("--print-reply"),
                     QStringLiteral("--dest=io.gatehouse.Gatehouse1"), QStringLiteral("/io/gatehouse/Gatehouse1"),
                     QStringLiteral("org.freedesktop.DBus.Peer.Ping")},
                    {}, -1, address);
            if (ping.exitCode == 0)
                return true;
            QThread::msleep(40);
        }
        return false;
    }

    Run ctl(const QStringList& args, const QByteArray& input, int uid = -1, const QString& address = {}) {
        return run(QStringLiteral(GATEHOUSECTL_PATH), args, input, uid, address);
    }
    Run probe(const QStringList& args, const QByteArray& input, int uid) {
        return run(QStringLiteral(TOKENPROBE_PATH), args, input, uid);
    }

    // How many audit events with this action and layer, read with the key file as root would
    // (break-glass), not through the service.
    int auditCount(const QString& state, const QString& action, int layer) {
        gh::service::CredentialKeyStore keys(state + QStringLiteral("/vault.key"));
        auto vault = gh::Vault::open(state + QStringLiteral("/vault.db"), keys, nullptr);
        if (!vault)
            return -1;
        auto st = (*vault)->db().prepare("SELECT count(*) FROM audit WHERE action = ? AND layer = ?");
        if (!st)
            return -1;
        st->bind(1, action).bind(2, layer);
        return st->step() ? int(st->int64(0)) : -1;
    }

    // Events whose detail names this source (gatehoused appends the caller's program, uid, pid).
    int auditFrom(const QString& state, const QString& actionPrefix, const QString& source) {
        gh::service::CredentialKeyStore keys(state + QStringLiteral("/vault.key"));
        auto vault = gh::Vault::open(state + QStringLiteral("/vault.db"), keys, nullptr);
        if (!vault)
            return -1;
        auto st = (*vault)->db().prepare("SELECT count(*) FROM audit WHERE action LIKE ? AND instr(origin, ?) = 1");
        if (!st)
            return -1;
        st->bind(1, actionPrefix + QLatin1Char('%')).bind(2, source);
        return st->step() ? int(st->int64(0)) : -1;
    }

private Q_SLOTS:
    void initTestCase() {
        if (::geteuid() != 0)
            QSKIP("needs root to run clients as other uids (setpriv); CI runs as root");
        char tmpl[] = "/tmp/gatehouse-trust.XXXXXX";
        QVERIFY(::mkdtemp(tmpl));
        m_root = QString::fromLocal8Bit(tmpl);
        QVERIFY(QFile::setPermissions(m_root, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner |
                                                  QFileDevice::ReadGroup | QFileDevice::ExeGroup |
                                                  QFileDevice::ReadOther | QFileDevice::ExeOther));
        m_state = m_root + QStringLiteral("/state");
        QVERIFY(QDir().mkpath(m_state));
        QVERIFY(
            QFile::setPermissions(m_state, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner));
        // An application's declarations (issue 11), where --permissions-directory points the service.
        QVERIFY(QDir().mkpath(m_root + QStringLiteral("/permissions")));
        QFile lab(m_root + QStringLiteral("/permissions/lab.conf"));
        QVERIFY(lab.open(QIODevice::WriteOnly));
        lab.write("lab.samples.read | See the sample register |\nlab.samples.write | Add and edit samples |\n");
        lab.close();
        QVERIFY(startService(m_bus, m_daemon, QStringLiteral("bus"), m_state, m_address));
        const Run init =
            ctl({QStringLiteral("init"), QStringLiteral("--admin"), QStringLiteral("alice")}, kPassword + '\n');
        QVERIFY2(init.exitCode == 0, init.err.constData());
    }

    void cleanupTestCase() {
        for (QProcess* p : {&m_daemon, &m_bus}) {
            if (p->state() != QProcess::NotRunning) {
                p->terminate();
                p->waitForFinished(5000);
            }
        }
        if (!m_root.isEmpty())
            QDir(m_root).removeRecursively();
    }

    // Another uid signs in and works through the API, and cannot touch the vault or its key.
    void otherUidUsesTheApiButNotTheFiles() {
        const Run login = ctl({QStringLiteral("--as"), QStringLiteral("alice"), QStringLiteral("--password-stdin"),
                               QStringLiteral("--json"), QStringLiteral("login")},
                              kPassword + '\n', kNobody);
        QVERIFY2(login.exitCode == 0, login.err.constData());
        QVERIFY(login.out.contains("\"alice\""));
        // The sign-in's audit events carry its source as the bus vouched for it.
        QVERIFY(auditFrom(m_state, QStringLiteral("login."),
                          QStringLiteral("gatehousectl (uid %1, pid ").arg(kNobody)) >= 1);
        const Run status = ctl({QStringLiteral("status")}, {}, kNobody);
        QVERIFY2(status.exitCode == 0, status.err.constData());
        QVERIFY(status.out.contains("vault.db"));
        for (const QString& file : {QStringLiteral("/vault.db"), QStringLiteral("/vault.key")}) {
            QVERIFY(QFile::exists(m_state + file));
            const Run read = run(QStringLiteral("cat"), {m_state + file}, {}, kNobody);
            QVERIFY2(read.exitCode != 0, qPrintable(file));
            QVERIFY(read.out.isEmpty());
        }
        // In system mode the service serves its own vault only.
        const Run elsewhere = ctl(
            {QStringLiteral("--vault"), m_root + QStringLiteral("/mine.db"), QStringLiteral("status")}, {}, kNobody);
        QCOMPARE(elsewhere.exitCode, 4);
    }

    // A token is bound to the uid that signed in: the same uid may use it, a third uid may not,
    // and the attempt is an L3 event in the audit log.
    void tokenFromAThirdUidIsRefusedAndAudited() {
        const int before = auditCount(m_state, QStringLiteral("session.foreign_caller"), 3);
        QVERIFY(before >= 0);
        const Run login = probe({QStringLiteral("login"), QStringLiteral("alice")}, kPassword + '\n', kNobody);
        QVERIFY2(login.exitCode == 0, login.out.constData());
        const QList<QByteArray> parts = login.out.trimmed().split(' ');
        QCOMPARE(parts.size(), 2);
        const QByteArray token = parts.at(1) + '\n';

        const Run same = probe({QStringLiteral("validate")}, token, kNobody);
        QVERIFY2(same.exitCode == 0, same.out.constData());
        QCOMPARE(same.out.trimmed(), QByteArray("ok alice"));

        const Run third = probe({QStringLiteral("validate")}, token, kThirdUid);
        QVERIFY2(third.exitCode == 3, third.out.constData());
        QVERIFY(!third.out.contains(parts.at(1)));
        QCOMPARE(auditCount(m_state, QStringLiteral("session.foreign_caller"), 3), before + 1);

        // Root is a third uid too: owning the machine does not make the token its own.
        const Run root = probe({QStringLiteral("validate")}, token, 0);
        QCOMPARE(root.exitCode, 3);
        // The rightful holder is unaffected.
        QCOMPARE(probe({QStringLiteral("validate")}, token, kNobody).exitCode, 0);
    }

    // Another uid's token tells its presenter nothing: live or ended, it is answered like a token
    // that never existed. Both attempts are L3 events; the owner still learns why its session ended.
    void foreignTokenLiveOrDeadIsOneAnswer() {
        const int before = auditCount(m_state, QStringLiteral("session.foreign_caller"), 3);
        const Run login = probe({QStringLiteral("login"), QStringLiteral("alice")}, kPassword + '\n', kNobody);
        QVERIFY2(login.exitCode == 0, login.out.constData());
        const QByteArray hex = login.out.trimmed().split(' ').value(1);
        QCOMPARE(hex.size(), 64);
        QByteArray never = hex;
        never[0] = never.at(0) == 'a' ? 'b' : 'a';

        const Run unknown = probe({QStringLiteral("validate")}, never + '\n', kThirdUid);
        const Run live = probe({QStringLiteral("validate")}, hex + '\n', kThirdUid);
        QVERIFY2(probe({QStringLiteral("logout")}, hex + '\n', kNobody).exitCode == 0, "the owner signs out");
        const Run dead = probe({QStringLiteral("validate")}, hex + '\n', kThirdUid);
        const Run owner = probe({QStringLiteral("validate")}, hex + '\n', kNobody);

        QCOMPARE(live.exitCode, 3);
        QCOMPARE(live.out, unknown.out);
        QCOMPARE(dead.out, unknown.out);
        QCOMPARE(dead.exitCode, 3);
        QVERIFY2(owner.exitCode == 3 && owner.out.contains("(logout)"), owner.out.constData());
        QVERIFY(owner.out != dead.out);
        QCOMPARE(auditCount(m_state, QStringLiteral("session.foreign_caller"), 3), before + 2);
    }

    // Manager.VaultState answered for any path: an oracle for the files the service's user can
    // read. In system mode it answers for the service's own vault only.
    void vaultStateAnswersForTheServicesVaultOnly() {
        const auto state = [&](const QString& path) {
            return run(QStringLiteral("dbus-send"),
                       {QStringLiteral("--bus=") + m_address, QStringLiteral("--print-reply"),
                        QStringLiteral("--dest=io.gatehouse.Gatehouse1"), QStringLiteral("/io/gatehouse/Gatehouse1"),
                        QStringLiteral("io.gatehouse.Gatehouse1.Manager.VaultState"), QStringLiteral("string:") + path},
                       {}, kNobody);
        };
        const Run own = state(m_state + QStringLiteral("/vault.db"));
        QVERIFY2(own.exitCode == 0, own.err.constData());
        QVERIFY(own.out.contains("exists"));
        for (const QString& other : {m_state + QStringLiteral("/vault.key"), QStringLiteral("/etc/shadow"),
                                     m_root + QStringLiteral("/nothing-here.db")}) {
            const Run r = state(other);
            QVERIFY2(r.exitCode != 0, qPrintable(other));
            QVERIFY2(r.err.contains("io.gatehouse.Gatehouse1.Error.NotPermitted"), r.err.constData());
            QVERIFY(!r.out.contains("exists"));
        }
    }

    // Status without a session shows the vault's own facts only; the counts need a signed-in uid
    // (or root). gatehousectl status works either way.
    void statusCountsNeedASession() {
        const auto json = [](const Run& r) { return QJsonDocument::fromJson(r.out).object(); };
        const Run limited = ctl({QStringLiteral("--json"), QStringLiteral("status")}, {}, kFourthUid);
        QVERIFY2(limited.exitCode == 0, limited.err.constData());
        QCOMPARE(json(limited).value(QStringLiteral("vault")).toString(), m_state + QStringLiteral("/vault.db"));
        QCOMPARE(json(limited).value(QStringLiteral("needsFirstAdmin")).toBool(true), false);
        for (const char* key : {"users", "admins", "lockedUsers", "activeSessions", "auditEvents", "auditChainIntact"})
            QVERIFY2(json(limited).value(QLatin1String(key)).isNull(), key);
        const QJsonObject health = json(limited).value(QStringLiteral("health")).toObject();
        QVERIFY(health.value(QStringLiteral("L1")).toObject().value(QStringLiteral("vaultEncrypted")).toBool());
        QVERIFY(health.value(QStringLiteral("L2")).toObject().value(QStringLiteral("accounts")).isNull());
        QVERIFY(health.value(QStringLiteral("L4")).toObject().value(QStringLiteral("admins")).isNull());

        const Run text = ctl({QStringLiteral("status")}, {}, kFourthUid);
        QVERIFY2(text.exitCode == 0, text.err.constData());
        QVERIFY(text.out.contains("vault.db"));
        QVERIFY2(text.out.contains("shown to signed-in users"), text.out.constData());
        QVERIFY2(!text.out.contains("Users:"), text.out.constData());
        QVERIFY2(!text.out.contains("1 admin"), text.out.constData());

        const Run root = ctl({QStringLiteral("--json"), QStringLiteral("status")}, {});
        QVERIFY2(root.exitCode == 0, root.err.constData());
        QVERIFY(json(root).value(QStringLiteral("users")).toInt() >= 1);

        const Run login = ctl({QStringLiteral("--as"), QStringLiteral("alice"), QStringLiteral("--password-stdin"),
                               QStringLiteral("login")},
                              kPassword + '\n', kFourthUid);
        QVERIFY2(login.exitCode == 0, login.err.constData());
        const Run signedIn = ctl({QStringLiteral("--json"), QStringLiteral("status")}, {}, kFourthUid);
        QVERIFY2(signedIn.exitCode == 0, signedIn.err.constData());
        QVERIFY(json(signedIn).value(QStringLiteral("users")).toInt() >= 1);
        QVERIFY(json(signedIn).value(QStringLiteral("activeSessions")).toInt() >= 1);
    }

    // A second system instance (e.g. started by hand) found the name taken only after it had
    // opened the vault and ended every session. Now it takes the name first and leaves.
    void aSecondInstanceLeavesTheSessionsAlone() {
        const Run login = probe({QStringLiteral("login"), QStringLiteral("alice")}, kPassword + '\n', kNobody);
        QVERIFY2(login.exitCode == 0, login.out.constData());
        const QByteArray token = login.out.trimmed().split(' ').value(1) + '\n';
        QProcess second;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("GATEHOUSE_BUS_ADDRESS"), m_address);
        second.setProcessEnvironment(env);
        second.start(daemonPath(), {QStringLiteral("--system"), QStringLiteral("--state-directory"), m_state});
        QVERIFY(second.waitForFinished(30000));
        const QByteArray err = second.readAllStandardError();
        QCOMPARE(second.exitCode(), 1);
        QVERIFY2(err.contains("already owned"), err.constData());
        const Run still = probe({QStringLiteral("validate")}, token, kNobody);
        QVERIFY2(still.exitCode == 0, still.out.constData());
    }

    // The red-team fix, kept: on a fresh system-mode vault only root (or the service's own user)
    // creates the first administrator; any other uid would own the vault by asking first.
    void onlyRootCreatesTheFirstAdministrator() {
        const QString state = m_root + QStringLiteral("/state3");
        QVERIFY(QDir().mkpath(state));
        QVERIFY(QFile::setPermissions(state, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner));
        QProcess bus3, daemon3;
        QString address3;
        QVERIFY(startService(bus3, daemon3, QStringLiteral("bus3"), state, address3));
        const Run mallory = ctl({QStringLiteral("init"), QStringLiteral("--admin"), QStringLiteral("mallory")},
                                kPassword + '\n', kNobody, address3);
        QCOMPARE(mallory.exitCode, 4);
        QVERIFY2(mallory.err.contains("only root creates the first administrator"), mallory.err.constData());
        const Run root = ctl({QStringLiteral("init"), QStringLiteral("--admin"), QStringLiteral("carol")},
                             kPassword + '\n', -1, address3);
        QVERIFY2(root.exitCode == 0, root.err.constData());
        for (QProcess* p : {&daemon3, &bus3}) {
            p->terminate();
            p->waitForFinished(10000);
        }
    }

    // installer/system/README.md, "Moving a session-mode vault to system mode", step by step.
    void sessionVaultMovesToSystemMode() {
        const QString sessionVault = m_root + QStringLiteral("/session/vault.db");
        QVERIFY(QDir().mkpath(m_root + QStringLiteral("/session")));
        {
            gh::Gatehouse g; // session mode: the key goes to the Secret Service
            QVERIFY(g.createVault(sessionVault).ok());
            QVERIFY(
                g.accounts()
                    .createFirstAdmin(QStringLiteral("bob"), gh::SecureBuffer::fromUtf8(QString::fromLatin1(kPassword)))
                    .ok());
        }
        const QString state = m_root + QStringLiteral("/state2");
        QVERIFY(QDir().mkpath(state));
        QVERIFY(QFile::setPermissions(state, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner));
        // 3. copy the vault into place, owner-only
        QVERIFY(QFile::copy(sessionVault, state + QStringLiteral("/vault.db")));
        QVERIFY(QFile::setPermissions(state + QStringLiteral("/vault.db"),
                                      QFileDevice::ReadOwner | QFileDevice::WriteOwner));
        // 4. the key from the Secret Service, as the README's secret-tool line reads it
        const QString entry = gh::Vault::keychainEntry(gh::Vault::canonicalPath(sessionVault));
        QProcess lookup;
        lookup.start(QStringLiteral("secret-tool"), {QStringLiteral("lookup"), QStringLiteral("server"),
                                                     QStringLiteral("Gatehouse"), QStringLiteral("user"), entry});
        QVERIFY(lookup.waitForFinished(10000));
        const QByteArray key = lookup.readAllStandardOutput();
        QCOMPARE(key.trimmed().size(), 64);
        QFile keyFile(state + QStringLiteral("/vault.key"));
        QVERIFY(keyFile.open(QIODevice::WriteOnly));
        QVERIFY(keyFile.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner));
        QVERIFY(keyFile.write(key) == key.size());
        keyFile.close();
        // 4b. the anti-rollback anchor, as the README's second secret-tool line copies it
        const QString anchorEntry = gh::Vault::anchorEntry(gh::Vault::canonicalPath(sessionVault));
        QProcess anchorLookup;
        anchorLookup.start(QStringLiteral("secret-tool"),
                           {QStringLiteral("lookup"), QStringLiteral("server"), QStringLiteral("Gatehouse"),
                            QStringLiteral("user"), anchorEntry});
        QVERIFY(anchorLookup.waitForFinished(10000));
        const QByteArray anchorText = anchorLookup.readAllStandardOutput();
        QVERIFY(anchorText.startsWith("GHA1 "));
        QFile anchorFile(state + QStringLiteral("/vault.anchor"));
        QVERIFY(anchorFile.open(QIODevice::WriteOnly));
        QVERIFY(anchorFile.write(anchorText) == anchorText.size());
        anchorFile.close();
        // 6. the desktop keychain entries go; the system service does not need them
        QVERIFY(gh::SecretServiceKeyStore().remove(entry).ok());
        QVERIFY(gh::SecretServiceKeyStore().remove(anchorEntry).ok());

        QProcess bus2, daemon2;
        QString address2;
        QVERIFY(startService(bus2, daemon2, QStringLiteral("bus2"), state, address2));
        const Run login = ctl({QStringLiteral("--as"), QStringLiteral("bob"), QStringLiteral("--password-stdin"),
                               QStringLiteral("login")},
                              kPassword + '\n', kNobody, address2);
        QVERIFY2(login.exitCode == 0, login.err.constData());
        daemon2.terminate();
        QVERIFY(daemon2.waitForFinished(10000));
        bus2.terminate();
        QVERIFY(bus2.waitForFinished(5000));
    }

    // Issue 11: an application's token is bound to the uid of the application that asked for it.
    // From that uid CheckPermission answers (here L4: alice's roles do not hold the lab's
    // permission; a permission it did not ask for is refused); from a third uid it is refused in
    // L3 like a token that never existed, and the attempt is audited (session.foreign_caller).
    // Last: alice gains an authenticator here, which the password-only sign-ins above do not expect.
    void appTokenFromAThirdUidIsRefusedAndAudited() {
        const Run enroll = probe({QStringLiteral("enroll-totp"), QStringLiteral("alice")}, kPassword + '\n', kNobody);
        QVERIFY2(enroll.exitCode == 0, enroll.out.constData());
        const QByteArray key = enroll.out.trimmed().split(' ').value(1);
        const Run issued = probe({QStringLiteral("app-token"), QStringLiteral("alice"), QStringLiteral("lab"),
                                  QStringLiteral("lab.samples.read")},
                                 kPassword + '\n' + key + '\n', kNobody);
        QVERIFY2(issued.exitCode == 0, issued.out.constData());
        const QByteArray token = issued.out.trimmed().split(' ').value(1) + '\n';
        QCOMPARE(token.size(), 65);

        const Run own = probe({QStringLiteral("check"), QStringLiteral("lab.samples.read")}, token, kNobody);
        QVERIFY2(own.out.startsWith("denied L4 missing permission lab.samples.read"), own.out.constData());
        const Run notAsked = probe({QStringLiteral("check"), QStringLiteral("lab.samples.write")}, token, kNobody);
        QVERIFY2(notAsked.out.startsWith("denied L4 the application did not ask for lab.samples.write"),
                 notAsked.out.constData());

        const int before = auditCount(m_state, QStringLiteral("session.foreign_caller"), 3);
        const Run third = probe({QStringLiteral("check"), QStringLiteral("lab.samples.read")}, token, kThirdUid);
        QCOMPARE(third.out.trimmed(), QByteArray("denied L3 not a live session"));
        QCOMPARE(auditCount(m_state, QStringLiteral("session.foreign_caller"), 3), before + 1);
        // A token that was never issued gets the same answer (and is not an attempt on anyone's session).
        QByteArray never = token;
        never[0] = never.at(0) == 'a' ? 'b' : 'a';
        const Run unknown = probe({QStringLiteral("check"), QStringLiteral("lab.samples.read")}, never, kThirdUid);
        QCOMPARE(unknown.out, third.out);
        // The rightful holder is unaffected.
        QVERIFY(probe({QStringLiteral("check"), QStringLiteral("lab.samples.read")}, token, kNobody)
                    .out.startsWith("denied L4"));
    }
};

QTEST_GUILESS_MAIN(TestTrustBoundary)
#include "tst_trustboundary.moc"
