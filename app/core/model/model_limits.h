// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/**
 * @brief Caps that keep the process model's memory bounded on an endless
 * live stream. Every cap that drops detail has a counter next to what it
 * capped (Process::*Dropped, ProcessTree::Stats), so nothing goes silently.
 *
 * Defaults are sized for a busy agent session (thousands of processes,
 * hundreds of files each) at a few tens of MB worst case.
 */
#include <cstddef>
#include <cstdint>

namespace agentsight::model {

struct ModelLimits {
    std::size_t maxProcesses = 20000;     ///< exited processes beyond this are evicted, oldest first
    std::size_t maxExecHistory = 16;      ///< execs kept per process (argv of each)
    std::size_t maxFileActivity = 128;    ///< file actions kept per process
    std::size_t maxNetActivity = 64;      ///< connects/accepts kept per process
    std::size_t maxDnsQueries = 64;       ///< DNS names kept per process
    std::size_t maxFds = 1024;            ///< fd table entries per process
    std::size_t maxChildren = 4096;       ///< child ids kept per process
    std::size_t maxExchangesPerAgent = 10000; ///< conversation entries kept per agent
    std::size_t maxAgents = 256;          ///< ended agents beyond this are forgotten, oldest first
    std::size_t maxParkedPerTgid = 256;   ///< events waiting for their process to appear
    std::size_t maxParkedTotal = 8192;
    std::size_t maxLineage = 32;          ///< ancestors copied into an action
    /// Events for an unknown pid wait this long (event time) for its fork/exec
    /// before the pid gets a placeholder process. Covers ring-buffer reordering
    /// between the proc and file/net sources.
    uint64_t parkTimeoutNs = 2'000'000'000ull;
    /// A DNS query this recent in the same process names the next connect.
    uint64_t dnsHintWindowNs = 5'000'000'000ull;
    /// AS_F_SNAPSHOT start times come from /proc in clock ticks (10 ms).
    uint64_t snapshotStartToleranceNs = 10'000'000ull;
};

} // namespace agentsight::model
