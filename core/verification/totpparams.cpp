// The names of TOTP algorithms (otpauth URIs, the UI). Apart from totp.cpp (liboath) so the
// client library (gatehouse_types) has them without the one-time-code machinery.
#include "totp.h"

namespace gh {

QString totpAlgorithmName(TotpAlgorithm algorithm) {
    switch (algorithm) {
    case TotpAlgorithm::Sha256:
        return QStringLiteral("SHA256");
    case TotpAlgorithm::Sha512:
        return QStringLiteral("SHA512");
    case TotpAlgorithm::Sha1:
        break;
    }
    return QStringLiteral("SHA1");
}

std::optional<TotpAlgorithm> totpAlgorithmFromName(const QString& name) {
    const QString upper = name.toUpper();
    if (upper == QLatin1String("SHA1"))
        return TotpAlgorithm::Sha1;
    if (upper == QLatin1String("SHA256"))
        return TotpAlgorithm::Sha256;
    if (upper == QLatin1String("SHA512"))
        return TotpAlgorithm::Sha512;
    return std::nullopt;
}

} // namespace gh
