#include "usernames.h"

#include <QRegularExpression>

namespace gh {

std::optional<QString> normaliseUsername(const QString& raw) {
    static const QRegularExpression valid(QStringLiteral("^[a-z0-9][a-z0-9._-]{0,63}$"));
    const QString name = raw.normalized(QString::NormalizationForm_KC).trimmed().toLower();
    if (!valid.match(name).hasMatch())
        return std::nullopt;
    return name;
}

} // namespace gh
