#include "cborbounds.h"

#include <cstdint>

namespace gh::cbor {

namespace {

struct Reader {
    const unsigned char* p;
    std::size_t n;
    std::size_t pos = 0;

    std::size_t left() const { return n - pos; }

    // One item head: major type and argument. Indefinite lengths, reserved values and a "break"
    // out of place are refused (CTAP2 canonical CBOR has none of them).
    bool head(int& major, std::uint64_t& arg) {
        if (pos >= n)
            return false;
        const unsigned char b = p[pos++];
        major = b >> 5;
        const int info = b & 31;
        if (info < 24) {
            arg = static_cast<std::uint64_t>(info);
            return true;
        }
        if (info > 27)
            return false;
        const std::size_t k = std::size_t(1) << (info - 24);
        if (left() < k)
            return false;
        arg = 0;
        for (std::size_t i = 0; i < k; ++i)
            arg = (arg << 8) | p[pos++];
        return true;
    }

    bool item(int depth) {
        if (depth > kMaxDepth)
            return false;
        int major = 0;
        std::uint64_t arg = 0;
        if (!head(major, arg))
            return false;
        switch (major) {
        case 0: // unsigned integer
        case 1: // negative integer
        case 7: // simple value or float (its bytes are the head's)
            return true;
        case 2: // byte string
        case 3: // text string
            if (arg > left())
                return false;
            pos += static_cast<std::size_t>(arg);
            return true;
        case 4: // array: each element takes at least a byte
            if (arg > left())
                return false;
            for (std::uint64_t i = 0; i < arg; ++i)
                if (!item(depth + 1))
                    return false;
            return true;
        case 5: // map: each key and each value takes at least a byte
            if (arg > left() / 2)
                return false;
            for (std::uint64_t i = 0; i < 2 * arg; ++i)
                if (!item(depth + 1))
                    return false;
            return true;
        case 6: // tag
            return item(depth + 1);
        default:
            return false;
        }
    }
};

Reader readerOf(const QByteArray& bytes) {
    return Reader{reinterpret_cast<const unsigned char*>(bytes.constData()), static_cast<std::size_t>(bytes.size())};
}

} // namespace

bool boundedSequence(const QByteArray& bytes) {
    Reader r = readerOf(bytes);
    while (r.left() > 0)
        if (!r.item(0))
            return false;
    return true;
}

bool boundedItem(const QByteArray& bytes) {
    Reader r = readerOf(bytes);
    return r.item(0) && r.left() == 0;
}

QByteArray byteStringContent(const QByteArray& bytes) {
    Reader r = readerOf(bytes);
    int major = 0;
    std::uint64_t length = 0;
    if (!r.head(major, length) || major != 2 || length != r.left())
        return {};
    return bytes.mid(static_cast<qsizetype>(r.pos));
}

} // namespace gh::cbor
