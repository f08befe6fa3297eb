// AccountsService (io.gatehouse.Gatehouse1.Accounts): the first administrator, account
// administration (L4 checked here; every call needs a fresh session, AC-06) and the caller's own
// notices.
#include "accountsservice.h"

#include "core.h"
#include "gatehouse.h"

#include "verification/throttle.h"

#include <QDateTime>

#include <cstring>

namespace gh {

namespace {

// PW-11: a one-time password from the CSPRNG, four groups of five symbols without look-alikes.
SecureBuffer temporaryPassword(RandomSource& random) {
    SecureBuffer temp(kTempGroups * (kTempGroupLength + 1) - 1);
    for (int g = 0; g < kTempGroups; ++g) {
        SecureBuffer group = random.text(kTempGroupLength, kTempAlphabet);
        std::memcpy(temp.data() + g * (kTempGroupLength + 1), group.data(), kTempGroupLength);
        if (g + 1 < kTempGroups)
            temp.data()[g * (kTempGroupLength + 1) + kTempGroupLength] = '-';
    }
    return temp;
}

// A new temporary password and its Argon2id hash, hashed with the facade lock released: the
// caller checks again, under the lock, what it checked before (add and reset alike).
struct IssuedPassword {
    SecureBuffer secret;
    QByteArray phc;
};
Result<IssuedPassword> issueTemporaryPassword(Core& core, std::unique_lock<std::mutex>& guard) {
    SecureBuffer secret = temporaryPassword(*core.random);
    guard.unlock();
    std::optional<QByteArray> phc = passwordhash::hash(secret, core.hashParams);
    guard.lock();
    if (!phc)
        return Error{Errc::Internal, QStringLiteral("password hashing failed (out of memory?)"), 0};
    return IssuedPassword{std::move(secret), std::move(*phc)};
}

// A new account's id: above every id in use and every deleted account's (schema 9), so an id is
// never given twice and nobody inherits a deleted account's own history (AC-02).
constexpr const char* kNextUserId = "(SELECT max(coalesce((SELECT max(id) FROM users), 0), "
                                    "coalesce((SELECT max(id) FROM former_accounts), 0)) + 1)";

QString utcMinute(const Clock& clock) {
    return clock.nowUtc().toString(QStringLiteral("yyyy-MM-dd HH:mm"));
}

} // namespace

// Resetting, deleting, disabling, enabling or unlocking an account that holds permissions the
// caller does not hold would let the caller take them over (a temporary password), remove or shut
// out a stronger account, or let back in one a stronger administrator shut out (red team t10):
// refused, as granting them would be (AC-06). Audited at L4.
static Status requireReach(Core& core, const Core::Caller& caller, const UserRow& target, const QString& what) {
    auto held = core.roleStore->permissionsOf(target.id);
    if (!held)
        return held.error();
    QStringList missing;
    for (Permission p : *held)
        if (!isSelfService(p) && !caller.permissions.contains(p))
            missing << permissionName(p);
    if (missing.isEmpty())
        return ok();
    (void)core.record(caller.user.username, QStringLiteral("access.denied"), Layer::Access, Outcome::Denied,
                      FactorCategory::None, permissionName(Permission::UsersManage),
                      QStringLiteral("%1 %2, who holds %3 (not held)").arg(what, target.username, missing.join(u", ")),
                      {caller.user.id, target.id});
    return Error{Errc::NotPermitted,
                 QStringLiteral("%1 holds permissions you do not hold yourself (%2), so you cannot %3 the account")
                     .arg(target.username, missing.join(u", "), what),
                 0};
}

Status AccountsService::createFirstAdmin(const QString& rawName, const SecureBuffer& password) {
    std::unique_lock guard(m_core.lock);
    if (!m_core.vault)
        return Errc::VaultNotFound;
    const auto name = normaliseUsername(rawName);
    if (!name)
        return Errc::InvalidUsername;
    const SecureBuffer norm = normalisedPassword(password);
    const PasswordVerdict verdict = PasswordPolicy::check(norm, *name);
    if (!verdict.acceptable())
        return Error{Errc::PasswordRejected, PasswordPolicy::explain(verdict), 0};
    guard.unlock(); // Argon2id never runs under the facade lock (issue 10); the count is checked below
    const auto phc = passwordhash::hash(norm, m_core.hashParams);
    guard.lock();
    if (!phc)
        return Error{Errc::Internal, QStringLiteral("password hashing failed (out of memory?)"), 0};
    if (!m_core.vault)
        return Errc::VaultNotFound;
    return m_core.vault->transaction([&]() -> Status {
        auto count = m_core.vault->db().prepare("SELECT count(*) FROM users");
        if (!count || !count->step())
            return count ? count->error() : count.error();
        if (count->int64(0) != 0)
            return Errc::AlreadyInitialised;
        const QByteArray sql = QByteArray("INSERT INTO users(id, username, password_hash, role, created_at) VALUES (") +
                               kNextUserId + ", ?, ?, 'admin', ?)";
        auto st = m_core.vault->db().prepare(sql.constData());
        if (!st)
            return st.error();
        st->bind(1, *name).bind(2, QString::fromLatin1(*phc)).bind(3, m_core.clock->nowSecs());
        if (Status s = st->done(); !s)
            return s;
        const qint64 id = m_core.vault->db().lastInsertId();
        if (auto r = m_core.roleStore->assign(id, roles::kAdmin, m_core.clock->nowSecs()); !r)
            return r.error();
        // Set-up ends with the first administrator's second factor: this grant binds it (ATK-03).
        if (Status g = m_core.grantEnrollment(id, m_core.clock->nowSecs() + Core::kEnrollmentGrantSecs,
                                              QStringLiteral("set-up"));
            !g)
            return g;
        return m_core.record(*name, QStringLiteral("user.created"), Layer::Access, Outcome::Allowed,
                             FactorCategory::Knowledge, *name, QStringLiteral("first administrator"), Core::self(id));
    });
}

Result<SecureBuffer> AccountsService::addUser(const Session& session, const QString& rawName, const QString& role) {
    std::unique_lock guard(m_core.lock);
    const auto name = normaliseUsername(rawName);
    // Everything the caller must be allowed, checked before the temporary password is hashed and
    // again after it (the lock is released for Argon2id, so roles or the session may change).
    const auto checks = [&]() -> Result<Core::Caller> {
        auto caller = m_core.authorize(session, Permission::UsersManage, rawName);
        if (!caller)
            return caller.error();
        if (Status f = m_core.requireFresh(*caller, QStringLiteral("adding an account")); !f) // AC-06
            return f.error();
        if (!name)
            return Errc::InvalidUsername;
        if (role.isEmpty())
            return caller;
        // Creating an account with a role is a role assignment: roles.assign, and nothing beyond
        // what the caller holds (AC-06).
        auto found = m_core.roleStore->find(role);
        if (!found)
            return found.error();
        if (!found->has_value()) {
            auto all = m_core.roleStore->list();
            QStringList names;
            if (all)
                for (const RoleRecord& r : *all)
                    names << r.name;
            return Error{Errc::InvalidArgument,
                         QStringLiteral("Unknown role \"%1\". Roles: %2.").arg(role, names.join(u", ")), 0};
        }
        auto assigner = m_core.authorize(session, Permission::RolesAssign, *name);
        if (!assigner)
            return assigner.error();
        if (Status h = m_core.requireHeld(*assigner, (*found)->permissions, *name); !h)
            return h.error();
        return caller;
    };
    auto caller = checks();
    if (!caller)
        return caller.error();

    // PW-11: the administrator never chooses the password; a CSPRNG one-time secret is shown once.
    auto issued = issueTemporaryPassword(m_core, guard);
    if (!issued)
        return issued.error();
    const QByteArray& phc = issued->phc;
    caller = checks();
    if (!caller)
        return caller.error();
    Status s = m_core.vault->transaction([&]() -> Status {
        auto existing = m_core.findUser(QStringLiteral("username"), *name);
        if (!existing)
            return existing.error();
        if (existing->has_value())
            return Errc::UserExists;
        // No account holds the name (checked just above, in this transaction): whatever throttle
        // it carries is a former account's, and the new one starts clean (red team t11, t18).
        if (Status t = m_core.dropThrottle(*name); !t)
            return t;
        const QByteArray sql = QByteArray("INSERT INTO users(id, username, password_hash, role, must_change_password, "
                                          "password_expires_at, created_at) VALUES (") +
                               kNextUserId + ", ?, ?, ?, 1, ?, ?)";
        auto st = m_core.vault->db().prepare(sql.constData());
        if (!st)
            return st.error();
        const qint64 now = m_core.clock->nowSecs();
        st->bind(1, *name)
            .bind(2, QString::fromLatin1(phc))
            .bind(3, role)
            .bind(4, now + Gatehouse::kTempPasswordLifetimeSecs)
            .bind(5, now);
        if (Status i = st->done(); !i)
            return i;
        const qint64 id = m_core.vault->db().lastInsertId();
        if (!role.isEmpty())
            if (auto r = m_core.roleStore->assign(id, role, now); !r)
                return r.error();
        // Whoever holds the temporary password may bind a first second factor (ATK-03).
        if (Status g = m_core.grantEnrollment(id, now + Gatehouse::kTempPasswordLifetimeSecs,
                                              QStringLiteral("temporary password"));
            !g)
            return g;
        return m_core.record(caller->user.username, QStringLiteral("user.created"), Layer::Access, Outcome::Allowed,
                             FactorCategory::None, *name, role.isEmpty() ? QStringLiteral("no role") : role,
                             {caller->user.id, id});
    });
    if (!s)
        return s.error();
    return std::move(issued->secret);
}

Result<QList<UserInfo>> AccountsService::listUsers(const Session& session) {
    std::lock_guard guard(m_core.lock);
    auto caller = m_core.authorize(session, Permission::UsersRead);
    if (!caller)
        return caller.error();
    m_core.auditForeignRead(*caller, Permission::UsersRead, QStringLiteral("the account list"));
    auto st = m_core.vault->db().prepare(
        "SELECT u.username, u.role, u.enabled, u.must_change_password, u.created_at, coalesce(u.last_login_at, 0), "
        "coalesce(t.failures, 0), u.id, coalesce(t.last_failure_at, 0) FROM users u LEFT JOIN login_throttle t ON "
        "t.username = u.username "
        "ORDER BY u.username");
    if (!st)
        return st.error();
    QList<UserInfo> users;
    const qint64 now = m_core.clock->nowSecs();
    while (st->step()) {
        UserInfo u;
        u.username = st->text(0);
        u.role = st->text(1);
        u.enabled = st->int64(2) != 0;
        u.mustChangePassword = st->int64(3) != 0;
        u.created = QDateTime::fromSecsSinceEpoch(st->int64(4), Qt::UTC);
        if (const qint64 last = st->int64(5))
            u.lastLogin = QDateTime::fromSecsSinceEpoch(last, Qt::UTC);
        const int failures = static_cast<int>(st->int64(6));
        u.locked = throttle::locked(failures);
        u.throttledSecs = u.locked ? 0 : throttle::remaining(failures, st->int64(8), now);
        auto held = m_core.roleStore->rolesOf(st->int64(7));
        if (!held)
            return held.error();
        u.roles = held.value();
        u.role = u.roles.value(0);
        users.append(u);
    }
    if (st->failed())
        return st->error();
    return users;
}

Status AccountsService::setUserEnabled(const Session& session, const QString& rawName, bool enabled) {
    std::lock_guard guard(m_core.lock);
    auto caller = m_core.authorize(session, Permission::UsersManage, rawName);
    if (!caller)
        return caller.error();
    if (Status f = m_core.requireFresh(*caller, enabled ? QStringLiteral("enabling an account")
                                                        : QStringLiteral("disabling an account"));
        !f) // AC-06
        return f;
    const auto name = normaliseUsername(rawName);
    if (!name)
        return Errc::InvalidUsername;
    {
        auto target = m_core.existingUser(*name);
        if (!target)
            return target.error();
        if (Status r =
                requireReach(m_core, *caller, *target, enabled ? QStringLiteral("enable") : QStringLiteral("disable"));
            !r)
            return r;
    }
    QString guardDenied; // audited after the rollback
    qint64 targetId = 0;
    Status result = m_core.vault->transaction([&]() -> Status {
        auto target = m_core.existingUser(*name);
        if (!target)
            return target.error();
        const UserRow& u = *target;
        targetId = u.id;
        if (!enabled && u.enabled) {
            // AC-06: the last enabled holder of roles.assign stays enabled.
            auto holds = m_core.roleStore->holdsThroughOthers(u.id, Permission::RolesAssign, {});
            if (!holds)
                return holds.error();
            auto others = m_core.roleStore->otherHolders(Permission::RolesAssign, u.id);
            if (!others)
                return others.error();
            if (*holds && *others == 0) {
                guardDenied = QStringLiteral("last-admin guard on %1").arg(u.username);
                return lastAdministrator(u.username, QStringLiteral("cannot be disabled"));
            }
        }
        auto st = m_core.vault->db().prepare("UPDATE users SET enabled = ? WHERE id = ?");
        if (!st)
            return st.error();
        st->bind(1, enabled ? 1 : 0).bind(2, u.id);
        if (Status s = st->done(); !s)
            return s;
        if (m_core.vault->db().changes() != 1)
            return Errc::UserNotFound;
        if (!enabled) {
            m_core.accountChanged(u.id); // a sign-in pending since cannot complete (red team t03)
            // SES-06: a disabled account's sessions end at once (other processes within kPollMs).
            if (auto e =
                    m_core.sessions->endMany(u.id, QString(), QStringLiteral("user disabled"), caller->user.username);
                !e)
                return e.error();
        }
        return m_core.record(caller->user.username,
                             enabled ? QStringLiteral("user.enabled") : QStringLiteral("user.disabled"), Layer::Access,
                             Outcome::Allowed, FactorCategory::None, *name, {}, {caller->user.id, u.id});
    });
    if (!guardDenied.isEmpty())
        (void)m_core.record(caller->user.username, QStringLiteral("access.denied"), Layer::Access, Outcome::Denied,
                            FactorCategory::None, permissionName(Permission::UsersManage), guardDenied,
                            {caller->user.id, targetId});
    return result;
}

Status AccountsService::unlockUser(const Session& session, const QString& rawName) {
    std::lock_guard guard(m_core.lock);
    auto caller = m_core.authorize(session, Permission::UsersManage, rawName);
    if (!caller)
        return caller.error();
    if (caller->record.aal < static_cast<int>(Aal::Aal2))
        return Error{Errc::NotPermitted, QStringLiteral("unlocking an account needs a two-factor session"), 0};
    if (Status f = m_core.requireFresh(*caller, QStringLiteral("unlocking an account")); !f) // AC-06
        return f;
    const auto name = normaliseUsername(rawName);
    if (!name)
        return Errc::InvalidUsername;
    {
        auto target = m_core.existingUser(*name);
        if (!target)
            return target.error();
        if (Status r = requireReach(m_core, *caller, *target, QStringLiteral("unlock")); !r)
            return r;
    }
    return m_core.vault->transaction([&]() -> Status {
        auto target = m_core.existingUser(*name);
        if (!target)
            return target.error();
        if (Status c = m_core.clearFailures(*name); !c)
            return c;
        return m_core.record(caller->user.username, QStringLiteral("user.unlocked"), Layer::Access, Outcome::Allowed,
                             FactorCategory::None, *name, {}, {caller->user.id, target->id});
    });
}

Result<SecureBuffer> AccountsService::resetPassword(const Session& session, const QString& rawName) {
    std::unique_lock guard(m_core.lock);
    const auto name = normaliseUsername(rawName);
    // Checked before the temporary password is hashed and again after it (the lock is released
    // for Argon2id, so roles, the session or the account may change meanwhile).
    struct Checked {
        Core::Caller caller;
        UserRow target;
    };
    const auto checks = [&]() -> Result<Checked> {
        auto caller = m_core.authorize(session, Permission::UsersManage, rawName); // AAL2 (AC-06)
        if (!caller)
            return caller.error();
        if (Status f = m_core.requireFresh(*caller, QStringLiteral("resetting a password")); !f) // SES-04
            return f.error();
        if (!name)
            return Errc::InvalidUsername;
        auto target = m_core.existingUser(*name);
        if (!target)
            return target.error();
        if (target->id == caller->user.id)
            return Error{Errc::InvalidArgument,
                         QStringLiteral("To change your own password, use passwd (or My security): a reset is for "
                                        "someone who has forgotten theirs."),
                         0};
        if (Status r = requireReach(m_core, *caller, *target, QStringLiteral("reset the password of")); !r)
            return r.error();
        return Checked{*caller, *target};
    };
    auto checked = checks();
    if (!checked)
        return checked.error();
    auto issued = issueTemporaryPassword(m_core, guard);
    if (!issued)
        return issued.error();
    const QByteArray& phc = issued->phc;
    checked = checks();
    if (!checked)
        return checked.error();
    const Core::Caller& caller = checked->caller;
    const UserRow& target = checked->target;
    Status s = m_core.vault->transaction([&]() -> Status {
        const qint64 now = m_core.clock->nowSecs();
        auto st = m_core.vault->db().prepare("UPDATE users SET password_hash = ?, must_change_password = 1, "
                                             "password_expires_at = ? WHERE id = ?");
        if (!st)
            return st.error();
        st->bind(1, QString::fromLatin1(phc)).bind(2, now + Gatehouse::kTempPasswordLifetimeSecs).bind(3, target.id);
        if (Status u = st->done(); !u)
            return u;
        if (m_core.vault->db().changes() != 1)
            return Errc::UserNotFound;
        // The person can sign in with the new password at once, even if guessing had locked the
        // account (the reset is the administrator's answer to "I forgot it").
        if (Status c = m_core.clearFailures(target.username); !c)
            return c;
        m_core.accountChanged(target.id); // nor a sign-in pending since (red team t03)
        // SES-06: whoever held the old password holds no session any more.
        auto ended =
            m_core.sessions->endMany(target.id, QString(), QStringLiteral("password reset"), caller.user.username);
        if (!ended)
            return ended.error();
        if (Status n = m_core.notices->add(target.id,
                                           QStringLiteral("An administrator (%1) reset your password at %2 UTC, and "
                                                          "your open sessions were ended. If you did not ask for "
                                                          "this, tell them at once.")
                                               .arg(caller.user.username, utcMinute(*m_core.clock)),
                                           now, true, QStringLiteral("password.reset"));
            !n)
            return n;
        // Whoever holds the temporary password may bind a first second factor (issue 13, ATK-03).
        if (Status g = m_core.grantEnrollment(target.id, now + Gatehouse::kTempPasswordLifetimeSecs,
                                              QStringLiteral("temporary password"));
            !g)
            return g;
        return m_core.record(caller.user.username, QStringLiteral("user.password_reset"), Layer::Access,
                             Outcome::Allowed, FactorCategory::Knowledge, target.username,
                             QStringLiteral("temporary password valid %1 h; %2 sessions ended")
                                 .arg(Gatehouse::kTempPasswordLifetimeSecs / 3600)
                                 .arg(*ended),
                             {caller.user.id, target.id});
    });
    if (!s)
        return s.error();
    return std::move(issued->secret);
}

Status AccountsService::deleteUser(const Session& session, const QString& rawName) {
    std::lock_guard guard(m_core.lock);
    auto caller = m_core.authorize(session, Permission::UsersManage, rawName); // AAL2 (AC-06)
    if (!caller)
        return caller.error();
    if (Status f = m_core.requireFresh(*caller, QStringLiteral("deleting an account")); !f) // SES-04
        return f;
    const auto name = normaliseUsername(rawName);
    if (!name)
        return Errc::InvalidUsername;
    {
        auto target = m_core.existingUser(*name);
        if (!target)
            return target.error();
        if (target->id != caller->user.id)
            if (Status r = requireReach(m_core, *caller, *target, QStringLiteral("delete")); !r)
                return r;
    }
    QString guardDenied; // audited after the rollback
    qint64 targetId = 0;
    Status result = m_core.vault->transaction([&]() -> Status {
        auto target = m_core.existingUser(*name);
        if (!target)
            return target.error();
        const UserRow& u = *target;
        targetId = u.id;
        if (u.enabled) {
            // AC-06: the last enabled holder of roles.assign stays (deleting oneself included).
            auto holds = m_core.roleStore->holdsThroughOthers(u.id, Permission::RolesAssign, {});
            if (!holds)
                return holds.error();
            auto others = m_core.roleStore->otherHolders(Permission::RolesAssign, u.id);
            if (!others)
                return others.error();
            if (*holds && *others == 0) {
                guardDenied = QStringLiteral("last-admin guard on %1").arg(u.username);
                return lastAdministrator(u.username, QStringLiteral("cannot be deleted"));
            }
        }
        const qint64 now = m_core.clock->nowSecs();
        m_core.accountChanged(u.id); // a sign-in pending since cannot complete (red team t03)
        // Its sessions end first (so their holders are told why), then every row that refers to
        // the account goes: factors (with their codes and keys), sessions, and by cascade its
        // roles and notices. The audit log keeps its events; former_accounts keeps the id that
        // finds them by name (schema 9).
        auto ended =
            m_core.sessions->endMany(u.id, QString(), QStringLiteral("account deleted"), caller->user.username);
        if (!ended)
            return ended.error();
        auto keep = m_core.vault->db().prepare("INSERT INTO former_accounts(id, username, created_at, deleted_at, "
                                               "deleted_by) VALUES (?, ?, ?, ?, ?)");
        if (!keep)
            return keep.error();
        keep->bind(1, u.id).bind(2, u.username).bind(3, u.createdAt).bind(4, now).bind(5, caller->user.username);
        if (Status k = keep->done(); !k)
            return k;
        auto factors = m_core.vault->db().prepare("DELETE FROM factors WHERE user_id = ?");
        if (!factors)
            return factors.error();
        factors->bind(1, u.id);
        if (Status f = factors->done(); !f)
            return f;
        const int factorCount = m_core.vault->db().changes();
        if (Status a =
                m_core.record(caller->user.username, QStringLiteral("user.deleted"), Layer::Access, Outcome::Allowed,
                              FactorCategory::None, u.username,
                              QStringLiteral("%1 factors removed, %2 sessions ended").arg(factorCount).arg(*ended),
                              {caller->user.id, u.id});
            !a)
            return a;
        auto purged = m_core.sessions->purgeUser(u.id);
        if (!purged)
            return purged.error();
        auto del = m_core.vault->db().prepare("DELETE FROM users WHERE id = ?");
        if (!del)
            return del.error();
        del->bind(1, u.id);
        if (Status d = del->done(); !d)
            return d;
        if (m_core.vault->db().changes() != 1)
            return Errc::UserNotFound;
        // The name's throttle goes with the account (red team t11, t18); attempts on the name
        // from now on are an unknown name's, throttled under its keyed hash (RL-04).
        return m_core.dropThrottle(u.username);
    });
    if (!guardDenied.isEmpty())
        (void)m_core.record(caller->user.username, QStringLiteral("access.denied"), Layer::Access, Outcome::Denied,
                            FactorCategory::None, permissionName(Permission::UsersManage), guardDenied,
                            {caller->user.id, targetId});
    return result;
}

Result<QList<AccountNotice>> AccountsService::notices(const Session& session) {
    std::lock_guard guard(m_core.lock);
    auto caller = m_core.authorize(session, Permission::PasswordChangeOwn); // one's own: any live session
    if (!caller)
        return caller.error();
    auto open = m_core.notices->open(caller->user.id);
    if (!open)
        return open.error();
    QList<AccountNotice> out;
    for (const NoticeRecord& n : *open) {
        AccountNotice a;
        a.id = n.id;
        a.created = n.created;
        a.alert = n.alert;
        a.text = n.text;
        a.shown = n.shown;
        out << a;
    }
    return out;
}

Status AccountsService::dismissNotice(const Session& session, qint64 noticeId) {
    std::lock_guard guard(m_core.lock);
    auto caller = m_core.authorize(session, Permission::PasswordChangeOwn);
    if (!caller)
        return caller.error();
    auto gone = m_core.notices->dismiss(caller->user.id, noticeId, m_core.clock->nowSecs());
    if (!gone)
        return gone.error();
    if (!*gone) // another account's notice reads the same as a missing one (AC-02)
        return Error{Errc::InvalidArgument, QStringLiteral("No notice with id %1.").arg(noticeId), 0};
    return m_core.record(caller->user.username, QStringLiteral("notice.dismissed"), Layer::Verification, Outcome::Info,
                         FactorCategory::None, caller->user.username, QStringLiteral("notice %1").arg(noticeId),
                         Core::self(caller->user.id));
}

PasswordVerdict AccountsService::checkPassword(const QString& password, const QString& username) const {
    const QString name = normaliseUsername(username).value_or(username);
    return PasswordPolicy::check(password, name);
}

} // namespace gh
