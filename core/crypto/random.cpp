#include "random.h"

#include <sodium.h>

#include <cstring>

namespace gh {

SecureBuffer RandomSource::secret(std::size_t size) {
    SecureBuffer out(size);
    fill(out.data(), size);
    return out;
}

QByteArray RandomSource::bytes(std::size_t size) {
    QByteArray out(static_cast<qsizetype>(size), Qt::Uninitialized);
    fill(reinterpret_cast<unsigned char*>(out.data()), size);
    return out;
}

std::uint32_t RandomSource::uniform(std::uint32_t upperBound) {
    if (upperBound < 2)
        return 0;
    // Rejection sampling: discard values from the incomplete last block to stay unbiased.
    const std::uint32_t limit = static_cast<std::uint32_t>(-upperBound) % upperBound;
    for (;;) {
        std::uint32_t v = 0;
        fill(reinterpret_cast<unsigned char*>(&v), sizeof v);
        if (v >= limit)
            return v % upperBound;
    }
}

SecureBuffer RandomSource::text(std::size_t length, const char* alphabet) {
    const auto n = static_cast<std::uint32_t>(std::strlen(alphabet));
    SecureBuffer out(length);
    for (std::size_t i = 0; i < length; ++i)
        out.data()[i] = static_cast<unsigned char>(alphabet[uniform(n)]);
    return out;
}

void SystemRandom::fill(unsigned char* out, std::size_t size) {
    randombytes_buf(out, size);
}

} // namespace gh
