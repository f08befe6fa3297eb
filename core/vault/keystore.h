// Where the vault key lives. The production store is the Secret Service through QtKeychain; the
// key is kept as 64 hex characters so an administrator can open the vault with the stock
// `sqlcipher` shell (README: break-glass). Keychain jobs run with our own timeout because they
// can hang when no keyring answers.
#pragma once

#include "../crypto/securebuffer.h"
#include "../errors.h"

#include <QString>

namespace gh {

class KeyStore {
public:
    virtual ~KeyStore() = default;
    virtual Result<SecureBuffer> read(const QString& entry) = 0; // the 32-byte key
    virtual Status write(const QString& entry, const SecureBuffer& key) = 0;
    virtual Status remove(const QString& entry) = 0;
    virtual QString describe() const = 0; // where keys are kept, for people
};

class SecretServiceKeyStore final : public KeyStore {
public:
    static constexpr const char* kService = "Gatehouse";
    explicit SecretServiceKeyStore(int timeoutMs = 10000) : m_timeoutMs(timeoutMs) {}
    Result<SecureBuffer> read(const QString& entry) override;
    Status write(const QString& entry, const SecureBuffer& key) override;
    Status remove(const QString& entry) override;
    QString describe() const override;

private:
    // The jobs themselves, run on the keychain thread (keystore.cpp).
    Result<SecureBuffer> readHere(const QString& entry);
    Status writeHere(const QString& entry, const SecureBuffer& key);
    Status removeHere(const QString& entry);
    int m_timeoutMs;
};

} // namespace gh
