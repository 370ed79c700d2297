// SPDX-License-Identifier: GPL-2.0-or-later
// HTTP/1.x through TlsDecoder on real wire bytes (tests/data/http/gen_http1.py).
#include "decode_test_support.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace agentsight::decode;
using namespace agentsight::decode::test;

class TstHttp1Decoder : public QObject {
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
    void keepAlive()
    {
        auto r = decode("h1_keepalive.wire");
        const auto &d = r->sink.done;
        QCOMPARE(d.size(), size_t(5));
        // Responses are paired in order, each exchange is reported complete once.
        QCOMPARE(d[0].request.target, std::string("/a"));
        QCOMPARE(d[0].response->status, 200);
        QCOMPARE(d[0].response->body, std::string("hello"));
        QCOMPARE(d[0].request.authority, std::string("api.example.test"));
        QCOMPARE(d[0].socketFd, 7);

        QCOMPARE(d[1].request.method, std::string("POST"));
        QCOMPARE(d[1].request.target, std::string("/v1/messages?beta=true"));
        QCOMPARE(d[1].request.body, readFile(dataPath("keepalive_request.plain")));
        QCOMPARE(d[1].response->body, std::string("{\"ok\":true}"));
        QCOMPARE(d[1].response->trailers.size(), size_t(1));
        QCOMPARE(d[1].response->trailers[0].name, std::string("x-checksum"));
        QVERIFY(d[1].error.empty());

        QCOMPARE(d[2].request.method, std::string("HEAD")); // Content-Length but no body
        QCOMPARE(d[2].response->body.size(), size_t(0));
        QCOMPARE(d[3].response->status, 204);
        QCOMPARE(d[4].response->status, 304);
        QCOMPARE(d[4].request.target, std::string("/e"));
        for (size_t i = 0; i < d.size(); ++i) {
            QCOMPARE(d[i].sequence, uint64_t(i));
            QVERIFY2(d[i].error.empty(), d[i].error.c_str());
            QVERIFY(d[i].complete);
        }
        for (const auto &[k, n] : r->sink.completions)
            QCOMPARE(n, 1);
        // The live view saw requests before their responses ended.
        QVERIFY(r->sink.partialUpdates >= 10);
    }

    void pipelined()
    {
        auto r = decode("h1_pipelined.wire");
        const auto &d = r->sink.done;
        QCOMPARE(d.size(), size_t(3));
        QCOMPARE(d[0].request.target, std::string("/p1"));
        QCOMPARE(d[0].response->body, std::string("r1"));
        QCOMPARE(d[1].request.body, std::string("abc"));
        QCOMPARE(d[1].response->status, 201);
        QCOMPARE(d[2].response->status, 404);
        QCOMPARE(d[2].response->body, std::string("not found"));
    }

    void chunkedAndTrailers()
    {
        auto r = decode("h1_chunked_trailers.wire");
        const auto &d = r->sink.done;
        QCOMPARE(d.size(), size_t(1));
        std::string expect;
        for (int i = 0; i < 10; ++i)
            expect += "0123456789abcdef";
        QCOMPARE(d[0].request.body, expect);
        QCOMPARE(d[0].request.trailers.at(0).value, std::string("42"));
        QCOMPARE(d[0].response->body, std::string("hello world")); // LF-only framing accepted
        QCOMPARE(d[0].response->trailers.at(0).name, std::string("x-done"));
        QCOMPARE(d[0].response->wireBodyBytes, uint64_t(11));
    }

    void closeDelimited()
    {
        auto r = decode("h1_close_delimited.wire");
        QCOMPARE(r->sink.done.size(), size_t(1));
        const auto &e = r->sink.done[0];
        QCOMPARE(e.response->body, std::string("part one, part two"));
        QVERIFY2(e.error.empty(), e.error.c_str());
        QCOMPARE(e.response->endNs, uint64_t(3000)); // ended at the last bytes seen
    }

    void contentEncodings()
    {
        auto r = decode("h1_encodings.wire");
        const std::string text = readFile(dataPath("encodings.plain"));
        QVERIFY(text.size() > 100000);
        for (const char *path : {"/gzip", "/zstd", "/br", "/zlib", "/raw", "/stacked", "/members"}) {
            const HttpExchange *e = r->sink.byTarget(path);
            QVERIFY2(e && e->response, path);
            QVERIFY2(e->response->decodeError.empty(), (std::string(path) + ": " + e->response->decodeError).c_str());
            QVERIFY2(e->response->body == text, path);
            QCOMPARE(e->response->decodedBodyBytes, uint64_t(text.size()));
            QVERIFY(e->response->wireBodyBytes < text.size() / 3);
        }
        const HttpExchange *up = r->sink.byTarget("/zstd-request");
        QVERIFY(up);
        QVERIFY(up->request.body == text); // compressed request bodies decode too
    }

    void decompressionBomb()
    {
        DecodeLimits l;
        l.maxBodyBytes = 1 << 20;
        l.maxDecodedCount = 8 << 20;
        auto r = decode("h1_bomb.wire", l);
        QCOMPARE(r->sink.done.size(), size_t(1));
        const auto &m = *r->sink.done[0].response;
        QVERIFY(m.bodyTruncated);
        QCOMPARE(m.body.size(), size_t(1) << 20);
        QVERIFY(m.body.find_first_not_of('\0') == std::string::npos);
        QCOMPARE(m.decodedBodyBytes, uint64_t(8) << 20); // stopped, not inflated to 64 MiB
        QVERIFY(m.decodeError.find("lower bound") != std::string::npos);
        QCOMPARE(r->stats.bodiesTruncated, uint64_t(1));
        // With the default caps the whole 64 MiB is counted and kept.
        auto full = decode("h1_bomb.wire");
        QCOMPARE(full->sink.done[0].response->decodedBodyBytes, uint64_t(64) << 20);
        QVERIFY(!full->sink.done[0].response->bodyTruncated);
    }

    void sse()
    {
        auto r = decode("h1_sse.wire");
        QCOMPARE(r->sink.done.size(), size_t(1));
        const auto &m = *r->sink.done[0].response;
        QCOMPARE(m.body, readFile(dataPath("sse_body.plain"))); // raw stream kept
        const QList<QByteArray> lines = QByteArray::fromStdString(readFile(dataPath("sse_events.jsonl"))).trimmed().split('\n');
        QCOMPARE(m.sse.size(), size_t(lines.size()));
        for (int i = 0; i < lines.size(); ++i) {
            const QJsonObject o = QJsonDocument::fromJson(lines[i]).object();
            QCOMPARE(QString::fromStdString(m.sse[i].event), o.value("event").toString());
            QCOMPARE(QString::fromStdString(m.sse[i].data), o.value("data").toString());
            QCOMPARE(QString::fromStdString(m.sse[i].id), o.value("id").toString());
        }
        // Stamped with the chunk that completed each event: non-decreasing, and
        // the first one arrived before the last.
        for (size_t i = 1; i < m.sse.size(); ++i)
            QVERIFY(m.sse[i].ktimeNs >= m.sse[i - 1].ktimeNs);
        QVERIFY(m.sse.front().ktimeNs < m.sse.back().ktimeNs);
        QCOMPARE(m.firstBodyNs, uint64_t(2000));
        // Events were pushed live, not only at the end.
        QVERIFY(r->sink.partialUpdates >= 4);
    }

    void continueAndUpgrade()
    {
        auto r = decode("h1_continue_upgrade.wire");
        const auto &d = r->sink.done;
        QCOMPARE(d.size(), size_t(2));
        QCOMPARE(d[0].request.body, std::string("data"));
        QCOMPARE(d[0].response->status, 200); // the 100 was interim, not the answer
        QCOMPARE(d[0].response->body, std::string("ok"));
        QCOMPARE(d[1].response->status, 101);
        QVERIFY2(d[1].error.empty(), d[1].error.c_str());
        // After the 101 the same exchange carries the WebSocket messages (the
        // client's is the masked "Hello" example of RFC 6455 5.7).
        QCOMPARE(d[1].websocket.size(), size_t(2));
        QCOMPARE(d[1].websocket[0].payload, std::string("hello"));
        QVERIFY(!d[1].websocket[0].fromClient);
        QCOMPARE(d[1].websocket[1].payload, std::string("Hello"));
        QVERIFY(d[1].websocket[1].fromClient);
        QCOMPARE(r->stats.ignoredBytes, uint64_t(0));
    }

    void serverRole()
    {
        auto r = decode("h1_server_role.wire");
        QCOMPARE(r->sink.done.size(), size_t(1));
        QCOMPARE(r->sink.done[0].request.target, std::string("/served"));
        QCOMPARE(r->sink.done[0].response->body, std::string("served"));
    }

    void malformed_data()
    {
        QTest::addColumn<QString>("fixture");
        QTest::addColumn<QString>("errorPart");
        QTest::newRow("header without colon") << "h1_bad_header.wire" << "malformed header line";
        QTest::newRow("bad chunk size") << "h1_bad_chunk.wire" << "bad chunk size";
        QTest::newRow("conflicting content-length") << "h1_bad_length.wire" << "invalid content-length";
        QTest::newRow("header section too big") << "h1_huge_header.wire" << "exceeds";
    }
    void malformed()
    {
        QFETCH(QString, fixture);
        QFETCH(QString, errorPart);
        auto r = decode(fixture.toUtf8().constData());
        QVERIFY(!r->sink.done.empty() || !r->sink.notes.empty());
        bool found = false;
        for (const auto &e : r->sink.done)
            found |= e.error.find(errorPart.toStdString()) != std::string::npos;
        for (const auto &n : r->sink.notes)
            found |= n.find(errorPart.toStdString()) != std::string::npos;
        QVERIFY2(found, qPrintable(fixture));
        for (const auto &e : r->sink.done)
            if (e.response)
                QVERIFY(e.response->body.size() <= 2); // nothing decoded into garbage
    }

    void malformedResponseLandsOnItsExchange()
    {
        auto r = decode("h1_bad_header.wire");
        QCOMPARE(r->sink.done.size(), size_t(1));
        QCOMPARE(r->sink.done[0].request.target, std::string("/ok"));
        QCOMPARE(r->sink.done[0].error, std::string("response: malformed header line"));
        QVERIFY(!r->sink.done[0].response); // nothing half-parsed is shown as a response
    }

    void notHttp()
    {
        auto r = decode("h1_not_http.wire");
        QCOMPARE(r->sink.done.size(), size_t(0));
        QVERIFY(r->sink.noteContains("neither HTTP/1.x nor HTTP/2"));
        QCOMPARE(r->stats.connectionsUnknown, uint64_t(1));
        QVERIFY(r->stats.ignoredBytes > 1000);
    }

    void midStreamThenResync()
    {
        auto r = decode("h1_midstream.wire");
        QVERIFY(r->sink.noteContains("neither HTTP/1.x nor HTTP/2"));
        QCOMPARE(r->sink.done.size(), size_t(1)); // the tail is not an exchange; the next request is
        QCOMPARE(r->sink.done[0].request.target, std::string("/after"));
        QCOMPARE(r->sink.done[0].response->body, std::string("after"));
        QVERIFY(r->sink.done[0].error.empty());
    }

    void missedRequest()
    {
        auto r = decode("h1_missed_request.wire");
        const auto &d = r->sink.done;
        QCOMPARE(d.size(), size_t(2));
        QCOMPARE(d[0].error, std::string("response without a captured request"));
        QCOMPARE(d[0].response->body, std::string("late"));
        QCOMPARE(d[1].request.target, std::string("/next"));
        QCOMPARE(d[1].response->body, std::string("next"));
    }

    void gapInsideBody()
    {
        auto r = decode("h1_gap_body.wire");
        const auto &d = r->sink.done;
        QCOMPARE(d.size(), size_t(2));
        const auto &m = *d[0].response;
        QCOMPARE(m.gapBytes, uint64_t(400));
        QCOMPARE(m.wireBodyBytes, uint64_t(1000));
        QVERIFY(m.bodyTruncated);
        QCOMPARE(m.body, std::string(300, 'x')); // only the contiguous first part
        QCOMPARE(d[1].response->body, std::string("ok")); // framing survived the gap
        QCOMPARE(r->stats.gapBytes, uint64_t(400));
        QVERIFY(r->sink.noteContains("400 bytes read were not captured"));
    }

    void gapResync()
    {
        auto r = decode("h1_gap_resync.wire");
        const auto &d = r->sink.done;
        // The first request's head was cut: it stays as a placeholder with the
        // error, its response still pairs with it, and parsing resumes at /r2.
        QVERIFY(r->sink.noteContains("30 bytes written were not captured"));
        QCOMPARE(d.size(), size_t(2));
        QCOMPARE(d[0].error, std::string("request: 30 bytes not captured; resynchronizing"));
        QCOMPARE(d[0].response->body, std::string("r1"));
        const HttpExchange *r2 = r->sink.byTarget("/r2");
        QVERIFY(r2 && r2->response);
        QCOMPARE(r2->response->body, std::string("r2"));
        QCOMPARE(r2->request.method, std::string("GET"));
        QVERIFY(r2->error.empty());
    }

    void pendingRequestsAreBounded()
    {
        DecodeLimits l;
        l.maxPendingRequests = 4;
        CollectingSink sink;
        TlsDecoder dec(sink, l);
        std::string reqs;
        for (int i = 0; i < 10; ++i)
            reqs += "GET /q" + std::to_string(i) + " HTTP/1.1\r\nHost: h\r\n\r\n";
        feedRecords(dec, {WireRecord{true, false, reqs, 0}});
        QCOMPARE(dec.stats().pendingOverflow, uint64_t(6));
        QCOMPARE(sink.done.size(), size_t(6)); // given up, reported, not leaked
        QVERIFY(sink.done[0].error.find("given up") != std::string::npos);
        dec.finish();
        QCOMPARE(sink.done.size(), size_t(10));
    }

    void textOnlyBodiesWhenAsked()
    {
        DecodeLimits l;
        l.keepBinaryBodies = false;
        CollectingSink sink;
        TlsDecoder dec(sink, l);
        const std::string png(5000, '\x89');
        feedRecords(dec, {WireRecord{true, false, "GET /img HTTP/1.1\r\nHost: cdn\r\n\r\n", 0},
                          WireRecord{false, false, "HTTP/1.1 200 OK\r\nContent-Type: image/png\r\nContent-Length: 5000\r\n\r\n" + png, 0}});
        dec.finish();
        QCOMPARE(sink.done.size(), size_t(1));
        const auto &m = *sink.done[0].response;
        QVERIFY(m.bodyOmitted);
        QVERIFY(m.body.empty());
        QCOMPARE(m.decodedBodyBytes, uint64_t(5000));
        QCOMPARE(sink.done[0].request.authority, std::string("cdn"));
    }

    void connectionsAreBounded()
    {
        DecodeLimits l;
        l.maxConnections = 3;
        CollectingSink sink;
        TlsDecoder dec(sink, l);
        const std::string req = "GET / HTTP/1.1\r\nHost: h\r\n\r\n";
        for (uint64_t i = 0; i < 10; ++i) {
            TlsChunk c;
            c.conn = {1, i};
            c.callId = i;
            c.ktimeNs = i;
            c.totalLen = uint32_t(req.size());
            c.data = req;
            dec.feed(c);
        }
        QCOMPARE(dec.openConnections(), size_t(3));
        QCOMPARE(dec.stats().connectionsEvicted, uint64_t(7));
        QCOMPARE(sink.done.size(), size_t(7));
    }
};

QTEST_GUILESS_MAIN(TstHttp1Decoder)
#include "tst_http1_decoder.moc"
