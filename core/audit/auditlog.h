#pragma once

#include "../clock.h"
#include "../errors.h"
#include "auditevent.h"

#include <QDateTime>
#include <QList>
#include <QString>

#include <memory>
#include <optional>

namespace gh {

class Vault;
namespace crypto {
class MacKey;
}

class AuditLog {
public:
    // Every text field is one line of plain text (AUD-04, log injection: core/plaintext.h) of at
    // most this many UTF-16 units.
    static constexpr qsizetype kMaxFieldUnits = 512;

    AuditLog(Vault& vault, const Clock& clock);

    ~AuditLog();

    // Appends inside the caller's transaction when one is open.
    Status append(AuditEvent event);
    // Appends every event in one transaction (one durable commit), all stamped with the current
    // time; for bulk writers (imports, benchmarks). Same chain, same sanitising as append().
    Status appendBatch(QList<AuditEvent> events);
    Result<QList<AuditEvent>> recent(int limit);
    Result<AuditPage> query(const AuditQuery& query);
    // One event, checked against its MAC and its link to the event before it (AuditEvent::broken).
    Result<std::optional<AuditEvent>> event(qint64 id);
    // Walks the whole chain with a precomputed MAC key state; from `parallelFrom` events on, in
    // 2–4 id ranges on their own connections at once (same result, same first broken event).
    Result<ChainReport> verify();
    static constexpr qint64 kParallelFrom = 200000;                  // below this one thread is as fast
    void setParallelFrom(qint64 events) { m_parallelFrom = events; } // tests: force either path

private:
    // A new event's MAC: its fields, account ids and origin, linked to the previous event's MAC.
    QByteArray macOf(const AuditEvent& e, const QByteArray& previous) const;
    Vault& m_vault;
    const Clock& m_clock;
    std::unique_ptr<crypto::MacKey> m_macKey;
    qint64 m_parallelFrom = kParallelFrom;
};

} // namespace gh
