#include "totp.h"

#include "../crypto/primitives.h"

#include <liboath/oath.h>

#include <cstdlib>
#include <cstring>
#include <mutex>

namespace gh {

namespace totp {

namespace {

int flagsOf(TotpAlgorithm algorithm) {
    switch (algorithm) {
    case TotpAlgorithm::Sha256:
        return OATH_TOTP_HMAC_SHA256;
    case TotpAlgorithm::Sha512:
        return OATH_TOTP_HMAC_SHA512;
    case TotpAlgorithm::Sha1:
        break;
    }
    return 0;
}

// liboath compares candidates with this callback: 0 means "match". Constant time per candidate.
int constantTimeCompare(void* handle, const char* candidate) {
    const QByteArray& typed = *static_cast<const QByteArray*>(handle);
    const auto n = static_cast<std::size_t>(typed.size());
    if (std::strlen(candidate) != n)
        return 1;
    return crypto::constantTimeEqual(reinterpret_cast<const unsigned char*>(candidate), n,
                                     reinterpret_cast<const unsigned char*>(typed.constData()), n)
               ? 0
               : 1;
}

} // namespace

bool initialise() {
    static const bool ok = oath_init() == OATH_OK;
    return ok;
}

QString generate(const SecureBuffer& seed, qint64 now, const TotpParams& params) {
    if (!initialise() || !params.valid())
        return {};
    char out[16] = {};
    const int rc =
        oath_totp_generate2(seed.chars(), seed.size(), static_cast<time_t>(now), static_cast<unsigned>(params.period),
                            0, static_cast<unsigned>(params.digits), flagsOf(params.algorithm), out);
    if (rc != OATH_OK)
        return {};
    QString code = QString::fromLatin1(out);
    crypto::wipeBytes(out, sizeof out);
    return code;
}

std::optional<std::int64_t> match(const SecureBuffer& seed, qint64 now, const TotpParams& params, const QString& code) {
    if (code.size() != params.digits)
        return std::nullopt;
    for (QChar c : code)
        if (c.unicode() < '0' || c.unicode() > '9')
            return std::nullopt;
    QByteArray latin = code.toLatin1();
    const SecureBuffer typed(latin.constData(), static_cast<std::size_t>(latin.size()));
    crypto::wipeBytes(latin.data(), static_cast<std::size_t>(latin.size()));
    return match(seed, now, params, typed);
}

std::optional<std::int64_t> match(const SecureBuffer& seed, qint64 now, const TotpParams& params,
                                  const SecureBuffer& code) {
    if (!initialise() || !params.valid() || code.size() != static_cast<std::size_t>(params.digits))
        return std::nullopt;
    for (std::size_t i = 0; i < code.size(); ++i)
        if (code.chars()[i] < '0' || code.chars()[i] > '9')
            return std::nullopt;
    // The comparison callback reads the typed code through a view of the wiping buffer.
    const QByteArray typed = QByteArray::fromRawData(code.chars(), static_cast<qsizetype>(code.size()));
    int position = 0;
    uint64_t counter = 0;
    const int rc = oath_totp_validate4_callback(
        seed.chars(), seed.size(), static_cast<time_t>(now), static_cast<unsigned>(params.period), 0,
        static_cast<unsigned>(params.digits), TotpParams::kWindow, &position, &counter, flagsOf(params.algorithm),
        constantTimeCompare, const_cast<QByteArray*>(&typed));
    if (rc < 0)
        return std::nullopt;
    return static_cast<std::int64_t>(counter);
}

SecureBuffer base32EncodeSecure(const SecureBuffer& bytes) {
    char* out = nullptr;
    size_t length = 0;
    if (oath_base32_encode(bytes.chars(), bytes.size(), &out, &length) != OATH_OK || !out)
        return {};
    size_t unpadded = length;
    while (unpadded > 0 && out[unpadded - 1] == '=')
        --unpadded;
    SecureBuffer text(out, unpadded);
    crypto::wipeBytes(out, length);
    std::free(out);
    return text;
}

QString base32Encode(const SecureBuffer& bytes) {
    char* out = nullptr;
    size_t length = 0;
    if (oath_base32_encode(bytes.chars(), bytes.size(), &out, &length) != OATH_OK || !out)
        return {};
    QString text = QString::fromLatin1(out, static_cast<qsizetype>(length));
    crypto::wipeBytes(out, length);
    std::free(out);
    while (text.endsWith(QLatin1Char('=')))
        text.chop(1);
    return text;
}

std::optional<SecureBuffer> base32Decode(const QString& text) {
    // Accept what people and apps write: lower case, spaces, missing padding.
    QByteArray clean;
    clean.reserve(text.size() + 8);
    for (QChar c : text) {
        if (c == QLatin1Char(' ') || c == QLatin1Char('-'))
            continue;
        if (c.unicode() > 127)
            return std::nullopt;
        clean.append(static_cast<char>(c.toUpper().unicode()));
    }
    while (clean.endsWith('='))
        clean.chop(1);
    if (clean.isEmpty())
        return std::nullopt;
    for (char c : clean)
        if (!((c >= 'A' && c <= 'Z') || (c >= '2' && c <= '7')))
            return std::nullopt;
    // Lengths that no byte string encodes to (1, 3, 6 symbols mod 8) are malformed.
    const auto rest = clean.size() % 8;
    if (rest == 1 || rest == 3 || rest == 6)
        return std::nullopt;
    while (clean.size() % 8 != 0)
        clean.append('=');
    char* out = nullptr;
    size_t length = 0;
    const int rc = oath_base32_decode(clean.constData(), static_cast<size_t>(clean.size()), &out, &length);
    crypto::wipeBytes(clean.data(), static_cast<std::size_t>(clean.size()));
    if (rc != OATH_OK || !out) {
        std::free(out);
        return std::nullopt;
    }
    SecureBuffer bytes(out, length);
    crypto::wipeBytes(out, length);
    std::free(out);
    return bytes;
}

} // namespace totp
} // namespace gh
