#include "factors.h"

namespace gh {

QString factorKindName(FactorKind kind) {
    switch (kind) {
    case FactorKind::Password:
        return QStringLiteral("password");
    case FactorKind::Totp:
        return QStringLiteral("totp");
    case FactorKind::RecoveryCode:
        return QStringLiteral("recovery");
    case FactorKind::SecurityKey:
        return QStringLiteral("fido2");
    case FactorKind::SecurityKeyUv:
        return QStringLiteral("fido2-uv");
    }
    return {};
}

std::optional<FactorKind> factorKindFromName(const QString& name) {
    for (FactorKind k : {FactorKind::Password, FactorKind::Totp, FactorKind::RecoveryCode, FactorKind::SecurityKey,
                         FactorKind::SecurityKeyUv})
        if (factorKindName(k) == name)
            return k;
    return std::nullopt;
}

FactorCategory categoryOf(FactorKind kind) {
    switch (kind) {
    case FactorKind::Password:
        return FactorCategory::Knowledge;
    case FactorKind::Totp:
    case FactorKind::RecoveryCode:
    case FactorKind::SecurityKey:
        return FactorCategory::Possession;
    case FactorKind::SecurityKeyUv:
        return FactorCategory::Knowledge; // the key's PIN (or a fingerprint: inherence; both count once)
    }
    return FactorCategory::None;
}

QString aalName(Aal aal) {
    return aal == Aal::None ? QStringLiteral("none") : QStringLiteral("AAL%1").arg(static_cast<int>(aal));
}

Aal assuranceOf(const QList<FactorKind>& proven) {
    if (proven.isEmpty())
        return Aal::None;
    QList<FactorCategory> categories;
    for (FactorKind k : proven)
        if (!categories.contains(categoryOf(k)))
            categories.append(categoryOf(k));
    if (categories.size() < 2)
        return Aal::Aal1;
    return proven.contains(FactorKind::SecurityKey) ? Aal::Aal3 : Aal::Aal2;
}

} // namespace gh
