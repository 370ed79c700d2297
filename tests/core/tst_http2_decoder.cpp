// SPDX-License-Identifier: GPL-2.0-or-later
// HTTP/2 through TlsDecoder on frames produced by node's http2 module
// (nghttp2) talking to itself over h2c: tests/data/http/gen_http2.js.
#include "decode/sniff.h"
#include "decode_test_support.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <nghttp2/nghttp2.h>

#include <set>

using namespace agentsight::decode;
using namespace agentsight::decode::test;

namespace {

// Hand-built frames around header blocks encoded by nghttp2's own HPACK
// deflater, for the cases node's http2 never produces (padding, priority,
// large header tables, a gap inside DATA).
std::string frame(uint8_t type, uint8_t flags, uint32_t stream, const std::string &payload)
{
    std::string f;
    f += char(payload.size() >> 16);
    f += char(payload.size() >> 8);
    f += char(payload.size());
    f += char(type);
    f += char(flags);
    f += char(stream >> 24);
    f += char(stream >> 16);
    f += char(stream >> 8);
    f += char(stream);
    return f + payload;
}

std::string hpack(nghttp2_hd_deflater *d, const std::vector<std::pair<std::string, std::string>> &headers)
{
    std::vector<nghttp2_nv> nv;
    for (const auto &[n, v] : headers)
        nv.push_back({(uint8_t *)n.data(), (uint8_t *)v.data(), n.size(), v.size(), NGHTTP2_NV_FLAG_NONE});
    std::string out(nghttp2_hd_deflate_bound(d, nv.data(), nv.size()), '\0');
    const auto n = nghttp2_hd_deflate_hd(d, (uint8_t *)out.data(), out.size(), nv.data(), nv.size());
    out.resize(n > 0 ? size_t(n) : 0);
    return out;
}

std::string settings(uint16_t id, uint32_t value)
{
    std::string p;
    p += char(id >> 8);
    p += char(id);
    p += char(value >> 24);
    p += char(value >> 16);
    p += char(value >> 8);
    p += char(value);
    return frame(4, 0, 0, p);
}

} // namespace

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

    void paddingPriorityAndBigHeaderTable()
    {
        nghttp2_hd_deflater *client = nullptr, *server = nullptr;
        QCOMPARE(nghttp2_hd_deflate_new(&client, 4096), 0);
        QCOMPARE(nghttp2_hd_deflate_new(&server, 65536), 0);
        // The client allows a 64 KiB table; after the server ACKs, the server's
        // encoder uses it (dynamic table size update + entries beyond 4 KiB).
        QCOMPARE(nghttp2_hd_deflate_change_table_size(server, 65536), 0);
        std::vector<WireRecord> recs;
        const std::string cs = std::string(kH2Preface) + settings(1, 65536);
        recs.push_back({true, false, cs, 0});
        recs.push_back({false, false, settings(3, 100) + frame(4, 1, 0, ""), 0}); // server SETTINGS + ACK
        for (uint32_t id = 1; id <= 5; id += 2) {
            const std::string block = hpack(client, {{":method", "POST"}, {":scheme", "https"}, {":path", "/p" + std::to_string(id)},
                                                     {":authority", "h2.example.test"}});
            // HEADERS with PADDED (pad length 3) and PRIORITY (5 bytes).
            const std::string headers = std::string(1, '\x03') + std::string("\x00\x00\x00\x00\x10", 5) + block + std::string(3, '\0');
            std::string data = "body of " + std::to_string(id);
            const std::string paddedData = std::string(1, '\x02') + data + std::string(2, '\0');
            recs.push_back({true, false, frame(1, 0x4 | 0x8 | 0x20, id, headers) + frame(0, 0x1 | 0x8, id, paddedData), 0});
            std::vector<std::pair<std::string, std::string>> rh{{":status", "200"}, {"content-type", "text/plain"}};
            for (int k = 0; k < 20; ++k) // ~20 KiB of distinct headers: only fits a table > 4 KiB
                rh.push_back({"x-big-" + std::to_string(k), std::string(1000, char('a' + k)) + std::to_string(id)});
            rh.push_back({"x-again", "1"});
            recs.push_back({false, false, frame(1, 0x4, id, hpack(server, rh)) + frame(0, 0x1, id, "ok " + std::to_string(id)), 0});
        }
        nghttp2_hd_deflate_del(client);
        nghttp2_hd_deflate_del(server);
        CollectingSink sink;
        TlsDecoder dec(sink);
        feedRecords(dec, recs);
        dec.finish();
        QCOMPARE(dec.stats().h2Desync, uint64_t(0));
        QCOMPARE(sink.done.size(), size_t(3));
        for (const auto &e : sink.done) {
            QVERIFY2(e.error.empty(), e.error.c_str());
            QCOMPARE(e.request.body, "body of " + std::to_string(e.streamId));
            QCOMPARE(e.response->body, "ok " + std::to_string(e.streamId));
            QCOMPARE(e.response->headers.size(), size_t(22));
            QCOMPARE(*e.response->header("x-big-19"), std::string(1000, 't') + std::to_string(e.streamId));
        }
        // Without the ACK the inflater must refuse the larger table: a reported desync.
        std::vector<WireRecord> noAck = recs;
        noAck[1].bytes = settings(3, 100);
        CollectingSink sink2;
        TlsDecoder dec2(sink2);
        feedRecords(dec2, noAck);
        dec2.finish();
        QCOMPARE(dec2.stats().h2Desync, uint64_t(1));
        QVERIFY(sink2.noteContains("HPACK decoding failed"));
    }

    void gapInsideData()
    {
        nghttp2_hd_deflater *client = nullptr, *server = nullptr;
        nghttp2_hd_deflate_new(&client, 4096);
        nghttp2_hd_deflate_new(&server, 4096);
        std::vector<WireRecord> recs;
        recs.push_back({true, false, std::string(kH2Preface) + settings(3, 100), 0});
        recs.push_back({false, false, settings(3, 100) + frame(4, 1, 0, ""), 0});
        recs.push_back({true, false, frame(1, 0x4 | 0x1, 1, hpack(client, {{":method", "GET"}, {":scheme", "https"}, {":path", "/big"}, {":authority", "a"}})), 0});
        const std::string body(3000, 'b');
        const std::string resp = frame(1, 0x4, 1, hpack(server, {{":status", "200"}})) + frame(0, 0x1, 1, body);
        recs.push_back({false, false, resp.substr(0, resp.size() - 2000), 0});
        recs.push_back({false, true, {}, 1000}); // 1000 bytes inside the DATA payload lost
        recs.push_back({false, false, resp.substr(resp.size() - 1000), 0});
        recs.push_back({true, false, frame(1, 0x4 | 0x1, 3, hpack(client, {{":method", "GET"}, {":scheme", "https"}, {":path", "/after"}, {":authority", "a"}})), 0});
        recs.push_back({false, false, frame(1, 0x4, 3, hpack(server, {{":status", "204"}})) + frame(0, 0x1, 3, ""), 0});
        nghttp2_hd_deflate_del(client);
        nghttp2_hd_deflate_del(server);
        CollectingSink sink;
        TlsDecoder dec(sink);
        feedRecords(dec, recs);
        dec.finish();
        QCOMPARE(dec.stats().h2Desync, uint64_t(0));
        const HttpExchange *big = sink.byTarget("/big");
        QVERIFY(big && big->response);
        QCOMPARE(big->response->gapBytes, uint64_t(1000));
        QCOMPARE(big->response->wireBodyBytes, uint64_t(3000));
        QVERIFY(big->response->bodyTruncated);
        QCOMPARE(big->response->body.size(), size_t(1000)); // the part before the gap
        const HttpExchange *after = sink.byTarget("/after");
        QVERIFY(after && after->response);
        QCOMPARE(after->response->status, 204);
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
