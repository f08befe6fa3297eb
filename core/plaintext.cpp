#include "plaintext.h"

namespace gh {

namespace {

bool isPlain(char32_t c) {
    if ((c >= 0xfdd0 && c <= 0xfdef) || (c & 0xfffe) == 0xfffe || c > 0x10ffff)
        return false; // non-characters
    switch (QChar::category(c)) {
    case QChar::Other_Control:
    case QChar::Other_Format:
    case QChar::Other_PrivateUse:
    case QChar::Other_Surrogate:
    case QChar::Separator_Line:
    case QChar::Separator_Paragraph:
        return false;
    default:
        return true;
    }
}

// Calls f(codePoint, unitsItTakes) for each code point of text; an unpaired surrogate is one code
// point of category Cs (QString::toUcs4 would turn it into U+FFFD, which is plain).
template <typename F> void forEachCodePoint(QStringView text, F&& f) {
    for (qsizetype i = 0; i < text.size(); ++i) {
        if (text[i].isHighSurrogate() && i + 1 < text.size() && text[i + 1].isLowSurrogate()) {
            if (!f(QChar::surrogateToUcs4(text[i], text[i + 1]), 2))
                return;
            ++i;
        } else if (!f(char32_t(text[i].unicode()), 1)) {
            return;
        }
    }
}

} // namespace

bool isPlainLine(QStringView text) {
    bool plain = true;
    forEachCodePoint(text, [&](char32_t c, int) { return plain = isPlain(c); });
    return plain;
}

QString toPlainLine(QStringView text, qsizetype maxUnits) {
    QString out;
    out.reserve(qMin(text.size(), maxUnits));
    forEachCodePoint(text, [&](char32_t c, int units) {
        if (!isPlain(c))
            c = 0xfffd, units = 1;
        if (out.size() + units > maxUnits)
            return false;
        if (units == 2)
            out.append(QChar::highSurrogate(c)).append(QChar::lowSurrogate(c));
        else
            out.append(QChar(char16_t(c)));
        return true;
    });
    return out;
}

} // namespace gh
