// The facade's calls for gatehoused alone: which sessions ended (for the SessionEnded signal), the
// restart rule (every session ends with the service), and events only the service can see.
#include "gatehouse_p.h"

namespace gh {

QHash<QString, QString> Gatehouse::endedAmong(const QStringList& sessionIds) {
    std::lock_guard guard(m_lock);
    QHash<QString, QString> out;
    if (!d->vault)
        return out;
    for (const QString& id : sessionIds) {
        auto found = d->sessions->find(id);
        if (!found || !found->has_value()) {
            out.insert(id, QStringLiteral("ended"));
            continue;
        }
        const SessionRecord& r = **found;
        if (r.ended.isValid()) {
            // Worded like validate()'s error detail ("revoked by alice"), so a holder told by a
            // signal says the same as one that asked.
            const QString reason = r.endReason.isEmpty() ? QStringLiteral("ended") : r.endReason;
            out.insert(id, r.endedBy.isEmpty() ? reason : QStringLiteral("%1 by %2").arg(reason, r.endedBy));
        }
    }
    return out;
}

Status Gatehouse::recheckVault() {
    std::lock_guard guard(m_lock);
    if (!d->vault)
        return Errc::VaultNotFound;
    return d->vault->recheck(*d->keys);
}

Result<int> Gatehouse::endAllSessions(const QString& reason) {
    std::lock_guard guard(m_lock);
    if (!d->vault)
        return Errc::VaultNotFound;
    int n = 0;
    Status s = d->vault->transaction([&]() -> Status {
        auto ended = d->sessions->endMany(0, QString(), reason, QStringLiteral("system"));
        if (!ended)
            return ended.error();
        n = *ended;
        if (n == 0)
            return ok();
        return d->record(QStringLiteral("system"), QStringLiteral("session.ended_all"), Layer::Session, Outcome::Info,
                         FactorCategory::None, QString(), QStringLiteral("%1 session(s): %2").arg(n).arg(reason));
    });
    if (!s)
        return s.error();
    return n;
}

Status Gatehouse::recordServiceEvent(const QString& actor, const QString& action, Layer layer, Outcome outcome,
                                     const QString& subject, const QString& detail) {
    std::lock_guard guard(m_lock);
    if (!d->vault)
        return Errc::VaultNotFound;
    return d->vault->transaction(
        [&]() -> Status { return d->record(actor, action, layer, outcome, FactorCategory::None, subject, detail); });
}

} // namespace gh
