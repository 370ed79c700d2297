// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/**
 * @brief Anthropic Messages API: POST /v1/messages (Claude Code adds ?beta=true),
 * streaming (SSE: message_start, content_block_*, message_delta, message_stop,
 * ping, error) and non-streaming JSON. Wire format: docs/LLM_APIS.md.
 */
#include "provider_decoder.h"

namespace agentsight::llm {

class AnthropicDecoder final : public ProviderDecoder
{
public:
    Api api() const override { return Api::AnthropicMessages; }
    bool matchesPath(std::string_view path) const override;
    bool matchesBody(const QJsonObject &request) const override;
    const char *defaultProvider() const override { return "anthropic"; }
    void decodeRequest(const QJsonObject &request, ExchangeBuilder &out) const override;
    void decodeResponse(const QJsonDocument &response, ExchangeBuilder &out) const override;
    void decodeStream(const std::vector<decode::SseEvent> &events, ExchangeBuilder &out) const override;
};

} // namespace agentsight::llm
