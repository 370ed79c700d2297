// SPDX-License-Identifier: GPL-2.0-or-later
#include "anthropic_decoder.h"

#include <map>

#include "json_fields.h"

namespace agentsight::llm {

using json::arr;
using json::count;
using json::obj;
using json::str;

namespace {

constexpr QLatin1String kType("type");
constexpr QLatin1String kText("text");

bool endsWith(std::string_view s, std::string_view suffix)
{
    return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

/** Text of a tool_result "content": a string or a list of blocks (text kept, images noted). */
QString toolResultText(const QJsonValue &content)
{
    if (content.isString())
        return content.toString();
    QString text;
    for (const QJsonValue &v : content.toArray()) {
        const QJsonObject block = v.toObject();
        const QString type = str(block, kType);
        if (!text.isEmpty())
            text += QLatin1Char('\n');
        if (type == kText)
            text += str(block, kText);
        else
            text += QStringLiteral("[%1]").arg(type.isEmpty() ? QStringLiteral("?") : type);
    }
    return text;
}

void usageFrom(const QJsonObject &u, TokenUsage &usage)
{
    // Anthropic's input_tokens excludes cache reads and writes; we store the
    // whole prompt (docs/LLM_APIS.md), so add them back.
    const int64_t input = count(u, QLatin1String("input_tokens"));
    const int64_t write = count(u, QLatin1String("cache_creation_input_tokens"));
    const int64_t read = count(u, QLatin1String("cache_read_input_tokens"));
    const int64_t output = count(u, QLatin1String("output_tokens"));
    if (write >= 0)
        usage.cacheWrite = write;
    if (read >= 0)
        usage.cacheRead = read;
    if (input >= 0)
        usage.input = input + (usage.cacheWrite > 0 ? usage.cacheWrite : 0) + (usage.cacheRead > 0 ? usage.cacheRead : 0);
    if (output >= 0)
        usage.output = output;
}

/** One request content block -> part (tool results also go to exchange.toolResults). */
void addBlock(const QJsonObject &block, Message &msg, bool latest, ExchangeBuilder &out)
{
    LlmExchange &ex = out.exchange();
    if (!out.room(msg.parts.size(), out.limits().maxPartsPerMessage, "parts in a message"))
        return;
    const QString type = str(block, kType);
    ContentPart part;
    if (type == kText) {
        part.kind = ContentPart::Kind::Text;
        part.text = out.keep(str(block, kText));
    } else if (type == QLatin1String("tool_use") || type == QLatin1String("server_tool_use")) {
        part.kind = ContentPart::Kind::ToolUse;
        part.toolCallId = out.keep(str(block, QLatin1String("id")));
        part.toolName = out.keep(str(block, QLatin1String("name")));
        part.argumentsJson = out.keepJson(obj(block, QLatin1String("input")));
    } else if (type == QLatin1String("tool_result")) {
        part.kind = ContentPart::Kind::ToolResult;
        part.toolCallId = out.keep(str(block, QLatin1String("tool_use_id")));
        part.text = out.keep(toolResultText(block.value(QLatin1String("content"))));
        part.isError = json::flag(block, QLatin1String("is_error"));
        if (out.room(ex.toolResults.size(), out.limits().maxToolResults, "tool results")) {
            ToolResult r;
            r.toolCallId = part.toolCallId;
            r.content = part.text;
            r.isError = part.isError;
            r.latest = latest;
            ex.toolResults.push_back(std::move(r));
        }
    } else if (type == QLatin1String("thinking")) {
        part.kind = ContentPart::Kind::Thinking;
        part.text = out.keep(str(block, QLatin1String("thinking")));
    } else if (type == QLatin1String("redacted_thinking")) {
        part.kind = ContentPart::Kind::Thinking; // encrypted by the API: nothing readable
    } else if (type == QLatin1String("image")) {
        part.kind = ContentPart::Kind::Image;
        part.text = out.keep(str(obj(block, QLatin1String("source")), QLatin1String("media_type")));
    } else {
        part.kind = ContentPart::Kind::Other; // document, search results, ...: type only
        part.text = out.keep(type);
    }
    msg.parts.push_back(std::move(part));
}

/** Non-streaming response content: the same block types the stream builds up. */
void responseBlocks(const QJsonArray &content, ExchangeBuilder &out)
{
    LlmExchange &ex = out.exchange();
    for (const QJsonValue &v : content) {
        const QJsonObject block = v.toObject();
        const QString type = str(block, kType);
        if (type == kText)
            out.append(ex.responseText, str(block, kText));
        else if (type == QLatin1String("thinking"))
            out.append(ex.thinkingText, str(block, QLatin1String("thinking")));
        else if (type == QLatin1String("tool_use") || type == QLatin1String("server_tool_use"))
            out.addToolCall(str(block, QLatin1String("id")), str(block, QLatin1String("name")),
                            obj(block, QLatin1String("input")));
    }
}

} // namespace

bool AnthropicDecoder::matchesPath(std::string_view path) const
{
    // Suffix: proxies and gateways put a prefix in front ("/anthropic/v1/messages").
    return endsWith(path, "/v1/messages");
}

bool AnthropicDecoder::matchesBody(const QJsonObject &r) const
{
    // Chat Completions also has model + messages; Anthropic is told apart by a
    // top-level system, a required max_tokens with anthropic-only block types,
    // or anthropic-only content blocks.
    const QJsonValue messages = r.value(QLatin1String("messages"));
    if (!messages.isArray() || !r.value(QLatin1String("model")).isString())
        return false;
    if (r.contains(QLatin1String("system")))
        return true;
    for (const QJsonValue &m : messages.toArray()) {
        for (const QJsonValue &b : m.toObject().value(QLatin1String("content")).toArray()) {
            const QString t = str(b.toObject(), kType);
            if (t == QLatin1String("tool_use") || t == QLatin1String("tool_result") || t == QLatin1String("thinking"))
                return true;
        }
    }
    return false;
}

void AnthropicDecoder::decodeRequest(const QJsonObject &r, ExchangeBuilder &out) const
{
    LlmExchange &ex = out.exchange();
    ex.model = out.keep(str(r, QLatin1String("model")));
    ex.streaming = json::flag(r, QLatin1String("stream"));

    const QJsonValue system = r.value(QLatin1String("system"));
    if (system.isString()) {
        ex.systemPrompt = out.keep(system.toString());
    } else {
        for (const QJsonValue &b : system.toArray())
            out.appendJoined(ex.systemPrompt, str(b.toObject(), kText), "\n\n");
    }

    const QJsonArray messages = arr(r, QLatin1String("messages"));
    qsizetype lastAssistant = -1;
    for (qsizetype i = 0; i < messages.size(); ++i)
        if (str(messages.at(i).toObject(), QLatin1String("role")) == QLatin1String("assistant"))
            lastAssistant = i;
    qsizetype first = 0;
    if (std::size_t(messages.size()) > out.limits().maxMessages) {
        first = messages.size() - qsizetype(out.limits().maxMessages);
        ex.droppedItems += uint32_t(first);
        out.warn("kept only the newest " + std::to_string(out.limits().maxMessages) + " messages");
    }
    for (qsizetype i = first; i < messages.size(); ++i) {
        const QJsonObject m = messages.at(i).toObject();
        Message msg;
        msg.role = out.keep(str(m, QLatin1String("role")));
        const QJsonValue content = m.value(QLatin1String("content"));
        if (content.isString()) {
            ContentPart p;
            p.text = out.keep(content.toString());
            msg.parts.push_back(std::move(p));
        } else {
            for (const QJsonValue &b : content.toArray())
                addBlock(b.toObject(), msg, i > lastAssistant, out);
        }
        ex.messages.push_back(std::move(msg));
    }

    for (const QJsonValue &v : arr(r, QLatin1String("tools"))) {
        if (!out.room(ex.tools.size(), out.limits().maxTools, "tools"))
            continue; // keep counting what is dropped
        const QJsonObject t = v.toObject();
        ToolDefinition def;
        def.name = out.keep(str(t, QLatin1String("name")));
        def.description = out.keep(str(t, QLatin1String("description")));
        def.schemaJson = out.keepJson(obj(t, QLatin1String("input_schema")));
        if (def.schemaJson.empty() && !str(t, kType).isEmpty())
            def.description = def.description.empty() ? out.keep(str(t, kType)) : def.description; // server tool
        ex.tools.push_back(std::move(def));
    }
}

void AnthropicDecoder::decodeResponse(const QJsonDocument &doc, ExchangeBuilder &out) const
{
    LlmExchange &ex = out.exchange();
    if (!doc.isObject()) {
        out.dropEvent("response body is not a JSON object");
        return;
    }
    const QJsonObject r = doc.object();
    if (str(r, kType) == QLatin1String("error") || r.value(QLatin1String("error")).isObject()) {
        if (auto e = json::errorFrom(obj(r, QLatin1String("error"))))
            out.setError(*e);
        return;
    }
    ex.responseId = out.keep(str(r, QLatin1String("id")));
    ex.responseModel = out.keep(str(r, QLatin1String("model")));
    ex.stopReason = out.keep(str(r, QLatin1String("stop_reason")));
    responseBlocks(arr(r, QLatin1String("content")), out);
    usageFrom(obj(r, QLatin1String("usage")), ex.usage);
}

void AnthropicDecoder::decodeStream(const std::vector<decode::SseEvent> &events, ExchangeBuilder &out) const
{
    LlmExchange &ex = out.exchange();
    struct Block {
        QString type, id, name;
        QJsonObject input;   ///< tool_use input given whole in content_block_start
        std::string partial; ///< input_json_delta fragments
        bool done = false;
    };
    // Text and thinking go straight into the exchange (blocks stream one after
    // another); tool_use input is assembled per block. std::map: stable
    // addresses (the builder tracks truncated fields by address), index order.
    std::map<int64_t, Block> blocks;

    std::size_t seen = 0;
    for (const decode::SseEvent &e : events) {
        if (!out.room(seen++, out.limits().maxStreamEvents, "stream events"))
            continue; // keep counting what is dropped
        const std::optional<QJsonObject> parsed = out.eventObject(e);
        if (!parsed)
            continue;
        const QJsonObject &d = *parsed;
        QString type = str(d, kType);
        if (type.isEmpty())
            type = QString::fromStdString(e.event);

        if (type == QLatin1String("message_start")) {
            const QJsonObject m = obj(d, QLatin1String("message"));
            ex.responseId = out.keep(str(m, QLatin1String("id")));
            ex.responseModel = out.keep(str(m, QLatin1String("model")));
            usageFrom(obj(m, QLatin1String("usage")), ex.usage);
        } else if (type == QLatin1String("content_block_start")) {
            const int64_t index = count(d, QLatin1String("index"));
            if (index < 0 || !out.room(blocks.size(), out.limits().maxToolCalls + out.limits().maxPartsPerMessage, "content blocks"))
                continue;
            const QJsonObject cb = obj(d, QLatin1String("content_block"));
            Block &b = blocks[index];
            b.type = str(cb, kType);
            b.id = str(cb, QLatin1String("id"));
            b.name = str(cb, QLatin1String("name"));
            b.input = obj(cb, QLatin1String("input"));
            if (b.type == kText)
                out.append(ex.responseText, str(cb, kText));
        } else if (type == QLatin1String("content_block_delta")) {
            const int64_t index = count(d, QLatin1String("index"));
            auto it = blocks.find(index);
            if (it == blocks.end()) {
                out.dropEvent("content_block_delta for a block that never started");
                continue;
            }
            const QJsonObject delta = obj(d, QLatin1String("delta"));
            const QString dt = str(delta, kType);
            if (dt == QLatin1String("text_delta")) {
                out.sawContent(e.ktimeNs);
                out.append(ex.responseText, str(delta, kText));
            } else if (dt == QLatin1String("thinking_delta")) {
                out.sawContent(e.ktimeNs);
                out.append(ex.thinkingText, str(delta, QLatin1String("thinking")));
            } else if (dt == QLatin1String("input_json_delta")) {
                out.sawContent(e.ktimeNs);
                out.append(it->second.partial, str(delta, QLatin1String("partial_json")));
            }
            // signature_delta / citations_delta: integrity data, nothing to show.
        } else if (type == QLatin1String("content_block_stop")) {
            auto it = blocks.find(count(d, QLatin1String("index")));
            if (it != blocks.end())
                it->second.done = true;
        } else if (type == QLatin1String("message_delta")) {
            const QString stop = str(obj(d, QLatin1String("delta")), QLatin1String("stop_reason"));
            if (!stop.isEmpty())
                ex.stopReason = out.keep(stop);
            // Cumulative counts; newer API versions repeat input/cache counts here too.
            const QJsonObject u = obj(d, QLatin1String("usage"));
            if (count(u, QLatin1String("input_tokens")) >= 0)
                usageFrom(u, ex.usage);
            else if (count(u, QLatin1String("output_tokens")) >= 0)
                ex.usage.output = count(u, QLatin1String("output_tokens"));
        } else if (type == QLatin1String("message_stop")) {
            ex.responseComplete = true;
        } else if (type == QLatin1String("error")) {
            if (auto err2 = json::errorFrom(obj(d, QLatin1String("error"))))
                out.setError(*err2);
        } else if (type != QLatin1String("ping")) {
            out.dropEvent("unknown stream event type");
        }
    }

    for (auto &[index, b] : blocks) {
        if (b.type == QLatin1String("tool_use") || b.type == QLatin1String("server_tool_use")) {
            if (!b.partial.empty() || out.wasTruncated(b.partial))
                out.addToolCall(b.id, b.name, b.partial);
            else
                out.addToolCall(b.id, b.name, b.input);
            if (!b.done)
                out.warn("tool call " + b.id.toStdString() + " was not finished in the stream");
        }
    }
}

} // namespace agentsight::llm
