// The facade: the only entry point ui/ and app/ use. It joins the layers (the login flow:
// identify → verify → throttle → issue a session), checks the caller's permission in core before
// every operation (L4), and audits each outcome with its layer.
//
// gh::Gatehouse is the composition root: callers construct it (with Services), open or create the
// vault on it, and reach each concern through one service per D-Bus interface (core/facade/,
// README.md there; client/dbusapi.h):
//
//   gh.status()    StatusService    io.gatehouse.Gatehouse1.Status    vault facts, layer health, first run
//   gh.login()     LoginService     io.gatehouse.Gatehouse1.Login     sign in, validate, step-up, password
//   gh.accounts()  AccountsService  io.gatehouse.Gatehouse1.Accounts  first admin, users, notices
//   gh.factors()   FactorsService   io.gatehouse.Gatehouse1.Factors   TOTP, recovery codes, key enrolment
//   gh.sessions()  SessionsService  io.gatehouse.Gatehouse1.Sessions  list, revoke, limit
//   gh.roles()     RolesService     io.gatehouse.Gatehouse1.Roles     roles and permissions
//   gh.audit()     AuditService     io.gatehouse.Gatehouse1.Audit     query, verify, diagnose
//   gh.authority() AuthorityService io.gatehouse.Authority1           other applications (issue 11)
//
// What the Manager interface does (create/open the vault, recheck it, the keychain probe) stays
// here. Naming: each accessor is its interface's name; no method of a service repeats it, so the
// two methods the bus names after their interface are StatusService::vaultStatus() (Status.Status)
// and LoginService::fullLogin() (Login.Login, both steps in one call).
//
// Thread safety: every public method takes the facade's one lock (a plain std::mutex shared by all
// services, core/facade/core.h) and releases it only around Argon2id, so logins verify in
// parallel and the GUI may call from a worker thread while another thread asks for cheap things.
// The lock is not recursive: no method calls a locking one while it holds it.
#pragma once

#include "clock.h"
#include "crypto/passwordhash.h"
#include "crypto/random.h"
#include "crypto/securebuffer.h"
#include "errors.h"
#include "facade/accountsservice.h"
#include "facade/auditservice.h"
#include "facade/authorityservice.h"
#include "facade/factorsservice.h"
#include "facade/loginservice.h"
#include "facade/rolesservice.h"
#include "facade/sessionsservice.h"
#include "facade/statusservice.h"
#include "types.h"
#include "vault/keystore.h"
#include "vault/vault.h"

#include <QString>
#include <QStringList>

#include <optional>

#include <memory>

namespace gh {

struct Core;

struct Services {
    Clock* clock = nullptr;         // default: SystemClock
    RandomSource* random = nullptr; // default: SystemRandom
    KeyStore* keys = nullptr;       // default: SecretServiceKeyStore
    Argon2Params hashParams = Argon2Params::policyDefault();
    Argon2Params kdfParams = Argon2Params::policyDefault(); // vault passphrase derivation
    // Where applications declare their permissions (core/apps/README.md); unset: the session-mode
    // default, $XDG_DATA_DIRS/gatehouse/permissions (gatehoused sets the system-mode one).
    std::optional<QStringList> permissionDirs;
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
    // `acceptRestore`: open a vault that is behind its anti-rollback anchor anyway (a deliberate
    // restore; INT-01) and record who accepted what in the audit log. Deciding who may ask is the
    // caller's job (gatehoused: the service's own user or root, the break-glass path).
    Status openVault(const QString& path, const SecureBuffer* passphrase = nullptr, bool acceptRestore = false);
    bool isOpen() const;
    QString vaultPath() const;
    KeySource keySource() const;
    QString keyLocation() const;
    // For gatehoused: what a fresh open would check (file still a vault, key store still holding
    // its key), without reopening: each client's OpenVault of an already open vault (a damaged or
    // re-keyed vault is reported at once, not at the next restart).
    Status recheckVault();
    // For gatehoused's timer: writes the audit rows that count folded repeats whose window has
    // ended (see Core::recordRepeated), so a quiet service does not hold them in memory. Does nothing
    // when the facade is busy (the call that holds it writes them).
    void flushAudit();

    // The services, one per D-Bus interface (see the top of this file).
    StatusService& status() { return *m_status; }
    LoginService& login() { return *m_login; }
    AccountsService& accounts() { return *m_accounts; }
    FactorsService& factors() { return *m_factors; }
    SessionsService& sessions() { return *m_sessions; }
    RolesService& roles() { return *m_roles; }
    AuditService& audit() { return *m_audit; }
    AuthorityService& authority() { return *m_authority; }

    // Policy, one place for every service (gh::Client mirrors it).
    static constexpr int kKeyTimeoutMs = 30000;     // the client's wait for a security key's touch
    static constexpr int kOfferedKeyIds = 4;        // credential ids asked for on a path anyone may start
    static constexpr qint64 kKeyCeremonySecs = 120; // security-key ceremony: begin → finish, at most
    // Freshness: sensitive operations need a sign-in or stepUp() within this window (SES-04).
    static constexpr qint64 kStepUpWindowSecs = 5 * 60;
    static constexpr qint64 kTempPasswordLifetimeSecs = 72 * 3600;
    static constexpr qint64 kPendingLoginSecs = 5 * 60;
    static constexpr qint64 kPendingFactorSecs = 10 * 60;
    static constexpr const char* kIssuer = "Gatehouse";

private:
    std::unique_ptr<Core> m_core;
    std::unique_ptr<StatusService> m_status;
    std::unique_ptr<LoginService> m_login;
    std::unique_ptr<AccountsService> m_accounts;
    std::unique_ptr<FactorsService> m_factors;
    std::unique_ptr<SessionsService> m_sessions;
    std::unique_ptr<RolesService> m_roles;
    std::unique_ptr<AuditService> m_audit;
    std::unique_ptr<AuthorityService> m_authority;
};

} // namespace gh
