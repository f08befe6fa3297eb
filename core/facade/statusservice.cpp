// StatusService (io.gatehouse.Gatehouse1.Status): vault facts and counts, the per-layer health
// summary (issue 6), whether the first administrator is still to be created, the relying-party id.
// None of them needs a session.
#include "statusservice.h"

#include "core.h"

#include "securitykeys.h"

#include "verification/throttle.h"

#include <QFile>
#include <QFileInfo>

namespace gh {

namespace {
// "1 account", "2 accounts": the health lines are read by people (gatehousectl status, Home).
QString counted(qint64 n, const char* one, const char* many) {
    return QStringLiteral("%1 %2").arg(n).arg(QLatin1String(n == 1 ? one : many));
}
} // namespace

bool StatusService::needsFirstAdmin() {
    std::lock_guard guard(m_core.lock);
    if (!m_core.vault)
        return false;
    auto st = m_core.vault->db().prepare("SELECT count(*) FROM users");
    return st && st->step() && st->int64(0) == 0;
}

Result<VaultStatus> StatusService::vaultStatus() {
    std::lock_guard guard(m_core.lock);
    if (!m_core.vault)
        return Errc::VaultNotFound;
    VaultStatus s;
    s.path = m_core.vault->path();
    s.keySource = m_core.vault->keySource();
    s.keyLocation = m_core.keyLocation();
    s.schemaVersion = m_core.vault->schemaVersion();
    auto st = m_core.vault->db().prepare(
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
    auto active = m_core.sessions->countActive();
    if (!active)
        return active.error();
    s.activeSessions = active.value();
    auto chain = m_core.audit->verify();
    if (!chain)
        return chain.error();
    s.auditEvents = chain->events;
    s.auditChainIntact = chain->intact;
    const auto perms = QFileInfo(s.path).permissions();
    s.ownerOnlyPermissions = !(perms & (QFile::ReadGroup | QFile::WriteGroup | QFile::ReadOther | QFile::WriteOther));
    return s;
}

Result<LayerHealth> StatusService::layerHealth() {
    std::lock_guard guard(m_core.lock);
    if (!m_core.vault)
        return Errc::VaultNotFound;
    LayerHealth h;
    Database& db = m_core.vault->db();

    // L1: encrypted at rest, where the key lives, who can read the file.
    const QString path = m_core.vault->path();
    {
        // Not with a QFile: closing a second descriptor of the file drops SQLite's POSIX locks.
        auto header = db.fileHeader(16);
        h.vaultEncrypted = header && *header != QByteArray("SQLite format 3\0", 16);
    }
    h.keySource = m_core.vault->keySource();
    h.keyLocation = m_core.keyLocation();
    const auto perms = QFileInfo(path).permissions();
    h.ownerOnlyPermissions = !(perms & (QFile::ReadGroup | QFile::WriteGroup | QFile::ReadOther | QFile::WriteOther));
    const int mode = ((perms & QFile::ReadOwner) ? 0400 : 0) | ((perms & QFile::WriteOwner) ? 0200 : 0) |
                     ((perms & QFile::ExeOwner) ? 0100 : 0) | ((perms & QFile::ReadGroup) ? 040 : 0) |
                     ((perms & QFile::WriteGroup) ? 020 : 0) | ((perms & QFile::ExeGroup) ? 010 : 0) |
                     ((perms & QFile::ReadOther) ? 04 : 0) | ((perms & QFile::WriteOther) ? 02 : 0) |
                     ((perms & QFile::ExeOther) ? 01 : 0);
    h.filePermissions = QStringLiteral("%1").arg(mode, 4, 8, QLatin1Char('0'));

    // L2: second factors (any active, confirmed factor besides the password) and locks.
    auto st = db.prepare(
        "SELECT count(*), "
        "coalesce(sum(EXISTS (SELECT 1 FROM factors f WHERE f.user_id = u.id AND f.pending = 0)), 0), "
        "coalesce(sum(EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = u.id AND r.role = 'admin') AND "
        "NOT EXISTS (SELECT 1 FROM factors f WHERE f.user_id = u.id AND f.pending = 0)), 0), "
        "coalesce(sum(EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = u.id AND r.role = 'admin')), 0), "
        "coalesce(sum(NOT EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = u.id)), 0), "
        "(SELECT count(*) FROM login_throttle t JOIN users x ON x.username = t.username WHERE t.failures >= ?) "
        "FROM users u WHERE u.enabled = 1");
    if (!st)
        return st.error();
    st->bind(1, throttle::kLockAt);
    if (!st->step())
        return st->failed() ? st->error() : Error{Errc::Internal, QStringLiteral("no count row"), 0};
    h.accounts = static_cast<int>(st->int64(0));
    h.accountsWithMfa = static_cast<int>(st->int64(1));
    h.accountsWithoutMfa = h.accounts - h.accountsWithMfa;
    h.adminsWithoutMfa = static_cast<int>(st->int64(2));
    h.admins = static_cast<int>(st->int64(3));
    h.usersWithoutRole = static_cast<int>(st->int64(4));
    h.lockedAccounts = static_cast<int>(st->int64(5));

    // L2: accounts waiting out a delay or locked now, by name (issue 13 item 7).
    QStringList throttledNames, lockedNames;
    {
        auto t = db.prepare("SELECT t.username, t.failures, t.last_failure_at FROM login_throttle t "
                            "JOIN users u ON u.username = t.username WHERE t.failures > ? ORDER BY t.username");
        if (!t)
            return t.error();
        t->bind(1, throttle::kFreeFailures);
        const qint64 now = m_core.clock->nowSecs();
        while (t->step()) {
            const int failures = static_cast<int>(t->int64(1));
            if (throttle::locked(failures))
                lockedNames << t->text(0);
            else if (const qint64 wait = throttle::remaining(failures, t->int64(2), now))
                throttledNames << QStringLiteral("%1 (%2 failures, %3 s left)").arg(t->text(0)).arg(failures).arg(wait);
        }
        if (t->failed())
            return t->error();
    }
    h.throttledAccounts = static_cast<int>(throttledNames.size());
    // Accounts whose roles hold a permission that needs a second factor, without one (item 5).
    {
        auto p = db.prepare("SELECT DISTINCT u.username FROM users u JOIN user_roles r ON r.user_id = u.id "
                            "JOIN role_permissions p ON p.role = r.role WHERE u.enabled = 1 AND p.permission IN "
                            "('users.read', 'users.manage', 'audit.read', 'factors.manage_any', 'sessions.read_all', "
                            "'sessions.revoke_any', 'roles.assign', 'policy.manage') AND NOT EXISTS (SELECT 1 FROM "
                            "factors f WHERE f.user_id = u.id AND f.pending = 0 AND f.kind IN ('totp', 'fido2')) "
                            "ORDER BY u.username");
        if (!p)
            return p.error();
        while (p->step())
            h.privilegedWithoutMfa << p->text(0);
        if (p->failed())
            return p->error();
    }
    m_core.pollStuffing();
    h.attackInProgress = m_core.stuffing.active();
    // L1: the audit log's chain is part of what the vault keeps intact.
    auto chain = m_core.audit->verify();
    if (!chain)
        return chain.error();
    h.auditChainIntact = chain->intact;

    // L3: live sessions and the lifetime they run under.
    auto active = m_core.sessions->countActive();
    if (!active)
        return active.error();
    h.activeSessions = active.value();
    h.lifetimePolicy =
        QStringLiteral("sessions end after %1 h at most").arg(SessionStore::kAbsoluteLifetimeSecs / 3600);

    // L4: roles an administrator created (roles are vault data; the built-in ones are marked).
    if (auto r = db.prepare("SELECT count(*) FROM roles WHERE built_in = 0"); r && r->step())
        h.customRoles = static_cast<int>(r->int64(0));

    auto note = [&](Layer layer, bool warning, const QString& text, const QString& screen = {}) {
        h.notes.append(HealthNote{layer, warning, text, screen});
    };
    note(Layer::Storage, false,
         QStringLiteral("%1, key %2, file mode %3%4")
             .arg(h.vaultEncrypted ? QStringLiteral("vault encrypted") : QStringLiteral("vault NOT encrypted"),
                  h.keySource == KeySource::Keychain ? QStringLiteral("in the system keychain")
                                                     : QStringLiteral("derived from a passphrase"),
                  h.filePermissions, h.ownerOnlyPermissions ? QStringLiteral(" (owner only)") : QString()));
    if (!h.vaultEncrypted)
        note(Layer::Storage, true, QStringLiteral("The vault file is not encrypted; restore it from a backup."));
    if (!h.ownerOnlyPermissions)
        note(Layer::Storage, true,
             QStringLiteral("The vault file is readable by other users (mode %1); run: chmod 600 %2")
                 .arg(h.filePermissions, path));
    if (!h.auditChainIntact)
        note(Layer::Storage, true,
             QStringLiteral("The audit log's chain is broken at event %1 (%2): events were changed or removed. Run "
                            "gatehousectl audit verify; restore the vault from a backup if it was tampered with.")
                 .arg(chain->firstBrokenId)
                 .arg(chain->reason),
             QStringLiteral("audit"));
    note(Layer::Verification, false,
         QStringLiteral("%1: %2 with a second factor, %3 without")
             .arg(counted(h.accounts, "account", "accounts"))
             .arg(h.accountsWithMfa)
             .arg(h.accountsWithoutMfa));
    // Administrators without a second factor are among h.privilegedWithoutMfa, warned about one by
    // one below (a count here as well made two warnings of one account).
    if (h.attackInProgress) {
        const StuffingSnapshot& a = m_core.stuffing.snapshot();
        note(Layer::Verification, true,
             QStringLiteral("Credential stuffing in progress for %1 s: %2 password failures against %3 names from %4; "
                            "password sign-ins are slowed down. Signed in during it (passwords probably "
                            "leaked): %5")
                 .arg((m_core.clock->monotonicMs() - a.startedMs) / 1000)
                 .arg(a.failures)
                 .arg(a.distinctNames)
                 .arg(counted(a.sources.size(), "source", "sources"))
                 .arg(a.signedIn.isEmpty() ? QStringLiteral("nobody") : a.signedIn.join(u", ")),
             QStringLiteral("audit"));
    }
    for (const QString& name : std::as_const(h.privilegedWithoutMfa))
        note(Layer::Verification, true,
             QStringLiteral("%1 holds permissions over other people's data without a second factor: the account can "
                            "only enroll one until it does")
                 .arg(name),
             QStringLiteral("security"));
    if (!throttledNames.isEmpty())
        note(Layer::Verification, true,
             QStringLiteral("Throttled now after repeated failures (someone guessing one account's password): %1")
                 .arg(throttledNames.join(u", ")),
             QStringLiteral("users"));
    if (h.lockedAccounts > 0)
        note(Layer::Verification, true,
             QStringLiteral("%1 locked after repeated failures: %2; review, then unlock")
                 .arg(counted(h.lockedAccounts, "account", "accounts"))
                 .arg(lockedNames.join(u", ")),
             QStringLiteral("users"));
    note(Layer::Session, false,
         QStringLiteral("%1; %2").arg(counted(h.activeSessions, "active session", "active sessions"), h.lifetimePolicy),
         QStringLiteral("sessions"));
    note(Layer::Access, false,
         QStringLiteral("%1, %2 without a role, custom roles: %3")
             .arg(counted(h.admins, "administrator", "administrators"))
             .arg(counted(h.usersWithoutRole, "user", "users"))
             .arg(h.customRoles < 0 ? QStringLiteral("not yet") : QString::number(h.customRoles)));
    if (h.admins == 0)
        note(Layer::Access, true, QStringLiteral("No enabled administrator: nobody can manage accounts"),
             QStringLiteral("users"));
    if (h.usersWithoutRole > 0)
        note(Layer::Access, true,
             QStringLiteral("%1 without a role can only manage their own password and factors")
                 .arg(counted(h.usersWithoutRole, "user", "users")),
             QStringLiteral("roles"));
    return h;
}

Result<QString> StatusService::relyingPartyId() {
    std::lock_guard guard(m_core.lock);
    if (!m_core.vault)
        return Errc::VaultNotFound;
    return rpIdOf(*m_core.vault);
}

} // namespace gh
