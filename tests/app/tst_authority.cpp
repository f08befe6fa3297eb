// io.gatehouse.Authority1 through the real service on a private bus (issue 11): gatehoused-test
// with a file clock, declarations in a temporary $XDG_DATA_DIRS (one of them malformed, which
// loads nothing while the others work), an administrator (password + TOTP) driving gh::Client,
// and an "application": a D-Bus connection of its own that holds an application token. Checks:
// IssueAppToken binds the token to the application's connection and scope; CheckPermission allows
// a held permission and denies a missing one (L4, the reason names it) and one never asked for; an
// administrator's role change reaches the application as Authority1.PermissionsChanged and the
// next check answers the new way; `sessions revoke` reaches it as Authority1.SessionEnded and the
// next check is L3; the token is refused on Gatehouse's own interfaces (audited in L4);
// WhoIsSignedIn; EndSession; application sessions count toward the per-account session limit.
// SECURITY.md AC-01, AC-04, AUD-01, SES-02, SES-07.
// agentSignIn: RequestSignIn through a fake agent (a connection of its own exporting
// io.gatehouse.AuthorityAgent1): NoAgent with none registered, InvalidArgument for an undeclared
// permission before anyone is asked, Cancelled and Denied from the prompt, Denied for a person
// who holds none of the asked permissions, StepUpRequired to the agent for a stale sign-in (the
// request keeps waiting), the token after a fresh one (bound to the application: another uid's
// connection cannot use it), Timeout (a short injected timeout; the agent hears CancelSignIn),
// and NoAgent when the agent's connection goes away while a prompt is open. Each outcome is
// audited as authority.signin (L3 or L4). SECURITY.md AC-01, AC-04, AUD-01, SES-04.
// readmeBusctlLines: the README's busctl lines, run by sh as written.
#include "dbusapi.h"
#include "fileclock.h"
#include "gatehouseclient.h"
#include "marshal.h"
#include "privatebus.h"
#include "verification/totp.h"

#include <QDBusConnection>
#include <QDBusMessage>
#include <QDBusObjectPath>
#include <QDBusPendingCall>
#include <QElapsedTimer>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

using namespace gh;

namespace {
const QByteArray kPassword = "correct horse battery staple";
const QByteArray kBobPassword = "a passphrase of my own 42";

bool writeFile(const QString& path, const QByteArray& content) {
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(content) == content.size();
}
} // namespace

// What the application hears.
class AppSignals : public QObject {
    Q_OBJECT
public:
    QStringList ended;   // "id|reason"
    QStringList changed; // ids
public Q_SLOTS:
    void onEnded(const QString& id, const QString& reason) { ended << id + QLatin1Char('|') + reason; }
    void onChanged(const QString& id) { changed << id; }
};

// A Gatehouse window as the daemon sees it: io.gatehouse.AuthorityAgent1 on /agent.
class FakeAgent : public QObject {
    Q_OBJECT
    Q_CLASSINFO("D-Bus Interface", "io.gatehouse.AuthorityAgent1")
public:
    QStringList begun;                    // request ids, in order
    QHash<QString, QVariantMap> requests; // id → what the prompt would show
    QStringList cancelled;
public Q_SLOTS:
    void BeginSignIn(const QString& id, const QVariantMap& request) {
        begun << id;
        requests.insert(id, request);
    }
    void CancelSignIn(const QString& id) { cancelled << id; }
};

class TestAuthority : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    std::unique_ptr<test::PrivateBus> m_bus;
    std::unique_ptr<test::FileClock> m_clock;
    Client m_client;
    QString m_vault;
    QString m_object;
    std::optional<SecureBuffer> m_seed;
    TotpParams m_params;
    Session m_alice;
    AppSignals m_heard;

    QDBusConnection app() { return QDBusConnection::connectToBus(m_bus->address(), QStringLiteral("sample-register")); }
    QDBusConnection agentBus() { return QDBusConnection::connectToBus(m_bus->address(), QStringLiteral("agent")); }
    FakeAgent m_agent;

    // The application's RequestSignIn, waiting for its answer while the event loop runs.
    QDBusPendingCall requestSignIn(const QStringList& permissions) {
        QDBusMessage m =
            QDBusMessage::createMethodCall(dbus::kService, m_object, dbus::kAuthority, QStringLiteral("RequestSignIn"));
        m.setArguments({QStringLiteral("lab"), QStringLiteral("Open the sample register"), permissions});
        return app().asyncCall(m, 60000);
    }
    // The next prompt the fake agent was asked to show.
    QString nextPrompt(int before) {
        if (!QTest::qWaitFor([&] { return m_agent.begun.size() > before; }, 10000))
            return {};
        return m_agent.begun.at(before);
    }
    static QString errorOf(QDBusPendingCall& call) {
        if (!QTest::qWaitFor([&] { return call.isFinished(); }, 20000))
            return QStringLiteral("(no answer)");
        return call.isError() ? call.error().name() : QStringLiteral("(reply)");
    }

    QDBusMessage call(QDBusConnection c, const QString& iface, const QString& member, const QVariantList& args) {
        QDBusMessage m = QDBusMessage::createMethodCall(dbus::kService, m_object, iface, member);
        m.setArguments(args);
        return c.call(m, QDBus::Block, 60000);
    }

    SecureBuffer nextCode() {
        m_clock->advance(30);
        return SecureBuffer::fromUtf8(totp::generate(*m_seed, m_clock->nowSecs(), m_params));
    }

    // (allowed, layer, reason)
    std::tuple<bool, QString, QString> check(const QByteArray& token, const QString& permission) {
        const QDBusMessage r = call(app(), dbus::kAuthority, QStringLiteral("CheckPermission"), {token, permission});
        if (r.type() != QDBusMessage::ReplyMessage)
            return {false, r.errorName(), r.errorMessage()};
        return {r.arguments().value(0).toBool(), r.arguments().value(1).toString(), r.arguments().value(2).toString()};
    }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        QVERIFY(totp::initialise());
        const QString share = m_dir.filePath(QStringLiteral("share"));
        QVERIFY(writeFile(share + QStringLiteral("/gatehouse/permissions/lab.conf"),
                          "lab.samples.read  | See the sample register |\n"
                          "lab.samples.write | Add and edit samples    | audited\n"));
        QVERIFY(writeFile(share + QStringLiteral("/gatehouse/permissions/broken.conf"),
                          "broken.read | fine |\nbroken.write | one field too few\n"));
        qputenv("XDG_DATA_DIRS", share.toUtf8());
        m_clock = std::make_unique<test::FileClock>(m_dir.filePath(QStringLiteral("clock")));
        m_clock->reset();
        qputenv("GATEHOUSE_TEST_CLOCK", m_dir.filePath(QStringLiteral("clock")).toUtf8());
        qputenv("GATEHOUSE_TEST_AGENT_TIMEOUT_MS", "1500"); // agentSignIn's Timeout
        m_bus = std::make_unique<test::PrivateBus>(QStringLiteral(GATEHOUSED_TEST_PATH));
        QVERIFY(m_bus->ok());
        // The default vault (served on /io/gatehouse/Gatehouse1, as the README's busctl lines use).
        qputenv("XDG_DATA_HOME", m_dir.filePath(QStringLiteral("data")).toUtf8());
        m_vault = m_dir.filePath(QStringLiteral("data/gatehouse/vault.db"));
        QVERIFY(m_client.createVault(m_vault).ok());
        QVERIFY(
            m_client.createFirstAdmin(QStringLiteral("alice"), SecureBuffer::fromUtf8(QString::fromLatin1(kPassword)))
                .ok());
        // alice: password + TOTP, stepped up (AAL2, fresh): she may create and assign roles.
        auto s = m_client.login(QStringLiteral("alice"), SecureBuffer::fromUtf8(QString::fromLatin1(kPassword)),
                                QStringLiteral("tst_authority"));
        QVERIFY(s.ok());
        auto enrollment = m_client.beginTotpEnrollment(*s, QStringLiteral("phone"));
        QVERIFY(enrollment.ok());
        m_seed = totp::base32Decode(
            QString::fromLatin1(enrollment->secretBase32.chars(), qsizetype(enrollment->secretBase32.size())));
        QVERIFY(m_seed.has_value());
        m_params = enrollment->params;
        QVERIFY(
            m_client.confirmTotp(*s, enrollment->factorId, totp::generate(*m_seed, m_clock->nowSecs(), m_params)).ok());
        const SecureBuffer code = nextCode();
        QVERIFY(
            m_client.stepUp(*s, SecureBuffer::fromUtf8(QString::fromLatin1(kPassword)), FactorKind::Totp, &code).ok());
        m_alice = std::move(*s);
        // The application's connection opens the vault as any client does.
        QDBusMessage open =
            QDBusMessage::createMethodCall(dbus::kService, dbus::kPath, dbus::kManager, QStringLiteral("OpenVault"));
        open.setArguments({m_vault, QByteArray(), false});
        const QDBusMessage opened = app().call(open, QDBus::Block, 60000);
        QCOMPARE(opened.type(), QDBusMessage::ReplyMessage);
        m_object = opened.arguments().value(0).value<QDBusObjectPath>().path();
        QVERIFY(app().connect(QString(), m_object, dbus::kAuthority, QStringLiteral("SessionEnded"), &m_heard,
                              SLOT(onEnded(QString, QString))));
        QVERIFY(app().connect(QString(), m_object, dbus::kAuthority, QStringLiteral("PermissionsChanged"), &m_heard,
                              SLOT(onChanged(QString))));
    }

    void cleanupTestCase() {
        QDBusConnection::disconnectFromBus(QStringLiteral("sample-register"));
        QDBusConnection::disconnectFromBus(QStringLiteral("agent"));
        m_bus.reset();
    }

    void applicationFlow() {
        // Roles that hold the application's permissions; an undeclared name is refused, and so is
        // one of the malformed file (it loaded nothing).
        QVERIFY(m_client.createRole(m_alice, QStringLiteral("lab-reader"), {QStringLiteral("lab.samples.read")}).ok());
        QVERIFY(m_client
                    .createRole(m_alice, QStringLiteral("lab-writer"),
                                {QStringLiteral("lab.samples.read"), QStringLiteral("lab.samples.write")})
                    .ok());
        const Status undeclared =
            m_client.createRole(m_alice, QStringLiteral("lab-x"), {QStringLiteral("lab.samples.fly")});
        QCOMPARE(undeclared.code(), Errc::InvalidArgument);
        QVERIFY2(undeclared.error().detail.contains(QStringLiteral("lab.samples.fly")),
                 qPrintable(undeclared.error().detail));
        QCOMPARE(m_client.createRole(m_alice, QStringLiteral("broken-x"), {QStringLiteral("broken.read")}).code(),
                 Errc::InvalidArgument);

        // bob, a lab reader, signed in (his own password).
        auto temp = m_client.addUser(m_alice, QStringLiteral("bob"), QStringLiteral("lab-reader"));
        QVERIFY(temp.ok());
        auto bob = m_client.login(QStringLiteral("bob"), *temp, QStringLiteral("tst_authority"));
        QVERIFY(bob.ok());
        QVERIFY(m_client.changePassword(*bob, *temp, SecureBuffer::fromUtf8(QString::fromLatin1(kBobPassword))).ok());
        const QByteArray bobToken(bob->secret.chars(), qsizetype(bob->secret.size()));

        // The application gets its token (bound to its connection for signals).
        const QDBusMessage issued =
            call(app(), dbus::kAuthority, QStringLiteral("IssueAppToken"),
                 {bobToken, QStringLiteral("lab"),
                  QStringList{QStringLiteral("lab.samples.read"), QStringLiteral("lab.samples.write")}});
        QVERIFY2(issued.type() == QDBusMessage::ReplyMessage, qPrintable(issued.errorMessage()));
        const QString appSession = wire::mapOf(issued.arguments().value(0)).value(QStringLiteral("id")).toString();
        const QByteArray token = issued.arguments().value(1).toByteArray();
        QCOMPARE(token.size(), 32);
        QVERIFY(token != bobToken);
        // Not a permission of the app: refused at issue.
        QCOMPARE(call(app(), dbus::kAuthority, QStringLiteral("IssueAppToken"),
                      {bobToken, QStringLiteral("lab"), QStringList{QStringLiteral("users.manage")}})
                     .errorName(),
                 wire::errorName(Errc::InvalidArgument));

        auto [readOk, readLayer, readWhy] = check(token, QStringLiteral("lab.samples.read"));
        QVERIFY2(readOk, qPrintable(readWhy));
        QCOMPARE(readLayer, QStringLiteral("L4"));
        auto [writeOk, writeLayer, writeWhy] = check(token, QStringLiteral("lab.samples.write"));
        QVERIFY(!writeOk);
        QCOMPARE(writeLayer, QStringLiteral("L4"));
        QVERIFY2(writeWhy.contains(QStringLiteral("missing permission lab.samples.write")), qPrintable(writeWhy));
        auto [otherOk, otherLayer, otherWhy] = check(token, QStringLiteral("lab.samples.delete"));
        QVERIFY(!otherOk);
        QCOMPARE(otherLayer, QStringLiteral("L4"));
        QVERIFY2(otherWhy.contains(QStringLiteral("did not ask for lab.samples.delete")), qPrintable(otherWhy));

        // WhoIsSignedIn.
        const QDBusMessage who = call(app(), dbus::kAuthority, QStringLiteral("WhoIsSignedIn"), {token});
        QCOMPARE(who.type(), QDBusMessage::ReplyMessage);
        const QVariantMap w = wire::mapOf(who.arguments().value(0));
        QCOMPARE(w.value(QStringLiteral("username")).toString(), QStringLiteral("bob"));
        QCOMPARE(w.value(QStringLiteral("app_id")).toString(), QStringLiteral("lab"));
        QCOMPARE(w.value(QStringLiteral("session_id")).toString(), appSession);
        QCOMPARE(w.value(QStringLiteral("roles")).toStringList(), QStringList{QStringLiteral("lab-reader")});
        QCOMPARE(w.value(QStringLiteral("permissions")).toStringList(),
                 QStringList{QStringLiteral("lab.samples.read")});
        QCOMPARE(w.value(QStringLiteral("aal")).toString(), QStringLiteral("AAL1"));
        QVERIFY(w.value(QStringLiteral("absolute_left_secs")).toLongLong() > 0);

        // The application's token reaches none of Gatehouse's own interfaces.
        const QDBusMessage own = call(app(), dbus::kRoles, QStringLiteral("PermissionsOf"), {token});
        QCOMPARE(own.errorName(), wire::errorName(Errc::NotPermitted));
        QVERIFY(call(app(), dbus::kLogin, QStringLiteral("Validate"), {token}).type() == QDBusMessage::ErrorMessage);

        // An administrator's role change reaches the application at once, and the next check.
        QVERIFY(m_client.assignRole(m_alice, QStringLiteral("bob"), QStringLiteral("lab-writer")).ok());
        QVERIFY(QTest::qWaitFor([&] { return m_heard.changed.contains(appSession); }, 10000));
        auto [write2Ok, write2Layer, write2Why] = check(token, QStringLiteral("lab.samples.write"));
        QVERIFY2(write2Ok, qPrintable(write2Why));
        // A change that does not touch bob's permissions is not announced to the application.
        m_heard.changed.clear();
        QVERIFY(m_client.createRole(m_alice, QStringLiteral("unrelated"), {QStringLiteral("status.read")}).ok());
        QVERIFY(m_client.updateRole(m_alice, QStringLiteral("unrelated"), {}).ok());
        QTest::qWait(200);
        QVERIFY(!m_heard.changed.contains(appSession));

        // `sessions revoke` of the application's session reaches it as SessionEnded; then L3.
        QElapsedTimer timer;
        timer.start();
        QVERIFY(m_client.revokeSession(m_alice, appSession).ok());
        QVERIFY(QTest::qWaitFor(
            [&] {
                for (const QString& e : m_heard.ended)
                    if (e.startsWith(appSession + QLatin1Char('|')))
                        return true;
                return false;
            },
            10000));
        qInfo("revoke → SessionEnded: %lld ms", timer.elapsed());
        auto [endedOk, endedLayer, endedWhy] = check(token, QStringLiteral("lab.samples.read"));
        QVERIFY(!endedOk);
        QCOMPARE(endedLayer, QStringLiteral("L3"));
        // bob's own session goes on.
        QVERIFY(m_client.validate(*bob).ok());

        // EndSession by the application itself.
        const QDBusMessage again =
            call(app(), dbus::kAuthority, QStringLiteral("IssueAppToken"),
                 {bobToken, QStringLiteral("lab"), QStringList{QStringLiteral("lab.samples.read")}});
        QCOMPARE(again.type(), QDBusMessage::ReplyMessage);
        const QByteArray token2 = again.arguments().value(1).toByteArray();
        QVERIFY(std::get<0>(check(token2, QStringLiteral("lab.samples.read"))));
        QCOMPARE(call(app(), dbus::kAuthority, QStringLiteral("EndSession"), {token2}).type(),
                 QDBusMessage::ReplyMessage);
        QCOMPARE(std::get<1>(check(token2, QStringLiteral("lab.samples.read"))), QStringLiteral("L3"));
        QVERIFY(m_client.validate(*bob).ok());

        // Denials are in the audit log (L4 with the permission; L4 for the token on Roles).
        auto events = m_client.recentAudit(m_alice, 200);
        QVERIFY(events.ok());
        bool deniedWrite = false, deniedOwn = false;
        for (const AuditEvent& e : *events) {
            deniedWrite =
                deniedWrite || (e.action == QLatin1String("authority.check") && e.layer == Layer::Access &&
                                e.outcome == Outcome::Denied && e.subject == QLatin1String("lab.samples.write"));
            deniedOwn = deniedOwn || (e.action == QLatin1String("access.denied") &&
                                      e.detail.contains(QStringLiteral("token of application lab")));
        }
        QVERIFY(deniedWrite);
        QVERIFY(deniedOwn);
    }

    void agentSignIn() {
        const QString err = dbus::kErrorPrefix;
        const QStringList both{QStringLiteral("lab.samples.read"), QStringLiteral("lab.samples.write")};
        // No agent yet.
        QDBusPendingCall none = requestSignIn(both);
        QCOMPARE(errorOf(none), err + QStringLiteral("NoAgent"));

        // The agent registers (its own uid; an object path of its own).
        QVERIFY(agentBus().registerObject(QStringLiteral("/agent"), &m_agent, QDBusConnection::ExportAllSlots));
        const QDBusMessage reg = call(agentBus(), dbus::kAuthority, QStringLiteral("RegisterAgent"),
                                      {QVariant::fromValue(QDBusObjectPath(QStringLiteral("/agent")))});
        QVERIFY2(reg.type() == QDBusMessage::ReplyMessage, qPrintable(reg.errorMessage()));

        // An undeclared permission is refused before anyone is asked.
        QDBusPendingCall undeclared = requestSignIn({QStringLiteral("lab.samples.fly")});
        QCOMPARE(errorOf(undeclared), wire::errorName(Errc::InvalidArgument));
        QVERIFY(m_agent.begun.isEmpty());

        // Cancel in the prompt → Cancelled; the prompt got the declarations.
        QDBusPendingCall cancelled = requestSignIn(both);
        const QString id1 = nextPrompt(0);
        QVERIFY(!id1.isEmpty());
        const QVariantMap shown = m_agent.requests.value(id1);
        QCOMPARE(shown.value(QStringLiteral("app_id")).toString(), QStringLiteral("lab"));
        QCOMPARE(shown.value(QStringLiteral("reason")).toString(), QStringLiteral("Open the sample register"));
        QCOMPARE(shown.value(QStringLiteral("permissions")).toStringList(), both);
        QCOMPARE(shown.value(QStringLiteral("descriptions")).toStringList(),
                 (QStringList{QStringLiteral("See the sample register"), QStringLiteral("Add and edit samples")}));
        // Only the agent the request went to may answer it.
        QCOMPARE(call(app(), dbus::kAuthority, QStringLiteral("AgentCancelled"), {id1, false}).errorName(),
                 wire::errorName(Errc::InvalidArgument));
        QCOMPARE(call(agentBus(), dbus::kAuthority, QStringLiteral("AgentCancelled"), {id1, false}).type(),
                 QDBusMessage::ReplyMessage);
        QCOMPARE(errorOf(cancelled), err + QStringLiteral("Cancelled"));

        // Deny in the prompt → Denied.
        QDBusPendingCall refused = requestSignIn(both);
        const QString id2 = nextPrompt(1);
        QCOMPARE(call(agentBus(), dbus::kAuthority, QStringLiteral("AgentCancelled"), {id2, true}).type(),
                 QDBusMessage::ReplyMessage);
        QCOMPARE(errorOf(refused), err + QStringLiteral("Denied"));

        // carol signs in but holds none of them → Denied; the agent hears why.
        auto temp = m_client.addUser(m_alice, QStringLiteral("carol"), QString());
        QVERIFY2(temp.ok(), qPrintable(describe(temp.error())));
        auto carol = m_client.login(QStringLiteral("carol"), *temp, QStringLiteral("tst_authority"));
        QVERIFY(carol.ok());
        QVERIFY(m_client.changePassword(*carol, *temp, SecureBuffer::fromUtf8(QStringLiteral("carol's own 42 words")))
                    .ok());
        QDBusPendingCall carolAsks = requestSignIn(both);
        const QString id3 = nextPrompt(2);
        const QDBusMessage carolAnswer =
            call(agentBus(), dbus::kAuthority, QStringLiteral("AgentResponse"),
                 {id3, QByteArray(carol->secret.chars(), qsizetype(carol->secret.size()))});
        QVERIFY2(carolAnswer.type() == QDBusMessage::ReplyMessage, qPrintable(carolAnswer.errorMessage()));
        QCOMPARE(carolAnswer.arguments().value(0).toBool(), false);
        QVERIFY2(carolAnswer.arguments().value(1).toString().contains(QStringLiteral("holds none")),
                 qPrintable(carolAnswer.arguments().value(1).toString()));
        QCOMPARE(errorOf(carolAsks), err + QStringLiteral("Denied"));

        // bob's sign-in is stale: the agent is told to step up and the request keeps waiting;
        // after the step-up the application gets its token.
        auto bob = m_client.login(QStringLiteral("bob"), SecureBuffer::fromUtf8(QString::fromLatin1(kBobPassword)),
                                  QStringLiteral("tst_authority"));
        QVERIFY(bob.ok());
        m_clock->advance(6 * 60);
        QDBusPendingCall bobAsks = requestSignIn(both);
        const QString id4 = nextPrompt(3);
        const QByteArray bobToken(bob->secret.chars(), qsizetype(bob->secret.size()));
        QCOMPARE(call(agentBus(), dbus::kAuthority, QStringLiteral("AgentResponse"), {id4, bobToken}).errorName(),
                 wire::errorName(Errc::StepUpRequired));
        QVERIFY(!bobAsks.isFinished());
        QVERIFY(m_client.stepUp(*bob, SecureBuffer::fromUtf8(QString::fromLatin1(kBobPassword))).ok());
        const QDBusMessage bobAnswer = call(agentBus(), dbus::kAuthority, QStringLiteral("AgentResponse"),
                                            {id4, QByteArray(bob->secret.chars(), qsizetype(bob->secret.size()))});
        QVERIFY2(bobAnswer.type() == QDBusMessage::ReplyMessage, qPrintable(bobAnswer.errorMessage()));
        QVERIFY(bobAnswer.arguments().value(0).toBool());
        QVERIFY(QTest::qWaitFor([&] { return bobAsks.isFinished(); }, 10000));
        QVERIFY2(!bobAsks.isError(), qPrintable(bobAsks.error().message()));
        const QDBusMessage got = bobAsks.reply();
        const QByteArray appToken = got.arguments().value(1).toByteArray();
        QCOMPARE(appToken.size(), 32);
        QCOMPARE(wire::mapOf(got.arguments().value(0)).value(QStringLiteral("username")).toString(),
                 QStringLiteral("bob"));
        auto [readOk, readLayer, readWhy] = check(appToken, QStringLiteral("lab.samples.read"));
        QVERIFY2(readOk, qPrintable(readWhy));
        // The agent's connection is not the application's: the token's signals go to the
        // application (WhoIsSignedIn from it works; the session is the application's).
        const QDBusMessage who = call(app(), dbus::kAuthority, QStringLiteral("WhoIsSignedIn"), {appToken});
        QCOMPARE(wire::mapOf(who.arguments().value(0)).value(QStringLiteral("app_id")).toString(),
                 QStringLiteral("lab"));
        QCOMPARE(call(app(), dbus::kAuthority, QStringLiteral("EndSession"), {appToken}).type(),
                 QDBusMessage::ReplyMessage);

        // Nobody answers: Timeout (1.5 s injected), and the prompt is told to close.
        QDBusPendingCall late = requestSignIn(both);
        const QString id5 = nextPrompt(4);
        QCOMPARE(errorOf(late), err + QStringLiteral("Timeout"));
        QVERIFY(QTest::qWaitFor([&] { return m_agent.cancelled.contains(id5); }, 5000));

        // The agent goes away while a prompt is open: NoAgent, and its registration is gone.
        QDBusPendingCall orphan = requestSignIn(both);
        QVERIFY(!nextPrompt(5).isEmpty());
        QDBusConnection::disconnectFromBus(QStringLiteral("agent"));
        QCOMPARE(errorOf(orphan), err + QStringLiteral("NoAgent"));
        QDBusPendingCall after = requestSignIn(both);
        QCOMPARE(errorOf(after), err + QStringLiteral("NoAgent"));

        // Each outcome is in the audit log.
        auto events = m_client.recentAudit(m_alice, 300);
        QVERIFY(events.ok());
        QStringList outcomes;
        for (const AuditEvent& e : *events)
            if (e.action == QLatin1String("authority.signin"))
                outcomes << QStringLiteral("%1 %2 %3")
                                .arg(layerName(e.layer),
                                     e.outcome == Outcome::Allowed ? QStringLiteral("allowed")
                                                                   : QStringLiteral("denied"),
                                     e.detail);
        const QString all = outcomes.join(u'\n');
        for (const char* needle : {"L3 denied application lab (lab.samples.read,lab.samples.write) asked by", "NoAgent",
                                   "Cancelled", "L4 denied", "holds none", "Timeout", "L4 allowed"})
            QVERIFY2(all.contains(QLatin1String(needle)),
                     qPrintable(QLatin1String(needle) + QStringLiteral(" in:\n") + all));
    }

    // Issue 11: an application's session counts toward its person's session limit (SES-07) and an
    // IssueAppToken beyond it behaves as a new sign-in would: refused (SessionLimitReached,
    // audited) or, with end-oldest, the person's oldest live session ends — here erin's own.
    void appTokensCountTowardTheSessionLimit() {
        // alice confirms it is her again (the tests before moved the clock past her freshness).
        const SecureBuffer code = nextCode();
        QVERIFY(
            m_client.stepUp(m_alice, SecureBuffer::fromUtf8(QString::fromLatin1(kPassword)), FactorKind::Totp, &code)
                .ok());
        auto temp = m_client.addUser(m_alice, QStringLiteral("erin"), QStringLiteral("lab-reader"));
        QVERIFY2(temp.ok(), qPrintable(temp.ok() ? QString() : describe(temp.error())));
        auto first = m_client.login(QStringLiteral("erin"), *temp, QStringLiteral("tst_authority"));
        QVERIFY(first.ok());
        const SecureBuffer own = SecureBuffer::fromUtf8(QStringLiteral("erin's own passphrase 77"));
        QVERIFY(m_client.changePassword(*first, *temp, own.clone()).ok()); // one live session, unrestricted
        Session erin = std::move(*first);
        const QByteArray erinToken(erin.secret.chars(), qsizetype(erin.secret.size()));
        const auto issue = [&] {
            return call(app(), dbus::kAuthority, QStringLiteral("IssueAppToken"),
                        {erinToken, QStringLiteral("lab"), QStringList{QStringLiteral("lab.samples.read")}});
        };

        QVERIFY(m_client.setSessionLimit(m_alice, SessionLimit{2, SessionLimitMode::Refuse}).ok());
        const QDBusMessage one = issue();
        QVERIFY2(one.type() == QDBusMessage::ReplyMessage, qPrintable(one.errorMessage()));
        const QByteArray appToken = one.arguments().value(1).toByteArray();
        const QDBusMessage refused = issue(); // erin's session + one application's = the limit
        QCOMPARE(refused.errorName(), wire::errorName(Errc::SessionLimitReached));
        QVERIFY(m_client.validate(erin).ok());
        QVERIFY(std::get<0>(check(appToken, QStringLiteral("lab.samples.read"))));

        // End-oldest: the new application session is issued and erin's oldest session (her own,
        // signed in before the first token) ends; the first token goes on.
        QVERIFY(m_client.setSessionLimit(m_alice, SessionLimit{2, SessionLimitMode::EndOldest}).ok());
        const QDBusMessage two = issue();
        QVERIFY2(two.type() == QDBusMessage::ReplyMessage, qPrintable(two.errorMessage()));
        const auto gone = m_client.validate(erin);
        QVERIFY2(gone.code() == Errc::SessionInvalid,
                 qPrintable(gone.ok() ? QStringLiteral("live") : gone.error().detail));
        QVERIFY(std::get<0>(check(appToken, QStringLiteral("lab.samples.read"))));
        QVERIFY(std::get<0>(check(two.arguments().value(1).toByteArray(), QStringLiteral("lab.samples.read"))));

        auto events = m_client.recentAudit(m_alice, 200);
        QVERIFY(events.ok());
        bool refusedAudited = false, endedAudited = false;
        for (const AuditEvent& e : *events) {
            refusedAudited = refusedAudited ||
                             (e.action == QLatin1String("session.limit_reached") && e.subject == QLatin1String("erin"));
            endedAudited = endedAudited || (e.action == QLatin1String("session.limit_ended_oldest") &&
                                            e.subject == QLatin1String("erin"));
        }
        QVERIFY(refusedAudited);
        QVERIFY(endedAudited);
        QVERIFY(m_client.setSessionLimit(m_alice, SessionLimit{0, SessionLimitMode::Refuse}).ok());
    }

    // The README's three shell lines ("Other applications"), run as written by sh against the
    // default vault on this bus: busctl's RequestSignIn waits for the agent's answer and prints the
    // token's 32 bytes; the CheckPermission line with those bytes answers true, L4.
    void readmeBusctlLines() {
        QFile readme(QStringLiteral(GATEHOUSE_SOURCE_DIR "/README.md"));
        QVERIFY(readme.open(QIODevice::ReadOnly));
        const QString text = QString::fromUtf8(readme.readAll());
        const qsizetype at = text.indexOf(QStringLiteral("A=\"io.gatehouse.Gatehouse1 "));
        QVERIFY(at > 0);
        const QStringList lines =
            text.mid(at, text.indexOf(QStringLiteral("```"), at) - at).split(u'\n', Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 3);
        QVERIFY(lines.at(1).contains(QStringLiteral("RequestSignIn")));
        QVERIFY(lines.at(2).contains(QStringLiteral("CheckPermission")));

        // An agent again (agentSignIn's went away), and frank, who holds lab.samples.read.
        const QDBusConnection agent = QDBusConnection::connectToBus(m_bus->address(), QStringLiteral("agent2"));
        QVERIFY(
            QDBusConnection(agent).registerObject(QStringLiteral("/agent"), &m_agent, QDBusConnection::ExportAllSlots));
        QCOMPARE(call(agent, dbus::kAuthority, QStringLiteral("RegisterAgent"),
                      {QVariant::fromValue(QDBusObjectPath(QStringLiteral("/agent")))})
                     .type(),
                 QDBusMessage::ReplyMessage);
        auto temp = m_client.addUser(m_alice, QStringLiteral("frank"), QStringLiteral("lab-reader"));
        QVERIFY(temp.ok());
        auto frank = m_client.login(QStringLiteral("frank"), *temp, QStringLiteral("tst_authority"));
        QVERIFY(frank.ok());
        QVERIFY(
            m_client.changePassword(*frank, *temp, SecureBuffer::fromUtf8(QStringLiteral("frank's own words 5"))).ok());

        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"), m_bus->address());
        QProcess ask;
        ask.setProcessEnvironment(env);
        ask.start(QStringLiteral("sh"), {QStringLiteral("-c"), lines.at(0) + u'\n' + lines.at(1)});
        QVERIFY(ask.waitForStarted());
        const QString id = nextPrompt(int(m_agent.begun.size()));
        QVERIFY(!id.isEmpty());
        QCOMPARE(m_agent.requests.value(id).value(QStringLiteral("reason")).toString(),
                 QStringLiteral("Label the samples"));
        const QDBusMessage answered = call(agent, dbus::kAuthority, QStringLiteral("AgentResponse"),
                                           {id, QByteArray(frank->secret.chars(), qsizetype(frank->secret.size()))});
        QVERIFY2(answered.type() == QDBusMessage::ReplyMessage, qPrintable(answered.errorMessage()));
        QVERIFY(ask.waitForFinished(30000));
        const QString printed = QString::fromUtf8(ask.readAllStandardOutput()).trimmed();
        QVERIFY2(ask.exitCode() == 0, qPrintable(QString::fromUtf8(ask.readAllStandardError())));
        const QStringList words = printed.split(u' ', Qt::SkipEmptyParts);
        QVERIFY2(words.size() > 33 && words.at(words.size() - 33) == QLatin1String("32"), qPrintable(printed));
        const QString bytes = words.mid(words.size() - 32).join(u' ');

        QProcess check;
        env.insert(QStringLiteral("TOKEN_BYTES"), bytes);
        check.setProcessEnvironment(env);
        check.start(QStringLiteral("sh"), {QStringLiteral("-c"), lines.at(0) + u'\n' + lines.at(2)});
        QVERIFY(check.waitForFinished(30000));
        const QString answer = QString::fromUtf8(check.readAllStandardOutput()).trimmed();
        QVERIFY2(check.exitCode() == 0, qPrintable(QString::fromUtf8(check.readAllStandardError())));
        QVERIFY2(answer.startsWith(QStringLiteral("bss true \"L4\" \"frank holds lab.samples.read")),
                 qPrintable(answer));
        QDBusConnection::disconnectFromBus(QStringLiteral("agent2"));
    }
};

QTEST_GUILESS_MAIN(TestAuthority)
#include "tst_authority.moc"
