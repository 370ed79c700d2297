// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/**
 * @brief What the correlator concludes: per tool call, the actions it caused
 * (with confidence and reasons) and the result the agent reported back
 * ("asked -> did -> reported back"); and the actions no call explains.
 */
#include <cstdint>
#include <string>
#include <vector>

#include <QJsonObject>

#include "model/action.h"

namespace agentsight::correlate {

enum class LinkRole : uint8_t {
    Runner,     ///< the shell that ran the call's command text
    Effect,     ///< an action the call's arguments name (exec'd program, file, host)
    Incidental, ///< done inside a process started for the call, not named by it (loader reads, shell start-up)
};
const char *linkRoleName(LinkRole role);

struct Link {
    model::Action action;
    LinkRole role = LinkRole::Effect;
    double confidence = 0;         ///< 0..1
    std::vector<std::string> reasons; ///< argument, lineage and time, in words
    QJsonObject toJson() const;
};

enum class WindowEnd : uint8_t {
    ToolResult,  ///< the request carrying the call's tool_result started
    Timeout,     ///< no result within CorrelationLimits::maxOpenWindowNs
    AgentExit,   ///< the agent's root process exited first
    EndOfStream, ///< finish() was called
    Overflow,    ///< too many open calls: resolved early (counted)
};
const char *windowEndName(WindowEnd e);

struct ToolResultSeen {
    bool seen = false;
    uint64_t exchangeSeq = 0;
    uint64_t requestStartNs = 0;
    std::string content;  ///< first CorrelationLimits::maxResultExcerpt bytes
    bool isError = false;
};

struct ToolCallRecord {
    uint32_t agentId = 0;
    uint64_t exchangeSeq = 0;      ///< the exchange whose response asked for the call
    uint64_t callerProcessId = 0;
    uint32_t callerTgid = 0;
    uint64_t conn = 0;
    std::string callId;
    std::string toolName;
    std::string argumentsRaw;      ///< capped (CorrelationLimits::maxArgumentsExcerpt)
    std::string category;          ///< ToolIntent category name
    uint64_t windowStartNs = 0;    ///< first token of the response
    uint64_t responseEndNs = 0;
    uint64_t windowEndNs = 0;
    WindowEnd closedBy = WindowEnd::EndOfStream;
    ToolResultSeen result;
    std::vector<Link> links;       ///< ascending action id
    uint64_t linksDropped = 0;     ///< beyond CorrelationLimits::maxLinksPerCall

    QJsonObject toJson() const;
};

struct UnexplainedAction {
    model::Action action;
    std::string why;
    QJsonObject toJson() const;
};

/** Receives conclusions as soon as they are final, in a deterministic order. */
class CorrelationSink {
public:
    virtual ~CorrelationSink() = default;
    virtual void onToolCall(const ToolCallRecord &record) = 0;
    virtual void onUnexplained(const UnexplainedAction &action) = 0;
};

} // namespace agentsight::correlate
