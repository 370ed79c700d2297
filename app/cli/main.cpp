// SPDX-License-Identifier: GPL-2.0-or-later
// agentsight: record an agent's activity headless, report on a recording,
// export/import it as JSON lines.
#include "cli_common.h"

#include <cstdio>
#include <cstring>

namespace agentsight::cli {

std::string usageText()
{
    return "Usage:\n"
           "  agentsight record [-o FILE] [--helper PATH] [--force] -- CMD [ARGS...]\n"
           "  agentsight record [-o FILE] [--helper PATH] [--force] --pid PID... | --comm NAME...\n"
           "      Trace CMD (or running processes and their descendants) with agentsight-helper\n"
           "      (as root directly, else through pkexec or sudo -n) and record to FILE\n"
           "      (default agentsight-YYYYmmdd-HHMMSS.agentsight). Stops when the targets exit\n"
           "      or on Ctrl-C; prints a live status line and a summary on stderr.\n"
           "  agentsight report FILE [--json]\n"
           "      Sessions, LLM calls (model, tokens, cost), processes, files written, network\n"
           "      destinations, links, findings and drops of a recording.\n"
           "  agentsight export FILE -o OUT.jsonl     Recording -> JSON lines ('-' = stdout)\n"
           "  agentsight import IN.jsonl -o FILE      JSON lines -> new recording\n"
           "  agentsight replay FILE [--links]        re-decode the raw records; LLM exchanges (or tool-call links) as JSON lines\n"
           "  agentsight --help | --version\n"
           "Exit codes: 0 ok, 1 failed (message on stderr), 2 usage error.\n";
}

int usageError(const std::string &message)
{
    std::fprintf(stderr, "agentsight: %s\n\n%s", message.c_str(), usageText().c_str());
    return kExitUsage;
}

} // namespace agentsight::cli

int main(int argc, char **argv)
{
    using namespace agentsight::cli;
    if (argc < 2)
        return usageError("missing command");
    const std::string cmd = argv[1];
    Args rest(argv + 2, argv + argc);
    if (cmd == "-h" || cmd == "--help" || cmd == "help") {
        std::fputs(usageText().c_str(), stdout);
        return kExitOk;
    }
    if (cmd == "--version") {
        std::printf("agentsight %s\n", AGENTSIGHT_VERSION);
        return kExitOk;
    }
    if (cmd == "record")
        return runRecord(rest);
    if (cmd == "report")
        return runReport(rest);
    if (cmd == "export")
        return runExport(rest);
    if (cmd == "import")
        return runImport(rest);
    if (cmd == "replay")
        return runReplay(rest);
    return usageError("unknown command '" + cmd + "'");
}
