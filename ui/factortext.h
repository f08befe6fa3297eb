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
QString aalTitle(Aal aal);                      // "AAL2 · two factors of different kinds"
// "Password + authenticator code"
QString sessionFactors(const QList<FactorKind>& kinds);

} // namespace gh::ui::factortext
