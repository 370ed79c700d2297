// SPDX-License-Identifier: GPL-2.0-or-later
#include "openai_chat_decoder.h"

#include <map>

#include "json_fields.h"

namespace agentsight::llm {

using json::arr;
using json::count;
using json::obj;
using json::str;

namespace {

constexpr QLatin1String kContent("content");
constexpr QLatin1String kType("type");

/** "content" is a string, null, or a list of typed parts; the text of it. */
QString contentText(const QJsonValue &content)
{
    if (content.isString())
        return content.toString();
    QString text;
    for (const QJsonValue &v : content.toArray()) {
        const QJsonObject p = v.toObject();
        const QString t = str(p, QLatin1String("text"));
        if (t.isEmpty())
            continue;
        if (!text.isEmpty())
            text += QLatin1Char('\n');
        text += t;
    }
    return text;
}

void addContentParts(const QJsonValue &content, Message &msg, ExchangeBuilder &out)
{
    if (content.isString()) {
        ContentPart p;
        p.text = out.keep(content.toString());
        msg.parts.push_back(std::move(p));
        return;
    }
    for (const QJsonValue &v : content.toArray()) {
        if (!out.room(msg.parts.size(), out.limits().maxPartsPerMessage, "parts in a message"))
            return;
        const QJsonObject p = v.toObject();
        const QString type = str(p, kType);
        ContentPart part;
        if (type == QLatin1String("text")) {
            part.text = out.keep(str(p, QLatin1String("text")));
        } else if (type == QLatin1String("image_url")) {
            part.kind = ContentPart::Kind::Image;
            part.text = "image_url"; // the URL is often a multi-MB data: URI; not kept
        } else {
            part.kind = ContentPart::Kind::Other;
            part.text = out.keep(type);
        }
        msg.parts.push_back(std::move(part));
    }
}

void usageFrom(const QJsonObject &u, TokenUsage &usage)
{
    // prompt_tokens already includes cached_tokens; completion_tokens already
    // includes reasoning_tokens: the same convention LlmExchange uses.
    if (u.isEmpty())
        return;
    usage.input = count(u, QLatin1String("prompt_tokens"));
    usage.output = count(u, QLatin1String("completion_tokens"));
    usage.cacheRead = count(obj(u, QLatin1String("prompt_tokens_details")), QLatin1String("cached_tokens"));
    usage.reasoning = count(obj(u, QLatin1String("completion_tokens_details")), QLatin1String("reasoning_tokens"));
}

QString reasoningOf(const QJsonObject &m)
{
    // vLLM / DeepSeek: reasoning_content; Ollama / OpenRouter: reasoning.
    const QString rc = str(m, QLatin1String("reasoning_content"));
    return rc.isEmpty() ? str(m, QLatin1String("reasoning")) : rc;
}

} // namespace

bool OpenAiChatDecoder::matchesPath(std::string_view path) const
{
    constexpr std::string_view suffix = "/chat/completions";
    return path.size() >= suffix.size() && path.substr(path.size() - suffix.size()) == suffix;
}

bool OpenAiChatDecoder::matchesBody(const QJsonObject &r) const
{
    const QJsonValue messages = r.value(QLatin1String("messages"));
    if (!messages.isArray() || !r.value(QLatin1String("model")).isString())
        return false;
    const QJsonArray a = messages.toArray();
    // Every message must look like {role: string, ...}: a stray "messages" key
    // in some unrelated API is not enough.
    if (a.isEmpty())
        return false;
    for (const QJsonValue &m : a)
        if (!m.toObject().value(QLatin1String("role")).isString())
            return false;
    return true;
}

void OpenAiChatDecoder::decodeRequest(const QJsonObject &r, ExchangeBuilder &out) const
{
    LlmExchange &ex = out.exchange();
    ex.model = out.keep(str(r, QLatin1String("model")));
    ex.streaming = json::flag(r, QLatin1String("stream"));

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
        const QString role = str(m, QLatin1String("role"));
        const QJsonValue content = m.value(kContent);
        if (role == QLatin1String("system") || role == QLatin1String("developer")) {
            out.appendJoined(ex.systemPrompt, contentText(content), "\n\n");
            continue;
        }
        Message msg;
        msg.role = out.keep(role);
        if (role == QLatin1String("tool") || role == QLatin1String("function")) {
            ContentPart part;
            part.kind = ContentPart::Kind::ToolResult;
            part.toolCallId = out.keep(str(m, QLatin1String("tool_call_id")));
            part.toolName = out.keep(str(m, QLatin1String("name")));
            part.text = out.keep(contentText(content));
            if (out.room(ex.toolResults.size(), out.limits().maxToolResults, "tool results")) {
                ToolResult res;
                res.toolCallId = part.toolCallId;
                res.toolName = part.toolName;
                res.content = part.text;
                res.latest = i > lastAssistant;
                ex.toolResults.push_back(std::move(res));
            }
            msg.parts.push_back(std::move(part));
        } else {
            const QString reasoning = reasoningOf(m);
            if (!reasoning.isEmpty()) {
                ContentPart p;
                p.kind = ContentPart::Kind::Thinking;
                p.text = out.keep(reasoning);
                msg.parts.push_back(std::move(p));
            }
            addContentParts(content, msg, out);
            for (const QJsonValue &v : arr(m, QLatin1String("tool_calls"))) {
                if (!out.room(msg.parts.size(), out.limits().maxPartsPerMessage, "parts in a message"))
                    continue; // keep counting what is dropped
                const QJsonObject call = v.toObject();
                const QJsonObject fn = obj(call, QLatin1String("function"));
                ContentPart p;
                p.kind = ContentPart::Kind::ToolUse;
                p.toolCallId = out.keep(str(call, QLatin1String("id")));
                p.toolName = out.keep(str(fn, QLatin1String("name")));
                p.argumentsJson = out.keep(str(fn, QLatin1String("arguments")));
                msg.parts.push_back(std::move(p));
            }
        }
        ex.messages.push_back(std::move(msg));
    }

    auto addTool = [&](const QJsonObject &fn) {
        if (!out.room(ex.tools.size(), out.limits().maxTools, "tools"))
            return;
        ToolDefinition def;
        def.name = out.keep(str(fn, QLatin1String("name")));
        def.description = out.keep(str(fn, QLatin1String("description")));
        def.schemaJson = out.keepJson(obj(fn, QLatin1String("parameters")));
        ex.tools.push_back(std::move(def));
    };
    for (const QJsonValue &v : arr(r, QLatin1String("tools")))
        addTool(obj(v.toObject(), QLatin1String("function")));
    for (const QJsonValue &v : arr(r, QLatin1String("functions"))) // legacy function calling
        addTool(v.toObject());
}

void OpenAiChatDecoder::decodeResponse(const QJsonDocument &doc, ExchangeBuilder &out) const
{
    LlmExchange &ex = out.exchange();
    if (!doc.isObject()) {
        out.dropEvent("response body is not a JSON object");
        return;
    }
    const QJsonObject r = doc.object();
    if (r.value(QLatin1String("error")).isObject()) {
        if (auto e = json::errorFrom(obj(r, QLatin1String("error"))))
            out.setError(*e);
        return;
    }
    ex.responseId = out.keep(str(r, QLatin1String("id")));
    ex.responseModel = out.keep(str(r, QLatin1String("model")));
    const QJsonArray choices = arr(r, QLatin1String("choices"));
    if (choices.size() > 1)
        out.dropEvent("choices other than the first (n > 1)");
    const QJsonObject choice = choices.at(0).toObject();
    const QJsonObject m = obj(choice, QLatin1String("message"));
    out.append(ex.responseText, contentText(m.value(kContent)));
    out.append(ex.thinkingText, reasoningOf(m));
    for (const QJsonValue &v : arr(m, QLatin1String("tool_calls"))) {
        const QJsonObject call = v.toObject();
        const QJsonObject fn = obj(call, QLatin1String("function"));
        out.addToolCall(str(call, QLatin1String("id")), str(fn, QLatin1String("name")),
                        out.keep(str(fn, QLatin1String("arguments"))));
    }
    ex.stopReason = out.keep(str(choice, QLatin1String("finish_reason")));
    usageFrom(obj(r, QLatin1String("usage")), ex.usage);
}

void OpenAiChatDecoder::decodeStream(const std::vector<decode::SseEvent> &events, ExchangeBuilder &out) const
{
    LlmExchange &ex = out.exchange();
    struct Call {
        QString id, name;
        std::string arguments;
    };
    std::map<int64_t, Call> calls; // by tool_calls[].index; stable addresses

    std::size_t seen = 0;
    for (const decode::SseEvent &e : events) {
        if (!out.room(seen++, out.limits().maxStreamEvents, "stream events"))
            continue; // keep counting what is dropped
        if (e.data == "[DONE]") {
            ex.responseComplete = true;
            continue;
        }
        const std::optional<QJsonObject> parsed = out.eventObject(e);
        if (!parsed)
            continue;
        const QJsonObject &d = *parsed;
        if (d.value(QLatin1String("error")).isObject()) {
            if (auto er = json::errorFrom(obj(d, QLatin1String("error"))))
                out.setError(*er);
            continue;
        }
        if (ex.responseId.empty())
            ex.responseId = out.keep(str(d, QLatin1String("id")));
        if (ex.responseModel.empty())
            ex.responseModel = out.keep(str(d, QLatin1String("model")));
        // Usually only the last chunk (stream_options.include_usage) has usage;
        // some servers send null in every other chunk.
        usageFrom(obj(d, QLatin1String("usage")), ex.usage);

        for (const QJsonValue &cv : arr(d, QLatin1String("choices"))) {
            const QJsonObject choice = cv.toObject();
            if (count(choice, QLatin1String("index")) > 0) {
                out.dropEvent("choices other than the first (n > 1)");
                continue;
            }
            const QJsonObject delta = obj(choice, QLatin1String("delta"));
            const QString text = str(delta, kContent);
            const QString reasoning = reasoningOf(delta);
            const QJsonArray toolCalls = arr(delta, QLatin1String("tool_calls"));
            if (!text.isEmpty() || !reasoning.isEmpty() || !toolCalls.isEmpty())
                out.sawContent(e.ktimeNs);
            out.append(ex.responseText, text);
            out.append(ex.thinkingText, reasoning);
            for (const QJsonValue &tv : toolCalls) {
                const QJsonObject tc = tv.toObject();
                // Fragments are addressed by index; the first carries id and name.
                int64_t index = count(tc, QLatin1String("index"));
                if (index < 0)
                    index = 0;
                auto it = calls.find(index);
                if (it == calls.end()) {
                    if (!out.room(calls.size(), out.limits().maxToolCalls, "tool calls"))
                        continue;
                    it = calls.emplace(index, Call{}).first;
                }
                const QString id = str(tc, QLatin1String("id"));
                const QJsonObject fn = obj(tc, QLatin1String("function"));
                const QString name = str(fn, QLatin1String("name"));
                if (!id.isEmpty())
                    it->second.id = id;
                if (!name.isEmpty())
                    it->second.name = name;
                out.append(it->second.arguments, str(fn, QLatin1String("arguments")));
            }
            const QString finish = str(choice, QLatin1String("finish_reason"));
            if (!finish.isEmpty())
                ex.stopReason = out.keep(finish);
        }
    }
    for (auto &[index, c] : calls) {
        if (c.id.isEmpty() && c.name.isEmpty() && c.arguments.empty()) {
            out.dropEvent("tool call fragments without id, name or arguments");
            continue; // nothing real to show: do not invent a nameless call
        }
        out.addToolCall(c.id, c.name, c.arguments);
    }
}

} // namespace agentsight::llm
