// The audit log's value types (events, queries, pages, chain reports) and their names. Plain data
// with no storage behind it, so the D-Bus client library (client/) can carry them too.
#pragma once

#include "../errors.h"

#include <QDateTime>
#include <QList>
#include <QString>

#include <optional>

namespace gh {

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
    // The process the event was recorded for, as the bus vouched for it when gatehoused served
    // the call: "gatehousectl (uid 1000, pid 4242, pts/3, bus :1.7)" (uid, pid, tty and bus are
    // vouched for; program and seat are the process's own, in forms that cannot imitate them,
    // CallerOrigin::describe). Its own field, MAC-covered, so text a client chose (in detail)
    // cannot pass for it (AUD-04). Empty for in-process calls; NULL in the vault (read as empty)
    // for events written before schema 11, whose detail ends with "; from …" instead.
    QString origin;
    // The accounts behind actor and subject (users.id; 0 when not an account: "system", a
    // permission, a role, a session, an unknown name). Own-history reads match on these (AC-02).
    // Events written before schema 7 have none (0) and are readable with audit.read only.
    qint64 actorId = 0;
    qint64 subjectId = 0;
    // Why this event fails its check against the chain (ChainReport::reason's words), when it was
    // read alone (AuditLog::event: what `audit diagnose` shows) and does not check out; empty when
    // it checks out, or when it was read in a list, where `audit verify` checks the whole chain.
    QString broken;
};

Outcome outcomeFromName(const QString& name);             // unknown names → Info
std::optional<Outcome> parseOutcome(const QString& name); // exact names only
std::optional<Layer> parseLayer(const QString& name);     // "L1"…"L4" or "1"…"4" (case-insensitive)

struct ChainReport {
    bool intact = true;
    qint64 events = 0;
    qint64 firstBrokenId = 0; // first event whose MAC or link does not check out
    // Why the first broken event does not check out, for people: its content or link was changed
    // ("modified"), events before it are missing ("gap"), or its id is out of sequence
    // ("out of sequence": inserted or reordered). Empty when intact.
    QString reason;
    // The anti-rollback anchor (INT-01), checked by the same verify: "same" or "ahead" (the
    // newest commits not anchored yet: harmless) keep anchorIntact; "behind", "diverged",
    // "missing" or "damaged" mean the vault or its log is older than recorded. "none": the vault
    // was opened without one (tests, tools).
    QString anchor;
    bool anchorIntact = true;
    QString anchorDetail;
};

// A filter over the audit log. Every set field must match; results are newest first and paged
// with a keyset (beforeId), so each page costs the same however deep it is.
struct AuditQuery {
    QString user;    // events by or about this user: actor = user OR subject = user
    QString actor;   // exact
    QString subject; // exact
    // Events whose recorded actor or subject account id is this (own history, AC-02); 0 = any.
    qint64 account = 0;
    // Exact action ("login.failed"), or a family when it ends with '.' or '*' ("login." / "login*").
    QString action;
    std::optional<Layer> layer;
    std::optional<Outcome> outcome;
    QDateTime from;      // inclusive; invalid = open
    QDateTime to;        // exclusive; invalid = open
    qint64 beforeId = 0; // only events with id < beforeId; 0 = from the newest
    int limit = 100;     // clamped to 1…kMaxPage
    static constexpr int kMaxPage = 10000;
};

struct AuditPage {
    QList<AuditEvent> events; // newest first
    qint64 nextBeforeId = 0;  // pass as beforeId for the next page; 0 when this was the last page
};

} // namespace gh
