#include "calllimits.h"

namespace gh::service {

namespace {
Error busy(const QString& whose, int limit) {
    return Error{Errc::ServiceBusy,
                 QStringLiteral("too many calls in progress %1 (at most %2); try again").arg(whose).arg(limit),
                 CallLimits::kRetryAfterSecs};
}
} // namespace

Status CallLimits::admit(quint32 uid, const QString& connection) {
    std::lock_guard guard(m_lock);
    if (m_connections.value(connection) >= m_limits.perConnection)
        return busy(QStringLiteral("from this connection"), m_limits.perConnection);
    if (m_perUid && m_uids.value(uid) >= m_limits.perUid)
        return busy(QStringLiteral("from uid %1").arg(uid), m_limits.perUid);
    if (m_total >= m_limits.total)
        return busy(QStringLiteral("in the service"), m_limits.total);
    ++m_connections[connection];
    ++m_uids[uid];
    ++m_total;
    return ok();
}

void CallLimits::release(quint32 uid, const QString& connection) {
    std::lock_guard guard(m_lock);
    if (auto it = m_connections.find(connection); it != m_connections.end() && --*it <= 0)
        m_connections.erase(it);
    if (auto it = m_uids.find(uid); it != m_uids.end() && --*it <= 0)
        m_uids.erase(it);
    --m_total;
}

int CallLimits::inFlight() const {
    std::lock_guard guard(m_lock);
    return m_total;
}

} // namespace gh::service
