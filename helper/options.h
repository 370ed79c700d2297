// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
// Command line of agentsight-helper. Parsing only: no side effects, so it is
// unit-tested (tests/core/tst_helper_options.cpp) without root.
#include <cstdint>
#include <string>
#include <vector>

namespace agentsight::helper {

struct Options {
    std::vector<uint32_t> pids;        ///< --pid: attach to running processes + descendants
    std::vector<std::string> comms;    ///< --comm: follow new processes by name
    std::vector<std::string> command;  ///< -- CMD ARGS...: spawn stopped, attach, release
    std::string socketPath;            ///< --socket PATH: serve one client at a time
    std::string jsonlPath;             ///< --jsonl FILE|-: JSON lines for debugging/scripts
    uint32_t ringBytes = 64u << 20;    ///< --ring-size BYTES (power of two >= 4096)
    uint32_t tlsCapBytes = 4u << 20;   ///< --tls-cap BYTES per SSL call
    uint32_t graceSeconds = 30;        ///< --grace: keep collecting this long without a client
    uint32_t queueBytes = 256u << 20;  ///< --queue-size: bytes buffered for a slow/absent client
    int64_t clientUid = -1;            ///< --uid, else PKEXEC_UID / SUDO_UID / getuid()
    bool holdExec = true;             ///< --no-exec-hold turns the exec hold off
    bool waitForClient = false;        ///< --wait-client: release CMD only once a client is connected
    bool help = false;
    bool version = false;
};

struct ParseResult {
    Options options;
    std::string error; ///< empty when ok
};

ParseResult parseOptions(int argc, const char *const argv[]);
std::string usageText(const char *argv0);

} // namespace agentsight::helper
