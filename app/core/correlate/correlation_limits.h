// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/**
 * @brief Timing and memory knobs of the correlator. All times are event
 * time (record ktime), never the wall clock, so a replay decides the same.
 */
#include <cstddef>
#include <cstdint>

namespace agentsight::correlate {

struct CorrelationLimits {
    /// After a call's window closed, wait this much event time for records
    /// still in flight (separate rings, parked pids) before deciding.
    uint64_t settleNs = 1'000'000'000ull;
    /// An action is decided (claimed or unexplained) this long after it
    /// happened, once no open call's window could still contain it. Covers
    /// exchanges delivered late because their response was still streaming.
    uint64_t finalizeDelayNs = 30'000'000'000ull;
    /// A call whose result never comes is closed this long after it began.
    uint64_t maxOpenWindowNs = 600'000'000'000ull;
    std::size_t maxBufferedActionsPerAgent = 50000; ///< beyond: oldest decided early (counted)
    std::size_t maxBufferedActions = 200000;        ///< all agents together; beyond: the oldest anywhere
    std::size_t maxOpenCallsPerAgent = 512;         ///< beyond: oldest batch resolved early (counted)
    std::size_t maxLinksPerCall = 2000;
    std::size_t maxRuntimeProcesses = 256;          ///< per agent
    std::size_t maxLlmHosts = 32;                   ///< per agent
    std::size_t maxResultExcerpt = 512;
    std::size_t maxArgumentsExcerpt = 2048;
    double minArgScore = 0.5;   ///< argument evidence needed for a runner/effect link
    double minConfidence = 0.5;
    /// How often (event time) idle agents are swept for decisions.
    uint64_t sweepIntervalNs = 50'000'000ull;
};

} // namespace agentsight::correlate
