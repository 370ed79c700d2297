// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/**
 * @brief Which unexplained actions are the agent runtime's routine noise
 * rather than something to show the user. Documented in docs/CORRELATION.md
 * ("Unexplained actions"); every rule has a name and each hit is counted.
 *
 * The rules only apply to actions no tool call claimed: a tool call that
 * names /etc/hosts still gets its read of /etc/hosts linked.
 */
#include <set>
#include <string>

#include "model/action.h"

namespace agentsight::correlate {

struct NoiseContext {
    /// The acting process is the agent runtime itself: the agent root or a
    /// process that made LLM calls (and not a tool's subprocess).
    bool runtimeProcess = false;
    /// Hosts (lower-case, no port) this agent sent LLM calls to.
    const std::set<std::string> *llmHosts = nullptr;
    /// Ports of those LLM endpoints ("localhost:8443" -> 8443; 443 when none).
    const std::set<uint16_t> *llmPorts = nullptr;
};

/// The rule name ("system-read", "runtime-read", "llm-endpoint"...) or "" when
/// the action is a genuine unexplained action.
std::string noiseRule(const model::Action &action, const NoiseContext &ctx);

} // namespace agentsight::correlate
