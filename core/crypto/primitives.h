// Small primitive wrappers: constant-time comparison, hashes, key derivation for subkeys.
#pragma once

#include "securebuffer.h"

#include <QByteArray>

#include <cstddef>
#include <cstdint>
#include <memory>

namespace gh::crypto {

// Zeroes memory in a way the compiler cannot drop (sodium_memzero).
void wipeBytes(void* data, std::size_t size);

// Must be called once before anything else here (idempotent, thread-safe).
bool initialise();

// Constant-time equality; different lengths compare unequal (length is not secret).
bool constantTimeEqual(const unsigned char* a, std::size_t aLen, const unsigned char* b, std::size_t bLen);
bool constantTimeEqual(const QByteArray& a, const QByteArray& b);

QByteArray sha256(const unsigned char* data, std::size_t size);
inline QByteArray sha256(const QByteArray& data) {
    return sha256(reinterpret_cast<const unsigned char*>(data.constData()), static_cast<std::size_t>(data.size()));
}
// Keyed BLAKE2b-256 (a MAC).
QByteArray mac(const SecureBuffer& key, const QByteArray& message);
// A 32-byte subkey for a named purpose (libsodium crypto_kdf; context is 8 characters).
SecureBuffer deriveSubkey(const SecureBuffer& masterKey, std::uint64_t id, const char context[8]);

// Keyed BLAKE2b-256 with the key absorbed once: compute() gives exactly mac(key, message), but
// many messages under one key (the audit chain) skip the key block each time. The state is
// key material and is wiped on destruction.
class MacKey {
public:
    explicit MacKey(const SecureBuffer& key);
    ~MacKey();
    MacKey(const MacKey&) = delete;
    MacKey& operator=(const MacKey&) = delete;
    static constexpr std::size_t kBytes = 32;
    void compute(const char* data, std::size_t size, unsigned char out[kBytes]) const;
    QByteArray compute(const QByteArray& message) const;

private:
    struct State;
    std::unique_ptr<State> m_state;
};

} // namespace gh::crypto
