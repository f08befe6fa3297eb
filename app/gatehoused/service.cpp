#include "service.h"

#include "crypto/sha256.h"
#include "dbusapi.h"
#include "marshal.h"

#include <QCryptographicHash>
#include <QDBusConnectionInterface>
#include <QDBusMessage>
#include <QDBusObjectPath>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QXmlStreamWriter>

#include <limits>
#include <optional>

#include <cstdio>
#include <sys/stat.h>
#include <unistd.h>

namespace gh::service {

namespace {

QDBusMessage errorReply(const QDBusMessage& m, const Error& e) {
    return m.createErrorReply(wire::errorName(e.code), wire::errorMessage(e));
}

QString readProc(qint64 pid, const char* file) {
    QFile f(QStringLiteral("/proc/%1/%2").arg(pid).arg(QLatin1String(file)));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QString::fromUtf8(f.readAll()).trimmed();
}

// The controlling terminal from /proc/<pid>/stat (field 7, tty_nr): "pts/N", "ttyN" or empty.
QString ttyOf(qint64 pid) {
    const QString stat = readProc(pid, "stat");
    const int close = stat.lastIndexOf(QLatin1Char(')'));
    if (close < 0)
        return {};
    const QStringList fields = stat.mid(close + 2).split(QLatin1Char(' '));
    if (fields.size() < 5)
        return {};
    const quint32 nr = fields.at(4).toUInt();
    const quint32 major = (nr >> 8) & 0xfff, minor = (nr & 0xff) | ((nr >> 12) & 0xfff00);
    if (nr == 0)
        return {};
    if (major >= 136 && major <= 143)
        return QStringLiteral("pts/%1").arg((major - 136) * 256 + minor);
    if (major == 4)
        return QStringLiteral("tty%1").arg(minor);
    return QStringLiteral("tty %1:%2").arg(major).arg(minor);
}

// The seat the process runs at (XDG_SEAT from /proc/<pid>/environ, readable for the caller's own
// processes only); every other variable is dropped unread.
QString seatOf(qint64 pid) {
    QFile f(QStringLiteral("/proc/%1/environ").arg(pid));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    QByteArray env = f.read(64 * 1024);
    QString seat;
    for (const QByteArray& entry : env.split('\0'))
        if (entry.startsWith("XDG_SEAT="))
            seat = QString::fromUtf8(entry.mid(9)).left(32);
    wipe(env);
    return seat;
}

QString fileIdentity(const QString& path) {
    struct stat st {};
    if (::stat(QFile::encodeName(path).constData(), &st) != 0)
        return {};
    return QStringLiteral("%1:%2").arg(st.st_dev).arg(st.st_ino);
}

QByteArray digestOf(const SecureBuffer& token) {
    return QCryptographicHash::hash(QByteArrayView(token.chars(), qsizetype(token.size())), QCryptographicHash::Sha256);
}

// What a token that was never issued gets (LoginService::validate of an unknown secret): a token of
// another uid gets exactly this, whether its session is live or ended.
Error notASession() {
    return Error{Errc::SessionInvalid, {}, 0};
}

QVariantMap vaultFacts(VaultHost& h) {
    return {{QStringLiteral("path"), h.gh->vaultPath()},
            {QStringLiteral("keySource"), int(h.gh->keySource())},
            {QStringLiteral("keyLocation"), h.gh->keyLocation()}};
}

} // namespace

SecureBuffer Call::secret(int i) const {
    QByteArray bytes = args.value(i).toByteArray();
    SecureBuffer out = SecureBuffer::fromBytes(bytes);
    wipe(bytes);
    // The message still holds its copy; the worker drops it when the call ends.
    return out;
}

Result<Session> Call::session(int i) const {
    if (!vault)
        return Errc::VaultNotFound;
    Session s;
    s.secret = secret(i);
    const QByteArray digest = digestOf(s.secret);
    std::optional<TokenOwner> issuedTo;
    {
        std::lock_guard guard(vault->lock);
        if (auto it = vault->tokens.constFind(digest); it != vault->tokens.constEnd())
            issuedTo = *it;
    }
    const auto foreign = [&](const QString& username, const QString& sessionId, const QString& detail) {
        (void)vault->gh->audit().recordServiceEvent(username, QStringLiteral("session.foreign_caller"), Layer::Session,
                                                    Outcome::Denied, sessionId, detail);
        return notASession();
    };
    auto info = vault->gh->login().validate(s);
    if (!info) {
        // Why a session ended is its owner's business; anyone else learns nothing from a token.
        if (issuedTo && issuedTo->uid != caller.uid)
            return foreign(issuedTo->username, issuedTo->sessionId,
                           QStringLiteral("token of uid %1 (session ended) presented by %2")
                               .arg(issuedTo->uid)
                               .arg(caller.describe()));
        return info.error();
    }
    Binding owner;
    bool bound = false;
    {
        std::lock_guard guard(vault->lock);
        auto it = vault->sessions.constFind(info->id);
        if (it != vault->sessions.constEnd()) {
            owner = *it;
            bound = true;
        }
    }
    if (!bound || owner.uid != caller.uid)
        return foreign(
            info->username, info->id,
            bound ? QStringLiteral("token of uid %1 presented by %2").arg(owner.uid).arg(caller.describe())
                  : QStringLiteral("token not issued by this service, presented by %1").arg(caller.describe()));
    // An application's token works on io.gatehouse.Authority1 only (core refuses it too, for
    // every function that checks a permission; this covers step-up, password and the rest).
    if (!owner.appId.isEmpty() && message.interface() != dbus::kAuthority) {
        (void)vault->gh->audit().recordServiceEvent(
            info->username, QStringLiteral("access.denied"), Layer::Access, Outcome::Denied, info->id,
            QStringLiteral("token of application %1 used on %2.%3 by %4")
                .arg(owner.appId, message.interface(), message.member(), caller.describe()));
        return Error{Errc::NotPermitted,
                     QStringLiteral("an application's token works only on %1").arg(dbus::kAuthority), 0};
    }
    s.info = std::move(info.value());
    return s;
}

Status Call::ownedByCaller(const QByteArray& digest) const {
    std::optional<TokenOwner> issuedTo;
    {
        std::lock_guard guard(vault->lock);
        if (auto it = vault->tokens.constFind(digest); it != vault->tokens.constEnd())
            issuedTo = *it;
    }
    if (!issuedTo)
        return notASession();
    if (issuedTo->uid != caller.uid) {
        (void)vault->gh->audit().recordServiceEvent(issuedTo->username, QStringLiteral("session.foreign_caller"),
                                                    Layer::Session, Outcome::Denied, issuedTo->sessionId,
                                                    QStringLiteral("token of uid %1 presented by %2 (%3.%4)")
                                                        .arg(issuedTo->uid)
                                                        .arg(caller.describe(), message.interface(), message.member()));
        return notASession();
    }
    return ok();
}

Result<Session> Call::ownToken(int i) const {
    if (!vault)
        return Errc::VaultNotFound;
    Session s;
    s.secret = secret(i);
    if (Status owned = ownedByCaller(digestOf(s.secret)); !owned)
        return owned.error();
    return s;
}

Result<TokenDigest> Call::ownTokenDigest(int i) const {
    if (!vault)
        return Errc::VaultNotFound;
    const QVariant& arg = args.at(i);
    if (arg.metaType() != QMetaType::fromType<QByteArray>())
        return notASession();
    // A reference to the message's own bytes: hashed in place, no copy to wipe.
    const QByteArray& token = *static_cast<const QByteArray*>(arg.constData());
    const TokenDigest digest =
        crypto::Sha256().digest(reinterpret_cast<const unsigned char*>(token.constData()), std::size_t(token.size()));
    if (Status owned = ownedByCaller(QByteArray::fromRawData(reinterpret_cast<const char*>(digest.data()), 32)); !owned)
        return owned.error();
    return digest;
}

void bindSession(VaultHost& vault, const Session& s, quint32 uid, const QString& holder, const QString& appId,
                 const QString& replacedId) {
    if (s.info.id.isEmpty())
        return;
    std::lock_guard guard(vault.lock);
    if (!replacedId.isEmpty() && replacedId != s.info.id)
        vault.sessions.remove(replacedId);
    vault.sessions.insert(s.info.id, Binding{uid, holder, s.info.username, appId});
    if (vault.tokens.size() >= VaultHost::kRememberedTokens)
        vault.tokens.removeIf([&](const auto& it) { return !vault.sessions.contains(it.value().sessionId); });
    vault.tokens.insert(digestOf(s.secret), TokenOwner{uid, s.info.id, s.info.username});
}

void Call::bind(const Session& s, const QString& replacedId, const QString& appId) const {
    if (vault)
        bindSession(*vault, s, caller.uid, sender, appId, replacedId);
}

QVariantList Call::sessionReply(const Session& s) const {
    return {wire::toMap(s.info), QByteArray(s.secret.chars(), qsizetype(s.secret.size()))};
}

Service::Service(QDBusConnection bus, Options options, QObject* parent)
    : QDBusVirtualObject(parent), m_bus(std::move(bus)), m_options(std::move(options)),
      m_limits(m_options.limits, m_options.systemMode), m_probe(std::make_unique<Gatehouse>(m_options.services)) {
    addStatusMethods(m_methods);
    addLoginMethods(m_methods);
    addAccountsMethods(m_methods);
    addFactorsMethods(m_methods);
    addSessionsMethods(m_methods);
    addRolesMethods(m_methods);
    addAuditMethods(m_methods);
    addAuthorityMethods(m_methods);
    auto noop = [](Call&) -> Reply { return QVariantList(); };
    // Manager methods are dispatched by manager(); the table holds their signatures.
    QHash<QString, Method>& m = m_methods[dbus::kManager];
    m.insert(QStringLiteral("DefaultVault"), {QString(), QStringLiteral("s"), noop, true, {QStringLiteral("path")}});
    m.insert(
        QStringLiteral("VaultState"),
        {QStringLiteral("s"), QStringLiteral("a{sv}"), noop, false, {QStringLiteral("path"), QStringLiteral("state")}});
    m.insert(QStringLiteral("KeychainAvailable"),
             {QString(), QStringLiteral("b"), noop, false, {QStringLiteral("available")}});
    const QStringList openNames{QStringLiteral("path"), QStringLiteral("passphrase"), QStringLiteral("hasPassphrase"),
                                QStringLiteral("vault"), QStringLiteral("facts")};
    m.insert(QStringLiteral("CreateVault"), {QStringLiteral("sayb"), QStringLiteral("oa{sv}"), noop, false, openNames});
    m.insert(QStringLiteral("OpenVault"), {QStringLiteral("sayb"), QStringLiteral("oa{sv}"), noop, false, openNames});
    // Break-glass (INT-01): open a vault that is behind its anti-rollback anchor, as a deliberate
    // restore. Only the service's own user or root may: whoever can already read the vault key.
    m.insert(QStringLiteral("AcceptRestore"),
             {QStringLiteral("sayb"), QStringLiteral("oa{sv}"), noop, false, openNames});
    m_pool.setMaxThreadCount(m_options.workers);
    m_pool.setExpiryTimeout(-1);
    m_checks.setMaxThreadCount(1);
    // A flood that stops leaves the count of what was folded in memory until the next audit event
    // (Core::recordRepeated); a quiet service writes it within a few seconds of the window's end,
    // on a worker, never waiting for the facade (a busy one writes it itself).
    m_auditTimer.setInterval(5000);
    connect(&m_auditTimer, &QTimer::timeout, this, [this] {
        std::vector<std::shared_ptr<VaultHost>> hosts;
        {
            std::lock_guard guard(m_hostsLock);
            hosts = m_hosts;
        }
        for (auto& host : hosts)
            m_pool.start([host] { host->gh->flushAudit(); });
    });
    m_auditTimer.start();
    if (QDBusConnectionInterface* iface = m_bus.interface())
        connect(iface, &QDBusConnectionInterface::serviceOwnerChanged, this, &Service::onNameOwnerChanged);
}

Service::~Service() {
    m_checks.waitForDone();
    m_pool.waitForDone();
}

Status Service::start() {
    // Calls are handled on this thread's event loop: those that come in before it runs (from the
    // moment the name is ours) wait in its queue until the vault below is open.
    if (!m_bus.registerVirtualObject(dbus::kPath, this, QDBusConnection::SubPath))
        return Error{Errc::Internal, QStringLiteral("could not register %1").arg(dbus::kPath), 0};
    // The name before the vault: a second instance must not open the vault, let alone end the
    // sessions of the one that runs (SES-02 below).
    if (!m_bus.registerService(dbus::kService)) {
        m_bus.unregisterObject(dbus::kPath, QDBusConnection::UnregisterTree);
        QString owner;
        if (QDBusConnectionInterface* iface = m_bus.interface())
            if (const auto pid = iface->servicePid(dbus::kService); pid.isValid())
                owner = QStringLiteral(" by pid %1").arg(pid.value());
        return Error{Errc::ServiceUnavailable,
                     QStringLiteral("%1 is already owned%2 (another gatehoused runs); this one leaves the vault alone")
                         .arg(dbus::kService, owner),
                     0};
    }
    if (m_options.systemMode) {
        auto host = openHost(m_options.defaultVault, nullptr, !Gatehouse::vaultExists(m_options.defaultVault));
        // A vault behind its anchor is served anyway: every OpenVault reports it, and an
        // administrator can accept a deliberate restore (AcceptRestore) without a restart.
        if (!host && host.code() != Errc::VaultRolledBack) {
            m_bus.unregisterService(dbus::kService);
            m_bus.unregisterObject(dbus::kPath, QDBusConnection::UnregisterTree);
            return host.error();
        }
        if (!host)
            std::fprintf(stderr, "gatehoused: %s\n", qPrintable(describe(host.error())));
    }
    return ok();
}

bool Service::drain(int ms) {
    QElapsedTimer t;
    t.start();
    const bool checks = m_checks.waitForDone(ms);
    // no call waits on a device here: the key ceremony runs in the client
    return m_pool.waitForDone(int(std::max<qint64>(0, ms - t.elapsed()))) && checks;
}

bool Service::seesCounts(const Call& call) {
    if (!m_options.systemMode || call.caller.uid == 0 || call.caller.uid == ::getuid() || !call.vault)
        return true;
    QStringList mine;
    {
        std::lock_guard guard(call.vault->lock);
        for (auto it = call.vault->sessions.constBegin(); it != call.vault->sessions.constEnd(); ++it)
            if (it->uid == call.caller.uid)
                mine << it.key();
    }
    if (mine.isEmpty())
        return false;
    return call.vault->gh->sessions().endedAmong(mine).size() < mine.size();
}

void Service::beganLogin(VaultHost& vault, const QString& pendingId, quint32 uid) {
    const qint64 expires = clock().monotonicMs() + Gatehouse::kPendingLoginSecs * 1000;
    QString evicted;
    {
        std::lock_guard guard(vault.lock);
        vault.pending.insert(pendingId, PendingLogin{uid, expires, ++vault.pendingBegun});
        // A passwordless sign-in costs no Argon2id, so nothing else bounds how fast one uid can
        // begin them: each uid keeps at most kMaxPendingPerUid, the oldest gives way.
        int mine = 0;
        quint64 oldest = std::numeric_limits<quint64>::max();
        for (auto it = vault.pending.cbegin(); it != vault.pending.cend(); ++it) {
            if (it->uid != uid)
                continue;
            ++mine;
            if (it->order < oldest) {
                oldest = it->order;
                evicted = it.key();
            }
        }
        if (mine <= kMaxPendingPerUid)
            evicted.clear();
        else
            vault.pending.remove(evicted);
    }
    if (!evicted.isEmpty())
        vault.gh->login().cancelLogin(evicted); // the core's lock, never under the host's
}

void Service::prunePending(VaultHost& vault) {
    const qint64 now = clock().monotonicMs();
    std::lock_guard guard(vault.lock);
    vault.pending.removeIf([now](const auto& it) { return it.value().expiresMs < now; });
}

int Service::pendingLogins() {
    int n = 0;
    std::lock_guard guard(m_hostsLock);
    for (auto& h : m_hosts) {
        std::lock_guard hostGuard(h->lock);
        n += int(h->pending.size());
    }
    return n;
}

QString Service::objectPathFor(const QString& canonicalPath) const {
    if (canonicalPath == QFileInfo(m_options.defaultVault).absoluteFilePath())
        return dbus::kPath;
    const QByteArray h = QCryptographicHash::hash(canonicalPath.toUtf8(), QCryptographicHash::Sha256).toHex().left(16);
    return dbus::kVaultPathPrefix + QString::fromLatin1(h);
}

namespace {
// A vault path from a client (VaultState, CreateVault, OpenVault, AcceptRestore): absolute, since
// the service's working directory is not the caller's
// (a relative path would name a file wherever gatehoused was started). gh::Client sends absolute paths.
std::optional<Error> relativeVaultPath(const QString& path) {
    if (QFileInfo(path).isAbsolute())
        return std::nullopt;
    return Error{Errc::InvalidArgument,
                 QStringLiteral("the vault path '%1' is not absolute; the service cannot know which directory "
                                "it is relative to")
                     .arg(path),
                 0};
}
} // namespace

Result<VaultHost*> Service::openHost(const QString& rawPath, const SecureBuffer* passphrase, bool create,
                                     bool acceptRestore) {
    const QString path = QFileInfo(rawPath).absoluteFilePath();
    if (m_options.systemMode && path != QFileInfo(m_options.defaultVault).absoluteFilePath())
        return Error{Errc::NotPermitted,
                     QStringLiteral("in system mode gatehoused serves %1 only").arg(m_options.defaultVault), 0};
    std::lock_guard guard(m_hostsLock);
    for (auto it = m_hosts.begin(); it != m_hosts.end(); ++it) {
        VaultHost& h = **it;
        if (h.path != path)
            continue;
        // The file was deleted or replaced under the service (e.g. restored from a backup):
        // forget the old handle and open what is there now.
        if (h.gh->isOpen() && fileIdentity(path) == h.fileId) {
            if (create)
                return Errc::VaultExists;
            // Each client's open rechecks the open vault (Gatehouse::recheckVault: the file still a
            // vault, the key still in its store and still the vault's) without reopening it, so
            // damage or a changed key is reported at once instead of at the next restart. A vault
            // that fails the check is quarantined; calls in flight keep their handle until they finish.
            if (Status s = h.gh->recheckVault(); !s) {
                quarantine(std::move(*it));
                m_hosts.erase(it);
                return s.error();
            }
            return &h;
        }
        quarantine(std::move(*it));
        m_hosts.erase(it);
        break;
    }
    auto host = std::make_shared<VaultHost>();
    host->path = path;
    host->gh = std::make_unique<Gatehouse>(m_options.services);
    Status s = create ? host->gh->createVault(path, passphrase) : host->gh->openVault(path, passphrase, acceptRestore);
    if (!s)
        return s.error();
    if (!create) {
        // Secrets are never persisted: sessions of an earlier service instance cannot be used (SES-02).
        (void)host->gh->sessions().endAllSessions(QStringLiteral("service restarted"));
    }
    host->objectPath = objectPathFor(path);
    host->fileId = fileIdentity(path);
    for (const QString& problem : host->gh->authority().problems())
        std::fprintf(stderr, "gatehoused: application permissions refused: %s\n", qPrintable(problem));
    m_hosts.push_back(std::move(host));
    return m_hosts.back().get();
}

void Service::quarantine(std::shared_ptr<VaultHost> host) {
    // Closing the connection would checkpoint its write-ahead log into a file that was damaged or
    // replaced under us (SQLCipher 3.4 predates SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE), so a handle the
    // service stops trusting is never closed: this process never writes to that file again.
    static std::mutex lock;
    static auto* kept = new std::vector<std::shared_ptr<VaultHost>>();
    std::lock_guard guard(lock);
    kept->push_back(std::move(host));
}

CallerOrigin Service::originOf(const QString& sender) {
    {
        std::lock_guard guard(m_originsLock);
        auto it = m_origins.constFind(sender);
        if (it != m_origins.constEnd())
            return *it;
    }
    CallerOrigin o;
    if (QDBusConnectionInterface* iface = m_bus.interface()) {
        auto uid = iface->serviceUid(sender);
        auto pid = iface->servicePid(sender);
        if (uid.isValid() && pid.isValid()) {
            o.known = true;
            o.uid = uid.value();
            o.pid = pid.value();
            o.program = readProc(o.pid, "comm");
            o.tty = ttyOf(o.pid);
            o.seat = seatOf(o.pid);
            o.peer = sender;
        }
    }
    std::lock_guard guard(m_originsLock);
    m_origins.insert(sender, o);
    return o;
}

void Service::onNameOwnerChanged(const QString& name, const QString&, const QString& newOwner) {
    if (newOwner.isEmpty() && name.startsWith(QLatin1Char(':'))) {
        {
            std::lock_guard guard(m_originsLock);
            m_origins.remove(name);
        }
        agentOrApplicationGone(name);
    }
}

QString Service::introspect(const QString& path) const {
    QString xml;
    QXmlStreamWriter w(&xml);
    w.setAutoFormatting(true);
    const bool root = path == dbus::kPath;
    for (auto it = m_methods.constBegin(); it != m_methods.constEnd(); ++it) {
        if (it.key() == dbus::kManager && !root)
            continue;
        w.writeStartElement(QStringLiteral("interface"));
        w.writeAttribute(QStringLiteral("name"), it.key());
        for (auto m = it.value().constBegin(); m != it.value().constEnd(); ++m) {
            w.writeStartElement(QStringLiteral("method"));
            w.writeAttribute(QStringLiteral("name"), m.key());
            int n = 0;
            auto args = [&](const QString& sig, const char* dir) {
                // Splits a signature into complete types (a{sv}, av, ay, s …).
                int i = 0;
                while (i < sig.size()) {
                    int j = i;
                    int depth = 0;
                    do {
                        const QChar c = sig.at(j);
                        if (c == QLatin1Char('{') || c == QLatin1Char('('))
                            ++depth;
                        else if (c == QLatin1Char('}') || c == QLatin1Char(')'))
                            --depth;
                        ++j;
                    } while (j < sig.size() && (depth > 0 || sig.at(j - 1) == QLatin1Char('a')));
                    w.writeStartElement(QStringLiteral("arg"));
                    w.writeAttribute(QStringLiteral("name"), m->names.value(n, QStringLiteral("arg%1").arg(n)));
                    w.writeAttribute(QStringLiteral("type"), sig.mid(i, j - i));
                    w.writeAttribute(QStringLiteral("direction"), QLatin1String(dir));
                    w.writeEndElement();
                    ++n;
                    i = j;
                }
            };
            args(m->in, "in");
            args(m->out, "out");
            w.writeEndElement();
        }
        if (it.key() == dbus::kAuthority) {
            auto signal = [&w](const QString& name, const QStringList& argNames) {
                w.writeStartElement(QStringLiteral("signal"));
                w.writeAttribute(QStringLiteral("name"), name);
                for (const QString& a : argNames) {
                    w.writeEmptyElement(QStringLiteral("arg"));
                    w.writeAttribute(QStringLiteral("name"), a);
                    w.writeAttribute(QStringLiteral("type"), QStringLiteral("s"));
                }
                w.writeEndElement();
            };
            signal(QStringLiteral("SessionEnded"), {QStringLiteral("session_id"), QStringLiteral("reason")});
            signal(QStringLiteral("PermissionsChanged"), {QStringLiteral("session_id")});
        }
        if (it.key() == dbus::kSessions) {
            w.writeStartElement(QStringLiteral("signal"));
            w.writeAttribute(QStringLiteral("name"), QStringLiteral("SessionEnded"));
            w.writeEmptyElement(QStringLiteral("arg"));
            w.writeAttribute(QStringLiteral("name"), QStringLiteral("sessionId"));
            w.writeAttribute(QStringLiteral("type"), QStringLiteral("s"));
            w.writeEmptyElement(QStringLiteral("arg"));
            w.writeAttribute(QStringLiteral("name"), QStringLiteral("reason"));
            w.writeAttribute(QStringLiteral("type"), QStringLiteral("s"));
            w.writeEndElement();
            w.writeStartElement(QStringLiteral("signal"));
            w.writeAttribute(QStringLiteral("name"), QStringLiteral("PermissionsChanged"));
            w.writeEmptyElement(QStringLiteral("arg"));
            w.writeAttribute(QStringLiteral("name"), QStringLiteral("username"));
            w.writeAttribute(QStringLiteral("type"), QStringLiteral("s"));
            w.writeEndElement();
        }
        w.writeEndElement();
    }
    return xml;
}

bool Service::handleMessage(const QDBusMessage& message, const QDBusConnection&) {
    if (message.type() != QDBusMessage::MethodCallMessage)
        return false;
    const QString iface = message.interface();
    const QString member = message.member();
    const QString path = message.path();
    auto ifaceIt = m_methods.constFind(iface);
    if (ifaceIt == m_methods.constEnd() || (iface == dbus::kManager && path != dbus::kPath))
        return false; // QtDBus answers UnknownInterface/UnknownMethod
    auto methodIt = ifaceIt->constFind(member);
    if (methodIt == ifaceIt->constEnd())
        return false;
    const Method& method = *methodIt;
    if (message.signature() != method.in) {
        m_bus.send(message.createErrorReply(
            QDBusError::InvalidArgs,
            QStringLiteral("%1.%2 takes (%3), not (%4)").arg(iface, member, method.in, message.signature())));
        return true;
    }

    std::shared_ptr<VaultHost> host;
    if (iface != dbus::kManager) {
        std::lock_guard guard(m_hostsLock);
        for (auto& h : m_hosts)
            if (h->objectPath == path)
                host = h;
        if (!host) {
            m_bus.send(errorReply(message,
                                  Error{Errc::VaultNotFound,
                                        QStringLiteral("no vault is open at %1: call OpenVault first").arg(path), 0}));
            return true;
        }
    }

    const QString sender = message.service();
    CallerOrigin origin = originOf(sender);
    if (!origin.known) {
        m_bus.send(
            errorReply(message, Error{Errc::NotPermitted, QStringLiteral("the caller's credentials are unknown"), 0}));
        return true;
    }
    if (!m_options.systemMode && origin.uid != ::getuid()) {
        // Session mode serves one person: the bus should never let another uid in, but check.
        m_bus.send(errorReply(
            message, Error{Errc::NotPermitted, QStringLiteral("session-mode gatehoused serves its own user only"), 0}));
        return true;
    }

    // Beyond the caller's share: refused now, not queued behind its own flood (calllimits.h).
    if (!method.onLoop) {
        if (Status admitted = m_limits.admit(origin.uid, sender); !admitted) {
            m_bus.send(errorReply(message, admitted.error()));
            return true;
        }
    }

    QVariantList args;
    for (const QVariant& a : message.arguments())
        args << wire::plain(a);

    auto run = [this, message, iface, member, host, sender, origin, args = std::move(args), handler = method.run,
                counted = !method.onLoop]() mutable {
        OriginScope scope(origin);
        if (m_options.beforeCall)
            m_options.beforeCall();
        Call call{*this, message, std::move(args), origin, sender, host.get(), host, false, {}};
        Reply r = iface == dbus::kManager ? manager(call, member) : handler(call);
        if (counted)
            m_limits.release(origin.uid, sender);
        if (call.deferred) {
            // answered by the handler, now or later
        } else if (call.later) {
            defer(message, std::move(call.later));
        } else if (r) {
            m_bus.send(message.createReply(*r));
        } else {
            m_bus.send(errorReply(message, r.error()));
        }
        // Wipe what this worker can reach of the secrets the call carried.
        for (QVariant& a : call.args)
            if (a.metaType() == QMetaType::fromType<QByteArray>()) {
                QByteArray bytes = a.toByteArray();
                a = QVariant();
                wipe(bytes);
            }
    };
    if (method.onLoop) {
        run();
    } else {
        message.setDelayedReply(true);
        m_pool.start(std::move(run));
    }
    return true;
}

void Service::defer(const QDBusMessage& message, std::function<Reply()> work) {
    if (m_deferred.fetch_add(1) >= kMaxDeferred) {
        m_deferred.fetch_sub(1);
        m_bus.send(errorReply(message, Error{Errc::ServiceBusy, QStringLiteral("too many checks waiting"), 1}));
        return;
    }
    message.setDelayedReply(true);
    m_checks.start([this, message, work = std::move(work)] {
        Reply r = work();
        m_deferred.fetch_sub(1);
        if (r)
            m_bus.send(message.createReply(*r));
        else
            m_bus.send(errorReply(message, r.error()));
    });
}

Reply Service::manager(Call& call, const QString& member) {
    if (member == QLatin1String("DefaultVault"))
        return QVariantList{m_options.defaultVault};
    if (member == QLatin1String("VaultState")) {
        if (auto relative = relativeVaultPath(call.str(0)))
            return *relative;
        const QString path = QFileInfo(call.str(0)).absoluteFilePath();
        // Not an oracle for files the service's user can read: system mode answers for its vault only.
        if (m_options.systemMode && path != QFileInfo(m_options.defaultVault).absoluteFilePath())
            return Error{Errc::NotPermitted,
                         QStringLiteral("in system mode gatehoused serves %1 only").arg(m_options.defaultVault), 0};
        bool open = false;
        {
            std::lock_guard guard(m_hostsLock);
            for (auto& h : m_hosts)
                open = open || (h->path == path && h->fileId == fileIdentity(path));
        }
        return QVariantList{QVariantMap{{QStringLiteral("exists"), Gatehouse::vaultExists(path)},
                                        {QStringLiteral("keySource"), int(Gatehouse::keySourceOf(path))},
                                        {QStringLiteral("open"), open}}};
    }
    if (member == QLatin1String("KeychainAvailable"))
        return QVariantList{m_probe->keychainAvailable()};
    if (member == QLatin1String("CreateVault") || member == QLatin1String("OpenVault")) {
        if (auto relative = relativeVaultPath(call.str(0)))
            return *relative;
        SecureBuffer pass = call.secret(1);
        auto host = openHost(call.str(0), call.flag(2) ? &pass : nullptr, member == QLatin1String("CreateVault"));
        if (!host)
            return host.error();
        return QVariantList{QVariant::fromValue(QDBusObjectPath((*host)->objectPath)), vaultFacts(**host)};
    }
    if (member == QLatin1String("AcceptRestore")) {
        if (call.caller.uid != ::getuid() && call.caller.uid != 0)
            return Error{Errc::NotPermitted,
                         QStringLiteral("only root or the service's own user may accept a restored vault"), 0};
        if (auto relative = relativeVaultPath(call.str(0)))
            return *relative;
        SecureBuffer pass = call.secret(1);
        auto host = openHost(call.str(0), call.flag(2) ? &pass : nullptr, false, true);
        if (!host)
            return host.error();
        return QVariantList{QVariant::fromValue(QDBusObjectPath((*host)->objectPath)), vaultFacts(**host)};
    }
    return Error{Errc::InvalidArgument, member, 0};
}

void Service::sendSignal(const Binding& to, const QString& objectPath, const QString& member,
                         const QVariantList& args) {
    // An application's session hears from io.gatehouse.Authority1, a person's from Sessions.
    const QString& iface = to.appId.isEmpty() ? dbus::kSessions : dbus::kAuthority;
    QDBusMessage signal = QDBusMessage::createTargetedSignal(to.holder, objectPath, iface, member);
    signal.setArguments(args);
    m_bus.send(signal);
}

void Service::announceEnded(VaultHost& vault) {
    QStringList ids;
    {
        std::lock_guard guard(vault.lock);
        ids = vault.sessions.keys();
    }
    if (ids.isEmpty())
        return;
    const QHash<QString, QString> ended = vault.gh->sessions().endedAmong(ids);
    const QString& path = vault.objectPath;
    for (auto it = ended.constBegin(); it != ended.constEnd(); ++it) {
        Binding b;
        {
            std::lock_guard guard(vault.lock);
            b = vault.sessions.take(it.key());
        }
        if (!b.holder.isEmpty())
            sendSignal(b, path, QStringLiteral("SessionEnded"), {it.key(), it.value()});
    }
}

void Service::announcePermissions(VaultHost& vault, const QString& username) {
    QList<Binding> to;
    const QStringList apps = vault.gh->authority().changedScopes();
    const QString& path = vault.objectPath;
    {
        std::lock_guard guard(vault.lock);
        for (const Binding& b : std::as_const(vault.sessions))
            if (b.appId.isEmpty() && (username.isEmpty() || b.username == username))
                to << b;
        for (const QString& id : apps)
            if (auto it = vault.sessions.constFind(id); it != vault.sessions.constEnd() && !it->holder.isEmpty())
                sendSignal(*it, path, QStringLiteral("PermissionsChanged"), {id});
    }
    QSet<QString> sent;
    for (const Binding& b : to)
        if (!sent.contains(b.holder + b.username)) {
            sent.insert(b.holder + b.username);
            sendSignal(b, path, QStringLiteral("PermissionsChanged"), {b.username});
        }
}

} // namespace gh::service
