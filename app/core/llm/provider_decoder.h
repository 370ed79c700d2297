// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/**
 * @brief One wire API (Anthropic Messages, OpenAI Chat Completions, ...).
 * LlmDecoder owns one instance per API in a table and picks by path first,
 * then by request body shape (so OpenAI-compatible servers on any host and
 * behind any path prefix are still recognised).
 */
#include <string_view>
#include <vector>

#include <QJsonDocument>
#include <QJsonObject>

#include "decode/http_exchange.h"
#include "exchange_builder.h"
#include "llm_exchange.h"

namespace agentsight::llm {

class ProviderDecoder
{
public:
    virtual ~ProviderDecoder() = default;

    virtual Api api() const = 0;
    /** Path without the query string, e.g. "/v1/messages". */
    virtual bool matchesPath(std::string_view path) const = 0;
    /** Request body looks like this API (used when the path is unknown). */
    virtual bool matchesBody(const QJsonObject &request) const = 0;
    /** Provider name for hosts that are not a known vendor (see LlmDecoder). */
    virtual const char *defaultProvider() const = 0;

    /** Request body: model, system prompt, messages, tools, tool results, stream flag. */
    virtual void decodeRequest(const QJsonObject &request, ExchangeBuilder &out) const = 0;
    /** Non-streaming response body (success or error object). */
    virtual void decodeResponse(const QJsonDocument &response, ExchangeBuilder &out) const = 0;
    /** Streaming response: the SSE events in order. Sets timing.firstTokenNs. */
    virtual void decodeStream(const std::vector<decode::SseEvent> &events, ExchangeBuilder &out) const = 0;
};

} // namespace agentsight::llm
