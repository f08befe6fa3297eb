#include "table.h"

#include <algorithm>
#include <cwchar>
#include <locale.h>

namespace gh::cli {

qsizetype cellWidth(const QString& text) {
    static const locale_t utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", locale_t(nullptr));
    if (!utf8)
        return text.size();
    const locale_t previous = uselocale(utf8);
    qsizetype cells = 0;
    for (const char32_t c : text.toUcs4()) {
        const int width = wcwidth(static_cast<wchar_t>(c));
        cells += width < 0 ? 1 : width; // not printable: plain lines hold none, so count it as one
    }
    uselocale(previous);
    return cells;
}

QStringList tableLines(const QList<QStringList>& rows) {
    QList<QList<qsizetype>> cells; // each cell's width, measured once
    QList<qsizetype> widths;       // each column's
    for (const QStringList& row : rows) {
        QList<qsizetype>& rowCells = cells.emplace_back();
        for (qsizetype i = 0; i < row.size(); ++i) {
            rowCells << cellWidth(row.at(i));
            if (widths.size() <= i)
                widths << 0;
            widths[i] = std::max(widths[i], rowCells.last());
        }
    }
    QStringList lines;
    for (qsizetype r = 0; r < rows.size(); ++r) {
        const QStringList& row = rows.at(r);
        QString line;
        for (qsizetype i = 0; i < row.size(); ++i) {
            line += row.at(i);
            if (i + 1 < row.size())
                line += QString(widths.at(i) + 2 - cells.at(r).at(i), u' ');
        }
        while (line.endsWith(u' '))
            line.chop(1);
        lines << line;
    }
    return lines;
}

} // namespace gh::cli
