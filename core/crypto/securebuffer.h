// A move-only byte buffer for secrets (passwords, keys, session secrets). The memory comes from
// sodium_malloc (guard pages, mlock'ed where allowed) and is wiped when the buffer dies.
#pragma once

#include <QByteArray>
#include <QString>

#include <cstddef>

namespace gh {

class SecureBuffer {
public:
    SecureBuffer() = default;
    explicit SecureBuffer(std::size_t size); // zero-filled
    SecureBuffer(const char* data, std::size_t size);
    // Copies the UTF-8 form of a string and wipes the temporary copy. The QString itself cannot
    // be wiped reliably (implicit sharing), so callers drop it as soon as possible.
    static SecureBuffer fromUtf8(const QString& text);
    static SecureBuffer fromBytes(const QByteArray& bytes);
    ~SecureBuffer();

    SecureBuffer(SecureBuffer&& other) noexcept;
    SecureBuffer& operator=(SecureBuffer&& other) noexcept;
    SecureBuffer(const SecureBuffer&) = delete;
    SecureBuffer& operator=(const SecureBuffer&) = delete;

    SecureBuffer clone() const;

    unsigned char* data() { return m_data; }
    // Never null, even when empty, so C APIs that reject null pointers accept an empty secret.
    const unsigned char* data() const { return m_data ? m_data : reinterpret_cast<const unsigned char*>(""); }
    const char* chars() const { return reinterpret_cast<const char*>(data()); }
    std::size_t size() const { return m_size; }
    bool isEmpty() const { return m_size == 0; }

    // Lower-case hex; the result is itself a secret.
    SecureBuffer toHex() const;
    static SecureBuffer fromHex(const char* hex, std::size_t length, bool* ok);

private:
    void release();
    unsigned char* m_data = nullptr;
    std::size_t m_size = 0;
};

// Compares two secrets in time that depends only on their lengths.
bool constantTimeEqual(const SecureBuffer& a, const SecureBuffer& b);
// Zeroes memory the compiler may not optimise away.
void wipeBytes(void* data, std::size_t size);

// Wipes a QByteArray's storage in place (best effort: detaches first).
void wipe(QByteArray& bytes);
void wipe(QString& text);

} // namespace gh
