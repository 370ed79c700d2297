// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/**
 * @brief HttpExchange -> LlmExchange. Holds the table of per-API decoders
 * (anthropic_decoder, openai_chat_decoder, openai_responses_decoder,
 * gemini_decoder) and chooses one by path, then by body shape.
 *
 * Never throws, never crashes on captured bytes: an exchange that is clearly
 * an LLM call but cannot be decoded comes back with decodeError set; one that
 * is not an LLM call at all comes back empty (the caller keeps it as plain HTTP).
 */
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <QJsonDocument>

#include "decode/http_exchange.h"
#include "llm_exchange.h"
#include "llm_limits.h"

namespace agentsight::llm {

class PriceTable;
class ProviderDecoder;

class LlmDecoder
{
public:
    /** prices may be null (cost stays unknown); it must outlive the decoder. */
    explicit LlmDecoder(const PriceTable *prices = nullptr, LlmLimits limits = {});
    ~LlmDecoder();
    LlmDecoder(const LlmDecoder &) = delete;
    LlmDecoder &operator=(const LlmDecoder &) = delete;

    /** Decode one exchange; empty when it is not an LLM API call. */
    std::optional<LlmExchange> decode(const decode::HttpExchange &exchange) const;

    /** Which API an exchange speaks, without decoding it fully (nullopt: none). */
    std::optional<Api> classify(const decode::HttpExchange &exchange) const;

private:
    struct ParsedBody {
        QJsonDocument doc;
        bool ok = false;   ///< doc holds a JSON object
        std::string error; ///< why not, "" for an empty body
    };
    ParsedBody parseRequest(const decode::HttpExchange &exchange) const;
    const ProviderDecoder *pick(const decode::HttpExchange &exchange, const ParsedBody &body) const;

    const PriceTable *m_prices;
    LlmLimits m_limits;
    std::vector<std::unique_ptr<ProviderDecoder>> m_decoders;
};

} // namespace agentsight::llm
