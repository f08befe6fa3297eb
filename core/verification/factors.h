// The factor model: every authenticator has a category, and the assurance level of a login is
// computed from the categories it proved (DESIGN.md, "The model"). Two proofs of one category
// are one factor: a password and a security question are never MFA.
#pragma once

#include "../audit/auditevent.h"

#include <QList>
#include <QString>

#include <optional>

namespace gh {

// SecurityKey: a FIDO2 key proved presence (possession). SecurityKeyUv: the same key also verified
// its user with a PIN or fingerprint (an activation factor: knowledge, counted as a category of its
// own in a login's list, FIDO-06).
enum class FactorKind { Password, Totp, RecoveryCode, SecurityKey, SecurityKeyUv };

QString factorKindName(FactorKind kind); // "password", "totp", "recovery", "fido2", "fido2-uv"
std::optional<FactorKind> factorKindFromName(const QString& name);
FactorCategory categoryOf(FactorKind kind);

enum class Aal { None = 0, Aal1 = 1, Aal2 = 2, Aal3 = 3 };
QString aalName(Aal aal); // "AAL1" …

// AAL1: at least one factor. AAL2: two factors of different categories. AAL3: two categories one
// of which is a hardware security key (Gatehouse enrolls device-bound keys only, BE = 0, FIDO-05):
// password + key, or a key with user verification.
Aal assuranceOf(const QList<FactorKind>& proven);

} // namespace gh
