// io.gatehouse.Gatehouse1.Audit: query, read, diagnose and verify the hash-chained audit log.
// Who may read what is decided in core (audit.read, or one's own history).
#include "dbusapi.h"
#include "marshal.h"
#include "service.h"

namespace gh::service {

void addAuditMethods(MethodTable& t) {
    const QString i = dbus::kAudit;
    const QString token = QStringLiteral("token"), id = QStringLiteral("eventId");
    addWithSession(
        t, i, QStringLiteral("RecentAudit"), "ayi", "av", {token, QStringLiteral("limit"), QStringLiteral("events")},
        [](Call& c, Session& s) -> Reply { return listReply(c.vault->gh->audit().recentAudit(s, int(c.num(1)))); });
    addWithSession(t, i, QStringLiteral("QueryAudit"), "aya{sv}", "avx",
                   {token, QStringLiteral("query"), QStringLiteral("events"), QStringLiteral("nextBeforeId")},
                   [](Call& c, Session& s) -> Reply {
                       AuditQuery q;
                       wire::read(c.args.value(1).toMap(), q);
                       auto r = c.vault->gh->audit().queryAudit(s, q);
                       if (!r)
                           return r.error();
                       return QVariantList{QVariant(wire::toList(r->events)), r->nextBeforeId};
                   });
    addWithSession(t, i, QStringLiteral("AuditEvent"), "ayx", "a{sv}", {token, id, QStringLiteral("event")},
                   [](Call& c, Session& s) -> Reply { return mapReply(c.vault->gh->audit().auditEvent(s, c.num(1))); });
    addWithSession(
        t, i, QStringLiteral("DiagnoseAudit"), "ayx", "a{sv}", {token, id, QStringLiteral("diagnosis")},
        [](Call& c, Session& s) -> Reply { return mapReply(c.vault->gh->audit().diagnoseAudit(s, c.num(1))); });
    addWithSession(t, i, QStringLiteral("VerifyAudit"), "ay", "a{sv}", {token, QStringLiteral("report")},
                   [](Call& c, Session& s) -> Reply { return mapReply(c.vault->gh->audit().verifyAudit(s)); });
}

} // namespace gh::service
