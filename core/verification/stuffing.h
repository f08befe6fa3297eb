// Credential-stuffing detector (issue 13, ATK-01): L2, pure logic over an injected monotonic time,
// no storage. Per-account throttling (throttle.h) answers "is someone guessing this account's
// password?" (brute force, a verification-stage attack); this answers "are leaked name/password
// pairs being tried once each across many accounts?" (credential stuffing, an identification-stage
// attack that per-account counters never see: each name fails once).
//
// It watches password failures (wrong password and unknown or invalid names alike) over a sliding
// window, across every source. It trips when the window holds failures against `names` distinct
// names or more; while tripped, password sign-ins are paced: every source waits `baseDelaySecs`
// between attempts (doubling with every `names` further failures, the global slow-down), and a
// source that failed during the attack waits that doubled once per failure of its own, up to
// `maxDelaySecs`. The attack ends when the window holds failures against fewer than half the
// threshold of names and its sources have not tried for a whole window (paced to a trickle, an
// attack is still one). The facade (Core) records, notifies and refuses; this class only counts.
#pragma once

#include "stuffingpolicy.h"

#include <QHash>
#include <QList>
#include <QSet>
#include <QString>
#include <QStringList>

#include <deque>
#include <optional>

namespace gh {

// What the detector has seen of one attack (or the window, when none is in progress).
struct StuffingSnapshot {
    bool active = false;
    qint64 startedMs = 0;        // monotonic, when it tripped
    int failures = 0;            // password failures since it tripped (window's before)
    int distinctNames = 0;       // distinct names that failed in the attack
    int unknownNames = 0;        // of them, names that are no account
    QHash<QString, int> sources; // source → its failures in the attack
    QStringList signedIn;        // accounts whose password proved right during the attack (in order)
};

class StuffingDetector {
public:
    enum class Change { None, Started, Ended };

    void setPolicy(const StuffingPolicy& policy) { m_policy = policy; }
    const StuffingPolicy& policy() const { return m_policy; }

    // A password failure against `name` (an account name or a masked unknown one) from `source`.
    Change failure(const QString& name, bool unknownName, const QString& source, qint64 nowMs);
    // A password that proved right for `account` from `source`. Returns true when it is flagged:
    // it came from a source of the attack while it is in progress (a success in the window before
    // the trip from such a source is flagged by the trip, in snapshot().signedIn).
    bool success(const QString& account, const QString& source, qint64 nowMs);
    // Slides the window; Ended when an attack subsided.
    Change poll(qint64 nowMs);

    bool active() const { return m_active; }
    // Seconds `source` must still wait before its next password attempt (0: go ahead).
    qint64 waitSecs(const QString& source, qint64 nowMs) const;
    // An attempt of `source` refused by the pacing: an attack source still at it keeps it going.
    void refused(const QString& source, qint64 nowMs);
    // Records that `source` makes a password attempt now (sets its next slot).
    void admitted(const QString& source, qint64 nowMs);
    // The pacing delay for `source` while an attack is in progress (0 when none is).
    qint64 delaySecs(const QString& source) const;

    const StuffingSnapshot& snapshot() const { return m_attack; }
    // Accounts flagged by the attack that just ended, for the record; cleared by the next trip.
    StuffingSnapshot lastAttack() const { return m_last; }

private:
    struct Failure {
        qint64 ms = 0;
        QString name;
        bool unknown = false;
        QString source;
    };
    struct Success {
        qint64 ms = 0;
        QString account;
        QString source;
    };
    void slide(qint64 nowMs);
    static constexpr std::size_t kMaxKept = 100000; // a flood cannot grow memory without bound

    StuffingPolicy m_policy;
    std::deque<Failure> m_window;
    QHash<QString, int> m_windowNames; // name → its failures in the window (distinct = size)
    std::deque<Success> m_successes;   // right passwords in the window (flagged if it trips)
    bool m_active = false;
    qint64 m_lastAttackMs = 0; // the newest attempt (failed, right or paced) from a source of the attack
    StuffingSnapshot m_attack;
    StuffingSnapshot m_last;
    QSet<QString> m_attackNames;
    QHash<QString, qint64> m_nextSlotMs; // source → earliest next password attempt
};

} // namespace gh
