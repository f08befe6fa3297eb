// The facade's audit operations: query, single events, diagnosis, chain verification, and the
// per-layer health summary (issue 6, audit half).
#include "gatehouse_p.h"

#include "verification/throttle.h"

#include <QFile>
#include <QFileInfo>

namespace gh {

namespace {

// A read of audit events through a live session: who may see what (AUD-04 "read-only to
// non-admins", AC-02 ownership).
struct AuditReader {
    QString self;
    qint64 id = 0;           // the reader's account
    bool everything = false; // audit.read
};

// By or about this account, as recorded (account ids, never names: a name can equal a permission,
// a role or "system", AC-02).
bool concerns(const AuditEvent& e, qint64 account) {
    return account > 0 && (e.actorId == account || e.subjectId == account);
}

} // namespace

// Every live session may read its own history; audit.read (held by the session's role, and the
// session unrestricted) reads everything. The session check is the facade's own (L3) through a
// permission every account holds.
template <class Impl> static Result<AuditReader> auditReader(Impl& d, const Session& session) {
    auto caller = d.authorize(session, Permission::PasswordChangeOwn);
    if (!caller)
        return caller.error();
    AuditReader r;
    r.self = caller->user.username;
    r.id = caller->user.id;
    r.everything = caller->record.restriction == 0 && caller->permissions.contains(Permission::AuditRead);
    return r;
}

template <class Impl> static Error deniedForeign(Impl& d, const AuditReader& reader, const QString& what) {
    (void)d.record(reader.self, QStringLiteral("access.denied"), Layer::Access, Outcome::Denied, FactorCategory::None,
                   permissionName(Permission::AuditRead), what, Impl::by(reader.id));
    return Error{Errc::NotPermitted,
                 QStringLiteral("Reading other accounts' audit events needs the %1 permission; without it you see "
                                "your own history only.")
                     .arg(permissionName(Permission::AuditRead)),
                 0};
}

Result<AuditPage> Gatehouse::queryAudit(const Session& session, AuditQuery query) {
    std::lock_guard guard(m_lock);
    auto reader = auditReader(*d, session);
    if (!reader)
        return reader.error();
    if (!reader->everything) {
        const QString& me = reader->self;
        if ((!query.user.isEmpty() && query.user != me) || (!query.actor.isEmpty() && query.actor != me) ||
            (!query.subject.isEmpty() && query.subject != me))
            return deniedForeign(*d, *reader, QStringLiteral("events of another account"));
        query.account = reader->id; // its own events, by the ids recorded with them
    }
    return d->audit->query(query);
}

Result<AuditEvent> Gatehouse::auditEvent(const Session& session, qint64 id) {
    std::lock_guard guard(m_lock);
    auto reader = auditReader(*d, session);
    if (!reader)
        return reader.error();
    auto e = d->audit->event(id);
    if (!e)
        return e.error();
    // Without audit.read, an event that is not one's own reads the same as a missing one, so ids
    // cannot be probed for other accounts' activity.
    if (!e->has_value() || (!reader->everything && !concerns(**e, reader->id))) {
        if (e->has_value())
            (void)deniedForeign(*d, *reader, QStringLiteral("event %1").arg(id));
        return Error{Errc::InvalidArgument, QStringLiteral("No audit event with id %1.").arg(id), 0};
    }
    return **e;
}

Result<Diagnosis> Gatehouse::diagnoseAudit(const Session& session, qint64 id) {
    auto e = auditEvent(session, id);
    if (!e)
        return e.error();
    return diagnose(e.value());
}

Result<ChainReport> Gatehouse::verifyAudit(const Session& session) {
    std::lock_guard guard(m_lock);
    auto caller = d->authorize(session, Permission::AuditRead);
    if (!caller)
        return caller.error();
    auto report = d->audit->verify();
    if (!report)
        return report;
    if (!d->vault->anchored()) {
        report->anchor = QStringLiteral("none");
        return report;
    }
    auto anchor = d->vault->checkAnchor();
    if (!anchor)
        return anchor.error();
    report->anchor = anchorVerdictName(anchor->verdict);
    report->anchorIntact = anchor->verdict == AnchorVerdict::Same || anchor->verdict == AnchorVerdict::Ahead;
    report->anchorDetail = anchor->verdict == AnchorVerdict::Same
                               ? QStringLiteral("the anchor records this vault's newest commit %1 and event #%2")
                                     .arg(anchor->vault.seq)
                                     .arg(anchor->vault.auditId)
                               : anchor->detail;
    return report;
}

Result<LayerHealth> Gatehouse::layerHealth() {
    std::lock_guard guard(m_lock);
    if (!d->vault)
        return Errc::VaultNotFound;
    LayerHealth h;
    Database& db = d->vault->db();

    // L1: encrypted at rest, where the key lives, who can read the file.
    const QString path = d->vault->path();
    {
        // Not with a QFile: closing a second descriptor of the file drops SQLite's POSIX locks.
        auto header = db.fileHeader(16);
        h.vaultEncrypted = header && *header != QByteArray("SQLite format 3\0", 16);
    }
    h.keySource = d->vault->keySource();
    h.keyLocation = keyLocation();
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

    // L3: live sessions and the lifetime they run under.
    auto active = d->sessions->countActive();
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
    note(Layer::Verification, false,
         QStringLiteral("%1 accounts: %2 with a second factor, %3 without")
             .arg(h.accounts)
             .arg(h.accountsWithMfa)
             .arg(h.accountsWithoutMfa));
    if (h.adminsWithoutMfa > 0)
        note(Layer::Verification, true,
             QStringLiteral("%1 administrator(s) without a second factor: they can only enroll one until they do")
                 .arg(h.adminsWithoutMfa),
             QStringLiteral("security"));
    if (h.lockedAccounts > 0)
        note(Layer::Verification, true,
             QStringLiteral("%1 account(s) locked after repeated failures: review, then unlock").arg(h.lockedAccounts),
             QStringLiteral("users"));
    note(Layer::Session, false, QStringLiteral("%1 active session(s); %2").arg(h.activeSessions).arg(h.lifetimePolicy),
         QStringLiteral("sessions"));
    note(Layer::Access, false,
         QStringLiteral("%1 administrator(s), %2 user(s) without a role, custom roles: %3")
             .arg(h.admins)
             .arg(h.usersWithoutRole)
             .arg(h.customRoles < 0 ? QStringLiteral("not yet") : QString::number(h.customRoles)));
    if (h.admins == 0)
        note(Layer::Access, true, QStringLiteral("No enabled administrator: nobody can manage accounts"),
             QStringLiteral("users"));
    if (h.usersWithoutRole > 0)
        note(Layer::Access, true,
             QStringLiteral("%1 user(s) without a role can only manage their own password and factors")
                 .arg(h.usersWithoutRole),
             QStringLiteral("roles"));
    return h;
}

} // namespace gh
