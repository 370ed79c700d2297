// SPDX-License-Identifier: GPL-2.0-or-later
#include "records.h"

#include <time.h>

namespace agentsight::helper {

static uint64_t clockNs(clockid_t id)
{
    timespec ts{};
    clock_gettime(id, &ts);
    return uint64_t(ts.tv_sec) * 1000000000ull + uint64_t(ts.tv_nsec);
}

uint64_t bootTimeNs() { return clockNs(CLOCK_BOOTTIME); }

int64_t bootToWallNs()
{
    // Sample the pair tightly; take the closest of a few tries.
    int64_t best = 0;
    uint64_t bestGap = UINT64_MAX;
    for (int i = 0; i < 5; ++i) {
        uint64_t b1 = clockNs(CLOCK_BOOTTIME);
        uint64_t w = clockNs(CLOCK_REALTIME);
        uint64_t b2 = clockNs(CLOCK_BOOTTIME);
        if (b2 - b1 < bestGap) {
            bestGap = b2 - b1;
            best = int64_t(w) - int64_t(b1 + (b2 - b1) / 2);
        }
    }
    return best;
}

} // namespace agentsight::helper
