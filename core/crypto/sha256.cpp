// OpenSSL 3 deprecates the low-level SHA256_* functions in favour of EVP, but EVP's per-call
// dispatch costs ≈ 60 ns here, more than the 32-byte hash itself with SHA-NI; the low-level
// functions run the same assembly without it. They remain in OpenSSL 3.x.
#define OPENSSL_SUPPRESS_DEPRECATED

#include "sha256.h"

#include <openssl/crypto.h>
#include <openssl/sha.h>

namespace gh::crypto {

Sha256::Sha256() = default;
Sha256::~Sha256() = default;

Sha256::Digest Sha256::digest(const unsigned char* data, std::size_t size) {
    Digest out{};
    SHA256_CTX ctx;
    SHA256_Init(&ctx);
    SHA256_Update(&ctx, data, size);
    SHA256_Final(out.data(), &ctx);
    OPENSSL_cleanse(&ctx, sizeof ctx); // the state is derived from a session secret
    return out;
}

} // namespace gh::crypto
