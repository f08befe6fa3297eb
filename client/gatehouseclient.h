// gh::Client: the facade of core/gatehouse.h, reached over D-Bus. The GUI, gatehousectl and other
// applications use it instead of the core: it never links SQLCipher or QtKeychain and never sees
// the vault key. Method names, arguments, results and errors are those of gh::Gatehouse's services, so a
// program written against the facade moves to the service by changing the type it holds. The one
// difference is by design: security keys are plugged in at the seat, so the key ceremony
// (libfido2, PIN, touch, cancel) runs here (client/securitykey.h) between a begin and a finish
// call to the service, which verifies (enrollSecurityKey, completeLoginWithKey).
//
// Where the service lives: the bus named by $GATEHOUSE_BUS_ADDRESS when set (tests), else the
// session bus (session mode: the service runs as the current user and is started on demand from
// next to this program or from the install path), else, when the system bus has an owner of the
// name, the system bus (system mode). A vault is an object of the service; the default one is
// /io/gatehouse/Gatehouse1 itself.
//
// Thread safety: every method is a blocking D-Bus call and may run on any thread; calls from
// several threads run concurrently in the service. The session secret travels as a byte array and
// is kept in a SecureBuffer here (wiped when the gh::Session dies).
#pragma once

#include "apps/apppermissions.h"
#include "types.h"

#include <QObject>
#include <QString>

#include <memory>

class QDBusConnection;

namespace gh {

class Fido2Transport;

// How long a call may take before the client gives up: Argon2id under load. Everything else
// answers in milliseconds (a security key waits for its touch here, not in the service).
constexpr int kCallTimeoutMs = 120000;
// How long a call refused with Errc::ServiceBusy (too many calls of this client in progress) is
// retried before the error reaches the caller.
constexpr int kBusyPatienceMs = 5000;

class Client : public QObject {
    Q_OBJECT
public:
    explicit Client(QObject* parent = nullptr);
    ~Client() override;

    // $XDG_DATA_HOME/gatehouse/vault.db: the session-mode default.
    static QString defaultVaultPath();

    // The vault the service serves when none is named (asks the service; defaultVaultPath() when
    // it cannot be reached, so messages still name a path).
    QString serviceDefaultVault();

    // Makes sure a service answers: finds the bus and, in session mode, starts gatehoused when
    // nobody owns the name — at the first call and again after the service went away
    // (serviceLost()). Every call below does this first; call it alone to tell "no service" (the
    // error) from "no vault" before asking about one.
    Status ensureService();
    // About the vault at `path`, without opening it (false / Keychain when no service answers).
    bool vaultExists(const QString& path);
    KeySource keySourceOf(const QString& path);
    bool keychainAvailable();

    Status createVault(const QString& path, const SecureBuffer* passphrase = nullptr);
    Status openVault(const QString& path, const SecureBuffer* passphrase = nullptr);
    // Opens a vault that is behind its anti-rollback anchor as a deliberate restore (audited by
    // the service; only its own user or root may).
    Status acceptRestore(const QString& path, const SecureBuffer* passphrase = nullptr);
    bool isOpen() const;
    QString vaultPath() const;
    KeySource keySource() const;
    QString keyLocation() const;

    bool needsFirstAdmin();
    Status createFirstAdmin(const QString& username, const SecureBuffer& password);

    Result<LoginStep> beginLogin(const QString& username, const SecureBuffer& password, const QString& client);
    Result<Session> completeLogin(const QString& pendingId, FactorKind kind, const SecureBuffer& code);
    void cancelLogin(const QString& pendingId);
    Result<Session> login(const QString& username, const SecureBuffer& password, const QString& client,
                          FactorKind secondKind = FactorKind::Totp, const SecureBuffer* second = nullptr);
    Status logout(Session& session);
    Result<SessionInfo> validate(const Session& session);
    Status changePassword(Session& session, const SecureBuffer& current, const SecureBuffer& next);
    Result<QList<AccountNotice>> notices(const Session& session);
    Status dismissNotice(const Session& session, qint64 noticeId);

    Result<QList<FactorInfo>> listFactors(const Session& session, const QString& username = {});
    Result<AccountAssurance> assurance(const Session& session);
    Result<TotpEnrollment> beginTotpEnrollment(const Session& session, const QString& label);
    Status confirmTotp(Session& session, qint64 factorId, const QString& code);
    // Recovery codes in two steps (FactorsService): begin shows a new set, nothing changes yet;
    // confirm with one of the new codes typed back replaces the old set; cancel (or closing, or
    // the set's expiry) leaves the old set working.
    Result<PendingRecoveryCodes> beginRecoveryCodes(const Session& session);
    Status confirmRecoveryCodes(Session& session, const QString& setId, const SecureBuffer& oneOfTheNewCodes);
    Status cancelRecoveryCodes(const Session& session, const QString& setId);
    Status renameFactor(const Session& session, qint64 factorId, const QString& label);
    Status removeFactor(const Session& session, qint64 factorId, const SecureBuffer& password);
    // Another account's factor (factors.manage_any); `reason` reaches its owner as a notice.
    Status removeUserFactor(const Session& session, const QString& username, qint64 factorId, const QString& reason);

    // Security keys: the key is plugged in at this seat, so the CTAP ceremony (libfido2, the PIN,
    // the touch, cancel) runs in this process (client/securitykey.h) with a challenge from the
    // service, which verifies the answer against what it stored. The four calls below are begin
    // (D-Bus) → key (here) → finish (D-Bus); the service never opens a device.
    // The keys attached at this seat; cheap enough to poll about twice a second.
    QList<Fido2DeviceInfo> securityKeys();
    Result<QString> relyingPartyId();
    // `devicePath` empty: the first key present. `pin` only after Errc::KeyPinRequired (never
    // stored or sent to the service).
    Result<FactorInfo> enrollSecurityKey(Session& session, const QString& devicePath, const QString& name,
                                         const SecureBuffer* pin = nullptr);
    Result<Session> completeLoginWithKey(const QString& pendingId, const QString& devicePath,
                                         const SecureBuffer* pin = nullptr);
    // Passwordless sign-in with a key that verifies its user (PIN or built-in UV; ATK-04): begins a
    // pending login for `username` without a password; completeLoginWithKey then runs the key step
    // (again with the PIN after Errc::KeyPinRequired). The session is AAL3.
    Result<QString> beginKeyLogin(const QString& username, const QString& client);
    // Stops a key operation that waits for a touch (any thread): it returns Errc::KeyCancelled.
    void cancelSecurityKey();
    static constexpr int kKeyTimeoutMs = 30000;
    // The service's half, one D-Bus call each (gh::Gatehouse's methods of the same names).
    Result<KeyRegistrationRequest> beginSecurityKeyEnrollment(const Session& session, const QString& name);
    Result<FactorInfo> finishSecurityKeyEnrollment(Session& session, const QString& ceremonyId,
                                                   const KeyAttestation& attestation);
    Error abortSecurityKeyEnrollment(const Session& session, const QString& ceremonyId, const Error& deviceError);
    Result<KeyAssertionRequest> beginSecurityKeyAssertion(const QString& pendingId);
    Result<Session> completeLoginWithKeyAssertion(const QString& pendingId, const QString& ceremonyId,
                                                  const KeyAssertion& assertion);
    Error abortSecurityKeyAssertion(const QString& pendingId, const QString& ceremonyId, const Error& deviceError);
    // Where keys come from (not owned; null: the hidraw devices). Production programs never call
    // these: test builds install a software authenticator (tests/support/softfido.h) this way.
    // The default applies to every Client created afterwards in this process.
    void setSecurityKeyTransport(Fido2Transport* transport);
    static void setDefaultSecurityKeyTransport(Fido2Transport* transport);

    Result<SecureBuffer> addUser(const Session& session, const QString& username, const QString& role);
    Result<QList<UserInfo>> listUsers(const Session& session);
    Status setUserEnabled(const Session& session, const QString& username, bool enabled);
    Status unlockUser(const Session& session, const QString& username);
    Status allowEnrollment(const Session& session, const QString& username);
    // A new one-time temporary password for `username` (valid kTempPasswordLifetimeSecs, replaced
    // at the next sign-in); their sessions end and they are told at the next sign-in.
    Result<SecureBuffer> resetPassword(const Session& session, const QString& username);
    // Deletes the account (its audit history stays under its name); Errc::LastAdministrator for
    // the last account that can assign roles.
    Status deleteUser(const Session& session, const QString& username);

    Result<VaultStatus> status();
    Result<QList<AuditEvent>> recentAudit(const Session& session, int limit);
    Result<AuditPage> queryAudit(const Session& session, AuditQuery query);
    Result<AuditEvent> auditEvent(const Session& session, qint64 id);
    Result<Diagnosis> diagnoseAudit(const Session& session, qint64 id);
    Result<ChainReport> verifyAudit(const Session& session);
    Result<LayerHealth> layerHealth();

    Status touch(const Session& session);
    Status stepUp(Session& session, const SecureBuffer& password, FactorKind secondKind = FactorKind::Totp,
                  const SecureBuffer* second = nullptr);
    Result<QList<SessionInfo>> listSessions(const Session& session, bool allUsers = false, bool includeEnded = false);
    Status revokeSession(const Session& session, const QString& sessionId);
    Result<int> revokeOtherSessions(const Session& session);
    Result<int> revokeUserSessions(const Session& session, const QString& username);
    Result<int> revokeAllSessions(const Session& session);
    Result<StuffingPolicy> stuffingPolicy(const Session& session);
    Status setStuffingPolicy(const Session& session, const StuffingPolicy& policy);
    Result<SessionLimit> sessionLimit(const Session& session);
    Status setSessionLimit(const Session& session, SessionLimit limit);

    // Pure and local (the same policy code as the service): live feedback while typing.
    PasswordVerdict checkPassword(const QString& password, const QString& username) const;

    Result<QList<RoleInfo>> listRoles(const Session& session);
    Result<QStringList> rolesOf(const Session& session, const QString& username = {});
    Result<QStringList> permissionsOf(const Session& session);

    // io.gatehouse.Authority1's agent (the Gatehouse window, issue 11): exports `agent` (its
    // scriptable slots: io.gatehouse.AuthorityAgent1 BeginSignIn, CancelSignIn) at `path` on this
    // client's connection and registers it for this uid (again after a service restart).
    Status registerAgent(QObject* agent, const QString& path);
    // Answers a sign-in request with the person's own fresh session: (granted, what happened).
    // Errc::StepUpRequired when the sign-in is more than 5 minutes old (the request keeps waiting).
    Result<std::pair<bool, QString>> agentResponse(const QString& requestId, const Session& person);
    // The person cancelled the prompt (`denied`: refused the application).
    Status agentCancelled(const QString& requestId, bool denied);
    // What applications declare (issue 11), by application then name; needs users.read.
    Result<QList<AppPermission>> appPermissions(const Session& session);
    Status createRole(const Session& session, const QString& name, const QStringList& permissions,
                      const QString& description = {});
    Status updateRole(const Session& session, const QString& name, const QStringList& permissions);
    Status deleteRole(const Session& session, const QString& name);
    Status assignRole(const Session& session, const QString& username, const QString& role);
    Status revokeRole(const Session& session, const QString& username, const QString& role);

    static constexpr qint64 kStepUpWindowSecs = 5 * 60;
    static constexpr qint64 kTempPasswordLifetimeSecs = 72 * 3600;
    static constexpr qint64 kPendingLoginSecs = 5 * 60;
    static constexpr const char* kIssuer = "Gatehouse";

Q_SIGNALS:
    // Pushed by the service to the process that holds the session (no polling): the session ended
    // (revoked, account disabled, signed out elsewhere), the account's permissions changed, or the
    // service went away (a restart ends every session and the open vault's object with it: open
    // the vault again; that call finds, in session mode starts, the new service).
    void sessionEnded(const QString& sessionId, const QString& reason);
    void permissionsChanged(const QString& username);
    void serviceLost();

private Q_SLOTS:
    void onSessionEnded(const QString& sessionId, const QString& reason);
    void onPermissionsChanged(const QString& username);
    void onOwnerChanged(const QString& name, const QString& oldOwner, const QString& newOwner);

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace gh
