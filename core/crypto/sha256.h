// SHA-256 for the session-validation hot path: OpenSSL's implementation (SHA-NI / AVX2 code
// paths), several times faster than libsodium's portable C on a 32-byte secret. The only place
// that includes OpenSSL's headers.
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
    Digest digest(const unsigned char* data, std::size_t size);
};

} // namespace gh::crypto
