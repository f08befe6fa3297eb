// L3 session store: issue, validate, end and list sessions (SECURITY.md SES-01…SES-07).
//
// Lifetimes. Every session has an idle timeout and an absolute lifetime chosen by its assurance
// level (DESIGN.md: AAL1/AAL2 idle 30 min, AAL3 idle 15 min, all 12 h absolute), and remembers
// when its holder last authenticated fully (freshness; sensitive operations need ≤ 5 min). All
// three are measured on Clock::monotonicMs(), which in production is CLOCK_BOOTTIME: shared by
// every process of one boot, never set, counting suspend. The wall clock only labels records
// for people (created, last active, expires); a wall clock that jumps either way neither extends
// nor shortens a session. Records written on an earlier boot (their monotonic stamps mean
// nothing now, and no process can still hold their secret, SES-02) end as "system restarted".
// Activity slides the idle deadline only; the absolute deadline never moves, not even with a
// re-issued secret (Continuation); re-authentication (step-up) renews freshness and the idle
// deadline only.
//
// Validation hot path. Every live session of the vault is mirrored in memory, keyed by the
// SHA-256 of its secret (OpenSSL's SHA-NI code + a flat open-addressing table), so validate() answers
// without touching the vault. Changes made by other connections (the CLI revoking a GUI
// session, another Gatehouse instance) are noticed like this: triggers bump `sessions_seq` in
// meta and stamp the changed row with it on every insert and every end; validate() checks at most
// every kPollMs (250 ms) whether anything was committed since (PRAGMA data_version for other
// connections, sqlite3_total_changes for our own) and only then reads sessions_seq and reloads the
// rows stamped after the last one seen. A revocation therefore reaches every process within
// kPollMs of its next validate(); the facade forces that check before each operation it
// authorises. Last activity is written back lazily (at most once a minute per session, never
// sliding the absolute deadline) so lists in other processes are approximately right.
#pragma once

#include "../clock.h"
#include "../crypto/securebuffer.h"
#include "../errors.h"
#include "flatkeymap.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QString>

#include <array>
#include <memory>
#include <optional>
#include <unordered_map>

namespace gh {

class Vault;
class RandomSource;
namespace crypto {
class Sha256;
}

struct SessionRecord {
    QString id; // public identifier (not the secret): 16 random bytes, hex
    qint64 userId = 0;
    QString client;
    QDateTime created;
    QDateTime expires;   // absolute deadline as wall time (display; enforced on the monotonic clock)
    int restriction = 0; // gh::Restriction as stored (0 = none)
    QString factors;     // factor kinds this login proved, comma-separated ("password,totp")
    int aal = 1;
    // Lifetimes (sessions issue)
    QString host;
    qint64 pid = 0;
    qint64 createdMono = 0;    // Clock::monotonicMs() at issue
    qint64 lastActiveMono = 0; // … at the last activity (validate with Use::Activity)
    qint64 authMono = 0;       // … at the last full authentication (freshness)
    QDateTime lastActive;      // wall time of the last activity (derived from lastActiveMono when shown)
    QDateTime lastAuth;
    qint64 idleSecs = 0;
    qint64 absoluteSecs = 0;
    QDateTime ended; // invalid while live
    QString endReason;
    QString endedBy;
};

// What the hot path answers: plain values copied out of the hash map entry (no strings, no
// reference counts to touch), plus the full record for callers that need it. `record` points into
// the store and stays valid until the store's next non-const call; copy what you keep.
struct SessionCheck {
    qint64 userId = 0;
    int restriction = 0;
    int aal = 1;
    qint64 createdMono = 0;
    qint64 lastActiveMono = 0;
    qint64 authMono = 0;
    const SessionRecord* record = nullptr;
};

struct SessionLifetimes {
    qint64 idleSecs = 0;
    qint64 absoluteSecs = 0;
};

// How a re-issued session (a new secret for a live session: step-up, password change, a factor
// enrolled) continues the one it replaces (issue 16, SES-03/SES-04): it keeps the absolute
// deadline, always; it keeps the time of the last full authentication (freshness) unless the
// re-issue is itself a full proof (renewsFreshness: a step-up). The idle deadline starts again
// (re-issuing is activity).
struct SessionContinuation {
    const SessionRecord* from = nullptr; // nullptr: a new sign-in, everything starts now
    bool renewsFreshness = false;
};

class SessionStore {
public:
    static constexpr qint64 kAbsoluteLifetimeSecs = 12 * 3600; // DESIGN.md, every AAL
    static constexpr qint64 kIdleSecs = 30 * 60;               // AAL1, AAL2
    static constexpr qint64 kIdleSecsAal3 = 15 * 60;
    static constexpr qint64 kFreshSecs = 5 * 60; // sensitive operations
    static constexpr qint64 kPollMs = 250;       // cross-process change check, at most this often
    static constexpr qint64 kPersistActivityMs = 60 * 1000;

    static SessionLifetimes lifetimesFor(int aal);

    enum class Use {
        Activity, // the holder did something: slides the idle deadline
        Peek,     // a liveness check (e.g. the GUI's poll): changes nothing
    };

    SessionStore(Vault& vault, const Clock& clock, RandomSource& random);
    ~SessionStore();

    using Continuation = SessionContinuation;
    // Creates the record and returns the secret (held by the caller only) in `secretOut`.
    // `r` carries userId, client, restriction, factors and aal; id, times and lifetimes are
    // filled in (host and pid too when empty). The client name is a program's claim, shown in
    // session lists: kept as one plain line (core/plaintext.h) of at most kMaxClientUnits.
    static constexpr qsizetype kMaxClientUnits = 256;
    Result<SessionRecord> issue(SessionRecord r, SecureBuffer& secretOut, Continuation continuation = {});
    // From memory: fails with SessionInvalid (detail: why, when known) when unknown, ended or
    // expired. An expiry found here ends the record in the vault ("idle timeout", "absolute
    // lifetime"). Picks up other processes' changes at most every kPollMs.
    Result<SessionRecord> validate(const SecureBuffer& secret, Use use = Use::Activity);
    // The hot path under validate(): the same checks, answering with plain values.
    Result<SessionCheck> check(const SecureBuffer& secret, Use use = Use::Activity);
    // The SHA-256 of a session secret: the key the vault and the mirror know a session by.
    using Digest = std::array<unsigned char, 32>;
    // check() by that digest, for a caller that hashed the secret itself (CheckPermission hashes
    // the token once, straight from the message, and copies it into no SecureBuffer).
    Result<SessionCheck> checkDigest(const Digest& key, Use use = Use::Activity);
    // The same after a forced change check (what the facade does before each operation).
    Result<SessionRecord> validateNow(const SecureBuffer& secret, Use use = Use::Activity);
    // Why the session with this secret ended (reason and by whom), from the vault; empty if unknown.
    QString endReasonOf(const SecureBuffer& secret);
    QString endReasonOf(const Digest& key);

    Status end(const QString& id, const QString& reason, const QString& by = {});
    Status endAllForUser(qint64 userId, const QString& reason);
    // Ends live sessions of `userId` (or of everyone when userId == 0) except `exceptId`.
    Result<int> endMany(qint64 userId, const QString& exceptId, const QString& reason, const QString& by);
    // Deletes every session record of an account and forgets them in this process (deleting the
    // account: its session rows reference it). End them first (endMany) so holders are told why;
    // other processes reject them at their next authorised call (the account is gone).
    Result<int> purgeUser(qint64 userId);
    // Ends the `count` least recently created live sessions of a user (session limit): the earliest
    // sign-in first (a re-issued or an application session counts from its sign-in), among equals
    // the one written first.
    Result<int> endOldest(qint64 userId, int count, const QString& reason, const QString& exceptId = {});

    Result<int> countActive();
    // Live sessions of a user according to the vault (inside the caller's transaction).
    Result<int> countLiveForUser(qint64 userId, const QString& exceptId = {});
    Result<std::optional<SessionRecord>> find(const QString& id);
    // Live (and, with includeEnded, the most recent ended) sessions; userId 0 = every account.
    Result<QList<SessionRecord>> list(qint64 userId, bool includeEnded, int endedLimit = 50);

    // Time left (ms, ≥ 0) of a record at the clock's current monotonic time.
    qint64 idleLeftMs(const SessionRecord& r) const;
    qint64 absoluteLeftMs(const SessionRecord& r) const;
    qint64 freshLeftMs(const SessionRecord& r) const;
    // "idle timeout", "absolute lifetime" or empty while within both deadlines.
    QString expiryOf(const SessionRecord& r) const;
    static QString expiryAt(const SessionRecord& r, qint64 nowMono);
    // The wall time that a monotonic stamp of this boot corresponds to (for display).
    QDateTime wallOf(qint64 mono) const;

    // Brings the memory mirror up to date; `force` skips the kPollMs throttle.
    Status sync(bool force);
    // Syncs at once when this connection committed anything since the last sync (a counter in
    // memory, no query), so a session ended by this process is never answered as live; other
    // processes' changes still arrive within kPollMs (checkDigest, every check).
    Status syncOwnChanges();
    std::size_t liveInMemory() const { return m_live.size(); }
    static QString bootId();

private:
    using Key = Digest;
    // The hash map's value: everything the checks read, inline in the node (one cache line or
    // two), and a pointer to the full record (kept in m_byId, whose nodes never move).
    struct Entry {
        qint64 userId = 0;
        int restriction = 0;
        int aal = 1;
        qint64 createdMono = 0;
        qint64 lastActiveMono = 0;
        qint64 authMono = 0;
        qint64 idleMs = 0;
        qint64 absoluteMs = 0;
        qint64 persistedActivityMono = 0;
        SessionRecord* record = nullptr;
    };
    struct ById {
        Key key{};
        SessionRecord record;
    };
    SessionRecord withActivity(const SessionRecord& r) const; // the record with this process's last activity
    Key keyOf(const SecureBuffer& secret);
    Status reload(qint64 afterSeq);
    Status persistActivity(Entry& e);
    void forget(const QString& id);

    Vault& m_vault;
    const Clock& m_clock;
    RandomSource& m_random;
    std::unique_ptr<crypto::Sha256> m_sha;
    FlatKeyMap<Entry> m_live;
    std::unordered_map<QString, ById> m_byId;
    QString m_bootId;
    bool m_loaded = false;
    qint64 m_seenSeq = -1;
    qint64 m_lastPollMono = 0;
    qint64 m_dataVersion = -1;
    qint64 m_totalChanges = -1;
};

} // namespace gh
