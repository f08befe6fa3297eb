#include "stuffing.h"

#include <algorithm>

namespace gh {

void StuffingDetector::slide(qint64 nowMs) {
    const qint64 from = nowMs - m_policy.windowSecs * 1000;
    while (!m_window.empty() && (m_window.front().ms < from || m_window.size() > kMaxKept)) {
        const auto it = m_windowNames.find(m_window.front().name);
        if (it != m_windowNames.end() && --it.value() <= 0)
            m_windowNames.erase(it);
        m_window.pop_front();
    }
    while (!m_successes.empty() && (m_successes.front().ms < from || m_successes.size() > kMaxKept))
        m_successes.pop_front();
    for (auto it = m_nextSlotMs.begin(); it != m_nextSlotMs.end();)
        it = it.value() <= nowMs && !m_active ? m_nextSlotMs.erase(it) : std::next(it);
}

StuffingDetector::Change StuffingDetector::failure(const QString& name, bool unknownName, const QString& source,
                                                   qint64 nowMs) {
    Change change = poll(nowMs);
    m_window.push_back(Failure{nowMs, name, unknownName, source});
    ++m_windowNames[name];
    if (m_active) {
        if (m_attack.sources.contains(source))
            m_lastAttackMs = nowMs;
        ++m_attack.failures;
        ++m_attack.sources[source];
        if (!m_attackNames.contains(name)) {
            m_attackNames.insert(name);
            ++m_attack.distinctNames;
            if (unknownName)
                ++m_attack.unknownNames;
        }
        admitted(source, nowMs); // its next attempt waits the delay its failures have grown to
        return change;
    }
    if (m_windowNames.size() < m_policy.names)
        return change;
    // Tripped: the attack so far is what the window holds.
    m_active = true;
    m_attack = StuffingSnapshot{};
    m_attack.active = true;
    m_attack.startedMs = nowMs;
    m_lastAttackMs = nowMs;
    m_attackNames.clear();
    for (const Failure& f : m_window) {
        ++m_attack.failures;
        ++m_attack.sources[f.source];
        if (!m_attackNames.contains(f.name)) {
            m_attackNames.insert(f.name);
            ++m_attack.distinctNames;
            if (f.unknown)
                ++m_attack.unknownNames;
        }
    }
    // Right passwords from the attacking sources just before it tripped were part of it.
    for (const Success& s : m_successes)
        if (m_attack.sources.contains(s.source) && !m_attack.signedIn.contains(s.account))
            m_attack.signedIn << s.account;
    admitted(source, nowMs);
    return Change::Started;
}

bool StuffingDetector::success(const QString& account, const QString& source, qint64 nowMs) {
    (void)poll(nowMs);
    if (m_active) {
        // From a source of the attack: its list held this account's password. Others' sign-ins
        // during the attack are people going about their day.
        if (!m_attack.sources.contains(source))
            return false;
        if (!m_attack.signedIn.contains(account))
            m_attack.signedIn << account;
        m_lastAttackMs = nowMs;
        admitted(source, nowMs);
        return true;
    }
    m_successes.push_back(Success{nowMs, account, source});
    return false;
}

StuffingDetector::Change StuffingDetector::poll(qint64 nowMs) {
    slide(nowMs);
    if (!m_active || m_windowNames.size() * 2 >= m_policy.names || nowMs - m_lastAttackMs < m_policy.windowSecs * 1000)
        return Change::None;
    m_active = false;
    m_last = m_attack;
    m_last.active = false;
    m_attack = StuffingSnapshot{};
    m_attackNames.clear();
    m_nextSlotMs.clear();
    return Change::Ended;
}

qint64 StuffingDetector::delaySecs(const QString& source) const {
    if (!m_active)
        return 0;
    const auto capped = [&](qint64 d, int doublings) {
        for (int i = 0; i < doublings && d < m_policy.maxDelaySecs; ++i)
            d = std::max<qint64>(d * 2, 1);
        return std::min(d, m_policy.maxDelaySecs);
    };
    // Everyone: the base delay, doubling with every `names` further failures of the attack.
    const qint64 global = capped(m_policy.baseDelaySecs, m_attack.failures / std::max(m_policy.names, 1) - 1);
    return capped(global, m_attack.sources.value(source, 0));
}

qint64 StuffingDetector::waitSecs(const QString& source, qint64 nowMs) const {
    if (!m_active)
        return 0;
    const qint64 next = m_nextSlotMs.value(source, 0);
    return next > nowMs ? (next - nowMs + 999) / 1000 : 0;
}

void StuffingDetector::refused(const QString& source, qint64 nowMs) {
    if (m_active && m_attack.sources.contains(source))
        m_lastAttackMs = nowMs;
}

void StuffingDetector::admitted(const QString& source, qint64 nowMs) {
    if (m_active)
        m_nextSlotMs[source] = nowMs + delaySecs(source) * 1000;
}

} // namespace gh
