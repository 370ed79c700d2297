// SPDX-License-Identifier: GPL-2.0-or-later
// The desktop app's models on real record layouts (tst_pipeline_records.h:
// the Anthropic tool-use fixture over TLS records; tst_correlate_scenario.h:
// correlation scenarios decoded by the real LLM decoder).
#include "models/conversation_model.h"
#include "models/event_filter.h"
#include "models/event_table_model.h"
#include "models/process_tree_model.h"
#include "models/session_data.h"
#include "models/timeline_model.h"
#include "llm/price_table.h"
#include "pipeline/capture_session.h"
#include "tst_correlate_scenario.h"
#include "tst_pipeline_records.h"

#include <QAbstractItemModelTester>
#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>

#include <fcntl.h>

using namespace agentsight;
using namespace agentsight::models;

namespace {

/// Every row under parent (depth first) whose column text contains needle.
QModelIndexList findText(const QAbstractItemModel &m, const QString &needle, int column, const QModelIndex &parent = {})
{
    QModelIndexList out;
    for (int r = 0; r < m.rowCount(parent); ++r) {
        const QModelIndex i = m.index(r, column, parent);
        if (i.data().toString().contains(needle))
            out << i;
        out << findText(m, needle, column, m.index(r, 0, parent));
    }
    return out;
}

/// Feeds SessionData the way the GUI does: records through a CaptureSession.
void feedRecords(SessionData &data, const std::vector<std::string> &records)
{
    static const llm::PriceTable prices = llm::PriceTable::standard();
    pipeline::CaptureSession session(&prices);
    session.addSink(&data);
    for (const auto &r : records)
        session.processRecord(r);
    session.finish(0);
}

} // namespace

class TestModels : public QObject {
    Q_OBJECT
private slots:
    void filterParser_data();
    void filterParser();
    void filterMatching();
    void capturedSession();
    void treeCountsUpdateLive();
    void scenarioLinksOnTimeline();
    void eventCapsAreCounted();
    void unexplainedCapIsCounted();
    void millionRows();
};

void TestModels::filterParser_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("terms");
    QTest::addColumn<int>("errors");
    QTest::addColumn<QString>("first");
    QTest::newRow("empty") << "" << 0 << 0 << "";
    QTest::newRow("fields") << "pid:123 type:file path:/etc" << 3 << 0 << "pid=123";
    QTest::newRow("free text") << "curl  wget" << 2 << 0 << "text=curl";
    QTest::newRow("quoted") << "path:\"/tmp/a b\"" << 1 << 0 << "path=/tmp/a b";
    QTest::newRow("negated") << "-type:tls" << 1 << 0 << "-type=tls";
    QTest::newRow("bad pid") << "pid:abc type:exec" << 1 << 1 << "type=exec";
    QTest::newRow("unknown key") << "user:root" << 0 << 1 << "";
    QTest::newRow("url stays text") << "https://api.anthropic.com" << 1 << 0 << "text=https://api.anthropic.com";
    QTest::newRow("type is lower-cased") << "TYPE:Open" << 1 << 0 << "type=open";
}

void TestModels::filterParser()
{
    QFETCH(QString, text);
    QFETCH(int, terms);
    QFETCH(int, errors);
    QFETCH(QString, first);
    const EventFilter f = parseEventFilter(text);
    QCOMPARE(int(f.terms.size()), terms);
    QCOMPARE(int(f.errors.size()), errors);
    if (terms) {
        const auto &t = f.terms.front();
        static const char *keys[] = {"pid", "type", "path", "text"};
        const QString got = (t.negated ? QStringLiteral("-") : QString()) + QLatin1String(keys[int(t.key)]) +
            QLatin1Char('=') + (t.key == EventFilter::Term::Key::Pid ? QString::number(t.number) : t.value);
        QCOMPARE(got, first);
    }
}

void TestModels::filterMatching()
{
    const EventFilter f = parseEventFilter(QStringLiteral("pid:10 pid:11 type:file path:/etc"));
    QVERIFY(f.matches(10, AS_EV_FILE_OPEN, "/etc/passwd"));
    QVERIFY(f.matches(11, AS_EV_FILE_UNLINK, "/etc/x"));         // same key: either pid
    QVERIFY(!f.matches(12, AS_EV_FILE_OPEN, "/etc/passwd"));     // other pid
    QVERIFY(!f.matches(10, AS_EV_PROC_EXEC, "cat /etc/passwd")); // type is a source name
    QVERIFY(!f.matches(10, AS_EV_FILE_OPEN, "/home/x"));
    const EventFilter neg = parseEventFilter(QStringLiteral("-type:tls_data curl"));
    QVERIFY(neg.matches(1, AS_EV_PROC_EXEC, "curl -s https://x"));
    QVERIFY(!neg.matches(1, AS_EV_TLS_DATA, "curl"));
    QVERIFY(!neg.matches(1, AS_EV_PROC_EXEC, "wget x"));
    const EventFilter mixed = parseEventFilter(QStringLiteral("-pid:10 path:/etc"));
    QVERIFY(!mixed.matches(10, AS_EV_FILE_OPEN, "/etc/x"));
    QVERIFY(mixed.matches(11, AS_EV_FILE_OPEN, "/etc/x"));
    QVERIFY(!mixed.matches(11, AS_EV_FILE_OPEN, "/home/x"));
    QVERIFY(parseEventFilter(QStringLiteral("type:exec type:open")).matches(3, AS_EV_PROC_EXEC, ""));
    QVERIFY(!parseEventFilter(QStringLiteral("type:exec -path:x")).matches(3, AS_EV_PROC_EXEC, "x y"));
    // Bytes that are not UTF-8 never break matching.
    QVERIFY(parseEventFilter(QStringLiteral("path:/tmp")).matches(1, AS_EV_FILE_OPEN, std::string_view("/tmp/\xff\xfe", 7)));
}

void TestModels::capturedSession()
{
    SessionData data;
    ProcessTreeModel tree(data);
    ConversationModel conv(data);
    EventTableModel events(data);
    EventFilterProxy proxy;
    proxy.setSourceModel(&events);
    TimelineModel timeline(data);
    QAbstractItemModelTester t1(&tree, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QAbstractItemModelTester t2(&conv, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QAbstractItemModelTester t3(&events, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QAbstractItemModelTester t4(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QAbstractItemModelTester t5(&timeline, QAbstractItemModelTester::FailureReportingMode::QtTest);

    test::RecordBuilder b;
    const auto records = test::anthropicSession(b, 4242);
    feedRecords(data, records);
    tree.refresh();
    conv.refresh();
    events.refresh();
    timeline.refresh();

    // Tree: the agent on top, its process beneath with argv, cwd, exit, counts.
    // The agent first; the parent shell (pid 1000, never seen starting) is not part of it.
    QCOMPARE(tree.rowCount(), 2);
    const QModelIndex agent = tree.index(0, 0);
    QCOMPARE(agent.data(ProcessTreeModel::KindRole).toInt(), int(ProcessTreeModel::NodeKind::Agent));
    QCOMPARE(tree.index(1, 0).data(ProcessTreeModel::KindRole).toInt(), int(ProcessTreeModel::NodeKind::Other));
    QCOMPARE(tree.index(0, 0, tree.index(1, 0)).data(ProcessTreeModel::PidRole).toUInt(), 1000u);
    QCOMPARE(tree.index(0, ProcessTreeModel::LlmCalls).data().toULongLong(), 1ULL);
    const QModelIndexList procs = findText(tree, QStringLiteral("node agent.js --print hi"), ProcessTreeModel::Command, agent);
    QCOMPARE(procs.size(), 1);
    const QModelIndex proc = procs.first().siblingAtColumn(0);
    QCOMPARE(proc.siblingAtColumn(ProcessTreeModel::Pid).data().toUInt(), 4242u);
    QCOMPARE(proc.siblingAtColumn(ProcessTreeModel::Cwd).data().toString(), QStringLiteral("/work/proj"));
    QCOMPARE(proc.siblingAtColumn(ProcessTreeModel::State).data().toString(), QStringLiteral("exited 0"));
    QCOMPARE(proc.siblingAtColumn(ProcessTreeModel::LlmCalls).data().toULongLong(), 1ULL);
    QCOMPARE(proc.siblingAtColumn(ProcessTreeModel::FilesWritten).data().toULongLong(), 1ULL);
    QCOMPARE(proc.siblingAtColumn(ProcessTreeModel::Connections).data().toULongLong(), 1ULL);
    QVERIFY(proc.siblingAtColumn(ProcessTreeModel::Tokens).data().toLongLong() > 0);
    QVERIFY(proc.siblingAtColumn(ProcessTreeModel::Cost).data().toString().startsWith(QLatin1Char('$')));

    // Conversation of that agent: the prompt text and the tool call with its arguments.
    conv.setAgent(agent.data(ProcessTreeModel::AgentIdRole).toUInt());
    QCOMPARE(conv.rowCount(), 1);
    QVERIFY(conv.index(0, ConversationModel::Content).data().toString().contains(QStringLiteral("claude-sonnet-4-5")));
    QVERIFY(!findText(conv, QStringLiteral("List the files in this directory"), ConversationModel::Content).isEmpty());
    const QModelIndexList calls = findText(conv, QStringLiteral("Tool call Bash"), ConversationModel::Part);
    QCOMPARE(calls.size(), 1);
    QVERIFY(calls.first().data(ConversationModel::FullTextRole).toString().contains(QStringLiteral("\"command\": \"ls -la\"")));
    QCOMPARE(calls.first().data(ConversationModel::PromptSideRole).toBool(), false);
    conv.setAgent(agent.data(ProcessTreeModel::AgentIdRole).toUInt() + 100);
    QCOMPARE(conv.rowCount(), 0);

    // Events: every record is a row; the filter finds exactly the file write.
    QCOMPARE(std::size_t(events.rowCount()), records.size());
    QVERIFY(proxy.setFilterText(QStringLiteral("pid:4242 type:open path:notes")).isEmpty());
    QCOMPARE(proxy.rowCount(), 1);
    QCOMPARE(proxy.index(0, EventTableModel::Detail).data().toString(), QStringLiteral("/work/proj/notes.txt"));
    proxy.setFilterText(QStringLiteral("pid:1"));
    QCOMPARE(proxy.rowCount(), 0);
    proxy.setFilterText(QString());
    proxy.sort(EventTableModel::Pid, Qt::DescendingOrder);
    QCOMPARE(proxy.index(0, EventTableModel::Pid).data().toUInt(), 4242u);

    // Timeline: the LLM call spans its request..response, the process and the file are marks.
    const int llmItem = timeline.itemFor(TimelineModel::RefKind::Exchange, 0);
    QVERIFY(llmItem >= 0);
    const auto &it = timeline.items()[std::size_t(llmItem)];
    QCOMPARE(it.lane, TimelineModel::Lane::LlmCalls);
    QVERIFY(it.endNs > it.startNs);
    QVERIFY(timeline.itemFor(TimelineModel::RefKind::Process, proc.data(ProcessTreeModel::ProcessIdRole).toULongLong()) >= 0);
    bool fileMark = false;
    for (const auto &i : timeline.items())
        fileMark |= i.lane == TimelineModel::Lane::Files && i.label.contains(QStringLiteral("notes.txt"));
    QVERIFY(fileMark);
    QCOMPARE(data.lostTotal(), 0ULL);
}

void TestModels::treeCountsUpdateLive()
{
    // Half the records first (process started, no LLM call complete yet), then the rest:
    // the count columns must change and be announced (a live view repaints them).
    SessionData data;
    ProcessTreeModel tree(data);
    QAbstractItemModelTester tester(&tree, QAbstractItemModelTester::FailureReportingMode::QtTest);
    static const llm::PriceTable prices = llm::PriceTable::standard();
    pipeline::CaptureSession session(&prices);
    session.addSink(&data);
    test::RecordBuilder b;
    const auto records = test::anthropicSession(b, 4242);
    const std::size_t half = 3; // fork, exec, connect
    for (std::size_t i = 0; i < half; ++i)
        session.processRecord(records[i]);
    tree.refresh();
    const QModelIndex agent = tree.index(0, 0);
    QCOMPARE(tree.index(0, ProcessTreeModel::LlmCalls).data().toULongLong(), 0ULL);
    QCOMPARE(tree.index(0, ProcessTreeModel::Connections).data().toULongLong(), 1ULL);
    QSignalSpy changed(&tree, &QAbstractItemModel::dataChanged);
    tree.refresh();
    QCOMPARE(changed.count(), 0); // nothing new, nothing announced
    for (std::size_t i = half; i < records.size(); ++i)
        session.processRecord(records[i]);
    session.finish(0);
    tree.refresh();
    QCOMPARE(tree.index(0, ProcessTreeModel::LlmCalls).data().toULongLong(), 1ULL);
    bool announced = false;
    for (const auto &args : changed) {
        const QModelIndex tl = args.at(0).toModelIndex(), br = args.at(1).toModelIndex();
        announced |= tl.row() == agent.row() && !tl.parent().isValid() && tl.column() <= ProcessTreeModel::LlmCalls &&
            br.column() >= ProcessTreeModel::LlmCalls;
    }
    QVERIFY(announced);
    QCOMPARE(tree.index(0, ProcessTreeModel::State).data().toString(), QStringLiteral("ended"));
}

void TestModels::scenarioLinksOnTimeline()
{
    const llm::LlmDecoder decoder;
    const auto sc = correlate::test::loadScenario(QStringLiteral(AGENTSIGHT_TEST_DATA "/correlate/claude_bash.json"), decoder);
    QVERIFY2(sc.error.isEmpty(), qPrintable(sc.error));
    QVERIFY(!sc.expectedLinks.empty());
    SessionData data;
    TimelineModel timeline(data);
    ProcessTreeModel tree(data);
    QAbstractItemModelTester t1(&timeline, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QAbstractItemModelTester t2(&tree, QAbstractItemModelTester::FailureReportingMode::QtTest);
    // Refresh while feeding, as the live GUI does on its timer.
    std::size_t n = 0;
    for (const auto &st : sc.steps) {
        if (st.isEvent) {
            data.onEvent(st.event, {});
        } else {
            decode::HttpExchange http;
            http.conn = {st.tgid, st.conn};
            data.onLlmExchange(st.exchange, http);
        }
        if (++n % 3 == 0) {
            timeline.refresh();
            tree.refresh();
        }
    }
    data.finish();
    timeline.refresh();
    tree.refresh();

    // Every link the scenario expects is drawn from the Bash call to the mark at the action's time.
    for (const auto &[callId, label] : sc.expectedLinks) {
        bool drawn = false;
        for (const auto &l : timeline.links()) {
            const auto &from = timeline.items()[std::size_t(l.from)];
            const auto &to = timeline.items()[std::size_t(l.to)];
            if (from.lane != TimelineModel::Lane::ToolCalls ||
                QString::fromStdString(data.toolCalls()[from.ref].callId) != callId)
                continue;
            for (const auto &[key, lab] : sc.labels)
                if (lab == label && key.first == to.pid && (key.second == to.startNs || to.refKind == TimelineModel::RefKind::Process))
                    drawn = true;
        }
        QVERIFY2(drawn, qPrintable(callId + QStringLiteral(" -> ") + label));
    }
    // Links never point at nothing, and a tool call's links are found from either end.
    for (const auto &l : timeline.links()) {
        QVERIFY(l.from >= 0 && l.to >= 0);
        QVERIFY(!timeline.linksOf(l.to).empty());
    }
}

void TestModels::eventCapsAreCounted()
{
    SessionData::Limits lim;
    lim.maxEvents = 10;
    lim.maxDetailBytes = 8;
    SessionData data(lim);
    EventTableModel events(data);
    for (int i = 0; i < 25; ++i) {
        wire::Event e;
        e.type = AS_EV_FILE_OPEN;
        e.tgid = 77;
        e.ktimeNs = 1000 + i;
        e.path = "/a/very/long/path/name";
        data.onEvent(e, {});
    }
    events.refresh();
    QCOMPARE(events.rowCount(), 10);
    QCOMPARE(data.eventsNotKept(), 15ULL);
    QCOMPARE(data.detailsCut(), 10ULL);
    QCOMPARE(data.eventsSeen(), 25ULL);
    QCOMPARE(events.index(0, EventTableModel::Detail).data().toString(), QStringLiteral("/a/very/"));
}

void TestModels::unexplainedCapIsCounted()
{
    // claude_bash has unexplained actions (git); a cap of one keeps one and counts all.
    const llm::LlmDecoder decoder;
    const auto sc = correlate::test::loadScenario(QStringLiteral(AGENTSIGHT_TEST_DATA "/correlate/claude_bash.json"), decoder);
    QVERIFY2(sc.error.isEmpty(), qPrintable(sc.error));
    SessionData::Limits lim;
    lim.maxUnexplained = 1;
    SessionData data(lim);
    for (const auto &st : sc.steps) {
        if (st.isEvent) {
            data.onEvent(st.event, {});
        } else {
            decode::HttpExchange http;
            http.conn = {st.tgid, st.conn};
            data.onLlmExchange(st.exchange, http);
        }
    }
    data.finish();
    QVERIFY(data.unexplainedTotal() >= sc.expectedUnexplained.size());
    QVERIFY(data.unexplainedTotal() > 1);
    QCOMPARE(data.unexplained().size(), std::size_t(1));
}

void TestModels::millionRows()
{
    // The table is meant for a million rows: store, insert, filter and sort them.
    constexpr int kRows = 1'000'000;
    SessionData data;
    QElapsedTimer timer;
    timer.start();
    wire::Event e;
    e.type = AS_EV_FILE_OPEN;
    for (int i = 0; i < kRows; ++i) {
        e.tgid = 100 + uint32_t(i % 50);
        e.ktimeNs = 1'000'000 + uint64_t(i) * 1000;
        e.seq = uint64_t(i);
        e.path = "/srv/data/file" + std::to_string(i % 1000) + ".txt";
        e.openFlags = O_RDONLY;
        data.onEvent(e, {});
    }
    const qint64 feedMs = timer.restart();
    EventTableModel events(data);
    EventFilterProxy proxy;
    proxy.setSourceModel(&events);
    QCOMPARE(events.rowCount(), kRows);
    QCOMPARE(proxy.rowCount(), kRows);
    proxy.setFilterText(QStringLiteral("pid:107 path:file457."));
    const qint64 filterMs = timer.restart();
    // pid 107 is i % 50 == 7, file457 is i % 1000 == 457 (457 % 50 == 7): one row per thousand.
    QCOMPARE(proxy.rowCount(), kRows / 1000);
    qInfo("1M events: feed %lld ms, filter %lld ms, %d rows match", feedMs, filterMs, proxy.rowCount());
    proxy.setFilterText(QStringLiteral("pid:108 path:file457."));
    QCOMPARE(proxy.rowCount(), 0);
}

QTEST_GUILESS_MAIN(TestModels)
#include "tst_models.moc"
