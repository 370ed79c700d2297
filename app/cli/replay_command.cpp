// SPDX-License-Identifier: GPL-2.0-or-later
// `agentsight replay FILE [--links]`: run a recording's raw records through
// today's pipeline (no helper) and print the LLM exchanges it decodes, one
// JSON object per line (LlmExchange::toJson), or with --links the tool-call
// links and unexplained actions the correlation engine derives, in the same
// text the recorder stores. Shows what newer code makes of an old capture,
// and proves a replay gives what was recorded.
#include "cli_common.h"

#include "llm/price_table.h"
#include "correlate/pipeline_correlator.h"
#include "pipeline/capture_session.h"
#include "store/correlation_recorder.h"
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
struct LinkPrinter : correlate::CorrelationSink {
    void onToolCall(const correlate::ToolCallRecord &c) override
    {
        for (const auto &l : c.links)
            line("link", std::string("tool_") + model::actionKindName(l.action.kind), store::describeCall(c),
                 store::describeAction(l.action), l.confidence);
        if (c.result.seen)
            line("link", "tool_result", store::describeCall(c), "exchange " + std::to_string(c.result.exchangeSeq), 1.0);
    }
    void onUnexplained(const correlate::UnexplainedAction &u) override
    {
        line("unexplained", "unexplained_action", "", store::describeAction(u.action), 1.0);
    }
    static void line(const char *what, const std::string &kind, const std::string &from, const std::string &to, double conf)
    {
        QJsonObject o{{QStringLiteral("type"), QLatin1String(what)}, {QStringLiteral("kind"), QString::fromStdString(kind)},
                      {QStringLiteral("from"), QString::fromStdString(from)}, {QStringLiteral("to"), QString::fromStdString(to)},
                      {QStringLiteral("confidence"), conf}};
        std::fputs(QJsonDocument(o).toJson(QJsonDocument::Compact).constData(), stdout);
        std::fputc('\n', stdout);
    }
};
} // namespace

int runReplay(const Args &args)
{
    std::string file;
    bool links = false;
    for (const auto &a : args) {
        if (a == "--links") {
            links = true;
            continue;
        }
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
    LinkPrinter linkPrinter;
    correlate::PipelineCorrelator correlator(&linkPrinter);
    if (links)
        session.addSink(&correlator);
    else
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
