// Process hardening shared by gatehoused, gatehouse and gatehousectl (issue 10, item 8). Call
// disableCoreDumps() first thing in main(), before any secret (vault key, password, session
// token) can reach memory.
#pragma once

namespace gh {

// Makes a crash of this process leave no core dump and keeps same-uid debuggers out:
//  - prctl(PR_SET_DUMPABLE, 0): the kernel writes no core (also none through a core_pattern
//    pipe such as systemd-coredump) and refuses ptrace attach and /proc/<pid>/mem, environ and
//    exe to other processes of the same uid;
//  - setrlimit(RLIMIT_CORE, {0, 0}): soft and hard limit 0, inherited by every child.
// The dumpable flag is reset by execve(), so a program this one starts must call it itself.
// Failures are ignored: there is nothing better to do, and tests/app/tst_nocoredump checks the
// outcome. (LeakSanitizer still works: it makes the process dumpable while it stops the world.)
void disableCoreDumps();

} // namespace gh
