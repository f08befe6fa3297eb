#include "auditlog.h"

#include "../crypto/primitives.h"
#include "../plaintext.h"
#include "../vault/vault.h"

#include <QStringList>
#include <QVariant>

#include <QThread>

#include <algorithm>
#include <cstring>
#include <thread>
#include <vector>

namespace gh {

namespace {
constexpr char kMacContext[8] = {'g', 'h', 'a', 'u', 'd', 'i', 't', '1'};
} // namespace

static FactorCategory factorFromName(const QString& s) {
    if (s == QLatin1String("knowledge"))
        return FactorCategory::Knowledge;
    if (s == QLatin1String("possession"))
        return FactorCategory::Possession;
    if (s == QLatin1String("inherence"))
        return FactorCategory::Inherence;
    return FactorCategory::None;
}

AuditLog::AuditLog(Vault& vault, const Clock& clock)
    : m_vault(vault), m_clock(clock), m_macKey(std::make_unique<crypto::MacKey>(vault.subkey(1, kMacContext))) {}

AuditLog::~AuditLog() = default;

namespace {
// The MAC message of one event, built from the stored bytes of its fields. The serialisation is
// the chain format (length-prefixed fields in a fixed order) and must never change.
class MacMessage {
public:
    MacMessage() { m_buf.reserve(1024); }
    void clear() { m_buf.resize(0); }
    void field(QByteArrayView v) {
        const auto n = static_cast<quint32>(v.size());
        const char len[4] = {static_cast<char>((n >> 24) & 0xff), static_cast<char>((n >> 16) & 0xff),
                             static_cast<char>((n >> 8) & 0xff), static_cast<char>(n & 0xff)};
        m_buf.append(len, 4);
        m_buf.append(v.data(), v.size());
    }
    void number(qint64 value) {
        char digits[24];
        int i = sizeof digits;
        const bool negative = value < 0;
        quint64 u = negative ? 0 - static_cast<quint64>(value) : static_cast<quint64>(value);
        do {
            digits[--i] = static_cast<char>('0' + u % 10);
            u /= 10;
        } while (u);
        if (negative)
            digits[--i] = '-';
        field(QByteArrayView(digits + i, static_cast<qsizetype>(sizeof digits) - i));
    }
    const QByteArray& bytes() const { return m_buf; }

private:
    QByteArray m_buf;
};
} // namespace

QByteArray AuditLog::macOf(const AuditEvent& e, const QByteArray& previous) const {
    MacMessage m;
    m.field(previous);
    m.number(e.id);
    m.number(e.time.toMSecsSinceEpoch());
    m.field(e.actor.toUtf8());
    m.field(e.action.toUtf8());
    m.number(static_cast<int>(e.layer));
    m.field(outcomeName(e.outcome).toUtf8());
    m.field(factorCategoryName(e.factor).toUtf8());
    m.field(e.subject.toUtf8());
    m.field(e.detail.toUtf8());
    // Since schema 7 the account ids, since schema 11 the origin are part of what the chain
    // protects (verifyRange reads older events without them).
    m.number(e.actorId);
    m.number(e.subjectId);
    m.field(e.origin.toUtf8());
    return m_macKey->compute(m.bytes());
}

Status AuditLog::append(AuditEvent event) {
    QList<AuditEvent> one;
    one.append(std::move(event));
    return appendBatch(std::move(one));
}

Status AuditLog::appendBatch(QList<AuditEvent> events) {
    if (events.isEmpty())
        return ok();
    return m_vault.transaction([&]() -> Status {
        Database& db = m_vault.db();
        auto last = db.prepare("SELECT id, mac FROM audit ORDER BY id DESC LIMIT 1");
        if (!last)
            return last.error();
        QByteArray previous;
        qint64 lastId = 0;
        if (last->step()) {
            lastId = last->int64(0);
            previous = last->blob(1);
        }
        if (last->failed())
            return last->error();
        auto insert = db.prepare("INSERT INTO audit(id, at_ms, actor, action, layer, outcome, factor, subject, "
                                 "detail, mac, actor_id, subject_id, origin) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)");
        if (!insert)
            return insert.error();
        const QDateTime now = m_clock.nowUtc();
        for (AuditEvent& event : events) {
            event.id = ++lastId;
            event.time = now;
            event.actor = toPlainLine(event.actor.isEmpty() ? QStringLiteral("-") : event.actor, kMaxFieldUnits);
            event.action = toPlainLine(event.action, kMaxFieldUnits);
            event.subject = toPlainLine(event.subject, kMaxFieldUnits);
            event.detail = toPlainLine(event.detail, kMaxFieldUnits);
            event.origin = toPlainLine(event.origin, kMaxFieldUnits);
            QByteArray mac = macOf(event, previous);
            insert->reset();
            insert->bind(1, event.id)
                .bind(2, event.time.toMSecsSinceEpoch())
                .bind(3, event.actor)
                .bind(4, event.action)
                .bind(5, static_cast<int>(event.layer))
                .bind(6, outcomeName(event.outcome))
                .bind(7, factorCategoryName(event.factor))
                .bind(8, event.subject)
                .bind(9, event.detail)
                .bind(10, mac)
                .bind(11, event.actorId)
                .bind(12, event.subjectId)
                .bind(13, event.origin);
            if (Status s = insert->done(); !s)
                return s;
            previous = std::move(mac);
        }
        return ok();
    });
}

static AuditEvent readEvent(const Statement& st) {
    AuditEvent e;
    e.id = st.int64(0);
    e.time = QDateTime::fromMSecsSinceEpoch(st.int64(1), Qt::UTC);
    e.actor = st.text(2);
    e.action = st.text(3);
    e.layer = static_cast<Layer>(st.int64(4));
    e.outcome = outcomeFromName(st.text(5));
    e.factor = factorFromName(st.text(6));
    e.subject = st.text(7);
    e.detail = st.text(8);
    e.actorId = st.int64(9); // NULL (before schema 7) reads as 0
    e.subjectId = st.int64(10);
    e.origin = st.text(11); // NULL (before schema 11) reads as empty
    return e;
}

Result<QList<AuditEvent>> AuditLog::recent(int limit) {
    auto st = m_vault.db().prepare("SELECT id, at_ms, actor, action, layer, outcome, factor, subject, detail, "
                                   "actor_id, subject_id, origin FROM audit ORDER BY id DESC LIMIT ?");
    if (!st)
        return st.error();
    st->bind(1, limit);
    QList<AuditEvent> out;
    while (st->step())
        out.append(readEvent(*st));
    if (st->failed())
        return st->error();
    return out;
}

namespace {
constexpr const char* kEventColumns =
    "id, at_ms, actor, action, layer, outcome, factor, subject, detail, actor_id, subject_id, origin";

// One indexed access path of a query: an equality (or range) that an index orders by id.
struct Branch {
    QString where;
    QList<QVariant> args;
    const char* index = nullptr; // INDEXED BY, or nullptr for the rowid scan
};

void bindAll(Statement& st, const QList<QVariant>& args) {
    int i = 1;
    for (const QVariant& a : args) {
        if (a.typeId() == QMetaType::QString)
            st.bind(i++, a.toString());
        else
            st.bind(i++, a.toLongLong());
    }
}
} // namespace

// Plan: the filters that an index orders by id become "branches"; each branch reads at most
// `limit` ids newest first through its index (with the remaining filters applied), and the page
// is the newest `limit` of their union. So a page costs O(limit × branches) index steps, however
// many events there are (user filter: actor and subject branches; layer or outcome alone: one
// branch per value of the other over the (layer, outcome) index).
Result<AuditPage> AuditLog::query(const AuditQuery& q) {
    const int limit = std::clamp(q.limit, 1, AuditQuery::kMaxPage);
    QStringList common;
    QList<QVariant> commonArgs;
    if (q.beforeId > 0) {
        common << QStringLiteral("id < ?");
        commonArgs << q.beforeId;
    }
    if (q.from.isValid()) {
        common << QStringLiteral("at_ms >= ?");
        commonArgs << q.from.toMSecsSinceEpoch();
    }
    if (q.to.isValid()) {
        common << QStringLiteral("at_ms < ?");
        commonArgs << q.to.toMSecsSinceEpoch();
    }
    QString action = q.action;
    bool actionFamily = false;
    if (action.endsWith(QLatin1Char('*'))) {
        action.chop(1);
        if (!action.endsWith(QLatin1Char('.')))
            action.append(QLatin1Char('.'));
    }
    if (action.endsWith(QLatin1Char('.')))
        actionFamily = true;
    // action family "login." is the range ["login.", "login/") ('/' follows '.'), which the index serves.
    auto actionWhere = [&](QStringList& where, QList<QVariant>& args) {
        if (action.isEmpty())
            return;
        if (actionFamily) {
            where << QStringLiteral("action >= ? AND action < ?");
            args << action << (action.chopped(1) + QLatin1Char('/'));
        } else {
            where << QStringLiteral("action = ?");
            args << action;
        }
    };

    QList<Branch> branches;
    QStringList rest;
    QList<QVariant> restArgs;
    // Events by or about a name. Names are indexed only where no account id is recorded (schema
    // 8: an index over every name made each append touch two more scattered leaves and cost 3× the
    // CPU, bench_audit); an account's events are found through its id, narrowed by the name. The
    // ids of a name are the live account's and those of deleted accounts that held it (schema 9,
    // former_accounts): a deleted account's history stays readable under its name without
    // rewriting a single MACed row.
    Status lookup = ok();
    auto accountIdsOf = [&](const QString& name) -> QList<qint64> {
        QList<qint64> ids;
        auto st = m_vault.db().prepare(
            "SELECT id FROM users WHERE username = ? UNION SELECT id FROM former_accounts WHERE username = ?");
        if (!st) {
            lookup = Status(st.error());
            return ids;
        }
        st->bind(1, name).bind(2, name);
        while (st->step())
            ids << st->int64(0);
        if (st->failed())
            lookup = Status(st->error());
        return ids;
    };
    // An event whose subject is its own actor is in the actor index only (schema 10).
    const QString subjectOther = QStringLiteral("subject_id = ? AND subject_id IS NOT actor_id");
    auto nameBranches = [&](const char* column, const QString& name) {
        const bool actor = column[0] == 'a';
        for (const qint64 id : accountIdsOf(name)) {
            if (actor) {
                branches.append({QStringLiteral("actor_id = ? AND actor = ?"), {id, name}, "audit_actor_id"});
                continue;
            }
            branches.append({subjectOther + QStringLiteral(" AND subject = ?"), {id, name}, "audit_subject_other"});
            branches.append({QStringLiteral("actor_id = ? AND subject_id = actor_id AND subject = ?"),
                             {id, name},
                             "audit_actor_id"});
        }
        branches.append({QStringLiteral("ifnull(%1_id, 0) = 0 AND %1 = ?").arg(QLatin1String(column)),
                         {name},
                         actor ? "audit_actor_unlinked" : "audit_subject_unlinked"});
    };
    auto addRest = [&](bool use, const QString& cond, const QVariant& arg) {
        if (use) {
            rest << cond;
            restArgs << arg;
        }
    };
    if (q.account > 0) {
        // Own history (AC-02): the recorded account ids are the access path; names only narrow.
        branches.append({QStringLiteral("actor_id = ?"), {q.account}, "audit_actor_id"});
        branches.append({subjectOther, {q.account}, "audit_subject_other"});
        if (!q.user.isEmpty()) {
            rest << QStringLiteral("(actor = ? OR subject = ?)");
            restArgs << q.user << q.user;
        }
        addRest(!q.actor.isEmpty(), QStringLiteral("actor = ?"), q.actor);
        addRest(!q.subject.isEmpty(), QStringLiteral("subject = ?"), q.subject);
        actionWhere(rest, restArgs);
        addRest(q.layer.has_value(), QStringLiteral("layer = ?"), static_cast<int>(q.layer.value_or(Layer::None)));
        addRest(q.outcome.has_value(), QStringLiteral("outcome = ?"), outcomeName(q.outcome.value_or(Outcome::Info)));
    } else if (!q.user.isEmpty()) {
        nameBranches("actor", q.user);
        nameBranches("subject", q.user);
        addRest(!q.actor.isEmpty(), QStringLiteral("actor = ?"), q.actor);
        addRest(!q.subject.isEmpty(), QStringLiteral("subject = ?"), q.subject);
        actionWhere(rest, restArgs);
        addRest(q.layer.has_value(), QStringLiteral("layer = ?"), static_cast<int>(q.layer.value_or(Layer::None)));
        addRest(q.outcome.has_value(), QStringLiteral("outcome = ?"), outcomeName(q.outcome.value_or(Outcome::Info)));
    } else if (!q.actor.isEmpty() || !q.subject.isEmpty()) {
        if (!q.actor.isEmpty()) {
            nameBranches("actor", q.actor);
            addRest(!q.subject.isEmpty(), QStringLiteral("subject = ?"), q.subject);
        } else {
            nameBranches("subject", q.subject);
        }
        actionWhere(rest, restArgs);
        addRest(q.layer.has_value(), QStringLiteral("layer = ?"), static_cast<int>(q.layer.value_or(Layer::None)));
        addRest(q.outcome.has_value(), QStringLiteral("outcome = ?"), outcomeName(q.outcome.value_or(Outcome::Info)));
    } else if (!action.isEmpty() && !actionFamily) {
        branches.append({QStringLiteral("action = ?"), {action}, "audit_action"});
        addRest(q.layer.has_value(), QStringLiteral("layer = ?"), static_cast<int>(q.layer.value_or(Layer::None)));
        addRest(q.outcome.has_value(), QStringLiteral("outcome = ?"), outcomeName(q.outcome.value_or(Outcome::Info)));
    } else if (q.layer || q.outcome) {
        QList<int> layers;
        if (q.layer)
            layers << static_cast<int>(*q.layer);
        else
            layers << 0 << 1 << 2 << 3 << 4;
        QList<Outcome> outcomes;
        if (q.outcome)
            outcomes << *q.outcome;
        else
            outcomes << Outcome::Allowed << Outcome::Denied << Outcome::Failed << Outcome::Info;
        for (int l : layers)
            for (Outcome o : outcomes)
                branches.append(
                    {QStringLiteral("layer = ? AND outcome = ?"), {l, outcomeName(o)}, "audit_layer_outcome"});
        actionWhere(rest, restArgs);
    } else {
        QStringList where;
        QList<QVariant> args;
        actionWhere(where, args);
        branches.append({where.join(QStringLiteral(" AND ")), args, nullptr});
    }

    if (!lookup)
        return lookup.error();
    QString sql;
    QList<QVariant> args;
    const QString tail = QStringLiteral(" ORDER BY id DESC LIMIT %1").arg(limit + 1);
    auto branchSql = [&](const Branch& b, const QString& columns) {
        QStringList where = rest + common;
        QList<QVariant> a = restArgs + commonArgs;
        if (!b.where.isEmpty()) {
            where.prepend(b.where);
            a = b.args + a;
        }
        args += a;
        QString out = QStringLiteral("SELECT %1 FROM audit").arg(columns);
        if (b.index)
            out += QStringLiteral(" INDEXED BY %1").arg(QLatin1String(b.index));
        if (!where.isEmpty())
            out += QStringLiteral(" WHERE ") + where.join(QStringLiteral(" AND "));
        return out + tail;
    };
    const QString columns = QLatin1String(kEventColumns);
    if (branches.size() == 1) {
        sql = branchSql(branches.first(), columns);
    } else {
        QStringList parts;
        for (const Branch& b : branches)
            parts << QStringLiteral("SELECT id FROM (%1)").arg(branchSql(b, QStringLiteral("id")));
        sql = QStringLiteral("SELECT %1 FROM audit WHERE id IN (%2)")
                  .arg(columns, parts.join(QStringLiteral(" UNION ALL "))) +
              tail;
    }
    const QByteArray utf8 = sql.toUtf8();
    auto st = m_vault.db().prepare(utf8.constData());
    if (!st)
        return st.error();
    bindAll(*st, args);
    AuditPage page;
    while (st->step())
        page.events.append(readEvent(*st));
    if (st->failed())
        return st->error();
    if (page.events.size() > limit) {
        page.events.removeLast();
        page.nextBeforeId = page.events.last().id;
    }
    return page;
}

namespace {

// Verifies the events with ids in [first, last] (or everything when `all`), in storage order,
// from the stored MAC of the event before `first`. Each event's MAC links to the previous event's
// stored MAC, so ranges verify independently and the first break of the earliest broken range is
// the first break of the whole chain.
struct RangeResult {
    qint64 events = 0;
    qint64 firstBrokenId = 0;
    QString reason;
    std::optional<Error> error;
};

RangeResult verifyRange(Database& db, const crypto::MacKey& key, qint64 first, qint64 last) {
    RangeResult r;
    unsigned char previous[crypto::MacKey::kBytes];
    unsigned char computed[crypto::MacKey::kBytes];
    qsizetype previousSize = 0; // the first event links to an empty MAC
    if (first > 1) {
        auto before = db.prepare("SELECT mac FROM audit WHERE id = ?");
        if (!before) {
            r.error = before.error();
            return r;
        }
        before->bind(1, first - 1);
        if (before->step()) {
            const QByteArrayView mac = before->blobView(0);
            previousSize = std::min<qsizetype>(mac.size(), static_cast<qsizetype>(sizeof previous));
            std::memcpy(previous, mac.data(), static_cast<std::size_t>(previousSize));
        } else if (before->failed()) {
            r.error = before->error();
            return r;
        } else {
            previousSize = -1; // the event before is missing: the first one here cannot link
        }
    }
    auto st = db.prepare("SELECT id, at_ms, actor, action, layer, outcome, factor, subject, detail, mac, actor_id, "
                         "subject_id, origin FROM audit WHERE id >= ? AND id <= ? ORDER BY id");
    if (!st) {
        r.error = st.error();
        return r;
    }
    st->bind(1, first).bind(2, last);
    MacMessage m;
    qint64 expectedId = first;
    while (st->step()) {
        ++r.events;
        if (r.firstBrokenId != 0)
            continue; // keep counting; the first break is what people need
        const qint64 id = st->int64(0);
        const QByteArrayView stored = st->blobView(9);
        bool macOk = false;
        if (previousSize >= 0) {
            m.clear();
            m.field(QByteArrayView(reinterpret_cast<const char*>(previous), previousSize));
            m.number(id);
            m.number(st->int64(1));
            m.field(st->textView(2));
            m.field(st->textView(3));
            m.number(st->int64(4));
            m.field(st->textView(5));
            m.field(st->textView(6));
            m.field(st->textView(7));
            m.field(st->textView(8));
            if (!st->isNull(10)) { // schema 7 on: the account ids are MACed too
                m.number(st->int64(10));
                m.number(st->int64(11));
                if (!st->isNull(12)) // schema 11 on: the origin too
                    m.field(st->textView(12));
            }
            key.compute(m.bytes().constData(), static_cast<std::size_t>(m.bytes().size()), computed);
            macOk = crypto::constantTimeEqual(computed, sizeof computed,
                                              reinterpret_cast<const unsigned char*>(stored.data()),
                                              static_cast<std::size_t>(stored.size()));
        }
        // Ids are consecutive from 1: a deleted event leaves a gap, an inserted one a MAC that
        // does not link, a reordered one a MAC that no longer links.
        if (id != expectedId || previousSize < 0 || !macOk) {
            r.firstBrokenId = id;
            r.reason = (id > expectedId || previousSize < 0)
                           ? QStringLiteral("gap: events before it are missing")
                           : QStringLiteral("modified: its content or its link to the previous event was changed");
            continue;
        }
        std::memcpy(previous, computed, sizeof computed);
        previousSize = static_cast<qsizetype>(sizeof computed);
        ++expectedId;
    }
    if (st->failed())
        r.error = st->error();
    return r;
}

} // namespace

Result<std::optional<AuditEvent>> AuditLog::event(qint64 id) {
    auto st = m_vault.db().prepare("SELECT id, at_ms, actor, action, layer, outcome, factor, subject, detail, "
                                   "actor_id, subject_id, origin FROM audit WHERE id = ?");
    if (!st)
        return st.error();
    st->bind(1, id);
    if (!st->step()) {
        if (st->failed())
            return st->error();
        return std::optional<AuditEvent>();
    }
    AuditEvent event = readEvent(*st);
    // The same check as verify(), for this event alone: a changed event must not be explained as
    // if it were what happened (audit diagnose said "nothing to fix" for an edited one).
    const RangeResult check = verifyRange(m_vault.db(), *m_macKey, id, id);
    if (check.error)
        return *check.error;
    if (check.firstBrokenId == id)
        event.broken = check.reason;
    return std::optional<AuditEvent>(std::move(event));
}

Result<ChainReport> AuditLog::verify() {
    // The MAC is recomputed from the stored bytes of each field (no text decoding), so a field
    // changed to a value that would read back the same (an unknown outcome read as "info") still
    // breaks the chain. Large logs are split into id ranges verified in parallel, each on its
    // own connection (reading is dominated by SQLCipher's per-page decryption).
    Database& db = m_vault.db();
    auto bounds = db.prepare("SELECT coalesce(min(id), 1), coalesce(max(id), 0) FROM audit");
    if (!bounds)
        return bounds.error();
    if (!bounds->step())
        return bounds->failed() ? bounds->error() : Error{Errc::Internal, QStringLiteral("no bounds row"), 0};
    const qint64 minId = bounds->int64(0);
    const qint64 maxId = bounds->int64(1);
    ChainReport report;
    if (minId < 1) {
        // Ids below 1 were never written: every row from there on is out of place.
        auto below = db.prepare("SELECT count(*) FROM audit WHERE id < 1");
        if (!below || !below->step())
            return below ? below->error() : below.error();
        report.intact = false;
        report.firstBrokenId = minId;
        report.reason = QStringLiteral("out of sequence: an id that was never issued");
        report.events = below->int64(0);
    }
    const int threads = maxId >= m_parallelFrom ? std::clamp(QThread::idealThreadCount(), 2, 4) : 1;
    std::vector<RangeResult> results(static_cast<std::size_t>(threads));
    const qint64 span = (maxId + threads - 1) / std::max(threads, 1);
    if (threads == 1) {
        results[0] = verifyRange(db, *m_macKey, 1, std::max<qint64>(maxId, 1));
    } else {
        std::vector<std::thread> workers;
        for (int t = 0; t < threads; ++t) {
            const qint64 first = 1 + t * span;
            const qint64 last = std::min(maxId, (t + 1) * span);
            workers.emplace_back([&, t, first, last] {
                auto reader = m_vault.openReader();
                if (!reader) {
                    results[static_cast<std::size_t>(t)].error = reader.error();
                    return;
                }
                results[static_cast<std::size_t>(t)] = verifyRange(*reader, *m_macKey, first, last);
            });
        }
        for (std::thread& w : workers)
            w.join();
    }
    for (const RangeResult& r : results) {
        if (r.error)
            return *r.error;
        report.events += r.events;
        if (report.intact && r.firstBrokenId != 0) {
            report.intact = false;
            report.firstBrokenId = r.firstBrokenId;
            report.reason = r.reason;
        }
    }
    return report;
}

} // namespace gh
