// SPDX-License-Identifier: GPL-2.0-or-later
// WebSocket after an HTTP/1.1 upgrade: frames from tests/data/http/gen_websocket.py
// (masking, fragmentation, control frames between fragments, 64-bit lengths,
// permessage-deflate with and without context takeover), plus caps and gaps.
#include "decode/websocket_decoder.h"
#include "decode_test_support.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <zlib.h>

using namespace agentsight::decode;
using namespace agentsight::decode::test;

namespace {

struct Msg {
    bool fromClient;
    int opcode;
    std::string payload;
};

std::vector<Msg> expected(const char *file)
{
    std::vector<Msg> out;
    const QList<QByteArray> lines = QByteArray::fromStdString(readFile(dataPath(file))).trimmed().split('\n');
    for (const auto &l : lines) {
        const QJsonObject o = QJsonDocument::fromJson(l).object();
        out.push_back({o.value("fromClient").toBool(), o.value("opcode").toInt(),
                       QByteArray::fromBase64(o.value("payload").toString().toLatin1()).toStdString()});
    }
    return out;
}

// The order of messages within one direction is what the protocol defines;
// across directions it depends on capture timing, so compare per direction.
void compareDirection(const std::vector<WsMessage> &got, const std::vector<Msg> &want, bool fromClient)
{
    std::vector<const WsMessage *> g;
    std::vector<const Msg *> w;
    for (const auto &m : got)
        if (m.fromClient == fromClient)
            g.push_back(&m);
    for (const auto &m : want)
        if (m.fromClient == fromClient)
            w.push_back(&m);
    QCOMPARE(g.size(), w.size());
    for (size_t i = 0; i < g.size(); ++i) {
        QCOMPARE(g[i]->opcode, w[i]->opcode);
        QVERIFY2(g[i]->payload == w[i]->payload, qPrintable(QString::number(i)));
        QVERIFY(!g[i]->truncated);
    }
}

std::string rawDeflate(const std::string &in)
{
    z_stream z{};
    deflateInit2(&z, 9, Z_DEFLATED, -15, 9, Z_DEFAULT_STRATEGY);
    std::string out(in.size() + 1024, '\0');
    z.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(in.data()));
    z.avail_in = uInt(in.size());
    z.next_out = reinterpret_cast<Bytef *>(out.data());
    z.avail_out = uInt(out.size());
    deflate(&z, Z_SYNC_FLUSH);
    out.resize(out.size() - z.avail_out - 4); // drop 00 00 ff ff
    deflateEnd(&z);
    return out;
}

std::string serverFrame(int opcode, const std::string &payload, bool rsv1)
{
    std::string f;
    f += char(0x80 | (rsv1 ? 0x40 : 0) | opcode);
    if (payload.size() < 126) {
        f += char(payload.size());
    } else {
        f += char(126);
        f += char(payload.size() >> 8);
        f += char(payload.size() & 0xff);
    }
    return f + payload;
}

} // namespace

class TstWebSocket : public QObject {
    Q_OBJECT

    static std::vector<HttpExchange> decode(const char *fixture, Split split = Split::Whole, uint32_t seed = 0)
    {
        CollectingSink sink;
        TlsDecoder dec(sink);
        feedRecords(dec, readWire(fixture), split, seed, 9);
        dec.finish();
        return sink.done;
    }

private slots:
    void plainFrames()
    {
        const auto d = decode("ws_plain.wire");
        QCOMPARE(d.size(), size_t(1));
        QCOMPARE(d[0].response->status, 101);
        QVERIFY(d[0].complete);
        const auto want = expected("ws_plain.jsonl");
        compareDirection(d[0].websocket, want, true);
        compareDirection(d[0].websocket, want, false);
    }

    void permessageDeflate()
    {
        const auto d = decode("ws_deflate.wire");
        QCOMPARE(d.size(), size_t(1));
        QVERIFY(d[0].error.empty());
        const auto want = expected("ws_deflate.jsonl");
        compareDirection(d[0].websocket, want, true);  // context takeover across messages
        compareDirection(d[0].websocket, want, false); // server_no_context_takeover
    }

    void splitAnywhere()
    {
        const auto whole = decode("ws_deflate.wire");
        for (uint32_t seed = 1; seed < 30; ++seed) {
            const auto split = decode("ws_deflate.wire", Split::WithinCall, seed);
            QCOMPARE(describe(split.at(0)), describe(whole.at(0)));
        }
    }

    void capsAndBombs()
    {
        DecodeLimits l;
        l.maxWsMessageBytes = 1000;
        l.maxDecodedCount = 1 << 20;
        l.maxWsMessages = 3;
        WebSocketDecoder ws("permessage-deflate", l);
        std::vector<WsMessage> out;
        uint64_t dropped = 0;
        // 10 KB of text: kept to 1000 bytes, marked truncated.
        QVERIFY(ws.data(false, serverFrame(1, rawDeflate(std::string(10000, 'a')), true), 1, out, dropped).empty());
        QCOMPARE(out.size(), size_t(1));
        QVERIFY(out[0].truncated);
        QCOMPARE(out[0].payload.size(), size_t(1000));
        // A bomb: 16 MiB of zeros inflates past the work cap; the direction gives up.
        const std::string bomb = rawDeflate(std::string(16 << 20, '\0'));
        QVERIFY(bomb.size() < 64000);
        const std::string note = ws.data(false, serverFrame(1, bomb, true), 2, out, dropped);
        QVERIFY(note.find("not decoded") != std::string::npos);
        QCOMPARE(out.size(), size_t(1));
        // Message count cap: counted, not kept.
        WebSocketDecoder plain("", l);
        std::vector<WsMessage> many;
        for (int i = 0; i < 10; ++i)
            plain.data(false, serverFrame(1, "m" + std::to_string(i), false), 3, many, dropped);
        QCOMPARE(many.size(), size_t(3));
        QCOMPARE(dropped, uint64_t(7));
    }

    void gaps()
    {
        DecodeLimits l;
        WebSocketDecoder ws("", l);
        std::vector<WsMessage> out;
        uint64_t dropped = 0;
        const std::string f = serverFrame(1, std::string(200, 'z'), false);
        ws.data(false, f.substr(0, 50), 1, out, dropped);
        QVERIFY(ws.gap(false, 100, 2, out, dropped).empty()); // inside the payload: survivable
        ws.data(false, f.substr(150), 3, out, dropped);
        ws.data(false, serverFrame(1, "next", false), 4, out, dropped);
        QCOMPARE(out.size(), size_t(2));
        QVERIFY(out[0].truncated);
        QCOMPARE(out[0].payload, std::string(100, 'z'));
        QCOMPARE(out[1].payload, std::string("next"));
        // A gap between frames loses the framing: said, and nothing guessed after.
        QVERIFY(ws.gap(false, 5, 5, out, dropped).find("not decoded") != std::string::npos);
        ws.data(false, serverFrame(1, "after", false), 6, out, dropped);
        QCOMPARE(out.size(), size_t(2));
    }

    void protocolErrors()
    {
        DecodeLimits l;
        std::vector<WsMessage> out;
        uint64_t dropped = 0;
        WebSocketDecoder a("", l);
        QVERIFY(!a.data(false, std::string("\x80\x01x", 3), 1, out, dropped).empty()); // continuation first
        WebSocketDecoder b("", l);
        QVERIFY(!b.data(false, std::string("\x09\x01x", 3), 1, out, dropped).empty()); // fragmented ping
        WebSocketDecoder c("", l);
        QVERIFY(!c.data(false, std::string("\xc1\x01x", 3), 1, out, dropped).empty()); // RSV1 without deflate
        QVERIFY(out.empty());
    }
};

QTEST_GUILESS_MAIN(TstWebSocket)
#include "tst_websocket.moc"
