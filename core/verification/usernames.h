// Username rules: NFKC, case-folded, trimmed, 1–64 characters of [a-z0-9._-], starting with a
// letter or digit. Returns the normalised form or nothing.
#pragma once

#include <QString>

#include <optional>

namespace gh {

// The one normalisation of a typed name (RL-04): NFKC, Unicode case folding (simple folding, plus
// ß → ss), NFKC again (folding can denormalise), trimmed. Usernames and every throttle key (known names and unknown
// ones) are derived from it, so two spellings of one name always meet in one place.
QString foldName(const QString& raw);
std::optional<QString> normaliseUsername(const QString& raw);

} // namespace gh
