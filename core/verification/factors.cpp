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
    }
    return {};
}

FactorCategory categoryOf(FactorKind kind) {
    switch (kind) {
    case FactorKind::Password:
        return FactorCategory::Knowledge;
    case FactorKind::Totp:
    case FactorKind::RecoveryCode:
        return FactorCategory::Possession;
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
    return categories.size() >= 2 ? Aal::Aal2 : Aal::Aal1;
}

} // namespace gh
