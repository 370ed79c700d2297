// SPDX-License-Identifier: GPL-2.0-or-later
#include "options.h"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace agentsight::helper {
namespace {

bool parseUnsigned(const char *s, uint64_t max, uint64_t &out)
{
    if (!s || !*s || *s == '-' || *s == '+')
        return false;
    errno = 0;
    char *end = nullptr;
    unsigned long long v = std::strtoull(s, &end, 10);
    if (errno || *end || v > max)
        return false;
    out = v;
    return true;
}

// Accepts "64M", "512K", "4096".
bool parseSize(const char *s, uint64_t max, uint64_t &out)
{
    std::string str = s ? s : "";
    uint64_t mult = 1;
    if (!str.empty()) {
        char last = str.back();
        if (last == 'K' || last == 'k') mult = 1024;
        else if (last == 'M' || last == 'm') mult = 1024 * 1024;
        else if (last == 'G' || last == 'g') mult = 1024ull * 1024 * 1024;
        if (mult != 1)
            str.pop_back();
    }
    uint64_t v;
    if (!parseUnsigned(str.c_str(), max, v) || v > max / mult)
        return false;
    out = v * mult;
    return out <= max;
}

} // namespace

std::string usageText(const char *argv0)
{
    std::string a = argv0 ? argv0 : "agentsight-helper";
    return "Usage: " + a + " [OPTIONS] [--pid PID]... [--comm NAME]... [-- CMD ARGS...]\n"
        "Trace an agent's process tree with eBPF: processes, files, network and TLS plaintext.\n\n"
        "Targets (at least one, several allowed):\n"
        "  --pid PID          a running process and all its descendants\n"
        "  --comm NAME        every new process whose name/executable matches NAME\n"
        "  -- CMD ARGS...     spawn CMD (as the invoking user under sudo/pkexec), trace it from its first instruction\n\n"
        "Output (at least one):\n"
        "  --socket PATH      serve events on a Unix socket (one client at a time; root or the invoking uid)\n"
        "  --jsonl FILE|-     write events as JSON lines\n\n"
        "Tuning:\n"
        "  --ring-size BYTES  kernel ring buffer (default 64M; power of two)\n"
        "  --tls-cap BYTES    TLS bytes captured per SSL call (default 4M); the rest is counted\n"
        "  --queue-size BYTES buffered for a slow or absent client (default 256M); overflow is counted\n"
        "  --grace SECONDS    without a client, keep collecting this long, then exit (default 30)\n"
        "  --wait-client      with --socket: start CMD only once a client is connected\n"
        "  --no-exec-hold     do not pause a traced process at exec until its TLS probes are attached\n"
        "                     (faster execs; a very fast TLS client may then go unseen)\n"
        "  --uid UID          the user served (default: PKEXEC_UID, SUDO_UID, or the real uid)\n"
        "  -h, --help         this text      --version  protocol and schema versions\n\n"
        "Exit codes: 0 ok, 2 usage, 3 not root, 4 no BTF, 5 tracepoint missing, 6 BPF load failed,\n"
        "7 target gone, 8 command not found, 9 socket in use, 10 socket error, 11 no client,\n"
        "12 permission denied for target, 13 internal error.\n";
}

ParseResult parseOptions(int argc, const char *const argv[])
{
    ParseResult r;
    Options &o = r.options;
    auto need = [&](int &i, const char *name) -> const char * {
        if (i + 1 >= argc) {
            r.error = std::string("option ") + name + " needs a value";
            return nullptr;
        }
        return argv[++i];
    };
    for (int i = 1; i < argc; ++i) {
        const char *a = argv[i];
        uint64_t v = 0;
        if (!std::strcmp(a, "--")) {
            for (int j = i + 1; j < argc; ++j)
                o.command.emplace_back(argv[j]);
            if (o.command.empty())
                r.error = "'--' must be followed by a command";
            break;
        } else if (!std::strcmp(a, "-h") || !std::strcmp(a, "--help")) {
            o.help = true;
        } else if (!std::strcmp(a, "--version")) {
            o.version = true;
        } else if (!std::strcmp(a, "--pid")) {
            const char *s = need(i, a);
            if (!s) break;
            if (!parseUnsigned(s, 0x3fffffff, v) || v == 0) { r.error = std::string("invalid pid '") + s + "'"; break; }
            o.pids.push_back(uint32_t(v));
        } else if (!std::strcmp(a, "--comm")) {
            const char *s = need(i, a);
            if (!s) break;
            if (!*s || std::strlen(s) > 255) { r.error = "invalid --comm name"; break; }
            o.comms.emplace_back(s);
        } else if (!std::strcmp(a, "--socket")) {
            const char *s = need(i, a);
            if (!s) break;
            if (!*s || std::strlen(s) >= 108) { r.error = "socket path empty or longer than 107 bytes"; break; }
            o.socketPath = s;
        } else if (!std::strcmp(a, "--jsonl")) {
            const char *s = need(i, a);
            if (!s) break;
            if (!*s) { r.error = "--jsonl needs a file or '-'"; break; }
            o.jsonlPath = s;
        } else if (!std::strcmp(a, "--ring-size")) {
            const char *s = need(i, a);
            if (!s) break;
            if (!parseSize(s, 1ull << 30, v) || v < 4096 || (v & (v - 1))) { r.error = "--ring-size must be a power of two between 4K and 1G"; break; }
            o.ringBytes = uint32_t(v);
        } else if (!std::strcmp(a, "--tls-cap")) {
            const char *s = need(i, a);
            if (!s) break;
            if (!parseSize(s, 256u << 20, v) || v == 0) { r.error = "--tls-cap must be between 1 and 256M"; break; }
            o.tlsCapBytes = uint32_t(v);
        } else if (!std::strcmp(a, "--queue-size")) {
            const char *s = need(i, a);
            if (!s) break;
            if (!parseSize(s, 4ull << 30, v) || v < (1u << 20)) { r.error = "--queue-size must be between 1M and 4G"; break; }
            o.queueBytes = uint32_t(std::min<uint64_t>(v, 0xffffffffu));
        } else if (!std::strcmp(a, "--grace")) {
            const char *s = need(i, a);
            if (!s) break;
            if (!parseUnsigned(s, 86400, v)) { r.error = "--grace must be 0..86400 seconds"; break; }
            o.graceSeconds = uint32_t(v);
        } else if (!std::strcmp(a, "--uid")) {
            const char *s = need(i, a);
            if (!s) break;
            if (!parseUnsigned(s, 0xfffffffe, v)) { r.error = std::string("invalid uid '") + s + "'"; break; }
            o.clientUid = int64_t(v);
        } else if (!std::strcmp(a, "--no-exec-hold")) {
            o.holdExec = false;
        } else if (!std::strcmp(a, "--wait-client")) {
            o.waitForClient = true;
        } else {
            r.error = std::string("unknown option '") + a + "'";
            break;
        }
    }
    if (r.error.empty() && !o.help && !o.version) {
        if (o.pids.empty() && o.comms.empty() && o.command.empty())
            r.error = "no target: give --pid, --comm or -- CMD";
        else if (o.socketPath.empty() && o.jsonlPath.empty())
            r.error = "no output: give --socket PATH and/or --jsonl FILE|-";
        else if (o.waitForClient && o.socketPath.empty())
            r.error = "--wait-client needs --socket";
    }
    return r;
}

} // namespace agentsight::helper
