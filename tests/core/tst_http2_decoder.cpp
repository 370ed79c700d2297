// SPDX-License-Identifier: GPL-2.0-or-later
// HTTP/2 through TlsDecoder on frames produced by node's http2 module
// (nghttp2) talking to itself over h2c: tests/data/http/gen_http2.js.
#include "decode_test_support.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <set>

using namespace agentsight::decode;
using namespace agentsight::decode::test;

class TstHttp2Decoder : public QObject {
    Q_OBJECT

    struct Run {
        CollectingSink sink;
        DecodeStats stats;
    };
    static std::unique_ptr<Run> decode(const char *fixture, DecodeLimits limits = {})
    {
        auto r = std::make_unique<Run>();
        const auto recs = readWire(fixture);
        if (recs.empty())
            qFatal("fixture %s missing or unreadable", fixture);
        TlsDecoder dec(r->sink, limits);
        feedRecords(dec, recs);
        dec.finish();
        r->stats = dec.stats();
        return r;
    }

private slots:
    void interleavedStreams()
    {
        auto r = decode("h2_interleaved.wire");
        const auto &s = r->sink;
        QCOMPARE(s.done.size(), size_t(8));
        QCOMPARE(r->stats.h2Desync, uint64_t(0));
        std::set<uint32_t> ids;
        for (const auto &e : s.done) {
            QCOMPARE(e.request.version, std::string("HTTP/2"));
            QCOMPARE(e.request.scheme, std::string("http"));
            QCOMPARE(e.request.authority.rfind("127.0.0.1:", 0), size_t(0));
            QVERIFY(e.streamId % 2 == 1);
            ids.insert(e.streamId);
            QVERIFY(e.request.header("user-agent"));
            QCOMPARE(*e.request.header("user-agent"), std::string("fixture/1"));
        }
        QCOMPARE(ids.size(), size_t(8));

        const HttpExchange *sse = s.byTarget("/v1/messages");
        QVERIFY(sse && sse->response);
        QCOMPARE(sse->request.method, std::string("POST"));
        QCOMPARE(sse->request.body, std::string("{\"stream\":true}"));
        const QList<QByteArray> lines = QByteArray::fromStdString(readFile(dataPath("h2_sse_events.jsonl"))).trimmed().split('\n');
        QCOMPARE(sse->response->sse.size(), size_t(lines.size()));
        for (int i = 0; i < lines.size(); ++i) {
            const QJsonObject o = QJsonDocument::fromJson(lines[i]).object();
            QCOMPARE(QString::fromStdString(sse->response->sse[i].data), o.value("data").toString());
            QCOMPARE(QString::fromStdString(sse->response->sse[i].event), o.value("event").toString());
        }
        QVERIFY(sse->response->sse.front().ktimeNs < sse->response->sse.back().ktimeNs);

        const HttpExchange *slow = s.byTarget("/slow");
        QVERIFY(slow && slow->response);
        std::string expectSlow;
        for (int i = 0; i < 10; ++i)
            expectSlow += "slow piece " + std::to_string(i) + "\n";
        QCOMPARE(slow->response->body, expectSlow);

        const HttpExchange *gz = s.byTarget("/gzip"); // Content-Encoding on DATA frames
        QVERIFY(gz && gz->response);
        QVERIFY2(gz->response->decodeError.empty(), gz->response->decodeError.c_str());
        QVERIFY(gz->response->body == readFile(dataPath("h2_text.plain")));
        QVERIFY(gz->response->wireBodyBytes < gz->response->decodedBodyBytes / 3);

        const HttpExchange *up = s.byTarget("/upload");
        QVERIFY(up && up->response);
        QCOMPARE(up->request.body, std::string(100000, 'u'));
        QCOMPARE(up->response->status, 201);
        QCOMPARE(up->response->body, std::string("got 100000"));

        const HttpExchange *json = s.byTarget("/json");
        QCOMPARE(json->response->body, std::string("{\"hello\":\"world\",\"n\":42}"));
        QVERIFY(json->error.empty());

        const HttpExchange *reset = s.byTarget("/reset");
        QVERIFY(reset && reset->response);
        QCOMPARE(reset->response->body, std::string("partial"));
        // node ends the stream (END_STREAM) before its RST_STREAM: a normal end.
        QVERIFY(reset->error.empty());
        const HttpExchange *cancelled = s.byTarget("/endless");
        QVERIFY(cancelled && cancelled->response);
        QCOMPARE(cancelled->error, std::string("stream reset by client: CANCEL"));
        QVERIFY(cancelled->response->body.rfind("more ", 0) == 0);

        // HEADERS + CONTINUATION (a 20000-byte header does not fit one frame).
        const HttpExchange *lh = s.byTarget("/long-headers");
        QVERIFY(lh && lh->response);
        QCOMPARE(*lh->request.header("x-long"), std::string(20000, 'L'));
        QCOMPARE(*lh->response->header("x-echo-len"), std::string("20000"));

        // Streams really were interleaved: the concurrent four overlapped in time.
        QVERIFY(sse->response->endNs > slow->request.startNs);
        QVERIFY(slow->response->endNs > sse->request.startNs);
        QVERIFY(s.noteContains("HTTP/2 GOAWAY from client: NO_ERROR"));
    }

    void midConnectionStartReportsDesync()
    {
        auto r = decode("h2_midstream.wire");
        QCOMPARE(r->stats.h2Desync, uint64_t(1));
        QCOMPARE(r->sink.done.size(), size_t(1));
        QVERIFY(r->sink.done[0].error.find("HPACK desync") != std::string::npos);
        QVERIFY(!r->sink.done[0].response);
        QVERIFY(r->stats.ignoredBytes > 10000); // counted, not decoded
    }

    void gapBreaksHpack()
    {
        auto r = decode("h2_gap.wire");
        QCOMPARE(r->stats.h2Desync, uint64_t(1));
        QVERIFY(r->sink.noteContains("HPACK desync"));
        for (const auto &e : r->sink.done) // nothing decoded from after the gap
            QVERIFY(!e.error.empty());
        QVERIFY(r->stats.ignoredBytes > 10000);
    }

    void streamsAreBounded()
    {
        DecodeLimits l;
        l.maxH2Streams = 2;
        auto r = decode("h2_interleaved.wire", l);
        QVERIFY(r->stats.streamsRefused >= 1);
        size_t refused = 0;
        for (const auto &e : r->sink.done)
            refused += e.error.find("open streams") != std::string::npos;
        QCOMPARE(refused, size_t(r->stats.streamsRefused));
        QCOMPARE(r->stats.h2Desync, uint64_t(0)); // HPACK kept in sync for refused streams
        QVERIFY(r->sink.byTarget("/long-headers")->error.empty());
    }
};

QTEST_GUILESS_MAIN(TstHttp2Decoder)
#include "tst_http2_decoder.moc"
