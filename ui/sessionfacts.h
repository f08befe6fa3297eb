// What the GUI reads from a gh::SessionInfo to route and describe a session: the one place that
// knows how the core spells the restriction, the factors proven and the assurance level.
#pragma once

#include "gatehouseclient.h"

namespace gh::ui {

enum class SessionGate { Open, ChangePassword, EnrollSecondFactor };

inline SessionGate gateOf(const SessionInfo& info) {
    switch (info.restriction) {
    case Restriction::ChangePassword:
        return SessionGate::ChangePassword;
    case Restriction::EnrollSecondFactor:
        return SessionGate::EnrollSecondFactor;
    case Restriction::None:
        break;
    }
    return SessionGate::Open;
}

// What the sign-in (or the last step-up) proved. The core lists a factor enrolled during the
// session after the proven ones (it is held, not proven: the AAL stays, SES-04), so the proof is
// the longest prefix whose assurance does not exceed the session's.
inline QList<FactorKind> factorsOf(const SessionInfo& info) {
    QList<FactorKind> proven = info.factors.isEmpty() ? QList<FactorKind>{FactorKind::Password} : info.factors;
    while (proven.size() > 1 && assuranceOf(proven) > info.aal)
        proven.removeLast();
    return proven;
}

inline Aal aalOf(const SessionInfo& info) {
    return info.aal;
}

} // namespace gh::ui
