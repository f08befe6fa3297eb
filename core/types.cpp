#include "types.h"

namespace gh {

int LayerHealth::warnings() const {
    int n = 0;
    for (const HealthNote& note : notes)
        n += note.warning ? 1 : 0;
    return n;
}

} // namespace gh
