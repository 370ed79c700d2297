// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
// The loader facade over the four BPF skeletons (proc, file, net, tls): one
// place that opens, configures, loads and attaches them with shared maps, and
// maps every failure to a distinct error code (agentsight_protocol.h).
#include <cstdint>
#include <string>
#include <vector>

struct proc_bpf;
struct file_bpf;
struct net_bpf;
struct tls_bpf;
struct hold_bpf;

namespace agentsight::helper {

struct LoadConfig {
    uint32_t ringBytes = 64u << 20;
    uint32_t tlsCapBytes = 4u << 20;
    uint32_t helperTgid = 0;
    uint64_t wakeupBytes = 256 * 1024;
    bool holdExec = true; ///< stop exec'd processes until their TLS probes are in
};

struct LoadError {
    int code = 0;           ///< enum as_error_code; 0 = ok
    std::string primary;    ///< what failed
    std::string secondary;  ///< why / what to do
};

class Collectors {
public:
    Collectors() = default;
    ~Collectors();
    Collectors(const Collectors &) = delete;
    Collectors &operator=(const Collectors &) = delete;

    /// Checks privileges and BTF, opens and loads every collector; attaches
    /// the tracepoint programs of proc/file/net (TLS uprobes are per pid).
    LoadError loadAndAttach(const LoadConfig &cfg);

    int ringFd() const;
    int trackedFd() const;
    int dropsFd() const;
    int commTargetsFd() const;
    /// Detaches the exec/mmap hold so no process is stopped any more
    /// (before releasing the held ones at exit).
    void stopHolding();
    int heldFd() const;        ///< tgids stopped at exec (hold.bpf.c)
    int holdSkipFd() const;    ///< binaries never to stop for
    tls_bpf *tls() const { return m_tls; }
    /// Syscall tracepoints this kernel lacks, left out (e.g. sys_enter_fchmodat2).
    const std::vector<std::string> &skippedTracepoints() const { return m_skippedTracepoints; }

private:
    proc_bpf *m_proc = nullptr;
    file_bpf *m_file = nullptr;
    net_bpf *m_net = nullptr;
    tls_bpf *m_tls = nullptr;
    hold_bpf *m_hold = nullptr;
    std::vector<std::string> m_skippedTracepoints;
};

/// Pre-flight checks that give clear errors before libbpf's own messages.
LoadError checkEnvironment();

} // namespace agentsight::helper
