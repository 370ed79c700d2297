// SPDX-License-Identifier: GPL-2.0-or-later
// `agentsight replay FILE`: run a recording's raw records through today's
// pipeline (no helper) and print the LLM exchanges it decodes, one JSON object
// per line (LlmExchange::toJson), then a summary on stderr. Shows what newer
// decoders make of an old capture, and proves a replay gives what was recorded.
#include "cli_common.h"

#include "llm/price_table.h"
#include "pipeline/capture_session.h"
#include "store/recording.h"
#include "store/recording_event_source.h"

#include <QJsonDocument>

#include <cstdio>

namespace agentsight::cli {

namespace {
struct LlmPrinter : pipeline::PipelineSink {
    void onLlmExchange(const llm::LlmExchange &x, const decode::HttpExchange &) override
    {
        std::fputs(QJsonDocument(x.toJson()).toJson(QJsonDocument::Compact).constData(), stdout);
        std::fputc('\n', stdout);
    }
};
} // namespace

int runReplay(const Args &args)
{
    std::string file;
    for (const auto &a : args) {
        if (!a.empty() && a[0] == '-')
            return usageError("replay: unknown option " + a);
        if (!file.empty())
            return usageError("replay: unexpected argument " + a);
        file = a;
    }
    if (file.empty())
        return usageError("replay: which recording?");
    std::string err;
    auto rec = store::Recording::open(file, store::Recording::Mode::Read, &err);
    if (!rec) {
        std::fprintf(stderr, "agentsight: %s\n", err.c_str());
        return kExitFailed;
    }
    const llm::PriceTable prices = llm::PriceTable::standard();
    pipeline::CaptureSession session(&prices);
    LlmPrinter printer;
    session.addSink(&printer);
    store::RecordingEventSource source(*rec);
    if (!source.run(session)) {
        std::fprintf(stderr, "agentsight: %s is corrupt or unreadable: %s\n", file.c_str(), source.error().c_str());
        return kExitFailed;
    }
    std::fprintf(stderr, "replayed: %s\n", session.counters().statusLine().c_str());
    return kExitOk;
}

} // namespace agentsight::cli
