#include "credentialkeystore.h"

#include "vault/anchor.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>

namespace gh::service {

namespace {

Result<SecureBuffer> load(const QString& path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return Error{Errc::KeyMissing, QStringLiteral("%1 cannot be read").arg(path), 0};
    SecureBuffer raw(std::size_t(qMax<qint64>(f.size(), 0)) + 1);
    const qint64 n = f.read(reinterpret_cast<char*>(raw.data()), qint64(raw.size()));
    if (n <= 0)
        return Error{Errc::KeyMissing, QStringLiteral("%1 is empty").arg(path), 0};
    std::size_t len = std::size_t(n);
    while (len > 0 && (raw.data()[len - 1] == '\n' || raw.data()[len - 1] == ' '))
        --len;
    if (len == 32)
        return SecureBuffer(raw.chars(), 32);
    if (len == 64) {
        bool ok = false;
        SecureBuffer key = SecureBuffer::fromHex(raw.chars(), 64, &ok);
        if (ok)
            return key;
    }
    return Error{Errc::KeyMissing, QStringLiteral("%1 holds no 256-bit key (32 bytes or 64 hex digits)").arg(path), 0};
}

} // namespace

QString CredentialKeyStore::credentialPath() const {
    const QString dir = qEnvironmentVariable("CREDENTIALS_DIRECTORY");
    return dir.isEmpty() ? QString() : dir + QStringLiteral("/vault-key");
}

Result<SecureBuffer> CredentialKeyStore::read(const QString&) {
    const QString cred = credentialPath();
    if (!cred.isEmpty() && QFile::exists(cred))
        return load(cred);
    return load(m_keyFile);
}

Status CredentialKeyStore::write(const QString&, const SecureBuffer& key) {
    // A new vault: its key goes to the 0600 file; `systemd-creds encrypt` can then seal it into a
    // credential (README, system mode), after which the file is deleted.
    QSaveFile f(m_keyFile);
    if (!f.open(QIODevice::WriteOnly))
        return Error{Errc::VaultIo, QStringLiteral("%1 cannot be written").arg(m_keyFile), 0};
    f.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    SecureBuffer hex = key.toHex();
    if (f.write(hex.chars(), qint64(hex.size())) != qint64(hex.size()) || !f.commit())
        return Error{Errc::VaultIo, QStringLiteral("%1 cannot be written").arg(m_keyFile), 0};
    return ok();
}

Status CredentialKeyStore::remove(const QString&) {
    if (QFile::exists(m_keyFile) && !QFile::remove(m_keyFile))
        return Error{Errc::VaultIo, QStringLiteral("%1 cannot be removed").arg(m_keyFile), 0};
    return ok();
}

QString CredentialKeyStore::describe() const {
    const QString cred = credentialPath();
    if (!cred.isEmpty() && QFile::exists(cred))
        return QStringLiteral("systemd credential vault-key");
    return QStringLiteral("key file %1 (owner only)").arg(m_keyFile);
}

QString CredentialKeyStore::anchorPath() const {
    return QFileInfo(m_keyFile).absolutePath() + QStringLiteral("/vault.anchor");
}

Result<std::optional<QByteArray>> CredentialKeyStore::readAnchor(const QString&) {
    return anchor::readFile(anchorPath());
}

Status CredentialKeyStore::writeAnchor(const QString&, const QByteArray& data) {
    return anchor::writeFileDurably(anchorPath(), data);
}

} // namespace gh::service
