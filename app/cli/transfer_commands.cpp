// SPDX-License-Identifier: GPL-2.0-or-later
// `agentsight export` and `agentsight import` (JSON lines, docs/RECORDING.md).
#include "cli_common.h"

#include "store/jsonl_transfer.h"
#include "store/recording.h"

#include <cstdio>

namespace agentsight::cli {

namespace {
/// FILE -o OUT, in any order. False (with message) on anything else.
bool inOut(const Args &args, std::string &in, std::string &out, std::string &error)
{
    for (size_t i = 0; i < args.size(); ++i) {
        if (args[i] == "-o" || args[i] == "--output") {
            if (i + 1 >= args.size()) {
                error = args[i] + " needs a file";
                return false;
            }
            out = args[++i];
        } else if (!args[i].empty() && args[i][0] == '-' && args[i] != "-") {
            error = "unknown option " + args[i];
            return false;
        } else if (in.empty()) {
            in = args[i];
        } else {
            error = "unexpected argument " + args[i];
            return false;
        }
    }
    if (in.empty() || out.empty()) {
        error = "needs an input file and -o OUTPUT";
        return false;
    }
    return true;
}
} // namespace

int runExport(const Args &args)
{
    std::string in, out, err;
    if (!inOut(args, in, out, err))
        return usageError("export: " + err);
    auto rec = store::Recording::open(in, store::Recording::Mode::Read, &err);
    if (!rec) {
        std::fprintf(stderr, "agentsight: %s\n", err.c_str());
        return kExitFailed;
    }
    store::TransferStats st;
    if (!store::exportJsonl(*rec, out, &err, &st)) {
        std::fprintf(stderr, "agentsight: %s\n", err.c_str());
        return kExitFailed;
    }
    if (out != "-")
        std::fprintf(stderr, "exported %llu lines (%llu events, %llu LLM calls) to %s\n",
                     (unsigned long long)st.lines, (unsigned long long)st.events,
                     (unsigned long long)st.llmExchanges, out.c_str());
    return kExitOk;
}

int runImport(const Args &args)
{
    std::string in, out, err;
    if (!inOut(args, in, out, err))
        return usageError("import: " + err);
    store::TransferStats st;
    if (!store::importJsonl(in, out, &err, &st)) {
        std::fprintf(stderr, "agentsight: %s\n", err.c_str());
        return kExitFailed;
    }
    std::fprintf(stderr, "imported %llu lines (%llu events, %llu LLM calls) into %s\n", (unsigned long long)st.lines,
                 (unsigned long long)st.events, (unsigned long long)st.llmExchanges, out.c_str());
    return kExitOk;
}

} // namespace agentsight::cli
