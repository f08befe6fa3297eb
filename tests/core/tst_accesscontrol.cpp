// Access control through the facade (issue 6): a permission matrix of every built-in role (and no
// role) × every facade operation, including the ownership cases; guards (last administrator,
// step-up, granting beyond one's own permissions); live-session effect of role changes; custom
// roles; fail-closed reads. Covers SECURITY.md AC-01, AC-02, AC-03 (roles only in the vault),
// AC-04, AC-05, AC-06, AUD-01 (denials audited at L4 with permission and object).
#include "accounts.h"
#include "crypto/primitives.h"
#include "fakes.h"
#include "gatehouse.h"
#include "vault/vault.h"
#include "verification/otpauth.h"

#include <QTemporaryDir>
#include <QtTest>

#include <functional>
#include <map>

using namespace gh;

namespace {
SecureBuffer pw(const char* s) {
    return SecureBuffer(s, std::strlen(s));
}
const char* const kAlicePassword = "correct horse battery staple";
const char* const kUserPassword = "a passphrase of my own 42";
} // namespace

class TestAccessControl : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    test::MemoryKeyStore m_keys;
    test::SeededRandom m_random{17};
    test::FakeClock m_clock;
    int m_counter = 0;
    QString m_path;

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
        return s;
    }

    std::unique_ptr<Gatehouse> freshVault() {
        m_path = m_dir.filePath(QStringLiteral("ac%1.db").arg(++m_counter));
        m_accounts.clear();
        auto g = std::make_unique<Gatehouse>(services());
        if (!g->createVault(m_path) || !g->accounts().createFirstAdmin(QStringLiteral("alice"), pw(kAlicePassword)))
            return nullptr;
        return g;
    }

    // A new two-factor login of an account that enrolled an authenticator here.
    Result<Session> relogin(Gatehouse& g, const QString& name, const char* password) {
        const SecureBuffer code = nextCode(name);
        return g.login().fullLogin(name, pw(password), QStringLiteral("t"), FactorKind::Totp, &code);
    }

    static AuditEvent lastEvent(Gatehouse& g, const Session& admin) {
        auto events = g.audit().recentAudit(admin, 1);
        return events && !events->isEmpty() ? events->first() : AuditEvent{};
    }

    // ---- the matrix fixture: one vault, a session per role ----
    std::unique_ptr<Gatehouse> m_g;
    std::map<QString, Session> m_sessions; // "admin", "operator", "viewer", "none"
    int m_seq = 0;
    using Op = std::function<Status(Gatehouse&, const Session&)>;
    std::map<QString, Op> m_ops;
    std::map<QString, QString> m_opPermission; // the permission a denial names ("" = self-service)

    template <class T> static Status st(const Result<T>& r) {
        if (r)
            return ok();
        return r.error();
    }

    void defineOps() {
        auto add = [this](const QString& name, const QString& permission, Op op) {
            m_ops[name] = std::move(op);
            m_opPermission[name] = permission;
        };
        add(QStringLiteral("listUsers"), QStringLiteral("users.read"),
            [](Gatehouse& g, const Session& s) { return st(g.accounts().listUsers(s)); });
        add(QStringLiteral("addUser"), QStringLiteral("users.manage"), [this](Gatehouse& g, const Session& s) {
            return st(g.accounts().addUser(s, QStringLiteral("new%1").arg(++m_seq), QString()));
        });
        add(QStringLiteral("addUserWithRole"), QStringLiteral("users.manage"), [this](Gatehouse& g, const Session& s) {
            return st(g.accounts().addUser(s, QStringLiteral("new%1").arg(++m_seq), QStringLiteral("viewer")));
        });
        add(QStringLiteral("disableOther"), QStringLiteral("users.manage"), [this](Gatehouse& g, const Session& s) {
            Status r = g.accounts().setUserEnabled(s, QStringLiteral("bob"), false);
            if (r)
                (void)g.accounts().setUserEnabled(m_sessions.at(QStringLiteral("admin")), QStringLiteral("bob"), true);
            return r;
        });
        add(QStringLiteral("unlockOther"), QStringLiteral("users.manage"),
            [](Gatehouse& g, const Session& s) { return g.accounts().unlockUser(s, QStringLiteral("bob")); });
        // Issue 12: reset, delete, another's factor.
        add(QStringLiteral("resetOthersPassword"), QStringLiteral("users.manage"),
            [](Gatehouse& g, const Session& s) { return st(g.accounts().resetPassword(s, QStringLiteral("bob"))); });
        add(QStringLiteral("deleteOther"), QStringLiteral("users.manage"), [this](Gatehouse& g, const Session& s) {
            const QString name = QStringLiteral("gone%1").arg(++m_seq);
            if (!g.accounts().addUser(m_sessions.at(QStringLiteral("admin")), name, QString()))
                return Status(Errc::Internal);
            return g.accounts().deleteUser(s, name);
        });
        add(QStringLiteral("removeOthersFactor"), QStringLiteral("factors.manage_any"),
            [](Gatehouse& g, const Session& s) {
                // No such factor: authorized, then refused for the missing factor.
                Status r = g.factors().removeUserFactor(s, QStringLiteral("bob"), 999999, QStringLiteral("lost"));
                return r.code() == Errc::FactorNotFound ? ok() : r;
            });
        add(QStringLiteral("readAudit"), QStringLiteral("audit.read"),
            [](Gatehouse& g, const Session& s) { return st(g.audit().recentAudit(s, 5)); });
        add(QStringLiteral("listOwnFactors"), QString(),
            [](Gatehouse& g, const Session& s) { return st(g.factors().listFactors(s)); });
        add(QStringLiteral("listOthersFactors"), QStringLiteral("factors.manage_any"),
            [](Gatehouse& g, const Session& s) { return st(g.factors().listFactors(s, QStringLiteral("bob"))); });
        add(QStringLiteral("enrollOwnFactor"), QString(),
            [](Gatehouse& g, const Session& s) { return st(g.factors().beginTotpEnrollment(s, QStringLiteral("x"))); });
        add(QStringLiteral("ownAssurance"), QString(),
            [](Gatehouse& g, const Session& s) { return st(g.factors().assurance(s)); });
        add(QStringLiteral("listRoles"), QStringLiteral("users.read"),
            [](Gatehouse& g, const Session& s) { return st(g.roles().listRoles(s)); });
        add(QStringLiteral("ownRoles"), QString(),
            [](Gatehouse& g, const Session& s) { return st(g.roles().rolesOf(s)); });
        add(QStringLiteral("othersRoles"), QStringLiteral("users.read"),
            [](Gatehouse& g, const Session& s) { return st(g.roles().rolesOf(s, QStringLiteral("bob"))); });
        add(QStringLiteral("ownPermissions"), QString(),
            [](Gatehouse& g, const Session& s) { return st(g.roles().permissionsOf(s)); });
        add(QStringLiteral("createRole"), QStringLiteral("roles.assign"), [this](Gatehouse& g, const Session& s) {
            return g.roles().createRole(s, QStringLiteral("r%1").arg(++m_seq), {QStringLiteral("status.read")});
        });
        add(QStringLiteral("updateRole"), QStringLiteral("roles.assign"), [](Gatehouse& g, const Session& s) {
            return g.roles().updateRole(s, QStringLiteral("custom"), {QStringLiteral("users.read")});
        });
        add(QStringLiteral("deleteRole"), QStringLiteral("roles.assign"), [this](Gatehouse& g, const Session& s) {
            const QString name = QStringLiteral("d%1").arg(++m_seq);
            if (!g.roles().createRole(m_sessions.at(QStringLiteral("admin")), name, {}))
                return Status(Errc::Internal);
            return g.roles().deleteRole(s, name);
        });
        add(QStringLiteral("assignRole"), QStringLiteral("roles.assign"), [](Gatehouse& g, const Session& s) {
            return g.roles().assignRole(s, QStringLiteral("bob"), QStringLiteral("operator"));
        });
        add(QStringLiteral("revokeRole"), QStringLiteral("roles.assign"), [this](Gatehouse& g, const Session& s) {
            if (!g.roles().assignRole(m_sessions.at(QStringLiteral("admin")), QStringLiteral("bob"),
                                      QStringLiteral("custom")))
                return Status(Errc::Internal);
            return g.roles().revokeRole(s, QStringLiteral("bob"), QStringLiteral("custom"));
        });
        add(QStringLiteral("changeOwnPassword"), QString(), [](Gatehouse& g, const Session& s) {
            // Wrong current password: authorized (self-service), then refused at L2.
            Session copy{s.info, s.secret.clone()};
            Status r = g.login().changePassword(copy, pw("not the password at all"), pw("whatever new one 123"));
            return r.code() == Errc::AuthenticationFailed ? ok() : r;
        });
    }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(crypto::initialise());
        m_g = freshVault();
        QVERIFY(m_g);
        auto a = admin(*m_g);
        QVERIFY(a);
        const Session& as = *a;
        QVERIFY(m_g->roles().createRole(as, QStringLiteral("custom"), {QStringLiteral("status.read")}));
        for (const auto& [key, role] :
             std::map<QString, QString>{{QStringLiteral("operator"), QStringLiteral("operator")},
                                        {QStringLiteral("viewer"), QStringLiteral("viewer")},
                                        {QStringLiteral("none"), QString()}}) {
            // Two-factor sessions, so a denial is the role's doing, not the AAL2 rule's.
            auto s = member(*m_g, as, QStringLiteral("m%1").arg(key), role, true);
            QVERIFY2(s, qPrintable(describe(s.error())));
            m_sessions.emplace(key, std::move(s.value()));
        }
        QVERIFY(m_g->accounts().addUser(as, QStringLiteral("bob"), QStringLiteral("viewer")));
        m_sessions.emplace(QStringLiteral("admin"), std::move(a.value()));
        defineOps();
    }

    // AC-01/AC-02/AC-06: every built-in role (and none) × every facade operation, through the
    // facade the GUI and CLI use; ownership: own factors/roles need nothing, another's need _any/users.read.
    void matrix_data() {
        QTest::addColumn<QString>("role");
        QTest::addColumn<QString>("op");
        QTest::addColumn<bool>("allowed");
        const QStringList selfService{QStringLiteral("listOwnFactors"), QStringLiteral("enrollOwnFactor"),
                                      QStringLiteral("ownAssurance"),   QStringLiteral("ownRoles"),
                                      QStringLiteral("ownPermissions"), QStringLiteral("changeOwnPassword")};
        const QStringList operatorOps =
            selfService + QStringList{QStringLiteral("listUsers"), QStringLiteral("readAudit"),
                                      QStringLiteral("listRoles"), QStringLiteral("othersRoles")};
        const QStringList all{QStringLiteral("listUsers"),           QStringLiteral("addUser"),
                              QStringLiteral("addUserWithRole"),     QStringLiteral("disableOther"),
                              QStringLiteral("unlockOther"),         QStringLiteral("readAudit"),
                              QStringLiteral("listOwnFactors"),      QStringLiteral("listOthersFactors"),
                              QStringLiteral("enrollOwnFactor"),     QStringLiteral("ownAssurance"),
                              QStringLiteral("listRoles"),           QStringLiteral("ownRoles"),
                              QStringLiteral("othersRoles"),         QStringLiteral("ownPermissions"),
                              QStringLiteral("createRole"),          QStringLiteral("updateRole"),
                              QStringLiteral("deleteRole"),          QStringLiteral("assignRole"),
                              QStringLiteral("revokeRole"),          QStringLiteral("changeOwnPassword"),
                              QStringLiteral("resetOthersPassword"), QStringLiteral("deleteOther"),
                              QStringLiteral("removeOthersFactor")};
        for (const QString& role :
             {QStringLiteral("admin"), QStringLiteral("operator"), QStringLiteral("viewer"), QStringLiteral("none")}) {
            for (const QString& op : all) {
                bool allowed = role == QLatin1String("admin") || selfService.contains(op) ||
                               (role == QLatin1String("operator") && operatorOps.contains(op));
                QTest::newRow(qPrintable(role + QLatin1Char(' ') + op)) << role << op << allowed;
            }
        }
    }
    void matrix() {
        QFETCH(QString, role);
        QFETCH(QString, op);
        QFETCH(bool, allowed);
        QVERIFY(m_ops.count(op));
        const Status result = m_ops.at(op)(*m_g, m_sessions.at(role));
        if (allowed) {
            QVERIFY2(result.ok(), qPrintable(describe(result.error())));
            return;
        }
        QCOMPARE(result.code(), Errc::NotPermitted);
        // The message names the missing permission; the denial is audited at L4 with it.
        QCOMPARE(result.error().detail.section(u' ', 0, 2),
                 QStringLiteral("missing permission %1").arg(m_opPermission.at(op)));
        const AuditEvent e = lastEvent(*m_g, m_sessions.at(QStringLiteral("admin")));
        QCOMPARE(e.action, QStringLiteral("access.denied"));
        QCOMPARE(e.layer, Layer::Access);
        QCOMPARE(e.outcome, Outcome::Denied);
        QCOMPARE(e.actor, QStringLiteral("m%1").arg(role));
        QCOMPARE(e.subject, m_opPermission.at(op));
        // …and the object (AUD-01: who, what, on what).
        if (op == QLatin1String("disableOther") || op == QLatin1String("unlockOther") ||
            op == QLatin1String("resetOthersPassword") || op == QLatin1String("removeOthersFactor") ||
            op == QLatin1String("listOthersFactors") || op == QLatin1String("assignRole"))
            QVERIFY2(e.detail.contains(QStringLiteral("bob")), qPrintable(e.detail));
    }

    // Every permission this build knows is held by admin (the seed is complete) and named in the UI list.
    void adminHoldsEveryPermission() {
        auto perms = m_g->roles().permissionsOf(m_sessions.at(QStringLiteral("admin")));
        QVERIFY(perms);
        for (Permission p : allPermissions())
            QVERIFY2(perms->contains(permissionName(p)), qPrintable(permissionName(p)));
        auto viewer = m_g->roles().permissionsOf(m_sessions.at(QStringLiteral("viewer")));
        QVERIFY(viewer);
        QCOMPARE(*viewer, (QStringList{QStringLiteral("status.read"), QStringLiteral("password.change_own"),
                                       QStringLiteral("factors.manage_own")}));
    }

    // AC-06: the last holder of roles.assign cannot be demoted (even by themselves) or disabled;
    // with a second administrator both work.
    void lastAdministratorGuard() {
        auto g = freshVault();
        QVERIFY(g);
        auto a = admin(*g);
        QVERIFY(a);
        Status self = g->roles().revokeRole(*a, QStringLiteral("alice"), QStringLiteral("admin"));
        // A guard, not a missing permission (issue 12): its own code, naming what to do first.
        QCOMPARE(self.code(), Errc::LastAdministrator);
        QVERIFY(describe(self.error()).contains(QStringLiteral("last administrator")));
        QVERIFY(describe(self.error())
                    .contains(QStringLiteral("alice is the only administrator — make someone else "
                                             "one first")));
        QVERIFY(!describe(self.error()).contains(QStringLiteral("permission")));
        QCOMPARE(lastEvent(*g, *a).action, QStringLiteral("access.denied"));
        QCOMPARE(lastEvent(*g, *a).subject, QStringLiteral("roles.assign"));
        QCOMPARE(g->accounts().setUserEnabled(*a, QStringLiteral("alice"), false).code(), Errc::LastAdministrator);
        // A custom role with roles.assign counts as another holder; taking it from the role is
        // refused while it is the only way, and the built-in roles cannot be changed.
        QCOMPARE(g->roles().updateRole(*a, QStringLiteral("admin"), {}).code(), Errc::NotPermitted);
        // dan counts once he holds a password of his own (red team t06), not with the temporary one.
        QVERIFY(member(*g, *a, QStringLiteral("dan"), QStringLiteral("admin")));
        QVERIFY(g->roles().revokeRole(*a, QStringLiteral("alice"), QStringLiteral("admin")));
        auto roles = g->roles().rolesOf(*a);
        QVERIFY(roles); // her own roles: no permission needed
        QVERIFY(roles->isEmpty());
        // alice's live session lost roles.assign at once (AC-04).
        QCOMPARE(g->roles().assignRole(*a, QStringLiteral("alice"), QStringLiteral("admin")).code(),
                 Errc::NotPermitted);
        QCOMPARE(g->accounts().listUsers(*a).code(), Errc::NotPermitted);
    }

    // AC-06: role changes need a fresh session; stepUp() re-proves the password (throttled, audited).
    void roleChangesNeedStepUp() {
        auto g = freshVault();
        QVERIFY(g);
        auto a = admin(*g);
        QVERIFY(a);
        QVERIFY(g->accounts().addUser(*a, QStringLiteral("bob"), QString()));
        m_clock.advance(Gatehouse::kStepUpWindowSecs + 1);
        Status stale = g->roles().assignRole(*a, QStringLiteral("bob"), QStringLiteral("viewer"));
        QCOMPARE(stale.code(), Errc::StepUpRequired);
        QCOMPARE(exitCodeOf(stale.code()), 4);
        QVERIFY(describe(stale.error()).contains(QStringLiteral("Confirm it's you")));
        QCOMPARE(g->roles().createRole(*a, QStringLiteral("x"), {}).code(), Errc::StepUpRequired);
        QCOMPARE(g->login().stepUp(*a, pw("wrong password here")).code(), Errc::AuthenticationFailed);
        QCOMPARE(g->roles().assignRole(*a, QStringLiteral("bob"), QStringLiteral("viewer")).code(),
                 Errc::StepUpRequired);
        // Alice holds an authenticator: her password alone does not step up (the step-up is the
        // whole two-factor login again, SES-04).
        QCOMPARE(g->login().stepUp(*a, pw(kAlicePassword)).code(), Errc::SecondFactorRequired);
        QCOMPARE(g->roles().assignRole(*a, QStringLiteral("bob"), QStringLiteral("viewer")).code(),
                 Errc::StepUpRequired);
        const Session old{a->info, a->secret.clone()};
        const SecureBuffer code = nextCode(QStringLiteral("alice"));
        QVERIFY(g->login().stepUp(*a, pw(kAlicePassword), FactorKind::Totp, &code));
        QCOMPARE(lastEvent(*g, *a).action, QStringLiteral("session.stepped_up"));
        QVERIFY(a->info.id != old.info.id);
        // The stepped-up session replaces the old one: the old secret no longer works.
        QCOMPARE(g->roles().assignRole(old, QStringLiteral("bob"), QStringLiteral("viewer")).code(),
                 Errc::SessionInvalid);
        QVERIFY(g->roles().assignRole(*a, QStringLiteral("bob"), QStringLiteral("viewer")));
        auto bobRoles = g->roles().rolesOf(*a, QStringLiteral("bob"));
        QVERIFY(bobRoles);
        QCOMPARE(*bobRoles, QStringList{QStringLiteral("viewer")});
        m_clock.advance(Gatehouse::kStepUpWindowSecs + 1);
        QCOMPARE(g->roles().revokeRole(*a, QStringLiteral("bob"), QStringLiteral("viewer")).code(),
                 Errc::StepUpRequired);
        // A new sign-in is fresh too.
        auto again = relogin(*g, QStringLiteral("alice"), kAlicePassword);
        QVERIFY(again);
        QVERIFY(g->roles().revokeRole(*again, QStringLiteral("bob"), QStringLiteral("viewer")));
    }

    // AC-06: whoever assigns roles cannot grant what they do not hold themselves.
    void cannotGrantBeyondOwnPermissions() {
        auto g = freshVault();
        QVERIFY(g);
        auto a = admin(*g);
        QVERIFY(a);
        QVERIFY(g->roles().createRole(*a, QStringLiteral("roleadmin"),
                                      {QStringLiteral("roles.assign"), QStringLiteral("users.read")},
                                      QStringLiteral("assigns roles")));
        auto carl = member(*g, *a, QStringLiteral("carl"), QStringLiteral("roleadmin"), true);
        QVERIFY2(carl, qPrintable(describe(carl.error())));
        QVERIFY(g->accounts().addUser(*a, QStringLiteral("bob"), QString()));
        Status beyond = g->roles().assignRole(*carl, QStringLiteral("bob"), QStringLiteral("admin"));
        QCOMPARE(beyond.code(), Errc::NotPermitted);
        QVERIFY(beyond.error().detail.contains(QStringLiteral("users.manage")));
        QCOMPARE(g->roles().createRole(*carl, QStringLiteral("sneaky"), {QStringLiteral("audit.read")}).code(),
                 Errc::NotPermitted);
        QCOMPARE(g->roles()
                     .updateRole(*carl, QStringLiteral("roleadmin"),
                                 {QStringLiteral("roles.assign"), QStringLiteral("users.read"),
                                  QStringLiteral("policy.manage")})
                     .code(),
                 Errc::NotPermitted);
        // Within carl's own permissions it works.
        QVERIFY(g->roles().assignRole(*carl, QStringLiteral("bob"), QStringLiteral("roleadmin")));
        QVERIFY(g->roles().createRole(*carl, QStringLiteral("reader"), {QStringLiteral("users.read")}));
        auto users = g->accounts().listUsers(*a);
        QVERIFY(users);
        for (const UserInfo& u : *users)
            if (u.username == QLatin1String("bob"))
                QCOMPARE(u.roles, QStringList{QStringLiteral("roleadmin")});
    }

    // AC-06: roles.assign is an administrative function: a one-factor session cannot use it even
    // when a custom role grants it.
    void administrativeFunctionsNeedTwoFactors() {
        auto g = freshVault();
        QVERIFY(g);
        auto a = admin(*g);
        QVERIFY(a);
        QVERIFY(g->roles().createRole(*a, QStringLiteral("manager"), {QStringLiteral("users.manage")}));
        auto mia = member(*g, *a, QStringLiteral("mia"), QStringLiteral("manager"));
        QVERIFY(mia);
        Status r = g->accounts().setUserEnabled(*mia, QStringLiteral("alice"), false);
        QCOMPARE(r.code(), Errc::NotPermitted);
        // The custom role administers others, so mia's one-factor session may only enroll (issue 13).
        QVERIFY(r.error().detail.contains(QStringLiteral("second factor")));
        auto perms = g->roles().permissionsOf(*mia);
        QVERIFY(perms);
        QVERIFY(!perms->contains(QStringLiteral("users.manage")));
    }

    // AC-04: a demoted administrator's existing session loses access on its next call; a
    // promotion applies at once too.
    void roleChangesReachLiveSessions() {
        auto g = freshVault();
        QVERIFY(g);
        auto a = admin(*g);
        QVERIFY(a);
        auto dan = member(*g, *a, QStringLiteral("dan"), QStringLiteral("admin"), true);
        QVERIFY2(dan, qPrintable(describe(dan.error())));
        QVERIFY(g->accounts().listUsers(*dan));
        QVERIFY(g->accounts().addUser(*dan, QStringLiteral("eve"), QString()));
        QVERIFY(g->roles().revokeRole(*a, QStringLiteral("dan"), QStringLiteral("admin")));
        QCOMPARE(g->accounts().addUser(*dan, QStringLiteral("fay"), QString()).code(), Errc::NotPermitted);
        QCOMPARE(g->accounts().listUsers(*dan).code(), Errc::NotPermitted);
        QVERIFY(g->login().validate(*dan)); // the session itself lives on, without the role
        auto ev = lastEvent(*g, *a);
        QCOMPARE(ev.action, QStringLiteral("access.denied"));
        QCOMPARE(ev.actor, QStringLiteral("dan"));
        QVERIFY(ev.detail.contains(QStringLiteral("roles: none")));
        QVERIFY(g->roles().assignRole(*a, QStringLiteral("dan"), QStringLiteral("operator")));
        QVERIFY(g->accounts().listUsers(*dan));
    }

    // Custom roles: created with a permission checklist, assigned, edited, refused when unknown,
    // deleted only when unused; built-in roles are fixed.
    void customRoles() {
        auto g = freshVault();
        QVERIFY(g);
        auto a = admin(*g);
        QVERIFY(a);
        // Two factors: the auditor role below reads other people's data (issue 13 item 5).
        auto vic = member(*g, *a, QStringLiteral("vic"), QStringLiteral("viewer"), true);
        QVERIFY(vic);
        QCOMPARE(g->audit().recentAudit(*vic, 5).code(), Errc::NotPermitted);
        QCOMPARE(g->roles().createRole(*a, QStringLiteral("Bad Name"), {}).code(), Errc::InvalidArgument);
        QCOMPARE(g->roles().createRole(*a, QStringLiteral("auditor"), {QStringLiteral("audit.everything")}).code(),
                 Errc::InvalidArgument);
        QVERIFY(g->roles().createRole(*a, QStringLiteral("auditor"), {QStringLiteral("audit.read")},
                                      QStringLiteral("reads")));
        QCOMPARE(g->roles().createRole(*a, QStringLiteral("auditor"), {}).code(), Errc::InvalidArgument);
        QCOMPARE(g->roles().createRole(*a, QStringLiteral("admin"), {}).code(), Errc::InvalidArgument);
        // "none" means no role (gatehousectl --role none, user list): not a name a role may take.
        const Status none = g->roles().createRole(*a, QStringLiteral("none"), {QStringLiteral("status.read")});
        QCOMPARE(none.code(), Errc::InvalidArgument);
        QVERIFY(none.error().detail.contains(QStringLiteral("reserved")));
        QVERIFY(g->roles().assignRole(*a, QStringLiteral("vic"), QStringLiteral("auditor")));
        QVERIFY(g->audit().recentAudit(*vic, 5)); // viewer + auditor
        auto vicRoles = g->roles().rolesOf(*vic);
        QVERIFY(vicRoles);
        QCOMPARE(*vicRoles, (QStringList{QStringLiteral("viewer"), QStringLiteral("auditor")}));
        QVERIFY(g->roles().updateRole(*a, QStringLiteral("auditor"), {QStringLiteral("users.read")}));
        QCOMPARE(g->audit().recentAudit(*vic, 5).code(), Errc::NotPermitted);
        QVERIFY(g->accounts().listUsers(*vic));
        Status inUse = g->roles().deleteRole(*a, QStringLiteral("auditor"));
        QCOMPARE(inUse.code(), Errc::NotPermitted);
        QVERIFY(inUse.error().detail.contains(QStringLiteral("revoke it")));
        QCOMPARE(g->roles().deleteRole(*a, QStringLiteral("viewer")).code(), Errc::NotPermitted);
        QCOMPARE(g->roles().assignRole(*a, QStringLiteral("vic"), QStringLiteral("nope")).code(),
                 Errc::InvalidArgument);
        QCOMPARE(g->roles().assignRole(*a, QStringLiteral("nobody"), QStringLiteral("viewer")).code(),
                 Errc::UserNotFound);
        QVERIFY(g->roles().revokeRole(*a, QStringLiteral("vic"), QStringLiteral("auditor")));
        QCOMPARE(g->roles().revokeRole(*a, QStringLiteral("vic"), QStringLiteral("auditor")).code(),
                 Errc::InvalidArgument);
        QVERIFY(g->roles().deleteRole(*a, QStringLiteral("auditor")));
        auto listed = g->roles().listRoles(*a);
        QVERIFY(listed);
        QStringList names;
        for (const RoleInfo& r : *listed)
            names << r.name;
        QCOMPARE(names, (QStringList{QStringLiteral("admin"), QStringLiteral("operator"), QStringLiteral("viewer")}));
        QVERIFY(listed->at(0).builtIn);
        QCOMPARE(listed->at(0).holders, 1);
        // The audit names the role events.
        auto events = g->audit().recentAudit(*a, 50);
        QVERIFY(events);
        QStringList actions;
        for (const AuditEvent& e : *events)
            actions << e.action;
        for (const char* want : {"role.created", "role.assigned", "role.updated", "role.revoked", "role.deleted"})
            QVERIFY2(actions.contains(QLatin1String(want)), want);
        // A user added with a role holds it; user add --role keeps working.
        QVERIFY(g->accounts().addUser(*a, QStringLiteral("opal"), QStringLiteral("operator")));
        auto opal = g->roles().rolesOf(*a, QStringLiteral("opal"));
        QVERIFY(opal);
        QCOMPARE(*opal, QStringList{QStringLiteral("operator")});
        QCOMPARE(g->accounts().addUser(*a, QStringLiteral("zed"), QStringLiteral("wizard")).code(),
                 Errc::InvalidArgument);
    }

    // AC-05 and AC-03: permission names the build does not know are ignored (fail closed), and a
    // vault whose role tables cannot be read denies rather than allows.
    void failsClosed() {
        auto g = freshVault();
        QVERIFY(g);
        auto a = admin(*g);
        QVERIFY(a);
        auto vic = member(*g, *a, QStringLiteral("vic"), QStringLiteral("viewer"));
        QVERIFY(vic);
        {
            auto direct = Vault::open(m_path, m_keys);
            QVERIFY(direct);
            QVERIFY((*direct)->db().exec("INSERT INTO role_permissions(role, permission) VALUES "
                                         "('viewer', 'users.read.everything'), ('viewer', 'USERS.READ')"));
        }
        QCOMPARE(g->accounts().listUsers(*vic).code(), Errc::NotPermitted);
        auto perms = g->roles().permissionsOf(*vic);
        QVERIFY(perms);
        QCOMPARE(perms->size(), 3);
        {
            auto direct = Vault::open(m_path, m_keys);
            QVERIFY(direct);
            QVERIFY((*direct)->db().exec("DROP TABLE role_permissions"));
        }
        auto r = g->accounts().listUsers(*a);
        QCOMPARE(r.code(), Errc::NotPermitted);
        QVERIFY(r.error().detail.contains(QStringLiteral("could not be read")));
        QCOMPARE(g->audit().recentAudit(*a, 1).code(), Errc::NotPermitted);
    }

    // Migration 4 → 5: users.role becomes user_roles; unknown old role names are dropped.
    void migratesSingleRoleColumn() {
        auto g = freshVault();
        QVERIFY(g);
        auto a = admin(*g);
        QVERIFY(a);
        QVERIFY(g->accounts().addUser(*a, QStringLiteral("opal"), QStringLiteral("operator")));
        QVERIFY(g->accounts().addUser(*a, QStringLiteral("odd"), QString()));
        g.reset();
        {
            auto direct = Vault::open(m_path, m_keys);
            QVERIFY(direct);
            QVERIFY((*direct)->db().exec("DROP TABLE user_roles; DROP TABLE role_permissions; DROP TABLE roles; "
                                         "UPDATE users SET role = 'superuser' WHERE username = 'odd'; "
                                         "PRAGMA user_version = 4"));
        }
        g = std::make_unique<Gatehouse>(services());
        QVERIFY(g->openVault(m_path));
        auto again = relogin(*g, QStringLiteral("alice"), kAlicePassword);
        QVERIFY2(again, qPrintable(describe(again.error())));
        auto users = g->accounts().listUsers(*again);
        QVERIFY(users);
        std::map<QString, QStringList> held;
        for (const UserInfo& u : *users)
            held[u.username] = u.roles;
        QCOMPARE(held[QStringLiteral("alice")], QStringList{QStringLiteral("admin")});
        QCOMPARE(held[QStringLiteral("opal")], QStringList{QStringLiteral("operator")});
        QVERIFY(held[QStringLiteral("odd")].isEmpty());
    }

    // AC-03: roles live in user_roles; users.role is only a mirror of the primary role for older
    // readers. The vault status counts administrators from user_roles, so a mirror that says
    // otherwise (an older writer) does not make anyone an administrator.
    void statusCountsAdminsFromUserRoles() {
        auto g = freshVault();
        QVERIFY(g);
        auto a = admin(*g);
        QVERIFY(a);
        QVERIFY(g->accounts().addUser(*a, QStringLiteral("opal"), QStringLiteral("operator")));
        auto before = g->status().vaultStatus();
        QVERIFY(before);
        QCOMPARE(before->admins, 1);
        g.reset();
        {
            auto direct = Vault::open(m_path, m_keys);
            QVERIFY(direct);
            QVERIFY((*direct)->db().exec("UPDATE users SET role = 'admin' WHERE username = 'opal'"));
        }
        g = std::make_unique<Gatehouse>(services());
        QVERIFY(g->openVault(m_path));
        auto after = g->status().vaultStatus();
        QVERIFY(after);
        QCOMPARE(after->users, 2);
        QCOMPARE(after->admins, 1);
    }
};

QTEST_GUILESS_MAIN(TestAccessControl)
#include "tst_accesscontrol.moc"
