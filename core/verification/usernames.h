// Username rules: NFKC, case-folded to lower case, 1–64 characters of [a-z0-9._-], starting
// with a letter or digit. Returns the normalised form or nothing.
#pragma once

#include <QString>

#include <optional>

namespace gh {

std::optional<QString> normaliseUsername(const QString& raw);

} // namespace gh
