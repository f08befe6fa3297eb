#include "processhardening.h"

#include <sys/prctl.h>
#include <sys/resource.h>

namespace gh {

void disableCoreDumps() {
    // The rlimit first: it also covers the children, which do not inherit the dumpable flag.
    const rlimit none{0, 0};
    (void)::setrlimit(RLIMIT_CORE, &none);
    (void)::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
}

} // namespace gh
