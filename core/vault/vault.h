// The encrypted vault: a SQLCipher file keyed with a raw 256-bit key.
//
// Key sources: normally a random key kept in the Secret Service under an entry that names the
// vault ("vault:<absolute path>"). When no keychain is reachable the user chooses a passphrase
// instead; the key is then derived with Argon2id and only the salt and parameters are written
// beside the vault (<vault>.kdf). The key itself is never written anywhere else.
//
// Opening checks, in order, before anything is written: file exists and is readable, is not a
// plain SQLite file, has a whole number of pages, decrypts (first read right after keying),
// passes SQLite's quick_check, and has a schema version this build knows. Only then are WAL mode
// and migrations applied.
#pragma once

#include "../crypto/passwordhash.h"
#include "anchor.h"
#include "database.h"
#include "keystore.h"

#include <QString>

#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "keysource.h"

namespace gh {

class RandomSource;

class Vault {
public:
    static constexpr int kSchemaVersion = 11;
    static constexpr int kBusyTimeoutMs = 5000;

    // Canonical absolute path (symlinks resolved for the directory).
    static QString canonicalPath(const QString& path);
    static QString keychainEntry(const QString& canonicalPath);
    static QString kdfSidecarPath(const QString& vaultPath);
    static bool exists(const QString& path);
    static KeySource keySourceOf(const QString& path); // Passphrase iff the .kdf sidecar exists

    // Creates a new vault. With no passphrase the key is random and stored in `keys`; with a
    // passphrase it is derived (Argon2id, kdfParams) and nothing goes to the keychain.
    static Result<std::unique_ptr<Vault>> create(const QString& path, KeyStore& keys, RandomSource& random,
                                                 const SecureBuffer* passphrase = nullptr,
                                                 const Argon2Params& kdfParams = Argon2Params::policyDefault());
    // Refuses a vault behind its anchor (Errc::VaultRolledBack) unless `acceptRestore`: then the
    // vault as found becomes the newest state, its counter moves past the anchor's (so any copy
    // from before stays refused), and anchorReport() says what was accepted.
    static Result<std::unique_ptr<Vault>> open(const QString& path, KeyStore& keys,
                                               const SecureBuffer* passphrase = nullptr, bool acceptRestore = false);
    // Opens with a key the caller already has (tests, benchmarks, break-glass tooling).
    // No anchor is checked or written (attachAnchor() adds one); commits still count.
    static Result<std::unique_ptr<Vault>> openWithKey(const QString& path, const SecureBuffer& key);
    ~Vault();

    // The anchor (anchor.h): "anchor:<canonical path>" in the key store; for a passphrase vault,
    // whose key is in no store, a file beside it (weaker: a restore can take both together).
    static QString anchorEntry(const QString& canonicalPath);
    static QString anchorSidecarPath(const QString& vaultPath);
    struct AnchorReport {
        AnchorVerdict verdict = AnchorVerdict::Same;
        AnchorState vault;  // what the vault holds
        AnchorState stored; // what the anchor recorded (when one was read)
        bool restoreAccepted = false;
        QString detail; // for people and the audit log: what was found
    };
    // What opening found (for the facade to audit a repair, a first anchor or an accepted restore).
    const AnchorReport& anchorReport() const { return m_anchorReport; }
    bool anchored() const { return m_anchor != nullptr; }
    // Compares the vault with its stored anchor now, after pending anchor writes (audit verify).
    Result<AnchorReport> checkAnchor();
    // Checks and from now on keeps the anchor in `keys` (Vault::open does this; tests and the
    // audit benchmark call it after openWithKey).
    // `fresh`: a vault just created, whose anchor is written without comparing.
    Status attachAnchor(KeyStore& keys, bool acceptRestore = false, bool fresh = false);
    // Waits for a background anchor write in flight (session mode).
    void flushAnchor();

    // For a long-running owner (gatehoused): checks what a fresh open would check, without
    // reopening: the file still looks like a vault, and the key store still holds this key.
    Status recheck(KeyStore& keys);
    const QString& path() const { return m_path; }
    KeySource keySource() const { return m_keySource; }
    Database& db() { return m_db; }
    // A 32-byte key derived from the vault key for a purpose (e.g. the audit chain MAC).
    SecureBuffer subkey(std::uint64_t id, const char context[8]) const;

    // How a commit reaches the disk. Every commit survives kill -9 of any process: the WAL is in
    // the kernel's page cache when COMMIT returns (INT-02). Durable also waits for the disk (WAL
    // fsync, synchronous=FULL) so it survives a power loss; Deferred does not wait, and becomes
    // durable with the next Durable commit, whose fsync covers the WAL up to it. Deferred is for a
    // write that a Durable one always follows soon (a login's throttle charge, then its outcome).
    enum class Commit { Durable, Deferred };
    // Runs `work` inside BEGIN IMMEDIATE … COMMIT; rolls back if it returns an error. Nested calls
    // join the outer transaction (and its Commit).
    Status transaction(const std::function<Status()>& work, Commit commit = Commit::Durable);

    int schemaVersion();
    bool inTransaction() const { return m_inTransaction; }
    // Inside a transaction: `ended` runs once the outermost one has committed (true) or rolled back
    // (false), e.g. to keep what was written in it for another try.
    void whenTransactionEnds(std::function<void(bool committed)> ended) { m_whenEnded.push_back(std::move(ended)); }

    // Another connection to the same file with the same key, for parallel readers (audit chain
    // verification). Read only by convention; it sees committed data.
    Result<Database> openReader() const; // for one thread only

private:
    Vault();
    static Result<std::unique_ptr<Vault>> openKeyed(const QString& path, SecureBuffer key, KeySource source,
                                                    bool creating);
    static Result<std::unique_ptr<Vault>> openAnchored(const QString& path, SecureBuffer key, KeySource source,
                                                       KeyStore& keys, bool acceptRestore);
    Status migrate();
    Result<int> detectedSchemaVersion(); // the version the tables show
    Result<AnchorState> currentState();
    Result<AnchorReport> compare(const std::optional<QByteArray>& stored);
    struct Anchor;
    std::unique_ptr<Anchor> m_anchor;
    AnchorReport m_anchorReport;

    QString m_path;
    KeySource m_keySource = KeySource::Keychain;
    Database m_db;
    SecureBuffer m_key;
    bool m_inTransaction = false;
    std::vector<std::function<void(bool)>> m_whenEnded;
};

} // namespace gh
