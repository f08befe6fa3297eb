#include "types.h"

namespace gh {

int LayerHealth::warnings() const {
    int n = 0;
    for (const HealthNote& note : notes)
        n += note.warning ? 1 : 0;
    return n;
}

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
