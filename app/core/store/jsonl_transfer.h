// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/**
 * @brief Recording <-> JSON lines (schema: docs/RECORDING.md). One object per
 * line, "kind" first in meaning: header, meta, event, process, http, llm,
 * link, finding, drop. 64-bit values are JSON integers (exact); byte strings
 * (raw records, blob meta) are base64. Export then import gives a recording
 * whose export is byte-identical to the first.
 */
#include <cstdint>
#include <string>

namespace agentsight::store {

class Recording;

struct TransferStats {
    uint64_t lines = 0;
    uint64_t events = 0;
    uint64_t llmExchanges = 0;
};

/// Writes every table of rec to outPath ("-" = stdout). False + error on failure.
bool exportJsonl(Recording &rec, const std::string &outPath, std::string *error, TransferStats *stats = nullptr);
/// Creates a new recording at outPath from a JSON lines export. On failure the
/// partial output is removed and error names the offending line.
bool importJsonl(const std::string &inPath, const std::string &outPath, std::string *error,
                 TransferStats *stats = nullptr);

/// Format id and version written in the header line.
constexpr const char *kJsonlFormat = "agentsight-recording-jsonl";
constexpr int kJsonlVersion = 1;

} // namespace agentsight::store
