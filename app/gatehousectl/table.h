// Tables for the terminal: columns two spaces apart and aligned in terminal cells, where a wide
// character (CJK, full-width forms, most emoji) takes two cells and a combining accent none, so a
// factor labelled "仕事の鍵" or an account "rené" does not push the columns after it out of line.
// The last column is not padded and no line ends in blanks.
#pragma once

#include <QList>
#include <QString>
#include <QStringList>

namespace gh::cli {

// How many terminal cells `text` takes (glibc's wcwidth in the C.UTF-8 locale, whatever locale the
// process runs in).
qsizetype cellWidth(const QString& text);

// One line per row.
QStringList tableLines(const QList<QStringList>& rows);

} // namespace gh::cli
