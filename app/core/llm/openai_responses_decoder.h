// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/**
 * @brief OpenAI Responses API (POST .../responses, what Codex speaks): input
 * items (message, function_call, function_call_output, reasoning, custom and
 * local-shell tool calls), instructions, tools; streamed typed events
 * (response.output_text.delta, response.function_call_arguments.delta,
 * response.completed, ...) or one JSON response object.
 */
#include "provider_decoder.h"

namespace agentsight::llm {

class OpenAiResponsesDecoder final : public ProviderDecoder
{
public:
    Api api() const override { return Api::OpenAiResponses; }
    bool matchesPath(std::string_view path) const override;
    bool matchesBody(const QJsonObject &request) const override;
    const char *defaultProvider() const override { return "openai"; }
    void decodeRequest(const QJsonObject &request, ExchangeBuilder &out) const override;
    void decodeResponse(const QJsonDocument &response, ExchangeBuilder &out) const override;
    void decodeStream(const std::vector<decode::SseEvent> &events, ExchangeBuilder &out) const override;
};

} // namespace agentsight::llm
