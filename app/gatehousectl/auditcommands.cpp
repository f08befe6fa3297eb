#include "auditcommands.h"

#include <QJsonArray>

namespace gh::cli {

namespace {

constexpr int kExitOk = 0;
constexpr int kExitBroken = 1;
constexpr int kMaxLimit = 10000;

QJsonObject eventJson(const AuditEvent& e) {
    return {{QStringLiteral("id"), e.id},
            {QStringLiteral("time"), e.time.toUTC().toString(Qt::ISODateWithMs)},
            {QStringLiteral("actor"), e.actor},
            {QStringLiteral("action"), e.action},
            {QStringLiteral("layer"), layerName(e.layer)},
            {QStringLiteral("outcome"), outcomeName(e.outcome)},
            {QStringLiteral("factor"), factorCategoryName(e.factor)},
            {QStringLiteral("subject"), e.subject},
            {QStringLiteral("detail"), e.detail},
            {QStringLiteral("origin"), e.origin}};
}

QString localTime(const QDateTime& t) {
    return t.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
}

QString screenHint(const QString& screen) {
    if (screen == QLatin1String("security"))
        return QStringLiteral("fix: My security (factor add-totp)");
    if (screen == QLatin1String("users"))
        return QStringLiteral("fix: Users (user unlock / user add)");
    if (screen == QLatin1String("roles"))
        return QStringLiteral("fix: Roles");
    if (screen == QLatin1String("sessions"))
        return QStringLiteral("see: Sessions");
    return {};
}

} // namespace

QString parseAuditCommand(const QStringList& all, Invocation& inv) {
    const qsizetype split = all.indexOf(QStringLiteral("--"));
    const QStringList words = all.mid(0, split);
    const QStringList options = split < 0 ? QStringList() : all.mid(split + 1);
    const QString sub = words.size() > 1 ? words.at(1) : QString();
    auto count = [&](qsizetype n, const QString& form) -> QString {
        if (words.size() < n)
            return QStringLiteral("missing argument: %1").arg(form);
        if (words.size() > n)
            return QStringLiteral("unexpected argument '%1' (usage: %2)").arg(words.at(n), form);
        return {};
    };
    QString problem;
    if (sub == QLatin1String("list")) {
        inv.command = Command::AuditList;
        problem =
            count(2, QStringLiteral("audit list [--user U] [--layer L1|L2|L3|L4] [--outcome OUTCOME] [--limit N]"));
    } else if (sub == QLatin1String("verify")) {
        inv.command = Command::AuditVerify;
        problem = count(2, QStringLiteral("audit verify"));
    } else if (sub == QLatin1String("diagnose")) {
        inv.command = Command::AuditDiagnose;
        problem = count(3, QStringLiteral("audit diagnose EVENT_ID"));
        if (problem.isEmpty()) {
            bool numeric = false;
            inv.eventId = words.at(2).toLongLong(&numeric);
            if (!numeric || inv.eventId <= 0)
                problem = QStringLiteral("'%1' is not an event ID (the first column of 'audit list')").arg(words.at(2));
        }
    } else if (sub.isEmpty()) {
        problem = QStringLiteral("'audit' needs a subcommand: list, verify or diagnose");
    } else {
        problem = QStringLiteral("unknown audit subcommand '%1' (list, verify, diagnose)").arg(sub);
    }
    if (!problem.isEmpty())
        return problem;
    for (qsizetype i = 0; i + 1 < options.size(); i += 2) {
        const QString& name = options.at(i);
        const QString& value = options.at(i + 1);
        if (inv.command != Command::AuditList)
            return QStringLiteral("option '%1' belongs to 'audit list'").arg(name);
        if (name == QLatin1String("--layer")) {
            if (!parseLayer(value))
                return QStringLiteral("unknown layer '%1' (L1, L2, L3 or L4)").arg(value);
            inv.auditLayer = value;
        } else if (name == QLatin1String("--outcome")) {
            if (!parseOutcome(value))
                return QStringLiteral("unknown outcome '%1' (allowed, denied, failed or info)").arg(value);
            inv.auditOutcome = value;
        } else {
            bool numeric = false;
            inv.auditLimit = value.toInt(&numeric);
            if (!numeric || inv.auditLimit < 1 || inv.auditLimit > kMaxLimit)
                return QStringLiteral("--limit needs a number from 1 to %1").arg(kMaxLimit);
        }
    }
    return {};
}

int auditList(Client& gatehouse, const Session& session, const Invocation& inv, const AuditOutput& out) {
    AuditQuery q;
    q.user = inv.user;
    q.layer = parseLayer(inv.auditLayer);
    q.outcome = parseOutcome(inv.auditOutcome);
    q.limit = inv.auditLimit;
    auto page = gatehouse.queryAudit(session, q);
    if (!page)
        return out.fail(page.error());
    if (inv.json) {
        QJsonArray events;
        for (const AuditEvent& e : page->events)
            events.append(eventJson(e));
        out.emitJson({{QStringLiteral("events"), events},
                      {QStringLiteral("more"), page->nextBeforeId != 0},
                      {QStringLiteral("nextBeforeId"), page->nextBeforeId}});
        return kExitOk;
    }
    if (page->events.isEmpty()) {
        out.say(QStringLiteral("No audit events match."));
        return kExitOk;
    }
    QList<QStringList> rows{{QStringLiteral("ID"), QStringLiteral("TIME"), QStringLiteral("LAYER"),
                             QStringLiteral("OUTCOME"), QStringLiteral("ACTOR"), QStringLiteral("ACTION"),
                             QStringLiteral("SUBJECT"), QStringLiteral("SOURCE"), QStringLiteral("DETAIL")}};
    for (const AuditEvent& e : page->events)
        rows << QStringList{QString::number(e.id), localTime(e.time), layerName(e.layer), outcomeName(e.outcome),
                            e.actor, e.action, e.subject.isEmpty() ? QStringLiteral("-") : e.subject,
                            // The source before the detail: a client's words in the detail,
                            // padded to line up under SOURCE, cannot stand in its column.
                            e.origin.isEmpty() ? QStringLiteral("-") : e.origin,
                            e.detail.isEmpty() ? QStringLiteral("-") : e.detail};
    out.table(rows);
    if (page->nextBeforeId != 0)
        out.say(QStringLiteral("Showing the newest %1; more events match (--limit N shows more).")
                    .arg(page->events.size()));
    return kExitOk;
}

int auditVerify(Client& gatehouse, const Session& session, const Invocation& inv, const AuditOutput& out) {
    auto report = gatehouse.verifyAudit(session);
    if (!report)
        return out.fail(report.error());
    if (inv.json)
        out.emitJson({{QStringLiteral("intact"), report->intact},
                      {QStringLiteral("events"), report->events},
                      {QStringLiteral("firstBrokenId"),
                       report->intact ? QJsonValue(QJsonValue::Null) : QJsonValue(report->firstBrokenId)},
                      {QStringLiteral("reason"), report->reason},
                      {QStringLiteral("anchor"), report->anchor},
                      {QStringLiteral("anchorIntact"), report->anchorIntact},
                      {QStringLiteral("anchorDetail"), report->anchorDetail}});
    if (report->intact && report->anchorIntact) {
        out.say(QStringLiteral("Audit chain intact: %1 events, each linked to the one before.").arg(report->events));
        if (!report->anchor.isEmpty() && report->anchor != QLatin1String("none"))
            out.say(QStringLiteral("Anti-rollback anchor: %1 (%2).").arg(report->anchor, report->anchorDetail));
        return kExitOk;
    }
    if (report->intact) { // the chain links, but the log or the vault is older than its anchor
        out.say(QStringLiteral("gatehousectl: audit log does NOT match its anti-rollback anchor (%1): %2.")
                    .arg(report->anchor, report->anchorDetail));
        out.say(QStringLiteral("Events were removed from the end of the log or the vault was rolled back. Keep a "
                               "copy of the vault as evidence and compare with a backup."));
        return kExitBroken;
    }
    out.say(QStringLiteral("gatehousectl: audit chain BROKEN at event %1 (%2 events in the log): %3.")
                .arg(report->firstBrokenId)
                .arg(report->events)
                .arg(report->reason));
    out.say(QStringLiteral("Someone with the vault key changed the log; events from %1 on cannot be trusted. "
                           "Keep a copy of the vault as evidence and compare with a backup.")
                .arg(report->firstBrokenId));
    return kExitBroken;
}

int auditDiagnose(Client& gatehouse, const Session& session, const Invocation& inv, const AuditOutput& out) {
    auto event = gatehouse.auditEvent(session, inv.eventId);
    if (!event)
        return out.fail(event.error());
    const AuditEvent& e = *event;
    const Diagnosis d = diagnose(e);
    if (inv.json) {
        out.emitJson({{QStringLiteral("event"), eventJson(e)},
                      {QStringLiteral("diagnosis"), QJsonObject{{QStringLiteral("layer"), layerName(d.layer)},
                                                                {QStringLiteral("layerName"), layerTitle(d.layer)},
                                                                {QStringLiteral("problem"), d.problem},
                                                                {QStringLiteral("title"), d.title},
                                                                {QStringLiteral("explanation"), d.explanation},
                                                                {QStringLiteral("fix"), d.fix}}}});
        return e.broken.isEmpty() ? kExitOk : kExitBroken;
    }
    QList<QStringList> rows{
        {QStringLiteral("Event:"), QStringLiteral("%1  %2  %3 by %4%5")
                                       .arg(e.id)
                                       .arg(localTime(e.time), e.action, e.actor,
                                            e.subject.isEmpty() ? QString() : QStringLiteral(" on %1").arg(e.subject))},
        {QStringLiteral("Outcome:"),
         outcomeName(e.outcome) + (e.detail.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(e.detail))},
    };
    if (!e.origin.isEmpty()) // as the bus vouched for it when the event was recorded
        rows << QStringList{QStringLiteral("Source:"), e.origin};
    rows << QStringList{QStringLiteral("Layer:"),
                        d.problem ? QStringLiteral("%1 failed").arg(layerTitle(d.layer)) : layerTitle(d.layer)}
         << QStringList{QStringLiteral("Diagnosis:"), d.title}
         << QStringList{QStringLiteral("What happened:"), d.explanation}
         << QStringList{QStringLiteral("Fix:"), d.fix.isEmpty() ? QStringLiteral("nothing to fix") : d.fix};
    out.table(rows);
    return e.broken.isEmpty() ? kExitOk : kExitBroken; // as `audit verify` for a broken chain
}

QList<QStringList> layerHealthRows(const LayerHealth& health) {
    QList<QStringList> rows;
    for (const HealthNote& n : health.notes) {
        const QString hint = n.warning ? screenHint(n.screen) : QString();
        rows << QStringList{n.warning ? QStringLiteral("  ! %1").arg(layerName(n.layer))
                                      : QStringLiteral("%1 %2:").arg(layerName(n.layer),
                                                                     layerTitle(n.layer).section(QLatin1Char(' '), 1)),
                            n.text + (hint.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(hint))};
    }
    return rows;
}

QJsonObject layerHealthJson(const LayerHealth& h) {
    // -1: not counted (customRoles) or hidden from a caller without a session (system mode).
    const auto count = [](int v) { return v < 0 ? QJsonValue(QJsonValue::Null) : QJsonValue(v); };
    QJsonArray warnings;
    for (const HealthNote& n : h.notes)
        if (n.warning)
            warnings.append(QJsonObject{{QStringLiteral("layer"), layerName(n.layer)},
                                        {QStringLiteral("text"), n.text},
                                        {QStringLiteral("screen"), n.screen}});
    return {
        {QStringLiteral("L1"), QJsonObject{{QStringLiteral("vaultEncrypted"), h.vaultEncrypted},
                                           {QStringLiteral("keyLocation"), h.keyLocation},
                                           {QStringLiteral("ownerOnlyPermissions"), h.ownerOnlyPermissions},
                                           {QStringLiteral("filePermissions"), h.filePermissions},
                                           {QStringLiteral("auditChainIntact"), h.auditChainIntact}}},
        {QStringLiteral("L2"),
         QJsonObject{{QStringLiteral("accounts"), count(h.accounts)},
                     {QStringLiteral("withMfa"), count(h.accountsWithMfa)},
                     {QStringLiteral("withoutMfa"), count(h.accountsWithoutMfa)},
                     {QStringLiteral("adminsWithoutMfa"), count(h.adminsWithoutMfa)},
                     {QStringLiteral("locked"), count(h.lockedAccounts)},
                     {QStringLiteral("throttled"), count(h.throttledAccounts)},
                     {QStringLiteral("attackInProgress"), h.attackInProgress},
                     {QStringLiteral("privilegedWithoutMfa"), QJsonArray::fromStringList(h.privilegedWithoutMfa)}}},
        {QStringLiteral("L3"), QJsonObject{{QStringLiteral("activeSessions"), count(h.activeSessions)},
                                           {QStringLiteral("lifetimePolicy"), h.lifetimePolicy}}},
        {QStringLiteral("L4"), QJsonObject{{QStringLiteral("admins"), count(h.admins)},
                                           {QStringLiteral("usersWithoutRole"), count(h.usersWithoutRole)},
                                           {QStringLiteral("customRoles"), count(h.customRoles)}}},
        {QStringLiteral("warnings"), warnings},
    };
}

} // namespace gh::cli
