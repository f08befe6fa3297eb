#include "usernames.h"

#include <QRegularExpression>

namespace gh {

QString foldName(const QString& raw) {
    // Qt folds one character to one (Unicode's simple folding); the full folding of ß (and of ẞ,
    // which simple folding maps to ß) is "ss", the one multi-character fold common in names.
    QString folded = raw.normalized(QString::NormalizationForm_KC).toCaseFolded();
    folded.replace(QChar(0x00DF), QStringLiteral("ss"));
    return folded.normalized(QString::NormalizationForm_KC).trimmed();
}

std::optional<QString> normaliseUsername(const QString& raw) {
    static const QRegularExpression valid(QStringLiteral("^[a-z0-9][a-z0-9._-]{0,63}$"));
    const QString name = foldName(raw);
    if (!valid.match(name).hasMatch())
        return std::nullopt;
    return name;
}

} // namespace gh
