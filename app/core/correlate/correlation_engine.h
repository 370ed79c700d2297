// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/**
 * @brief The causal-link engine: capture records and LLM exchanges in (the
 * pipeline's sinks call onEvent / onLlmExchange in stream order), tool-call
 * links and unexplained actions out (CorrelationSink), incrementally.
 *
 * Signals, combined per (tool call, action) - see docs/CORRELATION.md:
 *  - arguments: the action is what the call names (action_match.h);
 *  - lineage: the action runs in a process started for the call (under its
 *    runner shell or an exec the call named), else under the process that
 *    made the LLM call, else elsewhere in the agent's tree;
 *  - time: after the response began (full weight after it ended) and before
 *    the request carrying the call's tool_result started.
 * confidence = 0.55 * argument + 0.30 * lineage + 0.15 * time.
 *
 * Calls are decided per response (parallel calls of one response together)
 * once their results arrived and settleNs of event time passed; each action
 * is claimed by at most one call. Unclaimed actions are decided
 * finalizeDelayNs later: runtime noise (noise_rules.h, counted per rule) or
 * unexplained. Memory is bounded by CorrelationLimits; early decisions forced
 * by a cap are counted in Stats.
 *
 * Deterministic: no wall clock, no hash-order iteration in any output.
 * Limits: an action already claimed is not re-assigned to a call decided
 * later (overlapping windows of concurrent sub-agents go to the first
 * decided); exchanges from a pid never seen get a placeholder agent.
 */
#include <deque>
#include <map>
#include <set>
#include <string>

#include "correlation_limits.h"
#include "link.h"
#include "llm/llm_exchange.h"
#include "model/process_tree.h"
#include "tool_intent.h"
#include "wire/event.h"

namespace agentsight::correlate {

class CorrelationEngine
{
public:
    struct Stats {
        uint64_t actions = 0;
        uint64_t unattributedActions = 0; ///< from processes outside any agent
        uint64_t exchanges = 0;
        uint64_t exchangesWithoutAgent = 0;
        uint64_t toolCalls = 0;
        uint64_t resultsLinked = 0;
        uint64_t resultsWithoutCall = 0;  ///< tool_result for a call we never saw (capture began later)
        uint64_t links[3] = {};           ///< by LinkRole
        uint64_t unexplained = 0;
        std::map<std::string, uint64_t> noise; ///< per noise rule
        uint64_t forcedFinalize = 0;      ///< actions decided early: buffer cap
        uint64_t forcedResolve = 0;       ///< calls decided early: open-call cap
        uint64_t linksDropped = 0;
    };

    explicit CorrelationEngine(CorrelationSink *sink, CorrelationLimits limits = {}, model::ModelLimits modelLimits = {});
    CorrelationEngine(const CorrelationEngine &) = delete;
    CorrelationEngine &operator=(const CorrelationEngine &) = delete;

    void onEvent(const wire::Event &ev);
    /// tgid: the process that made the call; conn: its TLS connection (SSL*);
    /// socketFd (decode::HttpExchange::socketFd, -1 unknown): its socket, whose
    /// connect address then counts as this agent's LLM endpoint (noise rules).
    void onLlmExchange(const llm::LlmExchange &ex, uint32_t tgid, uint64_t conn, int socketFd = -1);
    /// End of stream: close every window and decide everything still pending.
    void finish();

    const model::ProcessTree &processes() const { return m_tree; }
    const Stats &stats() const { return m_stats; }
    /// Actions and calls currently held undecided (memory gauge).
    std::size_t pendingActions() const;
    std::size_t pendingCalls() const;

private:
    struct Buffered {
        model::Action action;
        bool claimed = false;
    };
    struct PendingCall {
        ToolCallRecord rec;
        ToolIntent intent;
        bool closed = false;
        std::set<uint64_t> callProcesses; ///< processes started for this call
    };
    struct AgentState {
        std::deque<Buffered> actions;     ///< ascending ktime (binary-searchable)
        std::deque<Buffered> late;        ///< arrived older than actions.back(): parked pids, ring skew
        std::deque<PendingCall> calls;    ///< creation order; one batch = same exchangeSeq
        std::set<uint64_t> runtimeProcesses;
        std::set<std::string> llmHosts;
        std::set<uint16_t> llmPorts;
    };

    void onAction(model::Action &&a);
    void sweep(bool force);
    void advance(uint32_t agentId, AgentState &st, bool force);
    void closeCall(PendingCall &c, uint64_t endNs, WindowEnd why);
    void resolveFront(uint32_t agentId, AgentState &st);
    /// The undecided action that happened first (front of actions or late), or null.
    std::deque<Buffered> *oldest(AgentState &st) const;
    void finalizeFront(uint32_t agentId, AgentState &st);
    double lineageScore(const model::Action &a, const PendingCall &c, std::string &why) const;
    void addLink(PendingCall &c, Buffered &b, LinkRole role, double conf, std::vector<std::string> reasons);
    uint64_t now() const;

    CorrelationSink *m_sink;
    CorrelationLimits m_limits;
    model::ProcessTree m_tree;
    Stats m_stats;
    std::map<uint32_t, AgentState> m_agents;
    uint64_t m_exchangeSeq = 0;
    std::size_t m_buffered = 0; ///< undecided actions over all agents
    uint64_t m_clock = 0;       ///< max of the tree's watermark and exchange end times
    uint64_t m_nextSweep = 0;
    bool m_finished = false;
};

} // namespace agentsight::correlate
