// SPDX-License-Identifier: GPL-2.0-or-later
#include "llm_decoder.h"

#include <string_view>

#include <QJsonDocument>

#include "anthropic_decoder.h"
#include "exchange_builder.h"
#include "gemini_decoder.h"
#include "json_fields.h"
#include "openai_chat_decoder.h"
#include "openai_responses_decoder.h"
#include "price_table.h"
#include "provider_decoder.h"

namespace agentsight::llm {

namespace {

std::string_view pathOf(const std::string &target)
{
    std::string_view p(target);
    const auto q = p.find_first_of("?#");
    return q == std::string_view::npos ? p : p.substr(0, q);
}

/** Vendor behind a known API host; "" when the host is not one we know. */
std::string vendorForHost(std::string_view authority)
{
    std::string_view host = authority;
    std::string_view port;
    if (const auto colon = host.rfind(':'); colon != std::string_view::npos && host.find(']') == std::string_view::npos) {
        port = host.substr(colon + 1);
        host = host.substr(0, colon);
    }
    auto endsWith = [&](std::string_view suffix) {
        return host.size() >= suffix.size() && host.substr(host.size() - suffix.size()) == suffix;
    };
    struct HostVendor { std::string_view suffix; const char *vendor; };
    // Suffix match so regional / sub-domain endpoints count too.
    static constexpr HostVendor table[] = {
        {"api.anthropic.com", "anthropic"},
        {"api.openai.com", "openai"},
        {"chatgpt.com", "openai"},
        {"openai.azure.com", "azure-openai"},
        {"generativelanguage.googleapis.com", "google"},
        {"aiplatform.googleapis.com", "google-vertex"},
        {"cloudcode-pa.googleapis.com", "google-code-assist"},
        {"openrouter.ai", "openrouter"},
        {"api.groq.com", "groq"},
        {"api.deepseek.com", "deepseek"},
        {"api.mistral.ai", "mistral"},
        {"api.together.xyz", "together"},
        {"api.x.ai", "xai"},
    };
    for (const auto &hv : table)
        if (endsWith(hv.suffix))
            return hv.vendor;
    // Ollama's well-known port; other local servers (vLLM, llama.cpp) have no
    // distinctive port and stay "<api>-compatible".
    if (port == "11434")
        return "ollama";
    return {};
}

/**
 * Endpoints that share a generation API's body shape but generate nothing
 * (token counting, embeddings, batches). Claude Code calls count_tokens, and
 * Gemini's countTokens body is a plain generateContent body: without this
 * list they would show up as model calls.
 */
bool isNonGenerationPath(std::string_view path)
{
    static constexpr std::string_view suffixes[] = {
        "/count_tokens", "/input_tokens", ":countTokens", ":embedContent", ":batchEmbedContents",
        "/embeddings", "/moderations",
    };
    for (std::string_view suffix : suffixes)
        if (path.size() >= suffix.size() && path.substr(path.size() - suffix.size()) == suffix)
            return true;
    return path.find("/batches") != std::string_view::npos;
}

bool isEventStream(const decode::HttpMessage &m)
{
    const std::string *ct = m.header("content-type");
    return ct != nullptr && ct->find("text/event-stream") != std::string::npos;
}

} // namespace

LlmDecoder::LlmDecoder(const PriceTable *prices, LlmLimits limits)
    : m_prices(prices)
    , m_limits(limits)
{
    // Order matters for body-shape matching only: most specific shapes first.
    m_decoders.push_back(std::make_unique<GeminiDecoder>());
    m_decoders.push_back(std::make_unique<OpenAiResponsesDecoder>());
    m_decoders.push_back(std::make_unique<AnthropicDecoder>());
    m_decoders.push_back(std::make_unique<OpenAiChatDecoder>());
}

LlmDecoder::~LlmDecoder() = default;

LlmDecoder::ParsedBody LlmDecoder::parseRequest(const decode::HttpExchange &ex) const
{
    ParsedBody p;
    const std::string &body = ex.request.body;
    if (body.empty())
        return p;
    if (body.size() > m_limits.maxBodyBytes) {
        p.error = "request body larger than " + std::to_string(m_limits.maxBodyBytes) + " bytes; not parsed";
        return p;
    }
    QString err;
    if (!json::parse(body.data(), body.size(), &p.doc, &err))
        p.error = "request: " + err.toStdString();
    else if (!p.doc.isObject())
        p.error = "request: JSON body is not an object";
    else
        p.ok = true;
    return p;
}

const ProviderDecoder *LlmDecoder::pick(const decode::HttpExchange &ex, const ParsedBody &body) const
{
    if (ex.request.method != "POST")
        return nullptr; // every supported generation endpoint is a POST
    const std::string_view path = pathOf(ex.request.target);
    if (isNonGenerationPath(path))
        return nullptr;
    for (const auto &d : m_decoders)
        if (d->matchesPath(path))
            return d.get();
    if (!body.ok)
        return nullptr;
    const QJsonObject o = body.doc.object();
    for (const auto &d : m_decoders)
        if (d->matchesBody(o))
            return d.get();
    return nullptr;
}

std::optional<Api> LlmDecoder::classify(const decode::HttpExchange &ex) const
{
    if (ex.request.method != "POST")
        return std::nullopt;
    if (const ProviderDecoder *d = pick(ex, parseRequest(ex)))
        return d->api();
    return std::nullopt;
}

std::optional<LlmExchange> LlmDecoder::decode(const decode::HttpExchange &ex) const
{
    if (ex.request.method != "POST")
        return std::nullopt; // before parsing anything
    // Parsed once: for body-shape matching and for the request decoder.
    const ParsedBody body = parseRequest(ex);
    const ProviderDecoder *decoder = pick(ex, body);
    if (decoder == nullptr)
        return std::nullopt;

    LlmExchange out;
    ExchangeBuilder b(out, m_limits);
    out.api = decoder->api();
    out.host = b.keep(QString::fromStdString(ex.request.authority));
    out.path = b.keep(QString::fromStdString(ex.request.target));
    out.provider = vendorForHost(ex.request.authority);
    if (out.provider.empty())
        out.provider = decoder->defaultProvider();

    const decode::HttpMessage &req = ex.request;
    out.timing.requestStartNs = req.startNs;
    out.timing.requestEndNs = req.endNs;

    // --- request
    if (req.gapBytes > 0)
        b.warn("request: " + std::to_string(req.gapBytes) + " body bytes never captured (TLS record drops)");
    if (req.bodyTruncated)
        out.decodeError = "request body truncated by capture (" + std::to_string(req.body.size()) + " of "
            + std::to_string(req.decodedBodyBytes) + " bytes)";
    else if (!req.decodeError.empty())
        out.decodeError = "request body: " + req.decodeError;
    if (body.ok)
        decoder->decodeRequest(body.doc.object(), b);
    else if (out.decodeError.empty())
        out.decodeError = body.error;

    // --- response
    if (ex.response) {
        const decode::HttpMessage &resp = *ex.response;
        out.httpStatus = resp.status;
        out.timing.firstByteNs = resp.startNs;
        out.timing.endNs = resp.endNs;
        if (resp.bodyTruncated)
            b.warn("response body truncated by capture (" + std::to_string(resp.body.size()) + " of "
                   + std::to_string(resp.decodedBodyBytes) + " bytes)");
        if (!resp.decodeError.empty())
            b.warn("response body: " + resp.decodeError);
        // Losses the HTTP layer already counted: repeat them where the user looks.
        if (resp.gapBytes > 0)
            b.warn("response: " + std::to_string(resp.gapBytes) + " body bytes never captured (TLS record drops)");
        if (resp.sseEventsDropped > 0)
            b.warn("response: " + std::to_string(resp.sseEventsDropped) + " stream events dropped by the HTTP decoder");
        if (resp.sseEventsTruncated > 0)
            b.warn("response: " + std::to_string(resp.sseEventsTruncated) + " stream events cut by the HTTP decoder");
        if (resp.bodyOmitted)
            b.warn("response body not kept (binary)");

        if (!resp.sse.empty() || isEventStream(resp)) {
            out.streaming = true;
            decoder->decodeStream(resp.sse, b);
        } else if (resp.body.size() > m_limits.maxBodyBytes) {
            if (out.decodeError.empty())
                out.decodeError = "response body larger than " + std::to_string(m_limits.maxBodyBytes) + " bytes; not parsed";
        } else if (!resp.body.empty()) {
            QJsonDocument doc;
            QString err;
            if (json::parse(resp.body.data(), resp.body.size(), &doc, &err)) {
                decoder->decodeResponse(doc, b);
                // Non-streaming: content arrives with the body. An error body
                // generated no token, so it gets no first-token time.
                if (out.timing.firstTokenNs == 0 && !out.error && resp.status < 400)
                    out.timing.firstTokenNs = resp.firstBodyNs;
                out.responseComplete = ex.complete && !resp.bodyTruncated;
            } else if (resp.status < 400 && out.decodeError.empty()) {
                out.decodeError = "response: " + err.toStdString();
            }
        }
        // An error status whose body said nothing we understood still is an error.
        if (resp.status >= 400 && !out.error) {
            ApiError e;
            e.type = "http_" + std::to_string(resp.status);
            e.message = resp.body.substr(0, 1024);
            b.setError(e);
        }
    }

    if (m_prices != nullptr) {
        if (!out.responseModel.empty())
            out.costUsd = m_prices->cost(out.responseModel, out.usage);
        if (!out.costUsd && !out.model.empty())
            out.costUsd = m_prices->cost(out.model, out.usage);
    }
    return out;
}

} // namespace agentsight::llm
