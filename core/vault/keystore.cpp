#include "keystore.h"

#include <qt6keychain/keychain.h>

#include <QCoreApplication>
#include <QEventLoop>
#include <QTimer>

#include <memory>

namespace gh {

namespace {

// Runs a keychain job to completion or until the timeout, whichever comes first. A job that
// times out is left to finish (or not) on its own; it deletes itself when it does.
bool runJob(QKeychain::Job* job, int timeoutMs) {
    job->setAutoDelete(false);
    QEventLoop loop;
    bool finished = false;
    QObject::connect(job, &QKeychain::Job::finished, &loop, [&] {
        finished = true;
        loop.quit();
    });
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    job->start();
    if (!finished)
        loop.exec(QEventLoop::ExcludeUserInputEvents);
    return finished;
}

template <class J> void dispose(J* job, bool finished) {
    if (finished) {
        delete job;
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

} // namespace

Result<SecureBuffer> SecretServiceKeyStore::read(const QString& entry) {
    auto* job = new QKeychain::ReadPasswordJob(QString::fromLatin1(kService));
    job->setKey(entry);
    const bool finished = runJob(job, m_timeoutMs);
    if (!finished) {
        dispose(job, false);
        return Error{Errc::KeychainUnavailable, QStringLiteral("keychain did not answer in time"), 0};
    }
    if (job->error() != QKeychain::NoError) {
        Error e{mapJobError(job->error()), job->errorString(), 0};
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
    auto* job = new QKeychain::WritePasswordJob(QString::fromLatin1(kService));
    job->setKey(entry);
    SecureBuffer hex = key.toHex();
    QString text = QString::fromLatin1(hex.chars(), static_cast<qsizetype>(hex.size()));
    job->setTextData(text);
    wipe(text);
    const bool finished = runJob(job, m_timeoutMs);
    if (!finished) {
        dispose(job, false);
        return Error{Errc::KeychainUnavailable, QStringLiteral("keychain did not answer in time"), 0};
    }
    const auto error = job->error();
    const QString message = job->errorString();
    dispose(job, true);
    if (error != QKeychain::NoError)
        return Error{Errc::KeychainUnavailable, message, 0};
    return ok();
}

Status SecretServiceKeyStore::remove(const QString& entry) {
    auto* job = new QKeychain::DeletePasswordJob(QString::fromLatin1(kService));
    job->setKey(entry);
    const bool finished = runJob(job, m_timeoutMs);
    if (!finished) {
        dispose(job, false);
        return Error{Errc::KeychainUnavailable, QStringLiteral("keychain did not answer in time"), 0};
    }
    const auto error = job->error();
    dispose(job, true);
    if (error != QKeychain::NoError && error != QKeychain::EntryNotFound)
        return Error{mapJobError(error), {}, 0};
    return ok();
}

QString SecretServiceKeyStore::describe() const {
    return QStringLiteral("system keychain (Secret Service)");
}

} // namespace gh
