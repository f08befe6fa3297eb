// `gatehousectl sessions …`: run for a caller that commands.cpp has signed in.
#pragma once

#include "gatehouseclient.h"

#include <optional>

namespace gh::cli {

struct Invocation;

struct SessionsOutcome {
    int exitCode = 0;
    std::optional<Error> error; // set: commands.cpp reports it (message, hint, exit code)
};

SessionsOutcome runSessions(Client& gatehouse, const Session& session, const Invocation& inv);

} // namespace gh::cli
