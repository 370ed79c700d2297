// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
// Records the helper makes itself (LOST, TARGET, TLS_ATTACH, /proc snapshots):
// same layouts as kernel records, stamped with the helper source's sequence.
#include "agentsight_events.h"

#include <cstdint>
#include <cstring>
#include <string_view>
#include <vector>

namespace agentsight::helper {

uint64_t bootTimeNs();   ///< CLOCK_BOOTTIME, the kernel records' clock
int64_t bootToWallNs();  ///< wall = boot + this

/// Builds a record from a fixed struct (header first) and variable tails.
template <typename Fixed>
std::vector<uint8_t> makeRecord(const Fixed &fixed, std::initializer_list<std::string_view> tails = {})
{
    size_t size = sizeof(Fixed);
    for (auto t : tails)
        size += t.size();
    std::vector<uint8_t> rec(size);
    std::memcpy(rec.data(), &fixed, sizeof(Fixed));
    size_t off = sizeof(Fixed);
    for (auto t : tails) {
        if (!t.empty())
            std::memcpy(rec.data() + off, t.data(), t.size());
        off += t.size();
    }
    auto *h = reinterpret_cast<as_event_header *>(rec.data());
    h->size = uint32_t(size);
    return rec;
}

/// Stamps ktime (if 0) and the next helper sequence number.
class HelperSequencer {
public:
    void stamp(std::vector<uint8_t> &rec)
    {
        auto *h = reinterpret_cast<as_event_header *>(rec.data());
        if (!h->ktime_ns)
            h->ktime_ns = bootTimeNs();
        h->seq = ++m_seq;
    }

private:
    uint64_t m_seq = 0;
};

} // namespace agentsight::helper
