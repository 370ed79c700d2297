// SPDX-License-Identifier: GPL-2.0-or-later
#include "noise_rules.h"

#include <array>

namespace agentsight::correlate {
namespace {

using model::Action;
using model::ActionKind;

bool startsWith(const std::string &s, std::string_view p) { return s.compare(0, p.size(), p) == 0; }

bool endsWith(const std::string &s, std::string_view p)
{
    return s.size() >= p.size() && s.compare(s.size() - p.size(), p.size(), p) == 0;
}

// Read by every program at start (loader, libc, locale, resolver): the
// program's exec is what matters, not these.
bool systemPath(const std::string &p)
{
    static constexpr std::array<std::string_view, 16> prefixes = {
        "/lib/", "/lib64/", "/usr/lib/", "/usr/lib64/", "/usr/libexec/", "/usr/share/", "/usr/local/lib/", "/proc/",
        "/sys/", "/dev/", "/etc/ld.so", "/etc/ssl/", "/usr/local/share/", "/run/", "/var/lib/", "/var/cache/"};
    static constexpr std::array<std::string_view, 14> files = {
        "/etc/localtime", "/etc/nsswitch.conf", "/etc/hosts", "/etc/resolv.conf", "/etc/gai.conf", "/etc/passwd",
        "/etc/group", "/etc/host.conf", "/etc/os-release", "/etc/mime.types", "/etc/inputrc", "/etc/profile",
        "/etc/bash.bashrc", "/etc/environment"};
    for (auto pre : prefixes)
        if (startsWith(p, pre))
            return true;
    for (auto f : files)
        if (p == f)
            return true;
    return startsWith(p, "/etc/profile.d/") || p == "/dev" || p == "/";
}

// A hidden component (~/.claude/, ~/.config/, ~/.npm/, .git/) or a temp dir:
// where runtimes keep state, caches and scratch files.
bool runtimeStatePath(const std::string &p)
{
    return p.find("/.") != std::string::npos || startsWith(p, "/tmp/") || startsWith(p, "/var/tmp/") ||
           p.find("/node_modules/") != std::string::npos;
}

// Vendors' own services that agent runtimes call for telemetry, updates,
// feature flags and auth, besides the LLM API.
bool vendorHost(const std::string &h)
{
    static constexpr std::array<std::string_view, 9> domains = {"anthropic.com", "claude.ai", "googleapis.com",
                                                               "openai.com", "chatgpt.com", "statsig.com",
                                                               "sentry.io", "datadoghq.com", "segment.io"};
    for (auto d : domains)
        if (h == d || endsWith(h, std::string(".") + std::string(d)))
            return true;
    return false;
}

bool loopback(const std::string &h) { return startsWith(h, "127.") || h == "::1"; }

} // namespace

std::string noiseRule(const Action &a, const NoiseContext &ctx)
{
    switch (a.kind) {
    case ActionKind::FileRead:
        if (a.failed)
            return "failed-lookup"; // search paths, optional config probes
        if (systemPath(a.path))
            return "system-read";
        if (ctx.runtimeProcess)
            return "runtime-read";
        return {};
    case ActionKind::FileWrite:
    case ActionKind::Unlink:
    case ActionKind::Rename:
    case ActionKind::Mkdir:
    case ActionKind::Chmod:
        if (startsWith(a.path, "/dev/") || startsWith(a.path, "/proc/"))
            return "device-or-proc";
        if (ctx.runtimeProcess && runtimeStatePath(a.path))
            return "runtime-state";
        return {};
    case ActionKind::Connect: {
        if (a.family != 2 && a.family != 10)
            return "local-ipc"; // unix sockets: nscd, dbus, the agent's own IPC
        if (a.port == 53)
            return "dns-plumbing";
        if (!ctx.runtimeProcess)
            return {};
        const bool hostIsLlm = ctx.llmHosts && (ctx.llmHosts->count(a.host) || ctx.llmHosts->count(a.hostName));
        const bool loopLlm = ctx.llmHosts && loopback(a.host) && ctx.llmPorts && ctx.llmPorts->count(a.port) &&
                             (ctx.llmHosts->count("localhost") || ctx.llmHosts->count("127.0.0.1") || ctx.llmHosts->count("::1"));
        if (hostIsLlm || loopLlm)
            return "llm-endpoint";
        if (vendorHost(a.hostName))
            return "vendor-service";
        return {};
    }
    case ActionKind::Dns:
        if (!ctx.runtimeProcess)
            return {};
        if (ctx.llmHosts && ctx.llmHosts->count(a.host))
            return "llm-endpoint";
        if (vendorHost(a.host))
            return "vendor-service";
        return {};
    case ActionKind::Exec:
        if (ctx.runtimeProcess)
            return "runtime-exec"; // the launcher exec'ing the real agent binary
        return {};
    }
    return {};
}

} // namespace agentsight::correlate
