// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/**
 * @brief The argument signal: how well one action fits what one tool call
 * names (0 = not at all, 1 = exactly), with the reason in words.
 *
 * Exec: argv against each simple command of the call's command text
 * (program + arguments), or a shell whose -c script contains the text (the
 * "runner"). Files: resolved path against named paths (exact, inside a named
 * directory, same relative name under the acting process's cwd). Network:
 * remote address / DNS name against URL hosts. Lineage and time are the
 * engine's job (correlation_engine.h).
 */
#include <string>

#include "model/action.h"
#include "tool_intent.h"

namespace agentsight::correlate {

struct ArgMatch {
    double score = 0;
    bool runner = false;   ///< the action is the shell that ran the call's command text
    std::string reason;
};

ArgMatch matchAction(const ToolIntent &intent, const model::Action &action);

/// Whitespace runs collapsed to one space, ends trimmed.
std::string squashSpaces(std::string_view s);

} // namespace agentsight::correlate
