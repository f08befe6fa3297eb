#include "gatehouse_p.h"
#include "verification/fido2.h"

#include "crypto/primitives.h"
#include "sessions/sessionstore.h"
#include "verification/throttle.h"
#include "verification/usernames.h"

#include <QFileInfo>
#include <QLoggingCategory>
#include <QStandardPaths>

#include <cstring>
#include <optional>

namespace gh {

Q_LOGGING_CATEGORY(lcCore, "gatehouse.core")

QString factorNames(const QList<FactorKind>& factors) {
    QStringList names;
    for (FactorKind k : factors)
        names << factorKindName(k);
    return names.join(QLatin1Char(','));
}

QList<FactorKind> parseFactors(const QString& names) {
    QList<FactorKind> out;
    for (const QString& n : names.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        if (const auto k = factorKindFromName(n))
            out << *k;
    }
    return out;
}

QString restrictionReason(Restriction restriction) {
    switch (restriction) {
    case Restriction::ChangePassword:
        return QStringLiteral("You signed in with a temporary password. Choose your own password to continue.");
    case Restriction::EnrollSecondFactor:
        return QStringLiteral(
            "Administrators must sign in with two factors. Add an authenticator app or a security key to continue; "
            "until then this session can only manage your own factors and password.");
    case Restriction::None:
        break;
    }
    return {};
}

Gatehouse::Gatehouse(Services services) : d(std::make_unique<Impl>()) {
    crypto::initialise();
    if (!services.clock) {
        d->ownClock = std::make_unique<SystemClock>();
        services.clock = d->ownClock.get();
    }
    if (!services.random) {
        d->ownRandom = std::make_unique<SystemRandom>();
        services.random = d->ownRandom.get();
    }
    if (!services.keys) {
        d->ownKeys = std::make_unique<SecretServiceKeyStore>();
        services.keys = d->ownKeys.get();
    }
    d->clock = services.clock;
    d->random = services.random;
    d->keys = services.keys;
    d->hashParams = services.hashParams;
    d->kdfParams = services.kdfParams;
}

Gatehouse::~Gatehouse() = default;

QString Gatehouse::defaultVaultPath() {
    return QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation) +
           QStringLiteral("/gatehouse/vault.db");
}

bool Gatehouse::vaultExists(const QString& path) {
    return Vault::exists(path);
}
KeySource Gatehouse::keySourceOf(const QString& path) {
    return Vault::keySourceOf(path);
}

bool Gatehouse::keychainAvailable() {
    std::lock_guard guard(m_lock);
    auto probe = d->keys->read(QStringLiteral("probe:availability"));
    return probe.ok() || probe.code() != Errc::KeychainUnavailable;
}

Status Gatehouse::createVault(const QString& path, const SecureBuffer* passphrase) {
    std::lock_guard guard(m_lock);
    auto vault = Vault::create(path, *d->keys, *d->random, passphrase, d->kdfParams);
    if (!vault) {
        qCWarning(lcCore) << "vault creation failed:" << path << vault.error().detail;
        return vault.error();
    }
    d->attach(std::move(vault.value()));
    if (Status h = d->ensureDummyHash(); !h)
        return h;
    return d->record(QStringLiteral("system"), QStringLiteral("vault.created"), Layer::Storage, Outcome::Allowed,
                     FactorCategory::None, d->vault->path(), keyLocation());
}

Status Gatehouse::openVault(const QString& path, const SecureBuffer* passphrase, bool acceptRestore) {
    std::lock_guard guard(m_lock);
    auto vault = Vault::open(path, *d->keys, passphrase, acceptRestore);
    if (!vault) {
        // The vault cannot hold this event (it did not open); the journal gets it instead.
        qCWarning(lcCore) << "vault open failed (L1):" << path << describe(vault.error()) << vault.error().detail;
        return vault.error();
    }
    d->attach(std::move(vault.value()));
    if (Status h = d->ensureDummyHash(); !h)
        return h;
    // What the anti-rollback anchor check found (INT-01), before the open itself.
    const Vault::AnchorReport& anchor = d->vault->anchorReport();
    if (anchor.restoreAccepted) {
        qCWarning(lcCore) << "restore accepted (L1):" << path << anchor.detail;
        if (Status s = d->record(QStringLiteral("system"), QStringLiteral("vault.restore_accepted"), Layer::Storage,
                                 Outcome::Allowed, FactorCategory::None, d->vault->path(),
                                 QStringLiteral("accepted as the newest state: %1").arg(anchor.detail));
            !s)
            return s;
    } else if (anchor.verdict == AnchorVerdict::Ahead || anchor.verdict == AnchorVerdict::Created) {
        if (Status s = d->record(QStringLiteral("system"),
                                 anchor.verdict == AnchorVerdict::Ahead ? QStringLiteral("vault.anchor_repaired")
                                                                        : QStringLiteral("vault.anchor_created"),
                                 Layer::Storage, Outcome::Info, FactorCategory::None, d->vault->path(), anchor.detail);
            !s)
            return s;
    }
    return d->record(QStringLiteral("system"), QStringLiteral("vault.opened"), Layer::Storage, Outcome::Allowed,
                     FactorCategory::None, d->vault->path(), keyLocation());
}

bool Gatehouse::isOpen() const {
    std::lock_guard guard(m_lock);
    return d->vault != nullptr;
}

QString Gatehouse::vaultPath() const {
    std::lock_guard guard(m_lock);
    return d->vault ? d->vault->path() : QString();
}

KeySource Gatehouse::keySource() const {
    std::lock_guard guard(m_lock);
    return d->vault ? d->vault->keySource() : KeySource::Keychain;
}

QString Gatehouse::keyLocation() const {
    std::lock_guard guard(m_lock);
    if (!d->vault)
        return {};
    if (d->vault->keySource() == KeySource::Passphrase)
        return QStringLiteral("vault passphrase (Argon2id; salt and parameters in %1)")
            .arg(Vault::kdfSidecarPath(d->vault->path()));
    return QStringLiteral("%1, entry \"%2\" of service \"%3\"")
        .arg(d->keys->describe(), Vault::keychainEntry(d->vault->path()),
             QString::fromLatin1(SecretServiceKeyStore::kService));
}

bool Gatehouse::needsFirstAdmin() {
    std::lock_guard guard(m_lock);
    if (!d->vault)
        return false;
    auto st = d->vault->db().prepare("SELECT count(*) FROM users");
    return st && st->step() && st->int64(0) == 0;
}

Status Gatehouse::createFirstAdmin(const QString& rawName, const SecureBuffer& password) {
    std::unique_lock guard(m_lock);
    if (!d->vault)
        return Errc::VaultNotFound;
    const auto name = normaliseUsername(rawName);
    if (!name)
        return Errc::InvalidUsername;
    const SecureBuffer norm = normalisedPassword(password);
    const PasswordVerdict verdict = PasswordPolicy::check(norm, *name);
    if (!verdict.acceptable())
        return Error{Errc::PasswordRejected, PasswordPolicy::explain(verdict), 0};
    guard.unlock(); // Argon2id never runs under the facade lock (issue 10); the count is checked below
    const auto phc = passwordhash::hash(norm, d->hashParams);
    guard.lock();
    if (!phc)
        return Error{Errc::Internal, QStringLiteral("password hashing failed (out of memory?)"), 0};
    if (!d->vault)
        return Errc::VaultNotFound;
    return d->vault->transaction([&]() -> Status {
        auto count = d->vault->db().prepare("SELECT count(*) FROM users");
        if (!count || !count->step())
            return count ? count->error() : count.error();
        if (count->int64(0) != 0)
            return Errc::AlreadyInitialised;
        auto st = d->vault->db().prepare(
            "INSERT INTO users(username, password_hash, role, created_at) VALUES (?, ?, 'admin', ?)");
        if (!st)
            return st.error();
        st->bind(1, *name).bind(2, QString::fromLatin1(*phc)).bind(3, d->clock->nowSecs());
        if (Status s = st->done(); !s)
            return s;
        const qint64 id = d->vault->db().lastInsertId();
        if (auto r = d->roleStore->assign(id, roles::kAdmin, d->clock->nowSecs()); !r)
            return r.error();
        return d->record(*name, QStringLiteral("user.created"), Layer::Access, Outcome::Allowed,
                         FactorCategory::Knowledge, *name, QStringLiteral("first administrator"), Impl::self(id));
    });
}

Status Gatehouse::logout(Session& session) {
    std::lock_guard guard(m_lock);
    if (!d->vault)
        return Errc::VaultNotFound;
    auto record = d->sessions->validate(session.secret);
    session.secret = SecureBuffer(); // SES-02: the secret is gone either way
    if (!record)
        return record.code() == Errc::SessionInvalid ? ok() : Status(record.error());
    return d->vault->transaction([&]() -> Status {
        if (Status s = d->sessions->end(record->id, QStringLiteral("logout")); !s)
            return s;
        return d->record(session.info.username, QStringLiteral("session.ended"), Layer::Session, Outcome::Info,
                         FactorCategory::None, record->id, QStringLiteral("logout"), Impl::by(record->userId));
    });
}

Result<SessionInfo> Gatehouse::validate(const Session& session) {
    std::lock_guard guard(m_lock);
    if (!d->vault)
        return Errc::VaultNotFound;
    // A check, not activity (the GUI polls this to notice revocation and expiry).
    auto record = d->sessions->validateNow(session.secret, SessionStore::Use::Peek);
    if (!record) {
        Error e = record.error();
        if (e.code == Errc::SessionInvalid) {
            if (!e.detail.isEmpty())
                d->auditRejected(session, e); // just expired: ended and audited once
            else
                e.detail = d->sessions->endReasonOf(session.secret); // why, for the lock screen
        }
        return e;
    }
    auto user = d->findUser(QStringLiteral("id"), record->userId);
    if (!user)
        return user.error();
    if (!user->has_value() || !(*user)->enabled)
        return Errc::SessionInvalid;
    return d->infoOf(record.value(), **user);
}

Status Gatehouse::changePassword(Session& session, const SecureBuffer& current, const SecureBuffer& next) {
    std::unique_lock guard(m_lock);
    auto caller = d->authorize(session, Permission::PasswordChangeOwn);
    if (!caller)
        return caller.error();
    // SES-04: a fresh session, and the current password on top (PW-10). Neither renews anything.
    if (Status f = d->requireFresh(*caller, QStringLiteral("changing the password")); !f)
        return f;
    const UserRow user = caller->user;
    if (Status t = d->chargeAttempt(user.username, FactorCategory::Knowledge, user.id); !t)
        return t;
    const SecureBuffer currentNorm = normalisedPassword(current);
    const SecureBuffer nextNorm = normalisedPassword(next);
    const PasswordVerdict verdict = PasswordPolicy::check(nextNorm, user.username);
    const bool same =
        crypto::constantTimeEqual(currentNorm.data(), currentNorm.size(), nextNorm.data(), nextNorm.size());
    // Argon2id (the check and the new hash) with the lock released; the session and the stored
    // hash are checked again after it.
    guard.unlock();
    const bool proven = passwordhash::verify(user.hash, currentNorm);
    const auto phc = proven && verdict.acceptable() && !same ? passwordhash::hash(nextNorm, d->hashParams)
                                                             : std::optional<QByteArray>();
    guard.lock();
    if (!proven) {
        d->failAttempt(user.username, QStringLiteral("password.change_failed"), FactorCategory::Knowledge,
                       QStringLiteral("current password wrong"), Outcome::Failed, user.id);
        return Errc::AuthenticationFailed;
    }
    // The current password is proven: its own charge goes back, whatever the new one's fate.
    if (Status c = d->refundAttempt(user.username); !c)
        return c;
    if (!verdict.acceptable())
        return Error{Errc::PasswordRejected, PasswordPolicy::explain(verdict), 0};
    if (same)
        return Error{Errc::PasswordRejected, QStringLiteral("Choose a new password, not the current one."), 0};
    if (!phc)
        return Error{Errc::Internal, QStringLiteral("password hashing failed (out of memory?)"), 0};
    if (auto again = d->authorize(session, Permission::PasswordChangeOwn); !again)
        return again.error(); // ended while the lock was free

    Session renewed;
    Status s = d->vault->transaction([&]() -> Status {
        auto st = d->vault->db().prepare("UPDATE users SET password_hash = ?, must_change_password = 0, "
                                         "password_expires_at = NULL WHERE id = ? AND password_hash = ?");
        if (!st)
            return st.error();
        st->bind(1, QString::fromLatin1(*phc)).bind(2, user.id).bind(3, QString::fromLatin1(user.hash));
        if (Status u = st->done(); !u)
            return u;
        if (d->vault->db().changes() != 1) // changed by another process since it was verified
            return Error{Errc::AuthenticationFailed, QStringLiteral("the password was changed meanwhile"), 0};
        // Every session of the account ends with the old password; the caller gets a new secret.
        if (Status e = d->sessions->endAllForUser(user.id, QStringLiteral("password changed")); !e)
            return e;
        if (Status a = d->record(user.username, QStringLiteral("password.changed"), Layer::Verification,
                                 Outcome::Allowed, FactorCategory::Knowledge, user.username, {}, Impl::self(user.id));
            !a)
            return a;
        UserRow updated = user;
        updated.mustChange = false;
        // The same session continues: its AAL, freshness and absolute deadline stay (SES-03/04).
        auto issued =
            d->issueSession(updated, caller->record.client, parseFactors(caller->record.factors),
                            QStringLiteral("after password change"), &caller->record, false, caller->record.aal);
        if (!issued)
            return issued.error();
        renewed = std::move(issued.value());
        return ok();
    });
    if (!s)
        return s;
    session = std::move(renewed);
    return ok();
}

Result<QList<AccountNotice>> Gatehouse::notices(const Session& session) {
    std::lock_guard guard(m_lock);
    auto caller = d->authorize(session, Permission::PasswordChangeOwn); // one's own: any live session
    if (!caller)
        return caller.error();
    auto open = d->notices->open(caller->user.id);
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

Status Gatehouse::dismissNotice(const Session& session, qint64 noticeId) {
    std::lock_guard guard(m_lock);
    auto caller = d->authorize(session, Permission::PasswordChangeOwn);
    if (!caller)
        return caller.error();
    auto gone = d->notices->dismiss(caller->user.id, noticeId, d->clock->nowSecs());
    if (!gone)
        return gone.error();
    if (!*gone) // another account's notice reads the same as a missing one (AC-02)
        return Error{Errc::InvalidArgument, QStringLiteral("No notice with id %1.").arg(noticeId), 0};
    return d->record(caller->user.username, QStringLiteral("notice.dismissed"), Layer::Verification, Outcome::Info,
                     FactorCategory::None, caller->user.username, QStringLiteral("notice %1").arg(noticeId),
                     Impl::self(caller->user.id));
}

Result<SecureBuffer> Gatehouse::addUser(const Session& session, const QString& rawName, const QString& role) {
    std::unique_lock guard(m_lock);
    const auto name = normaliseUsername(rawName);
    // Everything the caller must be allowed, checked before the temporary password is hashed and
    // again after it (the lock is released for Argon2id, so roles or the session may change).
    const auto checks = [&]() -> Result<Impl::Caller> {
        auto caller = d->authorize(session, Permission::UsersManage, rawName);
        if (!caller)
            return caller.error();
        if (Status f = d->requireFresh(*caller, QStringLiteral("adding an account")); !f) // AC-06
            return f.error();
        if (!name)
            return Errc::InvalidUsername;
        if (role.isEmpty())
            return caller;
        // Creating an account with a role is a role assignment: roles.assign, and nothing beyond
        // what the caller holds (AC-06).
        auto found = d->roleStore->find(role);
        if (!found)
            return found.error();
        if (!found->has_value()) {
            auto all = d->roleStore->list();
            QStringList names;
            if (all)
                for (const RoleRecord& r : *all)
                    names << r.name;
            return Error{Errc::InvalidArgument,
                         QStringLiteral("Unknown role \"%1\". Roles: %2.").arg(role, names.join(u", ")), 0};
        }
        auto assigner = d->authorize(session, Permission::RolesAssign, *name);
        if (!assigner)
            return assigner.error();
        if (Status h = d->requireHeld(*assigner, (*found)->permissions, *name); !h)
            return h.error();
        return caller;
    };
    auto caller = checks();
    if (!caller)
        return caller.error();

    // PW-11: the administrator never chooses the password; a CSPRNG one-time secret is shown once.
    SecureBuffer temp(kTempGroups * (kTempGroupLength + 1) - 1);
    for (int g = 0; g < kTempGroups; ++g) {
        SecureBuffer group = d->random->text(kTempGroupLength, kTempAlphabet);
        std::memcpy(temp.data() + g * (kTempGroupLength + 1), group.data(), kTempGroupLength);
        if (g + 1 < kTempGroups)
            temp.data()[g * (kTempGroupLength + 1) + kTempGroupLength] = '-';
    }
    guard.unlock();
    const auto phc = passwordhash::hash(temp, d->hashParams);
    guard.lock();
    if (!phc)
        return Error{Errc::Internal, QStringLiteral("password hashing failed (out of memory?)"), 0};
    caller = checks();
    if (!caller)
        return caller.error();
    Status s = d->vault->transaction([&]() -> Status {
        auto existing = d->findUser(QStringLiteral("username"), *name);
        if (!existing)
            return existing.error();
        if (existing->has_value())
            return Errc::UserExists;
        auto st = d->vault->db().prepare("INSERT INTO users(username, password_hash, role, must_change_password, "
                                         "password_expires_at, created_at) VALUES (?, ?, ?, 1, ?, ?)");
        if (!st)
            return st.error();
        const qint64 now = d->clock->nowSecs();
        st->bind(1, *name)
            .bind(2, QString::fromLatin1(*phc))
            .bind(3, role)
            .bind(4, now + kTempPasswordLifetimeSecs)
            .bind(5, now);
        if (Status i = st->done(); !i)
            return i;
        const qint64 id = d->vault->db().lastInsertId();
        if (!role.isEmpty())
            if (auto r = d->roleStore->assign(id, role, now); !r)
                return r.error();
        return d->record(caller->user.username, QStringLiteral("user.created"), Layer::Access, Outcome::Allowed,
                         FactorCategory::None, *name, role.isEmpty() ? QStringLiteral("no role") : role,
                         {caller->user.id, id});
    });
    if (!s)
        return s.error();
    return temp;
}

Result<QList<UserInfo>> Gatehouse::listUsers(const Session& session) {
    std::lock_guard guard(m_lock);
    auto caller = d->authorize(session, Permission::UsersRead);
    if (!caller)
        return caller.error();
    auto st = d->vault->db().prepare(
        "SELECT u.username, u.role, u.enabled, u.must_change_password, u.created_at, coalesce(u.last_login_at, 0), "
        "coalesce(t.failures, 0), u.id FROM users u LEFT JOIN login_throttle t ON t.username = u.username "
        "ORDER BY u.username");
    if (!st)
        return st.error();
    QList<UserInfo> users;
    while (st->step()) {
        UserInfo u;
        u.username = st->text(0);
        u.role = st->text(1);
        u.enabled = st->int64(2) != 0;
        u.mustChangePassword = st->int64(3) != 0;
        u.created = QDateTime::fromSecsSinceEpoch(st->int64(4), Qt::UTC);
        if (const qint64 last = st->int64(5))
            u.lastLogin = QDateTime::fromSecsSinceEpoch(last, Qt::UTC);
        u.locked = throttle::locked(static_cast<int>(st->int64(6)));
        auto held = d->roleStore->rolesOf(st->int64(7));
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

Status Gatehouse::setUserEnabled(const Session& session, const QString& rawName, bool enabled) {
    std::lock_guard guard(m_lock);
    auto caller = d->authorize(session, Permission::UsersManage, rawName);
    if (!caller)
        return caller.error();
    if (Status f = d->requireFresh(*caller, enabled ? QStringLiteral("enabling an account")
                                                    : QStringLiteral("disabling an account"));
        !f) // AC-06
        return f;
    const auto name = normaliseUsername(rawName);
    if (!name)
        return Errc::InvalidUsername;
    QString guardDenied; // audited after the rollback
    qint64 targetId = 0;
    Status result = d->vault->transaction([&]() -> Status {
        auto target = d->findUser(QStringLiteral("username"), *name);
        if (!target)
            return target.error();
        if (!target->has_value())
            return Errc::UserNotFound;
        const UserRow& u = **target;
        targetId = u.id;
        if (!enabled && u.enabled) {
            // AC-06: the last enabled holder of roles.assign stays enabled.
            auto holds = d->roleStore->holdsThroughOthers(u.id, Permission::RolesAssign, {});
            if (!holds)
                return holds.error();
            auto others = d->roleStore->otherHolders(Permission::RolesAssign, u.id);
            if (!others)
                return others.error();
            if (*holds && *others == 0) {
                const QString why = QStringLiteral("%1 is the last administrator (the only account that can assign "
                                                   "roles), so the account cannot be disabled")
                                        .arg(u.username);
                guardDenied = QStringLiteral("last-admin guard on %1").arg(u.username);
                return Error{Errc::NotPermitted, why, 0};
            }
        }
        auto st = d->vault->db().prepare("UPDATE users SET enabled = ? WHERE id = ?");
        if (!st)
            return st.error();
        st->bind(1, enabled ? 1 : 0).bind(2, u.id);
        if (Status s = st->done(); !s)
            return s;
        if (d->vault->db().changes() != 1)
            return Errc::UserNotFound;
        if (!enabled) {
            // SES-06: a disabled account's sessions end at once (other processes within kPollMs).
            if (auto e = d->sessions->endMany(u.id, QString(), QStringLiteral("user disabled"), caller->user.username);
                !e)
                return e.error();
        }
        return d->record(caller->user.username,
                         enabled ? QStringLiteral("user.enabled") : QStringLiteral("user.disabled"), Layer::Access,
                         Outcome::Allowed, FactorCategory::None, *name, {}, {caller->user.id, u.id});
    });
    if (!guardDenied.isEmpty())
        (void)d->record(caller->user.username, QStringLiteral("access.denied"), Layer::Access, Outcome::Denied,
                        FactorCategory::None, permissionName(Permission::UsersManage), guardDenied,
                        {caller->user.id, targetId});
    return result;
}

Status Gatehouse::unlockUser(const Session& session, const QString& rawName) {
    std::lock_guard guard(m_lock);
    auto caller = d->authorize(session, Permission::UsersManage, rawName);
    if (!caller)
        return caller.error();
    if (caller->record.aal < static_cast<int>(Aal::Aal2))
        return Error{Errc::NotPermitted, QStringLiteral("unlocking an account needs a two-factor session"), 0};
    if (Status f = d->requireFresh(*caller, QStringLiteral("unlocking an account")); !f) // AC-06
        return f;
    const auto name = normaliseUsername(rawName);
    if (!name)
        return Errc::InvalidUsername;
    return d->vault->transaction([&]() -> Status {
        auto target = d->findUser(QStringLiteral("username"), *name);
        if (!target)
            return target.error();
        if (!target->has_value())
            return Errc::UserNotFound;
        if (Status c = d->clearFailures(*name); !c)
            return c;
        return d->record(caller->user.username, QStringLiteral("user.unlocked"), Layer::Access, Outcome::Allowed,
                         FactorCategory::None, *name, {}, {caller->user.id, (*target)->id});
    });
}

Result<VaultStatus> Gatehouse::status() {
    std::lock_guard guard(m_lock);
    if (!d->vault)
        return Errc::VaultNotFound;
    VaultStatus s;
    s.path = d->vault->path();
    s.keySource = d->vault->keySource();
    s.keyLocation = keyLocation();
    s.schemaVersion = d->vault->schemaVersion();
    auto st = d->vault->db().prepare(
        "SELECT count(*), "
        "coalesce(sum(enabled = 1 AND EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = users.id AND "
        "r.role = 'admin')), 0), coalesce(sum(enabled = 0), 0), "
        "(SELECT count(*) FROM login_throttle t JOIN users u ON u.username = t.username WHERE t.failures >= ?) "
        "FROM users");
    if (!st)
        return st.error();
    st->bind(1, throttle::kLockAt);
    if (!st->step())
        return st->error();
    s.users = static_cast<int>(st->int64(0));
    s.admins = static_cast<int>(st->int64(1));
    s.disabledUsers = static_cast<int>(st->int64(2));
    s.lockedUsers = static_cast<int>(st->int64(3));
    auto active = d->sessions->countActive();
    if (!active)
        return active.error();
    s.activeSessions = active.value();
    auto chain = d->audit->verify();
    if (!chain)
        return chain.error();
    s.auditEvents = chain->events;
    s.auditChainIntact = chain->intact;
    const auto perms = QFileInfo(s.path).permissions();
    s.ownerOnlyPermissions = !(perms & (QFile::ReadGroup | QFile::WriteGroup | QFile::ReadOther | QFile::WriteOther));
    return s;
}

Result<QList<AuditEvent>> Gatehouse::recentAudit(const Session& session, int limit) {
    std::lock_guard guard(m_lock);
    auto caller = d->authorize(session, Permission::AuditRead);
    if (!caller)
        return caller.error();
    return d->audit->recent(limit);
}

PasswordVerdict Gatehouse::checkPassword(const QString& password, const QString& username) const {
    const QString name = normaliseUsername(username).value_or(username);
    return PasswordPolicy::check(password, name);
}

} // namespace gh
