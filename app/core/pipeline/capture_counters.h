// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/**
 * @brief Running totals of one capture, for status lines and summaries.
 * Losses are kept per origin and source so a user sees where data went
 * missing; nothing here is an estimate except where a field says so.
 */
#include "agentsight_protocol.h"

#include <array>
#include <cstdint>
#include <string>

namespace agentsight::pipeline {

struct CaptureCounters {
    uint64_t events = 0;      ///< valid records
    uint64_t recordBytes = 0; ///< bytes of valid records
    std::array<uint64_t, AS_EV_TYPE_MAX> byType{};
    uint64_t truncatedRecords = 0; ///< records flagged AS_F_TRUNCATED (argv/path cut)
    uint64_t badRecords = 0;       ///< records rejected by validation
    uint64_t tlsBytes = 0;         ///< TLS plaintext bytes received
    uint64_t tlsDroppedBytes = 0;  ///< TLS bytes beyond the per-call cap (from the records)

    uint64_t httpExchanges = 0; ///< completed exchanges
    uint64_t llmCalls = 0;
    uint64_t llmDecodeErrors = 0;
    uint64_t inputTokens = 0;   ///< sum of the counts the APIs reported
    uint64_t outputTokens = 0;
    double costUsd = 0;         ///< sum of known costs
    uint64_t unpricedCalls = 0; ///< calls whose cost is unknown (not in costUsd)

    /// [source][0 kernel ring, 1 helper queue, 2 unexplained seq gap]
    std::array<std::array<uint64_t, 3>, AS_SRC_COUNT> lost{};
    uint64_t recorderDropped = 0; ///< rows the recording writer could not take
    uint64_t connTrackingResets = 0; ///< times the per-connection close tracking hit its bound

    uint64_t lostTotal() const;
    /// "events 120 | LLM 2 calls, 1.4k in / 210 out tokens, $0.0123 | drops 0"
    std::string statusLine() const;
};

} // namespace agentsight::pipeline
