// io.gatehouse.Gatehouse1.Audit (app/gatehoused/iface_audit.cpp): audit as diagnosis. Reached as
// gh.audit().
#pragma once

#include "audit/auditlog.h"
#include "audit/diagnosis.h"
#include "errors.h"
#include "facade/service.h"
#include "types.h"

#include <QList>
#include <QString>

namespace gh {

class AuditService : public FacadeService {
public:
    using FacadeService::FacadeService;

    // The latest events; needs audit.read.
    Result<QList<AuditEvent>> recentAudit(const Session& session, int limit);
    // A session whose roles hold audit.read reads every event; any other live session reads only
    // its own history: the events it acted in or that are about it (the account ids recorded as
    // actor or subject are its own: AC-02). Asking for another account's events without
    // audit.read is denied and audited (L4).
    Result<AuditPage> queryAudit(const Session& session, AuditQuery query);
    Result<AuditEvent> auditEvent(const Session& session, qint64 id);
    Result<Diagnosis> diagnoseAudit(const Session& session, qint64 id);
    // Walks the whole chain (≈1 s per million events); needs audit.read.
    Result<ChainReport> verifyAudit(const Session& session);
    // For gatehoused: records an event the service itself observed (e.g. a session token
    // presented by another uid, L3). Never pass a secret.
    Status recordServiceEvent(const QString& actor, const QString& action, Layer layer, Outcome outcome,
                              const QString& subject, const QString& detail);

private:
    // auditEvent() with the facade lock held (diagnoseAudit() uses it too).
    Result<AuditEvent> auditEventLocked(const Session& session, qint64 id);
};

} // namespace gh
