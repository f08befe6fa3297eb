#include "sessionstore.h"

#include "../origin.h"
#include "../plaintext.h"

#include "../crypto/primitives.h"
#include "../crypto/random.h"
#include "../crypto/sha256.h"
#include "../vault/vault.h"

#include <QCoreApplication>
#include <QFile>
#include <QSysInfo>

#include <algorithm>
#include <cstring>

namespace gh {

namespace {

constexpr const char* kColumns =
    "id, user_id, client, restricted, created_at, expires_at, ended_at, factors, aal, host, pid, boot_id, "
    "created_mono, coalesce(last_active_at, created_at), last_active_mono, coalesce(auth_at, created_at), "
    "auth_mono, idle_secs, absolute_secs, coalesce(end_reason, ''), coalesce(ended_by, ''), secret_hash, "
    "changed_seq";

QDateTime fromSecs(qint64 secs) {
    return QDateTime::fromSecsSinceEpoch(secs, Qt::UTC);
}

struct Row {
    SessionRecord record;
    QString bootId;
    QByteArray hash;
    qint64 seq = 0;
};

Row readRow(const Statement& st) {
    Row row;
    SessionRecord& r = row.record;
    r.id = st.text(0);
    r.userId = st.int64(1);
    r.client = st.text(2);
    r.restriction = static_cast<int>(st.int64(3));
    r.created = fromSecs(st.int64(4));
    r.expires = fromSecs(st.int64(5));
    if (!st.isNull(6))
        r.ended = fromSecs(st.int64(6));
    r.factors = st.text(7);
    r.aal = static_cast<int>(st.int64(8));
    r.host = st.text(9);
    r.pid = st.int64(10);
    row.bootId = st.text(11);
    r.createdMono = st.int64(12);
    r.lastActive = fromSecs(st.int64(13));
    r.lastActiveMono = st.int64(14);
    r.lastAuth = fromSecs(st.int64(15));
    r.authMono = st.int64(16);
    r.idleSecs = st.int64(17);
    r.absoluteSecs = st.int64(18);
    r.endReason = st.text(19);
    r.endedBy = st.text(20);
    row.hash = st.blob(21);
    row.seq = st.int64(22);
    return row;
}

QByteArray select(const char* tail) {
    return QByteArray("SELECT ") + kColumns + " FROM sessions " + tail;
}

} // namespace

SessionLifetimes SessionStore::lifetimesFor(int aal) {
    return {aal >= 3 ? kIdleSecsAal3 : kIdleSecs, kAbsoluteLifetimeSecs};
}

QString SessionStore::bootId() {
    static const QString id = [] {
        QFile f(QStringLiteral("/proc/sys/kernel/random/boot_id"));
        if (!f.open(QIODevice::ReadOnly))
            return QStringLiteral("unknown");
        return QString::fromLatin1(f.readAll().trimmed());
    }();
    return id;
}

SessionStore::SessionStore(Vault& vault, const Clock& clock, RandomSource& random)
    : m_vault(vault), m_clock(clock), m_random(random), m_sha(std::make_unique<crypto::Sha256>()), m_bootId(bootId()) {}

SessionStore::~SessionStore() = default;

SessionStore::Key SessionStore::keyOf(const SecureBuffer& secret) {
    return m_sha->digest(secret.data(), secret.size());
}

Result<SessionRecord> SessionStore::issue(SessionRecord r, SecureBuffer& secretOut, Continuation continuation) {
    r.id = QString::fromLatin1(m_random.bytes(16).toHex());
    const QDateTime now = m_clock.nowUtc();
    r.created = now;
    const SessionLifetimes life = lifetimesFor(r.aal);
    r.idleSecs = life.idleSecs;
    r.absoluteSecs = life.absoluteSecs;
    r.createdMono = r.lastActiveMono = r.authMono = m_clock.monotonicMs();
    r.lastActive = r.lastAuth = now;
    if (const SessionRecord* from = continuation.from) {
        r.createdMono = from->createdMono; // the absolute deadline stays where the sign-in put it
        r.created = from->created;
        r.absoluteSecs = std::min(r.absoluteSecs, from->absoluteSecs);
        if (!continuation.renewsFreshness) {
            r.authMono = from->authMono;
            r.lastAuth = from->lastAuth;
        }
    }
    r.expires = r.created.addSecs(r.absoluteSecs);
    r.client = toPlainLine(r.client, kMaxClientUnits);
    if (r.host.isEmpty())
        r.host = QSysInfo::machineHostName();
    if (r.pid == 0)
        r.pid = currentOrigin().known ? currentOrigin().pid : QCoreApplication::applicationPid();
    SecureBuffer secret = m_random.secret(32); // 256 bits (SES-01)
    const Key key = keyOf(secret);
    auto st = m_vault.db().prepare(
        "INSERT INTO sessions(id, user_id, secret_hash, client, restricted, created_at, expires_at, factors, aal, "
        "host, pid, boot_id, created_mono, last_active_at, last_active_mono, auth_at, auth_mono, idle_secs, "
        "absolute_secs) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    if (!st)
        return st.error();
    const qint64 createdSecs = r.created.toSecsSinceEpoch();
    st->bind(1, r.id)
        .bind(2, r.userId)
        .bind(3, QByteArray(reinterpret_cast<const char*>(key.data()), 32))
        .bind(4, r.client)
        .bind(5, r.restriction)
        .bind(6, createdSecs)
        .bind(7, r.expires.toSecsSinceEpoch())
        .bind(8, r.factors)
        .bind(9, r.aal)
        .bind(10, r.host)
        .bind(11, r.pid)
        .bind(12, m_bootId)
        .bind(13, r.createdMono)
        .bind(14, now.toSecsSinceEpoch())
        .bind(15, r.lastActiveMono)
        .bind(16, r.lastAuth.toSecsSinceEpoch())
        .bind(17, r.authMono)
        .bind(18, r.idleSecs)
        .bind(19, r.absoluteSecs);
    if (Status s = st->done(); !s)
        return s.error();
    // Not added to the mirror here: the caller's transaction may still roll back. The next
    // sync (our own total_changes moved) loads it from the vault once committed.
    secretOut = std::move(secret);
    return r;
}

qint64 SessionStore::idleLeftMs(const SessionRecord& r) const {
    return std::max<qint64>(0, r.lastActiveMono + r.idleSecs * 1000 - m_clock.monotonicMs());
}
qint64 SessionStore::absoluteLeftMs(const SessionRecord& r) const {
    return std::max<qint64>(0, r.createdMono + r.absoluteSecs * 1000 - m_clock.monotonicMs());
}
qint64 SessionStore::freshLeftMs(const SessionRecord& r) const {
    return std::max<qint64>(0, r.authMono + kFreshSecs * 1000 - m_clock.monotonicMs());
}

QString SessionStore::expiryOf(const SessionRecord& r) const {
    return expiryAt(r, m_clock.monotonicMs());
}

QDateTime SessionStore::wallOf(qint64 mono) const {
    return m_clock.nowUtc().addMSecs(mono - m_clock.monotonicMs());
}

QString SessionStore::expiryAt(const SessionRecord& r, qint64 now) {
    if (now >= r.createdMono + r.absoluteSecs * 1000)
        return QStringLiteral("absolute lifetime");
    if (now >= r.lastActiveMono + r.idleSecs * 1000)
        return QStringLiteral("idle timeout");
    return {};
}

Result<SessionCheck> SessionStore::check(const SecureBuffer& secret, Use use) {
    if (secret.size() != 32)
        return Errc::SessionInvalid;
    return checkDigest(keyOf(secret), use);
}

Result<SessionCheck> SessionStore::checkDigest(const Digest& key, Use use) {
    const qint64 now = m_clock.monotonicMs(); // one clock read per call: this is the hot path
    // Our own commits at once (a session ended inside a transaction stays cached until then: it
    // might have rolled back), other processes' at the poll. Unchanged, this is one counter read.
    // A failed check keeps the last known state; the facade's forced sync reports errors.
    if (!m_loaded || now - m_lastPollMono >= kPollMs)
        (void)sync(true);
    else
        (void)syncOwnChanges();
    Entry* it = m_live.find(key);
    if (!it) {
        // A miss may be a session issued a moment ago (by us or another process) that the
        // throttled check has not loaded yet: check now, once. Unknown secrets cost one PRAGMA.
        if (Status s = sync(true); !s)
            return s.error();
        it = m_live.find(key);
        if (!it)
            return Errc::SessionInvalid;
    }
    Entry& e = *it;
    if (now >= e.createdMono + e.absoluteMs || now >= e.lastActiveMono + e.idleMs) {
        const QString expiry =
            now >= e.createdMono + e.absoluteMs ? QStringLiteral("absolute lifetime") : QStringLiteral("idle timeout");
        if (!m_vault.inTransaction()) {
            const QString id = e.record->id;
            (void)end(id, expiry); // removes the entry
        }
        return Error{Errc::SessionInvalid, expiry, 0};
    }
    if (use == Use::Activity) {
        // Wall-clock "last active" is derived when shown or persisted, not read here.
        e.lastActiveMono = now;
        if (now - e.persistedActivityMono >= kPersistActivityMs && !m_vault.inTransaction())
            (void)persistActivity(e);
    }
    return SessionCheck{e.userId, e.restriction, e.aal, e.createdMono, e.lastActiveMono, e.authMono, e.record};
}

Result<SessionRecord> SessionStore::validate(const SecureBuffer& secret, Use use) {
    auto c = check(secret, use);
    if (!c)
        return c.error();
    SessionRecord r = *c->record;
    r.lastActiveMono = c->lastActiveMono;
    r.lastActive = wallOf(c->lastActiveMono);
    return r;
}

Result<SessionRecord> SessionStore::validateNow(const SecureBuffer& secret, Use use) {
    if (Status s = sync(true); !s)
        return s.error();
    return validate(secret, use);
}

QString SessionStore::endReasonOf(const SecureBuffer& secret) {
    if (secret.size() != 32)
        return {};
    return endReasonOf(keyOf(secret));
}

QString SessionStore::endReasonOf(const Digest& key) {
    auto st = m_vault.db().prepare("SELECT coalesce(end_reason, ''), coalesce(ended_by, '') FROM sessions "
                                   "WHERE secret_hash = ? AND ended_at IS NOT NULL");
    if (!st)
        return {};
    st->bind(1, QByteArray(reinterpret_cast<const char*>(key.data()), 32));
    if (!st->step())
        return {};
    const QString reason = st->text(0);
    const QString by = st->text(1);
    return by.isEmpty() ? reason : QStringLiteral("%1 by %2").arg(reason, by);
}

Status SessionStore::persistActivity(Entry& e) {
    auto st = m_vault.db().prepare(
        "UPDATE sessions SET last_active_at = ?, last_active_mono = ? WHERE id = ? AND ended_at IS NULL");
    if (!st)
        return st.error();
    st->bind(1, wallOf(e.lastActiveMono).toSecsSinceEpoch()).bind(2, e.lastActiveMono).bind(3, e.record->id);
    if (Status s = st->done(); !s)
        return s;
    e.persistedActivityMono = e.lastActiveMono;
    return ok();
}

// Sessions used in this process know their last activity better than the vault (written lazily).
SessionRecord SessionStore::withActivity(const SessionRecord& r) const {
    auto k = m_byId.find(r.id);
    if (k == m_byId.end())
        return r;
    const Entry* e = m_live.find(k->second.key);
    if (!e || e->lastActiveMono <= r.lastActiveMono)
        return r;
    SessionRecord out = r;
    out.lastActiveMono = e->lastActiveMono;
    out.lastActive = wallOf(out.lastActiveMono);
    return out;
}

void SessionStore::forget(const QString& id) {
    auto k = m_byId.find(id);
    if (k == m_byId.end())
        return;
    m_live.erase(k->second.key);
    m_byId.erase(k);
}

Status SessionStore::syncOwnChanges() {
    if (m_loaded && m_vault.db().totalChanges() == m_totalChanges)
        return ok();
    return sync(true);
}

Status SessionStore::sync(bool force) {
    // Never inside a transaction: what we would read might still roll back.
    if (m_vault.inTransaction())
        return ok();
    const qint64 now = m_clock.monotonicMs();
    if (!force && m_loaded && now - m_lastPollMono < kPollMs)
        return ok();
    m_lastPollMono = now;
    auto version = m_vault.db().dataVersion();
    if (!version)
        return version.error();
    const qint64 total = m_vault.db().totalChanges();
    if (m_loaded && *version == m_dataVersion && total == m_totalChanges)
        return ok(); // nobody committed anything since the last check
    auto seq = m_vault.db().prepare("SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'sessions_seq'");
    if (!seq)
        return seq.error();
    const qint64 current = seq->step() ? seq->int64(0) : 0;
    if (seq->failed())
        return seq->error();
    Status s = ok();
    if (!m_loaded || current < m_seenSeq) {
        m_live.clear();
        m_byId.clear();
        s = reload(-1);
    } else if (current != m_seenSeq) {
        s = reload(m_seenSeq);
    }
    if (!s)
        return s;
    m_loaded = true;
    m_seenSeq = current;
    m_dataVersion = *version;
    m_totalChanges = m_vault.db().totalChanges(); // reload() may have ended stale records itself
    return ok();
}

Status SessionStore::reload(qint64 afterSeq) {
    auto st = m_vault.db().prepare(afterSeq < 0 ? select("WHERE ended_at IS NULL").constData()
                                                : select("WHERE changed_seq > ?").constData());
    if (!st)
        return st.error();
    if (afterSeq >= 0)
        st->bind(1, afterSeq);
    QStringList stale; // written on another boot
    while (st->step()) {
        Row row = readRow(*st);
        if (row.hash.size() != 32)
            continue;
        forget(row.record.id);
        if (row.record.ended.isValid())
            continue;
        if (row.bootId != m_bootId) {
            stale << row.record.id;
            continue;
        }
        Key key{};
        std::memcpy(key.data(), row.hash.constData(), 32);
        const QString id = row.record.id;
        auto [slot, inserted] = m_byId.emplace(id, ById{key, std::move(row.record)});
        const SessionRecord& r = slot->second.record;
        Entry e;
        e.userId = r.userId;
        e.restriction = r.restriction;
        e.aal = r.aal;
        e.createdMono = r.createdMono;
        e.lastActiveMono = r.lastActiveMono;
        e.authMono = r.authMono;
        e.idleMs = r.idleSecs * 1000;
        e.absoluteMs = r.absoluteSecs * 1000;
        e.persistedActivityMono = r.lastActiveMono;
        e.record = &slot->second.record;
        m_live.insert(key, e);
    }
    if (st->failed())
        return st->error();
    for (const QString& id : stale)
        (void)end(id, QStringLiteral("system restarted"));
    return ok();
}

Status SessionStore::end(const QString& id, const QString& reason, const QString& by) {
    auto st = m_vault.db().prepare(
        "UPDATE sessions SET ended_at = ?, end_reason = ?, ended_by = ? WHERE id = ? AND ended_at IS NULL");
    if (!st)
        return st.error();
    st->bind(1, m_clock.nowSecs()).bind(2, reason);
    if (by.isEmpty())
        st->bindNull(3);
    else
        st->bind(3, by);
    st->bind(4, id);
    if (Status s = st->done(); !s)
        return s;
    if (!m_vault.inTransaction())
        forget(id); // committed already; inside a transaction the next sync decides
    return ok();
}

Status SessionStore::endAllForUser(qint64 userId, const QString& reason) {
    auto n = endMany(userId, QString(), reason, QString());
    if (!n)
        return n.error();
    return ok();
}

Result<int> SessionStore::endMany(qint64 userId, const QString& exceptId, const QString& reason, const QString& by) {
    auto st = m_vault.db().prepare(
        "UPDATE sessions SET ended_at = ?, end_reason = ?, ended_by = ? WHERE ended_at IS NULL AND "
        "(? = 0 OR user_id = ?) AND id <> ?");
    if (!st)
        return st.error();
    st->bind(1, m_clock.nowSecs()).bind(2, reason);
    if (by.isEmpty())
        st->bindNull(3);
    else
        st->bind(3, by);
    st->bind(4, userId).bind(5, userId).bind(6, exceptId);
    if (Status s = st->done(); !s)
        return s.error();
    const int n = m_vault.db().changes();
    if (!m_vault.inTransaction())
        (void)sync(true);
    return n;
}

Result<int> SessionStore::purgeUser(qint64 userId) {
    auto ids = m_vault.db().prepare("SELECT id FROM sessions WHERE user_id = ?");
    if (!ids)
        return ids.error();
    ids->bind(1, userId);
    QStringList gone;
    while (ids->step())
        gone << ids->text(0);
    if (ids->failed())
        return ids->error();
    auto del = m_vault.db().prepare("DELETE FROM sessions WHERE user_id = ?");
    if (!del)
        return del.error();
    del->bind(1, userId);
    if (Status s = del->done(); !s)
        return s.error();
    // Forgotten at once, even inside a transaction: a reload never brings back deleted rows, and
    // if the deletion rolls back, these sessions (ended in the same transaction) fail closed.
    for (const QString& id : gone)
        forget(id);
    return static_cast<int>(gone.size());
}

Result<int> SessionStore::endOldest(qint64 userId, int count, const QString& reason, const QString& exceptId) {
    auto st = m_vault.db().prepare("SELECT id FROM sessions WHERE user_id = ? AND ended_at IS NULL AND id <> ? "
                                   "AND boot_id = ? AND created_mono + absolute_secs * 1000 > ? AND "
                                   "last_active_mono + idle_secs * 1000 > ? ORDER BY created_mono, rowid LIMIT ?");
    if (!st)
        return st.error();
    const qint64 now = m_clock.monotonicMs();
    st->bind(1, userId).bind(2, exceptId).bind(3, m_bootId).bind(4, now).bind(5, now).bind(6, count);
    QStringList ids;
    while (st->step())
        ids << st->text(0);
    if (st->failed())
        return st->error();
    for (const QString& id : ids)
        if (Status s = end(id, reason); !s)
            return s.error();
    return static_cast<int>(ids.size());
}

Result<int> SessionStore::countActive() {
    if (Status s = sync(true); !s)
        return s.error();
    int n = 0;
    const qint64 now = m_clock.monotonicMs();
    m_live.forEach([&](const Key&, const Entry& e) {
        n += now < e.createdMono + e.absoluteMs && now < e.lastActiveMono + e.idleMs ? 1 : 0;
    });
    return n;
}

Result<int> SessionStore::countLiveForUser(qint64 userId, const QString& exceptId) {
    // Last activity in the vault may lag by up to kPersistActivityMs: a session idle for nearly its
    // whole timeout may count a minute longer than it lives, never the other way round.
    auto st = m_vault.db().prepare("SELECT count(*) FROM sessions WHERE user_id = ? AND ended_at IS NULL AND "
                                   "id <> ? AND boot_id = ? AND created_mono + absolute_secs * 1000 > ? AND "
                                   "last_active_mono + idle_secs * 1000 > ?");
    if (!st)
        return st.error();
    const qint64 now = m_clock.monotonicMs();
    st->bind(1, userId).bind(2, exceptId).bind(3, m_bootId).bind(4, now).bind(5, now);
    if (!st->step())
        return st->error();
    return static_cast<int>(st->int64(0));
}

Result<std::optional<SessionRecord>> SessionStore::find(const QString& id) {
    auto st = m_vault.db().prepare(select("WHERE id = ?").constData());
    if (!st)
        return st.error();
    st->bind(1, id);
    if (!st->step()) {
        if (st->failed())
            return st->error();
        return std::optional<SessionRecord>();
    }
    return std::optional<SessionRecord>(withActivity(readRow(*st).record));
}

Result<QList<SessionRecord>> SessionStore::list(qint64 userId, bool includeEnded, int endedLimit) {
    if (Status s = sync(true); !s)
        return s.error();
    QList<SessionRecord> out;
    auto live = m_vault.db().prepare(
        select("WHERE ended_at IS NULL AND (? = 0 OR user_id = ?) ORDER BY created_at DESC, id").constData());
    if (!live)
        return live.error();
    live->bind(1, userId).bind(2, userId);
    while (live->step()) {
        Row row = readRow(*live);
        if (row.bootId != m_bootId)
            continue;
        out << withActivity(row.record);
    }
    if (live->failed())
        return live->error();
    if (includeEnded) {
        auto ended = m_vault.db().prepare(
            select("WHERE ended_at IS NOT NULL AND (? = 0 OR user_id = ?) ORDER BY ended_at DESC, id LIMIT ?")
                .constData());
        if (!ended)
            return ended.error();
        ended->bind(1, userId).bind(2, userId).bind(3, endedLimit);
        while (ended->step())
            out << readRow(*ended).record;
        if (ended->failed())
            return ended->error();
    }
    return out;
}

} // namespace gh
