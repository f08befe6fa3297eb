// Process hardening shared by gatehoused, the GUI and gatehousectl: no core dumps, so a crash or a
// `kill -ABRT` never writes a password, a session token or the vault key to disk.
#pragma once

namespace gh {

// prctl(PR_SET_DUMPABLE, 0) (also keeps other processes of the same uid from ptrace-attaching)
// and RLIMIT_CORE = 0. Call first thing in main().
void disableCoreDumps();

} // namespace gh
