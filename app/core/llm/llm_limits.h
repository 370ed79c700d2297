// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/**
 * @brief Caps on what one LlmExchange keeps. Bodies are untrusted: a hostile or
 * broken peer must not make us hold unbounded memory. Agent requests are big
 * (Claude Code sends ~80 KB with 24 tools and the whole conversation), so the
 * defaults are generous for real traffic and still bounded for garbage.
 * Whatever goes over a cap is counted in LlmExchange::truncatedFields /
 * droppedItems and named in LlmExchange::warnings.
 */
#include <cstddef>

namespace agentsight::llm {

struct LlmLimits {
    std::size_t maxBodyBytes = 32u << 20;      ///< larger bodies are not parsed at all
    std::size_t maxFieldBytes = 256u << 10;    ///< per kept string (prompt, result, text ...)
    std::size_t maxTotalTextBytes = 8u << 20;  ///< all kept strings of one exchange together
    std::size_t maxMessages = 2000;            ///< the newest are kept, older ones dropped
    std::size_t maxPartsPerMessage = 500;
    std::size_t maxTools = 512;
    std::size_t maxToolCalls = 256;
    std::size_t maxToolResults = 2000;
    std::size_t maxStreamEvents = 500000;      ///< SSE events looked at per response
    std::size_t maxWarnings = 32;
};

} // namespace agentsight::llm
