// SPDX-License-Identifier: GPL-2.0-or-later
#include "process_tree.h"

#include <algorithm>
#include <fcntl.h>

#include "dns_query.h"
#include "path_resolve.h"

namespace agentsight::model {
namespace {

constexpr int32_t kAtFdCwd = -100;
constexpr int32_t kEInProgress = -115;
constexpr std::size_t kMaxTargetNames = 256;

template <typename T>
void pushCapped(std::vector<T> &v, T &&item, std::size_t cap, uint64_t &dropped)
{
    if (v.size() < cap)
        v.push_back(std::move(item));
    else
        ++dropped;
}

std::string joinArgv(const std::vector<std::string> &argv)
{
    std::string s;
    for (const auto &a : argv) {
        if (!s.empty())
            s += ' ';
        s += a;
    }
    return s;
}

bool isWriteOpen(uint32_t flags)
{
    return (flags & O_ACCMODE) != O_RDONLY || (flags & (O_CREAT | O_TRUNC | O_APPEND));
}

// Records that belong to a process (and so wait for it when it is unknown).
bool processScoped(uint16_t type)
{
    switch (type) {
    case AS_EV_PROC_EXIT:
    case AS_EV_PROC_CHDIR:
    case AS_EV_FILE_OPEN:
    case AS_EV_FILE_UNLINK:
    case AS_EV_FILE_RENAME:
    case AS_EV_FILE_MKDIR:
    case AS_EV_FILE_CHMOD:
    case AS_EV_FILE_IO:
    case AS_EV_NET_CONNECT:
    case AS_EV_NET_ACCEPT:
    case AS_EV_NET_BIND:
    case AS_EV_NET_LISTEN:
    case AS_EV_NET_DNS:
        return true;
    default:
        // fork and exec create processes; tls_data is the pipeline's; tcp_state
        // runs in softirq context (its tgid is whoever was on the CPU).
        return false;
    }
}

} // namespace

ProcessTree::ProcessTree(ModelLimits limits) : m_limits(limits) {}

const Process *ProcessTree::process(uint64_t id) const
{
    auto it = m_procs.find(id);
    return it == m_procs.end() ? nullptr : &it->second;
}

uint64_t ProcessTree::currentId(uint32_t tgid) const
{
    auto it = m_byTgid.find(tgid);
    return it == m_byTgid.end() ? 0 : it->second;
}

Process *ProcessTree::live(uint32_t tgid)
{
    auto it = m_byTgid.find(tgid);
    if (it == m_byTgid.end())
        return nullptr;
    auto p = m_procs.find(it->second);
    if (p == m_procs.end() || p->second.exited)
        return nullptr;
    return &p->second;
}

Process *ProcessTree::exitedAt(uint32_t tgid, uint64_t ktimeNs)
{
    auto it = m_byTgid.find(tgid);
    if (it == m_byTgid.end())
        return nullptr;
    auto p = m_procs.find(it->second);
    if (p == m_procs.end() || !p->second.exited || !p->second.exitSeen || ktimeNs > p->second.exitNs)
        return nullptr;
    return &p->second;
}

bool ProcessTree::isDescendant(uint64_t id, uint64_t ancestor) const
{
    for (std::size_t depth = 0; id && depth < 4096; ++depth) {
        if (id == ancestor)
            return true;
        const Process *p = process(id);
        if (!p)
            return false;
        id = p->parentId;
    }
    return false;
}

std::vector<uint64_t> ProcessTree::lineage(uint64_t id) const
{
    std::vector<uint64_t> out;
    while (id && out.size() < m_limits.maxLineage) {
        out.push_back(id);
        const Process *p = process(id);
        if (!p)
            break;
        id = p->parentId;
    }
    return out;
}

const AgentSession *ProcessTree::agent(uint32_t id) const
{
    auto it = m_agents.find(id);
    return it == m_agents.end() ? nullptr : &it->second;
}

std::vector<uint32_t> ProcessTree::agentIds() const
{
    std::vector<uint32_t> ids;
    for (const auto &[id, a] : m_agents)
        ids.push_back(id);
    return ids;
}

std::vector<uint64_t> ProcessTree::processIds() const
{
    std::vector<uint64_t> ids;
    ids.reserve(m_procs.size());
    for (const auto &[id, p] : m_procs)
        ids.push_back(id);
    std::sort(ids.begin(), ids.end());
    return ids;
}

void ProcessTree::addConversationEntry(uint32_t agentId, ConversationEntry entry)
{
    auto it = m_agents.find(agentId);
    if (it == m_agents.end())
        return;
    auto &conv = it->second.conversation;
    if (conv.size() >= m_limits.maxExchangesPerAgent) {
        ++it->second.conversationDropped;
        return;
    }
    // Exchanges are delivered when their response ends; the conversation is
    // ordered by when each request started.
    auto pos = std::upper_bound(conv.begin(), conv.end(), entry, [](const ConversationEntry &a, const ConversationEntry &b) {
        return a.requestStartNs != b.requestStartNs ? a.requestStartNs < b.requestStartNs : a.exchangeSeq < b.exchangeSeq;
    });
    conv.insert(pos, std::move(entry));
}

bool ProcessTree::sameStart(const Process &p, uint64_t startNs, bool approx) const
{
    const uint64_t tol = (p.startApprox || approx) ? m_limits.snapshotStartToleranceNs : 0;
    const uint64_t d = p.startNs > startNs ? p.startNs - startNs : startNs - p.startNs;
    return d <= tol;
}

Process &ProcessTree::create(uint32_t tgid, uint64_t startNs, bool approx, uint64_t ktimeNs, Process *parent)
{
    const uint64_t id = m_nextProcessId++;
    Process &p = m_procs[id];
    p.id = id;
    p.tgid = tgid;
    p.startNs = startNs;
    p.startApprox = approx;
    p.firstSeenNs = ktimeNs;
    if (parent) {
        p.parentId = parent->id;
        p.ppid = parent->tgid;
        p.agentId = parent->agentId;
        p.comm = parent->comm;
        p.filename = parent->filename;
        p.argv = parent->argv;
        p.cwd = parent->cwd;
        p.uid = parent->uid;
        p.fds = parent->fds; // fork inherits the fd table
        pushCapped(parent->children, uint64_t(id), m_limits.maxChildren, parent->childrenDropped);
        if (auto a = m_agents.find(p.agentId); a != m_agents.end())
            ++a->second.processCount;
    }
    m_byTgid[tgid] = id;
    ++m_stats.processes;
    return p;
}

void ProcessTree::startAgent(Process &root)
{
    AgentSession a;
    a.id = m_nextAgentId++;
    a.rootProcessId = root.id;
    a.rootTgid = root.tgid;
    auto name = m_targetNames.find(root.tgid);
    a.name = name != m_targetNames.end() ? name->second : joinArgv(root.argv);
    if (a.name.empty())
        a.name = root.comm.empty() ? "pid " + std::to_string(root.tgid) : root.comm;
    a.startNs = root.firstSeenNs;
    a.processCount = 1;
    root.agentId = a.id;
    m_agents.emplace(a.id, std::move(a));
}

void ProcessTree::markExited(Process &p, uint64_t ktimeNs)
{
    p.exited = true;
    p.exitNs = ktimeNs;
    p.fds.clear();
    m_exitedOrder.push_back(p.id);
    if (auto a = m_agents.find(p.agentId); a != m_agents.end() && a->second.rootProcessId == p.id) {
        a->second.ended = true;
        a->second.endNs = ktimeNs;
        m_endedAgents.push_back(a->first);
        while (m_agents.size() > m_limits.maxAgents && !m_endedAgents.empty()) {
            m_agents.erase(m_endedAgents.front());
            m_endedAgents.pop_front();
            ++m_stats.agentsForgotten;
        }
    }
    evict();
}

void ProcessTree::endByReuse(Process &p, uint64_t ktimeNs)
{
    ++m_stats.pidReuse;
    p.exitSeen = false;
    markExited(p, ktimeNs);
}

void ProcessTree::evict()
{
    while (m_procs.size() > m_limits.maxProcesses && !m_exitedOrder.empty()) {
        const uint64_t id = m_exitedOrder.front();
        m_exitedOrder.pop_front();
        auto it = m_procs.find(id);
        if (it == m_procs.end())
            continue;
        auto t = m_byTgid.find(it->second.tgid);
        if (t != m_byTgid.end() && t->second == id)
            m_byTgid.erase(t);
        m_procs.erase(it);
        ++m_stats.evicted;
    }
}

uint64_t ProcessTree::ensureProcess(uint32_t tgid, uint64_t ktimeNs)
{
    if (uint64_t id = currentId(tgid))
        return id;
    Process &p = create(tgid, 0, true, ktimeNs, nullptr);
    p.placeholder = true;
    ++m_stats.placeholders;
    startAgent(p);
    return p.id;
}

// ---- records ----

void ProcessTree::onEvent(const wire::Event &ev)
{
    ++m_stats.events;
    m_watermark = std::max(m_watermark, ev.ktimeNs);
    switch (ev.type) {
    case AS_EV_LOST:
        if (ev.source < AS_SRC_COUNT)
            m_stats.lost[ev.source] += ev.count;
        break;
    case AS_EV_TARGET:
        if (ev.targetOp == AS_TARGET_ADDED && ev.tgid && (m_targetNames.size() < kMaxTargetNames || m_targetNames.count(ev.tgid)))
            m_targetNames[ev.tgid] = ev.name;
        break;
    case AS_EV_PROC_EXEC:
        onExec(ev);
        break;
    case AS_EV_PROC_FORK:
        onFork(ev);
        break;
    default:
        if (!processScoped(ev.type))
            break;
        if (Process *p = live(ev.tgid)) {
            apply(*p, ev);
        } else if (Process *h = exitedAt(ev.tgid, ev.ktimeNs); h && ev.type != AS_EV_PROC_EXIT) {
            // Happened before its process's exit, delivered after it (the
            // file/net rings are read after the proc ring): it still belongs there.
            apply(*h, ev);
        } else if (ev.type == AS_EV_FILE_IO || ev.type == AS_EV_PROC_EXIT) {
            // io flushes and thread exits trail the process exit: give them
            // to the last holder rather than waiting for a new one.
            auto it = m_byTgid.find(ev.tgid);
            if (it != m_byTgid.end() && m_procs.count(it->second) && ev.type == AS_EV_FILE_IO)
                break; // an exited process has no fd table left to update
            if (it != m_byTgid.end() && ev.type == AS_EV_PROC_EXIT) {
                if (ev.processExit) // thread exits after the process's own say nothing
                    ++m_stats.staleExits;
                break;
            }
            park(ev);
        } else {
            park(ev);
        }
        break;
    }
    expireParked();
}

void ProcessTree::onExec(const wire::Event &ev)
{
    const bool snap = ev.snapshot();
    Process *p = nullptr;
    if (auto it = m_byTgid.find(ev.tgid); it != m_byTgid.end()) {
        Process &cur = m_procs.at(it->second);
        if (!cur.exited && sameStart(cur, ev.startNs, snap)) {
            p = &cur;
            if (snap && cur.execCount)
                return; // a snapshot of what we already saw live
            if (!snap && cur.startApprox) {
                cur.startNs = ev.startNs;
                cur.startApprox = false;
            }
        } else if (!cur.exited) {
            endByReuse(cur, ev.ktimeNs);
        }
    }
    bool isNew = false;
    if (!p) {
        Process *parent = ev.ppid ? live(ev.ppid) : nullptr;
        p = &create(ev.tgid, ev.startNs, snap, ev.ktimeNs, parent);
        p->ppid = ev.ppid;
        if (!parent)
            p->fds.clear();
        isNew = true;
    }
    ExecRecord rec{ev.ktimeNs, ev.filename, ev.argv, ev.cwd, ev.truncated(), snap};
    p->comm = ev.comm;
    p->filename = ev.filename;
    p->argv = ev.argv;
    if (!ev.cwd.empty())
        p->cwd = ev.cwd;
    p->uid = ev.uid;
    ++p->execCount;
    uint64_t dropped = 0;
    pushCapped(p->execs, std::move(rec), m_limits.maxExecHistory, dropped);
    p->execsDropped += uint32_t(dropped);
    // exec closes O_CLOEXEC descriptors (sockets' flags are unknown: kept).
    for (auto it = p->fds.begin(); it != p->fds.end();)
        it = (it->second.kind == FdEntry::Kind::File && (it->second.openFlags & O_CLOEXEC)) ? p->fds.erase(it) : std::next(it);

    const bool root = isNew && p->parentId == 0;
    if (root)
        startAgent(*p);
    // An agent root's own start and /proc snapshots are context, not actions.
    if (!root && !snap) {
        Action a = makeAction(*p, ActionKind::Exec, ev.ktimeNs);
        a.argv = ev.argv;
        a.path = ev.filename;
        publish(std::move(a));
    }
    if (isNew)
        release(ev.tgid);
}

void ProcessTree::onFork(const wire::Event &ev)
{
    if (ev.thread) {
        ++m_stats.threadForks;
        return;
    }
    Process *parent = live(ev.tgid);
    if (!parent) {
        park(ev); // the parent's own exec/fork is still on its way
        return;
    }
    if (auto it = m_byTgid.find(ev.childTgid); it != m_byTgid.end()) {
        Process &cur = m_procs.at(it->second);
        if (!cur.exited && sameStart(cur, ev.startNs, false)) {
            if (!cur.parentId && cur.id != parent->id && cur.agentId == 0) {
                cur.parentId = parent->id;
                cur.agentId = parent->agentId;
            }
            return;
        }
        if (!cur.exited)
            endByReuse(cur, ev.ktimeNs);
    }
    Process &child = create(ev.childTgid, ev.startNs, false, ev.ktimeNs, parent);
    if (!ev.comm.empty())
        child.comm = ev.comm;
    release(ev.childTgid);
}

void ProcessTree::apply(Process &p, const wire::Event &ev)
{
    switch (ev.type) {
    case AS_EV_PROC_EXIT:
        onExit(p, ev);
        break;
    case AS_EV_PROC_CHDIR:
        if (ev.result == 0 && !ev.path.empty())
            p.cwd = resolvePath(p.cwd, ev.path);
        break;
    case AS_EV_FILE_OPEN:
        onOpen(p, ev);
        break;
    case AS_EV_FILE_UNLINK:
    case AS_EV_FILE_RENAME:
    case AS_EV_FILE_MKDIR:
    case AS_EV_FILE_CHMOD:
        onFileOp(p, ev);
        break;
    case AS_EV_FILE_IO:
        if (ev.ioFlags & AS_IO_EXIT)
            p.fds.clear();
        else if (ev.ioFlags & AS_IO_CLOSED)
            p.fds.erase(ev.fd);
        break;
    case AS_EV_NET_CONNECT:
    case AS_EV_NET_ACCEPT:
    case AS_EV_NET_BIND:
    case AS_EV_NET_LISTEN:
        onConnect(p, ev);
        break;
    case AS_EV_NET_DNS:
        onDns(p, ev);
        break;
    default:
        break;
    }
}

void ProcessTree::onExit(Process &p, const wire::Event &ev)
{
    if (!ev.processExit)
        return; // one thread ended
    if (!sameStart(p, ev.startNs, false)) {
        ++m_stats.staleExits;
        return;
    }
    p.exitSeen = true;
    p.exitCode = ev.exitCode;
    p.exitSignal = ev.signal;
    markExited(p, ev.ktimeNs);
}

Action ProcessTree::makeAction(const Process &p, ActionKind kind, uint64_t ktimeNs)
{
    Action a;
    a.kind = kind;
    a.ktimeNs = ktimeNs;
    a.processId = p.id;
    a.tgid = p.tgid;
    a.startNs = p.startNs;
    a.agentId = p.agentId;
    a.lineage = lineage(p.id);
    a.comm = p.comm;
    a.cwd = p.cwd;
    return a;
}

void ProcessTree::publish(Action &&a)
{
    a.id = m_nextActionId++;
    if (m_sink)
        m_sink(std::move(a));
}

void ProcessTree::addFile(Process &p, const wire::Event &ev, const std::string &path, const std::string &path2)
{
    ++p.fileCount;
    pushCapped(p.files, FileActivity{ev.ktimeNs, ev.type, path, path2, ev.openFlags, ev.result}, m_limits.maxFileActivity,
               p.filesDropped);
}

std::string ProcessTree::dirPath(const Process &p, int32_t dirfd) const
{
    if (dirfd == kAtFdCwd)
        return p.cwd;
    auto it = p.fds.find(dirfd);
    return it != p.fds.end() && it->second.kind == FdEntry::Kind::File ? it->second.path : std::string();
}

void ProcessTree::onOpen(Process &p, const wire::Event &ev)
{
    std::string path = ev.path.empty() ? resolvePath(dirPath(p, ev.dirfd), ev.rawPath) : ev.path;
    addFile(p, ev, path, {});
    if (ev.result >= 0 && !p.exited) {
        if (p.fds.size() < m_limits.maxFds || p.fds.count(ev.result))
            p.fds[ev.result] = FdEntry{FdEntry::Kind::File, path, ev.openFlags, {}, {}};
        else
            ++p.fdsDropped;
    }
    Action a = makeAction(p, isWriteOpen(ev.openFlags) ? ActionKind::FileWrite : ActionKind::FileRead, ev.ktimeNs);
    a.path = std::move(path);
    a.result = ev.result;
    a.openFlags = ev.openFlags;
    a.failed = ev.result < 0;
    publish(std::move(a));
}

void ProcessTree::onFileOp(Process &p, const wire::Event &ev)
{
    std::string path;
    if (ev.type == AS_EV_FILE_CHMOD && ev.path.empty())
        path = dirPath(p, ev.dirfd); // fchmod: dirfd is the file itself
    else
        path = resolvePath(dirPath(p, ev.dirfd), ev.path);
    // renameat's new path is relative to a dirfd the record does not carry:
    // resolved against the cwd (documented limit).
    std::string path2 = ev.type == AS_EV_FILE_RENAME ? resolvePath(p.cwd, ev.path2) : std::string();
    addFile(p, ev, path, path2);
    ActionKind kind = ActionKind::Chmod;
    if (ev.type == AS_EV_FILE_UNLINK)
        kind = ActionKind::Unlink;
    else if (ev.type == AS_EV_FILE_RENAME)
        kind = ActionKind::Rename;
    else if (ev.type == AS_EV_FILE_MKDIR)
        kind = ActionKind::Mkdir;
    Action a = makeAction(p, kind, ev.ktimeNs);
    a.path = std::move(path);
    a.path2 = std::move(path2);
    a.result = ev.result;
    a.failed = ev.result < 0;
    publish(std::move(a));
}

void ProcessTree::onConnect(Process &p, const wire::Event &ev)
{
    std::string hint;
    const bool inet = ev.addr.family == 2 || ev.addr.family == 10;
    if (ev.type == AS_EV_NET_CONNECT && inet && ev.addr.port != 53 && !p.dns.empty()) {
        // The resolver's answer is not captured: the name this process
        // queried last, shortly before, is the likely name of the address.
        const DnsQuery &q = p.dns.back();
        if (q.ktimeNs <= ev.ktimeNs && ev.ktimeNs - q.ktimeNs <= m_limits.dnsHintWindowNs)
            hint = q.name;
    }
    const std::string remote = ev.addr.toString();
    ++p.netCount;
    pushCapped(p.net, NetActivity{ev.ktimeNs, ev.type, remote, hint, ev.result}, m_limits.maxNetActivity, p.netDropped);
    const bool ok = ev.result >= 0 || ev.result == kEInProgress;
    int32_t fd = ev.type == AS_EV_NET_ACCEPT ? ev.result : ev.fd;
    if (ok && fd >= 0 && !p.exited && (ev.type == AS_EV_NET_CONNECT || ev.type == AS_EV_NET_ACCEPT)) {
        if (p.fds.size() < m_limits.maxFds || p.fds.count(fd))
            p.fds[fd] = FdEntry{FdEntry::Kind::Socket, {}, 0, remote, hint};
        else
            ++p.fdsDropped;
    }
    if (ev.type != AS_EV_NET_CONNECT)
        return;
    Action a = makeAction(p, ActionKind::Connect, ev.ktimeNs);
    a.host = ev.addr.host;
    a.port = ev.addr.port;
    a.family = ev.addr.family;
    a.hostName = std::move(hint);
    a.result = ev.result;
    a.failed = !ok;
    publish(std::move(a));
}

void ProcessTree::onDns(Process &p, const wire::Event &ev)
{
    auto q = decodeDnsQuestion(ev.data);
    if (!q) {
        ++m_stats.dnsUndecodable;
        return;
    }
    ++p.dnsCount;
    // A/AAAA pairs for one name repeat the same question: keep one entry.
    if (p.dns.empty() || p.dns.back().name != q->name || ev.ktimeNs - p.dns.back().ktimeNs > m_limits.dnsHintWindowNs)
        pushCapped(p.dns, DnsQuery{ev.ktimeNs, q->name, q->qtype}, m_limits.maxDnsQueries, p.dnsDropped);
    else
        p.dns.back().ktimeNs = ev.ktimeNs;
    Action a = makeAction(p, ActionKind::Dns, ev.ktimeNs);
    a.host = q->name;
    a.port = q->qtype;
    publish(std::move(a));
}

// ---- parking ----

void ProcessTree::park(const wire::Event &ev)
{
    auto &q = m_parked[ev.tgid];
    if (q.size() >= m_limits.maxParkedPerTgid || m_parkedTotal >= m_limits.maxParkedTotal) {
        ++m_stats.parkedDropped;
        if (q.empty())
            m_parked.erase(ev.tgid);
        return;
    }
    q.push_back(ev);
    ++m_parkedTotal;
    ++m_stats.parked;
    m_parkOrder.emplace_back(ev.tgid, ev.ktimeNs);
}

void ProcessTree::release(uint32_t tgid)
{
    auto it = m_parked.find(tgid);
    if (it == m_parked.end())
        return;
    std::deque<wire::Event> events = std::move(it->second);
    m_parked.erase(it);
    m_parkedTotal -= events.size();
    for (const auto &ev : events) {
        ++m_stats.parkedReleased;
        if (ev.type == AS_EV_PROC_FORK) {
            onFork(ev);
        } else if (Process *p = live(tgid)) {
            apply(*p, ev);
        } else {
            ++m_stats.parkedDropped; // the process ended before its parked records
        }
    }
}

void ProcessTree::expireParked()
{
    while (!m_parkOrder.empty()) {
        auto [tgid, ktime] = m_parkOrder.front();
        auto it = m_parked.find(tgid);
        if (it == m_parked.end() || it->second.empty() || ktime < it->second.front().ktimeNs) {
            m_parkOrder.pop_front(); // already released
            continue;
        }
        if (it->second.front().ktimeNs + m_limits.parkTimeoutNs >= m_watermark)
            break;
        m_parkOrder.pop_front();
        Process &p = create(tgid, 0, true, it->second.front().ktimeNs, nullptr);
        p.placeholder = true;
        ++m_stats.placeholders;
        release(tgid);
    }
}

void ProcessTree::flushParked()
{
    std::vector<uint32_t> tgids;
    for (const auto &[tgid, q] : m_parked)
        tgids.push_back(tgid);
    std::sort(tgids.begin(), tgids.end()); // deterministic order
    for (uint32_t tgid : tgids) {
        if (!m_parked.count(tgid))
            continue;
        Process &p = create(tgid, 0, true, m_parked[tgid].front().ktimeNs, nullptr);
        p.placeholder = true;
        ++m_stats.placeholders;
        release(tgid);
    }
    m_parkOrder.clear();
}

} // namespace agentsight::model
