// SPDX-License-Identifier: GPL-2.0-or-later
#include "targets.h"
#include "records.h"

#include <dirent.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <algorithm>
#include <map>
#include <sstream>

namespace agentsight::helper {
namespace {

std::string readFile(const std::string &path, size_t max = 1 << 16)
{
    std::ifstream f(path, std::ios::binary);
    std::string s;
    if (!f)
        return s;
    s.resize(max);
    f.read(s.data(), std::streamsize(max));
    s.resize(size_t(f.gcount()));
    return s;
}

std::string readLink(const std::string &path)
{
    char buf[4096];
    ssize_t n = readlink(path.c_str(), buf, sizeof buf);
    return n > 0 ? std::string(buf, size_t(n)) : std::string();
}

} // namespace

std::optional<ProcSnapshot> readProc(uint32_t tgid)
{
    std::string base = "/proc/" + std::to_string(tgid);
    std::string stat = readFile(base + "/stat");
    if (stat.empty())
        return std::nullopt;
    ProcSnapshot p;
    p.tgid = tgid;
    // comm is in parentheses and may itself contain ')' or spaces: split at the last ')'.
    size_t open = stat.find('('), close = stat.rfind(')');
    if (open == std::string::npos || close == std::string::npos || close < open)
        return std::nullopt;
    p.comm = stat.substr(open + 1, close - open - 1);
    std::istringstream rest(stat.substr(close + 2));
    std::string field;
    std::vector<std::string> f;
    while (rest >> field)
        f.push_back(field);
    // f[0] = state (field 3); ppid = field 4; starttime = field 22.
    if (f.size() < 20)
        return std::nullopt;
    p.ppid = uint32_t(std::strtoul(f[1].c_str(), nullptr, 10));
    uint64_t ticks = std::strtoull(f[19].c_str(), nullptr, 10);
    long hz = sysconf(_SC_CLK_TCK);
    p.startNs = ticks * (1000000000ull / uint64_t(hz > 0 ? hz : 100));
    std::string status = readFile(base + "/status");
    size_t u = status.find("\nUid:");
    if (u != std::string::npos)
        p.uid = uint32_t(std::strtoul(status.c_str() + u + 5, nullptr, 10));
    p.exe = readLink(base + "/exe");
    p.cwd = readLink(base + "/cwd");
    p.argv = readFile(base + "/cmdline", AS_MAX_ARGV);
    return p;
}

std::vector<ProcSnapshot> processTree(uint32_t rootTgid)
{
    std::vector<ProcSnapshot> out;
    auto root = readProc(rootTgid);
    if (!root)
        return out;
    std::multimap<uint32_t, ProcSnapshot> byParent;
    if (DIR *d = opendir("/proc")) {
        while (dirent *e = readdir(d)) {
            char *end;
            unsigned long pid = std::strtoul(e->d_name, &end, 10);
            if (*end || !pid || pid == rootTgid)
                continue;
            if (auto p = readProc(uint32_t(pid)))
                byParent.emplace(p->ppid, *p);
        }
        closedir(d);
    }
    out.push_back(*root);
    for (size_t i = 0; i < out.size(); ++i) {
        auto range = byParent.equal_range(out[i].tgid);
        for (auto it = range.first; it != range.second; ++it)
            out.push_back(it->second);
    }
    return out;
}

std::vector<uint8_t> snapshotRecord(const ProcSnapshot &p)
{
    as_proc_exec e{};
    e.h.type = AS_EV_PROC_EXEC;
    e.h.flags = AS_F_SNAPSHOT;
    e.h.tgid = p.tgid;
    e.h.tid = p.tgid;
    e.start_ns = p.startNs;
    e.ppid = p.ppid;
    e.uid = p.uid;
    e.old_tid = p.tgid;
    std::string argv = p.argv;
    if (!argv.empty() && argv.back() == '\0')
        argv.pop_back(); // same shape as the kernel's: NUL between args, none at the end
    e.argc = argv.empty() ? 0 : uint32_t(1 + std::count(argv.begin(), argv.end(), '\0'));
    std::string filename = p.exe.substr(0, AS_MAX_PATH);
    std::string cwd = p.cwd.substr(0, AS_MAX_PATH);
    argv = argv.substr(0, AS_MAX_ARGV);
    e.filename_len = uint16_t(filename.size());
    e.argv_len = uint16_t(argv.size());
    e.cwd_len = uint16_t(cwd.size());
    std::strncpy(e.comm, p.comm.c_str(), AS_MAX_COMM - 1);
    return makeRecord(e, {filename, argv, cwd});
}

bool mayTrace(uint32_t clientUid, const ProcSnapshot &p)
{
    return clientUid == 0 || p.uid == clientUid;
}

uint32_t invokingUid(int64_t optionUid)
{
    if (optionUid >= 0)
        return uint32_t(optionUid);
    for (const char *var : {"PKEXEC_UID", "SUDO_UID"}) {
        if (const char *v = getenv(var)) {
            char *end;
            unsigned long uid = std::strtoul(v, &end, 10);
            if (*v && !*end)
                return uint32_t(uid);
        }
    }
    return getuid();
}

std::string findExecutable(const std::string &cmd)
{
    auto usable = [](const std::string &p) {
        struct stat st;
        return stat(p.c_str(), &st) == 0 && S_ISREG(st.st_mode) && access(p.c_str(), X_OK) == 0;
    };
    if (cmd.empty())
        return {};
    if (cmd.find('/') != std::string::npos)
        return usable(cmd) ? cmd : std::string();
    const char *path = getenv("PATH");
    std::string dirs = path ? path : "/usr/local/bin:/usr/bin:/bin";
    std::istringstream in(dirs);
    std::string dir;
    while (std::getline(in, dir, ':')) {
        std::string candidate = (dir.empty() ? "." : dir) + "/" + cmd;
        if (usable(candidate))
            return candidate;
    }
    return {};
}

bool HeldCommand::spawn(const std::vector<std::string> &argv, uint32_t uid, std::string &error)
{
    // Everything that may load NSS modules (getpwuid, getgrouplist) happens
    // here in the parent: a dlopen in the tracked child would be held at its
    // executable mmap (bpf/hold.bpf.c) while we wait for its exec.
    bool dropPrivileges = geteuid() == 0 && uid != 0;
    gid_t gid = gid_t(uid);
    std::vector<gid_t> groups;
    std::string home, user;
    if (dropPrivileges) {
        if (passwd *pw = getpwuid(uid)) {
            gid = pw->pw_gid;
            home = pw->pw_dir;
            user = pw->pw_name;
            int n = 64;
            groups.resize(size_t(n));
            if (getgrouplist(pw->pw_name, gid, groups.data(), &n) < 0) {
                groups.resize(size_t(n));
                getgrouplist(pw->pw_name, gid, groups.data(), &n);
            }
            groups.resize(size_t(std::max(n, 0)));
        } else {
            groups = {gid};
        }
    }
    int go[2], status[2];
    if (pipe2(go, O_CLOEXEC) || pipe2(status, O_CLOEXEC)) {
        error = std::string("pipe: ") + std::strerror(errno);
        return false;
    }
    pid_t pid = fork();
    if (pid < 0) {
        error = std::string("fork: ") + std::strerror(errno);
        return false;
    }
    if (pid == 0) {
        close(go[1]);
        close(status[0]);
        int err = 0;
        if (dropPrivileges) {
            if (setgroups(groups.size(), groups.data()) || setgid(gid) || setuid(uid))
                err = errno ? errno : EPERM;
            else if (!user.empty()) {
                setenv("HOME", home.c_str(), 1);
                setenv("USER", user.c_str(), 1);
                setenv("LOGNAME", user.c_str(), 1);
            }
        }
        signal(SIGPIPE, SIG_DFL); // the helper ignores it; the command must not inherit that
        char byte;
        if (read(go[0], &byte, 1) != 1)
            _exit(127); // helper gone before release
        if (!err) {
            std::vector<char *> args;
            for (const auto &a : argv)
                args.push_back(const_cast<char *>(a.c_str()));
            args.push_back(nullptr);
            execvp(args[0], args.data());
            err = errno;
        }
        ssize_t ignored = write(status[1], &err, sizeof err);
        (void)ignored;
        _exit(127);
    }
    close(go[0]);
    close(status[1]);
    m_pid = pid;
    m_goFd = go[1];
    m_statusFd = status[0];
    return true;
}

bool HeldCommand::release(std::string &error)
{
    char byte = 1;
    bool ok = write(m_goFd, &byte, 1) == 1;
    close(m_goFd);
    m_goFd = -1;
    int err = 0;
    ssize_t n = read(m_statusFd, &err, sizeof err); // blocks until execve or failure
    close(m_statusFd);
    m_statusFd = -1;
    if (!ok || n == ssize_t(sizeof err)) {
        error = std::string("cannot run the command: ") + std::strerror(ok ? err : EPIPE);
        return false;
    }
    return true;
}

} // namespace agentsight::helper
