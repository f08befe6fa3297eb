// Tests about something else than recovery codes need a set at once: begin a new set and confirm
// it with its first code (the two steps of issue 12). Works with gh::FactorsService (in-process)
// and gh::Client (through gatehoused).
#pragma once

#include "crypto/securebuffer.h"
#include "errors.h"
#include "types.h"

#include <vector>

namespace gh::test {

template <class Factors> Result<std::vector<SecureBuffer>> newRecoveryCodes(Factors& factors, Session& session) {
    auto pending = factors.beginRecoveryCodes(session);
    if (!pending)
        return pending.error();
    if (Status c = factors.confirmRecoveryCodes(session, pending->setId, pending->codes.front()); !c)
        return c.error();
    return std::move(pending->codes);
}

} // namespace gh::test
