#include "auditevent.h"

namespace gh {

QString outcomeName(Outcome outcome) {
    switch (outcome) {
    case Outcome::Allowed:
        return QStringLiteral("allowed");
    case Outcome::Denied:
        return QStringLiteral("denied");
    case Outcome::Failed:
        return QStringLiteral("failed");
    case Outcome::Info:
        break;
    }
    return QStringLiteral("info");
}

QString factorCategoryName(FactorCategory category) {
    switch (category) {
    case FactorCategory::Knowledge:
        return QStringLiteral("knowledge");
    case FactorCategory::Possession:
        return QStringLiteral("possession");
    case FactorCategory::Inherence:
        return QStringLiteral("inherence");
    case FactorCategory::None:
        break;
    }
    return QStringLiteral("none");
}

Outcome outcomeFromName(const QString& s) {
    if (s == QLatin1String("allowed"))
        return Outcome::Allowed;
    if (s == QLatin1String("denied"))
        return Outcome::Denied;
    if (s == QLatin1String("failed"))
        return Outcome::Failed;
    return Outcome::Info;
}

std::optional<Outcome> parseOutcome(const QString& name) {
    for (Outcome o : {Outcome::Allowed, Outcome::Denied, Outcome::Failed, Outcome::Info})
        if (name.compare(outcomeName(o), Qt::CaseInsensitive) == 0)
            return o;
    return std::nullopt;
}

std::optional<Layer> parseLayer(const QString& name) {
    QString n = name.trimmed().toUpper();
    if (n.startsWith(QLatin1Char('L')))
        n = n.mid(1);
    bool ok = false;
    const int v = n.toInt(&ok);
    if (!ok || v < 1 || v > 4 || n.size() != 1)
        return std::nullopt;
    return static_cast<Layer>(v);
}

} // namespace gh
