// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/**
 * @brief Google Gemini generateContent / streamGenerateContent
 * (POST .../models/{model}:generateContent, :streamGenerateContent?alt=sse;
 * also the Code Assist wrapper {model, request:{...}} / {response:{...}} that
 * Gemini CLI uses with Google login). Contents with text / functionCall /
 * functionResponse parts, systemInstruction, functionDeclarations, candidates,
 * usageMetadata. The model comes from the URL path.
 */
#include "provider_decoder.h"

namespace agentsight::llm {

class GeminiDecoder final : public ProviderDecoder
{
public:
    Api api() const override { return Api::GeminiGenerateContent; }
    bool matchesPath(std::string_view path) const override;
    bool matchesBody(const QJsonObject &request) const override;
    const char *defaultProvider() const override { return "google"; }
    void decodeRequest(const QJsonObject &request, ExchangeBuilder &out) const override;
    void decodeResponse(const QJsonDocument &response, ExchangeBuilder &out) const override;
    void decodeStream(const std::vector<decode::SseEvent> &events, ExchangeBuilder &out) const override;
};

} // namespace agentsight::llm
