// SPDX-License-Identifier: GPL-2.0-or-later
#include "helper_launcher.h"

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

namespace agentsight::cli {

namespace {

bool executable(const std::string &p)
{
    return !p.empty() && ::access(p.c_str(), X_OK) == 0;
}

std::string selfDir()
{
    char buf[4096];
    const ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
    if (n <= 0)
        return {};
    std::string p(buf, size_t(n));
    return p.substr(0, p.rfind('/'));
}

std::string inPath(const char *name)
{
    const char *path = std::getenv("PATH");
    std::stringstream ss(path ? path : "/usr/bin:/bin");
    std::string dir;
    while (std::getline(ss, dir, ':')) {
        const std::string p = dir + "/" + name;
        if (executable(p))
            return p;
    }
    return {};
}

} // namespace

std::string findHelper(const std::string &explicitPath, std::string *error)
{
    if (!explicitPath.empty()) {
        if (executable(explicitPath))
            return explicitPath;
        *error = "--helper " + explicitPath + ": not an executable file";
        return {};
    }
    if (const char *env = std::getenv("AGENTSIGHT_HELPER"); env && *env) {
        if (executable(env))
            return env;
        *error = std::string("$AGENTSIGHT_HELPER=") + env + ": not an executable file";
        return {};
    }
    const std::string here = selfDir();
    for (const std::string &p : {here + "/../../helper/agentsight-helper",
                                 std::string(AGENTSIGHT_LIBEXEC_DIR) + "/agentsight-helper"}) {
        if (executable(p)) {
            char real[4096];
            return ::realpath(p.c_str(), real) ? std::string(real) : p;
        }
    }
    *error = "agentsight-helper not found (looked next to this program and in " AGENTSIGHT_LIBEXEC_DIR
             "); pass --helper PATH";
    return {};
}

HelperProcess::~HelperProcess()
{
    // A helper still running here either said BYE and is tearing down its
    // probes (it exits by itself; init reaps it) or we are on an error path.
    if (!m_logPath.empty())
        ::unlink(m_logPath.c_str());
    if (!m_socket.empty())
        ::unlink(m_socket.c_str());
    if (!m_dir.empty())
        ::rmdir(m_dir.c_str());
}

bool HelperProcess::start(const std::string &helper, const std::vector<std::string> &args, std::string *error)
{
    const char *tmp = std::getenv("TMPDIR");
    std::string tmpl = std::string(tmp && *tmp ? tmp : "/tmp") + "/agentsight-XXXXXX";
    if (!::mkdtemp(tmpl.data())) {
        *error = std::string("cannot create a private temp dir: ") + std::strerror(errno);
        return false;
    }
    m_dir = tmpl;
    m_socket = m_dir + "/helper.sock";
    m_logPath = m_dir + "/helper.log";

    std::vector<std::string> argv;
    if (::geteuid() == 0) {
        m_elevation = "direct";
    } else if (std::string p = inPath("pkexec"); !p.empty()) {
        m_elevation = "pkexec";
        argv.push_back(p);
    } else if (std::string s = inPath("sudo"); !s.empty()) {
        m_elevation = "sudo";
        argv = {s, "-n"};
    } else {
        *error = "tracing needs root: run as root, or install pkexec (polkit) or sudo";
        return false;
    }
    argv.push_back(helper);
    argv.push_back("--socket");
    argv.push_back(m_socket);
    argv.insert(argv.end(), args.begin(), args.end());

    const int logFd = ::open(m_logPath.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (logFd < 0) {
        *error = std::string("cannot create the helper log: ") + std::strerror(errno);
        return false;
    }
    std::vector<char *> cargv;
    for (auto &a : argv)
        cargv.push_back(a.data());
    cargv.push_back(nullptr);
    m_pid = ::fork();
    if (m_pid < 0) {
        *error = std::string("fork: ") + std::strerror(errno);
        ::close(logFd);
        return false;
    }
    if (m_pid == 0) {
        ::dup2(logFd, STDERR_FILENO);
        ::execv(cargv[0], cargv.data());
        const std::string msg = std::string("exec ") + cargv[0] + ": " + std::strerror(errno) + "\n";
        [[maybe_unused]] ssize_t n = ::write(STDERR_FILENO, msg.data(), msg.size());
        ::_exit(127);
    }
    ::close(logFd);
    return true;
}

bool HelperProcess::running()
{
    if (m_pid <= 0 || m_status >= 0)
        return false;
    int st = 0;
    const pid_t r = ::waitpid(m_pid, &st, WNOHANG);
    if (r == m_pid) {
        m_status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
        return false;
    }
    return r == 0;
}

int HelperProcess::wait(int timeoutMs)
{
    const auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
    while (running()) {
        if (std::chrono::steady_clock::now() >= end)
            return -1;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return m_status;
}

std::string HelperProcess::log() const
{
    std::ifstream f(m_logPath);
    std::string s((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    if (s.size() > 8192)
        s = "..." + s.substr(s.size() - 8192);
    return s;
}

} // namespace agentsight::cli
