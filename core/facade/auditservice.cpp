// AuditService (io.gatehouse.Gatehouse1.Audit): the facade's audit operations: recent events,
// query, single events, diagnosis, chain verification, and events only gatehoused can see.
#include "auditservice.h"

#include "core.h"

namespace gh {

namespace {

// A read of audit events through a live session: who may see what (AUD-04 "read-only to
// non-admins", AC-02 ownership).
struct AuditReader {
    QString self;
    qint64 id = 0;           // the reader's account
    bool everything = false; // audit.read (from a two-factor session)
    std::optional<Core::Caller> caller;
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
static Result<AuditReader> auditReader(Core& d, const Session& session) {
    auto caller = d.authorize(session, Permission::PasswordChangeOwn);
    if (!caller)
        return caller.error();
    AuditReader r;
    r.self = caller->user.username;
    r.id = caller->user.id;
    r.everything = caller->record.restriction == 0 && caller->permissions.contains(Permission::AuditRead) &&
                   caller->record.aal >= static_cast<int>(Aal::Aal2);
    r.caller = std::move(*caller);
    return r;
}

static Error deniedForeign(Core& d, const AuditReader& reader, const QString& what) {
    (void)d.record(reader.self, QStringLiteral("access.denied"), Layer::Access, Outcome::Denied, FactorCategory::None,
                   permissionName(Permission::AuditRead), what, Core::by(reader.id));
    return Error{Errc::NotPermitted,
                 QStringLiteral("Reading other accounts' audit events needs the %1 permission; without it you see "
                                "your own history only.")
                     .arg(permissionName(Permission::AuditRead)),
                 0};
}

Result<QList<AuditEvent>> AuditService::recentAudit(const Session& session, int limit) {
    std::lock_guard guard(m_core.lock);
    auto caller = m_core.authorize(session, Permission::AuditRead);
    if (!caller)
        return caller.error();
    return m_core.audit->recent(limit);
}

Result<AuditPage> AuditService::queryAudit(const Session& session, AuditQuery query) {
    std::lock_guard guard(m_core.lock);
    auto reader = auditReader(m_core, session);
    if (!reader)
        return reader.error();
    if (!reader->everything) {
        const QString& me = reader->self;
        if ((!query.user.isEmpty() && query.user != me) || (!query.actor.isEmpty() && query.actor != me) ||
            (!query.subject.isEmpty() && query.subject != me))
            return deniedForeign(m_core, *reader, QStringLiteral("events of another account"));
        query.account = reader->id; // its own events, by the ids recorded with them
    }
    auto page = m_core.audit->query(query);
    // Another account's history, asked for by name, read through audit.read (issue 13 item 6).
    // Browsing the whole log is what an auditor does all day and is not recorded row by row.
    const QString& me = reader->self;
    const QString named = !query.user.isEmpty() ? query.user : !query.subject.isEmpty() ? query.subject : query.actor;
    if (page && reader->everything && !named.isEmpty() && named != me) {
        qint64 ownerId = 0;
        if (auto u = m_core.findUser(QStringLiteral("username"), named); u && u->has_value())
            ownerId = (*u)->id;
        m_core.auditForeignRead(*reader->caller, Permission::AuditRead, QStringLiteral("%1's audit history").arg(named),
                                named, ownerId);
    }
    return page;
}

Result<AuditEvent> AuditService::auditEvent(const Session& session, qint64 id) {
    std::lock_guard guard(m_core.lock);
    return auditEventLocked(session, id);
}

Result<AuditEvent> AuditService::auditEventLocked(const Session& session, qint64 id) {
    auto reader = auditReader(m_core, session);
    if (!reader)
        return reader.error();
    auto e = m_core.audit->event(id);
    if (!e)
        return e.error();
    // Without audit.read, an event that is not one's own reads the same as a missing one, so ids
    // cannot be probed for other accounts' activity.
    if (!e->has_value() || (!reader->everything && !concerns(**e, reader->id))) {
        if (e->has_value())
            (void)deniedForeign(m_core, *reader, QStringLiteral("event %1").arg(id));
        return Error{Errc::InvalidArgument, QStringLiteral("No audit event with id %1.").arg(id), 0};
    }
    return **e;
}

Result<Diagnosis> AuditService::diagnoseAudit(const Session& session, qint64 id) {
    std::lock_guard guard(m_core.lock);
    auto e = auditEventLocked(session, id);
    if (!e)
        return e.error();
    return diagnose(e.value());
}

Result<ChainReport> AuditService::verifyAudit(const Session& session) {
    std::lock_guard guard(m_core.lock);
    auto caller = m_core.authorize(session, Permission::AuditRead);
    if (!caller)
        return caller.error();
    auto report = m_core.audit->verify();
    if (!report)
        return report;
    if (!m_core.vault->anchored()) {
        report->anchor = QStringLiteral("none");
        return report;
    }
    auto anchor = m_core.vault->checkAnchor();
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

Status AuditService::recordServiceEvent(const QString& actor, const QString& action, Layer layer, Outcome outcome,
                                        const QString& subject, const QString& detail) {
    std::lock_guard guard(m_core.lock);
    if (!m_core.vault)
        return Errc::VaultNotFound;
    return m_core.vault->transaction([&]() -> Status {
        return m_core.record(actor, action, layer, outcome, FactorCategory::None, subject, detail);
    });
}

} // namespace gh
