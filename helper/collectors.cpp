// SPDX-License-Identifier: GPL-2.0-or-later
#include "collectors.h"

#include "proc.skel.h"
#include "file.skel.h"
#include "net.skel.h"
#include "tls.skel.h"
#include "hold.skel.h"
#include "agentsight_protocol.h"

#include <bpf/libbpf.h>
#include <cerrno>
#include <cstring>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

namespace agentsight::helper {
namespace {

bool hasCapability(int cap)
{
    // Read the effective set from /proc: avoids a libcap dependency.
    FILE *f = std::fopen("/proc/self/status", "r");
    if (!f)
        return false;
    char line[256];
    unsigned long long eff = 0;
    while (std::fgets(line, sizeof line, f))
        if (std::sscanf(line, "CapEff: %llx", &eff) == 1)
            break;
    std::fclose(f);
    return (eff >> cap) & 1;
}

// Maps shared by every collector live in the proc object; the others reuse
// them by name (common.bpf.h). Internal maps (.rodata, .bss) are per object.
int reuseSharedMaps(bpf_object *from, bpf_object *to)
{
    bpf_map *m;
    bpf_object__for_each_map(m, to) {
        const char *name = bpf_map__name(m);
        if (!name || std::strchr(name, '.'))
            continue;
        bpf_map *src = bpf_object__find_map_by_name(from, name);
        if (!src)
            continue;
        int err = bpf_map__reuse_fd(m, bpf_map__fd(src));
        if (err)
            return err;
    }
    return 0;
}

LoadError loadError(int code, const std::string &what, int err, const std::string &hint = {})
{
    LoadError e;
    e.code = code;
    e.primary = what;
    e.secondary = std::string(std::strerror(err < 0 ? -err : err)) + (hint.empty() ? "" : ". " + hint);
    return e;
}

// Attach failures of tracepoints mean a kernel without that tracepoint.
LoadError attachError(const char *collector, int err)
{
    int code = (err == -ENOENT || err == -EINVAL) ? AS_ERR_TRACEPOINT : AS_ERR_BPF_LOAD;
    return loadError(code, std::string("cannot attach the ") + collector + " collector", err,
                     code == AS_ERR_TRACEPOINT ? "A required tracepoint is missing in this kernel." : "");
}

// Syscall tracepoints that this kernel does not have (openat2 < 5.6,
// fchmodat2 < 6.6) are left out instead of failing the whole start; the
// names are reported so nothing is silently missing.
void skipMissingSyscallTracepoints(bpf_object *obj, std::vector<std::string> &skipped)
{
    bpf_program *prog;
    bpf_object__for_each_program(prog, obj) {
        const char *sec = bpf_program__section_name(prog);
        const char *prefix = "tracepoint/syscalls/";
        if (!sec || std::strncmp(sec, prefix, std::strlen(prefix)) != 0)
            continue;
        std::string event = sec + std::strlen(prefix);
        bool present = false;
        for (const char *root : {"/sys/kernel/tracing/events/syscalls/", "/sys/kernel/debug/tracing/events/syscalls/"})
            present = present || access((root + event).c_str(), F_OK) == 0;
        if (!present) {
            bpf_program__set_autoload(prog, false);
            skipped.push_back(event);
        }
    }
}

template <typename Skel>
void configure(Skel *s, const LoadConfig &cfg)
{
    s->rodata->as_wakeup_bytes = cfg.wakeupBytes;
    s->rodata->as_helper_tgid = cfg.helperTgid;
}

} // namespace

LoadError checkEnvironment()
{
    // CAP_BPF = 39, CAP_PERFMON = 38, CAP_SYS_ADMIN = 21.
    bool privileged = geteuid() == 0 || (hasCapability(39) && hasCapability(38)) || hasCapability(21);
    if (!privileged)
        return {AS_ERR_NOT_ROOT, "agentsight-helper needs root (or CAP_BPF + CAP_PERFMON)",
                "Start it through pkexec (the AgentSight app does this) or sudo."};
    // Syscall tracepoints are found through tracefs; some systems do not
    // mount it. Mount it where libbpf looks (harmless when already there).
    if (access("/sys/kernel/tracing/events", F_OK) != 0 && access("/sys/kernel/debug/tracing/events", F_OK) != 0 &&
        mount("nodev", "/sys/kernel/tracing", "tracefs", 0, nullptr) != 0)
        return {AS_ERR_TRACEPOINT, "tracefs is not mounted and could not be mounted on /sys/kernel/tracing",
                std::strerror(errno)};
    if (access("/sys/kernel/btf/vmlinux", R_OK) != 0)
        return {AS_ERR_NO_BTF, "this kernel has no BTF (/sys/kernel/btf/vmlinux is missing)",
                "AgentSight needs a kernel built with CONFIG_DEBUG_INFO_BTF=y (5.8 or newer)."};
    return {};
}

Collectors::~Collectors()
{
    hold_bpf__destroy(m_hold);
    tls_bpf__destroy(m_tls);
    net_bpf__destroy(m_net);
    file_bpf__destroy(m_file);
    proc_bpf__destroy(m_proc);
}

LoadError Collectors::loadAndAttach(const LoadConfig &cfg)
{
    if (LoadError e = checkEnvironment(); e.code)
        return e;

    m_proc = proc_bpf__open();
    m_file = file_bpf__open();
    m_net = net_bpf__open();
    m_tls = tls_bpf__open();
    m_hold = hold_bpf__open();
    if (!m_proc || !m_file || !m_net || !m_tls || !m_hold)
        return loadError(AS_ERR_BPF_LOAD, "cannot open the BPF collectors", errno);

    configure(m_proc, cfg);
    configure(m_file, cfg);
    configure(m_net, cfg);
    configure(m_tls, cfg);
    configure(m_hold, cfg);
    m_hold->rodata->as_hold_exec = cfg.holdExec ? 1 : 0;
    m_tls->rodata->as_tls_cap_bytes = cfg.tlsCapBytes;

    for (bpf_object *obj : {m_proc->obj, m_file->obj, m_net->obj, m_tls->obj, m_hold->obj})
        skipMissingSyscallTracepoints(obj, m_skippedTracepoints);

    if (int err = bpf_map__set_max_entries(m_proc->maps.events, cfg.ringBytes))
        return loadError(AS_ERR_BPF_LOAD, "invalid ring buffer size", err);
    if (int err = proc_bpf__load(m_proc))
        return loadError(AS_ERR_BPF_LOAD, "the kernel refused the process collector", err,
                         "See the libbpf messages above.");

    struct { const char *name; bpf_object *obj; } others[] = {
        {"file", m_file->obj}, {"net", m_net->obj}, {"tls", m_tls->obj}, {"exec hold", m_hold->obj}};
    for (auto &o : others)
        if (int err = reuseSharedMaps(m_proc->obj, o.obj))
            return loadError(AS_ERR_BPF_LOAD, std::string("cannot share maps with the ") + o.name + " collector", err);
    if (int err = file_bpf__load(m_file))
        return loadError(AS_ERR_BPF_LOAD, "the kernel refused the file collector", err);
    if (int err = net_bpf__load(m_net))
        return loadError(AS_ERR_BPF_LOAD, "the kernel refused the network collector", err);
    if (int err = tls_bpf__load(m_tls))
        return loadError(AS_ERR_BPF_LOAD, "the kernel refused the TLS collector", err);
    if (int err = hold_bpf__load(m_hold))
        return loadError(AS_ERR_BPF_LOAD, "the kernel refused the exec hold program", err);

    if (int err = proc_bpf__attach(m_proc))
        return attachError("process", err);
    if (int err = file_bpf__attach(m_file))
        return attachError("file", err);
    if (int err = net_bpf__attach(m_net))
        return attachError("network", err);
    // After proc: its exec handler adds comm targets the hold must see.
    if (int err = hold_bpf__attach(m_hold))
        return attachError("exec hold", err);
    return {};
}

int Collectors::ringFd() const { return bpf_map__fd(m_proc->maps.events); }
int Collectors::trackedFd() const { return bpf_map__fd(m_proc->maps.tracked); }
int Collectors::dropsFd() const { return bpf_map__fd(m_proc->maps.drops); }
int Collectors::commTargetsFd() const { return bpf_map__fd(m_proc->maps.comm_targets); }
void Collectors::stopHolding()
{
    if (m_hold)
        hold_bpf__detach(m_hold);
}

int Collectors::heldFd() const { return m_hold ? bpf_map__fd(m_hold->maps.held) : -1; }
int Collectors::holdSkipFd() const { return bpf_map__fd(m_hold->maps.exec_hold_skip); }

} // namespace agentsight::helper
