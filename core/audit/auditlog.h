#pragma once

#include "../clock.h"
#include "../errors.h"

#include <QList>
#include <QString>

namespace gh {

class Vault;

enum class Outcome { Allowed, Denied, Failed, Info };
enum class FactorCategory { None, Knowledge, Possession, Inherence };

QString outcomeName(Outcome outcome);
QString factorCategoryName(FactorCategory category);

struct AuditEvent {
    qint64 id = 0;
    QDateTime time; // UTC
    QString actor;  // username or "system"; "-" when unknown
    QString action; // e.g. "login.failed"
    Layer layer = Layer::Storage;
    Outcome outcome = Outcome::Info;
    FactorCategory factor = FactorCategory::None;
    QString subject; // what the action was about (a username, a vault path …)
    QString detail;  // short, never a secret
};

struct ChainReport {
    bool intact = true;
    qint64 events = 0;
    qint64 firstBrokenId = 0; // first event whose MAC or link does not check out
};

class AuditLog {
public:
    AuditLog(Vault& vault, const Clock& clock);

    // Appends inside the caller's transaction when one is open.
    Status append(AuditEvent event);
    Result<QList<AuditEvent>> recent(int limit);
    Result<ChainReport> verify();

private:
    QByteArray macOf(const AuditEvent& e, const QByteArray& previous) const;
    Vault& m_vault;
    const Clock& m_clock;
};

} // namespace gh
