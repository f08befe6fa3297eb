#include "sha256.h"

#include "primitives.h"

#include <openssl/evp.h>

namespace gh::crypto {

Sha256::Sha256() {
    m_md = EVP_MD_fetch(nullptr, "SHA256", nullptr); // fetched once: no per-call provider lookup
    m_ctx = EVP_MD_CTX_new();
}

Sha256::~Sha256() {
    EVP_MD_CTX_free(static_cast<EVP_MD_CTX*>(m_ctx));
    EVP_MD_free(static_cast<EVP_MD*>(m_md));
}

Sha256::Digest Sha256::digest(const unsigned char* data, std::size_t size) {
    Digest out{};
    auto* ctx = static_cast<EVP_MD_CTX*>(m_ctx);
    unsigned int len = 0;
    if (!ok() || EVP_DigestInit_ex2(ctx, static_cast<EVP_MD*>(m_md), nullptr) != 1 ||
        EVP_DigestUpdate(ctx, data, size) != 1 || EVP_DigestFinal_ex(ctx, out.data(), &len) != 1 || len != 32) {
        // Fall back to libsodium's implementation (same function, slower) rather than fail.
        const QByteArray h = sha256(data, size);
        std::copy(h.begin(), h.end(), out.begin());
    }
    return out;
}

} // namespace gh::crypto
