// Thin RAII wrapper over the SQLCipher C API (the only place that includes its header).
// SQLite result codes become gh::Errc here and nowhere else.
#pragma once

#include "../crypto/securebuffer.h"
#include "../errors.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>
#include <QVariant>

#include <memory>

struct sqlite3;
struct sqlite3_stmt;

namespace gh {

class Statement {
public:
    Statement() = default;
    Statement(sqlite3* db, sqlite3_stmt* stmt) : m_db(db), m_stmt(stmt) {}
    ~Statement();
    Statement(Statement&& other) noexcept;
    Statement& operator=(Statement&& other) noexcept;
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    Statement& bind(int index, qint64 value);
    Statement& bind(int index, int value) { return bind(index, static_cast<qint64>(value)); }
    Statement& bind(int index, const QString& text);
    Statement& bind(int index, const QByteArray& blob);
    Statement& bindNull(int index);

    // step(): true when a row is available; false when done. Errors end up in error().
    bool step();
    Status done(); // steps to completion, returns the error if any
    // Makes the statement runnable again with new bindings (batched inserts); clears errors.
    void reset();
    bool failed() const { return m_rc != 0; }
    Error error() const;

    qint64 int64(int column) const;
    QString text(int column) const;
    QByteArray blob(int column) const;
    // Zero-copy views of the current row's column bytes (UTF-8 for text); valid until the next
    // step() or reset. For hot loops (audit chain verification).
    QByteArrayView textView(int column) const;
    QByteArrayView blobView(int column) const;
    bool isNull(int column) const;

private:
    sqlite3* m_db = nullptr;
    sqlite3_stmt* m_stmt = nullptr;
    int m_rc = 0; // 0 = no error so far
};

class Database {
public:
    Database() = default;
    ~Database();
    Database(Database&&) noexcept;
    Database& operator=(Database&&) noexcept;

    // Opens (or creates) the file and applies the raw 32-byte key. Does not read yet.
    static Result<Database> open(const QString& path, const SecureBuffer& key, bool create);
    // The same for a connection that one thread uses alone (SQLITE_OPEN_NOMUTEX): no lock around
    // every call (parallel audit verification).
    static Result<Database> openSingleThreaded(const QString& path, const SecureBuffer& key);

    bool isOpen() const { return m_db != nullptr; }
    Status exec(const char* sql);
    Result<Statement> prepare(const char* sql);
    qint64 lastInsertId() const;
    int changes() const;
    // Rows changed by this connection since it opened (cheap, no query): lets a cache notice its
    // own connection's writes.
    qint64 totalChanges() const;
    // PRAGMA data_version: changes when another connection commits (sessions cache, SES-06).
    Result<qint64> dataVersion();
    // The first `n` bytes of the main file as stored (ciphertext under SQLCipher), read through
    // SQLite's own file handle: opening the file a second time and closing it would drop this
    // process's POSIX locks, and another process would then delete the live -wal/-shm.
    Result<QByteArray> fileHeader(int n);
    // False inside BEGIN … COMMIT.
    bool autocommit() const;
    Status setBusyTimeout(int ms);
    void close();

    // Maps a SQLite result code to an Errc (wrong key, corrupt, read-only, busy, I/O …).
    static Errc mapCode(int rc);
    Error lastError(int rc) const;

private:
    static Result<Database> openWithFlags(const QString& path, const SecureBuffer& key, int flags);
    sqlite3* m_db = nullptr;
};

} // namespace gh
