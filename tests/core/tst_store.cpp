// SPDX-License-Identifier: GPL-2.0-or-later
// Recordings: schema and identity, byte-exact round trip of records, the
// LLM exchange of a real Anthropic SSE fixture stored with indexed columns
// and reproduced by a replay, the batched writer under load (drops counted,
// never silent), rejection of corrupt / foreign / newer files with the right
// message, JSON lines export -> import -> identical export, and a SIGKILL of
// the writing process losing at most about the last second.
#include "llm/price_table.h"
#include "pipeline/capture_session.h"
#include "pipeline/memory_event_source.h"
#include "store/jsonl_transfer.h"
#include "store/recording.h"
#include "store/recording_event_source.h"
#include "store/recording_writer.h"
#include "store/secret_scrub.h"
#include "tst_pipeline_records.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

#include <csignal>
#include <ctime>
#include <sys/wait.h>
#include <unistd.h>

#include <sqlite3.h>

using namespace agentsight;
using namespace agentsight::store;

namespace {

struct LlmCollector : pipeline::PipelineSink {
    std::vector<std::string> json;
    void onLlmExchange(const llm::LlmExchange &x, const decode::HttpExchange &) override
    {
        json.push_back(QJsonDocument(x.toJson()).toJson(QJsonDocument::Compact).toStdString());
    }
};

std::string fileBytes(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll().toStdString() : std::string();
}

void writeBytes(const QString &path, const QByteArray &b)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write(b);
}

uint64_t monoNs()
{
    timespec ts{};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return uint64_t(ts.tv_sec) * 1'000'000'000ull + uint64_t(ts.tv_nsec);
}

std::string sqlOpenError(const std::string &path)
{
    std::string err;
    auto r = Recording::open(path, Recording::Mode::Read, &err);
    return r ? std::string() : err;
}

} // namespace

class TestStore : public QObject {
    Q_OBJECT
private slots:
    void init() { QVERIFY(m_dir.isValid()); }
    void newRecordingSchema();
    void eventsRoundTripByteExact();
    void processesFromForkExecExit();
    void llmExchangeStoredAndReplayed();
    void linksAndFindings();
    void scrubKeepsLengthAndPrefix();
    void writerUnderLoadBatches();
    void writerQueueFullCountsDrops();
    void rejectsBadFiles_data();
    void rejectsBadFiles();
    void refusesToOverwrite();
    void jsonlRoundTripIdentical();
    void jsonlImportErrors();
    void sigkillLosesAtMostLastSecond();

private:
    std::string path(const char *name) const { return m_dir.filePath(QString::fromLatin1(name)).toStdString(); }
    std::string recordAnthropic(const char *name, std::vector<std::string> *llmJson = nullptr);
    QTemporaryDir m_dir;
};

void TestStore::newRecordingSchema()
{
    std::string err;
    auto w = RecordingWriter::create(path("schema.agentsight"), &err);
    QVERIFY2(w, err.c_str());
    QVERIFY(w->close());
    auto r = Recording::open(path("schema.agentsight"), Recording::Mode::Read, &err);
    QVERIFY2(r, err.c_str());
    QCOMPARE(Recording::schemaVersion(), 1);
    QCOMPARE(r->db().queryInt("PRAGMA user_version").value_or(-1), int64_t(Recording::schemaVersion()));
    QCOMPARE(r->db().queryInt("PRAGMA application_id").value_or(-1), int64_t(Recording::kApplicationId));
    SqliteStatement jm(r->db(), "PRAGMA journal_mode");
    QVERIFY(jm.step());
    QCOMPARE(jm.columnText(0), std::string("wal"));
    QCOMPARE(r->metaText("format").value_or(""), std::string("agentsight-recording"));
    QCOMPARE(r->metaInt("schema_version").value_or(-1), int64_t(1));
    QVERIFY(r->metaText("created").has_value());
    QVERIFY(r->metaText("ended").has_value() == false); // no pipeline ran
    for (const char *t : {"events", "processes", "http_exchanges", "llm_exchanges", "links", "findings", "drops"})
        QCOMPARE(r->count(t), int64_t(0));
}

void TestStore::eventsRoundTripByteExact()
{
    test::RecordBuilder b;
    std::vector<std::string> recs = test::anthropicSession(b, 900);
    b.ktime = (uint64_t(1) << 62) + 12345; // beyond double precision: must survive exactly
    recs.push_back(b.open(900, "/big/ktime", 0, 3));
    pipeline::CaptureSession session;
    std::string err;
    auto w = RecordingWriter::create(path("events.agentsight"), &err);
    QVERIFY2(w, err.c_str());
    session.addSink(w.get());
    pipeline::MemoryEventSource src(recs);
    QVERIFY(src.run(session));
    QVERIFY(w->close());
    QCOMPARE(w->droppedRows(), uint64_t(0));

    auto r = Recording::open(path("events.agentsight"), Recording::Mode::Read, &err);
    QVERIFY2(r, err.c_str());
    size_t i = 0;
    QVERIFY(r->forEachEvent([&](const EventRow &row) {
        wire::Event e;
        [&] {
            QVERIFY(i < recs.size());
            // Byte-exact, except credentials scrubbed in TLS plaintext.
            std::string expected = recs[i];
            if (row.type == AS_EV_TLS_DATA)
                scrubHttpSecrets(expected, sizeof(as_tls_data));
            QCOMPARE(row.raw, expected);
            QCOMPARE(row.raw.size(), recs[i].size());
            QVERIFY(wire::parseEvent(row.raw, e));
            QCOMPARE(row.type, e.type);
            QCOMPARE(row.ktimeNs, e.ktimeNs);
            QCOMPARE(row.seq, e.seq);
            QCOMPARE(row.tgid, e.tgid);
            QCOMPARE(row.source, wire::eventSource(e.type));
        }();
        ++i;
        return true;
    }));
    QCOMPARE(i, recs.size());
    QCOMPARE(r->metaInt("helper_exit_code").value_or(-9), int64_t(0));
}

void TestStore::processesFromForkExecExit()
{
    test::RecordBuilder b;
    std::vector<std::string> recs;
    recs.push_back(b.fork(100, 200, 5000, "bash"));
    recs.push_back(b.exec(200, 100, 5000, "/bin/sh", {"sh", "-c", "echo hi > /tmp/x"}, "/home/u"));
    recs.push_back(b.exec(200, 100, 5000, "/usr/bin/env", {"env", "python3"}, "/home/u"));
    recs.push_back(b.fork(200, 201, 6000, "env"));
    recs.push_back(b.exit(201, 6000, 3));
    recs.push_back(b.exit(200, 5000, 0));
    pipeline::CaptureSession session;
    std::string err;
    auto w = RecordingWriter::create(path("procs.agentsight"), &err);
    QVERIFY2(w, err.c_str());
    session.addSink(w.get());
    pipeline::MemoryEventSource src(recs);
    QVERIFY(src.run(session));
    QVERIFY(w->close());
    auto r = Recording::open(path("procs.agentsight"), Recording::Mode::Read, &err);
    QVERIFY2(r, err.c_str());
    const auto procs = r->processes();
    QCOMPARE(procs.size(), size_t(3)); // two images of 200, one (never exec'd) child 201
    QCOMPARE(procs[0].filename, std::string("/bin/sh"));
    QCOMPARE(procs[0].argvJson, std::string(R"(["sh","-c","echo hi > /tmp/x"])"));
    QCOMPARE(procs[0].ppid, 100u);
    QCOMPARE(procs[0].cwd, std::string("/home/u"));
    QCOMPARE(procs[1].filename, std::string("/usr/bin/env"));
    QCOMPARE(procs[2].tgid, 201u);
    QCOMPARE(procs[2].comm, std::string("env"));
    QCOMPARE(procs[2].exitCode.value_or(-1), 3);
    QCOMPARE(procs[0].exitCode.value_or(-1), 0);
    QCOMPARE(procs[1].exitCode.value_or(-1), 0);
}

std::string TestStore::recordAnthropic(const char *name, std::vector<std::string> *llmJson)
{
    const llm::PriceTable prices = llm::PriceTable::standard();
    pipeline::CaptureSession session(&prices);
    LlmCollector live;
    std::string err;
    auto w = RecordingWriter::create(path(name), &err);
    if (!w)
        return err;
    session.addSink(w.get());
    session.addSink(&live);
    test::RecordBuilder b;
    pipeline::MemoryEventSource src(test::anthropicSession(b, 901));
    as_hello h{};
    h.magic = AS_PROTO_MAGIC;
    h.proto_major = AS_PROTO_MAJOR;
    h.schema_major = AS_SCHEMA_MAJOR;
    h.boot_to_wall_ns = 1'763'000'000'000'000'000LL;
    h.helper_pid = 31337;
    src.setHello(h);
    src.run(session);
    if (!w->close())
        return w->error();
    if (llmJson)
        *llmJson = live.json;
    return {};
}

void TestStore::llmExchangeStoredAndReplayed()
{
    std::vector<std::string> liveJson;
    const std::string err0 = recordAnthropic("llm.agentsight", &liveJson);
    QVERIFY2(err0.empty(), err0.c_str());
    QCOMPARE(liveJson.size(), size_t(1));

    std::string err;
    auto r = Recording::open(path("llm.agentsight"), Recording::Mode::Read, &err);
    QVERIFY2(r, err.c_str());
    QCOMPARE(r->metaInt("boot_to_wall_ns").value_or(0), int64_t(1'763'000'000'000'000'000LL));
    QCOMPARE(r->metaInt("helper_pid").value_or(0), int64_t(31337));
    const auto llm = r->llmExchanges();
    QCOMPARE(llm.size(), size_t(1));
    QCOMPARE(llm[0].model, std::string("claude-sonnet-4-5-20250929"));
    QCOMPARE(llm[0].provider, std::string("anthropic"));
    QCOMPARE(llm[0].api, std::string("anthropic.messages"));
    QCOMPARE(llm[0].inputTokens, int64_t(1412));
    QCOMPARE(llm[0].outputTokens, int64_t(85));
    QCOMPARE(llm[0].toolCalls, 1);
    QVERIFY(llm[0].costUsd && std::abs(*llm[0].costUsd - 0.002421) < 1e-6);
    QCOMPARE(llm[0].tgid, 901u);
    QCOMPARE(llm[0].detailJson, liveJson[0]);
    const auto http = r->httpExchanges();
    QCOMPARE(http.size(), size_t(1));
    QVERIFY(llm[0].httpId && *llm[0].httpId == http[0].id);
    QCOMPARE(http[0].status, 200);
    QCOMPARE(http[0].authority, std::string("api.anthropic.com"));
    QVERIFY(http[0].detailJson.find("sk-ant-test-secret") == std::string::npos);
    // The raw TLS records are scrubbed too (same length), nowhere in the file.
    QVERIFY(fileBytes(QString::fromStdString(path("llm.agentsight"))).find("sk-ant-test-secret") == std::string::npos);
    QCOMPARE(r->metaInt("secrets_scrubbed").value_or(0), int64_t(1));

    // Replay from the recording alone rebuilds the same LLM exchange.
    const llm::PriceTable prices = llm::PriceTable::standard();
    pipeline::CaptureSession replay(&prices);
    LlmCollector again;
    replay.addSink(&again);
    RecordingEventSource src(*r);
    QVERIFY2(src.run(replay), src.error().c_str());
    QCOMPARE(replay.hello().helper_pid, 31337u);
    QCOMPARE(again.json, liveJson);
    QCOMPARE(replay.counters().events, uint64_t(r->count("events")));
}

void TestStore::scrubKeepsLengthAndPrefix()
{
    std::string req = "GET /v1beta/models/x:generateContent?alt=sse&key=AIzaSyD-secretsecretsecret HTTP/1.1\r\n"
                      "Host: h\r\nAuthorization: Bearer sk-proj-abcdefghijklmnopqrstuvwxyz\r\n"
                      "x-goog-api-key: AIzaSyD-anothersecretvalue\r\nContent-Type: application/json\r\n\r\n"
                      "{\"a\":1}";
    const size_t before = req.size();
    QCOMPARE(scrubHttpSecrets(req), size_t(3));
    QCOMPARE(req.size(), before);
    QVERIFY(req.find("secret") == std::string::npos);
    QVERIFY(req.find("abcdefghijklmnop") == std::string::npos);
    QVERIFY(req.find("Authorization: Bearer sk-proj-***") != std::string::npos);
    QVERIFY(req.find("Host: h\r\n") != std::string::npos);
    QVERIFY(req.find("Content-Type: application/json") != std::string::npos);
    QVERIFY(req.find("alt=sse&key=") != std::string::npos);
    QCOMPARE(scrubHttpSecrets(req), size_t(0)); // idempotent
}

void TestStore::linksAndFindings()
{
    std::string err;
    auto w = RecordingWriter::create(path("links.agentsight"), &err);
    QVERIFY2(w, err.c_str());
    QVERIFY(w->addLink({0, "tool_exec", "llm:1/tool:toolu_01", "event:42", 0.97,
                        R"(["lineage: child of the agent","argv matches command"])", 123}));
    QVERIFY(w->addFinding({0, "unexplained_action", "medium", R"(["event:77"])", 0.8, R"(["no tool call"])",
                           "curl to an unknown host", 456}));
    QVERIFY(w->close());
    auto r = Recording::open(path("links.agentsight"), Recording::Mode::Read, &err);
    QVERIFY2(r, err.c_str());
    const auto links = r->links();
    QCOMPARE(links.size(), size_t(1));
    QCOMPARE(links[0].toRef, std::string("event:42"));
    QCOMPARE(links[0].confidence, 0.97);
    const auto f = r->findings();
    QCOMPARE(f.size(), size_t(1));
    QCOMPARE(f[0].summary, std::string("curl to an unknown host"));
    QCOMPARE(f[0].subjectsJson, std::string(R"(["event:77"])"));
}

void TestStore::writerUnderLoadBatches()
{
    // 200 k events through the real pipeline into the writer: all stored, in
    // several transactions, with the live thread never waiting for disk.
    std::string err;
    auto w = RecordingWriter::create(path("load.agentsight"), &err);
    QVERIFY2(w, err.c_str());
    pipeline::CaptureSession session;
    session.addSink(w.get());
    test::RecordBuilder b;
    const int n = 200000;
    QElapsedTimer t;
    t.start();
    for (int i = 0; i < n; ++i)
        session.processRecord(b.open(1000 + uint32_t(i % 50), "/tmp/load/file" + std::to_string(i), 0, 3));
    const qint64 feedMs = t.elapsed();
    session.finish(0);
    QVERIFY(w->close());
    QCOMPARE(w->droppedRows(), uint64_t(0));
    QVERIFY2(w->batches() >= uint64_t(n / 5000), std::to_string(w->batches()).c_str());
    auto r = Recording::open(path("load.agentsight"), Recording::Mode::Read, &err);
    QVERIFY2(r, err.c_str());
    QCOMPARE(r->count("events"), int64_t(n));
    qInfo("fed %d events in %lld ms (%.0f k/s on the live thread), %llu batches, peak queue %zu KiB", n, feedMs,
          n / std::max<double>(1, feedMs), (unsigned long long)w->batches(), w->peakQueuedBytes() / 1024);
}

void TestStore::writerQueueFullCountsDrops()
{
    WriterLimits tiny;
    tiny.maxQueuedBytes = 64 * 1024; // a few hundred rows
    tiny.flushIntervalMs = 1000;
    std::string err;
    auto w = RecordingWriter::create(path("full.agentsight"), &err, tiny);
    QVERIFY2(w, err.c_str());
    pipeline::CaptureSession session;
    session.addSink(w.get());
    test::RecordBuilder b;
    const int n = 50000;
    for (int i = 0; i < n; ++i)
        session.processRecord(b.open(7, "/tmp/full/" + std::to_string(i), 0, 3));
    session.finish(0);
    QVERIFY(w->close());
    QVERIFY(w->droppedRows() > 0);
    auto r = Recording::open(path("full.agentsight"), Recording::Mode::Read, &err);
    QVERIFY2(r, err.c_str());
    const int64_t stored = r->count("events");
    QCOMPARE(uint64_t(stored) + w->droppedRows(), uint64_t(n));
    uint64_t recorded = 0;
    for (const auto &d : r->drops())
        if (d.origin == "recorder")
            recorded += d.count;
    QCOMPARE(recorded, w->droppedRows());
}

void TestStore::rejectsBadFiles_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("message");
    QTest::newRow("random bytes") << "random" << "not an SQLite database or it is corrupt";
    QTest::newRow("empty file") << "empty" << "empty file";
    QTest::newRow("missing") << "missing" << "no such file";
    QTest::newRow("other application's SQLite") << "foreign" << "SQLite database of another application";
    QTest::newRow("newer schema") << "newer" << "newer AgentSight (recording schema 99";
    QTest::newRow("truncated recording") << "truncated" << "corrupt";
}

void TestStore::rejectsBadFiles()
{
    QFETCH(QString, kind);
    QFETCH(QString, message);
    const std::string p = path("bad.agentsight");
    ::unlink(p.c_str());
    if (kind == "random") {
        QByteArray junk(8192, '\0');
        for (int i = 0; i < junk.size(); ++i)
            junk[i] = char((i * 7919) ^ 0x5a);
        writeBytes(QString::fromStdString(p), junk);
    } else if (kind == "empty") {
        writeBytes(QString::fromStdString(p), {});
    } else if (kind == "foreign") {
        sqlite3 *db = nullptr;
        QCOMPARE(sqlite3_open(p.c_str(), &db), SQLITE_OK);
        sqlite3_exec(db, "CREATE TABLE notes(x); INSERT INTO notes VALUES(1)", nullptr, nullptr, nullptr);
        sqlite3_close(db);
    } else if (kind == "newer") {
        QVERIFY(recordAnthropic("bad.agentsight").empty());
        sqlite3 *db = nullptr;
        QCOMPARE(sqlite3_open(p.c_str(), &db), SQLITE_OK);
        sqlite3_exec(db, "PRAGMA user_version = 99", nullptr, nullptr, nullptr);
        sqlite3_close(db);
    } else if (kind == "truncated") {
        QVERIFY(recordAnthropic("bad.agentsight").empty());
        const std::string all = fileBytes(QString::fromStdString(p));
        QVERIFY(all.size() > 8192);
        writeBytes(QString::fromStdString(p), QByteArray::fromStdString(all.substr(0, 4096 + 100)));
    }
    std::string err = sqlOpenError(p);
    if (kind == "truncated" && err.empty()) {
        // The header page survived: the damage must surface on the first read.
        auto r = Recording::open(p, Recording::Mode::Read, &err);
        QVERIFY(r);
        QVERIFY(!r->forEachEvent([](const EventRow &) { return true; }));
        err = r->lastError();
    }
    QVERIFY2(QString::fromStdString(err).contains(message), err.c_str());
}

void TestStore::refusesToOverwrite()
{
    QVERIFY(recordAnthropic("keep.agentsight").empty());
    const std::string before = fileBytes(QString::fromStdString(path("keep.agentsight")));
    std::string err;
    QVERIFY(!RecordingWriter::create(path("keep.agentsight"), &err));
    QVERIFY2(QString::fromStdString(err).contains("already exists"), err.c_str());
    QCOMPARE(fileBytes(QString::fromStdString(path("keep.agentsight"))), before);
}

void TestStore::jsonlRoundTripIdentical()
{
    QVERIFY(recordAnthropic("orig.agentsight").empty());
    std::string err;
    {
        auto r = Recording::open(path("orig.agentsight"), Recording::Mode::Append, &err);
        QVERIFY2(r, err.c_str());
        LinkRow l{0, "tool_exec", "llm:1/tool:toolu_01A09q90qw90lq917835lq9", "event:2", 0.9, R"(["lineage"])", 77};
        QVERIFY(r->insertLink(l));
        FindingRow f{0, "secret_in_prompt", "high", R"(["llm:1"])", 1.0, R"(["x-api-key header"])", "key seen", 78};
        QVERIFY(r->insertFinding(f));
        QVERIFY(r->addDrop({"kernel", AS_SRC_TLS, 5}));
        // An event whose ktime does not fit a double: JSON must keep it exact.
        test::RecordBuilder b;
        b.ktime = (uint64_t(1) << 62) + 3;
        const std::string rec = b.open(5, "/exact", 0, 1);
        wire::Event e;
        QVERIFY(wire::parseEvent(rec, e));
        EventRow row;
        row.type = e.type;
        row.ktimeNs = e.ktimeNs;
        row.seq = e.seq;
        row.tgid = e.tgid;
        row.raw = rec;
        QVERIFY(r->insertEvent(row));
    }
    TransferStats st1, st2;
    {
        auto r = Recording::open(path("orig.agentsight"), Recording::Mode::Read, &err);
        QVERIFY2(r, err.c_str());
        QVERIFY2(exportJsonl(*r, path("one.jsonl"), &err, &st1), err.c_str());
    }
    QVERIFY2(importJsonl(path("one.jsonl"), path("copy.agentsight"), &err, &st2), err.c_str());
    QCOMPARE(st2.events, st1.events);
    QCOMPARE(st2.llmExchanges, uint64_t(1));
    {
        auto r = Recording::open(path("copy.agentsight"), Recording::Mode::Read, &err);
        QVERIFY2(r, err.c_str());
        QVERIFY2(exportJsonl(*r, path("two.jsonl"), &err), err.c_str());
        QCOMPARE(r->llmExchanges().at(0).model, std::string("claude-sonnet-4-5-20250929"));
        bool sawExact = false;
        r->forEachEvent([&](const EventRow &e) {
            sawExact |= e.ktimeNs == (uint64_t(1) << 62) + 3 + 1000;
            return true;
        });
        QVERIFY(sawExact);
    }
    const std::string one = fileBytes(m_dir.filePath("one.jsonl"));
    QVERIFY(one.size() > 10000);
    QCOMPARE(fileBytes(m_dir.filePath("two.jsonl")), one);
    // Each line is a JSON object with a kind; the first is the header.
    const QList<QByteArray> lines = QByteArray::fromStdString(one).split('\n');
    QCOMPARE(QJsonDocument::fromJson(lines[0]).object().value("format").toString(),
             QString::fromLatin1(kJsonlFormat));
    QSet<QString> kinds;
    for (const auto &l : lines)
        if (!l.isEmpty())
            kinds.insert(QJsonDocument::fromJson(l).object().value("kind").toString());
    for (const char *k : {"header", "meta", "event", "process", "http", "llm", "link", "finding", "drop"})
        QVERIFY2(kinds.contains(QString::fromLatin1(k)), k);
}

void TestStore::jsonlImportErrors()
{
    std::string err;
    writeBytes(m_dir.filePath("junk.jsonl"), "{\"kind\":\"event\"}\n");
    QVERIFY(!importJsonl(path("junk.jsonl"), path("junk.agentsight"), &err));
    QVERIFY2(QString::fromStdString(err).contains("not an AgentSight JSON lines export"), err.c_str());
    QVERIFY(!QFile::exists(m_dir.filePath("junk.agentsight")));

    writeBytes(m_dir.filePath("newer.jsonl"),
               "{\"kind\":\"header\",\"format\":\"agentsight-recording-jsonl\",\"version\":7}\n");
    QVERIFY(!importJsonl(path("newer.jsonl"), path("newer.agentsight"), &err));
    QVERIFY2(QString::fromStdString(err).contains("newer than this AgentSight"), err.c_str());

    writeBytes(m_dir.filePath("broken.jsonl"),
               "{\"kind\":\"header\",\"format\":\"agentsight-recording-jsonl\",\"version\":1}\n{\"kind\":\"meta\"\n");
    QVERIFY(!importJsonl(path("broken.jsonl"), path("broken.agentsight"), &err));
    QVERIFY2(err.find("broken.jsonl:2:") != std::string::npos, err.c_str());
}

void TestStore::sigkillLosesAtMostLastSecond()
{
    const std::string p = path("killed.agentsight");
    int ready[2];
    QCOMPARE(pipe(ready), 0);
    const pid_t child = fork();
    if (child == 0) {
        // Child: a recorder fed continuously; each record's ktime is the
        // monotonic clock at the moment it was handed to the pipeline.
        std::string err;
        auto w = RecordingWriter::create(p, &err);
        if (!w)
            _exit(3);
        pipeline::CaptureSession session;
        session.addSink(w.get());
        test::RecordBuilder b;
        [[maybe_unused]] ssize_t n = write(ready[1], "r", 1);
        for (int i = 0;; ++i) {
            b.ktime = monoNs() - 1000; // RecordBuilder adds 1000
            session.processRecord(b.open(42, "/tmp/k/" + std::to_string(i), 0, 3));
            usleep(200);
        }
    }
    char c = 0;
    QCOMPARE(read(ready[0], &c, 1), ssize_t(1));
    QTest::qSleep(2500);
    const uint64_t killedAt = monoNs();
    QCOMPARE(kill(child, SIGKILL), 0);
    int status = 0;
    waitpid(child, &status, 0);
    QVERIFY(WIFSIGNALED(status));

    std::string err;
    auto r = Recording::open(p, Recording::Mode::Read, &err);
    QVERIFY2(r, err.c_str());
    uint64_t last = 0, count = 0;
    QVERIFY(r->forEachEvent([&](const EventRow &e) {
        last = std::max(last, e.ktimeNs);
        ++count;
        return true;
    }));
    QVERIFY(count > 1000);
    const double missingMs = double(killedAt - last) / 1e6;
    qInfo("%llu events survived SIGKILL; the newest is %.0f ms older than the kill", (unsigned long long)count,
          missingMs);
    QVERIFY2(missingMs < 1000, std::to_string(missingMs).c_str());
}

QTEST_GUILESS_MAIN(TestStore)
#include "tst_store.moc"
