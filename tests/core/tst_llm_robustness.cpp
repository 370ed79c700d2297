// SPDX-License-Identifier: GPL-2.0-or-later
// Captured bodies are untrusted: what is not an LLM call stays plain HTTP,
// broken bodies give a decode error instead of invented values, caps hold and
// every cut is counted, and mutated fixtures never crash or grow unbounded.
#include <random>

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

#include "llm/llm_decoder.h"
#include "tst_llm_fixture.h"

using namespace agentsight;
using namespace agentsight::llm;

namespace {

decode::HttpExchange post(const std::string &host, const std::string &target, const std::string &body)
{
    decode::HttpExchange ex;
    ex.request.method = "POST";
    ex.request.authority = host;
    ex.request.target = target;
    ex.request.body = body;
    ex.request.decodedBodyBytes = body.size();
    return ex;
}

void respondSse(decode::HttpExchange &ex, const std::vector<std::string> &datas)
{
    decode::HttpMessage resp;
    resp.status = 200;
    resp.headers.push_back({"content-type", "text/event-stream"});
    uint64_t t = 1000;
    for (const std::string &d : datas)
        resp.sse.push_back({"message", d, {}, t++});
    ex.response = std::move(resp);
    ex.complete = true;
}

void respondJson(decode::HttpExchange &ex, int status, const std::string &body)
{
    decode::HttpMessage resp;
    resp.status = status;
    resp.headers.push_back({"content-type", "application/json"});
    resp.body = body;
    ex.response = std::move(resp);
    ex.complete = true;
}

bool validUtf8(const std::string &s)
{
    return QString::fromUtf8(s.data(), qsizetype(s.size())).toUtf8() == QByteArray(s.data(), qsizetype(s.size()));
}

std::string anthropicText(const std::string &text)
{
    QJsonObject o{{QLatin1String("type"), QLatin1String("content_block_delta")},
                  {QLatin1String("index"), 0},
                  {QLatin1String("delta"), QJsonObject{{QLatin1String("type"), QLatin1String("text_delta")},
                                                       {QLatin1String("text"), QString::fromStdString(text)}}}};
    return QJsonDocument(o).toJson(QJsonDocument::Compact).toStdString();
}

std::size_t keptBytes(const LlmExchange &ex)
{
    std::size_t n = ex.systemPrompt.size() + ex.responseText.size() + ex.thinkingText.size();
    for (const Message &m : ex.messages)
        for (const ContentPart &p : m.parts)
            n += p.text.size() + p.argumentsJson.size() + p.toolName.size() + p.toolCallId.size();
    for (const ToolDefinition &t : ex.tools)
        n += t.name.size() + t.description.size() + t.schemaJson.size();
    for (const ToolResult &r : ex.toolResults)
        n += r.content.size();
    for (const ToolCall &c : ex.toolCalls)
        n += c.argumentsRaw.size();
    return n;
}

} // namespace

class TestLlmRobustness : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void notAnLlmCall_data();
    void notAnLlmCall();
    void invalidJsonGivesDecodeError();
    void truncatedCaptureIsSaid();
    void wrongTypesInventNothing();
    void deepNestingIsRefused();
    void requestCapsAreCountedAndUtf8Safe();
    void streamCapsCountOncePerField();
    void badStreamEventsAreCounted();
    void mutatedFixturesStayBounded();
};

void TestLlmRobustness::notAnLlmCall_data()
{
    QTest::addColumn<QString>("method");
    QTest::addColumn<QString>("target");
    QTest::addColumn<QString>("body");
    QTest::newRow("GET on an LLM path") << "GET" << "/v1/messages" << "";
    QTest::newRow("HEAD connectivity check") << "HEAD" << "/" << "";
    QTest::newRow("other JSON API") << "POST" << "/api/v2/upload" << R"({"file":"a","size":3})";
    QTest::newRow("form post") << "POST" << "/login" << "user=a&pass=b";
    QTest::newRow("messages not an array") << "POST" << "/x" << R"({"model":"m","messages":"hi"})";
    QTest::newRow("messages without roles") << "POST" << "/x" << R"({"model":"m","messages":[1,2]})";
    QTest::newRow("empty body") << "POST" << "/x" << "";
    // Same body shapes as generation, but nothing is generated.
    QTest::newRow("anthropic count_tokens") << "POST" << "/v1/messages/count_tokens?beta=true"
                                            << R"({"model":"claude-sonnet-4-5","system":"s","messages":[{"role":"user","content":"hi"}]})";
    QTest::newRow("gemini countTokens") << "POST" << "/v1beta/models/gemini-2.5-pro:countTokens"
                                        << R"({"contents":[{"role":"user","parts":[{"text":"hi"}]}]})";
    QTest::newRow("openai embeddings") << "POST" << "/v1/embeddings" << R"({"model":"text-embedding-3-small","input":["a","b"]})";
    QTest::newRow("embeddings body elsewhere") << "POST" << "/embed" << R"({"model":"text-embedding-3-small","input":["a","b"]})";
    QTest::newRow("anthropic batches") << "POST" << "/v1/messages/batches" << R"({"requests":[]})";
}

void TestLlmRobustness::notAnLlmCall()
{
    QFETCH(QString, method);
    QFETCH(QString, target);
    QFETCH(QString, body);
    decode::HttpExchange ex = post("example.com", target.toStdString(), body.toStdString());
    ex.request.method = method.toStdString();
    LlmDecoder decoder;
    QVERIFY(!decoder.decode(ex).has_value());
    QVERIFY(!decoder.classify(ex).has_value());
}

void TestLlmRobustness::invalidJsonGivesDecodeError()
{
    decode::HttpExchange ex = post("api.anthropic.com", "/v1/messages", R"({"model": "claude-x", "messages": [)");
    respondJson(ex, 200, "{\"id\": 12, broken");
    LlmDecoder decoder;
    const auto out = decoder.decode(ex);
    QVERIFY(out.has_value()); // the path says Anthropic: an LLM call we could not read
    QCOMPARE(out->api, Api::AnthropicMessages);
    QVERIFY2(out->decodeError.find("invalid JSON") != std::string::npos, out->decodeError.c_str());
    QVERIFY(out->model.empty());
    QCOMPARE(out->usage.input, int64_t(-1));
    QVERIFY(!out->costUsd.has_value());
}

void TestLlmRobustness::truncatedCaptureIsSaid()
{
    decode::HttpExchange ex = post("api.openai.com", "/v1/chat/completions", R"({"model":"gpt-4o","messages":[{"role":"us)");
    ex.request.bodyTruncated = true;
    ex.request.decodedBodyBytes = 5000000;
    respondJson(ex, 200, R"({"choices":[{"index":0,"message":{"role":"assistant","content":"ok"},"finish_reason":"stop"}]})");
    ex.response->bodyTruncated = true;
    ex.response->decodedBodyBytes = 900000;
    LlmDecoder decoder;
    const auto out = decoder.decode(ex);
    QVERIFY(out.has_value());
    QVERIFY2(out->decodeError.find("truncated by capture") != std::string::npos, out->decodeError.c_str());
    QVERIFY2(out->decodeError.find("5000000") != std::string::npos, out->decodeError.c_str());
    QCOMPARE(out->responseText, std::string("ok"));
    QVERIFY(!out->responseComplete); // the response body was cut too
    bool warned = false;
    for (const std::string &w : out->warnings)
        warned |= w.find("response body truncated") != std::string::npos;
    QVERIFY(warned);
}

void TestLlmRobustness::wrongTypesInventNothing()
{
    // Every field with the wrong type: nothing may come out as a made-up value.
    decode::HttpExchange ex = post("api.anthropic.com", "/v1/messages",
        R"({"model":5,"system":{"a":1},"stream":"yes","messages":{"role":"user"},"tools":"Bash"})");
    respondJson(ex, 200, R"({"type":"message","model":["x"],"content":"hi","stop_reason":7,)"
                         R"("usage":{"input_tokens":"12","output_tokens":-3,"cache_read_input_tokens":1e300}})");
    LlmDecoder decoder;
    const auto out = decoder.decode(ex);
    QVERIFY(out.has_value());
    QVERIFY(out->decodeError.empty());
    QVERIFY(out->model.empty());
    QVERIFY(!out->streaming);
    QVERIFY(out->messages.empty());
    QVERIFY(out->tools.empty());
    QVERIFY(out->responseText.empty());
    QCOMPARE(out->usage.input, int64_t(-1));
    QCOMPARE(out->usage.output, int64_t(-1));
    QCOMPARE(out->usage.cacheRead, int64_t(-1));
}

void TestLlmRobustness::deepNestingIsRefused()
{
    LlmDecoder decoder;
    // Far beyond Qt's parser depth limit: a decode error, not a stack overflow.
    std::string deep = R"({"model":"m","messages":[{"role":"user","content":)";
    deep += std::string(200000, '[');
    decode::HttpExchange ex = post("api.openai.com", "/v1/chat/completions", deep);
    auto out = decoder.decode(ex);
    QVERIFY(out.has_value());
    QVERIFY(!out->decodeError.empty());

    // Deep but parseable tool schema: kept (capped), no crash.
    std::string schema;
    for (int i = 0; i < 500; ++i)
        schema += R"({"a":)";
    schema += "1";
    schema += std::string(500, '}');
    ex = post("api.anthropic.com", "/v1/messages",
              R"({"model":"m","messages":[],"tools":[{"name":"t","input_schema":)" + schema + "}]}");
    out = decoder.decode(ex);
    QVERIFY(out.has_value());
    QCOMPARE(out->tools.size(), std::size_t(1));
    QVERIFY(out->tools[0].schemaJson.size() > 2000);
}

void TestLlmRobustness::requestCapsAreCountedAndUtf8Safe()
{
    LlmLimits limits;
    limits.maxMessages = 10;
    limits.maxFieldBytes = 101; // odd, so a 2-byte character must straddle the cut
    limits.maxTools = 3;
    QJsonArray messages;
    for (int i = 0; i < 50; ++i)
        messages.append(QJsonObject{{QLatin1String("role"), i % 2 ? QLatin1String("assistant") : QLatin1String("user")},
                                    {QLatin1String("content"), QStringLiteral("message %1 ").arg(i) + QString(300, QChar(0xE9))}});
    QJsonArray tools;
    for (int i = 0; i < 20; ++i)
        tools.append(QJsonObject{{QLatin1String("name"), QStringLiteral("tool%1").arg(i)}});
    const QJsonObject body{{QLatin1String("model"), QLatin1String("claude-x")},
                           {QLatin1String("messages"), messages},
                           {QLatin1String("tools"), tools}};
    decode::HttpExchange ex = post("api.anthropic.com", "/v1/messages", QJsonDocument(body).toJson().toStdString());
    LlmDecoder decoder(nullptr, limits);
    const auto out = decoder.decode(ex);
    QVERIFY(out.has_value());
    QCOMPARE(out->messages.size(), std::size_t(10));
    // The newest messages are the ones kept: the conversation's tail matters.
    QVERIFY(out->messages.back().parts[0].text.find("message 49 ") == 0);
    QCOMPARE(out->tools.size(), std::size_t(3));
    QCOMPARE(out->droppedItems, uint32_t(40 + 17));
    QCOMPARE(out->truncatedFields, uint32_t(10));
    for (const Message &m : out->messages) {
        QVERIFY(m.parts[0].text.size() <= limits.maxFieldBytes);
        QVERIFY2(validUtf8(m.parts[0].text), "cut inside a UTF-8 sequence");
    }
    QVERIFY(!out->warnings.empty());
}

void TestLlmRobustness::streamCapsCountOncePerField()
{
    LlmLimits limits;
    limits.maxFieldBytes = 1000;
    decode::HttpExchange ex = post("api.anthropic.com", "/v1/messages", R"({"model":"claude-x","stream":true,"messages":[]})");
    std::vector<std::string> events;
    events.push_back(R"({"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}})");
    for (int i = 0; i < 500; ++i)
        events.push_back(anthropicText("0123456789"));
    events.push_back(R"({"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"t1","name":"Bash","input":{}}})");
    events.push_back(R"({"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{\"command\": \")"
                     + std::string(2000, 'x') + R"(\"}"}})");
    events.push_back(R"({"type":"message_stop"})");
    respondSse(ex, events);
    LlmDecoder decoder(nullptr, limits);
    const auto out = decoder.decode(ex);
    QVERIFY(out.has_value());
    QCOMPARE(out->responseText.size(), std::size_t(1000));
    QCOMPARE(out->truncatedFields, uint32_t(2)); // the text once (not 400 times) + the arguments
    QCOMPARE(out->toolCalls.size(), std::size_t(1));
    QVERIFY2(out->toolCalls[0].argumentsError.find("truncated") != std::string::npos, out->toolCalls[0].argumentsError.c_str());
    QCOMPARE(out->toolCalls[0].argumentsRaw.size(), std::size_t(1000));
    QVERIFY(out->responseComplete);
}

void TestLlmRobustness::badStreamEventsAreCounted()
{
    decode::HttpExchange ex = post("api.openai.com", "/v1/chat/completions", R"({"model":"gpt-4o","stream":true,"messages":[{"role":"user","content":"x"}]})");
    respondSse(ex, {
        "not json",
        "[1,2,3]",
        R"({"choices":"nope"})",
        R"({"choices":[{"index":0,"delta":{"content":"Hello"}}]})",
        R"({"choices":[{"index":0,"delta":{"tool_calls":[{"index":"zero","function":{"arguments":5}}]}}]})",
        R"({"choices":[{"index":1,"delta":{"content":"second choice"}}]})",
        R"({"choices":[{"index":0,"delta":{"content":" world"},"finish_reason":"stop"}]})",
        "[DONE]",
    });
    LlmDecoder decoder;
    const auto out = decoder.decode(ex);
    QVERIFY(out.has_value());
    QCOMPARE(out->responseText, std::string("Hello world"));
    // "not json", "[1,2,3]", the n>1 choice and the empty tool-call fragment
    // were dropped, and said so; no nameless tool call was made up.
    QCOMPARE(out->droppedItems, uint32_t(4));
    QVERIFY(out->toolCalls.empty());
    QVERIFY(out->warnings.size() >= 2);
    QCOMPARE(out->stopReason, std::string("stop"));
    QCOMPARE(out->timing.firstTokenNs, uint64_t(1003));
}

void TestLlmRobustness::mutatedFixturesStayBounded()
{
    LlmLimits limits;
    limits.maxFieldBytes = 4096;
    limits.maxTotalTextBytes = 64 * 1024;
    LlmDecoder decoder(nullptr, limits);
    std::mt19937 rng(20261124); // fixed seed: failures reproduce
    const QStringList dirs = test::fixtureDirs(QStringLiteral(AGENTSIGHT_TEST_DATA "/llm"));
    QVERIFY(!dirs.isEmpty());
    auto mutate = [&](std::string &s) {
        if (s.empty())
            return;
        switch (rng() % 4) {
        case 0: s.resize(rng() % s.size()); break;                      // cut anywhere
        case 1: for (int i = 0; i < 4; ++i) s[rng() % s.size()] = char(rng()); break; // flip bytes
        case 2: s.insert(rng() % s.size(), s.substr(0, rng() % s.size())); break;    // splice
        case 3: { const auto p = s.find_first_of("0123456789"); if (p != std::string::npos) s.replace(p, 1, "\"7\""); break; }
        }
    };
    int decoded = 0;
    for (const QString &dir : dirs) {
        const decode::HttpExchange base = test::loadExchange(dir);
        for (int round = 0; round < 150; ++round) {
            decode::HttpExchange ex = base;
            mutate(ex.request.body);
            if (ex.response->sse.empty())
                mutate(ex.response->body);
            for (decode::SseEvent &e : ex.response->sse)
                if (rng() % 3 == 0)
                    mutate(e.data);
            if (const auto out = decoder.decode(ex)) {
                ++decoded;
                QVERIFY(keptBytes(*out) <= limits.maxTotalTextBytes + 64 * 1024 /* ids, names */);
                QVERIFY(out->responseText.size() <= limits.maxFieldBytes);
                QVERIFY(out->warnings.size() <= limits.maxWarnings + 1);
                (void)out->toJson();
            }
        }
    }
    QVERIFY(decoded > 100); // the path still identifies most mutated calls
}

QTEST_GUILESS_MAIN(TestLlmRobustness)
#include "tst_llm_robustness.moc"
