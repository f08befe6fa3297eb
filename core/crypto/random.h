// Randomness behind an interface: production code uses the OS CSPRNG (libsodium's randombytes,
// i.e. getrandom(2)); tests inject a deterministic source (STYLE.md #10, SECURITY.md ST-04).
#pragma once

#include "securebuffer.h"

#include <QByteArray>
#include <QString>

#include <cstddef>
#include <cstdint>

namespace gh {

class RandomSource {
public:
    virtual ~RandomSource() = default;
    virtual void fill(unsigned char* out, std::size_t size) = 0;

    SecureBuffer secret(std::size_t size);
    QByteArray bytes(std::size_t size);
    std::uint32_t uniform(std::uint32_t upperBound); // unbiased, in [0, upperBound)
    // A random string over `alphabet`, e.g. for temporary passwords.
    SecureBuffer text(std::size_t length, const char* alphabet);
};

class SystemRandom final : public RandomSource {
public:
    void fill(unsigned char* out, std::size_t size) override;
};

} // namespace gh
