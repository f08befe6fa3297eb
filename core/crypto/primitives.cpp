#include "primitives.h"

#include <sodium.h>

namespace gh::crypto {

void wipeBytes(void* data, std::size_t size) {
    if (data && size)
        sodium_memzero(data, size);
}

bool initialise() {
    return sodium_init() >= 0;
}

bool constantTimeEqual(const unsigned char* a, std::size_t aLen, const unsigned char* b, std::size_t bLen) {
    if (aLen != bLen)
        return false;
    if (aLen == 0)
        return true;
    return sodium_memcmp(a, b, aLen) == 0;
}

bool constantTimeEqual(const QByteArray& a, const QByteArray& b) {
    return constantTimeEqual(reinterpret_cast<const unsigned char*>(a.constData()), static_cast<std::size_t>(a.size()),
                             reinterpret_cast<const unsigned char*>(b.constData()), static_cast<std::size_t>(b.size()));
}

QByteArray sha256(const unsigned char* data, std::size_t size) {
    QByteArray out(crypto_hash_sha256_BYTES, Qt::Uninitialized);
    crypto_hash_sha256(reinterpret_cast<unsigned char*>(out.data()), data, size);
    return out;
}

QByteArray mac(const SecureBuffer& key, const QByteArray& message) {
    QByteArray out(32, Qt::Uninitialized);
    crypto_generichash(reinterpret_cast<unsigned char*>(out.data()), 32,
                       reinterpret_cast<const unsigned char*>(message.constData()),
                       static_cast<unsigned long long>(message.size()), key.data(), key.size());
    return out;
}

SecureBuffer deriveSubkey(const SecureBuffer& masterKey, std::uint64_t id, const char context[8]) {
    SecureBuffer out(32);
    if (masterKey.size() == crypto_kdf_KEYBYTES)
        crypto_kdf_derive_from_key(out.data(), out.size(), id, context, masterKey.data());
    return out;
}

struct MacKey::State {
    crypto_generichash_state keyed;
};

MacKey::MacKey(const SecureBuffer& key) : m_state(std::make_unique<State>()) {
    crypto_generichash_init(&m_state->keyed, key.data(), key.size(), kBytes);
}

MacKey::~MacKey() {
    sodium_memzero(m_state.get(), sizeof(State));
}

void MacKey::compute(const char* data, std::size_t size, unsigned char out[kBytes]) const {
    crypto_generichash_state st = m_state->keyed;
    crypto_generichash_update(&st, reinterpret_cast<const unsigned char*>(data), size);
    crypto_generichash_final(&st, out, kBytes);
    sodium_memzero(&st, sizeof st);
}

QByteArray MacKey::compute(const QByteArray& message) const {
    QByteArray out(static_cast<qsizetype>(kBytes), Qt::Uninitialized);
    compute(message.constData(), static_cast<std::size_t>(message.size()),
            reinterpret_cast<unsigned char*>(out.data()));
    return out;
}

} // namespace gh::crypto
