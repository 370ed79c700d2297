// SPDX-License-Identifier: GPL-2.0-or-later
#include "session.h"
#include "tls_attacher.h"

#include "proc.skel.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace agentsight::helper {
namespace {

// Mirror of struct as_tracked (bpf/include/common.bpf.h), the `tracked` map value.
struct TrackedValue {
    uint64_t start_ns;
    uint32_t root_tgid;
    uint32_t flags;
};
static_assert(sizeof(TrackedValue) == 16);

constexpr int kPollMs = 10;              // bounds delivery latency of batched records
constexpr uint64_t kDropReportNs = 100'000'000;
constexpr uint64_t kStatsNs = 1'000'000'000;
constexpr uint64_t kDrainNs = 100'000'000; // after the targets end, collect stragglers this long
constexpr uint64_t kHoldTimeoutNs = 500'000'000; // longest a process may stay held at exec/mmap

int onRing(void *ctx, void *data, size_t size)
{
    static_cast<Session *>(ctx)->onKernelRecord(static_cast<const uint8_t *>(data), size);
    return 0;
}

std::vector<uint8_t> targetRecord(uint32_t tgid, uint32_t kind, uint32_t op, int32_t status, const std::string &name)
{
    as_target t{};
    t.h.type = AS_EV_TARGET;
    t.h.tgid = tgid;
    t.kind = kind;
    t.op = op;
    t.exit_status = status;
    std::string n = name.substr(0, 4096);
    t.name_len = uint16_t(n.size());
    return makeRecord(t, {n});
}

std::string joinArgs(const std::vector<std::string> &v)
{
    std::string s;
    for (const auto &a : v)
        s += (s.empty() ? "" : " ") + a;
    return s;
}

} // namespace

Session::Session(Options opts) : m_opts(std::move(opts)) {}

Session::~Session()
{
    releaseAllHeld();
    ring_buffer__free(m_ring);
}

int Session::fail(int code, const std::string &primary, const std::string &secondary)
{
    std::fprintf(stderr, "agentsight-helper: %s\n", primary.c_str());
    if (!secondary.empty())
        std::fprintf(stderr, "  %s\n", secondary.c_str());
    if (m_server && m_server->hasClient()) {
        m_server->sendError(uint32_t(code), primary, secondary);
        m_server->writeClient();
    }
    return code;
}

void Session::track(uint32_t tgid, uint64_t startNs, uint32_t root)
{
    TrackedValue v{startNs, root, 0};
    if (bpf_map_update_elem(m_collectors.trackedFd(), &tgid, &v, BPF_ANY) == 0)
        return;
    // A full tracked set (65536 processes) must not hide a target silently.
    std::string line = "cannot track process " + std::to_string(tgid) + ": " + std::strerror(errno) +
                       " (tracked set full?); it and its children are not traced";
    std::fprintf(stderr, "agentsight-helper: %s\n", line.c_str());
    if (m_server)
        m_server->sendControl(AS_FRAME_LOG, line.data(), line.size());
}

void Session::emitHelperRecord(std::vector<uint8_t> rec)
{
    m_seq.stamp(rec);
    deliver(rec.data(), rec.size());
}

void Session::deliver(const uint8_t *rec, size_t size)
{
    if (m_jsonl.isOpen())
        m_jsonl.write(rec, size);
    if (m_server)
        m_server->enqueueRecord(rec, size);
}

bool Session::addPidTarget(uint32_t pid, uint32_t requesterUid, std::string &error)
{
    auto root = readProc(pid);
    if (!root) {
        error = "process " + std::to_string(pid) + " does not exist";
        return false;
    }
    if (!mayTrace(requesterUid, *root)) {
        error = "process " + std::to_string(pid) + " belongs to uid " + std::to_string(root->uid) +
                "; uid " + std::to_string(requesterUid) + " may trace only its own processes";
        return false;
    }
    if (pid == uint32_t(getpid())) {
        error = "the helper cannot trace itself";
        return false;
    }
    m_pidTargets.insert(pid);
    emitHelperRecord(targetRecord(pid, AS_TARGET_PID, AS_TARGET_ADDED, 0, std::to_string(pid)));
    // Tracepoints are attached already, so forks from now on are followed by
    // the kernel; two passes over /proc catch children forked in between.
    std::set<uint32_t> seen;
    for (int pass = 0; pass < 2; ++pass) {
        for (const ProcSnapshot &p : processTree(pid)) {
            if (!seen.insert(p.tgid).second || !mayTrace(requesterUid, p))
                continue;
            track(p.tgid, p.startNs, pid);
            emitHelperRecord(snapshotRecord(p));
            if (m_tls)
                m_tls->onProcessStart(p.tgid);
        }
    }
    return true;
}

void Session::removePidTarget(uint32_t pid)
{
    // Untrack the root and everything the kernel tracked on its behalf.
    int fd = m_collectors.trackedFd();
    uint32_t key = 0, next;
    std::vector<uint32_t> victims;
    uint32_t *prev = nullptr;
    while (bpf_map_get_next_key(fd, prev, &next) == 0) {
        TrackedValue v;
        if (bpf_map_lookup_elem(fd, &next, &v) == 0 && (v.root_tgid == pid || next == pid))
            victims.push_back(next);
        key = next;
        prev = &key;
    }
    for (uint32_t t : victims) {
        bpf_map_delete_elem(fd, &t);
        if (m_tls)
            m_tls->onProcessExit(t);
    }
    if (m_pidTargets.erase(pid))
        emitHelperRecord(targetRecord(pid, AS_TARGET_PID, AS_TARGET_REMOVED, 0, std::to_string(pid)));
}

bool Session::addComm(const std::string &name)
{
    char key[AS_MAX_COMM] = {};
    // The kernel's comm is the first 15 bytes of the executable's basename.
    std::strncpy(key, name.c_str(), AS_MAX_COMM - 1);
    uint8_t one = 1;
    if (bpf_map_update_elem(m_collectors.commTargetsFd(), key, &one, BPF_ANY) != 0)
        return false;
    emitHelperRecord(targetRecord(0, AS_TARGET_COMM, AS_TARGET_ADDED, 0, name));
    return true;
}

void Session::onKernelRecord(const uint8_t *rec, size_t size)
{
    if (size < sizeof(as_event_header))
        return;
    auto *h = reinterpret_cast<const as_event_header *>(rec);
    if (m_denied.count(h->tgid)) {
        if (h->type == AS_EV_PROC_EXIT && size >= sizeof(as_proc_exit) &&
            reinterpret_cast<const as_proc_exit *>(rec)->is_process)
            m_denied.erase(h->tgid);
        return;
    }
    // Deliver first: records the kernel event triggers (TLS attach results,
    // target exits) must follow it in the stream.
    if (h->type == AS_EV_PROC_EXEC && size >= sizeof(as_proc_exec)) {
        auto *e = reinterpret_cast<const as_proc_exec *>(rec);
        // A non-root client sees only its own processes: a --comm match (or
        // a setuid exec) by another user is untracked and hidden.
        if (m_uid != 0 && e->uid != m_uid) {
            m_denied.insert(h->tgid);
            uint32_t tgid = h->tgid;
            bpf_map_delete_elem(m_collectors.trackedFd(), &tgid);
            return;
        }
    }
    if (h->type == AS_EV_TLS_DATA && size >= sizeof(as_tls_data))
        m_tlsTruncatedBytes += reinterpret_cast<const as_tls_data *>(rec)->dropped;
    deliver(rec, size);

    switch (h->type) {
    case AS_EV_PROC_EXEC:
        if (m_tls) {
            size_t probes = m_tls->attachedProbes();
            uint64_t failures = m_tls->stats().attachFailures;
            m_tls->onProcessStart(h->tgid);
            afterExecAttach(h->tgid, probes, failures);
        } else {
            releaseHeld(h->tgid);
        }
        break;
    case AS_EV_PROC_MMAP_EXEC:
        if (size >= sizeof(as_proc_mmap_exec) && m_tls) {
            auto *e = reinterpret_cast<const as_proc_mmap_exec *>(rec);
            size_t n = std::min<size_t>(e->path_len, size - sizeof *e);
            std::string path(reinterpret_cast<const char *>(rec + sizeof *e), n);
            m_tls->onExecMapping(h->tgid, path, e->dev, e->ino);
            // A file without TLS functions is never held for again. The
            // record's dev uses stat()'s encoding; the BPF key the kernel's.
            auto res = m_tls->resolver().resolve("/proc/" + std::to_string(h->tgid) + "/root" + path);
            if (res && res->error == 0 && !res->hasTls()) {
                uint64_t maj = (e->dev >> 8) & 0xfff, min = (e->dev & 0xff) | ((e->dev >> 12) & 0xfff00);
                struct { uint64_t dev, ino; } key{(maj << 20) | min, e->ino};
                uint8_t one = 1;
                bpf_map_update_elem(m_collectors.holdSkipFd(), &key, &one, BPF_ANY);
            }
        }
        releaseHeld(h->tgid);
        break;
    case AS_EV_PROC_EXIT:
        if (size >= sizeof(as_proc_exit) && reinterpret_cast<const as_proc_exit *>(rec)->is_process) {
            if (m_tls)
                m_tls->onProcessExit(h->tgid);
            uint32_t gone = h->tgid;
            bpf_map_delete_elem(m_collectors.heldFd(), &gone);
            if (m_pidTargets.erase(h->tgid)) {
                auto *e = reinterpret_cast<const as_proc_exit *>(rec);
                emitHelperRecord(targetRecord(h->tgid, AS_TARGET_PID, AS_TARGET_EXITED,
                                              (e->exit_code << 8) | e->signal, std::to_string(h->tgid)));
            }
        }
        break;
    default:
        break;
    }
}

void Session::afterExecAttach(uint32_t tgid, size_t probesBefore, uint64_t failuresBefore)
{
    // Nothing attached and nothing failed: this binary (with its DT_NEEDED
    // libraries) has no TLS functions. Never stop for it again.
    if (m_tls->attachedProbes() == probesBefore && m_tls->stats().attachFailures == failuresBefore) {
        struct stat st;
        std::string exe = "/proc/" + std::to_string(tgid) + "/exe";
        if (stat(exe.c_str(), &st) == 0) {
            struct { uint64_t dev, ino; } key{(uint64_t(major(st.st_dev)) << 20) | minor(st.st_dev), st.st_ino};
            uint8_t one = 1;
            bpf_map_update_elem(m_collectors.holdSkipFd(), &key, &one, BPF_ANY);
        }
    }
    releaseHeld(tgid);
}

void Session::releaseHeld(uint32_t tgid)
{
    uint64_t since;
    if (bpf_map_lookup_elem(m_collectors.heldFd(), &tgid, &since) != 0)
        return;
    bpf_map_delete_elem(m_collectors.heldFd(), &tgid);
    kill(pid_t(tgid), SIGCONT);
    ++m_heldReleased;
}

void Session::releaseStaleHeld(uint64_t now)
{
    // The record that should have released a process was lost (ring full)
    // or never came: never keep anyone stopped for long.
    int fd = m_collectors.heldFd();
    uint32_t key, *prev = nullptr, k = 0;
    std::vector<uint32_t> stale;
    while (bpf_map_get_next_key(fd, prev, &key) == 0) {
        uint64_t since;
        if (bpf_map_lookup_elem(fd, &key, &since) == 0 && now > since && now - since > kHoldTimeoutNs)
            stale.push_back(key);
        k = key;
        prev = &k;
    }
    for (uint32_t t : stale) {
        releaseHeld(t);
        ++m_heldTimeouts;
    }
}

void Session::releaseAllHeld()
{
    // Never leave a process stopped behind us: first stop holding new ones,
    // then continue everyone held.
    m_collectors.stopHolding();
    // A hold program already running on another CPU may still add its entry.
    usleep(20000);
    int fd = m_collectors.heldFd();
    if (fd < 0)
        return;
    uint32_t key, *prev = nullptr, k = 0;
    std::vector<uint32_t> all;
    while (bpf_map_get_next_key(fd, prev, &key) == 0) {
        all.push_back(key);
        k = key;
        prev = &k;
    }
    for (uint32_t t : all)
        releaseHeld(t);
}

void Session::reportDrops()
{
    int ncpu = libbpf_num_possible_cpus();
    std::vector<uint64_t> values(size_t(ncpu > 0 ? ncpu : 1));
    for (uint32_t src = 0; src < AS_SRC_COUNT; ++src) {
        if (bpf_map_lookup_elem(m_collectors.dropsFd(), &src, values.data()) != 0)
            continue;
        uint64_t total = 0;
        for (uint64_t v : values)
            total += v;
        if (total > m_ringDropsSeen[src]) {
            as_lost l{};
            l.h.type = AS_EV_LOST;
            l.source = src;
            l.reason = 1;
            l.count = total - m_ringDropsSeen[src];
            m_ringDropsSeen[src] = total;
            m_ringDropsTotal[src] = total;
            emitHelperRecord(makeRecord(l));
        }
    }
    if (m_server) {
        auto q = m_server->takeQueueDrops();
        for (uint32_t src = 0; src < AS_SRC_COUNT; ++src) {
            if (!q[src])
                continue;
            m_queueDropsTotal += q[src];
            as_lost l{};
            l.h.type = AS_EV_LOST;
            l.source = src;
            l.reason = 2;
            l.count = q[src];
            emitHelperRecord(makeRecord(l));
        }
    }
}

void Session::sendStats()
{
    if (!m_server)
        return;
    as_stats s{};
    s.events_sent = m_server->eventsSent();
    s.bytes_sent = m_server->bytesSent();
    for (int i = 0; i < AS_SRC_COUNT; ++i)
        s.lost_ring[i] = m_ringDropsTotal[size_t(i)];
    s.lost_queue = m_queueDropsTotal;
    s.tls_truncated_bytes = m_tlsTruncatedBytes;
    s.attached_uprobes = m_tls ? uint32_t(m_tls->attachedProbes()) : 0;
    uint32_t key, *prev = nullptr, n = 0, k = 0;
    while (bpf_map_get_next_key(m_collectors.trackedFd(), prev, &key) == 0 && n < 1000000) {
        ++n;
        k = key;
        prev = &k;
    }
    s.tracked_processes = n;
    m_server->sendControl(AS_FRAME_STATS, &s, sizeof s);
}

void Session::onControl(uint16_t kind, const std::vector<uint8_t> &payload, uint32_t peerUid)
{
    switch (kind) {
    case AS_FRAME_ADD_PID:
    case AS_FRAME_REMOVE_PID: {
        uint32_t pid = 0;
        if (payload.size() != sizeof pid) {
            m_server->sendError(AS_ERR_USAGE, "malformed pid frame", "");
            return;
        }
        std::memcpy(&pid, payload.data(), sizeof pid);
        if (kind == AS_FRAME_REMOVE_PID) {
            removePidTarget(pid);
            return;
        }
        std::string error;
        if (!addPidTarget(pid, peerUid, error))
            m_server->sendError(readProc(pid) ? AS_ERR_PERMISSION : AS_ERR_TARGET_GONE, error, "");
        return;
    }
    case AS_FRAME_ADD_COMM: {
        std::string name(payload.begin(), payload.end());
        if (name.empty() || name.size() > 255 || name.find('\0') != std::string::npos || !addComm(name))
            m_server->sendError(AS_ERR_USAGE, "invalid comm target", name.substr(0, 64));
        return;
    }
    case AS_FRAME_STOP:
        m_stopRequested = true;
        return;
    default:
        m_server->sendError(AS_ERR_USAGE, "unknown control frame " + std::to_string(kind), "");
    }
}

void Session::reapChildren()
{
    for (;;) {
        int status = 0;
        pid_t p = waitpid(-1, &status, WNOHANG);
        if (p <= 0)
            return;
        if (m_commandRunning && p == m_command.pid()) {
            m_commandRunning = false;
            emitHelperRecord(targetRecord(uint32_t(p), AS_TARGET_COMMAND, AS_TARGET_EXITED, status,
                                          joinArgs(m_opts.command)));
        }
    }
}

bool Session::targetsDone() const
{
    return m_opts.comms.empty() && !m_commandRunning && m_pidTargets.empty();
}

int Session::setUp()
{
    m_uid = invokingUid(m_opts.clientUid);
    m_bootToWall = bootToWallNs();

    // Everything that can be checked without root comes first: bad targets
    // must not leave anything half-attached.
    for (uint32_t pid : m_opts.pids) {
        auto p = readProc(pid);
        if (!p)
            return fail(AS_ERR_TARGET_GONE, "process " + std::to_string(pid) + " does not exist");
        if (!mayTrace(m_uid, *p))
            return fail(AS_ERR_PERMISSION, "process " + std::to_string(pid) + " belongs to uid " + std::to_string(p->uid),
                        "uid " + std::to_string(m_uid) + " may trace only its own processes.");
    }
    if (!m_opts.command.empty() && findExecutable(m_opts.command[0]).empty())
        return fail(AS_ERR_COMMAND_NOT_FOUND, "command not found: " + m_opts.command[0]);
    if (LoadError e = checkEnvironment(); e.code)
        return fail(e.code, e.primary, e.secondary);

    std::string error;
    if (!m_opts.jsonlPath.empty()) {
        if (!m_jsonl.open(m_opts.jsonlPath, error))
            return fail(AS_ERR_USAGE, error);
        m_jsonl.setBootToWall(m_bootToWall);
    }
    if (!m_opts.socketPath.empty()) {
        m_server = std::make_unique<ClientServer>(m_uid, m_opts.queueBytes);
        if (int code = m_server->listen(m_opts.socketPath, error))
            return fail(code, error);
        as_hello hello{};
        hello.magic = AS_PROTO_MAGIC;
        hello.proto_major = AS_PROTO_MAJOR;
        hello.proto_minor = AS_PROTO_MINOR;
        hello.schema_major = AS_SCHEMA_MAJOR;
        hello.schema_minor = AS_SCHEMA_MINOR;
        hello.boot_to_wall_ns = m_bootToWall;
        hello.helper_pid = uint32_t(getpid());
        hello.client_uid = m_uid;
        hello.ring_bytes = m_opts.ringBytes;
        hello.tls_cap_bytes = m_opts.tlsCapBytes;
        m_server->setHello(hello);
        m_server->setControlHandler([this](uint16_t k, const std::vector<uint8_t> &p, uint32_t uid) { onControl(k, p, uid); });
    }

    LoadConfig cfg;
    cfg.ringBytes = m_opts.ringBytes;
    cfg.tlsCapBytes = m_opts.tlsCapBytes;
    cfg.helperTgid = uint32_t(getpid());
    cfg.holdExec = m_opts.holdExec;
    // Wake the reader when an eighth of the ring is used, so a burst is
    // drained long before the ring fills; otherwise the 10 ms poll collects.
    cfg.wakeupBytes = std::min<uint64_t>(256 * 1024, m_opts.ringBytes / 8);
    if (LoadError e = m_collectors.loadAndAttach(cfg); e.code)
        return fail(e.code, e.primary, e.secondary);

    for (const std::string &t : m_collectors.skippedTracepoints()) {
        std::string line = "this kernel has no tracepoint " + t + ": that syscall is not traced";
        std::fprintf(stderr, "agentsight-helper: %s\n", line.c_str());
        if (m_server)
            m_server->sendControl(AS_FRAME_LOG, line.data(), line.size());
    }
    m_tls = std::make_unique<TlsAttacher>(m_collectors.tls(), [this](std::vector<uint8_t> rec) { emitHelperRecord(std::move(rec)); });
    if (int err = m_tls->attachStatic())
        return fail(AS_ERR_TRACEPOINT, "cannot attach the TLS collector's syscall tracepoints", std::strerror(-err));

    m_ring = ring_buffer__new(m_collectors.ringFd(), onRing, this, nullptr);
    if (!m_ring)
        return fail(AS_ERR_INTERNAL, "cannot open the ring buffer", std::strerror(errno));

    for (const auto &c : m_opts.comms)
        if (!addComm(c))
            return fail(AS_ERR_INTERNAL, "cannot add comm target " + c, std::strerror(errno));
    for (uint32_t pid : m_opts.pids)
        if (!addPidTarget(pid, m_uid, error))
            return fail(AS_ERR_TARGET_GONE, error);

    if (!m_opts.command.empty()) {
        if (!m_command.spawn(m_opts.command, m_uid, error))
            return fail(AS_ERR_INTERNAL, error);
        auto p = readProc(uint32_t(m_command.pid()));
        track(uint32_t(m_command.pid()), p ? p->startNs : 0, uint32_t(m_command.pid()));
        m_commandRunning = true;
        emitHelperRecord(targetRecord(uint32_t(m_command.pid()), AS_TARGET_COMMAND, AS_TARGET_ADDED, 0, joinArgs(m_opts.command)));
    }
    return AS_OK;
}

int Session::eventLoop()
{
    sigset_t mask;
    sigemptyset(&mask);
    for (int s : {SIGINT, SIGTERM, SIGHUP, SIGCHLD})
        sigaddset(&mask, s);
    sigprocmask(SIG_BLOCK, &mask, nullptr);
    int sfd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
    int ep = epoll_create1(EPOLL_CLOEXEC);
    auto add = [&](int fd, uint32_t events) {
        epoll_event ev{};
        ev.events = events;
        ev.data.fd = fd;
        epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
    };
    add(sfd, EPOLLIN);
    add(ring_buffer__epoll_fd(m_ring), EPOLLIN);
    if (m_server)
        add(m_server->listenFd(), EPOLLIN);

    bool released = m_opts.command.empty();
    uint64_t start = bootTimeNs(), lastDrops = start, lastStats = start, doneAt = 0;
    int registeredClient = -1;
    bool clientWanted = m_server && m_opts.jsonlPath.empty();
    int exitCode = AS_OK;

    for (;;) {
        uint64_t now = bootTimeNs();
        if (!released && (!m_opts.waitForClient || (m_server && m_server->hasClient()))) {
            std::string error;
            released = true;
            if (!m_command.release(error)) {
                m_commandRunning = false;
                exitCode = fail(AS_ERR_COMMAND_NOT_FOUND, error);
                break;
            }
            if (m_server)
                m_server->sendControl(AS_FRAME_READY, nullptr, 0);
        }
        epoll_event evs[8];
        int n = epoll_wait(ep, evs, 8, kPollMs);
        for (int i = 0; i < n; ++i) {
            int fd = evs[i].data.fd;
            if (fd == sfd) {
                signalfd_siginfo si;
                while (read(sfd, &si, sizeof si) == ssize_t(sizeof si)) {
                    if (si.ssi_signo == SIGCHLD)
                        reapChildren();
                    else
                        m_stopRequested = true;
                }
            } else if (m_server && fd == m_server->listenFd()) {
                m_server->acceptClient();
            } else if (m_server && fd == m_server->clientFd()) {
                if (evs[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR))
                    m_server->readClient();
                if (m_server->hasClient() && (evs[i].events & EPOLLOUT))
                    m_server->writeClient();
            }
        }
        ring_buffer__consume(m_ring);
        reapChildren();
        now = bootTimeNs();
        if (now - lastDrops >= kDropReportNs) {
            releaseStaleHeld(now);
            reportDrops();
            lastDrops = now;
        }
        if (now - lastStats >= kStatsNs) {
            sendStats();
            lastStats = now;
        }
        if (m_server) {
            m_server->flushBatch();
            m_server->writeClient();
            // (Re-)register the client fd for readability and, when data is
            // pending, writability.
            if (m_server->clientFd() != registeredClient) {
                if (registeredClient >= 0)
                    epoll_ctl(ep, EPOLL_CTL_DEL, registeredClient, nullptr);
                registeredClient = m_server->clientFd();
                if (registeredClient >= 0)
                    add(registeredClient, EPOLLIN | EPOLLRDHUP);
            }
            if (registeredClient >= 0) {
                epoll_event ev{};
                ev.events = EPOLLIN | EPOLLRDHUP | (m_server->wantsWrite() ? EPOLLOUT : 0u);
                ev.data.fd = registeredClient;
                epoll_ctl(ep, EPOLL_CTL_MOD, registeredClient, &ev);
            }
            if (clientWanted && !m_server->hasClient()) {
                uint64_t since = m_server->lastClientGoneNs() ? m_server->lastClientGoneNs() : start;
                if (now - since > uint64_t(m_opts.graceSeconds) * 1'000'000'000ull) {
                    exitCode = fail(AS_ERR_NO_CLIENT, "no client connected for " + std::to_string(m_opts.graceSeconds) + " s; exiting",
                                    std::to_string(m_server->queuedBytes()) + " queued bytes were not delivered.");
                    break;
                }
            }
        }
        if (m_jsonl.isOpen())
            m_jsonl.flush();
        if (released && (targetsDone() || m_stopRequested)) {
            if (!doneAt)
                doneAt = now;
            else if (now - doneAt >= kDrainNs)
                break;
        }
    }
    // Final drain: whatever the kernel still holds, then the last counts.
    ring_buffer__consume(m_ring);
    releaseAllHeld();
    reportDrops();
    sendStats();
    if (m_jsonl.isOpen())
        m_jsonl.flush();
    if (m_server) {
        uint32_t code = uint32_t(exitCode);
        m_server->sendControl(AS_FRAME_BYE, &code, sizeof code);
        // Give a connected client up to 5 s to take the rest.
        uint64_t until = bootTimeNs() + 5'000'000'000ull;
        while (m_server->hasClient() && m_server->wantsWrite() && bootTimeNs() < until) {
            m_server->writeClient();
            usleep(1000);
        }
    }
    close(ep);
    close(sfd);
    if (m_heldTimeouts)
        std::fprintf(stderr, "agentsight-helper: %llu process(es) were released by the hold watchdog (their exec/mmap record was late or lost)\n",
                     (unsigned long long)m_heldTimeouts);
    return exitCode;
}

int Session::run()
{
    if (int code = setUp())
        return code;
    return eventLoop();
}

} // namespace agentsight::helper
