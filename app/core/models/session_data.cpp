// SPDX-License-Identifier: GPL-2.0-or-later
#include "models/session_data.h"

#include <algorithm>
#include <fcntl.h>

namespace agentsight::models {

NodeCounts &NodeCounts::operator+=(const NodeCounts &o)
{
    llmCalls += o.llmCalls;
    tokens += o.tokens;
    costUsd += o.costUsd;
    costUnknown += o.costUnknown;
    filesWritten += o.filesWritten;
    connections += o.connections;
    return *this;
}

SessionData::SessionData() : SessionData(Limits{}) {}

SessionData::SessionData(Limits limits)
    : m_limits(limits), m_engine(std::make_unique<correlate::CorrelationEngine>(this))
{
}

SessionData::~SessionData() = default;

namespace {

std::string joinArgv(const std::vector<std::string> &argv)
{
    std::string out;
    for (const auto &a : argv) {
        if (!out.empty())
            out += ' ';
        out += a;
    }
    return out;
}

bool writeIntent(uint32_t flags)
{
    return (flags & (O_WRONLY | O_RDWR | O_CREAT | O_TRUNC | O_APPEND)) != 0;
}

/// Headers and body as text, the way "follow stream" shows a message.
std::string messageText(const decode::HttpMessage &m, bool request, std::size_t cap, bool &cut)
{
    std::string out;
    if (request)
        out = m.method + ' ' + m.target + ' ' + (m.version.empty() ? "HTTP/1.1" : m.version) + "\r\n";
    else
        out = (m.version.empty() ? "HTTP/1.1" : m.version) + ' ' + std::to_string(m.status) + "\r\n";
    if (request && !m.authority.empty() && !m.header("host"))
        out += "host: " + m.authority + "\r\n";
    for (const auto &h : m.headers)
        out += h.name + ": " + h.value + "\r\n";
    out += "\r\n";
    out += m.body;
    if (m.bodyTruncated)
        out += "\n[... body cut by the decoder: " + std::to_string(m.decodedBodyBytes) + " bytes in total]";
    if (m.gapBytes)
        out += "\n[... " + std::to_string(m.gapBytes) + " body bytes were never captured]";
    cut = out.size() > cap;
    if (cut) {
        out.resize(cap);
        out += "\n[... cut at " + std::to_string(cap) + " bytes for display]";
    }
    return out;
}

} // namespace

std::string SessionData::describe(const wire::Event &e)
{
    switch (e.type) {
    case AS_EV_PROC_EXEC:
        return joinArgv(e.argv).empty() ? e.filename : joinArgv(e.argv);
    case AS_EV_PROC_FORK:
        return (e.thread ? "thread " : "child ") + std::to_string(e.childTgid) + ' ' + e.comm;
    case AS_EV_PROC_EXIT:
        return e.signal ? "signal " + std::to_string(e.signal) : "exit code " + std::to_string(e.exitCode);
    case AS_EV_PROC_CHDIR:
    case AS_EV_PROC_MMAP_EXEC:
    case AS_EV_FILE_OPEN:
    case AS_EV_FILE_UNLINK:
    case AS_EV_FILE_MKDIR:
    case AS_EV_FILE_CHMOD:
        return e.path;
    case AS_EV_FILE_RENAME:
        return e.path + " -> " + e.path2;
    case AS_EV_FILE_IO:
        return "fd " + std::to_string(e.fd) + " read " + std::to_string(e.bytesRead) + " B, wrote " +
            std::to_string(e.bytesWritten) + " B";
    case AS_EV_NET_CONNECT:
    case AS_EV_NET_ACCEPT:
    case AS_EV_NET_BIND:
    case AS_EV_NET_LISTEN:
    case AS_EV_NET_DNS:
        return e.addr.toString();
    case AS_EV_NET_TCP_STATE:
        return e.src.toString() + " -> " + e.dst.toString();
    case AS_EV_TLS_DATA:
        return std::string(e.dir == AS_TLS_WRITE ? "sent " : "received ") + std::to_string(e.totalLen) + " B (fd " +
            std::to_string(e.fd) + ")" + (e.dropped ? ", " + std::to_string(e.dropped) + " B not captured" : "");
    case AS_EV_LOST:
        return std::to_string(e.count) + " records lost (source " + std::to_string(e.source) + ")";
    case AS_EV_TLS_ATTACH:
        return e.filename + ' ' + e.strategy + (e.error ? " error " + std::to_string(e.error) : "");
    case AS_EV_TARGET:
        return e.name;
    default:
        return {};
    }
}

void SessionData::onHello(const as_hello &)
{
    m_helloSeen = true;
    ++m_generation;
}

void SessionData::onEvent(const wire::Event &e, std::string_view)
{
    ++m_eventsSeen;
    ++m_generation;
    m_engine->onEvent(e);
    if (e.ktimeNs) {
        if (!m_firstNs || e.ktimeNs < m_firstNs)
            m_firstNs = e.ktimeNs;
        m_lastNs = std::max(m_lastNs, e.ktimeNs);
    }
    if (e.truncated())
        ++m_truncatedRecords;
    if (e.type == AS_EV_TLS_DATA)
        m_tlsBytesDropped += e.dropped;
    if (e.type == AS_EV_TARGET && m_targets.size() < 256)
        m_targets.push_back(e.name);

    const uint64_t pid = e.tgid ? processes().currentId(e.tgid) : 0;
    if (pid) {
        NodeCounts d;
        if (e.type == AS_EV_FILE_OPEN && e.result >= 0 && writeIntent(e.openFlags))
            d.filesWritten = 1;
        else if (e.type == AS_EV_NET_CONNECT)
            d.connections = 1;
        if (d.filesWritten || d.connections)
            addCounts(pid, d);
    }

    if (m_events.size() >= m_limits.maxEvents) {
        ++m_eventsNotKept;
        return;
    }
    std::string text = describe(e);
    if (text.size() > m_limits.maxDetailBytes) {
        text.resize(m_limits.maxDetailBytes);
        ++m_detailsCut;
    }
    if (m_pool.size() + text.size() > UINT32_MAX) { // offsets are 32-bit: keep the row, drop its text
        text.clear();
        ++m_detailsCut;
    }
    CompactEvent c;
    c.ktimeNs = e.ktimeNs;
    c.seq = e.seq;
    c.tgid = e.tgid;
    c.type = e.type;
    c.flags = e.flags;
    c.result = e.type == AS_EV_PROC_EXIT ? e.exitCode : e.result;
    c.detailOffset = uint32_t(m_pool.size());
    c.detailLength = uint32_t(text.size());
    m_pool += text;
    m_events.push_back(c);
}

void SessionData::onLlmExchange(const llm::LlmExchange &ex, const decode::HttpExchange &source)
{
    ++m_generation;
    m_engine->onLlmExchange(ex, source.conn.tgid, source.conn.conn);
    if (m_exchanges.size() >= m_limits.maxExchanges) {
        ++m_exchangesNotKept;
        return;
    }
    ExchangeEntry entry;
    entry.exchange = ex;
    entry.tgid = source.conn.tgid;
    entry.conn = source.conn.conn;
    entry.processId = processes().currentId(source.conn.tgid);
    if (const model::Process *p = processes().process(entry.processId))
        entry.agentId = p->agentId;
    bool cut = false;
    entry.rawRequest = messageText(source.request, true, m_limits.maxRawBytes, cut);
    m_rawCut += cut;
    if (source.response) {
        entry.rawResponse = messageText(*source.response, false, m_limits.maxRawBytes, cut);
        m_rawCut += cut;
    }
    NodeCounts d;
    d.llmCalls = 1;
    d.tokens = std::max<int64_t>(ex.usage.input, 0) + std::max<int64_t>(ex.usage.output, 0);
    if (ex.costUsd)
        d.costUsd = *ex.costUsd;
    else
        d.costUnknown = 1;
    if (entry.processId)
        addCounts(entry.processId, d);
    m_exchanges.push_back(std::move(entry));
}

void SessionData::addCounts(uint64_t processId, const NodeCounts &d)
{
    m_processCounts[processId] += d;
    if (const model::Process *p = processes().process(processId); p && p->agentId)
        m_agentCounts[p->agentId] += d;
}

void SessionData::onLost(pipeline::LossOrigin origin, uint32_t, uint64_t count)
{
    m_lost[origin] += count;
    ++m_generation;
}

void SessionData::onHelperError(uint32_t code, const std::string &primary, const std::string &secondary)
{
    if (m_helperErrors.size() < 64)
        m_helperErrors.push_back(primary + (secondary.empty() ? "" : " (" + secondary + ")") + " [code " +
                                 std::to_string(code) + "]");
    ++m_generation;
}

void SessionData::onEnd(int helperExitCode)
{
    m_ended = true;
    m_exitCode = helperExitCode;
    finish();
}

void SessionData::finish()
{
    if (m_finished)
        return;
    m_finished = true;
    m_engine->finish();
    ++m_generation;
}

void SessionData::onToolCall(const correlate::ToolCallRecord &record)
{
    ++m_generation;
    if (m_toolCalls.size() >= m_limits.maxToolCalls) {
        ++m_toolCallsNotKept;
        return;
    }
    m_toolCalls.push_back(record);
}

void SessionData::onUnexplained(const correlate::UnexplainedAction &action)
{
    ++m_unexplainedTotal;
    if (m_unexplained.size() < m_limits.maxUnexplained)
        m_unexplained.push_back(action);
    ++m_generation;
}

std::string_view SessionData::detail(const CompactEvent &e) const
{
    return std::string_view(m_pool).substr(e.detailOffset, e.detailLength);
}

std::size_t SessionData::eventRowAtOrAfter(uint64_t ktimeNs) const
{
    auto it = std::lower_bound(m_events.begin(), m_events.end(), ktimeNs,
                               [](const CompactEvent &e, uint64_t t) { return e.ktimeNs < t; });
    return std::size_t(it - m_events.begin());
}

NodeCounts SessionData::processCounts(uint64_t processId) const
{
    auto it = m_processCounts.find(processId);
    return it == m_processCounts.end() ? NodeCounts{} : it->second;
}

NodeCounts SessionData::agentCounts(uint32_t agentId) const
{
    auto it = m_agentCounts.find(agentId);
    return it == m_agentCounts.end() ? NodeCounts{} : it->second;
}

uint64_t SessionData::lost(pipeline::LossOrigin origin) const
{
    auto it = m_lost.find(origin);
    return it == m_lost.end() ? 0 : it->second;
}

uint64_t SessionData::lostTotal() const
{
    uint64_t n = 0;
    for (const auto &[o, c] : m_lost)
        n += c;
    return n;
}

} // namespace agentsight::models
