// SPDX-License-Identifier: GPL-2.0-or-later
#include "llm_exchange.h"

#include <QJsonArray>
#include <QString>

namespace agentsight::llm {

namespace {

QJsonValue s(const std::string &v)
{
    return QString::fromStdString(v);
}

/** -1 (unknown) becomes null: an unknown count must not read as zero. */
QJsonValue tokens(int64_t v)
{
    return v < 0 ? QJsonValue(QJsonValue::Null) : QJsonValue(qint64(v));
}

/** ktime as a string: JSON doubles lose ns precision above 2^53. */
QJsonValue ns(uint64_t v)
{
    return v == 0 ? QJsonValue(QJsonValue::Null) : QJsonValue(QString::number(v));
}

} // namespace

const char *apiName(Api api)
{
    switch (api) {
    case Api::AnthropicMessages: return "anthropic.messages";
    case Api::OpenAiChatCompletions: return "openai.chat_completions";
    case Api::OpenAiResponses: return "openai.responses";
    case Api::GeminiGenerateContent: return "gemini.generate_content";
    }
    return "unknown";
}

const char *partKindName(ContentPart::Kind kind)
{
    switch (kind) {
    case ContentPart::Kind::Text: return "text";
    case ContentPart::Kind::ToolUse: return "tool_use";
    case ContentPart::Kind::ToolResult: return "tool_result";
    case ContentPart::Kind::Thinking: return "thinking";
    case ContentPart::Kind::Image: return "image";
    case ContentPart::Kind::Other: return "other";
    }
    return "other";
}

QJsonObject LlmExchange::toJson() const
{
    QJsonObject o;
    o.insert(QLatin1String("provider"), s(provider));
    o.insert(QLatin1String("api"), QLatin1String(apiName(api)));
    o.insert(QLatin1String("host"), s(host));
    o.insert(QLatin1String("path"), s(path));
    o.insert(QLatin1String("model"), s(model));
    o.insert(QLatin1String("response_model"), s(responseModel));
    o.insert(QLatin1String("streaming"), streaming);
    o.insert(QLatin1String("system_prompt"), s(systemPrompt));

    QJsonArray msgs;
    for (const Message &m : messages) {
        QJsonArray parts;
        for (const ContentPart &p : m.parts) {
            QJsonObject jp;
            jp.insert(QLatin1String("kind"), QLatin1String(partKindName(p.kind)));
            if (!p.text.empty())
                jp.insert(QLatin1String("text"), s(p.text));
            if (!p.toolCallId.empty())
                jp.insert(QLatin1String("tool_call_id"), s(p.toolCallId));
            if (!p.toolName.empty())
                jp.insert(QLatin1String("tool_name"), s(p.toolName));
            if (!p.argumentsJson.empty())
                jp.insert(QLatin1String("arguments"), s(p.argumentsJson));
            if (p.isError)
                jp.insert(QLatin1String("is_error"), true);
            parts.append(jp);
        }
        msgs.append(QJsonObject{{QLatin1String("role"), s(m.role)}, {QLatin1String("parts"), parts}});
    }
    o.insert(QLatin1String("messages"), msgs);

    QJsonArray jtools;
    for (const ToolDefinition &t : tools)
        jtools.append(QJsonObject{{QLatin1String("name"), s(t.name)},
                                  {QLatin1String("description"), s(t.description)},
                                  {QLatin1String("schema"), s(t.schemaJson)}});
    o.insert(QLatin1String("tools"), jtools);

    QJsonArray results;
    for (const ToolResult &r : toolResults)
        results.append(QJsonObject{{QLatin1String("tool_call_id"), s(r.toolCallId)},
                                   {QLatin1String("tool_name"), s(r.toolName)},
                                   {QLatin1String("content"), s(r.content)},
                                   {QLatin1String("is_error"), r.isError},
                                   {QLatin1String("latest"), r.latest}});
    o.insert(QLatin1String("tool_results"), results);

    o.insert(QLatin1String("response_text"), s(responseText));
    o.insert(QLatin1String("thinking_text"), s(thinkingText));
    QJsonArray calls;
    for (const ToolCall &c : toolCalls) {
        QJsonObject jc{{QLatin1String("id"), s(c.id)}, {QLatin1String("name"), s(c.name)}};
        if (c.argumentsError.empty()) {
            jc.insert(QLatin1String("arguments"), c.arguments);
        } else {
            jc.insert(QLatin1String("arguments_raw"), s(c.argumentsRaw));
            jc.insert(QLatin1String("arguments_error"), s(c.argumentsError));
        }
        calls.append(jc);
    }
    o.insert(QLatin1String("tool_calls"), calls);
    o.insert(QLatin1String("stop_reason"), s(stopReason));
    o.insert(QLatin1String("response_id"), s(responseId));
    o.insert(QLatin1String("response_complete"), responseComplete);

    o.insert(QLatin1String("usage"), QJsonObject{{QLatin1String("input"), tokens(usage.input)},
                                                 {QLatin1String("output"), tokens(usage.output)},
                                                 {QLatin1String("cache_read"), tokens(usage.cacheRead)},
                                                 {QLatin1String("cache_write"), tokens(usage.cacheWrite)},
                                                 {QLatin1String("reasoning"), tokens(usage.reasoning)}});
    o.insert(QLatin1String("timing"), QJsonObject{{QLatin1String("request_start_ns"), ns(timing.requestStartNs)},
                                                  {QLatin1String("request_end_ns"), ns(timing.requestEndNs)},
                                                  {QLatin1String("first_byte_ns"), ns(timing.firstByteNs)},
                                                  {QLatin1String("first_token_ns"), ns(timing.firstTokenNs)},
                                                  {QLatin1String("end_ns"), ns(timing.endNs)}});
    o.insert(QLatin1String("http_status"), httpStatus);
    if (error)
        o.insert(QLatin1String("error"), QJsonObject{{QLatin1String("type"), s(error->type)},
                                                     {QLatin1String("message"), s(error->message)}});
    else
        o.insert(QLatin1String("error"), QJsonValue::Null);
    o.insert(QLatin1String("cost_usd"), costUsd ? QJsonValue(*costUsd) : QJsonValue(QJsonValue::Null));
    o.insert(QLatin1String("decode_error"), s(decodeError));
    o.insert(QLatin1String("truncated_fields"), qint64(truncatedFields));
    o.insert(QLatin1String("dropped_items"), qint64(droppedItems));
    QJsonArray warns;
    for (const std::string &w : warnings)
        warns.append(s(w));
    o.insert(QLatin1String("warnings"), warns);
    return o;
}

} // namespace agentsight::llm
