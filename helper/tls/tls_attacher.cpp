// SPDX-License-Identifier: GPL-2.0-or-later
#include "tls_attacher.h"

#include "library_search.h"
#include "proc_maps.h"
#include "tls.skel.h"

#include <bpf/libbpf.h>
#include <algorithm>
#include <cerrno>
#include <chrono>
#include <climits>
#include <cstring>
#include <deque>
#include <fstream>
#include <sstream>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

namespace agentsight::helper {

namespace {

std::string procPath(uint32_t pid, const char *what)
{
    return "/proc/" + std::to_string(pid) + "/" + what;
}

std::string readLink(const std::string &link)
{
    char buf[PATH_MAX];
    const ssize_t n = ::readlink(link.c_str(), buf, sizeof buf - 1);
    if (n <= 0)
        return {};
    std::string s(buf, static_cast<size_t>(n));
    static constexpr std::string_view kDeleted = " (deleted)";
    if (s.size() > kDeleted.size() && s.ends_with(kDeleted))
        s.resize(s.size() - kDeleted.size());
    return s;
}

std::string readEnv(uint32_t pid, std::string_view name)
{
    std::ifstream in(procPath(pid, "environ"), std::ios::binary);
    std::string entry;
    while (std::getline(in, entry, '\0')) {
        if (entry.size() > name.size() && entry.compare(0, name.size(), name) == 0 && entry[name.size()] == '=')
            return entry.substr(name.size() + 1);
    }
    return {};
}

/* The kernel's internal dev_t packs major << 20 | minor; st_dev uses the
 * glibc encoding. Accept either from the mmap event. */
bool sameDev(uint64_t eventDev, uint64_t stDev)
{
    if (eventDev == stDev)
        return true;
    return makedev(static_cast<unsigned>(eventDev >> 20), static_cast<unsigned>(eventDev & 0xfffff)) == stDev;
}

/* Bounds of the DT_NEEDED walk: a pathological dependency graph must not
 * stall the helper's event loop. */
constexpr size_t kMaxStartupLibraries = 256;

} // namespace

TlsAttacher::TlsAttacher(struct tls_bpf *skel, Emit emit) : m_skel(skel), m_emit(std::move(emit)) {}

TlsAttacher::~TlsAttacher()
{
    for (auto &[tgid, st] : m_pids)
        dropLinks(st);
    for (bpf_link *l : m_staticLinks)
        bpf_link__destroy(l);
}

int TlsAttacher::attachStatic()
{
    if (!m_staticLinks.empty())
        return 0;
    bpf_program *progs[] = {
        m_skel->progs.handle_tls_fd_read,    m_skel->progs.handle_tls_fd_write,
        m_skel->progs.handle_tls_fd_recvfrom, m_skel->progs.handle_tls_fd_sendto,
        m_skel->progs.handle_tls_fd_readv,   m_skel->progs.handle_tls_fd_writev,
        m_skel->progs.handle_tls_fd_recvmsg, m_skel->progs.handle_tls_fd_sendmsg,
    };
    for (bpf_program *p : progs) {
        bpf_link *l = bpf_program__attach(p);
        if (!l) {
            const int err = -errno;
            for (bpf_link *done : m_staticLinks)
                bpf_link__destroy(done);
            m_staticLinks.clear();
            return err ? err : -EINVAL;
        }
        m_staticLinks.push_back(l);
    }
    return 0;
}

bpf_program *TlsAttacher::programFor(const TlsProbeSite &site) const
{
    auto &p = m_skel->progs;
    switch (site.api) {
    case AS_TLS_API_SSL_READ:
        return site.isReturn ? p.handle_ssl_read_return : p.handle_ssl_read_enter;
    case AS_TLS_API_SSL_WRITE:
        return site.isReturn ? p.handle_ssl_write_return : p.handle_ssl_write_enter;
    case AS_TLS_API_SSL_READ_EX:
        return site.isReturn ? p.handle_ssl_read_ex_return : p.handle_ssl_read_ex_enter;
    case AS_TLS_API_SSL_WRITE_EX:
        return site.isReturn ? p.handle_ssl_write_ex_return : p.handle_ssl_write_ex_enter;
    default:
        return nullptr; /* AEAD / Go programs arrive with issue 6 */
    }
}

void TlsAttacher::emitAttach(uint32_t tgid, as_attach_status status, int error, uint32_t probes,
                             const std::string &path, const std::string &strategy)
{
    /* Lengths are u16 on the wire: cut (never expected: PATH_MAX is 4096). */
    const size_t pathLen = std::min<size_t>(path.size(), AS_MAX_PATH);
    const size_t stratLen = std::min<size_t>(strategy.size(), 255);
    std::vector<uint8_t> rec(sizeof(as_tls_attach) + pathLen + stratLen);
    as_tls_attach a;
    std::memset(&a, 0, sizeof a);
    a.h.type = AS_EV_TLS_ATTACH;
    a.h.size = static_cast<uint32_t>(rec.size());
    a.h.tgid = tgid;
    if (pathLen < path.size())
        a.h.flags |= AS_F_TRUNCATED;
    a.status = status;
    a.error = error;
    a.probes = probes;
    a.path_len = static_cast<uint16_t>(pathLen);
    a.strategy_len = static_cast<uint16_t>(stratLen);
    std::memcpy(rec.data(), &a, sizeof a);
    std::memcpy(rec.data() + sizeof a, path.data(), pathLen);
    std::memcpy(rec.data() + sizeof a + pathLen, strategy.data(), stratLen);
    if (m_emit)
        m_emit(std::move(rec));
}

void TlsAttacher::probeFile(uint32_t tgid, PidState &st, const std::string &displayPath,
                            const std::string &accessPath, bool isMainExe)
{
    if (st.gone)
        return;
    struct stat sb;
    if (::stat(accessPath.c_str(), &sb) != 0) {
        ++m_stats.unreadable;
        if (isMainExe)
            emitAttach(tgid, AS_ATTACH_FAILED, -errno, 0, displayPath, {});
        return;
    }
    const auto key = std::make_pair(static_cast<uint64_t>(sb.st_dev), static_cast<uint64_t>(sb.st_ino));
    if (!st.seen.insert(key).second)
        return; /* this pid already has (or has no use for) this file */

    const auto res = m_resolver.resolve(accessPath);
    if (res->error != 0 && res->error != -ENOEXEC) {
        ++m_stats.unreadable;
        st.seen.erase(key); /* maybe readable next time */
        if (isMainExe)
            emitAttach(tgid, AS_ATTACH_FAILED, res->error, 0, displayPath, {});
        return;
    }
    if (!res->hasTls())
        return;
    st.anyTls = true; /* found, so the process is not "blind" even if attach fails */

    Binary bin;
    int err = 0;
    const auto started = std::chrono::steady_clock::now();
    for (const TlsProbeSite &site : res->sites) {
        bpf_program *prog = programFor(site);
        if (!prog) {
            err = -EOPNOTSUPP;
            break;
        }
        LIBBPF_OPTS(bpf_uprobe_opts, opts, .retprobe = site.isReturn);
        /* Per pid, at a file offset. The kernel resolves accessPath to the
         * inode; /proc/PID/{exe,map_files,root} make that the process's file. */
        bpf_link *l = bpf_program__attach_uprobe_opts(prog, static_cast<pid_t>(tgid), accessPath.c_str(),
                                                      site.fileOffset, &opts);
        if (!l) {
            err = errno ? -errno : -EINVAL;
            break;
        }
        bin.links.push_back(l);
    }
    m_stats.lastAttachNs = static_cast<uint64_t>(
        std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - started).count());
    m_stats.maxAttachNs = std::max(m_stats.maxAttachNs, m_stats.lastAttachNs);
    if (err != 0) {
        /* All or nothing per binary: an entry probe without its return probe
         * would only leave stale per-thread state behind. */
        for (bpf_link *l : bin.links)
            bpf_link__destroy(l);
        if (err == -ESRCH)
            st.gone = true; /* exited meanwhile: the rest would fail the same way */
        ++m_stats.attachFailures;
        emitAttach(tgid, AS_ATTACH_FAILED, err, 0, displayPath, res->strategy);
        return;
    }
    const auto probes = static_cast<uint32_t>(bin.links.size());
    m_probeCount += bin.links.size();
    st.attached.emplace(key, std::move(bin));
    ++m_stats.binariesAttached;
    emitAttach(tgid, AS_ATTACH_OK, 0, probes, displayPath, res->strategy);
}

void TlsAttacher::walkStartupLibraries(uint32_t tgid, PidState &st, const TlsResolution &exe)
{
    if (!exe.hasInterp || exe.needed.empty())
        return;
    const std::string root = procPath(tgid, "root");
    const LibrarySearch search(root, readEnv(tgid, "LD_LIBRARY_PATH"));

    /* Breadth first, like ld.so; each soname once. */
    struct Pending
    {
        std::string soname, parentPath, parentRunPath;
    };
    std::deque<Pending> queue;
    for (const auto &n : exe.needed)
        queue.push_back({n, st.exePath, exe.runPath});
    std::set<std::string> visited;
    while (!queue.empty() && visited.size() < kMaxStartupLibraries) {
        Pending p = std::move(queue.front());
        queue.pop_front();
        if (!visited.insert(p.soname).second)
            continue;
        const auto path = search.find(p.soname, p.parentPath, p.parentRunPath);
        if (!path)
            continue;
        const std::string access = root + *path;
        const size_t before = st.attached.size();
        probeFile(tgid, st, *path, access, false);
        if (st.attached.size() > before)
            ++m_stats.preattached;
        const auto res = m_resolver.resolve(access); /* cached: no re-parse */
        for (const auto &n : res->needed)
            queue.push_back({n, *path, res->runPath});
    }
}

void TlsAttacher::sweepDead()
{
    /* Exit events can be lost (ring full): without this, a lost exit would
     * keep that pid's links and state forever. */
    for (auto it = m_pids.begin(); it != m_pids.end();) {
        if (::access(procPath(it->first, "").c_str(), F_OK) != 0) {
            dropLinks(it->second);
            it = m_pids.erase(it);
            ++m_stats.sweptDead;
        } else {
            ++it;
        }
    }
    m_sweepAt = std::max<size_t>(kSweepMinimum, 2 * m_pids.size());
}

void TlsAttacher::onProcessStart(uint32_t tgid)
{
    if (m_pids.size() >= m_sweepAt)
        sweepDead();
    auto &st = m_pids[tgid];
    dropLinks(st); /* exec: a new image, start over */
    st = PidState{};

    const std::string exeLink = procPath(tgid, "exe");
    st.exePath = readLink(exeLink);
    if (st.exePath.empty()) {
        /* Gone already, or a kernel thread: nothing to probe. */
        m_pids.erase(tgid);
        return;
    }
    probeFile(tgid, st, st.exePath, exeLink, true);

    const auto mappings = readExecMappings(tgid);
    std::set<std::pair<uint64_t, uint64_t>> files;
    for (const ExecMapping &m : mappings) {
        files.emplace(m.dev, m.ino);
        probeFile(tgid, st, m.path, m.mapFilesPath(tgid), false);
    }

    /* Only the executable and ld.so mapped: a fresh exec (held there by the
     * helper), the libraries are still to come, attach to them now. With
     * more files mapped, ld.so has run and the maps are the truth; walking
     * the disk could then find a newer libssl than the one in use. */
    if (files.size() <= 2) {
        const auto exeRes = m_resolver.resolve(exeLink);
        walkStartupLibraries(tgid, st, *exeRes);
    }

    if (!st.anyTls && !st.blindReported && !st.gone) {
        st.blindReported = true;
        emitAttach(tgid, AS_ATTACH_NO_TLS, 0, 0, st.exePath, {});
    }
}

void TlsAttacher::onExecMapping(uint32_t tgid, const std::string &path, uint64_t dev, uint64_t ino)
{
    auto it = m_pids.find(tgid);
    if (it == m_pids.end()) {
        /* First sight of this pid (its exec event was missed): full scan. */
        onProcessStart(tgid);
        return;
    }
    PidState &st = it->second;

    /* Preferred: the path inside the process's root, if it is that inode. */
    const std::string viaRoot = procPath(tgid, "root") + path;
    struct stat sb;
    if (::stat(viaRoot.c_str(), &sb) == 0 && sb.st_ino == ino && (dev == 0 || sameDev(dev, sb.st_dev))) {
        probeFile(tgid, st, path, viaRoot, false);
        return;
    }
    /* Replaced or deleted since: find the mapping by inode in maps. */
    for (const ExecMapping &m : readExecMappings(tgid)) {
        if (m.ino == ino && (dev == 0 || sameDev(dev, m.dev))) {
            probeFile(tgid, st, m.path, m.mapFilesPath(tgid), false);
            return;
        }
    }
    ++m_stats.mappingNotFound;
}

void TlsAttacher::onProcessExit(uint32_t tgid)
{
    auto it = m_pids.find(tgid);
    if (it == m_pids.end())
        return;
    dropLinks(it->second);
    m_pids.erase(it);
}

void TlsAttacher::dropLinks(PidState &st)
{
    for (auto &[key, bin] : st.attached) {
        for (bpf_link *l : bin.links)
            bpf_link__destroy(l);
        m_probeCount -= bin.links.size();
    }
    st.attached.clear();
}

} // namespace agentsight::helper
