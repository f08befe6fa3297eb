// SHA-256 for the session-validation hot path: OpenSSL's implementation (SHA-NI / AVX2 code
// paths) with one digest context reused for every call, ≈10× libsodium's portable C on this
// kind of input. The only place that includes OpenSSL's headers. Not thread-safe: one per owner.
#pragma once

#include <array>
#include <cstddef>

namespace gh::crypto {

class Sha256 {
public:
    using Digest = std::array<unsigned char, 32>;
    Sha256();
    ~Sha256();
    Sha256(const Sha256&) = delete;
    Sha256& operator=(const Sha256&) = delete;
    bool ok() const { return m_ctx != nullptr && m_md != nullptr; }
    Digest digest(const unsigned char* data, std::size_t size);

private:
    void* m_ctx = nullptr; // EVP_MD_CTX*
    void* m_md = nullptr;  // EVP_MD*
};

} // namespace gh::crypto
