// Where the vault key lives. The production store is the Secret Service through QtKeychain; the
// key is kept as 64 hex characters so an administrator can open the vault with the stock
// `sqlcipher` shell (README: break-glass). Keychain jobs run with our own timeout because they
// can hang when no keyring answers.
#pragma once

#include "../crypto/securebuffer.h"
#include "../errors.h"

#include <QByteArray>
#include <QString>

#include <optional>

namespace gh {

class KeyStore {
public:
    virtual ~KeyStore() = default;
    virtual Result<SecureBuffer> read(const QString& entry) = 0; // the 32-byte key
    virtual Status write(const QString& entry, const SecureBuffer& key) = 0;
    virtual Status remove(const QString& entry) = 0;
    virtual QString describe() const = 0; // where keys are kept, for people

    // The vault's anti-rollback anchor (anchor.h), kept where its key is. nullopt: none stored.
    virtual Result<std::optional<QByteArray>> readAnchor(const QString& entry) = 0;
    virtual Status writeAnchor(const QString& entry, const QByteArray& anchor) = 0;
    // True when a write is a slow round trip (the Secret Service over D-Bus): the vault then
    // writes its anchor from a background thread, newest state first, coalescing commits that
    // come faster than the store answers, instead of inside every commit.
    virtual bool slowAnchorWrites() const { return false; }
};

class SecretServiceKeyStore final : public KeyStore {
public:
    static constexpr const char* kService = "Gatehouse";
    explicit SecretServiceKeyStore(int timeoutMs = 10000) : m_timeoutMs(timeoutMs) {}
    Result<SecureBuffer> read(const QString& entry) override;
    Status write(const QString& entry, const SecureBuffer& key) override;
    Status remove(const QString& entry) override;
    QString describe() const override;
    Result<std::optional<QByteArray>> readAnchor(const QString& entry) override;
    Status writeAnchor(const QString& entry, const QByteArray& anchor) override;
    // Written inside every commit, before the call returns, although it is a D-Bus round trip: with
    // writes from a background thread a kill -9 right after a reply, followed by a damaged
    // write-ahead log, lost a reported commit without a trace (tests/fault). Measured: README.
    bool slowAnchorWrites() const override { return false; }

private:
    // The jobs themselves, run on the keychain thread (keystore.cpp).
    Result<SecureBuffer> readHere(const QString& entry);
    Status writeHere(const QString& entry, const SecureBuffer& key);
    Status removeHere(const QString& entry);
    Result<std::optional<QByteArray>> readAnchorHere(const QString& entry);
    Status writeTextHere(const QString& entry, QString text);
    int m_timeoutMs;
};

} // namespace gh
