// SPDX-License-Identifier: GPL-2.0-or-later
// agentsight-helper: the small privileged half of AgentSight. It loads the
// eBPF collectors, follows the target process trees, and streams raw records
// to one client. It never parses captured bytes (that happens unprivileged).
#include "options.h"
#include "session.h"

#include "agentsight_protocol.h"

#include <bpf/libbpf.h>
#include <csignal>
#include <cstdio>
#include <cstring>

namespace {
int quietLibbpf(enum libbpf_print_level level, const char *fmt, va_list args)
{
    // Verifier and load diagnostics are useful; debug chatter is not.
    if (level == LIBBPF_DEBUG)
        return 0;
    // RLIMIT_MEMLOCK is irrelevant on memcg-accounted kernels (>= 5.11).
    if (std::strstr(fmt, "RLIMIT_MEMLOCK"))
        return 0;
    return std::vfprintf(stderr, fmt, args);
}
} // namespace

int main(int argc, char **argv)
{
    using namespace agentsight::helper;
    ParseResult parsed = parseOptions(argc, argv);
    if (parsed.options.help) {
        std::fputs(usageText(argv[0]).c_str(), stdout);
        return 0;
    }
    if (parsed.options.version) {
        std::printf("agentsight-helper protocol %d.%d, record schema %d.%d\n", AS_PROTO_MAJOR, AS_PROTO_MINOR,
                    AS_SCHEMA_MAJOR, AS_SCHEMA_MINOR);
        return 0;
    }
    if (!parsed.error.empty()) {
        std::fprintf(stderr, "agentsight-helper: %s\n\n%s", parsed.error.c_str(), usageText(argv[0]).c_str());
        return AS_ERR_USAGE;
    }
    // A closed --jsonl pipe or socket must be an error return, not death.
    std::signal(SIGPIPE, SIG_IGN);
    libbpf_set_print(quietLibbpf);
    Session session(parsed.options);
    return session.run();
}
