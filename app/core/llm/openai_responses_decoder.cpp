// SPDX-License-Identifier: GPL-2.0-or-later
#include "openai_responses_decoder.h"

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

/** Text of message content / tool output: a string or a list of typed parts. */
QString partsText(const QJsonValue &content)
{
    if (content.isString())
        return content.toString();
    QString text;
    for (const QJsonValue &v : content.toArray()) {
        const QJsonObject p = v.toObject();
        QString t = str(p, kText);
        if (t.isEmpty())
            t = str(p, QLatin1String("refusal"));
        if (t.isEmpty())
            continue;
        if (!text.isEmpty())
            text += QLatin1Char('\n');
        text += t;
    }
    return text;
}

QString reasoningText(const QJsonObject &item)
{
    // Summaries are what the API shows by default; open-weight models stream
    // the raw reasoning as "content" parts of type reasoning_text instead.
    QString s = partsText(item.value(QLatin1String("summary")));
    const QString raw = partsText(item.value(QLatin1String("content")));
    if (!raw.isEmpty())
        s = s.isEmpty() ? raw : s + QLatin1Char('\n') + raw;
    return s;
}

bool isCallItem(const QString &type)
{
    return type == QLatin1String("function_call") || type == QLatin1String("custom_tool_call")
        || type == QLatin1String("local_shell_call");
}

bool isOutputItem(const QString &type)
{
    return type == QLatin1String("function_call_output") || type == QLatin1String("custom_tool_call_output")
        || type == QLatin1String("local_shell_call_output");
}

/** Arguments of a call item as the raw string the model produced. */
QString callArguments(const QJsonObject &item)
{
    const QString type = str(item, kType);
    if (type == QLatin1String("custom_tool_call")) {
        // Free-form input (Codex's apply_patch): wrap so it is a JSON object.
        QJsonObject o;
        o.insert(QLatin1String("input"), item.value(QLatin1String("input")));
        return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
    }
    if (type == QLatin1String("local_shell_call"))
        return QString::fromUtf8(QJsonDocument(obj(item, QLatin1String("action"))).toJson(QJsonDocument::Compact));
    return str(item, QLatin1String("arguments"));
}

QString callName(const QJsonObject &item)
{
    const QString name = str(item, QLatin1String("name"));
    return name.isEmpty() && str(item, kType) == QLatin1String("local_shell_call") ? QStringLiteral("local_shell") : name;
}

void usageFrom(const QJsonObject &u, TokenUsage &usage)
{
    // input_tokens includes cached, output_tokens includes reasoning: as ours.
    if (u.isEmpty())
        return;
    usage.input = count(u, QLatin1String("input_tokens"));
    usage.output = count(u, QLatin1String("output_tokens"));
    usage.cacheRead = count(obj(u, QLatin1String("input_tokens_details")), QLatin1String("cached_tokens"));
    usage.reasoning = count(obj(u, QLatin1String("output_tokens_details")), QLatin1String("reasoning_tokens"));
}

/** Output items of a full response object -> response text, thinking, tool calls. */
void applyOutput(const QJsonArray &output, ExchangeBuilder &out)
{
    LlmExchange &ex = out.exchange();
    for (const QJsonValue &v : output) {
        const QJsonObject item = v.toObject();
        const QString type = str(item, kType);
        if (type == QLatin1String("message"))
            out.append(ex.responseText, partsText(item.value(QLatin1String("content"))));
        else if (type == QLatin1String("reasoning"))
            out.appendJoined(ex.thinkingText, reasoningText(item), "\n");
        else if (isCallItem(type))
            out.addToolCall(str(item, QLatin1String("call_id")), callName(item), out.keep(callArguments(item)));
    }
}

/** Status, usage, error of a response object (final event or the whole body). */
void applyStatus(const QJsonObject &r, ExchangeBuilder &out)
{
    LlmExchange &ex = out.exchange();
    const QString id = str(r, QLatin1String("id"));
    if (!id.isEmpty())
        ex.responseId = out.keep(id);
    const QString model = str(r, QLatin1String("model"));
    if (!model.isEmpty())
        ex.responseModel = out.keep(model);
    const QString reason = str(obj(r, QLatin1String("incomplete_details")), QLatin1String("reason"));
    const QString status = str(r, QLatin1String("status"));
    if (!reason.isEmpty())
        ex.stopReason = out.keep(reason);
    else if (!status.isEmpty())
        ex.stopReason = out.keep(status);
    usageFrom(obj(r, QLatin1String("usage")), ex.usage);
    if (r.value(QLatin1String("error")).isObject())
        if (auto e = json::errorFrom(obj(r, QLatin1String("error"))))
            out.setError(*e);
}

} // namespace

bool OpenAiResponsesDecoder::matchesPath(std::string_view path) const
{
    // "/v1/responses", Azure "/openai/responses", ChatGPT-login Codex "/backend-api/codex/responses".
    constexpr std::string_view suffix = "/responses";
    return path.size() >= suffix.size() && path.substr(path.size() - suffix.size()) == suffix;
}

bool OpenAiResponsesDecoder::matchesBody(const QJsonObject &r) const
{
    if (!r.value(QLatin1String("model")).isString() || r.contains(QLatin1String("messages")))
        return false;
    const QJsonValue input = r.value(QLatin1String("input"));
    if (input.isString())
        return r.contains(QLatin1String("instructions"));
    // Items are objects; an array of strings or token ids is an embeddings body.
    const QJsonArray items = input.toArray();
    if (items.isEmpty())
        return false;
    for (const QJsonValue &v : items)
        if (!v.isObject())
            return false;
    return true;
}

void OpenAiResponsesDecoder::decodeRequest(const QJsonObject &r, ExchangeBuilder &out) const
{
    LlmExchange &ex = out.exchange();
    ex.model = out.keep(str(r, QLatin1String("model")));
    ex.streaming = json::flag(r, QLatin1String("stream"));
    ex.systemPrompt = out.keep(str(r, QLatin1String("instructions")));

    const QJsonValue input = r.value(QLatin1String("input"));
    if (input.isString()) {
        Message msg;
        msg.role = "user";
        ContentPart p;
        p.text = out.keep(input.toString());
        msg.parts.push_back(std::move(p));
        ex.messages.push_back(std::move(msg));
    }
    const QJsonArray items = input.toArray();
    // Results after the last thing the model produced are reported for the first time.
    qsizetype lastModelItem = -1;
    for (qsizetype i = 0; i < items.size(); ++i) {
        const QJsonObject it = items.at(i).toObject();
        const QString type = str(it, kType);
        if (isCallItem(type) || type == QLatin1String("reasoning")
            || str(it, QLatin1String("role")) == QLatin1String("assistant"))
            lastModelItem = i;
    }
    qsizetype first = 0;
    if (std::size_t(items.size()) > out.limits().maxMessages) {
        first = items.size() - qsizetype(out.limits().maxMessages);
        ex.droppedItems += uint32_t(first);
        out.warn("kept only the newest " + std::to_string(out.limits().maxMessages) + " input items");
    }
    for (qsizetype i = first; i < items.size(); ++i) {
        const QJsonObject it = items.at(i).toObject();
        QString type = str(it, kType);
        const QString role = str(it, QLatin1String("role"));
        if (type.isEmpty() && !role.isEmpty())
            type = QStringLiteral("message"); // "easy input message" without a type
        Message msg;
        ContentPart part;
        if (type == QLatin1String("message")) {
            if (role == QLatin1String("system") || role == QLatin1String("developer")) {
                out.appendJoined(ex.systemPrompt, partsText(it.value(QLatin1String("content"))), "\n\n");
                continue;
            }
            msg.role = out.keep(role);
            const QJsonValue content = it.value(QLatin1String("content"));
            if (content.isString()) {
                part.text = out.keep(content.toString());
                msg.parts.push_back(std::move(part));
            }
            for (const QJsonValue &pv : content.toArray()) {
                if (!out.room(msg.parts.size(), out.limits().maxPartsPerMessage, "parts in a message"))
                    continue; // keep counting what is dropped
                const QJsonObject p = pv.toObject();
                const QString pt = str(p, kType);
                ContentPart cp;
                if (pt == QLatin1String("input_text") || pt == QLatin1String("output_text") || pt == kText) {
                    cp.text = out.keep(str(p, kText));
                } else if (pt == QLatin1String("input_image")) {
                    cp.kind = ContentPart::Kind::Image;
                    cp.text = "input_image";
                } else {
                    cp.kind = ContentPart::Kind::Other;
                    cp.text = out.keep(pt);
                }
                msg.parts.push_back(std::move(cp));
            }
        } else if (isCallItem(type)) {
            msg.role = "assistant";
            part.kind = ContentPart::Kind::ToolUse;
            part.toolCallId = out.keep(str(it, QLatin1String("call_id")));
            part.toolName = out.keep(callName(it));
            part.argumentsJson = out.keep(callArguments(it));
            msg.parts.push_back(std::move(part));
        } else if (isOutputItem(type)) {
            msg.role = "tool";
            part.kind = ContentPart::Kind::ToolResult;
            part.toolCallId = out.keep(str(it, QLatin1String("call_id")));
            part.text = out.keep(partsText(it.value(QLatin1String("output"))));
            if (out.room(ex.toolResults.size(), out.limits().maxToolResults, "tool results")) {
                ToolResult res;
                res.toolCallId = part.toolCallId;
                res.content = part.text;
                res.latest = i > lastModelItem;
                ex.toolResults.push_back(std::move(res));
            }
            msg.parts.push_back(std::move(part));
        } else if (type == QLatin1String("reasoning")) {
            msg.role = "assistant";
            part.kind = ContentPart::Kind::Thinking;
            part.text = out.keep(reasoningText(it)); // often only encrypted_content: empty
            msg.parts.push_back(std::move(part));
        } else {
            msg.role = out.keep(role);
            part.kind = ContentPart::Kind::Other;
            part.text = out.keep(type);
            msg.parts.push_back(std::move(part));
        }
        ex.messages.push_back(std::move(msg));
    }

    for (const QJsonValue &v : arr(r, QLatin1String("tools"))) {
        if (!out.room(ex.tools.size(), out.limits().maxTools, "tools"))
            continue; // keep counting what is dropped
        const QJsonObject t = v.toObject();
        ToolDefinition def;
        QString name = str(t, QLatin1String("name"));
        def.name = out.keep(name.isEmpty() ? str(t, kType) : name); // built-ins: web_search, local_shell
        def.description = out.keep(str(t, QLatin1String("description")));
        QJsonObject schema = obj(t, QLatin1String("parameters"));
        if (schema.isEmpty())
            schema = obj(t, QLatin1String("format")); // custom tools: grammar / text format
        def.schemaJson = out.keepJson(schema);
        ex.tools.push_back(std::move(def));
    }
}

void OpenAiResponsesDecoder::decodeResponse(const QJsonDocument &doc, ExchangeBuilder &out) const
{
    if (!doc.isObject()) {
        out.dropEvent("response body is not a JSON object");
        return;
    }
    const QJsonObject r = doc.object();
    applyStatus(r, out);
    applyOutput(arr(r, QLatin1String("output")), out);
}

void OpenAiResponsesDecoder::decodeStream(const std::vector<decode::SseEvent> &events, ExchangeBuilder &out) const
{
    LlmExchange &ex = out.exchange();
    struct Item {
        QString type, callId, name;
        std::string arguments;
    };
    std::map<int64_t, Item> items; // by output_index; stable addresses, in order
    QJsonArray finalOutput;

    auto itemAt = [&](const QJsonObject &d) -> Item * {
        const int64_t index = count(d, QLatin1String("output_index"));
        if (index < 0)
            return nullptr;
        auto it = items.find(index);
        if (it != items.end())
            return &it->second;
        if (!out.room(items.size(), out.limits().maxToolCalls + out.limits().maxPartsPerMessage, "output items"))
            return nullptr;
        return &items[index];
    };
    auto takeItem = [&](Item &slot, const QJsonObject &item) {
        const QString type = str(item, kType);
        if (!type.isEmpty())
            slot.type = type;
        const QString callId = str(item, QLatin1String("call_id"));
        if (!callId.isEmpty())
            slot.callId = callId;
        const QString name = callName(item);
        if (!name.isEmpty())
            slot.name = name;
        const QString args = callArguments(item);
        if (isCallItem(slot.type) && !args.isEmpty()) {
            slot.arguments.clear(); // the complete arguments replace the fragments
            out.append(slot.arguments, args);
        }
    };

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

        if (type == QLatin1String("response.output_text.delta") || type == QLatin1String("response.refusal.delta")) {
            out.sawContent(e.ktimeNs);
            out.append(ex.responseText, str(d, QLatin1String("delta")));
        } else if (type == QLatin1String("response.reasoning_summary_text.delta")
                   || type == QLatin1String("response.reasoning_text.delta")) {
            out.sawContent(e.ktimeNs);
            out.append(ex.thinkingText, str(d, QLatin1String("delta")));
        } else if (type == QLatin1String("response.reasoning_summary_part.added")) {
            if (!ex.thinkingText.empty())
                out.append(ex.thinkingText, QStringLiteral("\n\n")); // separate summary parts
        } else if (type == QLatin1String("response.function_call_arguments.delta")
                   || type == QLatin1String("response.custom_tool_call_input.delta")) {
            out.sawContent(e.ktimeNs);
            if (Item *slot = itemAt(d))
                out.append(slot->arguments, str(d, QLatin1String("delta")));
        } else if (type == QLatin1String("response.function_call_arguments.done")) {
            if (Item *slot = itemAt(d)) {
                slot->arguments.clear();
                out.append(slot->arguments, str(d, QLatin1String("arguments")));
            }
        } else if (type == QLatin1String("response.output_item.added") || type == QLatin1String("response.output_item.done")) {
            if (Item *slot = itemAt(d))
                takeItem(*slot, obj(d, QLatin1String("item")));
        } else if (type == QLatin1String("response.created") || type == QLatin1String("response.in_progress")) {
            applyStatus(obj(d, QLatin1String("response")), out);
        } else if (type == QLatin1String("response.completed") || type == QLatin1String("response.incomplete")
                   || type == QLatin1String("response.failed")) {
            const QJsonObject r = obj(d, QLatin1String("response"));
            applyStatus(r, out);
            finalOutput = arr(r, QLatin1String("output"));
            ex.responseComplete = true;
        } else if (type == QLatin1String("error")) {
            // Documented shape {type:"error", code, message, param}; some servers nest it.
            auto er = d.value(QLatin1String("error")).isObject() ? json::errorFrom(obj(d, QLatin1String("error")))
                                                                 : json::errorFrom(QJsonObject{{QLatin1String("code"), d.value(QLatin1String("code"))},
                                                                                               {QLatin1String("message"), d.value(QLatin1String("message"))}});
            if (er)
                out.setError(*er);
        }
        // Other events (content_part.added, output_text.done, ...) repeat what
        // the deltas already gave.
    }

    if (items.empty() && ex.responseText.empty() && !finalOutput.isEmpty()) {
        applyOutput(finalOutput, out); // a server that only sends the final object
        return;
    }
    if (items.empty() && !finalOutput.isEmpty()) {
        // Text streamed, but call items only in the final object.
        QJsonArray calls;
        for (const QJsonValue &v : finalOutput)
            if (isCallItem(str(v.toObject(), kType)))
                calls.append(v);
        applyOutput(calls, out);
        return;
    }
    for (auto &[index, item] : items)
        if (isCallItem(item.type))
            out.addToolCall(item.callId, item.name, item.arguments);
}

} // namespace agentsight::llm
