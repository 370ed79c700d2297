// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/**
 * @brief One LLM API call as the user thinks of it: what the agent asked
 * (system prompt, messages, tools offered, tool results reported back), what
 * the model answered (text, thinking, tool calls), what it cost, how long it took.
 *
 * Built by LlmDecoder from a decode::HttpExchange. Every string here came from
 * captured (untrusted) bytes and is capped (see LlmLimits); when something was
 * cut or dropped, the counters below say so - nothing is lost silently.
 *
 * Token counts are normalised across providers (see docs/LLM_APIS.md):
 * inputTokens is the whole prompt *including* cache reads/writes, outputTokens
 * is everything generated *including* reasoning. -1 means "the API did not say".
 */
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <QJsonObject>

namespace agentsight::llm {

/** Which wire API the exchange speaks (not who serves it: see provider). */
enum class Api {
    AnthropicMessages,
    OpenAiChatCompletions,
    OpenAiResponses,
    GeminiGenerateContent,
};
const char *apiName(Api api); ///< stable id used in toJson / export, e.g. "anthropic.messages"

/** One piece of a message. Which fields mean something depends on kind. */
struct ContentPart {
    enum class Kind { Text, ToolUse, ToolResult, Thinking, Image, Other };
    Kind kind = Kind::Text;
    std::string text;        ///< Text/Thinking/ToolResult content; Image: media type; Other: wire type
    std::string toolCallId;  ///< ToolUse/ToolResult: the call id (Gemini: may be empty)
    std::string toolName;    ///< ToolUse; ToolResult when the API names it (Gemini)
    std::string argumentsJson; ///< ToolUse: compact JSON (or the raw string when invalid)
    bool isError = false;    ///< ToolResult: the agent reported the tool failed
};
const char *partKindName(ContentPart::Kind kind);

struct Message {
    std::string role; ///< as on the wire: "user", "assistant", "tool", "model", ...
    std::vector<ContentPart> parts;
};

/** A tool the agent offered the model. */
struct ToolDefinition {
    std::string name;
    std::string description;
    std::string schemaJson; ///< compact JSON of the input schema, "" when none
};

/** A tool call the model asked for in this response. */
struct ToolCall {
    std::string id;
    std::string name;
    QJsonObject arguments;     ///< parsed; empty when argumentsError is set
    std::string argumentsRaw;  ///< the string as streamed / sent (capped)
    std::string argumentsError; ///< why arguments could not be parsed, "" when fine
};

/** A tool result the agent sent back in this request. */
struct ToolResult {
    std::string toolCallId; ///< links to an earlier ToolCall::id ("" for Gemini without ids)
    std::string toolName;   ///< when the API carries it (Gemini functionResponse)
    std::string content;    ///< text of the result (capped)
    bool isError = false;
    /// True for results after the last assistant turn of the request, i.e. the
    /// ones this request reports for the first time; older ones are history.
    bool latest = false;
};

struct TokenUsage {
    int64_t input = -1;      ///< whole prompt incl. cache read + cache write
    int64_t output = -1;     ///< whole completion incl. reasoning
    int64_t cacheRead = -1;  ///< part of input served from the prompt cache
    int64_t cacheWrite = -1; ///< part of input written to the prompt cache
    int64_t reasoning = -1;  ///< part of output spent on thinking
};

struct ApiError {
    std::string type;    ///< e.g. "overloaded_error", "rate_limit_exceeded", "RESOURCE_EXHAUSTED"
    std::string message;
};

/** Kernel ktime stamps in ns; 0 = not seen. */
struct Timing {
    uint64_t requestStartNs = 0;
    uint64_t requestEndNs = 0;
    uint64_t firstByteNs = 0;  ///< first response byte (headers)
    uint64_t firstTokenNs = 0; ///< first content delta event; non-streaming: first body byte
    uint64_t endNs = 0;        ///< response complete
};

struct LlmExchange {
    std::string provider;  ///< who serves it: "anthropic", "openai", "google", "openai-compatible", ...
    Api api = Api::OpenAiChatCompletions;
    std::string host;      ///< authority as captured (already redacted)
    std::string path;      ///< request target (query already redacted by decode)
    std::string model;     ///< requested model (Gemini: from the URL path)
    std::string responseModel; ///< model the response says served it, "" when not said
    bool streaming = false;

    std::string systemPrompt;
    std::vector<Message> messages;
    std::vector<ToolDefinition> tools;
    std::vector<ToolResult> toolResults;

    std::string responseText;
    std::string thinkingText;
    std::vector<ToolCall> toolCalls;
    std::string stopReason; ///< as the API says it: "end_turn", "tool_calls", "STOP", "completed", ...
    std::string responseId;
    bool responseComplete = false; ///< a final event / full body was seen

    TokenUsage usage;
    Timing timing;
    int httpStatus = 0; ///< 0 = no response captured
    std::optional<ApiError> error;
    std::optional<double> costUsd; ///< empty = unknown (unknown model or no usage), never a guessed 0

    // Visibility of everything we could not or would not keep.
    std::string decodeError;       ///< body not decodable as this API (invalid JSON, truncated, ...)
    uint32_t truncatedFields = 0;  ///< strings cut to LlmLimits sizes
    uint32_t droppedItems = 0;     ///< messages / parts / tools / calls / events beyond the limits
    std::vector<std::string> warnings; ///< human readable, capped (LlmLimits::maxWarnings)

    /** Everything above as JSON (stable key names; golden tests and export use it). */
    QJsonObject toJson() const;
};

} // namespace agentsight::llm
