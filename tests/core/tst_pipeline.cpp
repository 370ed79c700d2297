// SPDX-License-Identifier: GPL-2.0-or-later
// The live pipeline on real record layouts: TLS records carrying a real
// Anthropic SSE exchange become one LlmExchange with the right model, tool
// call, tokens and cost; connection close and exit complete cut exchanges;
// every loss (kernel, helper queue, seq gaps, bad records) is counted.
#include "llm/price_table.h"
#include "pipeline/capture_session.h"
#include "pipeline/helper_socket_source.h"
#include "pipeline/memory_event_source.h"
#include "tst_pipeline_records.h"
#include "wire/frame_reader.h"

#include <QTemporaryDir>
#include <QtTest>

#include <sys/socket.h>
#include <sys/un.h>
#include <thread>
#include <unistd.h>

using namespace agentsight;
using namespace agentsight::pipeline;

namespace {

struct Collector : PipelineSink {
    std::vector<std::string> raws;
    std::vector<wire::Event> events;
    std::vector<llm::LlmExchange> llm;
    std::vector<decode::HttpExchange> httpComplete;
    std::vector<std::tuple<LossOrigin, uint32_t, uint64_t>> losses;
    std::vector<std::string> errors;
    int helloCount = 0;
    int ended = -2;
    bool llmBeforeEnd = false;
    void onHello(const as_hello &) override { ++helloCount; }
    void onEvent(const wire::Event &e, std::string_view raw) override
    {
        events.push_back(e);
        raws.emplace_back(raw);
    }
    void onHttpExchange(const decode::HttpExchange &x, bool complete) override
    {
        if (complete)
            httpComplete.push_back(x);
    }
    void onLlmExchange(const llm::LlmExchange &x, const decode::HttpExchange &) override
    {
        llm.push_back(x);
        llmBeforeEnd = ended == -2;
    }
    void onLost(LossOrigin o, uint32_t s, uint64_t c) override { losses.emplace_back(o, s, c); }
    void onHelperError(uint32_t, const std::string &p, const std::string &) override { errors.push_back(p); }
    void onEnd(int code) override { ended = code; }
    uint64_t lost(LossOrigin o) const
    {
        uint64_t n = 0;
        for (auto &[origin, s, c] : losses)
            if (origin == o)
                n += c;
        return n;
    }
};

as_hello makeHello()
{
    as_hello h{};
    h.magic = AS_PROTO_MAGIC;
    h.proto_major = AS_PROTO_MAJOR;
    h.proto_minor = AS_PROTO_MINOR;
    h.schema_major = AS_SCHEMA_MAJOR;
    h.schema_minor = AS_SCHEMA_MINOR;
    h.boot_to_wall_ns = 1'700'000'000'000'000'000LL;
    h.helper_pid = 4242;
    h.tls_cap_bytes = 4u << 20;
    return h;
}

} // namespace

class TestPipeline : public QObject {
    Q_OBJECT
private slots:
    void anthropicToolCallOverTls();
    void recordsArriveUnchanged();
    void fdCloseCompletesExchangeBeforeEnd();
    void streamFramesInPieces();
    void helperErrorBeforeHello();
    void lossesAreCountedBySourceAndOrigin();
    void tlsTruncationCounted();
    void helperSocketStopAndBye();
    void endlessConnectionsStayBounded();
};

void TestPipeline::anthropicToolCallOverTls()
{
    const llm::PriceTable prices = llm::PriceTable::standard();
    CaptureSession session(&prices);
    Collector c;
    session.addSink(&c);
    test::RecordBuilder b;
    MemoryEventSource src(test::anthropicSession(b, 777));
    QVERIFY(src.run(session));

    QCOMPARE(c.llm.size(), size_t(1));
    const llm::LlmExchange &x = c.llm.front();
    QCOMPARE(x.provider, std::string("anthropic"));
    QCOMPARE(x.model, std::string("claude-sonnet-4-5-20250929"));
    QCOMPARE(x.httpStatus, 200);
    QVERIFY(x.streaming);
    QVERIFY(x.responseComplete);
    QCOMPARE(x.toolCalls.size(), size_t(1));
    QCOMPARE(x.toolCalls[0].name, std::string("Bash"));
    QCOMPARE(x.toolCalls[0].id, std::string("toolu_01A09q90qw90lq917835lq9"));
    QCOMPARE(x.toolCalls[0].arguments.value(QStringLiteral("command")).toString(), QStringLiteral("ls -la"));
    QCOMPARE(x.usage.input, int64_t(1412));
    QCOMPARE(x.usage.output, int64_t(85));
    QVERIFY(x.costUsd.has_value());
    QVERIFY(std::abs(*x.costUsd - 0.002421) < 1e-6);
    // The API key the agent sent never reaches a sink.
    QCOMPARE(c.httpComplete.size(), size_t(1));
    const std::string *key = c.httpComplete[0].request.header("x-api-key");
    QVERIFY(key);
    QVERIFY(key->find("sk-ant-test-secret") == std::string::npos);

    const CaptureCounters &k = session.counters();
    QCOMPARE(k.llmCalls, uint64_t(1));
    QCOMPARE(k.inputTokens, uint64_t(1412));
    QCOMPARE(k.outputTokens, uint64_t(85));
    QCOMPARE(k.httpExchanges, uint64_t(1));
    QCOMPARE(k.events, uint64_t(src.records().size()));
    QCOMPARE(k.lostTotal(), uint64_t(0));
    QVERIFY(k.statusLine().find("LLM 1 calls") != std::string::npos);
    QVERIFY(k.statusLine().find("drops 0") != std::string::npos);
}

void TestPipeline::recordsArriveUnchanged()
{
    CaptureSession session;
    Collector c;
    session.addSink(&c);
    test::RecordBuilder b;
    MemoryEventSource src(test::anthropicSession(b, 778));
    QVERIFY(src.run(session));
    QCOMPARE(c.raws.size(), src.records().size());
    for (size_t i = 0; i < c.raws.size(); ++i)
        QCOMPARE(c.raws[i], src.records()[i]);
    // Parsed facts a user sees: the exec's argv and cwd, the file written.
    auto exec = std::find_if(c.events.begin(), c.events.end(), [](auto &e) { return e.type == AS_EV_PROC_EXEC; });
    QVERIFY(exec != c.events.end());
    QCOMPARE(exec->argv, (std::vector<std::string>{"node", "agent.js", "--print", "hi"}));
    QCOMPARE(exec->cwd, std::string("/work/proj"));
    QCOMPARE(c.ended, 0);
}

void TestPipeline::fdCloseCompletesExchangeBeforeEnd()
{
    // Without exit and without the end of capture, only the fd close can
    // complete the close-delimited SSE response.
    CaptureSession session;
    Collector c;
    session.addSink(&c);
    test::RecordBuilder b;
    for (const auto &r : test::anthropicSession(b, 779, false))
        QVERIFY(session.processRecord(r));
    QCOMPARE(c.llm.size(), size_t(1));
    QVERIFY(c.llmBeforeEnd);
    QVERIFY(c.llm[0].responseComplete);

    // Without the fd close record, the exchange waits for the end of capture.
    CaptureSession s2;
    Collector c2;
    s2.addSink(&c2);
    test::RecordBuilder b2;
    for (const auto &r : test::anthropicSession(b2, 780, false)) {
        wire::Event e;
        QVERIFY(wire::parseEvent(r, e));
        if (e.type != AS_EV_FILE_IO)
            s2.processRecord(r);
    }
    QCOMPARE(c2.llm.size(), size_t(0));
    s2.finish();
    QCOMPARE(c2.llm.size(), size_t(1));
}

void TestPipeline::streamFramesInPieces()
{
    test::RecordBuilder b;
    const auto recs = test::anthropicSession(b, 781);
    std::string payload;
    for (const auto &r : recs)
        payload += r;
    const as_hello h = makeHello();
    std::string stream = wire::encodeFrame(AS_FRAME_HELLO, std::string_view(reinterpret_cast<const char *>(&h), sizeof h));
    stream += wire::encodeFrame(AS_FRAME_READY, {});
    stream += wire::encodeFrame(AS_FRAME_EVENTS, payload);
    const uint32_t bye = 0;
    stream += wire::encodeFrame(AS_FRAME_BYE, std::string_view(reinterpret_cast<const char *>(&bye), 4));

    for (size_t piece : {size_t(1), size_t(7), size_t(4096), stream.size()}) {
        CaptureSession session;
        Collector c;
        session.addSink(&c);
        for (size_t off = 0; off < stream.size(); off += piece)
            QVERIFY(session.feedStream(std::string_view(stream).substr(off, piece)));
        session.finish();
        QCOMPARE(c.helloCount, 1);
        QCOMPARE(session.hello().helper_pid, 4242u);
        QCOMPARE(c.raws.size(), recs.size());
        QCOMPARE(c.llm.size(), size_t(1));
        QCOMPARE(c.ended, 0);
    }
}

void TestPipeline::helperErrorBeforeHello()
{
    CaptureSession session;
    Collector c;
    session.addSink(&c);
    std::string payload(sizeof(as_error_frame), '\0');
    as_error_frame ef{};
    ef.code = AS_ERR_PERMISSION;
    const std::string msg = "uid 1000 may not use this helper";
    ef.primary_len = uint16_t(msg.size());
    std::memcpy(payload.data(), &ef, sizeof ef);
    payload += msg;
    QVERIFY(!session.feedStream(wire::encodeFrame(AS_FRAME_ERROR, payload)));
    QCOMPARE(c.errors, std::vector<std::string>{msg});
    QVERIFY(!session.error().empty());

    CaptureSession garbage;
    QVERIFY(!garbage.feedStream(wire::encodeFrame(AS_FRAME_EVENTS, std::string(64, 'x'))));
    QVERIFY(QString::fromStdString(garbage.error()).contains(QStringLiteral("not an AgentSight helper")));
}

void TestPipeline::lossesAreCountedBySourceAndOrigin()
{
    CaptureSession session;
    Collector c;
    session.addSink(&c);
    test::RecordBuilder b;
    QVERIFY(session.processRecord(b.open(10, "/a", 0, 3)));
    b.seq[AS_SRC_FILE] += 5; // 5 file records the kernel dropped...
    QVERIFY(session.processRecord(b.open(10, "/b", 0, 4)));
    QVERIFY(session.processRecord(b.lost(AS_SRC_FILE, 1, 3))); // ...of which 3 were reported
    QVERIFY(session.processRecord(b.lost(AS_SRC_NET, 2, 7)));  // helper queue overflow
    std::string bad = b.open(10, "/c", 0, 5);
    bad[4] = char(0xff); // header.size now impossible
    QVERIFY(!session.processRecord(bad));
    session.finish();

    const CaptureCounters &k = session.counters();
    QCOMPARE(k.lost[AS_SRC_FILE][0], uint64_t(3));
    QCOMPARE(k.lost[AS_SRC_NET][1], uint64_t(7));
    QCOMPARE(k.lost[AS_SRC_FILE][2], uint64_t(2)); // the 2 nobody reported
    QCOMPARE(k.badRecords, uint64_t(1));
    QCOMPARE(c.lost(LossOrigin::Kernel), uint64_t(3));
    QCOMPARE(c.lost(LossOrigin::HelperQueue), uint64_t(7));
    QCOMPARE(c.lost(LossOrigin::SeqGap), uint64_t(2));
    QCOMPARE(c.lost(LossOrigin::BadRecord), uint64_t(1));
    QCOMPARE(k.lostTotal(), uint64_t(12));
    QVERIFY(k.statusLine().find("drops 12") != std::string::npos);
    QVERIFY(k.statusLine().find("bad records 1") != std::string::npos);
}

void TestPipeline::tlsTruncationCounted()
{
    CaptureSession session;
    Collector c;
    session.addSink(&c);
    test::RecordBuilder b;
    std::vector<std::string> recs;
    b.tlsCall(recs, 11, 0x1234, 5, true, "POST /x HTTP/1.1\r\nHost: h\r\nContent-Length: 900000\r\n\r\n" +
                  std::string(1000, 'a'), 899000);
    for (auto &r : recs)
        QVERIFY(session.processRecord(r));
    session.finish();
    QCOMPARE(session.counters().tlsDroppedBytes, uint64_t(899000));
    QVERIFY(session.counters().statusLine().find("TLS cut") != std::string::npos);
    QVERIFY(session.decodeStats().gapBytes >= 899000);
}

void TestPipeline::helperSocketStopAndBye()
{
    // A stand-in helper on a real Unix socket: hello, then it waits for the
    // client's STOP frame, then sends the session's records and BYE and keeps
    // the connection open (the client must not wait for EOF after BYE).
    QTemporaryDir dir;
    const std::string path = dir.filePath(QStringLiteral("h.sock")).toStdString();
    const int lfd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_un sa{};
    sa.sun_family = AF_UNIX;
    std::memcpy(sa.sun_path, path.c_str(), path.size());
    QCOMPARE(::bind(lfd, reinterpret_cast<sockaddr *>(&sa), sizeof sa), 0);
    QCOMPARE(::listen(lfd, 1), 0);
    test::RecordBuilder b;
    const auto recs = test::anthropicSession(b, 782);
    std::string payload;
    for (const auto &r : recs)
        payload += r;
    bool stopSeen = false;
    std::thread server([&] {
        const int c = ::accept(lfd, nullptr, nullptr);
        const as_hello h = makeHello();
        const std::string hello =
            wire::encodeFrame(AS_FRAME_HELLO, std::string_view(reinterpret_cast<const char *>(&h), sizeof h));
        [[maybe_unused]] ssize_t n = ::write(c, hello.data(), hello.size());
        as_frame_header fh{};
        if (::read(c, &fh, sizeof fh) == ssize_t(sizeof fh) && fh.kind == AS_FRAME_STOP && fh.length == 0)
            stopSeen = true;
        const uint32_t bye = 0;
        const std::string rest = wire::encodeFrame(AS_FRAME_EVENTS, payload) +
            wire::encodeFrame(AS_FRAME_BYE, std::string_view(reinterpret_cast<const char *>(&bye), 4));
        for (size_t off = 0; off < rest.size();) {
            const ssize_t w = ::write(c, rest.data() + off, rest.size() - off);
            if (w <= 0)
                break;
            off += size_t(w);
        }
        char x;
        [[maybe_unused]] ssize_t r = ::read(c, &x, 1); // until the client hangs up
        ::close(c);
    });
    HelperSocketSource src;
    QVERIFY2(src.connectTo(path, 5000), src.error().c_str());
    CaptureSession session;
    Collector c;
    session.addSink(&c);
    int ticks = 0;
    src.setTick(20, [&] {
        if (++ticks == 2)
            src.requestStop(); // what the SIGINT handler does
    });
    QVERIFY2(src.run(session), src.error().c_str());
    server.join();
    ::close(lfd);
    QVERIFY(stopSeen);
    QVERIFY(src.stopRequested());
    QCOMPARE(c.raws.size(), recs.size());
    QCOMPARE(c.llm.size(), size_t(1));
    QCOMPARE(c.ended, 0);
    QVERIFY(session.finished());

    HelperSocketSource none;
    QVERIFY(!none.connectTo(dir.filePath(QStringLiteral("absent.sock")).toStdString(), 100));
    QVERIFY(QString::fromStdString(none.error()).contains(QStringLiteral("cannot connect")));
}

void TestPipeline::endlessConnectionsStayBounded()
{
    // 100 k connection ids that never close: the tracking must stay bounded,
    // the reset counted, and the decoder keep working (and not crash).
    decode::DecodeLimits limits;
    limits.maxConnections = 256;
    CaptureSession session(nullptr, limits);
    Collector c;
    session.addSink(&c);
    test::RecordBuilder b;
    size_t peak = 0;
    for (uint64_t i = 0; i < 100000; ++i) {
        std::vector<std::string> recs;
        b.tlsCall(recs, 5 + uint32_t(i % 7), 0x1000 + i, int(i % 900), true, "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        for (auto &r : recs)
            session.processRecord(r);
        peak = std::max(peak, session.trackedConnections());
    }
    QVERIFY2(peak <= 1024, std::to_string(peak).c_str());
    QVERIFY(session.counters().connTrackingResets > 0);
    QCOMPARE(session.counters().events, uint64_t(100000));
    session.finish();
    QCOMPARE(session.trackedConnections(), size_t(0));
}

QTEST_GUILESS_MAIN(TestPipeline)
#include "tst_pipeline.moc"
