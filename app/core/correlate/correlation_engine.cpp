// SPDX-License-Identifier: GPL-2.0-or-later
#include "correlation_engine.h"

#include <algorithm>

#include "action_match.h"
#include "noise_rules.h"

namespace agentsight::correlate {
namespace {

using model::Action;
using model::ActionKind;

constexpr double kArgWeight = 0.55;
constexpr double kLineageWeight = 0.30;
constexpr double kTimeWeight = 0.15;
constexpr double kWeakArgScore = 0.7;

std::string capped(const std::string &s, std::size_t n) { return s.size() <= n ? s : s.substr(0, n); }

// "localhost:8443" -> ("localhost", 8443); "api.x.com" -> ("api.x.com", 443)
std::pair<std::string, uint16_t> splitAuthority(const std::string &authority)
{
    std::string host = authority;
    uint16_t port = 443;
    if (!host.empty() && host.front() == '[') {
        const auto close = host.find(']');
        if (close != std::string::npos && close + 2 < host.size() && host[close + 1] == ':')
            port = uint16_t(std::strtoul(host.c_str() + close + 2, nullptr, 10));
        host = host.substr(1, close == std::string::npos ? std::string::npos : close - 1);
    } else if (const auto colon = host.rfind(':'); colon != std::string::npos && host.find(':') == colon) {
        port = uint16_t(std::strtoul(host.c_str() + colon + 1, nullptr, 10));
        host = host.substr(0, colon);
    }
    std::transform(host.begin(), host.end(), host.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    return {host, port};
}

std::string describe(const Action &a)
{
    return a.comm + " (pid " + std::to_string(a.tgid) + ")";
}

} // namespace

CorrelationEngine::CorrelationEngine(CorrelationSink *sink, CorrelationLimits limits, model::ModelLimits modelLimits)
    : m_sink(sink), m_limits(limits), m_tree(modelLimits)
{
    m_tree.setActionSink([this](Action &&a) { onAction(std::move(a)); });
}

uint64_t CorrelationEngine::now() const { return std::max(m_clock, m_tree.watermarkNs()); }

std::size_t CorrelationEngine::pendingActions() const
{
    std::size_t n = 0;
    for (const auto &[id, st] : m_agents)
        n += st.actions.size() + st.late.size();
    return n;
}

std::size_t CorrelationEngine::pendingCalls() const
{
    std::size_t n = 0;
    for (const auto &[id, st] : m_agents)
        n += st.calls.size();
    return n;
}

void CorrelationEngine::onEvent(const wire::Event &ev)
{
    m_tree.onEvent(ev);
    if (now() >= m_nextSweep) {
        m_nextSweep = now() + m_limits.sweepIntervalNs;
        sweep(false);
    }
}

void CorrelationEngine::onAction(Action &&a)
{
    ++m_stats.actions;
    if (!a.agentId) {
        ++m_stats.unattributedActions;
        return;
    }
    const uint32_t agentId = a.agentId;
    AgentState &st = m_agents[agentId];
    if (st.actions.empty() || a.ktimeNs >= st.actions.back().action.ktimeNs)
        st.actions.push_back({std::move(a), false});
    else
        st.late.push_back({std::move(a), false});
    ++m_buffered;
    while (st.actions.size() + st.late.size() > m_limits.maxBufferedActionsPerAgent) {
        ++m_stats.forcedFinalize;
        finalizeFront(agentId, st);
    }
    while (m_buffered > m_limits.maxBufferedActions) {
        // The globally oldest undecided action goes first (ties: lowest agent id).
        AgentState *victim = nullptr;
        uint32_t victimId = 0;
        uint64_t oldestNs = UINT64_MAX;
        for (auto &[id, other] : m_agents) {
            if (std::deque<Buffered> *q = oldest(other); q && q->front().action.ktimeNs < oldestNs) {
                oldestNs = q->front().action.ktimeNs;
                victim = &other;
                victimId = id;
            }
        }
        if (!victim)
            break;
        ++m_stats.forcedFinalize;
        finalizeFront(victimId, *victim);
    }
}

void CorrelationEngine::onLlmExchange(const llm::LlmExchange &ex, uint32_t tgid, uint64_t conn, int socketFd)
{
    ++m_stats.exchanges;
    const auto &t = ex.timing;
    m_clock = std::max({m_clock, t.endNs, t.requestStartNs});
    const uint64_t seq = ++m_exchangeSeq;
    const uint64_t pid = m_tree.ensureProcess(tgid, t.requestStartNs);
    const model::Process *caller = m_tree.process(pid);
    if (!caller || !caller->agentId) {
        ++m_stats.exchangesWithoutAgent;
        return;
    }
    const uint32_t agentId = caller->agentId;
    AgentState &st = m_agents[agentId];

    // The caller and its ancestors up to the root are the agent runtime.
    for (uint64_t id : m_tree.lineage(pid))
        if (st.runtimeProcesses.size() < m_limits.maxRuntimeProcesses)
            st.runtimeProcesses.insert(id);
    if (!ex.host.empty() && st.llmHosts.size() < m_limits.maxLlmHosts) {
        auto [host, port] = splitAuthority(ex.host);
        st.llmHosts.insert(host);
        st.llmPorts.insert(port);
    }
    if (socketFd >= 0 && st.llmHosts.size() < m_limits.maxLlmHosts) {
        auto fd = caller->fds.find(socketFd);
        if (fd != caller->fds.end() && fd->second.kind == model::FdEntry::Kind::Socket) {
            auto [host, port] = splitAuthority(fd->second.remote);
            st.llmHosts.insert(host); // the address itself: matches the connect's literal host
            st.llmPorts.insert(port);
        }
    }

    model::ConversationEntry entry;
    entry.exchangeSeq = seq;
    entry.requestStartNs = t.requestStartNs;
    entry.responseEndNs = t.endNs;
    entry.processId = pid;
    entry.conn = conn;
    entry.provider = ex.provider;
    entry.model = ex.model;
    entry.host = ex.host;
    entry.toolCalls = uint32_t(ex.toolCalls.size());

    // Results reported for the first time close their calls' windows.
    const uint64_t requestStart = t.requestStartNs ? t.requestStartNs : (t.requestEndNs ? t.requestEndNs : now());
    for (const auto &r : ex.toolResults) {
        if (!r.latest)
            continue;
        ++entry.toolResults;
        PendingCall *match = nullptr;
        for (auto &c : st.calls) {
            if (c.rec.result.seen)
                continue;
            const bool byId = !r.toolCallId.empty() && c.rec.callId == r.toolCallId;
            // Gemini may send neither ids nor distinct names: first open call of that name.
            const bool byName = (r.toolCallId.empty() || c.rec.callId.empty()) && !r.toolName.empty() && c.rec.toolName == r.toolName;
            if (byId || byName) {
                match = &c;
                break;
            }
        }
        if (!match) {
            ++m_stats.resultsWithoutCall;
            continue;
        }
        ++m_stats.resultsLinked;
        ToolResultSeen &res = match->rec.result;
        res.seen = true;
        res.exchangeSeq = seq;
        res.requestStartNs = requestStart;
        res.content = capped(r.content, m_limits.maxResultExcerpt);
        res.isError = r.isError;
        if (!match->closed)
            closeCall(*match, std::max(requestStart, match->rec.windowStartNs), WindowEnd::ToolResult);
    }
    m_tree.addConversationEntry(agentId, std::move(entry));

    for (const auto &call : ex.toolCalls) {
        ++m_stats.toolCalls;
        PendingCall c;
        c.intent = readToolIntent(call);
        ToolCallRecord &rec = c.rec;
        rec.agentId = agentId;
        rec.exchangeSeq = seq;
        rec.callerProcessId = pid;
        rec.callerTgid = tgid;
        rec.conn = conn;
        rec.callId = call.id;
        rec.toolName = call.name;
        rec.argumentsRaw = capped(call.argumentsRaw, m_limits.maxArgumentsExcerpt);
        rec.category = categoryName(c.intent.category);
        rec.responseEndNs = t.endNs ? t.endNs : std::max(t.firstTokenNs, t.firstByteNs);
        // Agents may start a tool while the rest of the response still streams.
        rec.windowStartNs = t.firstTokenNs ? t.firstTokenNs : (t.firstByteNs ? t.firstByteNs : rec.responseEndNs);
        st.calls.push_back(std::move(c));
    }
    while (st.calls.size() > m_limits.maxOpenCallsPerAgent) {
        const uint64_t batch = st.calls.front().rec.exchangeSeq;
        for (auto &c : st.calls)
            if (c.rec.exchangeSeq == batch && !c.closed) {
                closeCall(c, now(), WindowEnd::Overflow);
                ++m_stats.forcedResolve;
            }
        resolveFront(agentId, st);
    }
    advance(agentId, st, false);
}

void CorrelationEngine::closeCall(PendingCall &c, uint64_t endNs, WindowEnd why)
{
    c.closed = true;
    c.rec.windowEndNs = endNs;
    c.rec.closedBy = why;
}

void CorrelationEngine::sweep(bool force)
{
    for (auto it = m_agents.begin(); it != m_agents.end();) {
        advance(it->first, it->second, force);
        const model::AgentSession *a = m_tree.agent(it->first);
        // Forget the state of agents that ended (or were forgotten by the
        // tree) once nothing is pending.
        if ((!a || a->ended) && it->second.actions.empty() && it->second.late.empty() && it->second.calls.empty())
            it = m_agents.erase(it);
        else
            ++it;
    }
}

void CorrelationEngine::advance(uint32_t agentId, AgentState &st, bool force)
{
    const uint64_t t = now();
    const model::AgentSession *agent = m_tree.agent(agentId);
    for (auto &c : st.calls) {
        if (c.closed)
            continue;
        if (force)
            closeCall(c, std::max(t, c.rec.windowStartNs), WindowEnd::EndOfStream);
        else if (agent && agent->ended && agent->endNs >= c.rec.windowStartNs)
            closeCall(c, agent->endNs, WindowEnd::AgentExit);
        else if (t > c.rec.windowStartNs + m_limits.maxOpenWindowNs)
            closeCall(c, c.rec.windowStartNs + m_limits.maxOpenWindowNs, WindowEnd::Timeout);
    }
    // Decide whole responses, oldest first.
    while (!st.calls.empty()) {
        const uint64_t batch = st.calls.front().rec.exchangeSeq;
        bool ready = true;
        for (const auto &c : st.calls) {
            if (c.rec.exchangeSeq != batch)
                break;
            if (!c.closed || (!force && c.rec.windowEndNs + m_limits.settleNs > t))
                ready = false;
        }
        if (!ready)
            break;
        resolveFront(agentId, st);
    }
    // Decide actions no open window can still claim.
    while (std::deque<Buffered> *q = oldest(st)) {
        const Buffered &b = q->front();
        if (!force) {
            if (b.action.ktimeNs + m_limits.finalizeDelayNs > t)
                break;
            if (!st.calls.empty() && st.calls.front().rec.windowStartNs <= b.action.ktimeNs)
                break;
        }
        finalizeFront(agentId, st);
    }
}

double CorrelationEngine::lineageScore(const Action &a, const PendingCall &c, std::string &why) const
{
    for (std::size_t i = 0; i < a.lineage.size(); ++i) {
        if (c.callProcesses.count(a.lineage[i])) {
            why = i == 0 ? "runs in a process started for this call" : "runs under a process started for this call";
            return 1.0;
        }
    }
    if (a.processId == c.rec.callerProcessId) {
        why = "done by the agent process that made the LLM call";
        return 0.5;
    }
    if (std::find(a.lineage.begin(), a.lineage.end(), c.rec.callerProcessId) != a.lineage.end()) {
        why = "descendant of the agent process that made the LLM call";
        return 0.6;
    }
    why = "elsewhere in the agent's process tree";
    return 0.3;
}

void CorrelationEngine::addLink(PendingCall &c, Buffered &b, LinkRole role, double conf, std::vector<std::string> reasons)
{
    b.claimed = true;
    ++m_stats.links[int(role)];
    if (c.rec.links.size() >= m_limits.maxLinksPerCall) {
        ++c.rec.linksDropped;
        ++m_stats.linksDropped;
        return;
    }
    // A claimed action is never looked at again except for its time (buffer
    // order) and claimed flag, so its body moves into the link.
    const uint64_t ktime = b.action.ktimeNs;
    c.rec.links.push_back({std::move(b.action), role, std::min(1.0, conf), std::move(reasons)});
    b.action.ktimeNs = ktime;
}

void CorrelationEngine::resolveFront(uint32_t agentId, AgentState &st)
{
    (void)agentId;
    if (st.calls.empty())
        return;
    const uint64_t batch = st.calls.front().rec.exchangeSeq;
    std::vector<PendingCall *> calls;
    uint64_t lo = UINT64_MAX, hi = 0;
    for (auto &c : st.calls) {
        if (c.rec.exchangeSeq != batch)
            break;
        calls.push_back(&c);
        lo = std::min(lo, c.rec.windowStartNs);
        hi = std::max(hi, c.rec.windowEndNs);
    }
    // Candidates in time order (ties: production order) so a runner shell is
    // seen before the programs it starts.
    // actions is sorted: binary search the window; late arrivals are few.
    std::vector<Buffered *> cand;
    auto first = std::lower_bound(st.actions.begin(), st.actions.end(), lo,
                                  [](const Buffered &b, uint64_t t) { return b.action.ktimeNs < t; });
    for (auto it = first; it != st.actions.end() && it->action.ktimeNs <= hi; ++it)
        if (!it->claimed)
            cand.push_back(&*it);
    for (auto &b : st.late)
        if (!b.claimed && b.action.ktimeNs >= lo && b.action.ktimeNs <= hi)
            cand.push_back(&b);
    std::stable_sort(cand.begin(), cand.end(), [](const Buffered *x, const Buffered *y) {
        return x->action.ktimeNs != y->action.ktimeNs ? x->action.ktimeNs < y->action.ktimeNs : x->action.id < y->action.id;
    });

    auto inWindow = [](const PendingCall &c, const Action &a) {
        return a.ktimeNs >= c.rec.windowStartNs && a.ktimeNs <= c.rec.windowEndNs;
    };
    auto timeScore = [](const PendingCall &c, const Action &a, std::string &why) {
        if (a.ktimeNs >= c.rec.responseEndNs) {
            why = "after the response asking for it, before its result was sent";
            return 1.0;
        }
        why = "while the response asking for it was still streaming";
        return 0.6;
    };

    // Argument matches: execs first (they make call processes), then the rest.
    for (int pass = 0; pass < 2; ++pass) {
        for (Buffered *b : cand) {
            const Action &a = b->action;
            if (b->claimed || (pass == 0) != (a.kind == ActionKind::Exec))
                continue;
            PendingCall *best = nullptr;
            double bestConf = 0;
            ArgMatch bestArg;
            std::string bestLineage, bestTime;
            for (PendingCall *c : calls) {
                if (!inWindow(*c, a))
                    continue;
                ArgMatch m = matchAction(c->intent, a);
                if (m.score < m_limits.minArgScore)
                    continue;
                std::string lw, tw;
                const double lineage = lineageScore(a, *c, lw);
                // A weak argument match (the program's name only) counts only
                // under a process started for the call: a background `ls` of
                // the runtime is not the call's `ls /tmp`.
                if (m.score < kWeakArgScore && lineage < 1.0)
                    continue;
                const double conf = kArgWeight * m.score + kLineageWeight * lineage + kTimeWeight * timeScore(*c, a, tw);
                if (conf > bestConf) {
                    best = c;
                    bestConf = conf;
                    bestArg = std::move(m);
                    bestLineage = std::move(lw);
                    bestTime = std::move(tw);
                }
            }
            if (!best || bestConf < m_limits.minConfidence)
                continue;
            const bool isExec = a.kind == ActionKind::Exec;
            const uint64_t processId = a.processId;
            addLink(*best, *b, bestArg.runner ? LinkRole::Runner : LinkRole::Effect, bestConf,
                    {bestArg.reason, bestLineage, bestTime}); // moves a away
            if (isExec)
                best->callProcesses.insert(processId);
        }
    }
    // What processes started for a call did without being named by it.
    for (Buffered *b : cand) {
        if (b->claimed)
            continue;
        const Action &a = b->action;
        for (PendingCall *c : calls) {
            if (!inWindow(*c, a))
                continue;
            std::string lw, tw;
            const double l = lineageScore(a, *c, lw);
            if (l < 1.0)
                continue;
            const double ts = timeScore(*c, a, tw);
            std::vector<std::string> reasons{"not named by the call; done by " + describe(a), lw, tw};
            addLink(*c, *b, LinkRole::Incidental, kLineageWeight * l + kTimeWeight * ts, std::move(reasons));
            break;
        }
    }

    for (PendingCall *c : calls) {
        std::sort(c->rec.links.begin(), c->rec.links.end(), [](const Link &x, const Link &y) { return x.action.id < y.action.id; });
        if (m_sink)
            m_sink->onToolCall(c->rec);
    }
    for (std::size_t i = 0; i < calls.size(); ++i)
        st.calls.pop_front();
}

std::deque<CorrelationEngine::Buffered> *CorrelationEngine::oldest(AgentState &st) const
{
    if (st.actions.empty())
        return st.late.empty() ? nullptr : &st.late;
    if (st.late.empty())
        return &st.actions;
    return st.late.front().action.ktimeNs < st.actions.front().action.ktimeNs ? &st.late : &st.actions;
}

void CorrelationEngine::finalizeFront(uint32_t agentId, AgentState &st)
{
    (void)agentId;
    std::deque<Buffered> *q = oldest(st);
    if (!q)
        return;
    Buffered b = std::move(q->front());
    q->pop_front();
    --m_buffered;
    if (b.claimed)
        return;
    NoiseContext ctx;
    ctx.runtimeProcess = st.runtimeProcesses.count(b.action.processId) > 0;
    ctx.llmHosts = &st.llmHosts;
    ctx.llmPorts = &st.llmPorts;
    const std::string rule = noiseRule(b.action, ctx);
    if (!rule.empty()) {
        ++m_stats.noise[rule];
        return;
    }
    ++m_stats.unexplained;
    if (m_sink) {
        std::string why = "no tool call of this agent names it";
        if (ctx.runtimeProcess)
            why += "; done by the agent runtime itself";
        m_sink->onUnexplained({std::move(b.action), std::move(why)});
    }
}

void CorrelationEngine::finish()
{
    if (m_finished)
        return;
    m_finished = true;
    m_tree.flushParked();
    sweep(true);
}

} // namespace agentsight::correlate
