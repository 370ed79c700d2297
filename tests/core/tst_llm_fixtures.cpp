// SPDX-License-Identifier: GPL-2.0-or-later
// Every fixture under tests/data/llm decodes to its expected.json (golden,
// field by field), and per provider the facts a user reads off the screen
// are asserted explicitly. Regenerate goldens (then review the diff!) with
// AGENTSIGHT_UPDATE_GOLDEN=1.
#include <algorithm>

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

#include "llm/llm_decoder.h"
#include "llm/price_table.h"
#include "tst_llm_fixture.h"

using namespace agentsight;
using namespace agentsight::llm;

namespace {

QString dataDir()
{
    return QStringLiteral(AGENTSIGHT_TEST_DATA "/llm");
}

/** The shipped price list only: the user's AGENTSIGHT_PRICES must not change test results. */
const PriceTable &shippedPrices()
{
    static const PriceTable table = [] {
        PriceTable t;
        QString err;
        if (!t.loadFile(PriceTable::builtInPath(), &err))
            qFatal("cannot load shipped prices: %s", qPrintable(err));
        return t;
    }();
    return table;
}

LlmExchange decodeFixture(const QString &rel)
{
    LlmDecoder decoder(&shippedPrices());
    const auto ex = decoder.decode(test::loadExchange(dataDir() + QLatin1Char('/') + rel));
    if (!ex)
        qFatal("fixture %s was not recognised as an LLM call", qPrintable(rel));
    return *ex;
}

const ToolResult *resultFor(const LlmExchange &ex, const std::string &id)
{
    for (const ToolResult &r : ex.toolResults)
        if (r.toolCallId == id)
            return &r;
    return nullptr;
}

} // namespace

class TestLlmFixtures : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void golden_data();
    void golden();

    void anthropicStreamToolUse();
    void anthropicToolResults();
    void anthropicErrors();
    void claudeCodeRealRequests();
    void openAiChatStreamToolCalls();
    void openAiChatToolResultAndReasoning();
    void openAiChatError();
    void openAiCompatibleServers();
    void openAiResponsesStream();
    void openAiResponsesFunctionOutput();
    void openAiResponsesFailed();
    void codexRealRequests();
    void geminiStreamFunctionCall();
    void geminiFunctionResponse();
    void geminiError();
    void geminiCliRealRequests();
};

void TestLlmFixtures::golden_data()
{
    QTest::addColumn<QString>("dir");
    const QStringList dirs = test::fixtureDirs(dataDir());
    QVERIFY2(dirs.size() >= 15, "fixture directories missing");
    for (const QString &d : dirs)
        QTest::newRow(qPrintable(QDir(dataDir()).relativeFilePath(d))) << d;
}

void TestLlmFixtures::golden()
{
    QFETCH(QString, dir);
    LlmDecoder decoder(&shippedPrices());
    const auto ex = decoder.decode(test::loadExchange(dir));
    QVERIFY2(ex.has_value(), "not recognised as an LLM API call");
    const QJsonObject actual = ex->toJson();
    const QString goldenPath = dir + QStringLiteral("/expected.json");

    if (qEnvironmentVariableIntValue("AGENTSIGHT_UPDATE_GOLDEN") == 1) {
        QFile f(goldenPath);
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write(QJsonDocument(actual).toJson(QJsonDocument::Indented));
        QSKIP("golden written; review it before committing");
    }
    QFile f(goldenPath);
    QVERIFY2(f.open(QIODevice::ReadOnly), qPrintable(goldenPath + QStringLiteral(" missing")));
    QJsonParseError pe;
    const QJsonDocument expected = QJsonDocument::fromJson(f.readAll(), &pe);
    QVERIFY2(pe.error == QJsonParseError::NoError, qPrintable(pe.errorString()));

    QStringList diffs;
    test::diffJson(expected.object(), actual, QStringLiteral("$"), diffs);
    QVERIFY2(diffs.isEmpty(), qPrintable(QStringLiteral("\n  ") + diffs.join(QStringLiteral("\n  "))));
}

void TestLlmFixtures::anthropicStreamToolUse()
{
    const LlmExchange ex = decodeFixture(QStringLiteral("anthropic/stream_tool_use"));
    QCOMPARE(ex.provider, std::string("anthropic"));
    QCOMPARE(ex.api, Api::AnthropicMessages);
    QVERIFY(ex.streaming);
    QCOMPARE(ex.model, std::string("claude-sonnet-4-5-20250929"));
    // The model asked to run Bash with command "ls -la".
    QCOMPARE(ex.toolCalls.size(), std::size_t(1));
    QCOMPARE(ex.toolCalls[0].name, std::string("Bash"));
    QCOMPARE(ex.toolCalls[0].id, std::string("toolu_01A09q90qw90lq917835lq9"));
    QCOMPARE(ex.toolCalls[0].arguments.value(QLatin1String("command")).toString(), QStringLiteral("ls -la"));
    QVERIFY(ex.toolCalls[0].argumentsError.empty());
    QCOMPARE(ex.responseText, std::string("I'll list the files with details."));
    QCOMPARE(ex.thinkingText, std::string("The user wants a detailed listing, so ls -la is right."));
    QCOMPARE(ex.stopReason, std::string("tool_use"));
    QVERIFY(ex.responseComplete);
    // Cache: 1200 read, 200 written; the prompt was 12 + 200 + 1200 tokens.
    QCOMPARE(ex.usage.cacheRead, int64_t(1200));
    QCOMPARE(ex.usage.cacheWrite, int64_t(200));
    QCOMPARE(ex.usage.input, int64_t(1412));
    QCOMPARE(ex.usage.output, int64_t(85)); // from message_delta, not the 1 of message_start
    // Sonnet 4.5: 12*3 + 1200*0.30 + 200*3.75 + 85*15 = 2421 micro-USD.
    QVERIFY(ex.costUsd.has_value());
    QVERIFY(std::fabs(*ex.costUsd - 0.002421) < 1e-9);
    // First token = first thinking_delta, the 4th event (after start, block start, ping).
    QCOMPARE(ex.timing.firstTokenNs, uint64_t(1400500000 + 3 * 10000000));
    QCOMPARE(ex.timing.firstByteNs, uint64_t(1400000000));
    QCOMPARE(ex.tools.size(), std::size_t(2));
    QCOMPARE(ex.tools[0].name, std::string("Bash"));
    QVERIFY(ex.tools[0].schemaJson.find("\"command\"") != std::string::npos);
    QCOMPARE(ex.systemPrompt, std::string("You are Claude Code, Anthropic's official CLI for Claude.\n\nUse the Bash tool to run shell commands."));
    QVERIFY(ex.toolResults.empty());
    QCOMPARE(ex.droppedItems, 0u);
}

void TestLlmFixtures::anthropicToolResults()
{
    const LlmExchange ex = decodeFixture(QStringLiteral("anthropic/json_tool_result"));
    QVERIFY(!ex.streaming);
    QCOMPARE(ex.systemPrompt, std::string("You are a helpful coding agent."));
    QCOMPARE(ex.messages.size(), std::size_t(5));
    // toolu_01 was reported in an earlier request; 02 (failed) and 03 are new.
    const ToolResult *r1 = resultFor(ex, "toolu_01");
    const ToolResult *r2 = resultFor(ex, "toolu_02");
    const ToolResult *r3 = resultFor(ex, "toolu_03");
    QVERIFY(r1 && r2 && r3);
    QVERIFY(!r1->latest);
    QVERIFY(r2->latest && r3->latest);
    QVERIFY(r2->isError);
    QVERIFY(!r3->isError);
    QCOMPARE(r2->content, std::string("EACCES: permission denied, open '/etc/shadow'"));
    QCOMPARE(r3->content, std::string(".\n..\na.txt\nb.txt\nc.txt"));
    QCOMPARE(ex.responseText.substr(0, 20), std::string("There are 3 files: a"));
    QCOMPARE(ex.stopReason, std::string("end_turn"));
    QCOMPARE(ex.usage.input, int64_t(410));
    // Haiku 4.5: 410*1 + 31*5 = 565 micro-USD.
    QVERIFY(ex.costUsd && std::fabs(*ex.costUsd - 0.000565) < 1e-9);
    QCOMPARE(ex.timing.firstTokenNs, uint64_t(6200100000)); // non-streaming: first body byte
}

void TestLlmFixtures::anthropicErrors()
{
    const LlmExchange over = decodeFixture(QStringLiteral("anthropic/stream_overloaded_error"));
    QVERIFY(over.error.has_value());
    QCOMPARE(over.error->type, std::string("overloaded_error"));
    QCOMPARE(over.error->message, std::string("Overloaded"));
    QCOMPARE(over.httpStatus, 200);
    QVERIFY(!over.responseComplete); // no message_stop
    QCOMPARE(over.responseText, std::string("Hel"));

    const LlmExchange limited = decodeFixture(QStringLiteral("anthropic/http_429_rate_limit"));
    QCOMPARE(limited.httpStatus, 429);
    QVERIFY(limited.error.has_value());
    QCOMPARE(limited.error->type, std::string("rate_limit_error"));
    QVERIFY(limited.toolCalls.empty());
    QVERIFY(!limited.costUsd.has_value()); // no usage: unknown, not 0
    QCOMPARE(limited.timing.firstTokenNs, uint64_t(0)); // an error generates no token
}

void TestLlmFixtures::claudeCodeRealRequests()
{
    // Requests as Claude Code 2.1.197 sent them, long prose replaced (see meta.json).
    const LlmExchange turn1 = decodeFixture(QStringLiteral("anthropic/claude_code_turn1_tool_use"));
    QCOMPARE(turn1.path, std::string("/v1/messages?beta=true"));
    QCOMPARE(turn1.model, std::string("claude-opus-4-8"));
    QVERIFY(turn1.streaming);
    QCOMPARE(turn1.tools.size(), std::size_t(24));
    const auto bash = std::find_if(turn1.tools.begin(), turn1.tools.end(), [](const ToolDefinition &t) { return t.name == "Bash"; });
    QVERIFY(bash != turn1.tools.end());
    QVERIFY(bash->schemaJson.find("\"command\"") != std::string::npos);
    // Three system blocks joined; the first is the short identity line.
    QVERIFY(turn1.systemPrompt.find("\n\n") != std::string::npos);
    QCOMPARE(turn1.messages[0].role, std::string("user"));
    QCOMPARE(turn1.messages[0].parts.back().text, std::string("list the files here"));
    // Claude Code also sends a role "system" message inside messages: kept in order.
    QCOMPARE(turn1.messages.back().role, std::string("system"));
    QCOMPARE(turn1.toolCalls.size(), std::size_t(1));
    QCOMPARE(turn1.toolCalls[0].name, std::string("Bash"));
    QCOMPARE(turn1.toolCalls[0].arguments.value(QLatin1String("command")).toString(), QStringLiteral("ls -la"));
    QCOMPARE(turn1.usage.cacheRead, int64_t(14000));
    QVERIFY(!turn1.costUsd.has_value()); // claude-opus-4-8 is newer than the price list

    const LlmExchange turn2 = decodeFixture(QStringLiteral("anthropic/claude_code_turn2_tool_result"));
    QCOMPARE(turn2.toolResults.size(), std::size_t(1));
    const ToolResult &r = turn2.toolResults[0];
    QCOMPARE(r.toolCallId, turn1.toolCalls[0].id);
    QVERIFY(r.latest);
    QVERIFY(!r.isError);
    QVERIFY(r.content.find("a.txt") != std::string::npos);
    QCOMPARE(turn2.responseText, std::string("The directory contains a.txt and b.txt."));
    QCOMPARE(turn2.stopReason, std::string("end_turn"));
}

void TestLlmFixtures::openAiChatStreamToolCalls()
{
    const LlmExchange ex = decodeFixture(QStringLiteral("openai_chat/stream_tool_calls"));
    QCOMPARE(ex.provider, std::string("openai"));
    QCOMPARE(ex.api, Api::OpenAiChatCompletions);
    QVERIFY(ex.streaming);
    QCOMPARE(ex.responseModel, std::string("gpt-4o-2024-08-06"));
    QCOMPARE(ex.systemPrompt, std::string("You are a coding agent. Use tools."));
    QCOMPARE(ex.messages.size(), std::size_t(1)); // the system message is not a chat turn
    QCOMPARE(ex.toolCalls.size(), std::size_t(2));
    QCOMPARE(ex.toolCalls[0].name, std::string("shell"));
    QCOMPARE(ex.toolCalls[0].id, std::string("call_shell_1"));
    const QJsonArray command = ex.toolCalls[0].arguments.value(QLatin1String("command")).toArray();
    QCOMPARE(command.size(), 2);
    QCOMPARE(command.at(0).toString(), QStringLiteral("ls"));
    QCOMPARE(command.at(1).toString(), QStringLiteral("/tmp"));
    QCOMPARE(ex.toolCalls[1].name, std::string("get_date"));
    QVERIFY(ex.toolCalls[1].arguments.isEmpty() && ex.toolCalls[1].argumentsError.empty());
    QCOMPARE(ex.stopReason, std::string("tool_calls"));
    QVERIFY(ex.responseComplete); // [DONE]
    QCOMPARE(ex.usage.input, int64_t(1500));
    QCOMPARE(ex.usage.cacheRead, int64_t(1024));
    QCOMPARE(ex.usage.output, int64_t(40));
    QCOMPARE(ex.usage.cacheWrite, int64_t(-1)); // OpenAI does not report cache writes
    // gpt-4o: (1500-1024)*2.50 + 1024*1.25 + 40*10 = 2870 micro-USD.
    QVERIFY(ex.costUsd && std::fabs(*ex.costUsd - 0.00287) < 1e-9);
    QCOMPARE(ex.timing.firstTokenNs, uint64_t(1300000000 + 1 * 2000000)); // first tool_calls delta
}

void TestLlmFixtures::openAiChatToolResultAndReasoning()
{
    const LlmExchange ex = decodeFixture(QStringLiteral("openai_chat/json_tool_result"));
    QCOMPARE(ex.systemPrompt, std::string("Answer briefly.")); // developer role
    QCOMPARE(ex.toolResults.size(), std::size_t(1));
    QCOMPARE(ex.toolResults[0].toolCallId, std::string("call_uname"));
    QCOMPARE(ex.toolResults[0].content, std::string("6.18.0-1-amd64"));
    QVERIFY(ex.toolResults[0].latest);
    QCOMPARE(ex.responseText, std::string("Linux kernel 6.18.0-1-amd64."));
    QCOMPARE(ex.usage.reasoning, int64_t(256));
    QCOMPARE(ex.usage.cacheRead, int64_t(1920));
    // o4-mini: 180*1.10 + 1920*0.275 + 330*4.40 = 2178 micro-USD.
    QVERIFY(ex.costUsd && std::fabs(*ex.costUsd - 0.002178) < 1e-9);
    // The earlier assistant tool call is part of the conversation sent.
    QCOMPARE(ex.messages[1].parts.back().kind, ContentPart::Kind::ToolUse);
    QCOMPARE(ex.messages[1].parts.back().toolName, std::string("shell"));
}

void TestLlmFixtures::openAiChatError()
{
    const LlmExchange ex = decodeFixture(QStringLiteral("openai_chat/http_401_invalid_key"));
    QCOMPARE(ex.httpStatus, 401);
    QVERIFY(ex.error.has_value());
    QCOMPARE(ex.error->type, std::string("invalid_request_error"));
    QVERIFY(ex.error->message.find("Incorrect API key") == 0);
    QVERIFY(ex.streaming); // asked for a stream, got a JSON error
}

void TestLlmFixtures::openAiCompatibleServers()
{
    const LlmExchange ollama = decodeFixture(QStringLiteral("openai_compatible/ollama_stream_reasoning"));
    QCOMPARE(ollama.provider, std::string("ollama"));
    QCOMPARE(ollama.responseText, std::string("4"));
    QCOMPARE(ollama.thinkingText, std::string("Simple arithmetic."));
    QCOMPARE(ollama.stopReason, std::string("stop"));
    QCOMPARE(ollama.usage.input, int64_t(-1)); // no usage chunk: unknown
    QVERIFY(!ollama.costUsd.has_value());     // local model: unknown, never 0

    // Recognised by body shape on a path no table knows.
    const LlmExchange vllm = decodeFixture(QStringLiteral("openai_compatible/vllm_custom_path_bad_arguments"));
    QCOMPARE(vllm.provider, std::string("openai-compatible"));
    QCOMPARE(vllm.api, Api::OpenAiChatCompletions);
    QCOMPARE(vllm.thinkingText, std::string("I should call read_file."));
    QCOMPARE(vllm.toolCalls.size(), std::size_t(1));
    QCOMPARE(vllm.toolCalls[0].name, std::string("read_file"));
    // Broken arguments: raw kept, error said, nothing invented.
    QCOMPARE(vllm.toolCalls[0].argumentsRaw, std::string("{\"path\": \"/tmp/x"));
    QVERIFY(!vllm.toolCalls[0].argumentsError.empty());
    QVERIFY(vllm.toolCalls[0].arguments.isEmpty());
}

void TestLlmFixtures::openAiResponsesStream()
{
    const LlmExchange ex = decodeFixture(QStringLiteral("openai_responses/stream_function_call"));
    QCOMPARE(ex.api, Api::OpenAiResponses);
    QVERIFY(ex.streaming);
    QVERIFY(ex.systemPrompt.find("You are Codex") == 0);
    QCOMPARE(ex.messages.size(), std::size_t(2));
    QCOMPARE(ex.tools.size(), std::size_t(3));
    QCOMPARE(ex.tools[2].name, std::string("web_search")); // built-in tool named by type
    QCOMPARE(ex.toolCalls.size(), std::size_t(1));
    QCOMPARE(ex.toolCalls[0].name, std::string("exec_command"));
    QCOMPARE(ex.toolCalls[0].id, std::string("call_Jx8D2k"));
    QCOMPARE(ex.toolCalls[0].arguments.value(QLatin1String("cmd")).toString(), QStringLiteral("du -sh /var/log"));
    QCOMPARE(ex.thinkingText, std::string("**Checking disk usage**"));
    QCOMPARE(ex.usage.cacheRead, int64_t(1920));
    QCOMPARE(ex.usage.reasoning, int64_t(32));
    QCOMPARE(ex.stopReason, std::string("completed"));
    QVERIFY(ex.responseComplete);
    // gpt-5-codex priced as gpt-5*: 280*1.25 + 1920*0.125 + 60*10 = 1190 micro-USD.
    QVERIFY(ex.costUsd && std::fabs(*ex.costUsd - 0.00119) < 1e-9);
    QCOMPARE(ex.timing.firstTokenNs, uint64_t(50400000000 + 4 * 3000000)); // first summary delta
}

void TestLlmFixtures::openAiResponsesFunctionOutput()
{
    const LlmExchange ex = decodeFixture(QStringLiteral("openai_responses/json_function_output"));
    QCOMPARE(ex.toolResults.size(), std::size_t(1));
    QCOMPARE(ex.toolResults[0].toolCallId, std::string("call_Jx8D2k"));
    QVERIFY(ex.toolResults[0].content.find("14M\t/var/log") != std::string::npos);
    QVERIFY(ex.toolResults[0].latest);
    QCOMPARE(ex.responseText, std::string("/var/log uses 14M."));
    QCOMPARE(ex.responseModel, std::string("gpt-5-mini-2025-08-07"));
    // gpt-5-mini: 352*0.25 + 2048*0.025 + 90*2 = 319.2 micro-USD.
    QVERIFY(ex.costUsd && std::fabs(*ex.costUsd - 0.0003192) < 1e-9);
}

void TestLlmFixtures::openAiResponsesFailed()
{
    const LlmExchange ex = decodeFixture(QStringLiteral("openai_responses/stream_failed"));
    QVERIFY(ex.error.has_value());
    QCOMPARE(ex.error->type, std::string("server_error"));
    QCOMPARE(ex.stopReason, std::string("failed"));
    QCOMPARE(ex.messages.size(), std::size_t(1)); // input given as a plain string
    QCOMPARE(ex.messages[0].parts[0].text, std::string("Write a haiku."));
}

void TestLlmFixtures::codexRealRequests()
{
    // Requests as the real Codex CLI 0.169.0 sent them (see the fixtures' meta.json).
    const LlmExchange turn1 = decodeFixture(QStringLiteral("openai_responses/codex_turn1_function_call"));
    QCOMPARE(turn1.api, Api::OpenAiResponses);
    QVERIFY(turn1.streaming);
    // Codex sends no "instructions": its prompt is in developer-role input items.
    QVERIFY(turn1.systemPrompt.find("You are a coding agent running in the Codex CLI") == 0);
    QCOMPARE(turn1.messages.back().parts[0].text, std::string("list the files here"));
    QCOMPARE(turn1.tools.size(), std::size_t(9));
    QCOMPARE(turn1.tools[0].name, std::string("exec_command"));
    QCOMPARE(turn1.toolCalls.size(), std::size_t(1));
    QCOMPARE(turn1.toolCalls[0].name, std::string("exec_command"));
    QCOMPARE(turn1.toolCalls[0].arguments.value(QLatin1String("cmd")).toString(), QStringLiteral("ls -la"));

    // The follow-up carries the call and its output: asked -> reported back.
    const LlmExchange turn2 = decodeFixture(QStringLiteral("openai_responses/codex_turn2_function_output"));
    QCOMPARE(turn2.toolResults.size(), std::size_t(1));
    const ToolResult &r = turn2.toolResults[0];
    QCOMPARE(r.toolCallId, turn1.toolCalls[0].id);
    QVERIFY(r.latest);
    QVERIFY(r.content.find("Process exited with code 0") != std::string::npos);
    QVERIFY(r.content.find("a.txt") != std::string::npos);
    QCOMPARE(turn2.responseText, std::string("The directory contains a.txt and b.txt."));
    QCOMPARE(turn2.usage.cacheRead, int64_t(6144));
    // gpt-5-codex as gpt-5*: 256*1.25 + 6144*0.125 + 12*10 = 1208 micro-USD.
    QVERIFY(turn2.costUsd && std::fabs(*turn2.costUsd - 0.001208) < 1e-9);
}

void TestLlmFixtures::geminiStreamFunctionCall()
{
    const LlmExchange ex = decodeFixture(QStringLiteral("gemini/stream_function_call"));
    QCOMPARE(ex.provider, std::string("google"));
    QCOMPARE(ex.api, Api::GeminiGenerateContent);
    QCOMPARE(ex.model, std::string("gemini-2.5-pro")); // from the URL path
    QVERIFY(ex.streaming);
    QCOMPARE(ex.toolCalls.size(), std::size_t(1));
    QCOMPARE(ex.toolCalls[0].name, std::string("run_shell_command"));
    QCOMPARE(ex.toolCalls[0].arguments.value(QLatin1String("command")).toString(), QStringLiteral("ls -la"));
    QVERIFY(ex.thinkingText.find("**Listing the directory**") == 0);
    QVERIFY(ex.responseText.empty());
    QCOMPARE(ex.usage.input, int64_t(9000));
    QCOMPARE(ex.usage.cacheRead, int64_t(8000));
    QCOMPARE(ex.usage.output, int64_t(160)); // 40 candidates + 120 thoughts
    QCOMPARE(ex.usage.reasoning, int64_t(120));
    QCOMPARE(ex.stopReason, std::string("STOP"));
    // 1000*1.25 + 8000*0.125 + 160*10 = 3850 micro-USD.
    QVERIFY(ex.costUsd && std::fabs(*ex.costUsd - 0.00385) < 1e-9);
    QCOMPARE(ex.tools.size(), std::size_t(2));
    QVERIFY(ex.tools[0].schemaJson.find("\"command\"") != std::string::npos); // parametersJsonSchema
    QCOMPARE(ex.timing.firstTokenNs, uint64_t(21000000000));
}

void TestLlmFixtures::geminiFunctionResponse()
{
    const LlmExchange ex = decodeFixture(QStringLiteral("gemini/json_function_response"));
    QCOMPARE(ex.model, std::string("gemini-2.5-flash"));
    QVERIFY(!ex.streaming);
    QCOMPARE(ex.systemPrompt, std::string("You are a CLI agent.\n\nBe concise.")); // snake_case spelling
    QCOMPARE(ex.toolResults.size(), std::size_t(1));
    QCOMPARE(ex.toolResults[0].toolName, std::string("run_shell_command"));
    QCOMPARE(ex.toolResults[0].toolCallId, std::string("fc-1"));
    QVERIFY(ex.toolResults[0].content.find("Stdout: a.txt b.txt") != std::string::npos);
    QVERIFY(ex.toolResults[0].latest);
    QCOMPARE(ex.responseText, std::string("There are two files: a.txt and b.txt."));
    QCOMPARE(ex.usage.output, int64_t(62));
    QCOMPARE(ex.tools.size(), std::size_t(1));
}

void TestLlmFixtures::geminiError()
{
    const LlmExchange ex = decodeFixture(QStringLiteral("gemini/http_429_quota"));
    QCOMPARE(ex.httpStatus, 429);
    QVERIFY(ex.error.has_value());
    QCOMPARE(ex.error->type, std::string("RESOURCE_EXHAUSTED"));
    QVERIFY(ex.error->message.find("exhausted") != std::string::npos);
}

void TestLlmFixtures::geminiCliRealRequests()
{
    // Requests as the real Gemini CLI 0.61.0 sent them (see the fixtures' meta.json).
    const LlmExchange router = decodeFixture(QStringLiteral("gemini/cli_router_json"));
    QCOMPARE(router.model, std::string("gemini-3.5-flash-lite"));
    QVERIFY(!router.streaming);
    QVERIFY(router.systemPrompt.find("Task Routing AI") != std::string::npos);
    QVERIFY(!router.costUsd.has_value()); // a model newer than the price list: unknown, not 0

    const LlmExchange turn1 = decodeFixture(QStringLiteral("gemini/cli_turn1_function_call"));
    QVERIFY(turn1.streaming);
    QVERIFY(turn1.systemPrompt.find("You are Gemini CLI") == 0);
    QCOMPARE(turn1.tools.size(), std::size_t(15));
    bool offersShell = false;
    for (const ToolDefinition &t : turn1.tools)
        offersShell |= t.name == "run_shell_command" && t.schemaJson.find("\"command\"") != std::string::npos;
    QVERIFY(offersShell);
    QCOMPARE(turn1.toolCalls.size(), std::size_t(1));
    QCOMPARE(turn1.toolCalls[0].name, std::string("run_shell_command"));
    QCOMPARE(turn1.toolCalls[0].arguments.value(QLatin1String("command")).toString(), QStringLiteral("ls -la"));

    // The next request reports the command's output back, linked by name and
    // by the id the CLI gave the call.
    const LlmExchange turn2 = decodeFixture(QStringLiteral("gemini/cli_turn2_function_response"));
    QCOMPARE(turn2.toolResults.size(), std::size_t(1));
    const ToolResult &r = turn2.toolResults[0];
    QCOMPARE(r.toolName, turn1.toolCalls[0].name);
    QVERIFY(r.latest);
    QVERIFY(!r.isError);
    QVERIFY(r.content.find("a.txt") != std::string::npos && r.content.find("b.txt") != std::string::npos);
    const ContentPart &asked = turn2.messages[1].parts[0];
    QCOMPARE(asked.kind, ContentPart::Kind::ToolUse);
    QCOMPARE(asked.toolCallId, r.toolCallId);
    QCOMPARE(turn2.responseText, std::string("The directory contains a.txt and b.txt."));
}

QTEST_GUILESS_MAIN(TestLlmFixtures)
#include "tst_llm_fixtures.moc"
