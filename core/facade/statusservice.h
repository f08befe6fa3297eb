// io.gatehouse.Gatehouse1.Status (app/gatehoused/iface_status.cpp): vault facts, layer health,
// first run and the relying-party id. None of them needs a session. Reached as gh.status().
#pragma once

#include "audit/diagnosis.h"
#include "errors.h"
#include "facade/service.h"
#include "types.h"

#include <QString>

namespace gh {

class StatusService : public FacadeService {
public:
    using FacadeService::FacadeService;

    // Vault facts and counts; needs an open vault, no session (D-Bus Status.Status).
    Result<VaultStatus> vaultStatus();
    // Per-layer health; like vaultStatus(), needs an open vault and no session (counts only).
    Result<LayerHealth> layerHealth();
    // First run: true while the vault has no user. No default accounts exist (PW-12).
    bool needsFirstAdmin();
    // The vault's fixed relying-party id: security keys are bound to it (shown to people).
    Result<QString> relyingPartyId();
};

} // namespace gh
