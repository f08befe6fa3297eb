// Running the accounts (issue 12) through the facade, with an injected clock and randomness:
// resetting a password, deleting an account (its history stays under its name, the chain stays
// intact, its id is never given again), removing another person's factor with a reason, the
// last-administrator guard as a guard, and recovery codes in two steps (a cancel, a wrong code or
// a restart leaves the old set working). Covers SECURITY.md PW-11 (admin reset: a CSPRNG one-time
// password that expires and must be replaced), RC-03 (regenerating codes and removing an
// authenticator notify the owner and are audited), SES-04 (freshness), SES-06 (deleting an account
// or resetting its password ends its sessions at once), AC-02 (a new account with a deleted one's
// name sees none of its history), AC-06 (the last admin cannot be deleted, disabled or demoted;
// nothing beyond what one holds), AUD-01 (admin actions audited), AUD-04 (the chain stays intact).
#include "accounts.h"
#include "fakes.h"
#include "gatehouse.h"
#include "verification/otpauth.h"
#include "verification/throttle.h"

#include <QTemporaryDir>
#include <QtTest>

#include <map>

using namespace gh;

namespace {
SecureBuffer pw(const char* s) {
    return SecureBuffer(s, std::strlen(s));
}
const char* const kAlicePassword = "correct horse battery staple";
const char* const kBobPassword = "a passphrase of my own 42";
QString text(const SecureBuffer& b) {
    return QString::fromUtf8(b.chars(), static_cast<qsizetype>(b.size()));
}
} // namespace

class TestPeople : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    test::MemoryKeyStore m_keys;
    test::SeededRandom m_random{12};
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
        return m_accounts.member(g, by, name, role, kBobPassword, mfa);
    }
    Result<Session> relogin(Gatehouse& g, const QString& name, const char* password) {
        return m_accounts.relogin(g, name, password);
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
        m_path = m_dir.filePath(QStringLiteral("p%1.db").arg(++m_counter));
        m_accounts.clear();
        auto g = std::make_unique<Gatehouse>(services());
        if (!g->createVault(m_path) || !g->accounts().createFirstAdmin(QStringLiteral("alice"), pw(kAlicePassword)))
            return nullptr;
        return g;
    }

    // alice signs in again (fresh, AAL2): tests move the clock by minutes between steps.
    Result<Session> freshAdmin(Gatehouse& g) { return relogin(g, QStringLiteral("alice"), kAlicePassword); }

    static QList<AuditEvent> eventsOf(Gatehouse& g, const Session& by, const QString& user) {
        AuditQuery q;
        q.user = user;
        q.limit = 1000;
        auto page = g.audit().queryAudit(by, q);
        return page ? page->events : QList<AuditEvent>();
    }
    static bool hasAction(const QList<AuditEvent>& events, const QString& action, qint64 actorId = -1) {
        for (const AuditEvent& e : events)
            if (e.action == action && (actorId < 0 || e.actorId == actorId))
                return true;
        return false;
    }
    // The account id of the newest user.created event among `events` (newest first).
    static qint64 createdId(const QList<AuditEvent>& events) {
        for (const AuditEvent& e : events)
            if (e.action == QLatin1String("user.created"))
                return e.subjectId;
        return 0;
    }
    static bool noticeSays(const Session& s, const QString& words) {
        for (const AccountNotice& n : s.info.notices)
            if (n.text.contains(words))
                return true;
        return false;
    }

private Q_SLOTS:
    // PW-11, SES-06: a reset hands over a one-time password (72 h, must be replaced), ends the
    // person's sessions at once, makes the old password useless and leaves a notice at sign-in.
    void resetPasswordIssuesTemporaryAndEndsSessions() {
        auto g = freshVault();
        QVERIFY(g);
        auto a = admin(*g);
        QVERIFY(a);
        auto bob = member(*g, *a, QStringLiteral("bob"), QString());
        QVERIFY(bob);
        auto temp = g->accounts().resetPassword(*a, QStringLiteral("Bob"));
        QVERIFY2(temp, qPrintable(describe(temp.error())));
        QCOMPARE(temp->size(), std::size_t(23)); // four groups of five, like addUser's
        QCOMPARE(g->login().validate(*bob).code(), Errc::SessionInvalid);
        QCOMPARE(g->login().fullLogin(QStringLiteral("bob"), pw(kBobPassword), QStringLiteral("t")).code(),
                 Errc::AuthenticationFailed);
        auto withTemp = g->login().fullLogin(QStringLiteral("bob"), *temp, QStringLiteral("t"));
        QVERIFY2(withTemp, qPrintable(describe(withTemp.error())));
        QCOMPARE(withTemp->info.restriction, Restriction::ChangePassword);
        QVERIFY(noticeSays(*withTemp, QStringLiteral("An administrator (alice) reset your password")));
        QVERIFY(hasAction(eventsOf(*g, *a, QStringLiteral("bob")), QStringLiteral("user.password_reset")));
        // The new password replaces it as at first sign-in.
        QVERIFY(g->login().changePassword(*withTemp, *temp, pw("bob's next long passphrase")));
        QVERIFY(g->login().fullLogin(QStringLiteral("bob"), pw("bob's next long passphrase"), QStringLiteral("t")));
    }

    void resetPasswordExpiresAfter72Hours() {
        auto g = freshVault();
        QVERIFY(g);
        auto a = admin(*g);
        QVERIFY(a);
        QVERIFY(member(*g, *a, QStringLiteral("bob"), QString()));
        auto temp = g->accounts().resetPassword(*a, QStringLiteral("bob"));
        QVERIFY(temp);
        m_clock.advance(Gatehouse::kTempPasswordLifetimeSecs + 1);
        QVERIFY(!g->login().fullLogin(QStringLiteral("bob"), *temp, QStringLiteral("t")));
    }

    // Who may reset: users.manage at AAL2 with a fresh session; not one's own password (passwd is
    // for that); not an account holding more than the caller; and a locked account is unlocked.
    void resetPasswordIsGuarded() {
        auto g = freshVault();
        QVERIFY(g);
        auto a = admin(*g);
        QVERIFY(a);
        auto op = member(*g, *a, QStringLiteral("olga"), QStringLiteral("operator"), true);
        QVERIFY(op);
        QCOMPARE(g->accounts().resetPassword(*op, QStringLiteral("alice")).code(), Errc::NotPermitted);
        QCOMPARE(g->accounts().resetPassword(*a, QStringLiteral("alice")).code(), Errc::InvalidArgument);
        QCOMPARE(g->accounts().resetPassword(*a, QStringLiteral("nobody")).code(), Errc::UserNotFound);
        // A helpdesk role with users.manage cannot take over an administrator.
        auto fresh = freshAdmin(*g);
        QVERIFY(fresh);
        QVERIFY(g->roles().createRole(*fresh, QStringLiteral("helpdesk"),
                                      {QStringLiteral("users.read"), QStringLiteral("users.manage")}));
        auto help = member(*g, *fresh, QStringLiteral("hank"), QStringLiteral("helpdesk"), true);
        QVERIFY(help);
        auto refused = g->accounts().resetPassword(*help, QStringLiteral("alice"));
        QCOMPARE(refused.code(), Errc::NotPermitted);
        QVERIFY(describe(refused.error()).contains(QStringLiteral("roles.assign")));
        // olga's role reads the audit log, which hank's does not.
        QCOMPARE(g->accounts().resetPassword(*help, QStringLiteral("olga")).code(), Errc::NotPermitted);
        QVERIFY(member(*g, *fresh, QStringLiteral("bob"), QString()));
        // Bob is hard-locked by guessing; the reset lets him in with the temporary password.
        for (int i = 0; i < 100; ++i) {
            m_clock.advance(16 * 60);
            (void)g->login().fullLogin(QStringLiteral("bob"), pw("wrong guess"), QStringLiteral("t"));
        }
        auto help2 = relogin(*g, QStringLiteral("hank"), kBobPassword);
        QVERIFY(help2);
        auto temp = g->accounts().resetPassword(*help2, QStringLiteral("bob"));
        QVERIFY2(temp, qPrintable(describe(temp.error())));
        QVERIFY(g->login().fullLogin(QStringLiteral("bob"), *temp, QStringLiteral("t")));
        // SES-04: a session older than the step-up window must confirm first.
        m_clock.advance(Gatehouse::kStepUpWindowSecs + 1);
        QCOMPARE(g->accounts().resetPassword(*help2, QStringLiteral("bob")).code(), Errc::StepUpRequired);
    }

    // The account goes (factors, sessions, roles, notices); its history stays, found under its
    // name, with the chain intact; a new account of the same name gets a new id and none of it.
    void deleteUserKeepsHistoryUnderItsName() {
        auto g = freshVault();
        QVERIFY(g);
        auto a = admin(*g);
        QVERIFY(a);
        auto bob = member(*g, *a, QStringLiteral("bob"), QStringLiteral("viewer"), true);
        QVERIFY(bob);
        const qint64 bobId = createdId(eventsOf(*g, *a, QStringLiteral("bob")));
        QVERIFY(bobId > 0);
        auto fresh = freshAdmin(*g);
        QVERIFY(fresh);
        QVERIFY(g->accounts().deleteUser(*fresh, QStringLiteral("bob")));
        QCOMPARE(g->login().validate(*bob).code(), Errc::SessionInvalid);
        const SecureBuffer code = nextCode(QStringLiteral("bob"));
        QCOMPARE(g->login()
                     .fullLogin(QStringLiteral("bob"), pw(kBobPassword), QStringLiteral("t"), FactorKind::Totp, &code)
                     .code(),
                 Errc::AuthenticationFailed);
        auto users = g->accounts().listUsers(*fresh);
        QVERIFY(users);
        QCOMPARE(users->size(), 1);
        // Found by name: the events bob made himself (recorded with his id) and those about him.
        const QList<AuditEvent> history = eventsOf(*g, *fresh, QStringLiteral("bob"));
        QVERIFY(hasAction(history, QStringLiteral("session.issued"), bobId));
        QVERIFY(hasAction(history, QStringLiteral("factor.added"), bobId));
        QVERIFY(hasAction(history, QStringLiteral("user.created")));
        QVERIFY(hasAction(history, QStringLiteral("user.deleted")));
        auto chain = g->audit().verifyAudit(*fresh);
        QVERIFY(chain);
        QVERIFY(chain->intact);
        // A new bob is another account: a new id, and his own history holds none of the old one's.
        auto bob2 = member(*g, *fresh, QStringLiteral("bob"), QString());
        QVERIFY(bob2);
        const qint64 newId = createdId(eventsOf(*g, *fresh, QStringLiteral("bob")));
        QVERIFY(newId > 0);
        QVERIFY(newId != bobId); // ids are never given twice
        AuditQuery own;
        own.limit = 1000;
        auto mine = g->audit().queryAudit(*bob2, own); // no audit.read: own history only (AC-02)
        QVERIFY(mine);
        for (const AuditEvent& e : mine->events)
            QVERIFY2(e.actorId != bobId && e.subjectId != bobId, qPrintable(e.action));
        QVERIFY(!hasAction(mine->events, QStringLiteral("factor.added")));
        // The same history after a restart.
        auto again = std::make_unique<Gatehouse>(services());
        QVERIFY(again->openVault(m_path));
        auto s = relogin(*again, QStringLiteral("alice"), kAlicePassword);
        QVERIFY(s);
        QVERIFY(hasAction(eventsOf(*again, *s, QStringLiteral("bob")), QStringLiteral("session.issued"), bobId));
    }

    // AC-06: the last holder of roles.assign is refused as a guard (its own code and words, not a
    // missing permission) by delete, disable and revoke; with another administrator it works.
    void lastAdministratorGuardIsAGuard() {
        auto g = freshVault();
        QVERIFY(g);
        auto a = admin(*g);
        QVERIFY(a);
        const QString words = QStringLiteral("alice is the only administrator — make someone else one first");
        Status del = g->accounts().deleteUser(*a, QStringLiteral("alice"));
        QCOMPARE(del.code(), Errc::LastAdministrator);
        QVERIFY(describe(del.error()).startsWith(words));
        Status off = g->accounts().setUserEnabled(*a, QStringLiteral("alice"), false);
        QCOMPARE(off.code(), Errc::LastAdministrator);
        QVERIFY(describe(off.error()).startsWith(words));
        Status revoke = g->roles().revokeRole(*a, QStringLiteral("alice"), QStringLiteral("admin"));
        QCOMPARE(revoke.code(), Errc::LastAdministrator);
        QVERIFY(describe(revoke.error()).startsWith(words));
        QCOMPARE(layerOf(Errc::LastAdministrator), Layer::Access);
        QCOMPARE(exitCodeOf(Errc::LastAdministrator), 4);
        // The guard's denial is audited and diagnosed as the guard.
        auto events = g->audit().recentAudit(*a, 1);
        QVERIFY(events && !events->isEmpty());
        QCOMPARE(events->first().action, QStringLiteral("access.denied"));
        QCOMPARE(diagnose(events->first()).title, QStringLiteral("Last administrator protected"));
        QCOMPARE(diagnose(del.error()).title, QStringLiteral("Last administrator protected"));
        QVERIFY(g->login().validate(*a)); // nothing happened
        // With dan as a second administrator alice may delete herself; her session ends.
        auto danTemp = g->accounts().addUser(*a, QStringLiteral("dan"), QStringLiteral("admin"));
        QVERIFY(danTemp);
        auto dan = g->login().fullLogin(QStringLiteral("dan"), *danTemp, QStringLiteral("t"));
        QVERIFY(dan);
        QVERIFY(g->login().changePassword(*dan, *danTemp, pw(kBobPassword)));
        QVERIFY(g->accounts().deleteUser(*a, QStringLiteral("alice")));
        QCOMPARE(g->login().validate(*a).code(), Errc::SessionInvalid);
    }

    // A lost phone: an administrator removes another person's factor with a reason; the sessions
    // that used it end, the person reads the reason at the next sign-in, and the assurance the
    // account reaches and the session's agree (AAL1).
    void removeUserFactorWithReason() {
        auto g = freshVault();
        QVERIFY(g);
        auto a = admin(*g);
        QVERIFY(a);
        auto bob = member(*g, *a, QStringLiteral("bob"), QString(), true);
        QVERIFY(bob);
        auto factors = g->factors().listFactors(*a, QStringLiteral("bob"));
        QVERIFY(factors);
        qint64 totpId = 0;
        for (const FactorInfo& f : *factors)
            if (f.kind == FactorKind::Totp)
                totpId = f.id;
        QVERIFY(totpId > 0);
        auto fresh = freshAdmin(*g);
        QVERIFY(fresh);
        QCOMPARE(g->factors().removeUserFactor(*fresh, QStringLiteral("bob"), totpId, QStringLiteral("  ")).code(),
                 Errc::InvalidArgument);
        QCOMPARE(g->factors().removeUserFactor(*fresh, QStringLiteral("bob"), 9999, QStringLiteral("lost")).code(),
                 Errc::FactorNotFound);
        QCOMPARE(g->factors().removeUserFactor(*bob, QStringLiteral("alice"), 1, QStringLiteral("x")).code(),
                 Errc::NotPermitted);
        QVERIFY(g->factors().removeUserFactor(*fresh, QStringLiteral("bob"), totpId, QStringLiteral("phone lost")));
        QCOMPARE(g->login().validate(*bob).code(), Errc::SessionInvalid);
        auto again = g->login().fullLogin(QStringLiteral("bob"), pw(kBobPassword), QStringLiteral("t"));
        QVERIFY2(again, qPrintable(describe(again.error())));
        QVERIFY(noticeSays(*again, QStringLiteral("Reason: phone lost")));
        QCOMPARE(again->info.aal, Aal::Aal1);
        auto reach = g->factors().assurance(*again);
        QVERIFY(reach);
        QCOMPARE(reach->reachable, again->info.aal);
        auto events = eventsOf(*g, *fresh, QStringLiteral("bob"));
        QVERIFY(hasAction(events, QStringLiteral("factor.removed")));
    }

    // Issue 12: "the only administrator can remove their only second factor …, after which Home
    // says AAL2 while My security says AAL1". The session that removed it drops to what the
    // account can still prove, and an administrator's is restricted to enrolling one again.
    void removingOnesLastSecondFactorLowersTheSession() {
        auto g = freshVault();
        QVERIFY(g);
        auto a = admin(*g);
        QVERIFY(a);
        QCOMPARE(a->info.aal, Aal::Aal2);
        auto factors = g->factors().listFactors(*a);
        QVERIFY(factors);
        qint64 totpId = 0;
        for (const FactorInfo& f : *factors)
            if (f.kind == FactorKind::Totp)
                totpId = f.id;
        QVERIFY(totpId > 0);
        QVERIFY(g->factors().removeFactor(*a, totpId, pw(kAlicePassword)));
        auto info = g->login().validate(*a);
        QVERIFY2(info, qPrintable(describe(info.error())));
        auto reach = g->factors().assurance(*a);
        QVERIFY(reach);
        QCOMPARE(reach->reachable, Aal::Aal1);
        QCOMPARE(info->aal, reach->reachable); // Home and My security agree
        QCOMPARE(info->restriction, Restriction::EnrollSecondFactor);
        QVERIFY(!info->factors.contains(FactorKind::Totp));
        QCOMPARE(g->accounts().listUsers(*a).code(), Errc::NotPermitted); // admin work waits for a factor
    }

    // …but while another factor of that kind is left, the session keeps what it proved.
    void removingOneOfTwoAppsKeepsTheSession() {
        auto g = freshVault();
        QVERIFY(g);
        auto a = admin(*g);
        QVERIFY(a);
        auto bob = member(*g, *a, QStringLiteral("bob"), QString(), true);
        QVERIFY(bob);
        auto before = g->factors().listFactors(*bob);
        QVERIFY(before);
        qint64 first = 0;
        for (const FactorInfo& f : *before)
            if (f.kind == FactorKind::Totp)
                first = f.id;
        QVERIFY(first > 0);
        QVERIFY(enrollTotp(*g, *bob, kBobPassword)); // a second app; bob steps up with it
        QVERIFY(g->factors().removeFactor(*bob, first, pw(kBobPassword)));
        auto info = g->login().validate(*bob);
        QVERIFY(info);
        QCOMPARE(info->aal, Aal::Aal2);
        auto reach = g->factors().assurance(*bob);
        QVERIFY(reach);
        QCOMPARE(reach->reachable, Aal::Aal2);
    }

    // RC-03 in two steps (issue 12: "New codes voids the current recovery codes at once and Cancel
    // does not undo it"): begin changes nothing; cancel, a wrong code and a restart leave the old
    // set working; confirming with a new code makes the old set refused.
    void recoveryCodesInTwoSteps() {
        auto g = freshVault();
        QVERIFY(g);
        auto a = admin(*g);
        QVERIFY(a);
        auto first = g->factors().beginRecoveryCodes(*a);
        QVERIFY2(first, qPrintable(describe(first.error())));
        QCOMPARE(int(first->codes.size()), 10);
        QVERIFY(g->factors().confirmRecoveryCodes(*a, first->setId, first->codes.at(0)));
        const auto signsIn = [&](const SecureBuffer& code) {
            return g->login()
                .fullLogin(QStringLiteral("alice"), pw(kAlicePassword), QStringLiteral("t"), FactorKind::RecoveryCode,
                           &code)
                .code();
        };
        // Cancel: the old set works, the new one never did.
        auto cancelled = g->factors().beginRecoveryCodes(*a);
        QVERIFY(cancelled);
        QVERIFY(g->factors().cancelRecoveryCodes(*a, cancelled->setId));
        QCOMPARE(g->factors().confirmRecoveryCodes(*a, cancelled->setId, cancelled->codes.at(0)).code(),
                 Errc::FactorNotFound);
        QCOMPARE(signsIn(cancelled->codes.at(1)), Errc::CodeWrong);
        QVERIFY(g->login().fullLogin(QStringLiteral("alice"), pw(kAlicePassword), QStringLiteral("t"),
                                     FactorKind::RecoveryCode, &first->codes.at(1)));
        // A wrong code (one of the old set) changes nothing; the right one then replaces the set.
        auto a2 = freshAdmin(*g);
        QVERIFY(a2);
        auto next = g->factors().beginRecoveryCodes(*a2);
        QVERIFY(next);
        QCOMPARE(g->factors().confirmRecoveryCodes(*a2, next->setId, first->codes.at(2)).code(), Errc::CodeWrong);
        QVERIFY(g->login().fullLogin(QStringLiteral("alice"), pw(kAlicePassword), QStringLiteral("t"),
                                     FactorKind::RecoveryCode, &first->codes.at(3)));
        // Another account cannot confirm (or even see) alice's pending set.
        auto bob = member(*g, *a2, QStringLiteral("bob"), QString());
        QVERIFY(bob);
        QCOMPARE(g->factors().confirmRecoveryCodes(*bob, next->setId, next->codes.at(0)).code(), Errc::FactorNotFound);
        // Typed with spaces and in lower case, as people do.
        QString typed = text(next->codes.at(4)).toLower();
        typed.replace(QLatin1Char('-'), QLatin1Char(' '));
        QVERIFY(g->factors().confirmRecoveryCodes(*a2, next->setId, SecureBuffer::fromUtf8(typed)));
        QCOMPARE(signsIn(first->codes.at(5)), Errc::CodeWrong);
        QVERIFY(g->login().fullLogin(QStringLiteral("alice"), pw(kAlicePassword), QStringLiteral("t"),
                                     FactorKind::RecoveryCode, &next->codes.at(4))); // the typed one stays usable
        // A restart discards a pending set: the current set keeps working.
        auto a3 = freshAdmin(*g);
        QVERIFY(a3);
        auto lost = g->factors().beginRecoveryCodes(*a3);
        QVERIFY(lost);
        g.reset();
        g = std::make_unique<Gatehouse>(services());
        QVERIFY(g->openVault(m_path));
        auto a4 = freshAdmin(*g);
        QVERIFY(a4);
        QCOMPARE(g->factors().confirmRecoveryCodes(*a4, lost->setId, lost->codes.at(0)).code(), Errc::FactorNotFound);
        QCOMPARE(signsIn(lost->codes.at(1)), Errc::CodeWrong);
        QVERIFY(g->login().fullLogin(QStringLiteral("alice"), pw(kAlicePassword), QStringLiteral("t"),
                                     FactorKind::RecoveryCode, &next->codes.at(6)));
        // A pending set expires (kPendingFactorSecs).
        auto a5 = freshAdmin(*g);
        QVERIFY(a5);
        auto late = g->factors().beginRecoveryCodes(*a5);
        QVERIFY(late);
        m_clock.advance(Gatehouse::kPendingFactorSecs + 1);
        QCOMPARE(g->factors().confirmRecoveryCodes(*a5, late->setId, late->codes.at(0)).code(), Errc::FactorNotFound);
    }

    // Red team t03: a sign-in begun with the old password does not complete after a reset (nor
    // after the owner replaced the temporary one), nor after the account was disabled meanwhile.
    void pendingSignInEndsWithThePassword() {
        auto g = freshVault();
        QVERIFY(g);
        auto a = admin(*g);
        QVERIFY(a);
        QVERIFY(member(*g, *a, QStringLiteral("bob"), QString(), true));
        auto before = g->login().beginLogin(QStringLiteral("bob"), pw(kBobPassword), QStringLiteral("t"));
        QVERIFY(before && !before->complete);
        auto fresh = freshAdmin(*g);
        QVERIFY(fresh);
        auto temp = g->accounts().resetPassword(*fresh, QStringLiteral("bob"));
        QVERIFY(temp);
        SecureBuffer code = nextCode(QStringLiteral("bob"));
        auto stale = g->login().completeLogin(before->pendingId, FactorKind::Totp, code);
        QVERIFY2(!stale, "a sign-in begun before the reset completed");
        QCOMPARE(stale.code(), Errc::AuthenticationFailed);
        // Begun with the temporary password, then bob replaces it in another sign-in.
        auto withTemp = g->login().beginLogin(QStringLiteral("bob"), *temp, QStringLiteral("t"));
        QVERIFY(withTemp && !withTemp->complete);
        code = nextCode(QStringLiteral("bob"));
        auto bob = g->login().fullLogin(QStringLiteral("bob"), *temp, QStringLiteral("t"), FactorKind::Totp, &code);
        QVERIFY2(bob, qPrintable(describe(bob.error())));
        QVERIFY(g->login().changePassword(*bob, *temp, pw("bob's next long passphrase")));
        code = nextCode(QStringLiteral("bob"));
        QCOMPARE(g->login().completeLogin(withTemp->pendingId, FactorKind::Totp, code).code(),
                 Errc::AuthenticationFailed);
        // Disabled and enabled again while the code was awaited: the sign-in starts again.
        auto pending =
            g->login().beginLogin(QStringLiteral("bob"), pw("bob's next long passphrase"), QStringLiteral("t"));
        QVERIFY(pending && !pending->complete);
        auto fresh2 = freshAdmin(*g);
        QVERIFY(fresh2);
        QVERIFY(g->accounts().setUserEnabled(*fresh2, QStringLiteral("bob"), false));
        QVERIFY(g->accounts().setUserEnabled(*fresh2, QStringLiteral("bob"), true));
        code = nextCode(QStringLiteral("bob"));
        QVERIFY(!g->login().completeLogin(pending->pendingId, FactorKind::Totp, code));
        // An undisturbed sign-in still completes.
        QVERIFY(relogin(*g, QStringLiteral("bob"), "bob's next long passphrase"));
    }

    // Red team t10: the reach rule of reset and delete holds for disable, enable and unlock too: a
    // helpdesk role with users.manage cannot disable, enable or unlock an administrator.
    void disableEnableUnlockNeedReach() {
        auto g = freshVault();
        QVERIFY(g);
        auto a = admin(*g);
        QVERIFY(a);
        QVERIFY(g->roles().createRole(*a, QStringLiteral("helpdesk"),
                                      {QStringLiteral("users.read"), QStringLiteral("users.manage")}));
        auto dave = member(*g, *a, QStringLiteral("dave"), QStringLiteral("admin"), true);
        QVERIFY(dave);
        QVERIFY(member(*g, *a, QStringLiteral("bob"), QString()));
        auto fresh = freshAdmin(*g);
        QVERIFY(fresh);
        auto help = member(*g, *fresh, QStringLiteral("hank"), QStringLiteral("helpdesk"), true);
        QVERIFY(help);
        Status off = g->accounts().setUserEnabled(*help, QStringLiteral("dave"), false);
        QCOMPARE(off.code(), Errc::NotPermitted);
        QVERIFY(describe(off.error()).contains(QStringLiteral("roles.assign")));
        QVERIFY(g->login().validate(*dave)); // nothing happened
        QCOMPARE(g->accounts().unlockUser(*help, QStringLiteral("dave")).code(), Errc::NotPermitted);
        auto fresh2 = freshAdmin(*g);
        QVERIFY(fresh2);
        QVERIFY(g->accounts().setUserEnabled(*fresh2, QStringLiteral("dave"), false));
        QCOMPARE(g->accounts().setUserEnabled(*help, QStringLiteral("dave"), true).code(), Errc::NotPermitted);
        auto users = g->accounts().listUsers(*fresh2);
        QVERIFY(users);
        for (const UserInfo& u : *users)
            if (u.username == QLatin1String("dave"))
                QVERIFY(!u.enabled);
        // Within its reach the helpdesk still works.
        QVERIFY(g->accounts().setUserEnabled(*help, QStringLiteral("bob"), false));
        QVERIFY(g->accounts().setUserEnabled(*help, QStringLiteral("bob"), true));
        QVERIFY(g->accounts().unlockUser(*help, QStringLiteral("bob")));
    }

    // Red team t11/t18: the throttle is kept by name, so a deleted account's throttle (here its
    // hard lock) must go with it: a new account of that name starts clean. Adding a name that
    // exists clears nothing.
    void readdedNameStartsWithACleanThrottle() {
        auto g = freshVault();
        QVERIFY(g);
        auto a = admin(*g);
        QVERIFY(a);
        QVERIFY(member(*g, *a, QStringLiteral("bob"), QString()));
        for (int i = 0; i < 100; ++i) {
            m_clock.advance(16 * 60);
            (void)g->login().fullLogin(QStringLiteral("bob"), pw("wrong guess"), QStringLiteral("t"));
        }
        QCOMPARE(g->login().fullLogin(QStringLiteral("bob"), pw(kBobPassword), QStringLiteral("t")).code(),
                 Errc::LockedOut);
        auto fresh = freshAdmin(*g);
        QVERIFY(fresh);
        QCOMPARE(g->accounts().addUser(*fresh, QStringLiteral("Bob"), QString()).code(), Errc::UserExists);
        QCOMPARE(g->login().fullLogin(QStringLiteral("bob"), pw(kBobPassword), QStringLiteral("t")).code(),
                 Errc::LockedOut); // still locked: adding a live name is no way to unlock it
        QVERIFY(g->accounts().deleteUser(*fresh, QStringLiteral("bob")));
        auto temp = g->accounts().addUser(*fresh, QStringLiteral("BOB"), QString());
        QVERIFY(temp);
        auto bob = g->login().fullLogin(QStringLiteral("bob"), *temp, QStringLiteral("t"));
        QVERIFY2(bob, qPrintable(describe(bob.error())));
        auto users = g->accounts().listUsers(*fresh);
        QVERIFY(users);
        for (const UserInfo& u : *users)
            QVERIFY(!u.locked);
    }

    // Issue 12 (People: "throttled with time left"; RL-02): listUsers tells how long a throttled
    // account still waits, counting down with the service's clock; unlock forgets the failures.
    void listUsersTellsTheThrottleWaitLeft() {
        auto g = freshVault();
        QVERIFY(g);
        auto a = admin(*g);
        QVERIFY(a);
        QVERIFY(member(*g, *a, QStringLiteral("bob"), QString()));
        const auto bobOf = [&](const Session& s) {
            auto users = g->accounts().listUsers(s);
            UserInfo found;
            if (users)
                for (const UserInfo& u : *users)
                    if (u.username == QLatin1String("bob"))
                        found = u;
            return found;
        };
        for (int i = 0; i < throttle::kFreeFailures; ++i)
            (void)g->login().fullLogin(QStringLiteral("bob"), pw("wrong guess"), QStringLiteral("t"));
        QCOMPARE(bobOf(*a).throttledSecs, qint64(0)); // four failures cost nothing yet
        (void)g->login().fullLogin(QStringLiteral("bob"), pw("wrong guess"), QStringLiteral("t"));
        QCOMPARE(bobOf(*a).throttledSecs, throttle::kBaseDelaySecs);
        QVERIFY(!bobOf(*a).locked);
        m_clock.advance(10);
        QCOMPARE(bobOf(*a).throttledSecs, throttle::kBaseDelaySecs - 10);
        auto fresh = freshAdmin(*g);
        QVERIFY(fresh);
        QVERIFY(g->accounts().unlockUser(*fresh, QStringLiteral("bob")));
        QCOMPARE(bobOf(*fresh).throttledSecs, qint64(0));
        QVERIFY(g->login().fullLogin(QStringLiteral("bob"), pw(kBobPassword), QStringLiteral("t")));
    }

    // Red team t06: an administrator who never replaced the temporary password (it may expire
    // unused) is no administrator the guard can count on; once dan chose his own, alice may go.
    void lastAdministratorGuardCountsUsableHolders() {
        auto g = freshVault();
        QVERIFY(g);
        auto a = admin(*g);
        QVERIFY(a);
        auto temp = g->accounts().addUser(*a, QStringLiteral("dan"), QStringLiteral("admin"));
        QVERIFY(temp);
        const QString words = QStringLiteral("alice is the only administrator — make someone else one first");
        Status del = g->accounts().deleteUser(*a, QStringLiteral("alice"));
        QCOMPARE(del.code(), Errc::LastAdministrator);
        QVERIFY(describe(del.error()).startsWith(words));
        QCOMPARE(g->accounts().setUserEnabled(*a, QStringLiteral("alice"), false).code(), Errc::LastAdministrator);
        QCOMPARE(g->roles().revokeRole(*a, QStringLiteral("alice"), QStringLiteral("admin")).code(),
                 Errc::LastAdministrator);
        auto dan = g->login().fullLogin(QStringLiteral("dan"), *temp, QStringLiteral("t"));
        QVERIFY(dan);
        QVERIFY(g->login().changePassword(*dan, *temp, pw(kBobPassword)));
        QVERIFY(g->accounts().deleteUser(*a, QStringLiteral("alice")));
    }

    // Red team t09: labels and reasons are checked by code point, not UTF-16 unit: invisible TAG
    // characters and other supplementary-plane format characters, private-use characters, lone
    // surrogates and non-characters are refused; other supplementary-plane text (emoji) passes.
    void labelsAndReasonsAreCheckedByCodePoint() {
        auto g = freshVault();
        QVERIFY(g);
        auto a = admin(*g);
        QVERIFY(a);
        auto bob = member(*g, *a, QStringLiteral("bob"), QString(), true);
        QVERIFY(bob);
        auto factors = g->factors().listFactors(*a, QStringLiteral("bob"));
        QVERIFY(factors);
        qint64 totpId = 0;
        for (const FactorInfo& f : *factors)
            if (f.kind == FactorKind::Totp)
                totpId = f.id;
        QVERIFY(totpId > 0);
        const QStringList bad{
            QStringLiteral("phone lost ") + QString::fromUcs4(U"\U000E0041\U000E0042") + QStringLiteral(" in the taxi"),
            QStringLiteral("phone ") + QString::fromUcs4(U"\U0001D173") + QStringLiteral("lost"), // musical format
            QStringLiteral("phone ") + QString::fromUcs4(U"\U000F0000") + QStringLiteral("lost"), // private use
            QStringLiteral("phone \uE000 lost"),                                                  // private use
            QStringLiteral("phone ") + QChar(0xD800) + QStringLiteral(" lost"),                   // lone surrogate
            QStringLiteral("phone \uFFFE lost"),                                                  // non-character
            QStringLiteral("phone ") + QString::fromUcs4(U"\U0001FFFF") + QStringLiteral("lost"), // non-character
        };
        auto fresh = freshAdmin(*g);
        QVERIFY(fresh);
        for (const QString& reason : bad) {
            const Status removed = g->factors().removeUserFactor(*fresh, QStringLiteral("bob"), totpId, reason);
            QVERIFY2(removed.code() == Errc::InvalidArgument,
                     qPrintable(QString::fromLatin1(reason.toUtf8().toHex()) + QStringLiteral(": ") +
                                (removed ? QString() : describe(removed.error()))));
            const Status renamed = g->factors().renameFactor(*bob, totpId, reason.left(40));
            QVERIFY2(renamed.code() == Errc::InvalidArgument,
                     qPrintable(QString::fromLatin1(reason.toUtf8().toHex()) + QStringLiteral(": ") +
                                (renamed ? QString() : describe(renamed.error()))));
        }
        const QString emoji = QStringLiteral("phone ") + QString::fromUcs4(U"\U0001F4F1");
        QVERIFY(g->factors().renameFactor(*bob, totpId, emoji));
        QVERIFY(g->factors().removeUserFactor(*fresh, QStringLiteral("bob"), totpId,
                                              QStringLiteral("lost ") + QString::fromUcs4(U"\U0001F4F1")));
    }
};

QTEST_GUILESS_MAIN(TestPeople)
#include "tst_people.moc"
