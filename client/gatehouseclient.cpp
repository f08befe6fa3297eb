#include "gatehouseclient.h"

#include "daemonlauncher.h"
#include "dbusapi.h"
#include "marshal.h"
#include "securitykey.h"
#include "verification/passwordpolicy.h"
#include "verification/usernames.h"

#include <QDBusConnection>
#include <QDBusConnectionInterface>
#include <QDBusError>
#include <QDBusMessage>
#include <QDBusObjectPath>
#include <QDeadlineTimer>
#include <QFileInfo>
#include <QStandardPaths>
#include <QThread>

#include <algorithm>

#include <atomic>
#include <mutex>

namespace gh {

namespace {

// A secret as a call argument. QtDBus copies it into the message; this copy is wiped when the
// call returns (the library's own copy cannot be reached: best effort, ST-06).
class SecretArg {
public:
    explicit SecretArg(const SecureBuffer* secret)
        : m_bytes(secret ? QByteArray(secret->chars(), qsizetype(secret->size())) : QByteArray()) {}
    explicit SecretArg(const SecureBuffer& secret) : SecretArg(&secret) {}
    ~SecretArg() { wipe(m_bytes); }
    SecretArg(const SecretArg&) = delete;
    SecretArg& operator=(const SecretArg&) = delete;
    operator QVariant() const { return QVariant(m_bytes); }

private:
    QByteArray m_bytes;
};

SecureBuffer takeSecret(const QVariant& v) {
    QByteArray bytes = v.toByteArray();
    SecureBuffer out = SecureBuffer::fromBytes(bytes);
    wipe(bytes);
    return out;
}

// Reads (info a{sv}, token ay) into a Session.
Session sessionFrom(const QVariantList& out, int at = 0) {
    Session s;
    s.info = wire::fromMap<SessionInfo>(out.value(at));
    s.secret = takeSecret(out.value(at + 1));
    return s;
}

std::atomic<Fido2Transport*> defaultKeyTransport{nullptr};

} // namespace

struct Client::Impl {
    Client* q = nullptr;
    std::mutex connectLock; // guards the bus search and (re)starting the service
    bool located = false;   // the bus was chosen (once)
    QDBusConnection bus{QString()};
    Error busError{Errc::Internal, {}, 0}; // why no bus answers (set once, with located)
    std::atomic<bool> reachable{false};
    std::atomic<bool> lost{false}; // the service went away since it last answered
    bool systemMode = false;
    QString object; // the open vault's object path
    QString vaultPath;
    KeySource keySource = KeySource::Keychain;
    QString keyLocation;
    keys::SecurityKeys securityKeys{defaultKeyTransport.load()}; // the ceremony at this seat

    // Finds the bus the service lives on, starting the session-mode service when needed: at the
    // first call, and again after the service went away (a restart, a crash) or failed to start.
    Status ensure() {
        if (reachable && !lost)
            return ok();
        std::lock_guard guard(connectLock);
        if (!located) {
            located = true;
            const QByteArray address = qgetenv(dbus::kBusAddressEnv);
            if (!address.isEmpty()) {
                bus = QDBusConnection::connectToBus(QString::fromUtf8(address), QStringLiteral("gatehouse-client"));
            } else {
                QDBusConnection system = QDBusConnection::systemBus();
                if (system.isConnected() && system.interface() &&
                    system.interface()->isServiceRegistered(dbus::kService).value()) {
                    bus = system;
                    systemMode = true;
                } else if (daemon::systemServiceInstalled(system)) {
                    // Fail closed: a session-mode service would serve another vault (daemonlauncher.h).
                    located = false; // look again at the next call: the service may be started by then
                    return Error{Errc::ServiceUnavailable,
                                 QStringLiteral("the Gatehouse system service is not running (it is installed on this "
                                                "computer; an administrator starts it with `systemctl start "
                                                "gatehoused`)"),
                                 0};
                } else {
                    bus = QDBusConnection::sessionBus();
                }
            }
            if (!bus.isConnected()) {
                busError = Error{Errc::ServiceUnavailable,
                                 QStringLiteral("no D-Bus connection: %1").arg(bus.lastError().message()), 0};
                return busError;
            }
            // The service's owner is watched from the first call on, from any thread (a
            // QDBusServiceWatcher would belong to the thread that made the first call, which in
            // the GUI is a worker thread without an event loop: serviceLost() never came).
            bus.connect(QStringLiteral("org.freedesktop.DBus"), QStringLiteral("/org/freedesktop/DBus"),
                        QStringLiteral("org.freedesktop.DBus"), QStringLiteral("NameOwnerChanged"), {dbus::kService},
                        QString(), q, SLOT(onOwnerChanged(QString, QString, QString)));
        }
        if (!bus.isConnected())
            return busError;
        if (reachable && !lost)
            return ok();
        lost = false; // a loss noticed from here on is seen by the next call
        Status started = systemMode ? Status(ok()) : daemon::ensureRunning(bus);
        reachable = started.ok();
        return started;
    }

    QDBusMessage message(const QString& iface, const QString& method, const QVariantList& args,
                         const QString& path = {}) const {
        QDBusMessage m = QDBusMessage::createMethodCall(dbus::kService, path.isEmpty() ? object : path, iface, method);
        m.setArguments(args);
        return m;
    }

    // One blocking call; the reply's arguments or the error it carried.
    Result<QVariantList> call(const QString& iface, const QString& method, const QVariantList& args,
                              const QString& path = {}) {
        if (Status s = ensure(); !s)
            return s.error();
        if (path.isEmpty() && object.isEmpty())
            return Error{Errc::VaultNotFound, QStringLiteral("no vault is open"), 0};
        QDBusMessage reply = bus.call(message(iface, method, args, path), QDBus::Block, kCallTimeoutMs);
        // More calls of this client in progress than the service takes from one caller (threads
        // sharing the connection): the service refused this one at once; wait for a slot of our own.
        const QString busy = wire::errorName(Errc::ServiceBusy);
        QDeadlineTimer patience(kBusyPatienceMs);
        for (int pause = 10;
             reply.type() == QDBusMessage::ErrorMessage && reply.errorName() == busy && !patience.hasExpired();
             pause = std::min(pause * 2, 200)) {
            QThread::msleep(pause);
            reply = bus.call(message(iface, method, args, path), QDBus::Block, kCallTimeoutMs);
        }
        if (reply.type() == QDBusMessage::ErrorMessage)
            return wire::errorFrom(reply.errorName(), reply.errorMessage());
        if (reply.type() != QDBusMessage::ReplyMessage)
            return Error{Errc::ServiceUnavailable, QStringLiteral("no reply from gatehoused"), 0};
        return reply.arguments();
    }

    Status callStatus(const QString& iface, const QString& method, const QVariantList& args) {
        auto r = call(iface, method, args);
        if (!r)
            return r.error();
        return ok();
    }

    Result<int> callInt(const QString& iface, const QString& method, const QVariantList& args) {
        auto r = call(iface, method, args);
        if (!r)
            return r.error();
        return r->value(0).toInt();
    }

    // Calls that re-issue the caller's session answer (info, token): the new session replaces it.
    Status callReissue(Session& session, const QString& iface, const QString& method, const QVariantList& args,
                       int at = 0) {
        auto r = call(iface, method, args);
        if (!r)
            return r.error();
        session = sessionFrom(*r, at);
        return ok();
    }

    Status adopt(const QVariantList& out) {
        object = out.value(0).value<QDBusObjectPath>().path();
        const QVariantMap facts = wire::mapOf(out.value(1));
        vaultPath = facts.value(QStringLiteral("path")).toString();
        keySource = static_cast<KeySource>(facts.value(QStringLiteral("keySource")).toInt());
        keyLocation = facts.value(QStringLiteral("keyLocation")).toString();
        // Session ends and permission changes are sent to this connection only (targeted signals).
        bus.connect(dbus::kService, object, dbus::kSessions, QStringLiteral("SessionEnded"), q,
                    SLOT(onSessionEnded(QString, QString)));
        bus.connect(dbus::kService, object, dbus::kSessions, QStringLiteral("PermissionsChanged"), q,
                    SLOT(onPermissionsChanged(QString)));
        return ok();
    }
};

Client::Client(QObject* parent) : QObject(parent), d(std::make_unique<Impl>()) {
    d->q = this;
}

Client::~Client() = default;

QString Client::defaultVaultPath() {
    return QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation) +
           QStringLiteral("/gatehouse/vault.db");
}

QString Client::serviceDefaultVault() {
    auto r = d->call(dbus::kManager, QStringLiteral("DefaultVault"), {}, dbus::kPath);
    return r ? r->value(0).toString() : defaultVaultPath();
}

Status Client::ensureService() {
    return d->ensure();
}

namespace {
// The service runs elsewhere: a relative vault path means this process's working directory.
QString absolute(const QString& path) {
    return path.isEmpty() ? path : QFileInfo(path).absoluteFilePath();
}
} // namespace

bool Client::vaultExists(const QString& path) {
    auto r = d->call(dbus::kManager, QStringLiteral("VaultState"), {absolute(path)}, dbus::kPath);
    return r && wire::mapOf(r->value(0)).value(QStringLiteral("exists")).toBool();
}

KeySource Client::keySourceOf(const QString& path) {
    auto r = d->call(dbus::kManager, QStringLiteral("VaultState"), {absolute(path)}, dbus::kPath);
    return r ? static_cast<KeySource>(wire::mapOf(r->value(0)).value(QStringLiteral("keySource")).toInt())
             : KeySource::Keychain;
}

bool Client::keychainAvailable() {
    auto r = d->call(dbus::kManager, QStringLiteral("KeychainAvailable"), {}, dbus::kPath);
    return r && r->value(0).toBool();
}

Status Client::createVault(const QString& path, const SecureBuffer* passphrase) {
    auto r = d->call(dbus::kManager, QStringLiteral("CreateVault"),
                     {absolute(path), SecretArg(passphrase), passphrase != nullptr}, dbus::kPath);
    if (!r)
        return r.error();
    return d->adopt(*r);
}

Status Client::openVault(const QString& path, const SecureBuffer* passphrase) {
    auto r = d->call(dbus::kManager, QStringLiteral("OpenVault"),
                     {absolute(path), SecretArg(passphrase), passphrase != nullptr}, dbus::kPath);
    if (!r)
        return r.error();
    return d->adopt(*r);
}

Status Client::acceptRestore(const QString& path, const SecureBuffer* passphrase) {
    auto r = d->call(dbus::kManager, QStringLiteral("AcceptRestore"),
                     {absolute(path), SecretArg(passphrase), passphrase != nullptr}, dbus::kPath);
    if (!r)
        return r.error();
    return d->adopt(*r);
}

bool Client::isOpen() const {
    return !d->object.isEmpty();
}
QString Client::vaultPath() const {
    return d->vaultPath;
}
KeySource Client::keySource() const {
    return d->keySource;
}
QString Client::keyLocation() const {
    return d->keyLocation;
}

bool Client::needsFirstAdmin() {
    auto r = d->call(dbus::kStatus, QStringLiteral("NeedsFirstAdmin"), {});
    return r && r->value(0).toBool();
}

Status Client::createFirstAdmin(const QString& username, const SecureBuffer& password) {
    return d->callStatus(dbus::kAccounts, QStringLiteral("CreateFirstAdmin"), {username, SecretArg(password)});
}

Result<LoginStep> Client::beginLogin(const QString& username, const SecureBuffer& password, const QString& client) {
    auto r = d->call(dbus::kLogin, QStringLiteral("BeginLogin"), {username, SecretArg(password), client});
    if (!r)
        return r.error();
    const QVariantMap step = wire::mapOf(r->value(0));
    LoginStep out;
    out.complete = step.value(QStringLiteral("complete")).toBool();
    out.pendingId = step.value(QStringLiteral("pendingId")).toString();
    out.lockedOut = step.value(QStringLiteral("lockedOut")).toBool();
    for (const QVariant& k : wire::plain(step.value(QStringLiteral("offered"))).toList())
        out.offered << static_cast<FactorKind>(k.toInt());
    if (out.complete)
        out.session = sessionFrom(*r, 1);
    return out;
}

Result<Session> Client::completeLogin(const QString& pendingId, FactorKind kind, const SecureBuffer& code) {
    auto r = d->call(dbus::kLogin, QStringLiteral("CompleteLogin"), {pendingId, int(kind), SecretArg(code)});
    if (!r)
        return r.error();
    return sessionFrom(*r);
}

void Client::cancelLogin(const QString& pendingId) {
    (void)d->call(dbus::kLogin, QStringLiteral("CancelLogin"), {pendingId});
}

Result<Session> Client::login(const QString& username, const SecureBuffer& password, const QString& client,
                              FactorKind secondKind, const SecureBuffer* second) {
    auto r = d->call(dbus::kLogin, QStringLiteral("Login"),
                     {username, SecretArg(password), client, int(secondKind), SecretArg(second), second != nullptr});
    if (!r)
        return r.error();
    return sessionFrom(*r);
}

Status Client::logout(Session& session) {
    Status s = d->callStatus(dbus::kLogin, QStringLiteral("Logout"), {SecretArg(session.secret)});
    session.secret = SecureBuffer(); // gone either way (SES-02)
    return s;
}

Result<SessionInfo> Client::validate(const Session& session) {
    auto r = d->call(dbus::kLogin, QStringLiteral("Validate"), {SecretArg(session.secret)});
    if (!r)
        return r.error();
    return wire::fromMap<SessionInfo>(r->value(0));
}

Status Client::changePassword(Session& session, const SecureBuffer& current, const SecureBuffer& next) {
    return d->callReissue(session, dbus::kLogin, QStringLiteral("ChangePassword"),
                          {SecretArg(session.secret), SecretArg(current), SecretArg(next)});
}

Result<QList<AccountNotice>> Client::notices(const Session& session) {
    auto r = d->call(dbus::kAccounts, QStringLiteral("Notices"), {SecretArg(session.secret)});
    if (!r)
        return r.error();
    return wire::listFrom<AccountNotice>(r->value(0));
}

Status Client::dismissNotice(const Session& session, qint64 noticeId) {
    return d->callStatus(dbus::kAccounts, QStringLiteral("DismissNotice"), {SecretArg(session.secret), noticeId});
}

Result<QList<FactorInfo>> Client::listFactors(const Session& session, const QString& username) {
    auto r = d->call(dbus::kFactors, QStringLiteral("ListFactors"), {SecretArg(session.secret), username});
    if (!r)
        return r.error();
    return wire::listFrom<FactorInfo>(r->value(0));
}

Result<AccountAssurance> Client::assurance(const Session& session) {
    auto r = d->call(dbus::kFactors, QStringLiteral("Assurance"), {SecretArg(session.secret)});
    if (!r)
        return r.error();
    return wire::fromMap<AccountAssurance>(r->value(0));
}

Result<TotpEnrollment> Client::beginTotpEnrollment(const Session& session, const QString& label) {
    auto r = d->call(dbus::kFactors, QStringLiteral("BeginTotpEnrollment"), {SecretArg(session.secret), label});
    if (!r)
        return r.error();
    TotpEnrollment e = wire::fromMap<TotpEnrollment>(r->value(0));
    e.uri = takeSecret(r->value(1));
    e.secretBase32 = takeSecret(r->value(2));
    return e;
}

Status Client::confirmTotp(Session& session, qint64 factorId, const QString& code) {
    SecureBuffer c = SecureBuffer::fromUtf8(code);
    return d->callReissue(session, dbus::kFactors, QStringLiteral("ConfirmTotp"),
                          {SecretArg(session.secret), factorId, SecretArg(c)});
}

Result<PendingRecoveryCodes> Client::beginRecoveryCodes(const Session& session) {
    auto r = d->call(dbus::kFactors, QStringLiteral("BeginRecoveryCodes"), {SecretArg(session.secret)});
    if (!r)
        return r.error();
    PendingRecoveryCodes out;
    out.setId = r->value(0).toString();
    out.expires = QDateTime::fromMSecsSinceEpoch(r->value(1).toLongLong(), Qt::UTC);
    for (const QVariant& c : wire::plain(r->value(2)).toList())
        out.codes.push_back(takeSecret(c));
    return out;
}

Status Client::confirmRecoveryCodes(Session& session, const QString& setId, const SecureBuffer& oneOfTheNewCodes) {
    return d->callStatus(dbus::kFactors, QStringLiteral("ConfirmRecoveryCodes"),
                         {SecretArg(session.secret), setId, SecretArg(oneOfTheNewCodes)});
}

Status Client::cancelRecoveryCodes(const Session& session, const QString& setId) {
    return d->callStatus(dbus::kFactors, QStringLiteral("CancelRecoveryCodes"), {SecretArg(session.secret), setId});
}

Status Client::removeUserFactor(const Session& session, const QString& username, qint64 factorId,
                                const QString& reason) {
    return d->callStatus(dbus::kFactors, QStringLiteral("RemoveUserFactor"),
                         {SecretArg(session.secret), username, factorId, reason});
}

Status Client::renameFactor(const Session& session, qint64 factorId, const QString& label) {
    return d->callStatus(dbus::kFactors, QStringLiteral("RenameFactor"), {SecretArg(session.secret), factorId, label});
}

Status Client::removeFactor(const Session& session, qint64 factorId, const SecureBuffer& password) {
    return d->callStatus(dbus::kFactors, QStringLiteral("RemoveFactor"),
                         {SecretArg(session.secret), factorId, SecretArg(password)});
}

QList<Fido2DeviceInfo> Client::securityKeys() {
    return d->securityKeys.devices(); // the keys at this seat: no service involved
}

Result<QString> Client::relyingPartyId() {
    auto r = d->call(dbus::kStatus, QStringLiteral("RelyingPartyId"), {});
    if (!r)
        return r.error();
    return r->value(0).toString();
}

Result<FactorInfo> Client::enrollSecurityKey(Session& session, const QString& devicePath, const QString& name,
                                             const SecureBuffer* pin) {
    return keys::runEnrollment(*this, d->securityKeys, session, devicePath, name, pin);
}

Result<Session> Client::completeLoginWithKey(const QString& pendingId, const QString& devicePath,
                                             const SecureBuffer* pin) {
    return keys::runAssertion(*this, d->securityKeys, pendingId, devicePath, pin);
}

Result<QString> Client::beginKeyLogin(const QString& username, const QString& client) {
    auto r = d->call(dbus::kLogin, QStringLiteral("BeginKeyLogin"), {username, client});
    if (!r)
        return r.error();
    return r->value(0).toString();
}

void Client::cancelSecurityKey() {
    d->securityKeys.cancel();
}

void Client::setSecurityKeyTransport(Fido2Transport* transport) {
    d->securityKeys.setTransport(transport);
}

void Client::setDefaultSecurityKeyTransport(Fido2Transport* transport) {
    defaultKeyTransport = transport;
}

Result<KeyRegistrationRequest> Client::beginSecurityKeyEnrollment(const Session& session, const QString& name) {
    auto r = d->call(dbus::kFactors, QStringLiteral("BeginSecurityKeyEnrollment"), {SecretArg(session.secret), name});
    if (!r)
        return r.error();
    return wire::fromMap<KeyRegistrationRequest>(r->value(0));
}

Result<FactorInfo> Client::finishSecurityKeyEnrollment(Session& session, const QString& ceremonyId,
                                                       const KeyAttestation& attestation) {
    auto r = d->call(dbus::kFactors, QStringLiteral("FinishSecurityKeyEnrollment"),
                     {SecretArg(session.secret), ceremonyId, wire::toMap(attestation)});
    if (!r)
        return r.error();
    session = sessionFrom(*r, 1);
    return wire::fromMap<FactorInfo>(r->value(0));
}

Error Client::abortSecurityKeyEnrollment(const Session& session, const QString& ceremonyId, const Error& deviceError) {
    // The service answers with the error to show (always an error reply); when it cannot be
    // reached, the key's own error is still the one to show.
    auto r = d->call(dbus::kFactors, QStringLiteral("AbortSecurityKeyEnrollment"),
                     {SecretArg(session.secret), ceremonyId, wire::toMap(deviceError)});
    return r || r.code() == Errc::ServiceUnavailable ? deviceError : r.error();
}

Result<KeyAssertionRequest> Client::beginSecurityKeyAssertion(const QString& pendingId) {
    auto r = d->call(dbus::kLogin, QStringLiteral("BeginSecurityKeyAssertion"), {pendingId});
    if (!r)
        return r.error();
    return wire::fromMap<KeyAssertionRequest>(r->value(0));
}

Result<Session> Client::completeLoginWithKeyAssertion(const QString& pendingId, const QString& ceremonyId,
                                                      const KeyAssertion& assertion) {
    auto r = d->call(dbus::kLogin, QStringLiteral("CompleteLoginWithKeyAssertion"),
                     {pendingId, ceremonyId, wire::toMap(assertion)});
    if (!r)
        return r.error();
    return sessionFrom(*r);
}

Error Client::abortSecurityKeyAssertion(const QString& pendingId, const QString& ceremonyId, const Error& deviceError) {
    auto r = d->call(dbus::kLogin, QStringLiteral("AbortSecurityKeyAssertion"),
                     {pendingId, ceremonyId, wire::toMap(deviceError)});
    return r || r.code() == Errc::ServiceUnavailable ? deviceError : r.error();
}

Result<SecureBuffer> Client::addUser(const Session& session, const QString& username, const QString& role) {
    auto r = d->call(dbus::kAccounts, QStringLiteral("AddUser"), {SecretArg(session.secret), username, role});
    if (!r)
        return r.error();
    return takeSecret(r->value(0));
}

Result<QList<UserInfo>> Client::listUsers(const Session& session) {
    auto r = d->call(dbus::kAccounts, QStringLiteral("ListUsers"), {SecretArg(session.secret)});
    if (!r)
        return r.error();
    return wire::listFrom<UserInfo>(r->value(0));
}

Status Client::setUserEnabled(const Session& session, const QString& username, bool enabled) {
    return d->callStatus(dbus::kAccounts, QStringLiteral("SetUserEnabled"),
                         {SecretArg(session.secret), username, enabled});
}

Status Client::unlockUser(const Session& session, const QString& username) {
    return d->callStatus(dbus::kAccounts, QStringLiteral("UnlockUser"), {SecretArg(session.secret), username});
}

Status Client::allowEnrollment(const Session& session, const QString& username) {
    return d->callStatus(dbus::kAccounts, QStringLiteral("AllowEnrollment"), {SecretArg(session.secret), username});
}

Result<SecureBuffer> Client::resetPassword(const Session& session, const QString& username) {
    auto r = d->call(dbus::kAccounts, QStringLiteral("ResetPassword"), {SecretArg(session.secret), username});
    if (!r)
        return r.error();
    return takeSecret(r->value(0));
}

Status Client::deleteUser(const Session& session, const QString& username) {
    return d->callStatus(dbus::kAccounts, QStringLiteral("DeleteUser"), {SecretArg(session.secret), username});
}

Result<VaultStatus> Client::status() {
    auto r = d->call(dbus::kStatus, QStringLiteral("Status"), {});
    if (!r)
        return r.error();
    return wire::fromMap<VaultStatus>(r->value(0));
}

Result<QList<AuditEvent>> Client::recentAudit(const Session& session, int limit) {
    auto r = d->call(dbus::kAudit, QStringLiteral("RecentAudit"), {SecretArg(session.secret), limit});
    if (!r)
        return r.error();
    return wire::listFrom<AuditEvent>(r->value(0));
}

Result<AuditPage> Client::queryAudit(const Session& session, AuditQuery query) {
    auto r = d->call(dbus::kAudit, QStringLiteral("QueryAudit"), {SecretArg(session.secret), wire::toMap(query)});
    if (!r)
        return r.error();
    AuditPage page;
    page.events = wire::listFrom<AuditEvent>(r->value(0));
    page.nextBeforeId = r->value(1).toLongLong();
    return page;
}

Result<AuditEvent> Client::auditEvent(const Session& session, qint64 id) {
    auto r = d->call(dbus::kAudit, QStringLiteral("AuditEvent"), {SecretArg(session.secret), id});
    if (!r)
        return r.error();
    return wire::fromMap<AuditEvent>(r->value(0));
}

Result<Diagnosis> Client::diagnoseAudit(const Session& session, qint64 id) {
    auto r = d->call(dbus::kAudit, QStringLiteral("DiagnoseAudit"), {SecretArg(session.secret), id});
    if (!r)
        return r.error();
    return wire::fromMap<Diagnosis>(r->value(0));
}

Result<ChainReport> Client::verifyAudit(const Session& session) {
    auto r = d->call(dbus::kAudit, QStringLiteral("VerifyAudit"), {SecretArg(session.secret)});
    if (!r)
        return r.error();
    return wire::fromMap<ChainReport>(r->value(0));
}

Result<LayerHealth> Client::layerHealth() {
    auto r = d->call(dbus::kStatus, QStringLiteral("LayerHealth"), {});
    if (!r)
        return r.error();
    return wire::fromMap<LayerHealth>(r->value(0));
}

Status Client::touch(const Session& session) {
    return d->callStatus(dbus::kLogin, QStringLiteral("Touch"), {SecretArg(session.secret)});
}

Status Client::stepUp(Session& session, const SecureBuffer& password, FactorKind secondKind,
                      const SecureBuffer* second) {
    return d->callReissue(
        session, dbus::kLogin, QStringLiteral("StepUp"),
        {SecretArg(session.secret), SecretArg(password), int(secondKind), SecretArg(second), second != nullptr});
}

Result<QList<SessionInfo>> Client::listSessions(const Session& session, bool allUsers, bool includeEnded) {
    auto r =
        d->call(dbus::kSessions, QStringLiteral("ListSessions"), {SecretArg(session.secret), allUsers, includeEnded});
    if (!r)
        return r.error();
    return wire::listFrom<SessionInfo>(r->value(0));
}

Status Client::revokeSession(const Session& session, const QString& sessionId) {
    return d->callStatus(dbus::kSessions, QStringLiteral("RevokeSession"), {SecretArg(session.secret), sessionId});
}

Result<int> Client::revokeOtherSessions(const Session& session) {
    return d->callInt(dbus::kSessions, QStringLiteral("RevokeOtherSessions"), {SecretArg(session.secret)});
}

Result<int> Client::revokeUserSessions(const Session& session, const QString& username) {
    return d->callInt(dbus::kSessions, QStringLiteral("RevokeUserSessions"), {SecretArg(session.secret), username});
}

Result<int> Client::revokeAllSessions(const Session& session) {
    return d->callInt(dbus::kSessions, QStringLiteral("RevokeAllSessions"), {SecretArg(session.secret)});
}

Result<StuffingPolicy> Client::stuffingPolicy(const Session& session) {
    auto r = d->call(dbus::kLogin, QStringLiteral("StuffingPolicy"), {SecretArg(session.secret)});
    if (!r)
        return r.error();
    return wire::fromMap<StuffingPolicy>(r->value(0));
}

Status Client::setStuffingPolicy(const Session& session, const StuffingPolicy& policy) {
    return d->callStatus(dbus::kLogin, QStringLiteral("SetStuffingPolicy"),
                         {SecretArg(session.secret), wire::toMap(policy)});
}

Result<SessionLimit> Client::sessionLimit(const Session& session) {
    auto r = d->call(dbus::kSessions, QStringLiteral("SessionLimit"), {SecretArg(session.secret)});
    if (!r)
        return r.error();
    return wire::fromMap<SessionLimit>(r->value(0));
}

Status Client::setSessionLimit(const Session& session, SessionLimit limit) {
    return d->callStatus(dbus::kSessions, QStringLiteral("SetSessionLimit"),
                         {SecretArg(session.secret), wire::toMap(limit)});
}

PasswordVerdict Client::checkPassword(const QString& password, const QString& username) const {
    const QString name = normaliseUsername(username).value_or(username);
    return PasswordPolicy::check(password, name);
}

Result<QList<RoleInfo>> Client::listRoles(const Session& session) {
    auto r = d->call(dbus::kRoles, QStringLiteral("ListRoles"), {SecretArg(session.secret)});
    if (!r)
        return r.error();
    return wire::listFrom<RoleInfo>(r->value(0));
}

Result<QStringList> Client::rolesOf(const Session& session, const QString& username) {
    auto r = d->call(dbus::kRoles, QStringLiteral("RolesOf"), {SecretArg(session.secret), username});
    if (!r)
        return r.error();
    return wire::plain(r->value(0)).toStringList();
}

Result<QStringList> Client::permissionsOf(const Session& session) {
    auto r = d->call(dbus::kRoles, QStringLiteral("PermissionsOf"), {SecretArg(session.secret)});
    if (!r)
        return r.error();
    return wire::plain(r->value(0)).toStringList();
}

Status Client::registerAgent(QObject* agent, const QString& path) {
    if (Status s = d->ensure(); !s)
        return s;
    d->bus.unregisterObject(path);
    if (!d->bus.registerObject(path, agent, QDBusConnection::ExportScriptableSlots))
        return Error{Errc::Internal, QStringLiteral("could not export the agent at %1").arg(path), 0};
    return d->callStatus(dbus::kAuthority, QStringLiteral("RegisterAgent"),
                         {QVariant::fromValue(QDBusObjectPath(path))});
}

Result<std::pair<bool, QString>> Client::agentResponse(const QString& requestId, const Session& person) {
    auto r = d->call(dbus::kAuthority, QStringLiteral("AgentResponse"), {requestId, SecretArg(person.secret)});
    if (!r)
        return r.error();
    return std::pair<bool, QString>{r->value(0).toBool(), r->value(1).toString()};
}

Status Client::agentCancelled(const QString& requestId, bool denied) {
    return d->callStatus(dbus::kAuthority, QStringLiteral("AgentCancelled"), {requestId, denied});
}

Result<QList<AppPermission>> Client::appPermissions(const Session& session) {
    auto r = d->call(dbus::kRoles, QStringLiteral("ListAppPermissions"), {SecretArg(session.secret)});
    if (!r)
        return r.error();
    return wire::listFrom<AppPermission>(r->value(0));
}

Status Client::createRole(const Session& session, const QString& name, const QStringList& permissions,
                          const QString& description) {
    return d->callStatus(dbus::kRoles, QStringLiteral("CreateRole"),
                         {SecretArg(session.secret), name, permissions, description});
}

Status Client::updateRole(const Session& session, const QString& name, const QStringList& permissions) {
    return d->callStatus(dbus::kRoles, QStringLiteral("UpdateRole"), {SecretArg(session.secret), name, permissions});
}

Status Client::deleteRole(const Session& session, const QString& name) {
    return d->callStatus(dbus::kRoles, QStringLiteral("DeleteRole"), {SecretArg(session.secret), name});
}

Status Client::assignRole(const Session& session, const QString& username, const QString& role) {
    return d->callStatus(dbus::kRoles, QStringLiteral("AssignRole"), {SecretArg(session.secret), username, role});
}

Status Client::revokeRole(const Session& session, const QString& username, const QString& role) {
    return d->callStatus(dbus::kRoles, QStringLiteral("RevokeRole"), {SecretArg(session.secret), username, role});
}

void Client::onSessionEnded(const QString& sessionId, const QString& reason) {
    Q_EMIT sessionEnded(sessionId, reason);
}

void Client::onPermissionsChanged(const QString& username) {
    Q_EMIT permissionsChanged(username);
}

void Client::onOwnerChanged(const QString&, const QString& oldOwner, const QString&) {
    if (oldOwner.isEmpty())
        return;     // started (by us or another client): nothing was lost
    d->lost = true; // the next call looks for (in session mode: starts) the service again
    Q_EMIT serviceLost();
}

} // namespace gh
