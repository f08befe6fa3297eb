#include "otpauth.h"

#include "../crypto/primitives.h"
#include "../plaintext.h"

#include <QScopeGuard>
#include <QSet>
#include <QUrl>

#include <cctype>
#include <cstring>
#include <initializer_list>
#include <utility>

namespace gh {

QString describeOtpauthError(OtpauthError error) {
    switch (error) {
    case OtpauthError::None:
        return {};
    case OtpauthError::NotOtpauth:
        return QStringLiteral("This is not an otpauth:// link.");
    case OtpauthError::UnsupportedType:
        return QStringLiteral("Only time-based (totp) codes are supported.");
    case OtpauthError::MissingLabel:
        return QStringLiteral("The link names no account.");
    case OtpauthError::BadLabel:
        return QStringLiteral(
            "The account or issuer in the link is malformed (a ':' inside a name, bad %-encoding, or a control or "
            "invisible character).");
    case OtpauthError::MissingSecret:
        return QStringLiteral("The link has no secret.");
    case OtpauthError::BadSecret:
        return QStringLiteral("The secret is not valid Base32.");
    case OtpauthError::SecretTooShort:
        return QStringLiteral("The secret is shorter than 128 bits, too weak to use.");
    case OtpauthError::IssuerMismatch:
        return QStringLiteral("The issuer in the label and the issuer= parameter differ; the link may be forged.");
    case OtpauthError::BadAlgorithm:
        return QStringLiteral("The algorithm must be SHA1, SHA256 or SHA512.");
    case OtpauthError::BadDigits:
        return QStringLiteral("Codes must have 6 or 8 digits.");
    case OtpauthError::BadPeriod:
        return QStringLiteral("The period must be between 1 and 120 seconds.");
    case OtpauthError::DuplicateParameter:
        return QStringLiteral("A parameter appears twice in the link.");
    }
    return {};
}

namespace otpauth {

namespace {

QByteArray pct(const QString& text) {
    return QUrl::toPercentEncoding(text);
}

// Strict percent-decoding: '%' must be followed by two hex digits.
bool decode(const QString& raw, QString* out) {
    const QByteArray bytes = raw.toUtf8();
    for (qsizetype i = 0; i < bytes.size(); ++i) {
        if (bytes[i] != '%')
            continue;
        if (i + 2 >= bytes.size() || !std::isxdigit(static_cast<unsigned char>(bytes[i + 1])) ||
            !std::isxdigit(static_cast<unsigned char>(bytes[i + 2])))
            return false;
    }
    *out = QString::fromUtf8(QByteArray::fromPercentEncoding(bytes));
    return true;
}

// Wipes the copies of the URI that hold the secret when parse() returns (best effort under Qt's
// implicit sharing, ST-05).
class WipeOnReturn {
public:
    explicit WipeOnReturn(std::initializer_list<QString*> texts) : m_texts(texts) {}
    ~WipeOnReturn() {
        for (QString* t : m_texts)
            wipe(*t);
    }
    WipeOnReturn(const WipeOnReturn&) = delete;
    WipeOnReturn& operator=(const WipeOnReturn&) = delete;

private:
    QList<QString*> m_texts;
};

} // namespace

SecureBuffer emit(const OtpauthKey& key) {
    // §B.5 #3: a ':' inside a name cannot be escaped unambiguously ("%3A" is a separator too): refuse.
    if (key.issuer.contains(QLatin1Char(':')) || key.account.contains(QLatin1Char(':')))
        return {};
    // Only the secret is secret: it goes from one wiping buffer into another, never through a
    // QString or QByteArray (ST-05); the parts around it are plain text.
    const SecureBuffer secret = totp::base32EncodeSecure(key.secret);
    QByteArray head = "otpauth://totp/";
    if (!key.issuer.isEmpty())
        head += pct(key.issuer) + ":"; // a literal separator, as in the Key Uri Format examples
    head += pct(key.account);
    head += "?secret=";
    QByteArray tail;
    if (!key.issuer.isEmpty())
        tail += "&issuer=" + pct(key.issuer);
    tail += "&algorithm=" + totpAlgorithmName(key.params.algorithm).toLatin1();
    tail += "&digits=" + QByteArray::number(key.params.digits);
    tail += "&period=" + QByteArray::number(key.params.period);
    const auto headSize = static_cast<std::size_t>(head.size());
    SecureBuffer out(headSize + secret.size() + static_cast<std::size_t>(tail.size()));
    std::memcpy(out.data(), head.constData(), headSize);
    std::memcpy(out.data() + headSize, secret.data(), secret.size());
    std::memcpy(out.data() + headSize + secret.size(), tail.constData(), static_cast<std::size_t>(tail.size()));
    return out;
}

OtpauthError parse(const QString& uri, OtpauthKey* out) {
    static const QString scheme = QStringLiteral("otpauth://");
    if (!uri.startsWith(scheme, Qt::CaseInsensitive))
        return OtpauthError::NotOtpauth;
    QString rest = uri.mid(scheme.size());
    QString query;
    QString secret;
    const WipeOnReturn wiper{&rest, &query, &secret};
    const qsizetype slash = rest.indexOf(QLatin1Char('/'));
    if (slash < 0)
        return OtpauthError::MissingLabel;
    if (rest.left(slash).compare(QLatin1String("totp"), Qt::CaseInsensitive) != 0)
        return OtpauthError::UnsupportedType;
    const qsizetype question = rest.indexOf(QLatin1Char('?'), slash);
    const QString rawLabel = rest.mid(slash + 1, question < 0 ? -1 : question - slash - 1);
    query = question < 0 ? QString() : rest.mid(question + 1);

    QString label;
    if (!decode(rawLabel, &label))
        return OtpauthError::BadLabel;
    if (label.trimmed().isEmpty())
        return OtpauthError::MissingLabel;
    OtpauthKey key;
    const QStringList parts = label.split(QLatin1Char(':'));
    if (parts.size() > 2 || !isPlainLine(label))
        return OtpauthError::BadLabel;
    QString labelIssuer;
    if (parts.size() == 2) {
        labelIssuer = parts[0];
        key.account = parts[1].trimmed(); // optional spaces before the account name
        if (labelIssuer.isEmpty())
            return OtpauthError::BadLabel;
    } else {
        key.account = parts[0].trimmed();
    }
    if (key.account.isEmpty())
        return OtpauthError::MissingLabel;

    QSet<QString> seen;
    QString issuer, algorithm, digits, period;
    QStringList pairs = query.split(QLatin1Char('&'), Qt::SkipEmptyParts);
    const auto wipePairs = qScopeGuard([&pairs] {
        for (QString& p : pairs)
            wipe(p);
    });
    for (const QString& pair : std::as_const(pairs)) {
        const qsizetype eq = pair.indexOf(QLatin1Char('='));
        const QString name = (eq < 0 ? pair : pair.left(eq)).toLower();
        QString value;
        if (!decode(eq < 0 ? QString() : pair.mid(eq + 1), &value))
            return name == QLatin1String("secret") ? OtpauthError::BadSecret : OtpauthError::BadLabel;
        if (seen.contains(name))
            return OtpauthError::DuplicateParameter;
        seen.insert(name);
        if (name == QLatin1String("secret"))
            secret = std::exchange(value, QString());
        else if (name == QLatin1String("issuer"))
            issuer = value;
        else if (name == QLatin1String("algorithm"))
            algorithm = value;
        else if (name == QLatin1String("digits"))
            digits = value;
        else if (name == QLatin1String("period"))
            period = value;
        // Other parameters (image, counter for totp …) are ignored.
    }
    if (secret.isEmpty())
        return OtpauthError::MissingSecret;
    auto bytes = totp::base32Decode(secret);
    if (!bytes)
        return OtpauthError::BadSecret;
    if (bytes->size() < 16)
        return OtpauthError::SecretTooShort;
    if (issuer.contains(QLatin1Char(':')) || !isPlainLine(issuer))
        return OtpauthError::BadLabel;
    if (!labelIssuer.isEmpty() && seen.contains(QStringLiteral("issuer")) && labelIssuer != issuer)
        return OtpauthError::IssuerMismatch;
    key.issuer = issuer.isEmpty() ? labelIssuer : issuer;
    if (seen.contains(QStringLiteral("algorithm"))) {
        const auto a = totpAlgorithmFromName(algorithm);
        if (!a)
            return OtpauthError::BadAlgorithm;
        key.params.algorithm = *a;
    }
    if (seen.contains(QStringLiteral("digits"))) {
        if (digits != QLatin1String("6") && digits != QLatin1String("8"))
            return OtpauthError::BadDigits;
        key.params.digits = digits.toInt();
    }
    if (seen.contains(QStringLiteral("period"))) {
        bool ok = false;
        const int p = period.toInt(&ok);
        if (!ok || p < 1 || p > 120)
            return OtpauthError::BadPeriod;
        key.params.period = p;
    }
    key.secret = std::move(*bytes);
    if (out)
        *out = std::move(key);
    return OtpauthError::None;
}

} // namespace otpauth
} // namespace gh
