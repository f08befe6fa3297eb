#include "securebuffer.h"

#include <sodium.h>

#include <cstring>
#include <new>

namespace gh {

SecureBuffer::SecureBuffer(std::size_t size) {
    if (size == 0)
        return;
    // sodium_malloc needs an initialised libsodium; sodium_init is idempotent and thread-safe.
    static const bool initialised = sodium_init() >= 0;
    if (!initialised)
        throw std::bad_alloc();
    m_data = static_cast<unsigned char*>(sodium_malloc(size));
    if (!m_data)
        throw std::bad_alloc();
    sodium_memzero(m_data, size);
    m_size = size;
}

SecureBuffer::SecureBuffer(const char* data, std::size_t size) : SecureBuffer(size) {
    if (size)
        std::memcpy(m_data, data, size);
}

SecureBuffer SecureBuffer::fromUtf8(const QString& text) {
    QByteArray utf8 = text.toUtf8();
    SecureBuffer out(utf8.constData(), static_cast<std::size_t>(utf8.size()));
    wipe(utf8);
    return out;
}

SecureBuffer SecureBuffer::fromBytes(const QByteArray& bytes) {
    return SecureBuffer(bytes.constData(), static_cast<std::size_t>(bytes.size()));
}

SecureBuffer::~SecureBuffer() {
    release();
}

void SecureBuffer::release() {
    if (m_data)
        sodium_free(m_data); // wipes before freeing
    m_data = nullptr;
    m_size = 0;
}

SecureBuffer::SecureBuffer(SecureBuffer&& other) noexcept : m_data(other.m_data), m_size(other.m_size) {
    other.m_data = nullptr;
    other.m_size = 0;
}

SecureBuffer& SecureBuffer::operator=(SecureBuffer&& other) noexcept {
    if (this != &other) {
        release();
        m_data = other.m_data;
        m_size = other.m_size;
        other.m_data = nullptr;
        other.m_size = 0;
    }
    return *this;
}

SecureBuffer SecureBuffer::clone() const {
    return SecureBuffer(chars(), m_size);
}

SecureBuffer SecureBuffer::toHex() const {
    SecureBuffer out(m_size * 2 + 1);
    if (m_size)
        sodium_bin2hex(reinterpret_cast<char*>(out.m_data), out.m_size, m_data, m_size);
    out.m_size = m_size * 2; // drop the terminator from the visible size (still allocated)
    return out;
}

SecureBuffer SecureBuffer::fromHex(const char* hex, std::size_t length, bool* ok) {
    SecureBuffer out(length / 2);
    std::size_t written = 0;
    const char* end = nullptr;
    const bool good = length % 2 == 0 &&
                      sodium_hex2bin(out.m_data, out.m_size, hex, length, nullptr, &written, &end) == 0 &&
                      written == length / 2 && end == hex + length;
    if (ok)
        *ok = good;
    if (!good)
        return {};
    return out;
}

void wipe(QByteArray& bytes) {
    if (!bytes.isEmpty() && !bytes.isDetached()) {
        bytes.clear(); // shared: we cannot touch the other copy; just drop our reference
        return;
    }
    if (!bytes.isEmpty())
        sodium_memzero(bytes.data(), static_cast<std::size_t>(bytes.size()));
    bytes.clear();
}

void wipe(QString& text) {
    if (!text.isEmpty() && text.isDetached())
        sodium_memzero(text.data(), static_cast<std::size_t>(text.size()) * sizeof(QChar));
    text.clear();
}

bool constantTimeEqual(const SecureBuffer& a, const SecureBuffer& b) {
    return a.size() == b.size() && sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

void wipeBytes(void* data, std::size_t size) {
    sodium_memzero(data, size);
}

} // namespace gh
