// SPDX-License-Identifier: GPL-2.0-or-later
#include "result_collector.h"

#include <QJsonArray>

namespace agentsight::correlate {
namespace {
QString text(const std::string &s) { return QString::fromUtf8(s.data(), qsizetype(s.size())); }
} // namespace

const char *linkRoleName(LinkRole role)
{
    switch (role) {
    case LinkRole::Runner: return "runner";
    case LinkRole::Effect: return "effect";
    case LinkRole::Incidental: return "incidental";
    }
    return "effect";
}

const char *windowEndName(WindowEnd e)
{
    switch (e) {
    case WindowEnd::ToolResult: return "tool_result";
    case WindowEnd::Timeout: return "timeout";
    case WindowEnd::AgentExit: return "agent_exit";
    case WindowEnd::EndOfStream: return "end_of_stream";
    case WindowEnd::Overflow: return "overflow";
    }
    return "end_of_stream";
}

QJsonObject Link::toJson() const
{
    QJsonObject o;
    o[QLatin1String("action")] = action.toJson();
    o[QLatin1String("role")] = QLatin1String(linkRoleName(role));
    o[QLatin1String("confidence")] = confidence;
    QJsonArray r;
    for (const auto &s : reasons)
        r.append(text(s));
    o[QLatin1String("reasons")] = r;
    return o;
}

QJsonObject ToolCallRecord::toJson() const
{
    QJsonObject o;
    o[QLatin1String("agent_id")] = double(agentId);
    o[QLatin1String("exchange_seq")] = double(exchangeSeq);
    o[QLatin1String("caller_tgid")] = double(callerTgid);
    o[QLatin1String("call_id")] = text(callId);
    o[QLatin1String("tool")] = text(toolName);
    o[QLatin1String("arguments")] = text(argumentsRaw);
    o[QLatin1String("category")] = text(category);
    o[QLatin1String("window_start_ns")] = double(windowStartNs);
    o[QLatin1String("response_end_ns")] = double(responseEndNs);
    o[QLatin1String("window_end_ns")] = double(windowEndNs);
    o[QLatin1String("closed_by")] = QLatin1String(windowEndName(closedBy));
    if (result.seen) {
        QJsonObject r;
        r[QLatin1String("exchange_seq")] = double(result.exchangeSeq);
        r[QLatin1String("request_start_ns")] = double(result.requestStartNs);
        r[QLatin1String("content")] = text(result.content);
        r[QLatin1String("is_error")] = result.isError;
        o[QLatin1String("result")] = r;
    }
    QJsonArray l;
    for (const auto &link : links)
        l.append(link.toJson());
    o[QLatin1String("links")] = l;
    if (linksDropped)
        o[QLatin1String("links_dropped")] = double(linksDropped);
    return o;
}

QJsonObject UnexplainedAction::toJson() const
{
    QJsonObject o = action.toJson();
    o[QLatin1String("why")] = text(why);
    return o;
}

const ToolCallRecord *ResultCollector::call(const std::string &callId) const
{
    for (const auto &c : m_calls)
        if (c.callId == callId)
            return &c;
    return nullptr;
}

QJsonObject ResultCollector::toJson() const
{
    QJsonArray calls, unexplained;
    for (const auto &c : m_calls)
        calls.append(c.toJson());
    for (const auto &u : m_unexplained)
        unexplained.append(u.toJson());
    QJsonObject o;
    o[QLatin1String("tool_calls")] = calls;
    o[QLatin1String("unexplained")] = unexplained;
    return o;
}

} // namespace agentsight::correlate
