// SPDX-License-Identifier: GPL-2.0-or-later
#include "gemini_decoder.h"

#include "json_fields.h"

namespace agentsight::llm {

using json::arr;
using json::count;
using json::obj;
using json::str;

namespace {

constexpr QLatin1String kText("text");
constexpr QLatin1String kParts("parts");

std::string_view pathOf(std::string_view target)
{
    const auto q = target.find_first_of("?#");
    return q == std::string_view::npos ? target : target.substr(0, q);
}

/** The API accepts both camelCase and snake_case field names. */
QJsonValue either(const QJsonObject &o, const char *camel, const char *snake)
{
    const QJsonValue v = o.value(QLatin1String(camel));
    return v.isUndefined() ? o.value(QLatin1String(snake)) : v;
}

/** Text of a functionResponse.response: {output: "..."} is the common convention. */
QString responseText(const QJsonObject &response)
{
    for (const char *key : {"output", "content", "result"}) {
        const QJsonValue v = response.value(QLatin1String(key));
        if (v.isString() && response.size() == 1)
            return v.toString();
    }
    return QString::fromUtf8(QJsonDocument(response).toJson(QJsonDocument::Compact));
}

void usageFrom(const QJsonObject &u, TokenUsage &usage)
{
    // promptTokenCount includes cached tokens; candidatesTokenCount excludes
    // thoughts, which are billed as output, so add them to output.
    if (u.isEmpty())
        return;
    const int64_t prompt = count(u, QLatin1String("promptTokenCount"));
    const int64_t toolPrompt = count(u, QLatin1String("toolUsePromptTokenCount"));
    const int64_t candidates = count(u, QLatin1String("candidatesTokenCount"));
    const int64_t thoughts = count(u, QLatin1String("thoughtsTokenCount"));
    usage.input = prompt >= 0 ? prompt + (toolPrompt > 0 ? toolPrompt : 0) : -1;
    usage.cacheRead = count(u, QLatin1String("cachedContentTokenCount"));
    usage.reasoning = thoughts;
    if (candidates >= 0 || thoughts >= 0)
        usage.output = (candidates > 0 ? candidates : 0) + (thoughts > 0 ? thoughts : 0);
}

/** Code Assist (cloudcode-pa) wraps the usual body in {response: {...}}. */
QJsonObject unwrap(const QJsonObject &o, const char *key)
{
    const QJsonValue inner = o.value(QLatin1String(key));
    return inner.isObject() ? inner.toObject() : o;
}

/** One GenerateContentResponse (a whole body or one stream chunk). Returns true when it had content. */
bool applyChunk(const QJsonObject &chunkIn, ExchangeBuilder &out)
{
    LlmExchange &ex = out.exchange();
    const QJsonObject chunk = unwrap(chunkIn, "response");
    if (chunk.value(QLatin1String("error")).isObject()) {
        if (auto e = json::errorFrom(obj(chunk, QLatin1String("error"))))
            out.setError(*e);
        return false;
    }
    const QString version = str(chunk, QLatin1String("modelVersion"));
    if (!version.isEmpty())
        ex.responseModel = out.keep(version);
    const QString id = str(chunk, QLatin1String("responseId"));
    if (!id.isEmpty())
        ex.responseId = out.keep(id);
    usageFrom(obj(chunk, QLatin1String("usageMetadata")), ex.usage);
    const QString blocked = str(obj(chunk, QLatin1String("promptFeedback")), QLatin1String("blockReason"));
    if (!blocked.isEmpty()) {
        ex.stopReason = out.keep(blocked);
        ex.responseComplete = true;
    }

    bool content = false;
    const QJsonArray candidates = arr(chunk, QLatin1String("candidates"));
    if (candidates.size() > 1)
        out.dropEvent("candidates other than the first (candidateCount > 1)");
    const QJsonObject cand = candidates.at(0).toObject();
    for (const QJsonValue &pv : arr(obj(cand, QLatin1String("content")), kParts)) {
        const QJsonObject p = pv.toObject();
        if (p.value(kText).isString()) {
            content = true;
            if (json::flag(p, QLatin1String("thought")))
                out.append(ex.thinkingText, str(p, kText));
            else
                out.append(ex.responseText, str(p, kText));
        } else if (p.value(QLatin1String("functionCall")).isObject()) {
            content = true;
            const QJsonObject fc = obj(p, QLatin1String("functionCall"));
            out.addToolCall(str(fc, QLatin1String("id")), str(fc, QLatin1String("name")), obj(fc, QLatin1String("args")));
        }
    }
    const QString finish = str(cand, QLatin1String("finishReason"));
    if (!finish.isEmpty()) {
        ex.stopReason = out.keep(finish);
        ex.responseComplete = true; // Gemini has no terminal event: the finish reason ends it
    }
    return content;
}

} // namespace

bool GeminiDecoder::matchesPath(std::string_view target) const
{
    const std::string_view path = pathOf(target);
    for (std::string_view suffix : {std::string_view(":generateContent"), std::string_view(":streamGenerateContent")})
        if (path.size() >= suffix.size() && path.substr(path.size() - suffix.size()) == suffix)
            return true;
    return false;
}

bool GeminiDecoder::matchesBody(const QJsonObject &r) const
{
    return unwrap(r, "request").value(QLatin1String("contents")).isArray();
}

void GeminiDecoder::decodeRequest(const QJsonObject &outer, ExchangeBuilder &out) const
{
    LlmExchange &ex = out.exchange();
    const std::string_view path = pathOf(ex.path);
    ex.streaming = path.find(":streamGenerateContent") != std::string_view::npos;
    // Model: ".../models/{model}:method"; Code Assist puts it in the body instead.
    if (const auto m = path.rfind("/models/"); m != std::string_view::npos) {
        std::string_view model = path.substr(m + 8);
        model = model.substr(0, model.find(':'));
        ex.model = out.keep(QString::fromUtf8(model.data(), qsizetype(model.size())));
    }
    if (ex.model.empty())
        ex.model = out.keep(str(outer, QLatin1String("model")));
    const QJsonObject r = unwrap(outer, "request");

    const QJsonValue sys = either(r, "systemInstruction", "system_instruction");
    if (sys.isString())
        ex.systemPrompt = out.keep(sys.toString());
    for (const QJsonValue &pv : arr(sys.toObject(), kParts))
        out.appendJoined(ex.systemPrompt, str(pv.toObject(), kText), "\n\n");

    const QJsonArray contents = arr(r, QLatin1String("contents"));
    qsizetype lastModel = -1;
    for (qsizetype i = 0; i < contents.size(); ++i)
        if (str(contents.at(i).toObject(), QLatin1String("role")) == QLatin1String("model"))
            lastModel = i;
    qsizetype first = 0;
    if (std::size_t(contents.size()) > out.limits().maxMessages) {
        first = contents.size() - qsizetype(out.limits().maxMessages);
        ex.droppedItems += uint32_t(first);
        out.warn("kept only the newest " + std::to_string(out.limits().maxMessages) + " contents");
    }
    for (qsizetype i = first; i < contents.size(); ++i) {
        const QJsonObject c = contents.at(i).toObject();
        Message msg;
        msg.role = out.keep(str(c, QLatin1String("role")));
        for (const QJsonValue &pv : arr(c, kParts)) {
            if (!out.room(msg.parts.size(), out.limits().maxPartsPerMessage, "parts in a message"))
                continue; // keep counting what is dropped
            const QJsonObject p = pv.toObject();
            ContentPart part;
            const QJsonValue fc = either(p, "functionCall", "function_call");
            const QJsonValue fr = either(p, "functionResponse", "function_response");
            if (p.value(kText).isString()) {
                part.kind = json::flag(p, QLatin1String("thought")) ? ContentPart::Kind::Thinking : ContentPart::Kind::Text;
                part.text = out.keep(str(p, kText));
            } else if (fc.isObject()) {
                const QJsonObject f = fc.toObject();
                part.kind = ContentPart::Kind::ToolUse;
                part.toolCallId = out.keep(str(f, QLatin1String("id")));
                part.toolName = out.keep(str(f, QLatin1String("name")));
                part.argumentsJson = out.keepJson(obj(f, QLatin1String("args")));
            } else if (fr.isObject()) {
                const QJsonObject f = fr.toObject();
                const QJsonObject response = obj(f, QLatin1String("response"));
                part.kind = ContentPart::Kind::ToolResult;
                part.toolCallId = out.keep(str(f, QLatin1String("id")));
                part.toolName = out.keep(str(f, QLatin1String("name")));
                part.text = out.keep(responseText(response));
                // No is_error field in the API; agents put an "error" key in the response.
                part.isError = response.contains(QLatin1String("error"));
                if (out.room(ex.toolResults.size(), out.limits().maxToolResults, "tool results")) {
                    ToolResult res;
                    res.toolCallId = part.toolCallId;
                    res.toolName = part.toolName;
                    res.content = part.text;
                    res.isError = part.isError;
                    res.latest = i > lastModel;
                    ex.toolResults.push_back(std::move(res));
                }
            } else if (either(p, "inlineData", "inline_data").isObject()) {
                part.kind = ContentPart::Kind::Image;
                part.text = out.keep(str(either(p, "inlineData", "inline_data").toObject(), QLatin1String("mimeType")));
            } else if (p.contains(QLatin1String("thoughtSignature")) && p.size() == 1) {
                continue; // opaque signature only
            } else {
                part.kind = ContentPart::Kind::Other;
                part.text = out.keep(p.isEmpty() ? QString() : p.keys().constFirst());
            }
            msg.parts.push_back(std::move(part));
        }
        ex.messages.push_back(std::move(msg));
    }

    for (const QJsonValue &tv : arr(r, QLatin1String("tools"))) {
        for (const QJsonValue &fv : either(tv.toObject(), "functionDeclarations", "function_declarations").toArray()) {
            if (!out.room(ex.tools.size(), out.limits().maxTools, "tools"))
                continue; // keep counting what is dropped
            const QJsonObject f = fv.toObject();
            ToolDefinition def;
            def.name = out.keep(str(f, QLatin1String("name")));
            def.description = out.keep(str(f, QLatin1String("description")));
            QJsonObject schema = obj(f, QLatin1String("parameters"));
            if (schema.isEmpty())
                schema = obj(f, QLatin1String("parametersJsonSchema"));
            def.schemaJson = out.keepJson(schema);
            ex.tools.push_back(std::move(def));
        }
    }
}

void GeminiDecoder::decodeResponse(const QJsonDocument &doc, ExchangeBuilder &out) const
{
    // streamGenerateContent without alt=sse answers one JSON array of chunks.
    if (doc.isArray()) {
        std::size_t seen = 0;
        for (const QJsonValue &v : doc.array()) {
            if (!out.room(seen++, out.limits().maxStreamEvents, "stream chunks"))
                continue; // keep counting what is dropped
            applyChunk(v.toObject(), out);
        }
        return;
    }
    if (!doc.isObject()) {
        out.dropEvent("response body is not a JSON object");
        return;
    }
    applyChunk(doc.object(), out);
}

void GeminiDecoder::decodeStream(const std::vector<decode::SseEvent> &events, ExchangeBuilder &out) const
{
    std::size_t seen = 0;
    for (const decode::SseEvent &e : events) {
        if (!out.room(seen++, out.limits().maxStreamEvents, "stream events"))
            continue; // keep counting what is dropped
        const std::optional<QJsonObject> parsed = out.eventObject(e);
        if (!parsed)
            continue;
        if (applyChunk(*parsed, out))
            out.sawContent(e.ktimeNs);
    }
}

} // namespace agentsight::llm
