// gatehoused's D-Bus service: the only code that holds the vault (DESIGN.md, "Trust boundary and
// processes"). One gh::Gatehouse facade per open vault; the default vault is the object
// /io/gatehouse/Gatehouse1, others (session mode only) live below it. Each incoming call is
// checked against the method table (client/dbusapi.h lists the interfaces), its caller's uid and
// pid are read from the bus (cached per unique name), and the call runs on a worker thread so
// the event loop stays free for cancels and signals. The per-interface handlers live in
// iface_*.cpp; each registers its methods in Service::methods().
#pragma once

#include "gatehouse.h"
#include "origin.h"

#include <QDBusConnection>
#include <QDBusVirtualObject>
#include <QHash>
#include <QThreadPool>

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
};

struct VaultHost {
    QString path;
    QString objectPath;
    QString fileId; // device:inode of the file when opened (a replaced file is reopened)
    std::unique_ptr<Gatehouse> gh;
    std::mutex lock;                  // guards the two maps below
    QHash<QString, Binding> sessions; // session id → owner
    QHash<QString, quint32> pending;  // pending login id → uid that began it
};

class Service;

// One call as a handler sees it.
struct Call {
    Service& service;
    const QDBusMessage& message;
    QVariantList args;
    CallerOrigin caller;
    QString sender;             // unique bus name
    VaultHost* vault = nullptr; // null on the Manager interface

    QString str(int i) const { return args.value(i).toString(); }
    bool flag(int i) const { return args.value(i).toBool(); }
    qint64 num(int i) const { return args.value(i).toLongLong(); }
    QStringList strings(int i) const { return args.value(i).toStringList(); }
    SecureBuffer secret(int i) const;
    // Validates the token in argument i and checks that it belongs to the caller's uid (a token
    // presented by another uid is refused and audited as L3).
    Result<Session> session(int i) const;
    // After a sign-in or a re-issue: the new session belongs to the caller.
    void bind(const Session& s, const QString& replacedId = {}) const;
    // The (info, token) pair a sign-in or re-issue answers with.
    QVariantList sessionReply(const Session& s) const;
};

using Reply = Result<QVariantList>;
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

void addStatusMethods(MethodTable& t);
void addLoginMethods(MethodTable& t);
void addAccountsMethods(MethodTable& t);
void addFactorsMethods(MethodTable& t);
void addSessionsMethods(MethodTable& t);
void addRolesMethods(MethodTable& t);
void addAuditMethods(MethodTable& t);

class Service : public QDBusVirtualObject {
    Q_OBJECT
public:
    struct Options {
        bool systemMode = false;
        QString defaultVault; // object kPath
        Services services;    // injected clock, key store (tests, system mode)
        int workers = 8;
        // Test seams (tests/support/gatehoused_test.cpp): run around every call, on its thread.
        std::function<void()> beforeCall;
        std::function<void()> afterCall;
    };
    Service(QDBusConnection bus, Options options, QObject* parent = nullptr);
    ~Service() override;

    // Registers the object tree and takes the well-known name. In system mode opens the vault.
    Status start();

    QString introspect(const QString& path) const override;
    bool handleMessage(const QDBusMessage& message, const QDBusConnection& connection) override;

    // Pushes SessionEnded to the holders of sessions that are no longer live.
    void announceEnded(VaultHost& vault);
    // Pushes PermissionsChanged to every holder of a session of `username` (all when empty).
    void announcePermissions(VaultHost& vault, const QString& username);
    Gatehouse& managerFacade() { return *m_probe; }
    bool systemMode() const { return m_options.systemMode; }

private:
    Reply manager(Call& call, const QString& member);
    static void quarantine(std::shared_ptr<VaultHost> host);
    Result<VaultHost*> openHost(const QString& path, const SecureBuffer* passphrase, bool create);
    QString objectPathFor(const QString& canonicalPath) const;
    CallerOrigin originOf(const QString& sender);
    void sendSignal(const Binding& to, const QString& objectPath, const QString& member, const QVariantList& args);
    void onNameOwnerChanged(const QString& name, const QString& oldOwner, const QString& newOwner);

    QDBusConnection m_bus;
    Options m_options;
    MethodTable m_methods;
    QThreadPool m_pool;
    std::mutex m_hostsLock;
    std::vector<std::shared_ptr<VaultHost>> m_hosts; // in-flight calls keep a replaced one alive
    std::unique_ptr<Gatehouse> m_probe;              // no vault: the keychain probe
    std::mutex m_originsLock;
    QHash<QString, CallerOrigin> m_origins;
};

} // namespace gh::service
