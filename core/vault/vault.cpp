#include "vault.h"

#include "../crypto/primitives.h"
#include "../crypto/random.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QSaveFile>
#include <QScopeGuard>

#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <fcntl.h>
#include <mutex>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>
#include <utility>

namespace gh {

Q_LOGGING_CATEGORY(lcVault, "gatehouse.vault")

namespace {

constexpr qint64 kPageSize = 1024; // SQLCipher 3 default page size

// Forward migrations: entry i takes the schema from version i to i + 1. Never edit a shipped
// entry; append a new one and raise Vault::kSchemaVersion.
const char* const kMigrations[] = {
    // 0 → 1: accounts, throttling, sessions, audit.
    R"sql(
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE users(
    id INTEGER PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL DEFAULT '',
    enabled INTEGER NOT NULL DEFAULT 1,
    must_change_password INTEGER NOT NULL DEFAULT 0,
    password_expires_at INTEGER,
    created_at INTEGER NOT NULL,
    last_login_at INTEGER
);
CREATE TABLE login_throttle(
    username TEXT PRIMARY KEY,
    failures INTEGER NOT NULL DEFAULT 0,
    last_failure_at INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE sessions(
    id TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    secret_hash BLOB NOT NULL UNIQUE,
    client TEXT NOT NULL,
    restricted INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    ended_at INTEGER,
    end_reason TEXT
);
CREATE INDEX sessions_user ON sessions(user_id);
CREATE TABLE audit(
    id INTEGER PRIMARY KEY,
    at_ms INTEGER NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    layer INTEGER NOT NULL,
    outcome TEXT NOT NULL,
    factor TEXT NOT NULL,
    subject TEXT NOT NULL,
    detail TEXT NOT NULL,
    mac BLOB NOT NULL
);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
)sql",
    // 1 → 2: second factors (TOTP, recovery codes) and what each session proved.
    R"sql(
CREATE TABLE factors(
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    kind TEXT NOT NULL,
    label TEXT NOT NULL,
    pending INTEGER NOT NULL DEFAULT 0,
    secret BLOB,
    algorithm TEXT,
    digits INTEGER,
    period INTEGER,
    last_step INTEGER NOT NULL DEFAULT -1,
    created_at INTEGER NOT NULL,
    expires_at INTEGER,
    last_used_at INTEGER
);
CREATE INDEX factors_user ON factors(user_id);
CREATE TABLE recovery_codes(
    id INTEGER PRIMARY KEY,
    factor_id INTEGER NOT NULL REFERENCES factors(id) ON DELETE CASCADE,
    code_hash TEXT NOT NULL,
    used_at INTEGER
);
ALTER TABLE users ADD COLUMN notice TEXT;
ALTER TABLE sessions ADD COLUMN factors TEXT NOT NULL DEFAULT 'password';
ALTER TABLE sessions ADD COLUMN aal INTEGER NOT NULL DEFAULT 1;
)sql",
    // 2 → 3: session lifetimes and revocation (sessions).
    // *_mono columns are CLOCK_BOOTTIME milliseconds (Clock::monotonicMs), valid only on the boot
    // named by boot_id; the wall-clock columns are for display. sessions_seq in meta is bumped by
    // every insert and every end (triggers, so direct SQL is covered too) and copied into the
    // row's changed_seq: other processes reload only rows newer than what they have seen.
    R"sql(
ALTER TABLE sessions ADD COLUMN host TEXT NOT NULL DEFAULT '';
ALTER TABLE sessions ADD COLUMN pid INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN boot_id TEXT NOT NULL DEFAULT '';
ALTER TABLE sessions ADD COLUMN created_mono INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN last_active_at INTEGER;
ALTER TABLE sessions ADD COLUMN last_active_mono INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN auth_at INTEGER;
ALTER TABLE sessions ADD COLUMN auth_mono INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN idle_secs INTEGER NOT NULL DEFAULT 1800;
ALTER TABLE sessions ADD COLUMN absolute_secs INTEGER NOT NULL DEFAULT 43200;
ALTER TABLE sessions ADD COLUMN ended_by TEXT;
ALTER TABLE sessions ADD COLUMN changed_seq INTEGER NOT NULL DEFAULT 0;
CREATE INDEX sessions_changed ON sessions(changed_seq);
CREATE INDEX sessions_live ON sessions(ended_at);
INSERT OR IGNORE INTO meta(key, value) VALUES ('sessions_seq', '0');
CREATE TRIGGER sessions_seq_insert AFTER INSERT ON sessions BEGIN
    UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'sessions_seq';
    UPDATE sessions SET changed_seq = (SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'sessions_seq')
        WHERE id = NEW.id;
END;
CREATE TRIGGER sessions_seq_change AFTER UPDATE OF ended_at, restricted, aal, factors, user_id ON sessions BEGIN
    UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'sessions_seq';
    UPDATE sessions SET changed_seq = (SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'sessions_seq')
        WHERE id = NEW.id;
END;
)sql",
    // 3 → 4: FIDO2 security keys. One row per key, owned by its factors row (kind 'fido2'; removing
    // the factor removes the key). credential_id is UNIQUE: no credential is registered twice, to
    // anyone (FIDO-01). The relying-party id is fixed per vault, so a credential made for one vault
    // is useless against another; it is not a secret.
    R"sql(
CREATE TABLE fido2_credentials(
    factor_id INTEGER PRIMARY KEY REFERENCES factors(id) ON DELETE CASCADE,
    credential_id BLOB NOT NULL UNIQUE,
    public_key BLOB NOT NULL,
    algorithm INTEGER NOT NULL,
    sign_count INTEGER NOT NULL DEFAULT 0,
    uv_capable INTEGER NOT NULL DEFAULT 0,
    uv_initialized INTEGER NOT NULL DEFAULT 0,
    backup_eligible INTEGER NOT NULL DEFAULT 0,
    backup_state INTEGER NOT NULL DEFAULT 0,
    aaguid BLOB NOT NULL,
    attestation TEXT NOT NULL
);
INSERT OR IGNORE INTO meta(key, value) VALUES ('fido2_rp_id', 'gatehouse-' || lower(hex(randomblob(8))));
)sql",
    // 4 → 5: roles as data (roles). users.role stays as a mirror of the primary role for older
    // readers; authorization reads user_roles only. Unknown old role names are dropped (fail closed).
    R"sql(
CREATE TABLE roles(
    name TEXT PRIMARY KEY,
    built_in INTEGER NOT NULL DEFAULT 0,
    description TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE role_permissions(
    role TEXT NOT NULL REFERENCES roles(name) ON DELETE CASCADE,
    permission TEXT NOT NULL,
    PRIMARY KEY(role, permission)
);
CREATE TABLE user_roles(
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role TEXT NOT NULL REFERENCES roles(name),
    assigned_at INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY(user_id, role)
);
CREATE INDEX user_roles_role ON user_roles(role);
INSERT INTO roles(name, built_in, description) VALUES
    ('admin', 1, 'Everything: accounts, roles, sessions, factors, audit and policy'),
    ('operator', 1, 'Reads accounts, sessions, the audit log and health'),
    ('viewer', 1, 'Reads health only');
INSERT INTO role_permissions(role, permission) VALUES
    ('admin', 'users.read'), ('admin', 'users.manage'), ('admin', 'status.read'),
    ('admin', 'password.change_own'), ('admin', 'audit.read'), ('admin', 'factors.manage_own'),
    ('admin', 'factors.manage_any'), ('admin', 'sessions.read_all'), ('admin', 'sessions.revoke_any'),
    ('admin', 'roles.assign'), ('admin', 'policy.manage'),
    ('operator', 'users.read'), ('operator', 'status.read'), ('operator', 'audit.read'),
    ('operator', 'sessions.read_all'), ('operator', 'password.change_own'), ('operator', 'factors.manage_own'),
    ('viewer', 'status.read'), ('viewer', 'password.change_own'), ('viewer', 'factors.manage_own');
INSERT INTO user_roles(user_id, role, assigned_at)
    SELECT id, role, created_at FROM users WHERE role IN ('admin', 'operator', 'viewer');
UPDATE users SET role = '' WHERE role NOT IN ('admin', 'operator', 'viewer');
)sql",
    // 5 → 6: audit queries (audit). Each index also orders by id (the rowid), so "newest first"
    // for one user, actor, action or (layer, outcome) walks an index backwards and stops after a
    // page (AuditLog::query).
    R"sql(
CREATE INDEX IF NOT EXISTS audit_actor ON audit(actor);
CREATE INDEX IF NOT EXISTS audit_subject ON audit(subject);
CREATE INDEX IF NOT EXISTS audit_action ON audit(action);
CREATE INDEX IF NOT EXISTS audit_layer_outcome ON audit(layer, outcome);
)sql",
    // 6 → 7: sign-in limits (issue 16). Notices become a list per account that only grows until
    // each is dismissed (users.notice is no longer written; what it held moves over). Audit events
    // record the account ids of their actor and subject (0: not an account), so an account's own
    // history is matched on ids, never on names that can equal a permission, a role or "system"
    // (AC-02); events written before this have NULL there and are readable with audit.read only.
    // login_throttle.charge_seq counts charges, so a login can tell whether anyone else's attempt
    // came between its password and its second factor (Core::chargeAttempt). The new
    // columns and their indexes: kAddedColumns below.
    R"sql(
CREATE TABLE IF NOT EXISTS notices(
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    alert INTEGER NOT NULL DEFAULT 0,
    topic TEXT NOT NULL DEFAULT '',
    text TEXT NOT NULL,
    shown_at INTEGER,
    dismissed_at INTEGER
);
CREATE INDEX IF NOT EXISTS notices_user ON notices(user_id, dismissed_at);
INSERT INTO notices(user_id, created_at, text)
    SELECT id, coalesce(last_login_at, created_at), notice FROM users WHERE notice IS NOT NULL AND notice <> '';
UPDATE users SET notice = NULL;
)sql",
    // 7 → 8: names are indexed only where no account id is recorded (NULL before schema 7, 0 for
    // "not an account"); an account's events are found through audit_actor_id/audit_subject_id
    // (AuditLog::query). Two full name indexes made every append update two more scattered
    // leaves: 3× the CPU per event at a million events (bench_audit, issue 17).
    R"sql(
DROP INDEX IF EXISTS audit_actor;
DROP INDEX IF EXISTS audit_subject;
CREATE INDEX IF NOT EXISTS audit_actor_unlinked ON audit(actor) WHERE ifnull(actor_id, 0) = 0;
CREATE INDEX IF NOT EXISTS audit_subject_unlinked ON audit(subject) WHERE ifnull(subject_id, 0) = 0;
)sql",
    // 8 → 9: deleted accounts (issue 12). Each deleted account's id and the name it held stay here,
    // so its audit events (recorded with that id; the chain's MAC covers the ids, so they are never
    // rewritten) are still found by its name (AuditLog::query), and no new account is given the id
    // of a deleted one (AccountsService inserts with an id above both tables), which would hand it
    // the deleted account's own history (AC-02).
    R"sql(
CREATE TABLE IF NOT EXISTS former_accounts(
    id INTEGER PRIMARY KEY,
    username TEXT NOT NULL,
    created_at INTEGER NOT NULL DEFAULT 0,
    deleted_at INTEGER NOT NULL,
    deleted_by TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS former_accounts_name ON former_accounts(username);
)sql",
    // 9 → 10: most events are about their own actor (a sign-in, a password change); those are found
    // through audit_actor_id alone, and the subject index keeps only events whose subject is not
    // their actor. An append then updates one scattered index leaf where it updated two (issue 17,
    // bench_audit). IS NOT, not <>: an event with an actor id and no subject id still counts.
    R"sql(
DROP INDEX IF EXISTS audit_subject_id;
CREATE INDEX IF NOT EXISTS audit_subject_other ON audit(subject_id) WHERE subject_id IS NOT actor_id;
)sql",
    // 10 → 11: each event's origin (the calling process as the bus vouched for it) has its own
    // column (kAddedColumns), inside the event's MAC, where it was the tail of the detail text
    // that a client's own words could imitate (AUD-04). Older events keep NULL there.
    R"sql(
SELECT 1;
)sql",
};

// Columns that migrations add (ALTER TABLE … ADD COLUMN has no IF NOT EXISTS): added before the
// SQL of migration `from` → `from + 1` runs, and only when missing, so a vault whose version
// number was set back re-runs its migrations cleanly.
struct AddedColumn {
    int from;
    const char* table;
    const char* column;
    const char* definition;
};
const AddedColumn kAddedColumns[] = {
    {6, "audit", "actor_id", "INTEGER"},
    {6, "audit", "subject_id", "INTEGER"},
    {6, "login_throttle", "charge_seq", "INTEGER NOT NULL DEFAULT 0"},
    {10, "audit", "origin", "TEXT"},
};
// Indexes over added columns, created after them.
const char* const kAddedIndexes7 = "CREATE INDEX IF NOT EXISTS audit_actor_id ON audit(actor_id);\n"
                                   "CREATE INDEX IF NOT EXISTS audit_subject_id ON audit(subject_id);\n";
static_assert(std::size(kMigrations) == Vault::kSchemaVersion);

// `first`: the file's first page (or all of it when shorter); `size`: the file's size.
Status checkLooksLikeVault(const QByteArray& first, qint64 size) {
    if (size == 0)
        return Error{Errc::VaultNotAVault, QStringLiteral("empty file"), 0};
    if (first.startsWith(QByteArray("SQLite format 3\0", 16)))
        return Error{Errc::VaultNotAVault, QStringLiteral("unencrypted SQLite database"), 0};
    // Encrypted pages look random: a first page that uses few distinct byte values (text, zeros,
    // most binary formats) is not a vault, whatever key is tried.
    bool seen[256] = {};
    int distinct = 0;
    for (char c : first) {
        auto& s = seen[static_cast<unsigned char>(c)];
        distinct += s ? 0 : 1;
        s = true;
    }
    if (first.size() == kPageSize && distinct < 128)
        return Error{Errc::VaultNotAVault, QStringLiteral("content is not encrypted data"), 0};
    if (size % kPageSize != 0)
        return Error{Errc::VaultCorrupt, QStringLiteral("file size is not a whole number of pages (truncated?)"), 0};
    return ok();
}

// What is at `path`, checked without ever blocking (issue 17: a FIFO given as --vault hung
// forever): lstat for a dangling symlink, then open with O_NONBLOCK and fstat the descriptor.
// `mayBeMissing`: nothing there is fine (creating).
Status inspectPath(const QString& path, bool mayBeMissing) {
    const QByteArray native = QFile::encodeName(path);
    struct stat link {};
    if (::lstat(native.constData(), &link) != 0) {
        if (errno == ENOENT || errno == ENOTDIR)
            return mayBeMissing ? ok() : Status(Errc::VaultNotFound);
        return Error{Errc::VaultIo, QStringLiteral("%1: %2").arg(path, QString::fromLocal8Bit(std::strerror(errno))),
                     0};
    }
    struct stat target {};
    if (S_ISLNK(link.st_mode) && ::stat(native.constData(), &target) != 0)
        return Error{Errc::VaultNotAVault,
                     QStringLiteral("%1 is a symbolic link to %2, which does not exist")
                         .arg(path, QFileInfo(path).symLinkTarget()),
                     0};
    const int fd = ::open(native.constData(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        const int e = errno;
        return Error{e == EACCES ? Errc::VaultReadOnly : Errc::VaultIo,
                     QStringLiteral("%1 cannot be opened: %2").arg(path, QString::fromLocal8Bit(std::strerror(e))), 0};
    }
    struct stat st {};
    const int rc = ::fstat(fd, &st);
    ::close(fd);
    if (rc != 0)
        return Error{Errc::VaultIo, path, 0};
    const char* kind = S_ISDIR(st.st_mode)    ? "a directory"
                       : S_ISFIFO(st.st_mode) ? "a named pipe (FIFO)"
                       : S_ISCHR(st.st_mode)  ? "a character device"
                       : S_ISBLK(st.st_mode)  ? "a block device"
                       : S_ISSOCK(st.st_mode) ? "a socket"
                       : S_ISREG(st.st_mode)  ? nullptr
                                              : "not a regular file";
    if (kind)
        return Error{Errc::VaultNotAVault, QStringLiteral("%1 is %2").arg(path, QLatin1String(kind)), 0};
    return ok();
}

Status checkFileLooksLikeVault(const QString& path) {
    if (Status s = inspectPath(path, false); !s)
        return s;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Error{Errc::VaultReadOnly, file.errorString(), 0};
    return checkLooksLikeVault(file.read(kPageSize), file.size());
}

struct KdfSidecar {
    QByteArray salt;
    Argon2Params params;
};

std::optional<KdfSidecar> readSidecar(const QString& path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return std::nullopt;
    const QJsonObject o = QJsonDocument::fromJson(file.read(4096)).object();
    KdfSidecar s;
    s.salt = QByteArray::fromHex(o.value(QStringLiteral("salt")).toString().toLatin1());
    s.params.opsLimit = static_cast<unsigned long long>(o.value(QStringLiteral("t")).toInteger());
    s.params.memLimitBytes = static_cast<std::size_t>(o.value(QStringLiteral("m_kib")).toInteger()) * 1024u;
    if (o.value(QStringLiteral("kdf")).toString() != QLatin1String("argon2id13") || s.salt.size() != 16 ||
        s.params.opsLimit == 0 || s.params.memLimitBytes == 0)
        return std::nullopt;
    return s;
}

Status writeSidecar(const QString& path, const KdfSidecar& s) {
    QJsonObject o;
    o.insert(QStringLiteral("kdf"), QStringLiteral("argon2id13"));
    o.insert(QStringLiteral("salt"), QString::fromLatin1(s.salt.toHex()));
    o.insert(QStringLiteral("t"), static_cast<qint64>(s.params.opsLimit));
    o.insert(QStringLiteral("m_kib"), static_cast<qint64>(s.params.memLimitBytes / 1024u));
    o.insert(QStringLiteral("note"), QStringLiteral("Salt and parameters for the vault passphrase. Not a key."));
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return Error{Errc::VaultReadOnly, file.errorString(), 0};
    file.setPermissions(QFile::ReadOwner | QFile::WriteOwner);
    file.write(QJsonDocument(o).toJson());
    if (!file.commit())
        return Error{Errc::VaultIo, file.errorString(), 0};
    return ok();
}

bool directoryWritable(const QString& dir) {
    const QFileInfo info(dir);
    return info.isDir() && info.isWritable();
}

} // namespace

// Where the anchor is kept and how it is written. Synchronous stores (a file, the system
// service's state directory) are written right after each commit. A slow store (the Secret
// Service) is written by a worker thread: each commit replaces the pending state, so the worker
// always writes the newest one and commits never wait for D-Bus; a crash can leave the anchor a
// few commits behind the vault, which the next open repairs (and audits).
struct Vault::Anchor {
    KeyStore* keys = nullptr; // nullptr: `file`
    QString entry;
    QString file;
    SecureBuffer tagKey;
    bool async = false;

    std::mutex lock;
    std::condition_variable changed;
    std::optional<AnchorState> pending;
    bool writing = false;
    bool stop = false;
    std::thread worker;

    ~Anchor() {
        if (worker.joinable()) {
            {
                std::lock_guard guard(lock);
                stop = true;
            }
            changed.notify_all();
            worker.join();
        }
    }

    Result<std::optional<QByteArray>> read() {
        if (keys)
            return keys->readAnchor(entry);
        return anchor::readFile(file);
    }
    Status write(const AnchorState& state) {
        const QByteArray text = anchor::encode(state, tagKey);
        return keys ? keys->writeAnchor(entry, text) : anchor::writeFileDurably(file, text);
    }
    void publish(const AnchorState& state) {
        if (!async) {
            if (Status s = write(state); !s) // the vault is ahead now; the next open repairs it
                qCWarning(lcVault) << "anchor not written:" << s.error().detail;
            return;
        }
        {
            std::lock_guard guard(lock);
            pending = state;
            if (!worker.joinable())
                worker = std::thread([this] { run(); });
        }
        changed.notify_all();
    }
    void run() {
        std::unique_lock guard(lock);
        for (;;) {
            changed.wait(guard, [&] { return stop || pending.has_value(); });
            if (!pending) // stop with nothing left to write
                return;
            const AnchorState next = *pending;
            pending.reset();
            writing = true;
            guard.unlock();
            if (Status s = write(next); !s)
                qCWarning(lcVault) << "anchor not written:" << s.error().detail;
            guard.lock();
            writing = false;
            changed.notify_all();
        }
    }
    void flush() {
        std::unique_lock guard(lock);
        changed.wait(guard, [&] { return !pending.has_value() && !writing; });
    }
};

Vault::Vault() = default;

Vault::~Vault() {
    if (m_anchor)
        m_anchor->flush();
}

QString Vault::anchorEntry(const QString& canonical) {
    return QStringLiteral("anchor:") + canonical;
}

QString Vault::anchorSidecarPath(const QString& vaultPath) {
    return vaultPath + QStringLiteral(".anchor");
}

Result<AnchorState> Vault::currentState() {
    AnchorState state;
    state.seq = -1; // no counter yet: a vault from before anchors
    auto seq = m_db.prepare("SELECT value FROM meta WHERE key = 'commit_seq'");
    if (!seq)
        return seq.error();
    if (seq->step())
        state.seq = seq->text(0).toLongLong();
    if (seq->failed())
        return seq->error();
    auto last = m_db.prepare("SELECT id, mac FROM audit ORDER BY id DESC LIMIT 1");
    if (!last)
        return last.error();
    if (last->step()) {
        state.auditId = last->int64(0);
        state.auditMac = last->blob(1);
    }
    if (last->failed())
        return last->error();
    return state;
}

Result<Vault::AnchorReport> Vault::compare(const std::optional<QByteArray>& stored) {
    AnchorReport r;
    auto current = currentState();
    if (!current)
        return current.error();
    r.vault = *current;
    const QString mine = QStringLiteral("the vault is at commit %1 (newest audit event #%2)")
                             .arg(qMax<qint64>(r.vault.seq, 0))
                             .arg(r.vault.auditId);
    if (!stored) {
        r.verdict = r.vault.seq < 0 ? AnchorVerdict::Created : AnchorVerdict::Missing;
        r.detail = r.vault.seq < 0 ? QStringLiteral("first anchor for this vault")
                                   : QStringLiteral("%1, but its anchor (%2) is gone")
                                         .arg(mine, m_anchor->keys ? m_anchor->entry : m_anchor->file);
        return r;
    }
    const auto decoded = anchor::decode(*stored, m_anchor->tagKey);
    if (!decoded) {
        r.verdict = AnchorVerdict::Damaged;
        r.detail = QStringLiteral("%1, but its anchor is damaged or was made with another key").arg(mine);
        return r;
    }
    r.stored = *decoded;
    const QString theirs =
        QStringLiteral("its anchor records commit %1 (newest audit event #%2)").arg(r.stored.seq).arg(r.stored.auditId);
    auto eventAt = [&](qint64 id) -> Result<std::optional<QByteArray>> {
        auto st = m_db.prepare("SELECT mac FROM audit WHERE id = ?");
        if (!st)
            return st.error();
        st->bind(1, id);
        if (st->step())
            return std::optional<QByteArray>(st->blob(0));
        if (st->failed())
            return st->error();
        return std::optional<QByteArray>();
    };
    if (r.vault.seq < r.stored.seq) {
        r.verdict = AnchorVerdict::Behind;
        r.detail = QStringLiteral("%1 but %2: %3 committed change(s) are missing (an older copy was restored, or the "
                                  "write-ahead log %4-wal was lost or damaged)")
                       .arg(mine, theirs)
                       .arg(r.stored.seq - qMax<qint64>(r.vault.seq, 0))
                       .arg(QFileInfo(m_path).fileName());
        return r;
    }
    if (r.stored.auditId > 0) {
        auto mac = eventAt(r.stored.auditId);
        if (!mac)
            return mac.error();
        if (!*mac || !crypto::constantTimeEqual(**mac, r.stored.auditMac)) {
            r.verdict = AnchorVerdict::Diverged;
            r.detail = r.vault.auditId < r.stored.auditId
                           ? QStringLiteral("%1 but %2: the newest audit events were removed").arg(mine, theirs)
                           : QStringLiteral("%1 but %2: the audit log was rewritten").arg(mine, theirs);
            return r;
        }
    }
    if (r.vault.seq == r.stored.seq) {
        if (r.vault.auditId != r.stored.auditId) {
            r.verdict = AnchorVerdict::Diverged;
            r.detail = QStringLiteral("%1 but %2: the audit log was changed").arg(mine, theirs);
            return r;
        }
        r.verdict = AnchorVerdict::Same;
        return r;
    }
    r.verdict = AnchorVerdict::Ahead;
    r.detail = QStringLiteral("the vault was %1 commit(s) ahead of its anchor (a stop between writing the vault and "
                              "its anchor); anchor brought up to date")
                   .arg(r.vault.seq - r.stored.seq);
    return r;
}

Status Vault::attachAnchor(KeyStore& keys, bool acceptRestore, bool fresh) {
    auto a = std::make_unique<Anchor>();
    if (m_keySource == KeySource::Passphrase) {
        a->file = anchorSidecarPath(m_path);
    } else {
        a->keys = &keys;
        a->entry = anchorEntry(m_path);
        a->async = keys.slowAnchorWrites();
    }
    static constexpr char kContext[8] = {'g', 'h', 'a', 'n', 'c', 'h', 'o', 'r'};
    a->tagKey = subkey(2, kContext);
    m_anchor = std::move(a);
    if (fresh) { // a new vault: whatever an earlier vault at this path left is replaced
        auto now = currentState();
        Status s = now ? m_anchor->write(*now) : Status(now.error());
        if (!s)
            m_anchor.reset();
        return s;
    }
    auto stored = m_anchor->read();
    if (!stored) {
        m_anchor.reset();
        return stored.error();
    }
    auto report = compare(*stored);
    if (!report) {
        m_anchor.reset();
        return report.error();
    }
    const bool refused = report->verdict == AnchorVerdict::Behind || report->verdict == AnchorVerdict::Diverged ||
                         report->verdict == AnchorVerdict::Missing || report->verdict == AnchorVerdict::Damaged;
    if (refused && !acceptRestore) {
        m_anchor.reset();
        return Error{Errc::VaultRolledBack, report->detail, 0};
    }
    m_anchorReport = *report;
    m_anchorReport.restoreAccepted = refused;
    // Raise the counter past both (an accepted restore: every copy from before stays refused),
    // and anchor the result synchronously whatever the store's speed.
    const qint64 next = qMax(report->vault.seq, report->stored.seq) + (refused ? 1 : 0);
    if (refused || report->vault.seq < 0) {
        Status s = transaction([&]() -> Status {
            auto up = m_db.prepare("INSERT OR REPLACE INTO meta(key, value) VALUES ('commit_seq', ?)");
            if (!up)
                return up.error();
            up->bind(1, QString::number(qMax<qint64>(next, 0)));
            return up->done();
        });
        if (!s) {
            m_anchor.reset();
            return s;
        }
    }
    if (report->verdict != AnchorVerdict::Same) {
        auto now = currentState();
        if (!now) {
            m_anchor.reset();
            return now.error();
        }
        if (Status s = m_anchor->write(*now); !s) {
            m_anchor.reset();
            return s;
        }
    }
    return ok();
}

Result<Vault::AnchorReport> Vault::checkAnchor() {
    if (!m_anchor)
        return Error{Errc::Internal, QStringLiteral("this vault was opened without its anchor"), 0};
    m_anchor->flush();
    auto stored = m_anchor->read();
    if (!stored)
        return stored.error();
    return compare(*stored);
}

void Vault::flushAnchor() {
    if (m_anchor)
        m_anchor->flush();
}

QString Vault::canonicalPath(const QString& path) {
    const QFileInfo info(path);
    // A symlink to a vault is that vault (issue 17: it read as "no key", the entry being keyed by
    // the link's name); a dangling one is refused when it is opened (inspectPath).
    if (info.isSymLink() && info.exists())
        return info.canonicalFilePath();
    const QString dir = info.absoluteDir().canonicalPath();
    if (dir.isEmpty())
        return QDir::cleanPath(info.absoluteFilePath());
    return QDir(dir).filePath(info.fileName());
}

QString Vault::keychainEntry(const QString& canonical) {
    return QStringLiteral("vault:") + canonical;
}

QString Vault::kdfSidecarPath(const QString& vaultPath) {
    return vaultPath + QStringLiteral(".kdf");
}

bool Vault::exists(const QString& path) {
    return QFileInfo::exists(path);
}

KeySource Vault::keySourceOf(const QString& path) {
    return QFileInfo::exists(kdfSidecarPath(path)) ? KeySource::Passphrase : KeySource::Keychain;
}

Result<std::unique_ptr<Vault>> Vault::create(const QString& rawPath, KeyStore& keys, RandomSource& random,
                                             const SecureBuffer* passphrase, const Argon2Params& kdfParams) {
    const QFileInfo info(rawPath);
    const QString dirPath = info.absolutePath();
    // Something that is not a vault file at the path (a directory, a FIFO, a dangling link) is
    // named for what it is instead of "exists" or "read-only".
    if (Status s = inspectPath(rawPath, true); !s)
        return s.error();
    if (!QFileInfo::exists(dirPath)) {
        // Every missing parent is made owner-only (0700) whatever the umask (issue 17: they were
        // made with the umask, 0777 under umask 000).
        const mode_t old = ::umask(077);
        const bool made = QDir().mkpath(dirPath);
        ::umask(old);
        if (!made)
            return Error{Errc::VaultReadOnly, QStringLiteral("cannot create %1").arg(dirPath), 0};
    }
    const QString path = canonicalPath(rawPath);
    if (exists(path) || exists(kdfSidecarPath(path)))
        return Errc::VaultExists;
    if (!directoryWritable(dirPath))
        return Error{Errc::VaultReadOnly, dirPath, 0};

    // Claim the file first, exclusively and owner-only from its first byte: a second process
    // creating the same vault fails here, before it could touch this vault's key.
    {
        QFile file(path);
        if (!file.open(QIODevice::NewOnly | QIODevice::WriteOnly))
            return exists(path) ? Error{Errc::VaultExists, {}, 0} : Error{Errc::VaultReadOnly, file.errorString(), 0};
        file.setPermissions(QFile::ReadOwner | QFile::WriteOwner);
    }
    bool wroteKey = false;
    SecureBuffer key;
    KeySource source = KeySource::Keychain;
    const QString entry = keychainEntry(path);
    // Undo only what this call created.
    auto undo = [&] {
        QFile::remove(path);
        QFile::remove(path + QStringLiteral("-wal"));
        QFile::remove(path + QStringLiteral("-shm"));
        if (wroteKey && source == KeySource::Passphrase)
            QFile::remove(kdfSidecarPath(path));
        else if (wroteKey)
            (void)keys.remove(entry);
    };
    if (passphrase) {
        source = KeySource::Passphrase;
        KdfSidecar sidecar{random.bytes(16), kdfParams};
        auto derived = passwordhash::deriveKey(*passphrase, sidecar.salt, kdfParams);
        if (!derived) {
            undo();
            return Error{Errc::Internal, QStringLiteral("key derivation failed (out of memory?)"), 0};
        }
        key = std::move(*derived);
        if (Status s = writeSidecar(kdfSidecarPath(path), sidecar); !s) {
            undo();
            return s.error();
        }
    } else {
        key = random.secret(32);
        if (Status s = keys.write(entry, key); !s) {
            undo();
            return s.error();
        }
    }
    wroteKey = true;

    auto vault = openKeyed(path, std::move(key), source, true);
    if (vault) {
        Status s = (*vault)->migrate();
        if (s)
            s = (*vault)->attachAnchor(keys, false, true);
        if (!s)
            vault = s.error();
    }
    if (!vault) {
        undo();
        QFile::remove(anchorSidecarPath(path));
        return vault.error();
    }
    return vault;
}

Result<std::unique_ptr<Vault>> Vault::open(const QString& rawPath, KeyStore& keys, const SecureBuffer* passphrase,
                                           bool acceptRestore) {
    if (Status s = inspectPath(rawPath, false); !s)
        return s.error();
    const QString path = canonicalPath(rawPath);
    if (Status s = checkFileLooksLikeVault(path); !s)
        return s.error();

    if (keySourceOf(path) == KeySource::Passphrase) {
        if (!passphrase)
            return Errc::PassphraseRequired;
        const auto sidecar = readSidecar(kdfSidecarPath(path));
        if (!sidecar)
            return Error{Errc::VaultCorrupt, QStringLiteral("the passphrase parameters file is unreadable"), 0};
        auto key = passwordhash::deriveKey(*passphrase, sidecar->salt, sidecar->params);
        if (!key)
            return Error{Errc::Internal, QStringLiteral("key derivation failed (out of memory?)"), 0};
        return openAnchored(path, std::move(*key), KeySource::Passphrase, keys, acceptRestore);
    }
    auto key = keys.read(keychainEntry(path));
    if (!key)
        return key.error();
    return openAnchored(path, std::move(key.value()), KeySource::Keychain, keys, acceptRestore);
}

Result<std::unique_ptr<Vault>> Vault::openAnchored(const QString& path, SecureBuffer key, KeySource source,
                                                   KeyStore& keys, bool acceptRestore) {
    auto vault = openKeyed(path, std::move(key), source, false);
    if (!vault)
        return vault.error();
    // Before anything is written (migrations included): a refused vault stays as it was found.
    if (Status s = (*vault)->attachAnchor(keys, acceptRestore); !s)
        return s.error();
    if (Status s = (*vault)->migrate(); !s)
        return s.error();
    return vault;
}

Status Vault::recheck(KeyStore& keys) {
    // Never a second descriptor on the open file: closing it would drop this process's POSIX
    // locks on the vault (SQLite's own handle reads the header instead).
    const qint64 size = QFileInfo(m_path).size();
    const qint64 head = qMin<qint64>(size, kPageSize);
    QByteArray first;
    if (head > 0) {
        auto read = m_db.fileHeader(int(head));
        if (!read)
            return Error{Errc::VaultCorrupt, read.error().detail, 0};
        first = *read;
    }
    if (Status s = checkLooksLikeVault(first, size); !s)
        return s;
    if (m_anchor) {
        // A file swapped under the running service (same inode) or an anchor moved on by someone.
        auto report = checkAnchor();
        if (!report)
            return report.error();
        if (report->verdict != AnchorVerdict::Same && report->verdict != AnchorVerdict::Ahead)
            return Error{Errc::VaultRolledBack, report->detail, 0};
    }
    if (m_keySource != KeySource::Keychain)
        return ok();
    auto key = keys.read(keychainEntry(m_path));
    if (!key)
        return key.error();
    if (!constantTimeEqual(*key, m_key))
        return Error{Errc::VaultWrongKey, QStringLiteral("the key store holds another key for this vault"), 0};
    return ok();
}

Result<std::unique_ptr<Vault>> Vault::openWithKey(const QString& rawPath, const SecureBuffer& key) {
    if (Status s = inspectPath(rawPath, false); !s)
        return s.error();
    const QString path = canonicalPath(rawPath);
    if (Status s = checkFileLooksLikeVault(path); !s)
        return s.error();
    auto vault = openKeyed(path, key.clone(), keySourceOf(path), false);
    if (!vault)
        return vault.error();
    if (Status s = (*vault)->migrate(); !s)
        return s.error();
    return vault;
}

Result<std::unique_ptr<Vault>> Vault::openKeyed(const QString& path, SecureBuffer key, KeySource source,
                                                bool creating) {
    // WAL needs to create -wal/-shm beside the file: refuse early rather than fail half-way.
    if (!QFileInfo(path).isWritable() || !directoryWritable(QFileInfo(path).absolutePath()))
        return Error{Errc::VaultReadOnly, path, 0};

    auto db = Database::open(path, key, creating);
    if (!db)
        return db.error();
    std::unique_ptr<Vault> vault(new Vault);
    vault->m_path = path;
    vault->m_keySource = source;
    vault->m_db = std::move(db.value());
    vault->m_key = std::move(key);
    Database& d = vault->m_db;

    if (!creating) {
        // The first read tells whether the key is right (SQLCipher only fails here).
        auto probe = d.prepare("SELECT count(*) FROM sqlite_master");
        if (!probe)
            return probe.error();
        if (Status s = probe->done(); !s)
            return s.error();
        auto check = d.prepare("PRAGMA quick_check");
        if (!check)
            return check.error().code == Errc::VaultWrongKey ? Error{Errc::VaultCorrupt, check.error().detail, 0}
                                                             : check.error();
        const bool row = check->step();
        if (check->failed() || !row || check->text(0) != QLatin1String("ok"))
            return Error{Errc::VaultCorrupt, check->failed() ? check->error().detail : check->text(0), 0};
        if (vault->schemaVersion() > kSchemaVersion)
            return Error{Errc::VaultNewerSchema, QStringLiteral("schema %1").arg(vault->schemaVersion()), 0};
    }
    if (Status s = d.setBusyTimeout(kBusyTimeoutMs); !s)
        return s.error();
    // cache_size: 16 MiB instead of SQLCipher 3's 2,000 pages of 1 KiB, so the audit indexes' hot
    // leaf pages stay decrypted across batched appends (bench_audit). wal_autocheckpoint: 8 MiB of
    // write-ahead log between checkpoints instead of 1 MiB: a durable batch of 1,000 events dirties
    // about 2,500 scattered index leaves, and checkpointing after every batch wrote (and synced)
    // the same hot leaves into the vault file again each time (issue 17: 149 → 91 ms per batch
    // under the same load). Opening after a crash reads at most these 8 MiB to rebuild the index.
    for (const char* pragma :
         {"PRAGMA journal_mode=WAL", "PRAGMA synchronous=FULL", "PRAGMA foreign_keys=ON", "PRAGMA secure_delete=ON",
          "PRAGMA cache_size=-16384", "PRAGMA wal_autocheckpoint=8192"}) {
        auto st = d.prepare(pragma);
        if (!st)
            return st.error();
        if (Status s = st->done(); !s)
            return s.error();
    }
    return vault;
}

Result<int> Vault::detectedSchemaVersion() {
    auto has = [&](const char* type, const char* name) -> Result<bool> {
        auto st = m_db.prepare("SELECT count(*) FROM sqlite_master WHERE type = ? AND name = ?");
        if (!st)
            return st.error();
        st->bind(1, QString::fromLatin1(type)).bind(2, QString::fromLatin1(name));
        if (!st->step())
            return st->failed() ? st->error() : Error{Errc::Internal, QStringLiteral("no count"), 0};
        return st->int64(0) > 0;
    };
    auto hasColumn = [&](const char* table, const char* column) -> Result<bool> {
        auto info = m_db.prepare((QByteArray("PRAGMA table_info(") + table + ")").constData());
        if (!info)
            return info.error();
        bool present = false;
        while (info->step())
            present = present || info->text(1) == QLatin1String(column);
        if (info->failed())
            return info->error();
        return present;
    };
    // An object each migration that cannot run twice creates, newest first. From 5 → 6 on the
    // migrations are written to run again without harm (IF NOT EXISTS, kAddedColumns), and
    // running them again is how a notice left in users.notice moves into the list (schema 7).
    struct Marker {
        int version;
        Result<bool> present;
    };
    const Marker markers[] = {
        {5, has("table", "roles")},
        {4, has("table", "fido2_credentials")},
        {3, hasColumn("sessions", "boot_id")},
        {2, has("table", "factors")},
        {1, has("table", "meta")},
    };
    for (const Marker& m : markers) {
        if (!m.present)
            return m.present.error();
        if (m.present.value())
            return m.version;
    }
    return 0;
}

int Vault::schemaVersion() {
    auto st = m_db.prepare("PRAGMA user_version");
    if (!st || !st->step())
        return -1;
    return static_cast<int>(st->int64(0));
}

Status Vault::migrate() {
    const int current = schemaVersion();
    if (current < 0)
        return Error{Errc::VaultCorrupt, QStringLiteral("schema version unreadable"), 0};
    if (current >= kSchemaVersion)
        return ok();
    return transaction([&]() -> Status {
        // Re-read under the write lock: another process may have migrated meanwhile.
        int locked = schemaVersion();
        // A version number lower than the tables say (set back by hand or by a tool) resumes from
        // the tables' version: re-running a shipped migration over its own tables failed with
        // "table fido2_credentials already exists" (issue 17).
        auto detected = detectedSchemaVersion();
        if (!detected)
            return detected.error();
        locked = qMax(locked, *detected);
        for (int v = locked; v < kSchemaVersion; ++v) {
            for (const AddedColumn& c : kAddedColumns) {
                if (c.from != v)
                    continue;
                // SQLCipher 3.4's SQLite has no pragma_table_info(): read the pragma's rows.
                auto info = m_db.prepare((QByteArray("PRAGMA table_info(") + c.table + ")").constData());
                if (!info)
                    return info.error();
                bool present = false;
                while (info->step())
                    present = present || info->text(1) == QLatin1String(c.column);
                if (info->failed())
                    return info->error();
                if (!present) {
                    const QByteArray add =
                        QByteArray("ALTER TABLE ") + c.table + " ADD COLUMN " + c.column + " " + c.definition;
                    if (Status s = m_db.exec(add.constData()); !s)
                        return s;
                }
            }
            if (Status s = m_db.exec(kMigrations[v]); !s)
                return s;
            if (v == 6)
                if (Status s = m_db.exec(kAddedIndexes7); !s)
                    return s;
        }
        const QByteArray set = "PRAGMA user_version=" + QByteArray::number(kSchemaVersion);
        return m_db.exec(set.constData());
    });
}

Status Vault::transaction(const std::function<Status()>& work, Commit commit) {
    if (m_inTransaction)
        return work();
    const bool deferred = commit == Commit::Deferred;
    if (deferred)
        if (Status s = m_db.exec("PRAGMA synchronous=NORMAL"); !s)
            return s;
    // Back to FULL whatever happens below: only this transaction is Deferred.
    const auto restore = qScopeGuard([&] {
        if (deferred)
            (void)m_db.exec("PRAGMA synchronous=FULL");
    });
    if (Status s = m_db.exec("BEGIN IMMEDIATE"); !s)
        return s;
    m_inTransaction = true;
    const qint64 changesBefore = m_db.totalChanges();
    Status result = work();
    // Every transaction that changed something raises the commit counter (the anchor's clock).
    std::optional<AnchorState> state;
    if (result && m_db.totalChanges() != changesBefore) {
        result = m_db.exec("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'commit_seq'");
        if (result && m_db.changes() == 0)
            result = m_db.exec("INSERT INTO meta(key, value) VALUES ('commit_seq', '1')");
        // A Deferred commit is not anchored: it may still be lost with the page cache, and an
        // anchor that recorded it would then call the vault rolled back. The Durable commit that
        // follows it anchors both.
        if (result && m_anchor && !deferred) {
            auto now = currentState();
            if (now)
                state = *now;
            else
                result = now.error();
        }
    }
    m_inTransaction = false;
    const auto ended = [this](bool committed) {
        for (auto& f : std::exchange(m_whenEnded, {}))
            f(committed);
    };
    if (!result) {
        (void)m_db.exec("ROLLBACK");
        ended(false);
        return result;
    }
    if (Status s = m_db.exec("COMMIT"); !s) {
        (void)m_db.exec("ROLLBACK");
        ended(false);
        return s;
    }
    ended(true);
    // Vault first, then the anchor: the anchor is never ahead of what was committed.
    if (state && m_anchor)
        m_anchor->publish(*state);
    return ok();
}

Result<Database> Vault::openReader() const {
    auto db = Database::openSingleThreaded(m_path, m_key);
    if (!db)
        return db.error();
    if (Status s = db->setBusyTimeout(kBusyTimeoutMs); !s)
        return s.error();
    return db;
}

SecureBuffer Vault::subkey(std::uint64_t id, const char context[8]) const {
    return crypto::deriveSubkey(m_key, id, context);
}

} // namespace gh
