#include "factortext.h"

#include <QCoreApplication>

namespace gh::ui::factortext {

namespace {
QString tr(const char* text) {
    return QCoreApplication::translate("factortext", text);
}
} // namespace

QString kindTitle(FactorKind kind) {
    switch (kind) {
    case FactorKind::Password:
        return tr("Password");
    case FactorKind::Totp:
        return tr("Authenticator app");
    case FactorKind::RecoveryCode:
        return tr("Recovery codes");
    case FactorKind::SecurityKey:
        return tr("Security key");
    case FactorKind::SecurityKeyUv:
        return tr("Security key PIN or fingerprint");
    }
    return {};
}

QString kindInSession(FactorKind kind) {
    switch (kind) {
    case FactorKind::Password:
        return tr("password");
    case FactorKind::Totp:
        return tr("authenticator code");
    case FactorKind::RecoveryCode:
        return tr("recovery code");
    case FactorKind::SecurityKey:
        return tr("security key");
    case FactorKind::SecurityKeyUv:
        return tr("key PIN");
    }
    return {};
}

QString categoryTitle(FactorCategory category) {
    switch (category) {
    case FactorCategory::Knowledge:
        return tr("Something you know");
    case FactorCategory::Possession:
        return tr("Something you have");
    case FactorCategory::Inherence:
        return tr("Something you are");
    case FactorCategory::None:
        break;
    }
    return {};
}

QString aalTitle(Aal aal) {
    switch (aal) {
    case Aal::None:
        return tr("none");
    case Aal::Aal1:
        return tr("%1 · one kind of factor").arg(aalName(aal));
    case Aal::Aal2:
        return tr("%1 · two factors of different kinds").arg(aalName(aal));
    case Aal::Aal3:
        return tr("%1 · hardware-backed multi-factor").arg(aalName(aal));
    }
    return {};
}

QString sessionFactors(const QList<FactorKind>& kinds) {
    QStringList parts;
    for (FactorKind kind : kinds)
        parts << kindInSession(kind);
    if (!parts.isEmpty())
        parts.first()[0] = parts.first()[0].toUpper();
    return parts.join(QStringLiteral(" + "));
}

} // namespace gh::ui::factortext
