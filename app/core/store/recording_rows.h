// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/**
 * @brief The rows of a recording, as plain structs: what the writer queues,
 * what readers get back and what the JSON lines export carries. One struct
 * per table (see docs/RECORDING.md for the columns' meaning).
 */
#include <cstdint>
#include <optional>
#include <string>

namespace agentsight::store {

/** One capture record, byte-exact (raw), plus indexed header fields. */
struct EventRow {
    int64_t id = 0; ///< assigned by the recording (insert order)
    uint16_t type = 0;
    uint16_t flags = 0;
    uint64_t ktimeNs = 0;
    uint64_t seq = 0;
    uint32_t tgid = 0;
    uint32_t tid = 0;
    uint32_t source = 0;
    std::string raw;
};

/**
 * Process lifecycle as one row per process image: a fork creates a row
 * (no filename yet), an exec fills it or (second exec) adds one, an exit
 * closes every row of that tgid + start time.
 */
struct ProcessRow {
    enum class Op { Fork, Exec, Exit };
    Op op = Op::Exec;
    int64_t id = 0;
    uint32_t tgid = 0;
    uint64_t startNs = 0;
    uint32_t ppid = 0;
    std::string comm;
    std::string filename;
    std::string argvJson = "[]"; ///< JSON array of strings (lossy UTF-8)
    std::string cwd;
    uint64_t execKtimeNs = 0;
    std::optional<uint64_t> exitKtimeNs;
    std::optional<int32_t> exitCode;
    std::optional<int32_t> signal;
};

/** A completed HTTP exchange (summary + detail JSON; bodies are capped, see docs). */
struct HttpRow {
    int64_t id = 0;
    uint32_t tgid = 0;
    uint64_t conn = 0;
    int32_t fd = -1;
    uint32_t streamId = 0;
    uint64_t sequence = 0;
    std::string method;
    std::string authority;
    std::string target;
    int32_t status = 0;
    uint64_t startNs = 0;
    uint64_t endNs = 0;
    bool complete = false;
    std::string error;
    std::string detailJson = "{}";
};

/** An LLM call: indexed columns + LlmExchange::toJson() as detail. */
struct LlmRow {
    int64_t id = 0;
    std::optional<int64_t> httpId;
    uint32_t tgid = 0;
    uint64_t conn = 0;
    uint32_t streamId = 0;
    uint64_t sequence = 0;
    uint64_t startNs = 0;
    uint64_t endNs = 0;
    std::string provider;
    std::string api;
    std::string model;
    int64_t inputTokens = -1;
    int64_t outputTokens = -1;
    std::optional<double> costUsd;
    int32_t toolCalls = 0;
    std::string detailJson = "{}";
};

/**
 * A causal link made by the correlation engine. Refs are stable text ids the
 * engine chooses, e.g. "llm:12/tool:toolu_01" -> "event:345".
 */
struct LinkRow {
    int64_t id = 0;
    std::string kind; ///< "tool_exec", "tool_file", "tool_connect", "tool_result", ...
    std::string fromRef;
    std::string toRef;
    double confidence = 0;
    std::string reasonsJson = "[]";
    uint64_t ktimeNs = 0;
};

/** A detection finding about one or more subjects. */
struct FindingRow {
    int64_t id = 0;
    std::string kind;
    std::string severity; ///< "info", "low", "medium", "high"
    std::string subjectsJson = "[]"; ///< JSON array of refs
    double confidence = 0;
    std::string reasonsJson = "[]";
    std::string summary;
    uint64_t ktimeNs = 0;
};

/** Records/rows lost, summed per origin + source (see pipeline::LossOrigin). */
struct DropRow {
    std::string origin; ///< "kernel", "helper_queue", "seq_gap", "bad_record", "recorder"
    uint32_t source = 0;
    uint64_t count = 0;
};

/** One key/value of the meta table. Values are text, integers or blobs. */
struct MetaRow {
    std::string key;
    enum class Kind { Text, Int, Blob } kind = Kind::Text;
    std::string text; ///< Text and Blob
    int64_t number = 0;
};

} // namespace agentsight::store
