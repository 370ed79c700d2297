// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/**
 * @brief An agent: a traced root process and its descendants, plus the LLM
 * calls its processes made, in request order (its conversation).
 * Several agents can be live at once (one per root).
 */
#include <cstdint>
#include <string>
#include <vector>

namespace agentsight::model {

/** One LLM call of the conversation: enough to order and find it again. */
struct ConversationEntry {
    uint64_t exchangeSeq = 0;   ///< order in which the engine received exchanges (1-based)
    uint64_t requestStartNs = 0;
    uint64_t responseEndNs = 0;
    uint64_t processId = 0;     ///< the process that made the call
    uint64_t conn = 0;          ///< TLS connection (SSL*) within that process
    std::string provider;
    std::string model;
    std::string host;
    uint32_t toolCalls = 0;
    uint32_t toolResults = 0;   ///< results reported for the first time (latest)
};

struct AgentSession {
    uint32_t id = 0;
    uint64_t rootProcessId = 0;
    uint32_t rootTgid = 0;
    std::string name;           ///< target name (command line / comm) or the root's argv
    uint64_t startNs = 0;
    bool ended = false;         ///< the root process exited
    uint64_t endNs = 0;
    uint64_t processCount = 0;  ///< processes ever attributed (incl. evicted ones)
    std::vector<ConversationEntry> conversation; ///< sorted by requestStartNs, then exchangeSeq
    uint64_t conversationDropped = 0;
};

} // namespace agentsight::model
