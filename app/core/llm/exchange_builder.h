// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/**
 * @brief What a provider decoder writes through: the LlmExchange being built
 * plus the bookkeeping that keeps it bounded. Every string goes through keep()
 * or append(), every list through room(), so caps are enforced in one place
 * and every cut is counted (truncatedFields / droppedItems / warnings).
 */
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_set>

#include <QJsonObject>
#include <QString>

#include "decode/http_exchange.h"
#include "llm_exchange.h"
#include "llm_limits.h"

namespace agentsight::llm {

class ExchangeBuilder
{
public:
    ExchangeBuilder(LlmExchange &exchange, const LlmLimits &limits);

    LlmExchange &exchange() { return m_ex; }
    const LlmLimits &limits() const { return m_limits; }

    /** A capped UTF-8 copy of s (counts a truncation when cut). */
    std::string keep(const QString &s);
    /** Compact JSON of o, capped like keep(). */
    std::string keepJson(const QJsonObject &o);
    /** Append a stream delta to dst; dst is capped at maxFieldBytes, counted once per field. */
    void append(std::string &dst, const QString &delta);
    /** Join with a separator (system prompt blocks, text parts). */
    void appendJoined(std::string &dst, const QString &piece, const char *separator);

    /**
     * True when a list currently holding `size` items may take one more of
     * `what`; otherwise counts the drop (and warns once per kind).
     */
    bool room(std::size_t size, std::size_t cap, const char *what);

    /** The SSE event at ktimeNs carried generated content: first one sets timing.firstTokenNs. */
    void sawContent(uint64_t ktimeNs);
    /** An event / item we could not use (bad JSON, wrong type): counted, warned once per reason. */
    void dropEvent(const char *why);
    /** The JSON object one SSE event carries; nullopt (a counted dropped
     *  event) when its data is not a JSON object. */
    std::optional<QJsonObject> eventObject(const decode::SseEvent &event);

    /**
     * Finish a tool call whose arguments arrived as a JSON string (streamed
     * fragments or OpenAI's "arguments"). Invalid or non-object JSON keeps the
     * raw string and records why. rawTruncated: the raw string hit a cap.
     */
    void addToolCall(const QString &id, const QString &name, const std::string &raw);
    /** Finish a tool call whose arguments are already an object (Anthropic JSON, Gemini). */
    void addToolCall(const QString &id, const QString &name, const QJsonObject &arguments);
    /** True when append() had to cut this field. */
    bool wasTruncated(const std::string &field) const { return m_truncated.count(&field) != 0; }

    void setError(const ApiError &error);
    void warn(const std::string &message);

private:
    std::size_t budgetFor(std::size_t wanted, std::size_t already);
    void markTruncated(const std::string *field);

    LlmExchange &m_ex;
    const LlmLimits &m_limits;
    std::size_t m_textBytes = 0;
    std::unordered_set<const void *> m_truncated; ///< fields already counted as cut
    std::unordered_set<std::string> m_droppedKinds;  ///< drop warnings already given
};

} // namespace agentsight::llm
