// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/**
 * @brief A CorrelationSink that keeps everything: for tests, `agentsight
 * report` and replays of a recording. Unbounded by design (a finished
 * session's results); the live path hands results to the store instead.
 */
#include <QJsonObject>

#include "link.h"

namespace agentsight::correlate {

class ResultCollector : public CorrelationSink
{
public:
    void onToolCall(const ToolCallRecord &record) override { m_calls.push_back(record); }
    void onUnexplained(const UnexplainedAction &action) override { m_unexplained.push_back(action); }

    const std::vector<ToolCallRecord> &calls() const { return m_calls; }
    const std::vector<UnexplainedAction> &unexplained() const { return m_unexplained; }
    const ToolCallRecord *call(const std::string &callId) const;

    /// {"tool_calls": [...], "unexplained": [...]} in arrival order: two runs
    /// over the same records must produce byte-identical documents.
    QJsonObject toJson() const;

private:
    std::vector<ToolCallRecord> m_calls;
    std::vector<UnexplainedAction> m_unexplained;
};

} // namespace agentsight::correlate
