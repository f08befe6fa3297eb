// The facade: the only entry point ui/ and app/ use. It joins the layers (the login flow:
// identify → verify → throttle → issue a session), checks the caller's permission in core before
// every operation (L4), and audits each outcome with its layer.
//
// Thread safety: every public method takes an internal lock, so the GUI may call from a worker
// thread while the GUI thread asks for cheap things (checkPassword).
#pragma once

#include "access/permissions.h"
#include "audit/auditlog.h"
#include "clock.h"
#include "crypto/passwordhash.h"
#include "crypto/random.h"
#include "crypto/securebuffer.h"
#include "errors.h"
#include "vault/keystore.h"
#include "vault/vault.h"
#include "verification/passwordpolicy.h"

#include <QDateTime>
#include <QList>
#include <QString>

#include <memory>
#include <mutex>

namespace gh {

class SessionStore;

struct UserInfo {
    QString username;
    QString role; // "admin", "operator", "viewer" or empty
    bool enabled = true;
    bool mustChangePassword = false;
    bool locked = false;
    QDateTime created;
    QDateTime lastLogin; // invalid when never
};

struct SessionInfo {
    QString id; // public id, safe to show
    QString username;
    QString role;
    QString client;
    QDateTime created;
    QDateTime expires;
    FactorCategory factor = FactorCategory::Knowledge;
    bool restricted = false;   // true: may only change the password
    QString restrictionReason; // why, for people
    QString noticeForUser;     // e.g. "password rehashed", shown once after login; may be empty
};

// What a caller holds after a login: the public info and the secret. Move-only; the secret is
// never written anywhere and is wiped when the session object dies.
struct Session {
    SessionInfo info;
    SecureBuffer secret;
};

struct VaultStatus {
    QString path;
    KeySource keySource = KeySource::Keychain;
    QString keyLocation; // for people: "Secret Service (entry …)" or "passphrase (Argon2id)"
    int schemaVersion = 0;
    int users = 0;
    int admins = 0;
    int disabledUsers = 0;
    int lockedUsers = 0;
    int activeSessions = 0;
    qint64 auditEvents = 0;
    bool auditChainIntact = false;
    bool ownerOnlyPermissions = false; // vault file mode is 0600 (or stricter)
};

struct Services {
    Clock* clock = nullptr;         // default: SystemClock
    RandomSource* random = nullptr; // default: SystemRandom
    KeyStore* keys = nullptr;       // default: SecretServiceKeyStore
    Argon2Params hashParams = Argon2Params::policyDefault();
    Argon2Params kdfParams = Argon2Params::policyDefault(); // vault passphrase derivation
};

class Gatehouse {
public:
    explicit Gatehouse(Services services = {});
    ~Gatehouse();
    Gatehouse(const Gatehouse&) = delete;
    Gatehouse& operator=(const Gatehouse&) = delete;

    // $XDG_DATA_HOME/gatehouse/vault.db
    static QString defaultVaultPath();
    static bool vaultExists(const QString& path);
    static KeySource keySourceOf(const QString& path);
    // Whether a Secret Service answers (quick probe); used to offer the passphrase fallback.
    bool keychainAvailable();

    // L1. passphrase == nullptr → random key in the keychain.
    Status createVault(const QString& path, const SecureBuffer* passphrase = nullptr);
    Status openVault(const QString& path, const SecureBuffer* passphrase = nullptr);
    bool isOpen() const;
    QString vaultPath() const;
    KeySource keySource() const;
    QString keyLocation() const;

    // First run: true while the vault has no user. No default accounts exist (PW-12).
    bool needsFirstAdmin();
    Status createFirstAdmin(const QString& username, const SecureBuffer& password);

    // L2 → L3. Unknown user and wrong password give the same error and cost the same time.
    Result<Session> login(const QString& username, const SecureBuffer& password, const QString& client);
    Status logout(Session& session);
    Result<SessionInfo> validate(const Session& session);
    // Changes the caller's password (needs the current one, PW-10). On success the session is
    // re-issued with a new secret and without the restriction.
    Status changePassword(Session& session, const SecureBuffer& current, const SecureBuffer& next);

    // Account administration (L4 checked here).
    // Returns the one-time temporary password (PW-11); the new user must replace it at first login.
    Result<SecureBuffer> addUser(const Session& session, const QString& username, const QString& role);
    Result<QList<UserInfo>> listUsers(const Session& session);
    Status setUserEnabled(const Session& session, const QString& username, bool enabled);

    // Vault facts and counts; needs an open vault, no session.
    Result<VaultStatus> status();
    Result<QList<AuditEvent>> recentAudit(const Session& session, int limit);

    // Live policy feedback for a password being typed (pure; no vault needed).
    PasswordVerdict checkPassword(const QString& password, const QString& username) const;

    static constexpr qint64 kTempPasswordLifetimeSecs = 72 * 3600;

private:
    struct Impl;
    std::unique_ptr<Impl> d;
    mutable std::recursive_mutex m_lock;
};

} // namespace gh
