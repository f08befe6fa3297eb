#include "keystore.h"

#include "vault/keychainwait.h"

#include <qt6keychain/keychain.h>

#include <QCoreApplication>
#include <QDBusConnection>
#include <QDBusConnectionInterface>
#include <QDBusMessage>
#include <QDBusVariant>
#include <QEventLoop>
#include <QThread>

#include <QTimer>
#include <mutex>
#include <optional>

#include <memory>

namespace gh {

namespace {

// QtKeychain's Secret Service backend is not safe for jobs started from several threads (the
// service runs calls on a worker pool; it crashed in QObject::disconnect with two at once): every
// job runs on one thread, one at a time. The thread lives as long as the process (it is
// never joined: a job that timed out may still be waiting on it).
struct KeychainThread {
    std::mutex lock;
    QObject* context = nullptr;
};

// One for the process (not per template instantiation below: QtKeychain's job queue is a
// singleton that lives in the thread of its first job, so every job must come from that thread).
KeychainThread& keychainThread() {
    static KeychainThread* k = [] {
        auto* kt = new KeychainThread;
        auto* thread = new QThread;
        thread->setObjectName(QStringLiteral("keychain"));
        thread->start();
        kt->context = new QObject;
        kt->context->moveToThread(thread);
        return kt;
    }();
    return *k;
}

template <class F> auto onKeychainThread(F work) -> decltype(work()) {
    KeychainThread& k = keychainThread();
    QObject* context = k.context;
    std::lock_guard guard(k.lock);
    if (QThread::currentThread() == context->thread())
        return work();
    std::optional<decltype(work())> result;
    QMetaObject::invokeMethod(
        context, [&] { result.emplace(work()); }, Qt::BlockingQueuedConnection);
    return std::move(*result);
}

// Runs a keychain job to completion or until the wait policy gives up (keychainwait.h: the
// timeout counts only while no keyring prompt is open). A job given up on is left to finish (or
// not) on its own; it deletes itself when it does.
bool runJob(QKeychain::Job* job, int timeoutMs) {
    job->setAutoDelete(false);
    KeychainWaitPolicy policy;
    policy.timeoutMs = timeoutMs;
    policy.onPrompt = [](bool open) {
        if (open)
            qInfo("gatehouse: waiting for the keyring's password prompt");
    };
    return waitForKeychain(
        [job](std::function<void()> done) {
            QObject::connect(job, &QKeychain::Job::finished, job, [done = std::move(done)] { done(); });
            job->start();
        },
        policy);
}

template <class J> void dispose(J* job, bool finished) {
    if (finished) {
        // Not `delete`: QtKeychain may still have an event queued for the job after finished()
        // (a crash in its QObject::disconnect showed it); deleteLater runs after those.
        job->deleteLater();
    } else {
        job->setAutoDelete(true); // QtKeychain deletes it if the backend ever answers
    }
}

Errc mapJobError(QKeychain::Error error) {
    switch (error) {
    case QKeychain::EntryNotFound:
        return Errc::KeyMissing;
    case QKeychain::NoBackendAvailable:
    case QKeychain::NotImplemented:
    case QKeychain::AccessDenied:
    case QKeychain::AccessDeniedByUser:
        return Errc::KeychainUnavailable;
    default:
        return Errc::KeychainUnavailable;
    }
}

// QtKeychain says only "not found" or "no answer" when the keyring is locked (libsecret's unlock
// prompt was dismissed or never shown), and the same when no Secret Service exists at all. Asks
// the bus which it was, so that a locked keyring, a missing entry and a missing Secret Service
// each get their own message. Reads one property; never prompts.
Error explainFailure(Error fallback) {
    static const QString kSecrets = QStringLiteral("org.freedesktop.secrets");
    QDBusConnection bus = QDBusConnection::sessionBus();
    QDBusConnectionInterface* names = bus.isConnected() ? bus.interface() : nullptr;
    if (!names)
        return Error{Errc::KeychainUnavailable, QStringLiteral("no D-Bus session bus"), 0};
    const auto owned = names->isServiceRegistered(kSecrets);
    if (!owned.isValid() || !owned.value()) {
        const auto activatable = names->activatableServiceNames();
        if (!activatable.isValid() || !activatable.value().contains(kSecrets))
            return Error{Errc::KeychainUnavailable,
                         QStringLiteral("no Secret Service on the session bus (nothing owns %1)").arg(kSecrets), 0};
    }
    QDBusMessage get =
        QDBusMessage::createMethodCall(kSecrets, QStringLiteral("/org/freedesktop/secrets/aliases/default"),
                                       QStringLiteral("org.freedesktop.DBus.Properties"), QStringLiteral("Get"));
    get << QStringLiteral("org.freedesktop.Secret.Collection") << QStringLiteral("Locked");
    const QDBusMessage reply = bus.call(get, QDBus::Block, 2000);
    if (reply.type() == QDBusMessage::ReplyMessage && !reply.arguments().isEmpty() &&
        reply.arguments().first().value<QDBusVariant>().variant().toBool())
        return Error{Errc::KeychainLocked, QStringLiteral("the default keyring is locked (%1)").arg(fallback.detail),
                     0};
    return fallback;
}

// A job's failure, explained when it may be a locked keyring or a missing Secret Service.
Error jobFailure(QKeychain::Error error, const QString& message) {
    Error e{mapJobError(error), message, 0};
    return error == QKeychain::OtherError ? e : explainFailure(e);
}

Error noAnswer() {
    return explainFailure(Error{Errc::KeychainUnavailable, QStringLiteral("keychain did not answer in time"), 0});
}

} // namespace

Result<SecureBuffer> SecretServiceKeyStore::read(const QString& entry) {
    return onKeychainThread([&] { return readHere(entry); });
}

Result<SecureBuffer> SecretServiceKeyStore::readHere(const QString& entry) {
    auto* job = new QKeychain::ReadPasswordJob(QString::fromLatin1(kService));
    job->setKey(entry);
    const bool finished = runJob(job, m_timeoutMs);
    if (!finished) {
        dispose(job, false);
        return noAnswer();
    }
    if (job->error() != QKeychain::NoError) {
        Error e = jobFailure(job->error(), job->errorString());
        dispose(job, true);
        return e;
    }
    QByteArray hex = job->binaryData(); // stored as text: 64 hex characters
    dispose(job, true);
    bool good = false;
    SecureBuffer key = SecureBuffer::fromHex(hex.constData(), static_cast<std::size_t>(hex.size()), &good);
    wipe(hex);
    if (!good || key.size() != 32)
        return Error{Errc::VaultWrongKey, QStringLiteral("keychain entry is not a 64-hex-digit key"), 0};
    return key;
}

Status SecretServiceKeyStore::write(const QString& entry, const SecureBuffer& key) {
    return onKeychainThread([&] { return writeHere(entry, key); });
}

Status SecretServiceKeyStore::writeHere(const QString& entry, const SecureBuffer& key) {
    SecureBuffer hex = key.toHex();
    return writeTextHere(entry, QString::fromLatin1(hex.chars(), static_cast<qsizetype>(hex.size())));
}

Status SecretServiceKeyStore::writeTextHere(const QString& entry, QString text) {
    auto* job = new QKeychain::WritePasswordJob(QString::fromLatin1(kService));
    job->setKey(entry);
    job->setTextData(text);
    wipe(text);
    const bool finished = runJob(job, m_timeoutMs);
    if (!finished) {
        dispose(job, false);
        return noAnswer();
    }
    const auto error = job->error();
    const QString message = job->errorString();
    dispose(job, true);
    if (error != QKeychain::NoError)
        return jobFailure(error, message);
    return ok();
}

Result<std::optional<QByteArray>> SecretServiceKeyStore::readAnchor(const QString& entry) {
    return onKeychainThread([&] { return readAnchorHere(entry); });
}

Result<std::optional<QByteArray>> SecretServiceKeyStore::readAnchorHere(const QString& entry) {
    auto* job = new QKeychain::ReadPasswordJob(QString::fromLatin1(kService));
    job->setKey(entry);
    const bool finished = runJob(job, m_timeoutMs);
    if (!finished) {
        dispose(job, false);
        return noAnswer();
    }
    const auto error = job->error();
    if (error == QKeychain::EntryNotFound) {
        dispose(job, true);
        // Not found in a locked keyring is not "no anchor".
        if (Error e = explainFailure(Error{Errc::KeyMissing, {}, 0}); e.code == Errc::KeychainLocked)
            return e;
        return std::optional<QByteArray>();
    }
    if (error != QKeychain::NoError) {
        Error e = jobFailure(error, job->errorString());
        dispose(job, true);
        return e;
    }
    QByteArray data = job->binaryData();
    dispose(job, true);
    return std::optional<QByteArray>(data);
}

Status SecretServiceKeyStore::writeAnchor(const QString& entry, const QByteArray& anchor) {
    return onKeychainThread([&] { return writeTextHere(entry, QString::fromLatin1(anchor)); });
}

Status SecretServiceKeyStore::remove(const QString& entry) {
    return onKeychainThread([&] { return removeHere(entry); });
}

Status SecretServiceKeyStore::removeHere(const QString& entry) {
    auto* job = new QKeychain::DeletePasswordJob(QString::fromLatin1(kService));
    job->setKey(entry);
    const bool finished = runJob(job, m_timeoutMs);
    if (!finished) {
        dispose(job, false);
        return noAnswer();
    }
    const auto error = job->error();
    dispose(job, true);
    if (error != QKeychain::NoError && error != QKeychain::EntryNotFound)
        return jobFailure(error, {});
    return ok();
}

QString SecretServiceKeyStore::describe() const {
    return QStringLiteral("system keychain (Secret Service)");
}

} // namespace gh
