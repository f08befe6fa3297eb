// gatehoused's D-Bus service: the only code that holds the vault (DESIGN.md, "Trust boundary and
// processes"). One gh::Gatehouse facade per open vault; the default vault is the object
// /io/gatehouse/Gatehouse1, others (session mode only) live below it. Each incoming call is
// checked against the method table (client/dbusapi.h lists the interfaces), its caller's uid and
// pid are read from the bus (cached per unique name), the call takes a slot of its caller's share
// (calllimits.h: refused at once with Errc::ServiceBusy beyond it), and runs on a worker thread so
// the event loop stays free for cancels and signals. The per-interface handlers live in
// iface_*.cpp; each registers its methods in Service::methods().
#pragma once

#include "calllimits.h"
#include "gatehouse.h"
#include "marshal.h"
#include "origin.h"

#include <QDBusConnection>
#include <QDBusMessage>
#include <QDBusVirtualObject>
#include <QHash>
#include <QThreadPool>
#include <QTimer>

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>

namespace gh::service {

// A session token's owner: the uid that signed in and the bus connection that holds it (signals
// go there).
struct Binding {
    quint32 uid = 0;
    QString holder;
    QString username;
    QString appId; // an application's session (io.gatehouse.Authority1): its signals go there
};

// Who a token was issued to, kept after its session ended: a token presented by another uid is
// refused with the same answer whether its session is live or not.
struct TokenOwner {
    quint32 uid = 0;
    QString sessionId;
    QString username;
};

// A login waiting for its second step: the uid that began it, until the core forgets it too.
struct PendingLogin {
    quint32 uid = 0;
    qint64 expiresMs = 0; // the service clock's monotonicMs(); pruned only after the core let it go
    quint64 order = 0;    // when it began, among this host's (the oldest gives way, Service::beganLogin)
};

// io.gatehouse.Authority1.RequestSignIn (issue 11): the Gatehouse window of a uid that answers
// applications' sign-in requests, like a polkit agent (RegisterAgent; gone with its connection).
struct AgentRegistration {
    QString holder; // unique bus name
    QString path;   // its io.gatehouse.AuthorityAgent1 object
};

struct VaultHost;

// A RequestSignIn waiting for the agent's answer. No worker and no lock is held meanwhile: the
// application's message has a delayed reply, answered by AgentResponse, AgentCancelled, the
// timeout, or the agent's or application's going away.
struct PendingSignIn {
    QDBusMessage request; // the application's call
    std::shared_ptr<VaultHost> vault;
    quint32 uid = 0;   // the application's
    QString appHolder; // its unique name (the token's signals go there)
    QString caller;    // CallerOrigin::describe(), for the audit
    QString appId;
    QStringList permissions;
    AgentRegistration agent;
};

struct VaultHost {
    QString path;
    QString objectPath;
    QString fileId; // device:inode of the file when opened (a replaced file is reopened)
    std::unique_ptr<Gatehouse> gh;
    std::mutex lock;                  // guards the three maps below
    QHash<QString, Binding> sessions; // session id → owner
    quint64 pendingBegun = 0;
    QHash<QString, PendingLogin> pending;          // pending login id → who began it (pruned at expiry)
    QHash<QByteArray, TokenOwner> tokens;          // SHA-256 of an issued token → owner (at most kRememberedTokens)
    static constexpr int kRememberedTokens = 4096; // beyond: tokens of ended sessions are forgotten
};

class Service;

// Records that session `s` belongs to `uid` and its signals go to `holder` (Call::bind, and an
// application's session issued through its agent).
void bindSession(VaultHost& vault, const Session& s, quint32 uid, const QString& holder, const QString& appId = {},
                 const QString& replacedId = {});
using Reply = Result<QVariantList>;

// One call as a handler sees it.
struct Call {
    Service& service;
    const QDBusMessage& message;
    QVariantList args;
    CallerOrigin caller;
    QString sender;             // unique bus name
    VaultHost* vault = nullptr; // null on the Manager interface
    std::shared_ptr<VaultHost> host = {};
    bool deferred = false; // the handler answers the message itself, later (RequestSignIn)

    QString str(int i) const { return args.value(i).toString(); }
    bool flag(int i) const { return args.value(i).toBool(); }
    qint64 num(int i) const { return args.value(i).toLongLong(); }
    QStringList strings(int i) const { return args.value(i).toStringList(); }
    SecureBuffer secret(int i) const;
    // Validates the token in argument i and checks that it belongs to the caller's uid. A token
    // issued to another uid is refused exactly like a token that never existed (its session live
    // or not), and audited as L3.
    Result<Session> session(int i) const;
    // CheckPermission's gate, from memory only: the token in argument i was issued by this service
    // to the caller's uid. A token of another uid is refused like one never issued, and audited
    // as L3 (session.foreign_caller); whether the session is live is core's question.
    Result<Session> ownToken(int i) const;
    // The same gate for a caller that needs only the token's SHA-256 (CheckPermission's hot path):
    // hashed once, straight from the message's bytes, without a SecureBuffer (sodium_malloc maps,
    // locks and unmaps pages for each, which was most of a check's cost).
    Result<TokenDigest> ownTokenDigest(int i) const;
    // Their shared gate: the token with this SHA-256 was issued to the caller's uid (else audited).
    Status ownedByCaller(const QByteArray& digest) const;
    // An on-loop handler that cannot answer at once sets this and returns anything: the service
    // answers the call with what it returns, from its check thread (Service::defer).
    std::function<Reply()> later;
    // After a sign-in or a re-issue: the new session belongs to the caller (`appId`: an
    // application's session, usable on io.gatehouse.Authority1 only).
    void bind(const Session& s, const QString& replacedId = {}, const QString& appId = {}) const;
    // The (info, token) pair a sign-in or re-issue answers with.
    QVariantList sessionReply(const Session& s) const;
};

using Handler = std::function<Reply(Call&)>;

struct Method {
    QString in;  // D-Bus signature of the arguments
    QString out; // of the reply
    Handler run;
    bool onLoop = false; // cheap and lock-free: answer on the event loop (e.g. cancel)
    QStringList names;   // argument names for introspection (in, then out)
};

using MethodTable = QHash<QString, QHash<QString, Method>>; // interface → member → method

// Registers one method; `names` names the arguments (in, then out) for introspection.
inline void add(MethodTable& t, const QString& iface, const QString& name, const char* in, const char* out,
                const QStringList& names, Handler run) {
    t[iface].insert(name, Method{QLatin1String(in), QLatin1String(out), std::move(run), false, names});
}

// Registers a method whose first argument is the caller's session token: `run` gets the session
// that Call::session() checked, and is not called when it fails.
inline void addWithSession(MethodTable& t, const QString& iface, const QString& name, const char* in, const char* out,
                           const QStringList& names, std::function<Reply(Call&, Session&)> run) {
    add(t, iface, name, in, out, names, [run = std::move(run)](Call& c) -> Reply {
        auto s = c.session(0);
        if (!s)
            return s.error();
        return run(c, *s);
    });
}

// The reply of a call that answers nothing, or its error.
inline Reply done(const Status& s) {
    if (!s)
        return s.error();
    return QVariantList();
}

// The reply of a call that answers a list, a struct or a plain value (QStringList, int…), or its error.
template <class T> Reply listReply(const Result<QList<T>>& r) {
    if (!r)
        return r.error();
    return QVariantList{QVariant(wire::toList(r.value()))};
}
template <class T> Reply mapReply(const Result<T>& r) {
    if (!r)
        return r.error();
    return QVariantList{wire::toMap(r.value())};
}
template <class T> Reply valueReply(const Result<T>& r) {
    if (!r)
        return r.error();
    return QVariantList{QVariant::fromValue(r.value())};
}

void addStatusMethods(MethodTable& t);
void addLoginMethods(MethodTable& t);
void addAccountsMethods(MethodTable& t);
void addFactorsMethods(MethodTable& t);
void addSessionsMethods(MethodTable& t);
void addRolesMethods(MethodTable& t);
void addAuditMethods(MethodTable& t);
void addAuthorityMethods(MethodTable& t);

class Service : public QDBusVirtualObject {
    Q_OBJECT
public:
    struct Options {
        bool systemMode = false;
        QString defaultVault; // object kPath
        Services services;    // injected clock, key store (tests, system mode)
        int workers = 8;
        CallLimits::Limits limits; // each caller's share of the workers (calllimits.h)
        // Test seam (tests/support/gatehoused_test.cpp): runs before every call, on its thread.
        std::function<void()> beforeCall;
        int agentTimeoutMs = 120000; // RequestSignIn → Timeout (tests: shorter)
    };
    Service(QDBusConnection bus, Options options, QObject* parent = nullptr);
    ~Service() override;

    // Takes the well-known name, then (system mode) opens the vault, then serves the object tree.
    // A name owned by another instance is an Errc::ServiceUnavailable and touches no vault.
    Status start();
    // After the event loop ended (SIGTERM): cancels what waits for a person (a security-key touch)
    // and waits up to `ms` for calls in progress. False when some are still running: the caller should exit
    // without destroying the service (sessions are never persisted, vault writes are transactions).
    bool drain(int ms);
    static constexpr int kShutdownWaitMs = 3000;

    QString introspect(const QString& path) const override;
    bool handleMessage(const QDBusMessage& message, const QDBusConnection& connection) override;

    // Pushes SessionEnded to the holders of sessions that are no longer live.
    void announceEnded(VaultHost& vault);
    // Pushes PermissionsChanged to every holder of a session of `username` (all when empty), and
    // io.gatehouse.Authority1.PermissionsChanged to the applications whose permissions changed.
    void announcePermissions(VaultHost& vault, const QString& username);
    Gatehouse& managerFacade() { return *m_probe; }
    bool systemMode() const { return m_options.systemMode; }
    // Whether this caller sees the vault's counts (Status, LayerHealth): in session mode the owner
    // always does; in system mode root, the service's own user, and a uid with a live session here.
    bool seesCounts(const Call& call);
    // Begun and not yet completed, cancelled or expired (BeginLogin prunes expired ones).
    void beganLogin(VaultHost& vault, const QString& pendingId, quint32 uid);
    static constexpr int kMaxPendingPerUid = 64; // sign-ins begun and not finished, per uid
    void prunePending(VaultHost& vault);
    // io.gatehouse.Authority1's agent protocol (iface_authority.cpp; README "Other applications").
    Reply registerAgent(Call& call);
    Reply unregisterAgent(Call& call);
    void requestSignIn(Call& call); // answers the message itself (Call::deferred)
    Reply agentResponse(Call& call);
    Reply agentCancelled(Call& call);
    static constexpr int kDefaultAgentTimeoutMs = 120000; // the prompt's answer, from the request
    static constexpr int kMaxSignInsPerUid = 4;           // requests waiting for a prompt, per uid
    // Runs `work` on the check thread (one thread, separate from the workers: what it waits for is
    // the facade's lock, not a worker's slot) and answers `message` with its result. At most
    // kMaxDeferred wait; beyond, ServiceBusy at once.
    void defer(const QDBusMessage& message, std::function<Reply()> work);
    static constexpr int kMaxDeferred = 256;
    // For tests (gatehoused-test): pending logins the service remembers, calls in progress.
    int pendingLogins();
    int callsInFlight() const { return m_limits.inFlight(); }

private:
    Reply manager(Call& call, const QString& member);
    static void quarantine(std::shared_ptr<VaultHost> host);
    // acceptRestore: open a vault behind its anti-rollback anchor anyway (INT-01; the caller checks who asks).
    Result<VaultHost*> openHost(const QString& path, const SecureBuffer* passphrase, bool create,
                                bool acceptRestore = false);
    QString objectPathFor(const QString& canonicalPath) const;
    CallerOrigin originOf(const QString& sender);
    void sendSignal(const Binding& to, const QString& objectPath, const QString& member, const QVariantList& args);
    void onNameOwnerChanged(const QString& name, const QString& oldOwner, const QString& newOwner);
    // Ends a pending sign-in (on any thread): answers the application with the error `name`
    // (Cancelled, Timeout, NoAgent, Denied), audits it, and tells the agent to close its prompt
    // unless the agent itself ended it.
    void failSignIn(const QString& requestId, const QString& name, const QString& detail, bool tellAgent);
    // A connection left the bus: an agent's registration dies with it (its prompts answer NoAgent),
    // an application's waiting requests are withdrawn (the agent closes their prompts).
    void agentOrApplicationGone(const QString& uniqueName);
    void sendError(const QDBusMessage& to, const QString& name, const QString& detail);
    void auditSignIn(const PendingSignIn& p, const QString& actor, Layer layer, Outcome outcome, const QString& detail);

    QDBusConnection m_bus;
    Options m_options;
    MethodTable m_methods;
    CallLimits m_limits;
    QThreadPool m_pool;
    QThreadPool m_checks; // Service::defer
    QTimer m_auditTimer;  // writes the counts of folded audit repeats of a quiet service
    std::atomic<int> m_deferred{0};
    std::mutex m_hostsLock;
    std::vector<std::shared_ptr<VaultHost>> m_hosts; // in-flight calls keep a replaced one alive
    std::unique_ptr<Gatehouse> m_probe;              // no vault: the keychain probe
    std::mutex m_originsLock;
    QHash<QString, CallerOrigin> m_origins;
    SystemClock m_systemClock;
    std::mutex m_agentsLock;                    // guards the two maps below
    QHash<quint32, AgentRegistration> m_agents; // uid → its agent
    QHash<QString, PendingSignIn> m_signIns;    // request id → what waits
    const Clock& clock() const {
        if (m_options.services.clock)
            return *m_options.services.clock;
        return m_systemClock;
    }
};

} // namespace gh::service
