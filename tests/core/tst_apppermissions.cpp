// Application permissions and the Authority service in core (issue 11): the declaration files
// (core/apps: format, validation with file and line, namespaces, XDG precedence, a malformed file
// loads nothing while the others load), custom roles that hold declared names and refuse
// undeclared ones, and AuthorityService: a delegated application session holds only what it asked
// for and the person's roles grant, CheckPermission answers L3 for an ended session and L4 with the
// permission's name for a missing one, a role change reaches the next check (and changedScopes),
// two-factor permissions, an application token refused by every Gatehouse function, and what is
// audited. SECURITY.md AC-01 (deny by default, in core), AC-03 (grants only as vault data), AC-04
// (role changes reach live sessions), AUD-01 (denials audited with layer and permission), SES-02.
#include "accounts.h"
#include "apps/apppermissions.h"
#include "crypto/primitives.h"
#include "fakes.h"
#include "gatehouse.h"
#include "verification/otpauth.h"

#include <QTemporaryDir>
#include <QtTest>

#include <map>

using namespace gh;

namespace {
SecureBuffer pw(const char* s) {
    return SecureBuffer(s, std::strlen(s));
}
const char* const kAlicePassword = "correct horse battery staple";
const char* const kUserPassword = "a passphrase of my own 42";

const QByteArray kLab = "# the sample register\n"
                        "lab.samples.read  | See the sample register |\n"
                        "\n"
                        "lab.samples.write | Add and edit samples    | audited\n"
                        "lab.samples.delete| Delete samples          | two-factor, audited\n";

bool writeFile(const QString& path, const QByteArray& content) {
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(content) == content.size();
}
} // namespace

class TestAppPermissions : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    test::MemoryKeyStore m_keys;
    test::SeededRandom m_random{23};
    test::FakeClock m_clock;
    int m_counter = 0;
    QString m_perms; // <tmp>/share/gatehouse/permissions

    test::Accounts m_accounts{m_clock};
    SecureBuffer nextCode(const QString& name) { return m_accounts.nextCode(name); }
    bool enrollTotp(Gatehouse& g, Session& s, const char* password) { return m_accounts.enrollTotp(g, s, password); }
    // alice's first session, made AAL2 with an authenticator app.
    Result<Session> admin(Gatehouse& g) { return m_accounts.signInWithApp(g, QStringLiteral("alice"), kAlicePassword); }
    // A new account with `role`, signed in with its own password (AAL1; AAL2 with mfa).
    Result<Session> member(Gatehouse& g, const Session& by, const QString& name, const QString& role,
                           bool mfa = false) {
        return m_accounts.member(g, by, name, role, kUserPassword, mfa);
    }

    Services services() {
        Services s;
        s.clock = &m_clock;
        s.random = &m_random;
        s.keys = &m_keys;
        s.hashParams = Argon2Params::testing();
        s.kdfParams = Argon2Params::testing();
        s.permissionDirs = QStringList{m_perms};
        return s;
    }

    std::unique_ptr<Gatehouse> freshVault() {
        const QString path = m_dir.filePath(QStringLiteral("ap%1.db").arg(++m_counter));
        m_accounts.clear();
        auto g = std::make_unique<Gatehouse>(services());
        if (!g->createVault(path) || !g->accounts().createFirstAdmin(QStringLiteral("alice"), pw(kAlicePassword)))
            return nullptr;
        return g;
    }

    // Events of `action` in the log (read with the administrator's session).
    static int count(Gatehouse& g, const Session& admin, const QString& action, Outcome outcome,
                     const QString& detail = QString()) {
        auto events = g.audit().recentAudit(admin, 1000);
        int n = 0;
        if (events)
            for (const AuditEvent& e : *events)
                n += e.action == action && e.outcome == outcome && e.detail.contains(detail) &&
                     (detail.isEmpty() || e.layer == Layer::Access);
        return n;
    }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(crypto::initialise());
        QVERIFY(m_dir.isValid());
        m_perms = m_dir.filePath(QStringLiteral("share/gatehouse/permissions"));
        QVERIFY(writeFile(m_perms + QStringLiteral("/lab.conf"), kLab));
    }

    // The format: three fields, comments and blank lines skipped, flags.
    void parsesAWellFormedFile() {
        QList<AppPermissionProblem> problems;
        const QList<AppPermission> got =
            AppPermissions::parse(QStringLiteral("lab"), kLab, QStringLiteral("lab.conf"), problems);
        QVERIFY2(problems.isEmpty(), qPrintable(problems.value(0).text()));
        QCOMPARE(got.size(), 3);
        QCOMPARE(got.at(0).name, QStringLiteral("lab.samples.read"));
        QCOMPARE(got.at(0).description, QStringLiteral("See the sample register"));
        QVERIFY(!got.at(0).audited && !got.at(0).twoFactor);
        QVERIFY(got.at(1).audited && !got.at(1).twoFactor);
        QVERIFY(got.at(2).audited && got.at(2).twoFactor);
    }

    // Each malformed line is named by file and line, and the file loads nothing.
    void malformedLinesAreNamedAndLoadNothing_data() {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<int>("line");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("two fields") << QByteArray("lab.a | ok |\nlab.b | no flags field\n") << 2
                                    << QStringLiteral("three fields");
        QTest::newRow("outside namespace") << QByteArray("# c\nlab.a | ok |\nother.read | x |\n") << 3
                                           << QStringLiteral("outside this application's namespace");
        QTest::newRow("prefix without dot")
            << QByteArray("labx.read | x |\n") << 1 << QStringLiteral("outside this application's namespace");
        QTest::newRow("bare app id") << QByteArray("lab | x |\n") << 1
                                     << QStringLiteral("outside this application's namespace");
        QTest::newRow("upper case") << QByteArray("lab.Read | x |\n") << 1 << QStringLiteral("not a permission name");
        QTest::newRow("unknown flag") << QByteArray("lab.a | x | sudo\n") << 1
                                      << QStringLiteral("unknown flag \"sudo\"");
        QTest::newRow("twice") << QByteArray("lab.a | x |\nlab.a | y |\n") << 2 << QStringLiteral("declared twice");
        QTest::newRow("empty description") << QByteArray("lab.a |  |\n") << 1 << QStringLiteral("description");
        QTest::newRow("control character") << QByteArray("lab.a | x\x1b[2J |\n") << 1 << QStringLiteral("description");
        // The rule of every label (red team t09): by code point, format and separators too.
        QTest::newRow("bidi override") << QByteArray("lab.a | x\xe2\x80\xae |\n") << 1 << QStringLiteral("description");
        QTest::newRow("line separator") << QByteArray("lab.a | x\xe2\x80\xa8y |\n") << 1
                                        << QStringLiteral("description");
        QTest::newRow("TAG character") << QByteArray("lab.a | x\xf3\xa0\x81\x81 |\n") << 1
                                       << QStringLiteral("description");
        QTest::newRow("private use") << QByteArray("lab.a | x\xee\x80\x80 |\n") << 1 << QStringLiteral("description");
    }
    void malformedLinesAreNamedAndLoadNothing() {
        QFETCH(QByteArray, content);
        QFETCH(int, line);
        QFETCH(QString, mentions);
        QList<AppPermissionProblem> problems;
        const auto got = AppPermissions::parse(QStringLiteral("lab"), content, QStringLiteral("/p/lab.conf"), problems);
        QVERIFY(got.isEmpty());
        QCOMPARE(problems.size(), 1);
        QCOMPARE(problems.first().line, line);
        QVERIFY2(problems.first().text().startsWith(QStringLiteral("/p/lab.conf:%1: ").arg(line)),
                 qPrintable(problems.first().text()));
        QVERIFY2(problems.first().message.contains(mentions), qPrintable(problems.first().message));
    }

    // Application ids: Gatehouse's own namespaces are reserved.
    void appIds() {
        QVERIFY(AppPermissions::validAppId(QStringLiteral("lab")));
        QVERIFY(AppPermissions::validAppId(QStringLiteral("org.example.sample-register")));
        for (const char* bad : {"users", "roles", "audit", "sessions", "gatehouse", "roles.extra", "Lab", "1lab", ""})
            QVERIFY2(!AppPermissions::validAppId(QString::fromLatin1(bad)), bad);
        QList<AppPermissionProblem> problems;
        QVERIFY(AppPermissions::parse(QStringLiteral("roles"), "roles.grant | x |\n", QStringLiteral("roles.conf"),
                                      problems)
                    .isEmpty());
        QCOMPARE(problems.size(), 1);
    }

    // $XDG_DATA_DIRS: every directory's gatehouse/permissions, the first wins for an app id; a
    // malformed file is reported and loads nothing, the others load.
    void loadsFromXdgDataDirs() {
        const QString a = m_dir.filePath(QStringLiteral("xdg-a")), b = m_dir.filePath(QStringLiteral("xdg-b"));
        QVERIFY(writeFile(a + QStringLiteral("/gatehouse/permissions/lab.conf"), "lab.first | from a |\n"));
        QVERIFY(writeFile(b + QStringLiteral("/gatehouse/permissions/lab.conf"), "lab.second | from b |\n"));
        QVERIFY(writeFile(b + QStringLiteral("/gatehouse/permissions/scope.conf"), "scope.view | View | -\n"));
        QVERIFY(writeFile(b + QStringLiteral("/gatehouse/permissions/broken.conf"),
                          "broken.ok | fine |\nbroken.bad | missing a field\n"));
        const QByteArray saved = qgetenv("XDG_DATA_DIRS");
        qputenv("XDG_DATA_DIRS", (a + QLatin1Char(':') + QStringLiteral("relative/ignored:") + b).toUtf8());
        const QStringList dirs = AppPermissions::defaultDirs(false);
        qputenv("XDG_DATA_DIRS", saved);
        QCOMPARE(dirs, QStringList({a + QStringLiteral("/gatehouse/permissions"),
                                    b + QStringLiteral("/gatehouse/permissions")}));
        QCOMPARE(AppPermissions::defaultDirs(true), QStringList{QStringLiteral("/usr/share/gatehouse/permissions")});
        const AppPermissions loaded = AppPermissions::load(dirs);
        QVERIFY(loaded.declares(QStringLiteral("lab.first")));
        QVERIFY(!loaded.declares(QStringLiteral("lab.second")));
        QVERIFY(loaded.declares(QStringLiteral("scope.view")));
        QVERIFY(!loaded.declares(QStringLiteral("broken.ok")));
        QCOMPARE(loaded.apps(), QStringList({QStringLiteral("lab"), QStringLiteral("scope")}));
        QCOMPARE(loaded.problems().size(), 1);
        QCOMPARE(loaded.problems().first().text(),
                 b + QStringLiteral("/gatehouse/permissions/broken.conf:2: expected three fields \"name | "
                                    "description | flags\", found 2"));
    }

    // Custom roles hold declared names; an undeclared name is refused with a message naming it.
    void customRolesHoldDeclaredPermissions() {
        auto g = freshVault();
        QVERIFY(g);
        auto alice = admin(*g);
        QVERIFY(alice);
        QVERIFY(g->roles().createRole(*alice, QStringLiteral("lab-tech"),
                                      {QStringLiteral("lab.samples.read"), QStringLiteral("status.read")}));
        Status undeclared = g->roles().createRole(*alice, QStringLiteral("lab-x"), {QStringLiteral("lab.samples.fly")});
        QCOMPARE(undeclared.code(), Errc::InvalidArgument);
        QVERIFY2(undeclared.error().detail.contains(QStringLiteral("\"lab.samples.fly\"")) &&
                     undeclared.error().detail.contains(QStringLiteral("application lab does not declare it")),
                 qPrintable(undeclared.error().detail));
        Status noApp = g->roles().createRole(*alice, QStringLiteral("lab-y"), {QStringLiteral("nobody.read")});
        QCOMPARE(noApp.code(), Errc::InvalidArgument);
        QVERIFY2(noApp.error().detail.contains(QStringLiteral("no application declares it")),
                 qPrintable(noApp.error().detail));
        auto roles = g->roles().listRoles(*alice);
        QVERIFY(roles);
        bool found = false;
        for (const RoleInfo& r : *roles)
            if (r.name == QLatin1String("lab-tech")) {
                found = true;
                QCOMPARE(r.permissions,
                         QStringList({QStringLiteral("status.read"), QStringLiteral("lab.samples.read")}));
            }
        QVERIFY(found);
        QVERIFY(g->roles().updateRole(*alice, QStringLiteral("lab-tech"),
                                      {QStringLiteral("lab.samples.read"), QStringLiteral("lab.samples.write")}));
        auto declared = g->roles().appPermissions(*alice);
        QVERIFY(declared);
        QCOMPARE(declared->size(), 3);
    }

    // The Authority in core: a delegated session, checks, role changes, ended sessions.
    void authorityChecks() {
        auto g = freshVault();
        QVERIFY(g);
        auto alice = admin(*g);
        QVERIFY(alice);
        QVERIFY(g->roles().createRole(*alice, QStringLiteral("lab-reader"), {QStringLiteral("lab.samples.read")}));
        QVERIFY(g->roles().createRole(*alice, QStringLiteral("lab-writer"),
                                      {QStringLiteral("lab.samples.read"), QStringLiteral("lab.samples.write"),
                                       QStringLiteral("lab.samples.delete")}));
        auto bob = member(*g, *alice, QStringLiteral("bob"), QStringLiteral("lab-reader"));
        QVERIFY(bob);
        // Only declared permissions of the app; an unknown app is refused.
        QCOMPARE(g->authority().delegate(*bob, QStringLiteral("nolab"), {}).code(), Errc::InvalidArgument);
        QCOMPARE(g->authority().delegate(*bob, QStringLiteral("lab"), {QStringLiteral("users.manage")}).code(),
                 Errc::InvalidArgument);
        auto app = g->authority().delegate(*bob, QStringLiteral("lab"),
                                           {QStringLiteral("lab.samples.read"), QStringLiteral("lab.samples.write"),
                                            QStringLiteral("lab.samples.delete")});
        QVERIFY2(app, qPrintable(describe(app.error())));
        QVERIFY(app->info.id != bob->info.id);
        QCOMPARE(g->authority().appOf(app->info.id), QStringLiteral("lab"));

        const int deniedBefore = count(*g, *alice, QStringLiteral("authority.check"), Outcome::Denied);
        PermissionAnswer read = g->authority().check(*app, QStringLiteral("lab.samples.read"));
        QVERIFY2(read.allowed, qPrintable(read.reason));
        QCOMPARE(read.layer, Layer::Access);
        PermissionAnswer write = g->authority().check(*app, QStringLiteral("lab.samples.write"));
        QVERIFY(!write.allowed);
        QCOMPARE(write.layer, Layer::Access);
        QVERIFY2(write.reason.contains(QStringLiteral("missing permission lab.samples.write")),
                 qPrintable(write.reason));
        // Not asked for: refused whatever the roles hold.
        PermissionAnswer other = g->authority().check(*app, QStringLiteral("lab.other"));
        QVERIFY(!other.allowed);
        QVERIFY(other.reason.contains(QStringLiteral("did not ask for lab.other")));
        // Allowed checks of a permission not marked audited are not recorded; denials are.
        QCOMPARE(count(*g, *alice, QStringLiteral("authority.check"), Outcome::Allowed), 0);
        QCOMPARE(count(*g, *alice, QStringLiteral("authority.check"), Outcome::Denied), deniedBefore + 2);

        // A role change: changedScopes names the session, the next check answers the new way.
        QVERIFY(g->roles().assignRole(*alice, QStringLiteral("bob"), QStringLiteral("lab-writer")));
        QCOMPARE(g->authority().changedScopes(), QStringList{app->info.id});
        QVERIFY(g->authority().changedScopes().isEmpty()); // nothing changed since
        write = g->authority().check(*app, QStringLiteral("lab.samples.write"));
        QVERIFY2(write.allowed, qPrintable(write.reason));
        QCOMPARE(count(*g, *alice, QStringLiteral("authority.check"), Outcome::Allowed), 1); // audited flag
        // Two-factor permission from bob's one-factor sign-in: L4, saying so.
        PermissionAnswer del = g->authority().check(*app, QStringLiteral("lab.samples.delete"));
        QVERIFY(!del.allowed);
        QVERIFY2(del.reason.contains(QStringLiteral("needs a two-factor sign-in")), qPrintable(del.reason));
        // A revocation without a role change: the check goes back the other way too.
        QVERIFY(g->roles().revokeRole(*alice, QStringLiteral("bob"), QStringLiteral("lab-writer")));
        QVERIFY(!g->authority().check(*app, QStringLiteral("lab.samples.write")).allowed);

        auto who = g->authority().whoIsSignedIn(*app);
        QVERIFY(who);
        QCOMPARE(who->session.username, QStringLiteral("bob"));
        QCOMPARE(who->appId, QStringLiteral("lab"));
        QCOMPARE(who->permissions, QStringList{QStringLiteral("lab.samples.read")});
        QCOMPARE(who->roles, QStringList{QStringLiteral("lab-reader")});
        QCOMPARE(who->categories, QList<FactorCategory>{FactorCategory::Knowledge});

        // The application's token reaches none of Gatehouse's own functions.
        QCOMPARE(g->roles().permissionsOf(*app).code(), Errc::NotPermitted);
        QCOMPARE(g->sessions().listSessions(*app, false, false).code(), Errc::NotPermitted);
        QCOMPARE(g->authority().delegate(*app, QStringLiteral("lab"), {}).code(), Errc::NotPermitted);

        // Revoked by an administrator: L3, with the reason.
        QVERIFY(g->sessions().revokeSession(*alice, app->info.id));
        PermissionAnswer ended = g->authority().check(*app, QStringLiteral("lab.samples.read"));
        QVERIFY(!ended.allowed);
        QCOMPARE(ended.layer, Layer::Session);
        QVERIFY2(ended.reason.contains(QStringLiteral("ended")), qPrintable(ended.reason));
        // bob's own session goes on.
        QVERIFY(g->login().validate(*bob));
    }

    // Issue 11: asking for a two-factor permission the person holds from a one-factor sign-in is
    // settled at sign-in, not by a token whose every check of it is denied: with a second factor on
    // the account, StepUpRequired (the agent steps up with password and code, then the check
    // passes); without one, a refusal that says so. Audited as access.denied (L4) either way.
    void twoFactorPermissionIsSettledAtSignIn() {
        auto g = freshVault();
        QVERIFY(g);
        auto alice = admin(*g);
        QVERIFY(alice);
        const QStringList all{QStringLiteral("lab.samples.read"), QStringLiteral("lab.samples.delete")};
        QVERIFY(g->roles().createRole(*alice, QStringLiteral("lab-writer"), all));
        QVERIFY(g->roles().createRole(*alice, QStringLiteral("lab-reader"), {QStringLiteral("lab.samples.read")}));

        // No second factor: refused, saying why; read alone still works.
        auto bob = member(*g, *alice, QStringLiteral("bob"), QStringLiteral("lab-writer"));
        QVERIFY(bob);
        auto refused = g->authority().delegate(*bob, QStringLiteral("lab"), all);
        QCOMPARE(refused.code(), Errc::NotPermitted);
        QVERIFY2(refused.error().detail.contains(QStringLiteral("lab.samples.delete needs a two-factor sign-in")) &&
                     refused.error().detail.contains(QStringLiteral("no second factor")),
                 qPrintable(refused.error().detail));
        QVERIFY(g->authority().delegate(*bob, QStringLiteral("lab"), {QStringLiteral("lab.samples.read")}));
        // A two-factor permission the person does not hold asks for nothing more.
        auto dave = member(*g, *alice, QStringLiteral("dave"), QStringLiteral("lab-reader"));
        QVERIFY(dave);
        QVERIFY(g->authority().delegate(*dave, QStringLiteral("lab"), all));

        // carol signed in with her password, then enrolled an app (no step-up yet): her session
        // is AAL1 and her account holds a second factor, so a step-up with it is asked for.
        auto carol = member(*g, *alice, QStringLiteral("carol"), QStringLiteral("lab-writer"));
        QVERIFY(carol);
        QVERIFY(m_accounts.enrollTotp(*g, *carol, kUserPassword, false));
        auto older = std::move(carol);
        QCOMPARE(older->info.aal, Aal::Aal1);
        auto asked = g->authority().delegate(*older, QStringLiteral("lab"), all);
        QVERIFY2(asked.code() == Errc::StepUpRequired, qPrintable(describe(asked.error())));
        QVERIFY2(asked.error().detail.contains(QStringLiteral("second factor")), qPrintable(asked.error().detail));
        const SecureBuffer code = nextCode(QStringLiteral("carol"));
        QVERIFY(g->login().stepUp(*older, pw(kUserPassword), FactorKind::Totp, &code));
        QCOMPARE(older->info.aal, Aal::Aal2);
        auto app = g->authority().delegate(*older, QStringLiteral("lab"), all);
        QVERIFY2(app, qPrintable(describe(app.error())));
        PermissionAnswer del = g->authority().check(*app, QStringLiteral("lab.samples.delete"));
        QVERIFY2(del.allowed, qPrintable(del.reason));

        QCOMPARE(count(*g, *alice, QStringLiteral("access.denied"), Outcome::Denied, QStringLiteral("one-factor")), 2);
    }

    // The application session never outlives its person's: same absolute deadline, and ending it
    // (EndSession) leaves the person's session alone.
    void delegatedSessionLifetime() {
        auto g = freshVault();
        QVERIFY(g);
        auto alice = admin(*g);
        QVERIFY(alice);
        auto app = g->authority().delegate(*alice, QStringLiteral("lab"), {QStringLiteral("lab.samples.read")});
        QVERIFY(app);
        QVERIFY(app->info.absoluteLeftSecs <= alice->info.absoluteLeftSecs);
        QVERIFY(app->info.aal == Aal::Aal2);
        QVERIFY(g->authority().endSession(*app));
        QCOMPARE(g->authority().check(*app, QStringLiteral("lab.samples.read")).layer, Layer::Session);
        QVERIFY(g->login().validate(*alice));
    }
};

QTEST_GUILESS_MAIN(TestAppPermissions)
#include "tst_apppermissions.moc"
