// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tls_attacher.h - puts the TLS collector's uprobes into traced processes,
 * one process at a time.
 *
 * Driven by the helper core from its event loop (single-threaded, no locks):
 * onProcessStart after an exec or for a process found at start-up,
 * onExecMapping for each new executable file mapping (library, dlopen),
 * onProcessExit to drop the pid's links. Every uprobe is attached for ONE
 * pid (never system-wide), so a bystander mapping the same libssl pays no
 * trap. Binaries are looked at through /proc/PID/exe, /proc/PID/map_files
 * and /proc/PID/root, i.e. the file that process really maps, also across
 * mount namespaces.
 *
 * Results are reported as AS_EV_TLS_ATTACH records through Emit: one per
 * (pid, binary with TLS functions): OK + strategy + probe count, or FAILED +
 * -errno. Binaries without TLS functions are silent, except that the main
 * executable gets AS_ATTACH_NO_TLS when nothing in the process (executable,
 * mapped files, startup libraries) has TLS functions: the app can then say
 * it is blind. A later dlopen of a TLS library still yields an OK record.
 *
 * Limit: registering uprobes takes 6-270 ms here (an RCU grace period);
 * SSL calls made before that are not seen. See README.md.
 */
#ifndef AGENTSIGHT_HELPER_TLS_TLS_ATTACHER_H
#define AGENTSIGHT_HELPER_TLS_TLS_ATTACHER_H

#include "tls_resolver.h"

#include <cstdint>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

struct tls_bpf;
struct bpf_link;
struct bpf_program;

namespace agentsight::helper {

class TlsAttacher
{
public:
    /* A complete helper-made record (AS_EV_TLS_ATTACH; header type, size and
     * tgid filled; the core stamps ktime, seq and tid). */
    using Emit = std::function<void(std::vector<uint8_t> record)>;

    /* skel must be loaded and outlive this object. */
    TlsAttacher(struct tls_bpf *skel, Emit emit);
    ~TlsAttacher(); /* destroys every link it made */
    TlsAttacher(const TlsAttacher &) = delete;
    TlsAttacher &operator=(const TlsAttacher &) = delete;

    /* The fd-discovery syscall tracepoints (cheap early return for everyone
     * untracked). Returns 0 or -errno; idempotent. */
    int attachStatic();

    /* Probe /proc/PID/exe and every executable file mapping in
     * /proc/PID/maps; right after exec (only the executable and ld.so
     * mapped) also the executable's DT_NEEDED closure: libraries ld.so is
     * about to map, attached before they are mapped, which closes the race
     * between "libssl mapped" and "first SSL_write". On a pid already known
     * (exec) the old links are dropped first. */
    void onProcessStart(uint32_t tgid);
    /* A new PROT_EXEC file mapping. dev may be the kernel's dev_t encoding
     * (major << 20 | minor) or userspace st_dev; ino must match. */
    void onExecMapping(uint32_t tgid, const std::string &path, uint64_t dev, uint64_t ino);
    void onProcessExit(uint32_t tgid);

    size_t attachedProbes() const { return m_probeCount; }
    size_t trackedProcesses() const { return m_pids.size(); }
    TlsResolver &resolver() { return m_resolver; }

    struct Stats
    {
        uint64_t binariesAttached = 0; /* (pid, binary) pairs with probes */
        uint64_t attachFailures = 0;   /* (pid, binary) pairs reported FAILED */
        uint64_t unreadable = 0;       /* files we could not open/stat (not ELF is fine) */
        uint64_t mappingNotFound = 0;  /* onExecMapping whose file we could not locate */
        uint64_t preattached = 0;      /* TLS libraries attached from DT_NEEDED before mapping */
        uint64_t sweptDead = 0;        /* pids dropped because /proc/PID vanished (exit event lost) */
        /* Wall time of attaching one binary's probes (all sites). Uprobe
         * registration can wait for an RCU grace period: 0.2 to 100+ ms
         * here. Calls made by the process meanwhile are not captured. */
        uint64_t lastAttachNs = 0;
        uint64_t maxAttachNs = 0;
    };
    const Stats &stats() const { return m_stats; }

private:
    struct Binary
    {
        std::vector<bpf_link *> links;
    };
    struct PidState
    {
        std::set<std::pair<uint64_t, uint64_t>> seen; /* (st_dev, st_ino) already looked at */
        std::map<std::pair<uint64_t, uint64_t>, Binary> attached;
        bool anyTls = false;      /* some binary has TLS functions (attached or not) */
        bool blindReported = false;
        bool gone = false;        /* attach said ESRCH: stop probing this pid */
        std::string exePath;
    };

    /* displayPath: as the process names it; accessPath: how we open it. */
    void probeFile(uint32_t tgid, PidState &st, const std::string &displayPath,
                   const std::string &accessPath, bool isMainExe);
    void walkStartupLibraries(uint32_t tgid, PidState &st, const TlsResolution &exe);
    void dropLinks(PidState &st);
    void sweepDead();
    bpf_program *programFor(const TlsProbeSite &site) const;
    void emitAttach(uint32_t tgid, as_attach_status status, int error, uint32_t probes,
                    const std::string &path, const std::string &strategy);

    struct tls_bpf *m_skel;
    Emit m_emit;
    TlsResolver m_resolver;
    std::unordered_map<uint32_t, PidState> m_pids;
    std::vector<bpf_link *> m_staticLinks;
    size_t m_probeCount = 0;
    /* Dead-pid sweep when the table reaches this size (then 2x live). */
    static constexpr size_t kSweepMinimum = 1024;
    size_t m_sweepAt = kSweepMinimum;
    Stats m_stats;
};

} // namespace agentsight::helper

#endif
