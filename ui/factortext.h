// How the GUI names factors, categories and assurance levels for people (one place, so the login,
// the wizard, My security and Home say the same thing).
#pragma once

#include "gatehouseclient.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace gh::ui::factortext {

QString kindTitle(FactorKind kind);             // "Authenticator app", "Recovery codes", "Password"
QString kindInSession(FactorKind kind);         // "authenticator code", "recovery code", "password"
QString categoryTitle(FactorCategory category); // "Something you have"
QString aalTitle(Aal aal);                      // "Two-step sign-in" (plain, issue 15)
QString aalDetail(Aal aal);                     // "AAL2 · two factors of different kinds" (the detail line)
// "Password + authenticator code"
QString sessionFactors(const QList<FactorKind>& kinds);

// The audit model's four layers by plain name ("Storage", "Sign-in checks", "Sessions",
// "Permissions"; "General" for none); the number goes in a LayerBadge next to it.
QString layerPlainName(Layer layer);
// An audit outcome ("allowed"…) in the reader's language.
QString outcomeText(Outcome outcome);
// A name the audit log keeps only as a keyed hash (core: maskedName, "unknown#…", RL-04).
bool isMaskedName(const QString& name);
// The name as people read it: "an unknown name" for a masked one (its hash only on demand).
QString plainName(const QString& name);

} // namespace gh::ui::factortext
