// Untrusted text that people read or the audit log records (factor and key labels, removal
// reasons, a security key's own error text, application permission descriptions, otpauth labels,
// audit fields): one rule for what counts as one line of plain text, checked by code point, not
// by UTF-16 unit (red team t09: a unit-wise check let supplementary-plane format characters such
// as the invisible TAG block U+E0000–U+E007F through as surrogate halves).
//
// Not plain: control (Cc: newlines, ESC, tab), format (Cf: bidi overrides and isolates, tags,
// zero-width characters), private-use (Co), unpaired surrogate (Cs), non-character, line and
// paragraph separator.
#pragma once

#include <QString>
#include <QStringView>

namespace gh {

// Whether every code point of text is plain. Where text is refused (labels, descriptions).
bool isPlainLine(QStringView text);

// text with every code point that is not plain replaced by U+FFFD and cut to at most maxUnits
// UTF-16 units, never between the halves of a pair. Where text is kept but must not mislead (audit
// fields, a device's error text).
QString toPlainLine(QStringView text, qsizetype maxUnits);

} // namespace gh
