#include "factortext.h"

#include <QCoreApplication>

namespace gh::ui::factortext {

namespace {
QString tr(const char* text) {
    return QCoreApplication::translate("gh::ui::factortext", text); // the context lupdate gives it
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
        return tr("One-step sign-in");
    case Aal::Aal2:
        return tr("Two-step sign-in");
    case Aal::Aal3:
        return tr("Two-step sign-in with a hardware key");
    }
    return {};
}

QString aalDetail(Aal aal) {
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

QString layerPlainName(Layer layer) {
    switch (layer) {
    case Layer::Storage:
        return tr("Storage");
    case Layer::Verification:
        return tr("Sign-in checks");
    case Layer::Session:
        return tr("Sessions");
    case Layer::Access:
        return tr("Permissions");
    case Layer::None:
        break;
    }
    return tr("General");
}

QString outcomeText(Outcome outcome) {
    switch (outcome) {
    case Outcome::Allowed:
        return tr("allowed");
    case Outcome::Denied:
        return tr("denied");
    case Outcome::Failed:
        return tr("failed");
    case Outcome::Info:
        return tr("info");
    }
    return {};
}

bool isMaskedName(const QString& name) {
    return name.startsWith(QLatin1String("unknown#"));
}

QString plainName(const QString& name) {
    return isMaskedName(name) ? tr("an unknown name") : name;
}

} // namespace gh::ui::factortext
