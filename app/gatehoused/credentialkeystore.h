// System mode's key store: the vault key is a systemd credential (`LoadCredentialEncrypted=` in
// the unit, sealed to the TPM2 when there is one, else to the host key), read from
// $CREDENTIALS_DIRECTORY/vault-key; without a credential, a 0600 file beside the vault that only
// the gatehouse user can read. Never a desktop keychain. The key is 32 raw bytes or 64 hex digits;
// it is read into wiping buffers only (never a QString).
#pragma once

#include "vault/keystore.h"

namespace gh::service {

class CredentialKeyStore final : public KeyStore {
public:
    explicit CredentialKeyStore(QString keyFile) : m_keyFile(std::move(keyFile)) {}
    Result<SecureBuffer> read(const QString& entry) override;
    Status write(const QString& entry, const SecureBuffer& key) override;
    Status remove(const QString& entry) override;
    QString describe() const override;
    // The anchor lives in the state directory beside the key file (the credentials directory is
    // read-only): written on every commit with fsync + rename, 0600.
    Result<std::optional<QByteArray>> readAnchor(const QString& entry) override;
    Status writeAnchor(const QString& entry, const QByteArray& anchor) override;
    QString anchorPath() const;

private:
    QString credentialPath() const;
    QString m_keyFile;
};

} // namespace gh::service
