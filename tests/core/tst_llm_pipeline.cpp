// SPDX-License-Identifier: GPL-2.0-or-later
// End to end over the real decoders: each fixture is turned into the TLS
// plaintext an agent would write and read (HTTP/1.1 request, chunked
// response, one read per SSE event at its ktime), fed through
// decode::TlsDecoder, and the HttpExchange it produces is decoded by
// LlmDecoder. The result must equal the fixture's golden file: the LLM layer
// gets the same answer from real HTTP bytes as from the hand-built exchange.
#include <QJsonDocument>
#include <QTest>

#include <array>
#include <random>

#include "decode/http_sink.h"
#include "decode/tls_decoder.h"
#include "llm/llm_decoder.h"
#include "llm/price_table.h"
#include "tst_llm_fixture.h"

using namespace agentsight;
using namespace agentsight::llm;

namespace {

class CollectingSink : public decode::HttpSink
{
public:
    void exchangeUpdated(const decode::HttpExchange &exchange, bool complete) override
    {
        if (complete)
            done.push_back(exchange);
    }
    void connectionNote(const decode::ConnKey &, const std::string &note) override { notes.push_back(note); }

    std::vector<decode::HttpExchange> done;
    std::vector<std::string> notes;
};

struct Segment {
    bool fromClient;
    uint64_t ktime;
    std::string bytes;
};

struct Feeder {
    decode::TlsDecoder &decoder;
    decode::ConnKey conn{4242, 0x7f00dead0000};
    uint64_t callId = 1;
    std::vector<Segment> *record = nullptr;

    void send(bool fromClient, uint64_t ktime, const std::string &bytes)
    {
        if (record)
            record->push_back({fromClient, ktime, bytes});
        decode::TlsChunk c;
        c.conn = conn;
        c.fd = 7;
        c.fromClient = fromClient;
        c.ktimeNs = ktime;
        c.callId = callId++;
        c.offset = 0;
        c.totalLen = uint32_t(bytes.size());
        c.data = bytes;
        decoder.feed(c);
    }
};

std::string hex(std::size_t n)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%zx", n);
    return buf;
}

} // namespace

class TestLlmPipeline : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void throughHttpDecoder_data();
    void throughHttpDecoder();
    void randomChunkBoundaries_data() { throughHttpDecoder_data(); }
    void randomChunkBoundaries();

private:
    std::vector<Segment> m_segments; ///< what throughHttpDecoder fed, for the property test
};

void TestLlmPipeline::throughHttpDecoder_data()
{
    QTest::addColumn<QString>("dir");
    const QString root = QStringLiteral(AGENTSIGHT_TEST_DATA "/llm");
    for (const QString &d : test::fixtureDirs(root))
        QTest::newRow(qPrintable(QDir(root).relativeFilePath(d))) << d;
}

void TestLlmPipeline::throughHttpDecoder()
{
    QFETCH(QString, dir);
    QJsonObject meta;
    const decode::HttpExchange fixture = test::loadExchange(dir, &meta);
    const decode::HttpMessage &req = fixture.request;
    const decode::HttpMessage &resp = *fixture.response;

    CollectingSink sink;
    decode::TlsDecoder tls(sink);
    Feeder f{tls};
    m_segments.clear();
    f.record = &m_segments;
    f.send(true, req.startNs,
           "POST " + req.target + " HTTP/1.1\r\nHost: " + req.authority
               + "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(req.body.size())
               + "\r\n\r\n" + req.body);
    f.send(false, resp.startNs,
           "HTTP/1.1 " + std::to_string(resp.status) + " X\r\nContent-Type: " + *resp.header("content-type")
               + "\r\nTransfer-Encoding: chunked\r\n\r\n");
    bool sse = false;
    const std::string sseText = test::readAll(dir + QStringLiteral("/response.sse"), &sse);
    if (sse) {
        // One read per event, stamped like the fixture's events.
        const uint64_t step = test::metaNs(meta, "event_step_ns");
        std::size_t pos = 0;
        for (uint64_t i = 0; pos < sseText.size(); ++i) {
            std::size_t end = sseText.find("\n\n", pos);
            end = end == std::string::npos ? sseText.size() : end + 2;
            const std::string block = sseText.substr(pos, end - pos);
            f.send(false, resp.firstBodyNs + i * step, hex(block.size()) + "\r\n" + block + "\r\n");
            pos = end;
        }
    } else {
        f.send(false, resp.firstBodyNs, hex(resp.body.size()) + "\r\n" + resp.body + "\r\n");
    }
    f.send(false, resp.endNs, "0\r\n\r\n");
    tls.finish();

    QVERIFY2(sink.done.size() == 1, qPrintable(QStringLiteral("HTTP decoder produced %1 exchanges").arg(sink.done.size())));
    const decode::HttpExchange &http = sink.done.front();
    QCOMPARE(http.response->status, resp.status);

    PriceTable prices;
    QString err;
    QVERIFY2(prices.loadFile(PriceTable::builtInPath(), &err), qPrintable(err));
    LlmDecoder decoder(&prices);
    const auto ex = decoder.decode(http);
    QVERIFY2(ex.has_value(), "not recognised as an LLM call after HTTP decoding");

    QFile g(dir + QStringLiteral("/expected.json"));
    QVERIFY(g.open(QIODevice::ReadOnly));
    QJsonObject expected = QJsonDocument::fromJson(g.readAll()).object();
    QJsonObject actual = ex->toJson();
    // The HTTP decoder stamps request end / first byte with its own rules
    // (tested in the decode room); the LLM-level times must match exactly.
    for (QJsonObject *o : {&expected, &actual}) {
        QJsonObject t = o->value(QLatin1String("timing")).toObject();
        t.remove(QLatin1String("request_end_ns"));
        t.remove(QLatin1String("first_byte_ns"));
        t.remove(QLatin1String("end_ns"));
        if (!sse)
            t.remove(QLatin1String("first_token_ns")); // = first body byte, decoder-defined
        o->insert(QLatin1String("timing"), t);
    }
    QStringList diffs;
    test::diffJson(expected, actual, QStringLiteral("$"), diffs);
    QVERIFY2(diffs.isEmpty(), qPrintable(QStringLiteral("\n  ") + diffs.join(QStringLiteral("\n  "))));
}

// The same bytes cut at random boundaries (1 byte upwards; each piece its own
// TLS call, stamped like the segment it came from) must decode to exactly the
// same LLM exchange: where the kernel happened to split reads never changes
// what the user sees.
void TestLlmPipeline::randomChunkBoundaries()
{
    QFETCH(QString, dir);
    throughHttpDecoder(); // fills m_segments with the one-shot feed
    if (QTest::currentTestFailed())
        return;
    PriceTable prices;
    QString err;
    QVERIFY2(prices.loadFile(PriceTable::builtInPath(), &err), qPrintable(err));
    LlmDecoder decoder(&prices);
    auto decodeWith = [&](uint32_t seed) -> QJsonObject {
        CollectingSink sink;
        decode::TlsDecoder tls(sink);
        Feeder f{tls};
        std::mt19937 rng(seed);
        // seed 0: every segment in one call (the reference); others: random cuts.
        const size_t maxPiece = seed == 0 ? SIZE_MAX - 1 : std::array<size_t, 5>{1, 3, 17, 256, 5000}[seed % 5];
        for (const Segment &s : m_segments) {
            size_t pos = 0;
            do {
                size_t n = std::min(s.bytes.size() - pos, maxPiece == SIZE_MAX - 1 ? s.bytes.size() : 1 + rng() % maxPiece);
                f.send(s.fromClient, s.ktime, s.bytes.substr(pos, n));
                pos += n;
            } while (pos < s.bytes.size());
        }
        tls.finish();
        if (sink.done.size() != 1)
            return QJsonObject{{QStringLiteral("__feed_error"), QStringLiteral("exchanges: %1").arg(sink.done.size())}};
        auto ex = decoder.decode(sink.done.front());
        return ex ? ex->toJson() : QJsonObject{{QStringLiteral("__feed_error"), QStringLiteral("not an LLM call")}};
    };
    const QJsonObject whole = decodeWith(0);
    QVERIFY2(!whole.contains(QStringLiteral("__feed_error")), "the unsplit feed decodes");
    for (uint32_t seed = 1; seed <= 25; ++seed) {
        QStringList diffs;
        test::diffJson(whole, decodeWith(seed), QStringLiteral("$"), diffs);
        QVERIFY2(diffs.isEmpty(), qPrintable(QStringLiteral("seed %1:\n  ").arg(seed) + diffs.join(QStringLiteral("\n  "))));
    }
}

QTEST_GUILESS_MAIN(TestLlmPipeline)
#include "tst_llm_pipeline.moc"
