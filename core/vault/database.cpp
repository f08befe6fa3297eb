#include "database.h"

#include <sqlcipher/sqlite3.h>

#include <QFile>

#include <cstring>

namespace gh {

// ---- Statement ------------------------------------------------------------------------------

Statement::~Statement() {
    if (m_stmt)
        sqlite3_finalize(m_stmt);
}

Statement::Statement(Statement&& other) noexcept : m_db(other.m_db), m_stmt(other.m_stmt), m_rc(other.m_rc) {
    other.m_stmt = nullptr;
}

Statement& Statement::operator=(Statement&& other) noexcept {
    if (this != &other) {
        if (m_stmt)
            sqlite3_finalize(m_stmt);
        m_db = other.m_db;
        m_stmt = other.m_stmt;
        m_rc = other.m_rc;
        other.m_stmt = nullptr;
    }
    return *this;
}

Statement& Statement::bind(int index, qint64 value) {
    const int rc = sqlite3_bind_int64(m_stmt, index, value);
    if (rc != SQLITE_OK && !m_rc)
        m_rc = rc;
    return *this;
}

Statement& Statement::bind(int index, const QString& text) {
    const QByteArray utf8 = text.toUtf8();
    const int rc = sqlite3_bind_text(m_stmt, index, utf8.constData(), static_cast<int>(utf8.size()), SQLITE_TRANSIENT);
    if (rc != SQLITE_OK && !m_rc)
        m_rc = rc;
    return *this;
}

Statement& Statement::bind(int index, const QByteArray& blob) {
    const int rc = sqlite3_bind_blob(m_stmt, index, blob.constData(), static_cast<int>(blob.size()), SQLITE_TRANSIENT);
    if (rc != SQLITE_OK && !m_rc)
        m_rc = rc;
    return *this;
}

Statement& Statement::bindNull(int index) {
    const int rc = sqlite3_bind_null(m_stmt, index);
    if (rc != SQLITE_OK && !m_rc)
        m_rc = rc;
    return *this;
}

bool Statement::step() {
    if (m_rc || !m_stmt)
        return false;
    const int rc = sqlite3_step(m_stmt);
    if (rc == SQLITE_ROW)
        return true;
    if (rc != SQLITE_DONE)
        m_rc = rc;
    return false;
}

Status Statement::done() {
    while (step()) {
    }
    if (m_rc)
        return error();
    return ok();
}

void Statement::reset() {
    if (!m_stmt)
        return;
    sqlite3_reset(m_stmt);
    sqlite3_clear_bindings(m_stmt);
    m_rc = 0;
}

Error Statement::error() const {
    Error e{Database::mapCode(m_rc), {}, 0};
    e.detail = QString::fromUtf8(m_db ? sqlite3_errmsg(m_db) : sqlite3_errstr(m_rc));
    return e;
}

qint64 Statement::int64(int column) const {
    return sqlite3_column_int64(m_stmt, column);
}

QString Statement::text(int column) const {
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(m_stmt, column));
    return p ? QString::fromUtf8(p, sqlite3_column_bytes(m_stmt, column)) : QString();
}

QByteArray Statement::blob(int column) const {
    const void* p = sqlite3_column_blob(m_stmt, column);
    return p ? QByteArray(static_cast<const char*>(p), sqlite3_column_bytes(m_stmt, column)) : QByteArray();
}

QByteArrayView Statement::textView(int column) const {
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(m_stmt, column));
    return p ? QByteArrayView(p, sqlite3_column_bytes(m_stmt, column)) : QByteArrayView();
}

QByteArrayView Statement::blobView(int column) const {
    const void* p = sqlite3_column_blob(m_stmt, column);
    return p ? QByteArrayView(static_cast<const char*>(p), sqlite3_column_bytes(m_stmt, column)) : QByteArrayView();
}

bool Statement::isNull(int column) const {
    return sqlite3_column_type(m_stmt, column) == SQLITE_NULL;
}

// ---- Database -------------------------------------------------------------------------------

Database::~Database() {
    close();
}

Database::Database(Database&& other) noexcept : m_db(other.m_db) {
    other.m_db = nullptr;
}

Database& Database::operator=(Database&& other) noexcept {
    if (this != &other) {
        close();
        m_db = other.m_db;
        other.m_db = nullptr;
    }
    return *this;
}

void Database::close() {
    if (m_db)
        sqlite3_close_v2(m_db);
    m_db = nullptr;
}

Result<Database> Database::open(const QString& path, const SecureBuffer& key, bool create) {
    return openWithFlags(path, key, SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0) | SQLITE_OPEN_FULLMUTEX);
}

Result<Database> Database::openSingleThreaded(const QString& path, const SecureBuffer& key) {
    return openWithFlags(path, key, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX);
}

Result<Database> Database::openWithFlags(const QString& path, const SecureBuffer& key, int flags) {
    Database db;
    const QByteArray file = QFile::encodeName(path);
    const int rc = sqlite3_open_v2(file.constData(), &db.m_db, flags, nullptr);
    if (rc != SQLITE_OK) {
        Error e = db.lastError(rc);
        return e;
    }
    // Raw key: SQLCipher skips its own passphrase KDF for a blob literal x'<64 hex>'.
    SecureBuffer hex = key.toHex();
    SecureBuffer pragma(hex.size() + 3);
    pragma.data()[0] = 'x';
    pragma.data()[1] = '\'';
    std::memcpy(pragma.data() + 2, hex.data(), hex.size());
    pragma.data()[hex.size() + 2] = '\'';
    const int keyRc = sqlite3_key(db.m_db, pragma.data(), static_cast<int>(pragma.size()));
    if (keyRc != SQLITE_OK)
        return db.lastError(keyRc);
    return db;
}

Status Database::exec(const char* sql) {
    char* message = nullptr;
    const int rc = sqlite3_exec(m_db, sql, nullptr, nullptr, &message);
    if (rc != SQLITE_OK) {
        Error e{mapCode(rc), QString::fromUtf8(message ? message : sqlite3_errstr(rc)), 0};
        sqlite3_free(message);
        return e;
    }
    return ok();
}

Result<Statement> Database::prepare(const char* sql) {
    sqlite3_stmt* stmt = nullptr;
    const int rc = sqlite3_prepare_v2(m_db, sql, -1, &stmt, nullptr);
    if (rc != SQLITE_OK)
        return lastError(rc);
    return Statement(m_db, stmt);
}

qint64 Database::lastInsertId() const {
    return sqlite3_last_insert_rowid(m_db);
}
int Database::changes() const {
    return sqlite3_changes(m_db);
}
qint64 Database::totalChanges() const {
    return sqlite3_total_changes(m_db);
}
Result<QByteArray> Database::fileHeader(int n) {
    sqlite3_file* file = nullptr;
    if (const int rc = sqlite3_file_control(m_db, "main", SQLITE_FCNTL_FILE_POINTER, &file);
        rc != SQLITE_OK || !file || !file->pMethods)
        return Error{Errc::Internal, QStringLiteral("no file handle"), 0};
    QByteArray out(n, '\0');
    if (const int rc = file->pMethods->xRead(file, out.data(), n, 0); rc != SQLITE_OK)
        return lastError(rc);
    return out;
}

Result<qint64> Database::dataVersion() {
    auto st = prepare("PRAGMA data_version");
    if (!st)
        return st.error();
    if (!st->step())
        return st->error();
    return st->int64(0);
}
bool Database::autocommit() const {
    return m_db && sqlite3_get_autocommit(m_db) != 0;
}

Status Database::setBusyTimeout(int ms) {
    const int rc = sqlite3_busy_timeout(m_db, ms);
    return rc == SQLITE_OK ? ok() : Status(lastError(rc));
}

Errc Database::mapCode(int rc) {
    switch (rc & 0xff) {
    case SQLITE_NOTADB:
        return Errc::VaultWrongKey;
    case SQLITE_CORRUPT:
    case SQLITE_FORMAT:
        return Errc::VaultCorrupt;
    case SQLITE_READONLY:
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
    case SQLITE_AUTH:
        return Errc::VaultReadOnly;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return Errc::VaultBusy;
    case SQLITE_FULL:
    case SQLITE_IOERR:
    case SQLITE_NOMEM:
        return Errc::VaultIo;
    default:
        return Errc::Internal;
    }
}

Error Database::lastError(int rc) const {
    return Error{mapCode(rc), QString::fromUtf8(m_db ? sqlite3_errmsg(m_db) : sqlite3_errstr(rc)), 0};
}

} // namespace gh
