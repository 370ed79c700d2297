// SPDX-License-Identifier: GPL-2.0-or-later
#include "store/correlation_recorder.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace agentsight::store {
namespace {

std::string jsonArray(const std::vector<std::string> &items)
{
    QJsonArray a;
    for (const auto &s : items)
        a.append(QString::fromStdString(s));
    return QJsonDocument(a).toJson(QJsonDocument::Compact).toStdString();
}

std::string joinArgv(const std::vector<std::string> &argv)
{
    std::string s;
    for (const auto &a : argv)
        s += (s.empty() ? "" : " ") + a;
    return s.substr(0, 300);
}

} // namespace

std::string describeAction(const model::Action &a)
{
    std::string what = std::string(model::actionKindName(a.kind)) + " " + std::to_string(a.tgid) + ": ";
    switch (a.kind) {
    case model::ActionKind::Exec:
        return what + joinArgv(a.argv);
    case model::ActionKind::Rename:
        return what + a.path + " -> " + a.path2;
    case model::ActionKind::Connect:
        return what + (a.family == 10 ? "[" + a.host + "]" : a.host) + (a.family == 1 ? "" : ":" + std::to_string(a.port));
    case model::ActionKind::Dns:
        return what + a.host;
    default:
        return what + a.path;
    }
}

std::string describeCall(const correlate::ToolCallRecord &c)
{
    if (!c.callId.empty())
        return "call " + c.callId + " " + c.toolName;
    return "call #" + std::to_string(c.exchangeSeq) + "/" + c.toolName;
}

void CorrelationRecorder::onToolCall(const correlate::ToolCallRecord &c)
{
    const std::string from = describeCall(c);
    for (const correlate::Link &l : c.links) {
        LinkRow row;
        row.kind = std::string("tool_") + model::actionKindName(l.action.kind);
        row.fromRef = from;
        row.toRef = describeAction(l.action);
        row.confidence = l.confidence;
        std::vector<std::string> reasons{std::string("role: ") + correlate::linkRoleName(l.role)};
        reasons.insert(reasons.end(), l.reasons.begin(), l.reasons.end());
        row.reasonsJson = jsonArray(reasons);
        row.ktimeNs = l.action.ktimeNs;
        m_writer.addLink(std::move(row));
    }
    if (c.result.seen) {
        LinkRow row;
        row.kind = "tool_result";
        row.fromRef = from;
        row.toRef = "exchange " + std::to_string(c.result.exchangeSeq);
        row.confidence = 1.0;
        row.reasonsJson = jsonArray({std::string(c.result.isError ? "reported as an error: " : "reported back: ") +
                                     c.result.content.substr(0, 200)});
        row.ktimeNs = c.result.requestStartNs;
        m_writer.addLink(std::move(row));
    }
    if (c.linksDropped) {
        FindingRow f;
        f.kind = "links_dropped";
        f.severity = "info";
        f.subjectsJson = jsonArray({from});
        f.summary = std::to_string(c.linksDropped) + " more actions of " + from + " were not linked (cap)";
        f.ktimeNs = c.windowEndNs;
        m_writer.addFinding(std::move(f));
    }
}

void CorrelationRecorder::onUnexplained(const correlate::UnexplainedAction &u)
{
    FindingRow f;
    f.kind = "unexplained_action";
    f.severity = "info";
    f.subjectsJson = jsonArray({describeAction(u.action)});
    f.confidence = 1.0;
    f.reasonsJson = jsonArray({u.why});
    f.summary = describeAction(u.action);
    f.ktimeNs = u.action.ktimeNs;
    m_writer.addFinding(std::move(f));
}

} // namespace agentsight::store
