// SPDX-License-Identifier: GPL-2.0-or-later
// The client side of the helper protocol: frames split anywhere reassemble;
// foreign, newer or corrupt streams are refused with a reason; records with
// impossible sizes are rejected instead of being read past their end.
#include "wire/event.h"
#include "wire/frame_reader.h"
#ifdef AGENTSIGHT_HAVE_HELPER_COMMON
#include "jsonl_writer.h"
#include "records.h"
#endif

#include <QtTest>
#include <cstddef>
#include <cstring>
#include <random>

using namespace agentsight::wire;

namespace {

std::string helloPayload(uint16_t major = AS_PROTO_MAJOR, uint64_t magic = AS_PROTO_MAGIC)
{
    as_hello h{};
    h.magic = magic;
    h.proto_major = major;
    h.schema_major = AS_SCHEMA_MAJOR;
    h.boot_to_wall_ns = 1700000000000000000LL;
    h.helper_pid = 4242;
    return std::string(reinterpret_cast<const char *>(&h), sizeof h);
}

// An exec record laid out exactly as the kernel writes it.
std::string execRecord(uint32_t tgid, const std::string &file, const std::string &argv, const std::string &cwd)
{
    as_proc_exec e{};
    e.h.type = AS_EV_PROC_EXEC;
    e.h.tgid = tgid;
    e.h.seq = 7;
    e.ppid = 1;
    e.argc = 3;
    e.filename_len = uint16_t(file.size());
    e.argv_len = uint16_t(argv.size());
    e.cwd_len = uint16_t(cwd.size());
    std::strcpy(e.comm, "cat");
    std::string r(reinterpret_cast<const char *>(&e), sizeof e);
    r += file + argv + cwd;
    reinterpret_cast<as_event_header *>(r.data())->size = uint32_t(r.size());
    return r;
}

std::string tlsRecord(uint32_t offset, uint32_t total, const std::string &data)
{
    as_tls_data t{};
    t.h.type = AS_EV_TLS_DATA;
    t.conn = 0xdeadbeef;
    t.fd = 5;
    t.dir = AS_TLS_WRITE;
    t.total_len = total;
    t.offset = offset;
    t.len = uint32_t(data.size());
    std::string r(reinterpret_cast<const char *>(&t), sizeof t);
    r += data;
    reinterpret_cast<as_event_header *>(r.data())->size = uint32_t(r.size());
    return r;
}

} // namespace

class TstWire : public QObject {
    Q_OBJECT
private slots:
    void framesSplitAnywhereReassemble()
    {
        std::string rec1 = execRecord(100, "/usr/bin/cat", std::string("cat\0-n\0/etc/hostname", 20), "/home/u");
        std::string rec2 = tlsRecord(0, 5, "hello");
        std::string stream = encodeFrame(AS_FRAME_HELLO, helloPayload()) + encodeFrame(AS_FRAME_EVENTS, rec1 + rec2) +
                             encodeFrame(AS_FRAME_READY, {});
        std::mt19937 rng(12345);
        for (int round = 0; round < 200; ++round) {
            std::vector<uint16_t> kinds;
            std::vector<Event> events;
            FrameReader reader([&](const Frame &f) {
                kinds.push_back(f.kind);
                if (f.kind == AS_FRAME_EVENTS)
                    QVERIFY(forEachRecord(f.payload, [&](std::string_view r) {
                        Event e;
                        QVERIFY(parseEvent(r, e));
                        events.push_back(e);
                    }, nullptr));
            });
            size_t pos = 0;
            while (pos < stream.size()) {
                size_t n = std::min<size_t>(stream.size() - pos, 1 + rng() % (round < 50 ? 2 : 97));
                QVERIFY(reader.feed(std::string_view(stream).substr(pos, n)));
                pos += n;
            }
            QCOMPARE(kinds, (std::vector<uint16_t>{AS_FRAME_HELLO, AS_FRAME_EVENTS, AS_FRAME_READY}));
            QCOMPARE(events.size(), size_t(2));
            QCOMPARE(events[0].argv, (std::vector<std::string>{"cat", "-n", "/etc/hostname"}));
            QCOMPARE(events[0].filename, std::string("/usr/bin/cat"));
            QCOMPARE(events[0].cwd, std::string("/home/u"));
            QCOMPARE(events[0].comm, std::string("cat"));
            QCOMPARE(events[1].data, std::string("hello"));
            QCOMPARE(events[1].fd, 5);
            QCOMPARE(reader.hello().helper_pid, 4242u);
            QCOMPARE(reader.buffered(), size_t(0));
        }
    }

    void refusesStreamsThatAreNotOurs_data()
    {
        QTest::addColumn<QByteArray>("stream");
        QTest::addColumn<QString>("reason");
        QTest::newRow("no hello first") << QByteArray::fromStdString(encodeFrame(AS_FRAME_EVENTS, "x")) << "does not start with a hello";
        QTest::newRow("bad magic") << QByteArray::fromStdString(encodeFrame(AS_FRAME_HELLO, helloPayload(AS_PROTO_MAJOR, 42))) << "bad magic";
        QTest::newRow("newer major") << QByteArray::fromStdString(encodeFrame(AS_FRAME_HELLO, helloPayload(AS_PROTO_MAJOR + 1))) << "speaks protocol";
        QTest::newRow("short hello") << QByteArray::fromStdString(encodeFrame(AS_FRAME_HELLO, "abc")) << "does not start with a hello";
        std::string huge(8, '\0');
        as_frame_header h{0xfffffff0u, AS_FRAME_EVENTS, 0};
        std::memcpy(huge.data(), &h, 8);
        QTest::newRow("oversized frame") << QByteArray::fromStdString(encodeFrame(AS_FRAME_HELLO, helloPayload()) + huge) << "exceeds the limit";
        QTest::newRow("two hellos") << QByteArray::fromStdString(encodeFrame(AS_FRAME_HELLO, helloPayload()) + encodeFrame(AS_FRAME_HELLO, helloPayload())) << "second hello";
    }
    void refusesStreamsThatAreNotOurs()
    {
        QFETCH(QByteArray, stream);
        QFETCH(QString, reason);
        FrameReader reader([](const Frame &) {});
        QVERIFY(!reader.feed(std::string_view(stream.constData(), size_t(stream.size()))));
        QVERIFY2(QString::fromStdString(reader.error()).contains(reason), reader.error().c_str());
        QVERIFY(!reader.feed("more")); // sticky
    }

    void rejectsImpossibleRecords()
    {
        std::string good = execRecord(1, "/bin/sh", "sh", "/");
        Event e;
        std::string err;
        // A variable length that runs past the record.
        std::string bad = good;
        reinterpret_cast<as_proc_exec *>(bad.data())->cwd_len = 500;
        QVERIFY(!parseEvent(bad, e, &err));
        QVERIFY(err.find("run past") != std::string::npos);
        // A record shorter than its fixed part.
        std::string shortRec = good.substr(0, 40);
        reinterpret_cast<as_event_header *>(shortRec.data())->size = 40;
        QVERIFY(!parseEvent(shortRec, e, &err));
        // A TLS chunk claiming bytes beyond its call.
        QVERIFY(!parseEvent(tlsRecord(10, 12, "abcd"), e, &err));
        QVERIFY(err.find("outside its call") != std::string::npos);
        // A batch whose second record lies about its size: the first is still delivered.
        std::string batch = good + good;
        const uint32_t lie = 100000; // the second record starts unaligned: write the field bytewise
        std::memcpy(batch.data() + good.size() + offsetof(as_event_header, size), &lie, sizeof lie);
        int seen = 0;
        QVERIFY(!forEachRecord(batch, [&](std::string_view) { ++seen; }, &err));
        QCOMPARE(seen, 1);
    }

    void unknownTypesKeepTheHeader()
    {
        as_event_header h{};
        h.type = 63;
        h.size = sizeof h + 4;
        h.tgid = 9;
        std::string r(reinterpret_cast<const char *>(&h), sizeof h);
        r += "abcd";
        Event e;
        QVERIFY(parseEvent(r, e));
        QCOMPARE(e.tgid, 9u);
        QCOMPARE(std::string(eventTypeName(e.type)), std::string("unknown"));
    }

#ifdef AGENTSIGHT_HAVE_HELPER_COMMON
    void helperRecordsParseInTheApp()
    {
        // Round trip through the helper's own record builder and JSON writer.
        as_target t{};
        t.h.type = AS_EV_TARGET;
        t.h.tgid = 77;
        t.kind = AS_TARGET_COMMAND;
        t.op = AS_TARGET_EXITED;
        t.exit_status = 3 << 8;
        std::string name = "claude -p \"fix the tests\"";
        t.name_len = uint16_t(name.size());
        auto rec = agentsight::helper::makeRecord(t, {name});
        agentsight::helper::HelperSequencer seq;
        seq.stamp(rec);
        Event e;
        QVERIFY(parseEvent(std::string_view(reinterpret_cast<const char *>(rec.data()), rec.size()), e));
        QCOMPARE(e.name, name);
        QCOMPARE(e.exitStatus, 3 << 8);
        QCOMPARE(e.seq, uint64_t(1));
        QVERIFY(e.ktimeNs > 0);
        std::string json = agentsight::helper::JsonlWriter::format(rec.data(), rec.size(), 0);
        QVERIFY2(json.find("\"name\":\"claude -p \\\"fix the tests\\\"\"") != std::string::npos, json.c_str());
        QVERIFY(json.find("\"type\":\"target\"") != std::string::npos);
    }
#endif
};

QTEST_GUILESS_MAIN(TstWire)
#include "tst_wire.moc"
