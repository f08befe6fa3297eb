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

inline QList<FactorKind> factorsOf(const SessionInfo& info) {
    return info.factors.isEmpty() ? QList<FactorKind>{FactorKind::Password} : info.factors;
}

inline Aal aalOf(const SessionInfo& info) {
    return info.aal;
}

} // namespace gh::ui
