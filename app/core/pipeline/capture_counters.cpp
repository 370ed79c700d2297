// SPDX-License-Identifier: GPL-2.0-or-later
#include "pipeline/capture_counters.h"

#include <cstdio>

namespace agentsight::pipeline {

namespace {
std::string compact(uint64_t n)
{
    char buf[32];
    if (n < 10000)
        std::snprintf(buf, sizeof buf, "%llu", static_cast<unsigned long long>(n));
    else if (n < 10000000)
        std::snprintf(buf, sizeof buf, "%.1fk", double(n) / 1e3);
    else
        std::snprintf(buf, sizeof buf, "%.1fM", double(n) / 1e6);
    return buf;
}
} // namespace

uint64_t CaptureCounters::lostTotal() const
{
    uint64_t t = recorderDropped;
    for (const auto &s : lost)
        for (uint64_t v : s)
            t += v;
    return t;
}

std::string CaptureCounters::statusLine() const
{
    uint64_t kernel = 0, queue = 0, gaps = 0;
    for (const auto &s : lost) {
        kernel += s[0];
        queue += s[1];
        gaps += s[2];
    }
    char cost[48];
    std::snprintf(cost, sizeof cost, "$%.4f%s", costUsd, unpricedCalls ? "+?" : "");
    std::string line = "events " + compact(events) + " | LLM " + compact(llmCalls) + " calls, " +
        compact(inputTokens) + " in / " + compact(outputTokens) + " out tokens, " + cost + " | drops " +
        compact(lostTotal());
    if (lostTotal())
        line += " (kernel " + compact(kernel) + ", helper " + compact(queue) + ", gaps " + compact(gaps) +
            ", recorder " + compact(recorderDropped) + ")";
    if (badRecords)
        line += " | bad records " + compact(badRecords);
    if (tlsDroppedBytes)
        line += " | TLS cut " + compact(tlsDroppedBytes) + " B";
    return line;
}

} // namespace agentsight::pipeline
