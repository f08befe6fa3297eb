// gatehousectl with security keys, end to end: the test-only build gatehousectl-test (the CLI
// sources + the software authenticator in its own gh::Client, whose state lives in the file named
// by GATEHOUSE_TEST_SOFTFIDO_STATE) is run with QProcess against the PRODUCTION gatehoused (no test
// seam at all) and a real vault whose key is in the real Secret Service
// (tests/support/with-services.sh). The real libfido2 drives the soft key in the client: the
// ceremony runs at the seat, the service issues challenges and verifies (issue 10 item 6).
// Covers FIDO-01 (RP id shown, attestation), FIDO-02 (login with the key; the challenge is
// single-use over D-Bus too), FIDO-06 (PIN only when the key needs it; tries left), issue 4's "no
// key: one line, exit 3, never a hang", and the trust boundary: the service never opens a key, the
// old device-running D-Bus methods are gone, the production binaries carry no software-key seam.
#include "crypto/primitives.h"
#include "dbusapi.h"
#include "gatehouseclient.h"
#include "securitykey.h"
#include "softfido.h"
#include "vault/keystore.h"
#include "vault/vault.h"

#include <QDBusConnection>
#include <QDBusMessage>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include "privatebus.h"

#include <memory>
#include <string_view>

#include <sys/inotify.h>
#include <unistd.h>

using gh::test::SoftFido;
using gh::test::SoftFidoOptions;

namespace {

const QByteArray kAlicePassword = "correct horse battery staple";

struct Run {
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
    QJsonObject json() const { return QJsonDocument::fromJson(out).object(); }
};

} // namespace

class TestCliFido2 : public QObject {
    Q_OBJECT
    // The CLI reaches the production gatehoused on a bus of this test's own
    // (tests/support/privatebus.h).
    gh::test::PrivateBus m_privateBus{QStringLiteral(GATEHOUSED_PATH)};
    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_vault;
    QString m_state;

    QString keychainEntry() const { return gh::Vault::keychainEntry(gh::Vault::canonicalPath(m_vault)); }

    Run ctl(const QStringList& args, const QByteArray& input = {}) const {
        QProcess process;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("GATEHOUSE_TEST_SOFTFIDO_STATE"), m_state);
        process.setProcessEnvironment(env);
        process.setProgram(QStringLiteral(GATEHOUSECTL_PATH));
        process.setArguments(QStringList{QStringLiteral("--vault"), m_vault} + args);
        process.start();
        if (!process.waitForStarted(10000))
            return {};
        process.write(input);
        process.closeWriteChannel();
        if (!process.waitForFinished(60000)) { // a hang fails the test instead of blocking it
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
    Run alice(const QStringList& command, const QByteArray& extraInput = {}) const {
        return ctl(QStringList{QStringLiteral("--as"), QStringLiteral("alice"), QStringLiteral("--password-stdin")} +
                       command,
                   kAlicePassword + '\n' + extraInput);
    }

    // The key "plugged in" for the next commands.
    bool plugIn(SoftFidoOptions options) const {
        QFile f(m_state);
        return f.open(QIODevice::WriteOnly) && f.write(SoftFido(options).save()) > 0;
    }
    // Changes the saved key's knobs, keeping its credentials and counter.
    bool changeKey(const std::function<void(SoftFidoOptions&)>& change) const {
        QFile in(m_state);
        if (!in.open(QIODevice::ReadOnly))
            return false;
        SoftFido key = SoftFido::load(in.readAll());
        in.close();
        change(key.options());
        QFile out(m_state);
        return out.open(QIODevice::WriteOnly) && out.write(key.save()) > 0;
    }
    bool initAlice() const {
        const Run run =
            ctl({QStringLiteral("init"), QStringLiteral("--admin"), QStringLiteral("alice")}, kAlicePassword + '\n');
        if (run.exitCode != 0)
            qWarning() << "init failed:" << run.exitCode << run.err;
        return run.exitCode == 0;
    }
    static int lines(const QByteArray& text) { return int(text.trimmed().split('\n').size()); }

private Q_SLOTS:
    void initTestCase() { QVERIFY(gh::crypto::initialise()); }
    void init() {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
        m_vault = m_dir->filePath(QStringLiteral("vault.db"));
        m_state = m_dir->filePath(QStringLiteral("softfido.state"));
    }
    void cleanup() {
        // Each test has its own key (state file): the next test's first command starts a fresh
        // gatehoused-test that reads it.
        QVERIFY(m_privateBus.stopService());
        (void)gh::SecretServiceKeyStore().remove(keychainEntry());
        m_dir.reset();
    }

    // add-fido2 registers the key (RP id shown), then login uses it while it is plugged in.
    void addKeyThenSignInWithIt() {
        QVERIFY(initAlice());
        QVERIFY(plugIn({}));
        const Run add = alice({QStringLiteral("factor"), QStringLiteral("add-fido2"), QStringLiteral("--name"),
                               QStringLiteral("Blue key")});
        QVERIFY2(add.exitCode == 0, add.err.constData());
        QVERIFY(add.out.contains("Relying party:"));
        QVERIFY(add.out.contains("gatehouse-"));
        QVERIFY(add.out.contains("packed (self)"));
        QVERIFY(add.err.contains("Touch your security key"));
        // login picks the plugged-in key without any option.
        const Run login = alice({QStringLiteral("--json"), QStringLiteral("login")});
        QVERIFY2(login.exitCode == 0, login.err.constData());
        QCOMPARE(login.json().value(QStringLiteral("aal")).toString(), QStringLiteral("AAL3"));
        QVERIFY(login.json().value(QStringLiteral("factors")).toArray().contains(QJsonValue(QStringLiteral("fido2"))));
        // --fido2 requires it, and factor list shows the key's facts.
        const Run list = alice(
            {QStringLiteral("--fido2"), QStringLiteral("--json"), QStringLiteral("factor"), QStringLiteral("list")});
        QVERIFY2(list.exitCode == 0, list.err.constData());
        bool found = false;
        for (const QJsonValue& v : list.json().value(QStringLiteral("factors")).toArray()) {
            const QJsonObject f = v.toObject();
            if (f.value(QStringLiteral("kind")).toString() == QLatin1String("fido2")) {
                found = true;
                QCOMPARE(f.value(QStringLiteral("label")).toString(), QStringLiteral("Blue key"));
                QCOMPARE(f.value(QStringLiteral("algorithm")).toString(), QStringLiteral("ES256"));
                QVERIFY(!f.value(QStringLiteral("lastUsed")).isNull());
            }
        }
        QVERIFY(found);
        QCOMPARE(list.json().value(QStringLiteral("reachableAal")).toString(), QStringLiteral("AAL3"));
        // The same key again: refused by the key's exclude list (one line, exit 3).
        const Run again = alice({QStringLiteral("factor"), QStringLiteral("add-fido2")});
        QCOMPARE(again.exitCode, 3);
        QVERIFY(again.err.contains("already registered"));
    }

    // No key attached: one line, exit 3, at once, for login, login --fido2 and add-fido2.
    void noKeyIsOneLineAndExit3() {
        QVERIFY(initAlice());
        SoftFidoOptions absent;
        absent.attached = false;
        QVERIFY(plugIn(absent));
        const Run add = alice({QStringLiteral("factor"), QStringLiteral("add-fido2")});
        QCOMPARE(add.exitCode, 3);
        QCOMPARE(lines(add.err), 1);
        QVERIFY2(add.err.contains("No security key found"), add.err.constData());

        QVERIFY(changeKey([](SoftFidoOptions& o) { o.attached = true; }));
        QVERIFY(alice({QStringLiteral("factor"), QStringLiteral("add-fido2")}).exitCode == 0);
        QVERIFY(changeKey([](SoftFidoOptions& o) { o.attached = false; }));
        for (const QStringList& args :
             {QStringList{QStringLiteral("login")}, QStringList{QStringLiteral("--fido2"), QStringLiteral("login")}}) {
            const Run login = alice(args);
            QCOMPARE(login.exitCode, 3);
            QCOMPARE(lines(login.err), 1);
            QVERIFY2(login.err.startsWith("gatehousectl: No security key found"), login.err.constData());
        }
        // JSON names the error for scripts.
        const Run json = alice({QStringLiteral("--json"), QStringLiteral("login")});
        QCOMPARE(json.exitCode, 3);
        QCOMPARE(json.json().value(QStringLiteral("error")).toObject().value(QStringLiteral("code")).toString(),
                 QStringLiteral("key-not-found"));
    }

    // The PIN is read (next stdin line) only when the key needs it; a wrong one says tries left.
    void pinFromStandardInput() {
        QVERIFY(initAlice());
        SoftFidoOptions o;
        o.pinSet = true;
        o.pin = "2468";
        QVERIFY(plugIn(o));
        const Run wrong = alice({QStringLiteral("factor"), QStringLiteral("add-fido2")}, "1111\n");
        QCOMPARE(wrong.exitCode, 3);
        QVERIFY2(wrong.err.contains("7 tries left"), wrong.err.constData());
        const Run none = alice({QStringLiteral("factor"), QStringLiteral("add-fido2")});
        QCOMPARE(none.exitCode, 3);
        QVERIFY2(none.err.contains("needs its PIN"), none.err.constData());
        const Run add = alice({QStringLiteral("factor"), QStringLiteral("add-fido2")}, "2468\n");
        QVERIFY2(add.exitCode == 0, add.err.constData());
        const Run login = alice({QStringLiteral("--json"), QStringLiteral("login")}, "2468\n");
        QVERIFY2(login.exitCode == 0, login.err.constData());
        QVERIFY(
            login.json().value(QStringLiteral("factors")).toArray().contains(QJsonValue(QStringLiteral("fido2-uv"))));
    }

    // ATK-04 (issue 13 item 3), end to end through gatehoused: alice's password path is throttled by
    // someone else's wrong passwords (her right password is refused, exit 5); she signs in with
    // `--security-key` — no password, the key verifies her — at AAL3, and the audit records it. The
    // PIN comes from standard input (never argv); a wrong PIN and a key without UV are refused.
    void ATK04_throttledOwnerSignsInWithSecurityKey() {
        QVERIFY(initAlice());
        SoftFidoOptions o;
        o.pinSet = true;
        o.pin = "2468";
        QVERIFY(plugIn(o));
        QVERIFY2(alice({QStringLiteral("factor"), QStringLiteral("add-fido2")}, "2468\n").exitCode == 0, "add-fido2");
        for (int i = 0; i < 6; ++i)
            (void)ctl({QStringLiteral("--as"), QStringLiteral("alice"), QStringLiteral("--password-stdin"),
                       QStringLiteral("login")},
                      "not alice's password\n");
        const Run refused = alice({QStringLiteral("--json"), QStringLiteral("login")}, "2468\n");
        QCOMPARE(refused.exitCode, 5);
        QCOMPARE(refused.json().value(QStringLiteral("error")).toObject().value(QStringLiteral("code")).toString(),
                 QStringLiteral("throttled"));

        const QStringList keyLogin{QStringLiteral("--as"), QStringLiteral("alice"), QStringLiteral("--security-key"),
                                   QStringLiteral("--json"), QStringLiteral("login")};
        const Run wrongPin = ctl(keyLogin, "1111\n");
        QCOMPARE(wrongPin.exitCode, 3);
        QVERIFY2(wrongPin.err.contains("tries left"), wrongPin.err.constData());
        const Run in = ctl(keyLogin, "2468\n");
        QVERIFY2(in.exitCode == 0, in.err.constData());
        QCOMPARE(in.json().value(QStringLiteral("aal")).toString(), QStringLiteral("AAL3"));
        const QJsonArray factors = in.json().value(QStringLiteral("factors")).toArray();
        QVERIFY(factors.contains(QJsonValue(QStringLiteral("fido2-uv"))));
        QVERIFY(!factors.contains(QJsonValue(QStringLiteral("password"))));
        QCOMPARE(in.json().value(QStringLiteral("restricted")).toBool(), false);
        QVERIFY2(in.json().value(QStringLiteral("notice")).toString().contains(QStringLiteral("security key")),
                 in.out.constData());

        // The audit, read with a key sign-in too: login.passwordless, while the password is throttled.
        const Run audit = ctl({QStringLiteral("--as"), QStringLiteral("alice"), QStringLiteral("--security-key"),
                               QStringLiteral("--json"), QStringLiteral("audit"), QStringLiteral("list"),
                               QStringLiteral("--limit"), QStringLiteral("200")},
                              "2468\n");
        QVERIFY2(audit.exitCode == 0, audit.err.constData());
        bool recorded = false;
        for (const QJsonValue& v : audit.json().value(QStringLiteral("events")).toArray()) {
            const QJsonObject e = v.toObject();
            if (e.value(QStringLiteral("action")).toString() == QLatin1String("login.passwordless") &&
                e.value(QStringLiteral("detail")).toString().contains(QStringLiteral("password path is throttled")))
                recorded = true;
        }
        QVERIFY2(recorded, audit.out.constData());
        // Still throttled for the password: the key took back nothing of the guesses' count.
        QCOMPARE(alice({QStringLiteral("login")}, "2468\n").exitCode, 5);

        // A key that does not verify its user is no way in without the password.
        QVERIFY(changeKey([](SoftFidoOptions& k) {
            k.pinSet = false;
            k.builtInUv = false;
        }));
        const Run noUv = ctl(keyLogin);
        QVERIFY2(noUv.exitCode != 0, noUv.out.constData());
    }

    // The trust boundary (DESIGN.md; issue 10 item 6): the service process never opens a key. It
    // is started with GATEHOUSE_TEST_SOFTFIDO_STATE in its environment (inherited from the CLI that
    // started it), yet while this process signs in with the key through it, nothing opens the
    // key's state file, and the service holds no descriptor of it or of any hidraw node. The
    // software key lives in the client only (FIDO-01/02 are verified by the service, not run).
    void serviceNeverOpensAKey() {
        QVERIFY(initAlice());
        QVERIFY(plugIn({}));
        QVERIFY(alice({QStringLiteral("factor"), QStringLiteral("add-fido2")}).exitCode == 0);
        const qint64 servicePid = m_privateBus.servicePid();
        QVERIFY(servicePid > 0);
        // This process's own client gets a copy of the key in memory (same credentials): from
        // here on only the service could touch the file.
        QFile in(m_state);
        QVERIFY(in.open(QIODevice::ReadOnly));
        SoftFido copy = SoftFido::load(in.readAll());
        in.close();
        const int watch = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
        QVERIFY(watch >= 0);
        QVERIFY(inotify_add_watch(watch, QFile::encodeName(m_state).constData(), IN_OPEN | IN_ACCESS | IN_MODIFY) >= 0);
        gh::Client client;
        client.setSecurityKeyTransport(&copy);
        QVERIFY(client.openVault(m_vault).ok());
        gh::SecureBuffer password(kAlicePassword.constData(), std::size_t(kAlicePassword.size()));
        auto step = client.beginLogin(QStringLiteral("alice"), password, QStringLiteral("tst_cli_fido2"));
        QVERIFY(step && !step->complete);
        auto session = client.completeLoginWithKey(step->pendingId, QString());
        QVERIFY2(session.ok(), qPrintable(gh::describe(session.error())));
        QCOMPARE(session->info.aal, gh::Aal::Aal3);
        char buffer[4096];
        const ssize_t events = ::read(watch, buffer, sizeof buffer);
        ::close(watch);
        QVERIFY2(events < 0, "something opened the key's state file while only the service ran");
        const QString state = QFileInfo(m_state).canonicalFilePath();
        const QDir fds(QStringLiteral("/proc/%1/fd").arg(servicePid));
        QVERIFY(fds.exists());
        for (const QFileInfo& fd : fds.entryInfoList(QDir::AllEntries | QDir::System | QDir::NoDotAndDotDot)) {
            const QString target = fd.symLinkTarget();
            QVERIFY2(target != state && !target.startsWith(QLatin1String("/dev/hidraw")), qPrintable(target));
        }
        QCOMPARE(m_privateBus.servicePid(), servicePid); // the same service all along
    }

    // FIDO-02 over D-Bus: a ceremony id (and the key's answer to it) works once. A second pending
    // login that replays them is refused, and then signs in with a ceremony of its own.
    void replayedCeremonyIsRefusedOverDBus() {
        QVERIFY(initAlice());
        QVERIFY(plugIn({}));
        QVERIFY(alice({QStringLiteral("factor"), QStringLiteral("add-fido2")}).exitCode == 0);
        QFile in(m_state);
        QVERIFY(in.open(QIODevice::ReadOnly));
        SoftFido copy = SoftFido::load(in.readAll());
        gh::Client client;
        client.setSecurityKeyTransport(&copy);
        QVERIFY(client.openVault(m_vault).ok());
        gh::keys::SecurityKeys keys(&copy); // the client's half, driven step by step
        gh::SecureBuffer password(kAlicePassword.constData(), std::size_t(kAlicePassword.size()));
        auto first = client.beginLogin(QStringLiteral("alice"), password, QStringLiteral("tst_cli_fido2"));
        QVERIFY(first && !first->complete);
        auto request = client.beginSecurityKeyAssertion(first->pendingId);
        QVERIFY(request.ok());
        QVERIFY(request->clientDataHash.size() == 32 && !request->allowCredentials.isEmpty());
        auto answer = keys.getAssertion(QString(), *request, nullptr);
        QVERIFY(answer.ok());
        QVERIFY(client.completeLoginWithKeyAssertion(first->pendingId, request->ceremonyId, *answer).ok());
        auto second = client.beginLogin(QStringLiteral("alice"), password, QStringLiteral("tst_cli_fido2"));
        QVERIFY(second && !second->complete);
        auto replay = client.completeLoginWithKeyAssertion(second->pendingId, request->ceremonyId, *answer);
        QVERIFY(!replay.ok());
        QCOMPARE(replay.code(), gh::Errc::KeyRejected);
        QVERIFY(client.completeLoginWithKey(second->pendingId, QString()).ok());
    }

    // The old device-running methods are gone from the service; the new ones check their
    // argument signatures; the production binaries carry no software-key seam.
    void serviceHasNoDeviceMethods() {
        QVERIFY(initAlice());
        QDBusConnection bus = QDBusConnection::connectToBus(m_privateBus.address(), QStringLiteral("probe"));
        QVERIFY(bus.isConnected());
        auto introspect = [&](const QString& path) {
            QDBusMessage m = QDBusMessage::createMethodCall(gh::dbus::kService, path,
                                                            QStringLiteral("org.freedesktop.DBus.Introspectable"),
                                                            QStringLiteral("Introspect"));
            return bus.call(m).arguments().value(0).toString();
        };
        const QString xml = introspect(gh::dbus::kPath);
        QVERIFY(xml.contains(QLatin1String("BeginSecurityKeyEnrollment")));
        QVERIFY(xml.contains(QLatin1String("FinishSecurityKeyEnrollment")));
        QVERIFY(xml.contains(QLatin1String("BeginSecurityKeyAssertion")));
        QVERIFY(xml.contains(QLatin1String("CompleteLoginWithKeyAssertion")));
        for (const char* gone :
             {"\"SecurityKeys\"", "\"CancelSecurityKey\"", "\"EnrollSecurityKey\"", "\"CompleteLoginWithKey\""})
            QVERIFY2(!xml.contains(QLatin1String(gone)), gone);
        QDBusMessage old = QDBusMessage::createMethodCall(gh::dbus::kService, gh::dbus::kPath, gh::dbus::kManager,
                                                          QStringLiteral("SecurityKeys"));
        QCOMPARE(bus.call(old).type(), QDBusMessage::ErrorMessage);
        // A wrong signature (the attestation as a string) is refused before the facade sees it.
        QDBusMessage wrong = QDBusMessage::createMethodCall(gh::dbus::kService, gh::dbus::kPath, gh::dbus::kFactors,
                                                            QStringLiteral("FinishSecurityKeyEnrollment"));
        wrong.setArguments({QByteArray("token"), QStringLiteral("id"), QStringLiteral("not a map")});
        const QDBusMessage reply = bus.call(wrong);
        QCOMPARE(reply.type(), QDBusMessage::ErrorMessage);
        QVERIFY2(reply.errorName().startsWith(gh::dbus::kErrorPrefix) ||
                     reply.errorName() == QLatin1String("org.freedesktop.DBus.Error.InvalidArgs"),
                 qPrintable(reply.errorName()));
        QDBusConnection::disconnectFromBus(QStringLiteral("probe"));
        for (const char* program : {GATEHOUSED_PATH, GATEHOUSED_TEST_PATH, GATEHOUSECTL_PRODUCTION_PATH}) {
            QFile f(QString::fromLocal8Bit(program));
            QVERIFY(f.open(QIODevice::ReadOnly));
            const QByteArray image = f.readAll();
            QVERIFY2(!image.contains("GATEHOUSE_TEST_SOFTFIDO_STATE") && !image.contains("SoftFIDO"), program);
            // The services do not even import libfido2's device calls: verification only.
            if (program != std::string_view(GATEHOUSECTL_PRODUCTION_PATH))
                for (const char* call : {"fido_dev_open", "fido_dev_make_cred", "fido_dev_get_assert",
                                         "fido_dev_info_manifest", "fido_dev_set_io_functions"})
                    QVERIFY2(
                        !image.contains(call),
                        qPrintable(
                            QStringLiteral("%1 uses %2").arg(QString::fromLocal8Bit(program), QLatin1String(call))));
        }
    }

    void usageErrors_data() {
        QTest::addColumn<QStringList>("args");
        QTest::newRow("--fido2 with --otp") << QStringList{QStringLiteral("--fido2"), QStringLiteral("--otp"),
                                                           QStringLiteral("123456"), QStringLiteral("login")};
        QTest::newRow("--device outside add-fido2")
            << QStringList{QStringLiteral("--device"), QStringLiteral("/dev/hidraw0"), QStringLiteral("login")};
        QTest::newRow("--fido2 on status") << QStringList{QStringLiteral("--fido2"), QStringLiteral("status")};
        QTest::newRow("add-fido2 extra word")
            << QStringList{QStringLiteral("factor"), QStringLiteral("add-fido2"), QStringLiteral("x")};
        QTest::newRow("--security-key with --fido2")
            << QStringList{QStringLiteral("--security-key"), QStringLiteral("--fido2"), QStringLiteral("login")};
        QTest::newRow("--security-key with --otp-stdin")
            << QStringList{QStringLiteral("--security-key"), QStringLiteral("--otp-stdin"), QStringLiteral("login")};
        QTest::newRow("--security-key for passwd")
            << QStringList{QStringLiteral("--security-key"), QStringLiteral("passwd")};
        QTest::newRow("--security-key on status")
            << QStringList{QStringLiteral("--security-key"), QStringLiteral("status")};
    }
    void usageErrors() {
        QFETCH(QStringList, args);
        const Run run = ctl(QStringList{QStringLiteral("--as"), QStringLiteral("alice")} + args);
        QCOMPARE(run.exitCode, 2);
    }
};

QTEST_GUILESS_MAIN(TestCliFido2)
#include "tst_cli_fido2.moc"
