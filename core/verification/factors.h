// The factor model: every authenticator has a category, and the assurance level of a login is
// computed from the categories it proved (DESIGN.md, "The model"). Two proofs of one category
// are one factor: a password and a security question are never MFA.
#pragma once

#include "../audit/auditlog.h"

#include <QList>
#include <QString>

namespace gh {

enum class FactorKind { Password, Totp, RecoveryCode };

QString factorKindName(FactorKind kind); // "password", "totp", "recovery"
FactorCategory categoryOf(FactorKind kind);

enum class Aal { None = 0, Aal1 = 1, Aal2 = 2, Aal3 = 3 };
QString aalName(Aal aal); // "AAL1" …

// AAL1: at least one factor. AAL2: two factors of different categories. AAL3 is reserved for
// hardware keys (next issue), so nothing here reaches it.
Aal assuranceOf(const QList<FactorKind>& proven);

} // namespace gh
