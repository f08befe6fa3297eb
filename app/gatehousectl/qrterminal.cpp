#include "qrterminal.h"

#include "crypto/securebuffer.h"

#include <qrencode.h>

#include <memory>
#include <string_view>

namespace gh::cli {

namespace {

constexpr int kQuietZone = 4; // modules of light border on each side (ISO/IEC 18004)

// The module array is the seed in another form: wipe it before libqrencode frees it.
struct QrDeleter {
    void operator()(QRcode* code) const {
        if (code && code->data)
            wipeBytes(code->data, static_cast<std::size_t>(code->width) * static_cast<std::size_t>(code->width));
        QRcode_free(code);
    }
};

// Appends to a SecureBuffer-sized scratch without reallocating through QByteArray (no stray copies).
class Writer {
public:
    explicit Writer(std::size_t capacity) : m_buffer(capacity) {}
    void append(std::string_view text) {
        for (char c : text) {
            if (m_length < m_buffer.size())
                m_buffer.data()[m_length++] = static_cast<unsigned char>(c);
        }
    }
    SecureBuffer take() const { return SecureBuffer(m_buffer.chars(), m_length); }

private:
    SecureBuffer m_buffer;
    std::size_t m_length = 0;
};

} // namespace

SecureBuffer renderQrForTerminal(const SecureBuffer& data) {
    std::unique_ptr<QRcode, QrDeleter> code(
        QRcode_encodeData(static_cast<int>(data.size()), data.data(), 0, QR_ECLEVEL_M));
    if (!code)
        return {};
    const int width = code->width;
    const int size = width + 2 * kQuietZone;
    auto dark = [&](int x, int y) {
        x -= kQuietZone;
        y -= kQuietZone;
        if (x < 0 || y < 0 || x >= width || y >= width)
            return false;
        return (code->data[y * width + x] & 1) != 0;
    };

    static constexpr std::string_view kColours = "\x1b[30;47m"; // black on white
    static constexpr std::string_view kReset = "\x1b[0m";
    static constexpr std::string_view kUpper = "\u2580"; // ▀
    static constexpr std::string_view kLower = "\u2584"; // ▄
    static constexpr std::string_view kFull = "\u2588";  // █
    const std::size_t rows = static_cast<std::size_t>(size + 1) / 2;
    Writer out(rows * (kColours.size() + kReset.size() + 1 + static_cast<std::size_t>(size) * 3));
    for (int y = 0; y < size; y += 2) {
        out.append(kColours);
        for (int x = 0; x < size; ++x) {
            const bool top = dark(x, y);
            const bool bottom = y + 1 < size && dark(x, y + 1);
            out.append(top && bottom ? kFull : top ? kUpper : bottom ? kLower : std::string_view(" "));
        }
        out.append(kReset);
        out.append("\n");
    }
    return out.take();
}

} // namespace gh::cli
