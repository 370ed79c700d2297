// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/**
 * @brief Everything the desktop app's views show about one capture (live or
 * replayed), kept in one headless place the Qt models read from.
 *
 * It is a pipeline sink (records, LLM exchanges, losses) and a correlation
 * sink (tool call -> action links): it owns the CorrelationEngine, so the
 * process tree it exposes is the engine's (model::ProcessTree).
 *
 * Memory: events are stored compactly (CompactEvent, ~40 bytes + a capped
 * detail string) so a million rows fit in well under 200 MB; beyond
 * Limits::maxEvents they are counted in eventsNotKept(), never silently lost.
 * Raw HTTP text per exchange is capped at Limits::maxRawBytes (counted);
 * unexplained actions and tool calls are capped too (a busy agent's tree can
 * produce one unexplained action per file it opens: ~500 bytes each).
 *
 * Not thread-safe: feed it and read it from one thread (the GUI thread).
 * Models pull changes with their refresh(); nothing here emits signals, so a
 * burst of 10 k events/s costs one model update per UI tick, not per event.
 */
#include "correlate/correlation_engine.h"
#include "correlate/link.h"
#include "llm/llm_exchange.h"
#include "pipeline/pipeline_sink.h"
#include "wire/event.h"

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace agentsight::models {

/** One capture record as the events table needs it; the detail text lives in a shared pool. */
struct CompactEvent {
    uint64_t ktimeNs = 0;
    uint64_t seq = 0;
    uint32_t tgid = 0;
    uint16_t type = 0;
    uint16_t flags = 0;
    int32_t result = 0;
    uint32_t detailOffset = 0;
    uint32_t detailLength = 0;
};

/** Per process / per agent totals shown in the tree. */
struct NodeCounts {
    uint64_t llmCalls = 0;
    int64_t tokens = 0;        ///< input + output where the API said; unknown parts not added
    double costUsd = 0;
    uint64_t costUnknown = 0;  ///< calls whose cost is unknown (not counted as 0 in the sum)
    uint64_t filesWritten = 0;
    uint64_t connections = 0;
    NodeCounts &operator+=(const NodeCounts &o);
};

/** One LLM exchange plus where it came from, for the conversation and timeline. */
struct ExchangeEntry {
    llm::LlmExchange exchange;
    uint32_t tgid = 0;
    uint64_t processId = 0;  ///< model::ProcessTree id, 0 if the process was unknown
    uint32_t agentId = 0;
    uint64_t conn = 0;
    std::string rawRequest;  ///< request line + headers + body as decoded (capped)
    std::string rawResponse; ///< status line + headers + body (capped)
};

class SessionData : public pipeline::PipelineSink, public correlate::CorrelationSink {
public:
    struct Limits {
        std::size_t maxEvents = 5'000'000;
        std::size_t maxDetailBytes = 240;       ///< per event detail text
        std::size_t maxRawBytes = 512 * 1024;   ///< per raw request / response text
        std::size_t maxExchanges = 100'000;
        /// Unexplained actions kept for display (each holds a whole model::Action); the rest are counted.
        std::size_t maxUnexplained = 10'000;
        std::size_t maxToolCalls = 100'000;
    };
    explicit SessionData(Limits limits);
    SessionData();
    ~SessionData() override;
    SessionData(const SessionData &) = delete;
    SessionData &operator=(const SessionData &) = delete;

    // ---- pipeline::PipelineSink ----
    void onHello(const as_hello &hello) override;
    void onEvent(const wire::Event &event, std::string_view rawRecord) override;
    void onLlmExchange(const llm::LlmExchange &exchange, const decode::HttpExchange &source) override;
    void onLost(pipeline::LossOrigin origin, uint32_t source, uint64_t count) override;
    void onHelperError(uint32_t code, const std::string &primary, const std::string &secondary) override;
    void onEnd(int helperExitCode) override;

    // ---- correlate::CorrelationSink ----
    void onToolCall(const correlate::ToolCallRecord &record) override;
    void onUnexplained(const correlate::UnexplainedAction &action) override;

    /// Decide every pending correlation (end of a replay / capture).
    void finish();

    // ---- reading ----
    std::size_t eventCount() const { return m_events.size(); }
    const CompactEvent &event(std::size_t row) const { return m_events[row]; }
    std::string_view detail(const CompactEvent &e) const;
    /// Index of the first kept event with ktime >= ns (events arrive in ktime order per source, roughly overall).
    std::size_t eventRowAtOrAfter(uint64_t ktimeNs) const;

    const std::vector<ExchangeEntry> &exchanges() const { return m_exchanges; }
    const std::vector<correlate::ToolCallRecord> &toolCalls() const { return m_toolCalls; }
    const std::vector<correlate::UnexplainedAction> &unexplained() const { return m_unexplained; }
    const model::ProcessTree &processes() const { return m_engine->processes(); }
    const correlate::CorrelationEngine &engine() const { return *m_engine; }

    NodeCounts processCounts(uint64_t processId) const;
    NodeCounts agentCounts(uint32_t agentId) const;

    /// Earliest / latest ktime seen (0 when nothing yet).
    uint64_t firstNs() const { return m_firstNs; }
    uint64_t lastNs() const { return m_lastNs; }

    // Loss and truncation accounting (status bar: always visible).
    uint64_t lost(pipeline::LossOrigin origin) const;
    uint64_t lostTotal() const;
    uint64_t truncatedRecords() const { return m_truncatedRecords; }
    uint64_t tlsBytesDropped() const { return m_tlsBytesDropped; }
    uint64_t eventsNotKept() const { return m_eventsNotKept; }
    uint64_t detailsCut() const { return m_detailsCut; }
    uint64_t rawCut() const { return m_rawCut; }
    uint64_t exchangesNotKept() const { return m_exchangesNotKept; }
    /// All unexplained actions the engine reported (unexplained() holds the first maxUnexplained).
    uint64_t unexplainedTotal() const { return m_unexplainedTotal; }
    uint64_t toolCallsNotKept() const { return m_toolCallsNotKept; }
    uint64_t eventsSeen() const { return m_eventsSeen; }
    const std::vector<std::string> &helperErrors() const { return m_helperErrors; }
    bool ended() const { return m_ended; }
    int helperExitCode() const { return m_exitCode; }
    bool helloSeen() const { return m_helloSeen; }
    /// Targets announced by the helper (AS_EV_TARGET names), in order.
    const std::vector<std::string> &targets() const { return m_targets; }
    /// Bumped on every change; models compare it to skip idle refreshes.
    uint64_t generation() const { return m_generation; }

    /// A one-line description of the record (what the events table's Detail column shows).
    static std::string describe(const wire::Event &event);

private:
    void addCounts(uint64_t processId, const NodeCounts &delta);

    Limits m_limits;
    std::unique_ptr<correlate::CorrelationEngine> m_engine;
    std::vector<CompactEvent> m_events;
    std::string m_pool;
    std::vector<ExchangeEntry> m_exchanges;
    std::vector<correlate::ToolCallRecord> m_toolCalls;
    std::vector<correlate::UnexplainedAction> m_unexplained;
    std::map<uint64_t, NodeCounts> m_processCounts;
    std::map<uint32_t, NodeCounts> m_agentCounts;
    std::map<pipeline::LossOrigin, uint64_t> m_lost;
    std::vector<std::string> m_helperErrors;
    std::vector<std::string> m_targets;
    uint64_t m_firstNs = 0;
    uint64_t m_lastNs = 0;
    uint64_t m_truncatedRecords = 0;
    uint64_t m_tlsBytesDropped = 0;
    uint64_t m_eventsNotKept = 0;
    uint64_t m_detailsCut = 0;
    uint64_t m_rawCut = 0;
    uint64_t m_exchangesNotKept = 0;
    uint64_t m_unexplainedTotal = 0;
    uint64_t m_toolCallsNotKept = 0;
    uint64_t m_eventsSeen = 0;
    uint64_t m_generation = 0;
    int m_exitCode = -1;
    bool m_ended = false;
    bool m_helloSeen = false;
    bool m_finished = false;
};

} // namespace agentsight::models
