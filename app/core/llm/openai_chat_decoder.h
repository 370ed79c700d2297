// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/**
 * @brief OpenAI Chat Completions (POST .../chat/completions) and every server
 * that copies its shape (Ollama, vLLM, llama.cpp, OpenRouter, ...): streaming
 * chunks with index-addressed tool-call fragments and [DONE], or one JSON body.
 * Compat servers' "reasoning_content"/"reasoning" deltas count as thinking.
 */
#include "provider_decoder.h"

namespace agentsight::llm {

class OpenAiChatDecoder final : public ProviderDecoder
{
public:
    Api api() const override { return Api::OpenAiChatCompletions; }
    bool matchesPath(std::string_view path) const override;
    bool matchesBody(const QJsonObject &request) const override;
    const char *defaultProvider() const override { return "openai-compatible"; }
    void decodeRequest(const QJsonObject &request, ExchangeBuilder &out) const override;
    void decodeResponse(const QJsonDocument &response, ExchangeBuilder &out) const override;
    void decodeStream(const std::vector<decode::SseEvent> &events, ExchangeBuilder &out) const override;
};

} // namespace agentsight::llm
