#include "recoverycodes.h"

namespace gh::recoverycodes {

namespace {
// Crockford Base32: no I, L, O, U, so codes read aloud without confusion.
constexpr char kAlphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
constexpr int kGroup = 4;
} // namespace

SecureBuffer generate(RandomSource& random) {
    SecureBuffer symbols = random.text(kSymbols, kAlphabet);
    SecureBuffer out(kSymbols + kSymbols / kGroup - 1);
    std::size_t o = 0;
    for (int i = 0; i < kSymbols; ++i) {
        if (i > 0 && i % kGroup == 0)
            out.data()[o++] = '-';
        out.data()[o++] = symbols.data()[i];
    }
    return out;
}

std::optional<SecureBuffer> canonical(const SecureBuffer& typed) {
    SecureBuffer symbols(kSymbols);
    int n = 0;
    for (std::size_t i = 0; i < typed.size(); ++i) {
        char c = typed.chars()[i];
        if (c == ' ' || c == '-' || c == '\t')
            continue;
        if (c >= 'a' && c <= 'z')
            c = static_cast<char>(c - 'a' + 'A');
        if (c == 'O')
            c = '0';
        else if (c == 'I' || c == 'L')
            c = '1';
        bool valid = false;
        for (const char* a = kAlphabet; *a; ++a)
            valid = valid || *a == c;
        if (!valid || n >= kSymbols)
            return std::nullopt;
        symbols.data()[n++] = static_cast<unsigned char>(c);
    }
    if (n != kSymbols)
        return std::nullopt;
    // The stored form is the formatted one, so hashing and display agree.
    SecureBuffer out(kSymbols + kSymbols / kGroup - 1);
    std::size_t o = 0;
    for (int i = 0; i < kSymbols; ++i) {
        if (i > 0 && i % kGroup == 0)
            out.data()[o++] = '-';
        out.data()[o++] = symbols.data()[i];
    }
    return out;
}

} // namespace gh::recoverycodes
