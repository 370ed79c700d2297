// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
// What the helper traces: running processes (+ descendants, found in /proc),
// a spawned command, comm names. Also who may trace what: a client may target
// only processes of its own uid (root may target any).
#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace agentsight::helper {

struct ProcSnapshot {
    uint32_t tgid = 0;
    uint32_t ppid = 0;
    uint32_t uid = 0;       ///< real uid
    uint64_t startNs = 0;   ///< boot ns, clock-tick precision
    std::string comm, exe, cwd;
    std::string argv;       ///< NUL-separated, as in /proc/PID/cmdline
};

std::optional<ProcSnapshot> readProc(uint32_t tgid);
/// The process and every live descendant, parents before children.
std::vector<ProcSnapshot> processTree(uint32_t rootTgid);
/// /proc snapshot as an AS_EV_PROC_EXEC record flagged AS_F_SNAPSHOT.
std::vector<uint8_t> snapshotRecord(const ProcSnapshot &p);

/// May a client with this uid trace that process? (root: always)
bool mayTrace(uint32_t clientUid, const ProcSnapshot &p);

/// The uid the helper serves: --uid, else PKEXEC_UID, SUDO_UID, real uid.
uint32_t invokingUid(int64_t optionUid);

/// Finds CMD in PATH (or checks it when it contains '/'). Empty if not found.
std::string findExecutable(const std::string &cmd);

/// A command forked but held before execve until release(), so its pid is in
/// the tracked set before its first instruction runs.
class HeldCommand {
public:
    /// Forks; the child drops to uid/gid (when the helper is root and uid != 0)
    /// and waits. Returns false with an error message.
    bool spawn(const std::vector<std::string> &argv, uint32_t uid, std::string &error);
    /// Lets the child exec. Returns false (error set) when execve failed.
    bool release(std::string &error);
    pid_t pid() const { return m_pid; }

private:
    pid_t m_pid = -1;
    int m_goFd = -1;     ///< parent writes one byte: "exec now"
    int m_statusFd = -1; ///< child writes errno if execve fails (CLOEXEC: EOF = success)
};

} // namespace agentsight::helper
