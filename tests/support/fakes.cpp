#include "fakes.h"

namespace gh::test {

void SeededRandom::fill(unsigned char* out, std::size_t size) {
    for (std::size_t i = 0; i < size; ++i) {
        // splitmix64
        quint64 z = (m_state += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        out[i] = static_cast<unsigned char>((z ^ (z >> 31)) & 0xff);
    }
}

Result<SecureBuffer> MemoryKeyStore::read(const QString& entry) {
    if (unavailable)
        return Errc::KeychainUnavailable;
    auto it = m_keys.constFind(entry);
    if (it == m_keys.constEnd())
        return Errc::KeyMissing;
    return SecureBuffer::fromBytes(*it);
}

Status MemoryKeyStore::write(const QString& entry, const SecureBuffer& key) {
    if (unavailable)
        return Errc::KeychainUnavailable;
    m_keys.insert(entry, QByteArray(key.chars(), static_cast<qsizetype>(key.size())));
    return ok();
}

Status MemoryKeyStore::remove(const QString& entry) {
    if (unavailable)
        return Errc::KeychainUnavailable;
    m_keys.remove(entry);
    return ok();
}

Result<std::optional<QByteArray>> MemoryKeyStore::readAnchor(const QString& entry) {
    if (unavailable)
        return Errc::KeychainUnavailable;
    auto it = anchors.constFind(entry);
    if (it == anchors.constEnd())
        return std::optional<QByteArray>();
    return std::optional<QByteArray>(*it);
}

Status MemoryKeyStore::writeAnchor(const QString& entry, const QByteArray& anchor) {
    if (unavailable || anchorWritesFail)
        return Errc::KeychainUnavailable;
    anchors.insert(entry, anchor);
    return ok();
}

} // namespace gh::test
