// SPDX-License-Identifier: GPL-2.0-or-later
// The main window driven like a user would (QTest clicks, offscreen): a
// recording made from real record layouts (the Anthropic tool-use fixture
// over TLS records), and a correlation scenario decoded by the real LLM decoder.
#include "agent_probe.h"
#include "code_highlighter.h"
#include "conversation_view.h"
#include "events_view.h"
#include "main_window.h"
#include "timeline_view.h"

#include "models/conversation_model.h"
#include "models/event_table_model.h"
#include "models/process_tree_model.h"
#include "models/session_data.h"
#include "models/timeline_model.h"
#include "pipeline/capture_session.h"
#include "store/recording_writer.h"
#include "tst_correlate_scenario.h"
#include "tst_pipeline_records.h"

#include <QChart>
#include <QChartView>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScatterSeries>
#include <QSignalSpy>
#include <QSlider>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeView>

using namespace agentsight;
using namespace agentsight::ui;
using models::ConversationModel;
using models::ProcessTreeModel;
using models::TimelineModel;

namespace {

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

void click(QAbstractItemView *view, const QModelIndex &index)
{
    view->scrollTo(index);
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, view->visualRect(index).center());
}

/// A recording of the fixture session, written by the real recorder.
QString makeRecording(const QString &dir)
{
    const QString path = dir + QStringLiteral("/fixture.agentsight");
    std::string err;
    auto writer = store::RecordingWriter::create(path.toStdString(), &err);
    if (!writer)
        return {};
    pipeline::CaptureSession session;
    session.addSink(writer.get());
    test::RecordBuilder b;
    for (const auto &r : test::anthropicSession(b, 4242))
        session.processRecord(r);
    session.finish(0);
    return writer->close() ? path : QString();
}

void feedScenario(models::SessionData &data, const QString &name)
{
    const llm::LlmDecoder decoder;
    const auto sc = correlate::test::loadScenario(QStringLiteral(AGENTSIGHT_TEST_DATA "/correlate/") + name, decoder);
    QVERIFY2(sc.error.isEmpty(), qPrintable(sc.error));
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
}

} // namespace

class TestMainWindow : public QObject {
    Q_OBJECT
private slots:
    void recordingClickAgentShowsConversation();
    void timelineLinksPauseScrubSelect();
    void badRecordingIsReported();
    void missingHelperIsReported();
    void agentNames();
    void highlighterModes();
};

void TestMainWindow::recordingClickAgentShowsConversation()
{
    QTemporaryDir tmp;
    const QString path = makeRecording(tmp.path());
    QVERIFY(!path.isEmpty());
    MainWindow w;
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QVERIFY2(w.openRecording(path), qPrintable(w.lastError()));

    QTreeView *tree = w.processTree();
    const QModelIndex agent = tree->model()->index(0, 0);
    QCOMPARE(agent.data(ProcessTreeModel::KindRole).toInt(), int(ProcessTreeModel::NodeKind::Agent));
    click(tree, agent);
    QCOMPARE(tree->currentIndex(), agent);

    // The conversation shows the prompt text and the tool call the model asked for.
    QTreeView *conv = w.conversation()->tree();
    QCOMPARE(conv->model()->rowCount(), 1);
    QVERIFY(!findText(*conv->model(), QStringLiteral("List the files in this directory"), ConversationModel::Content).isEmpty());
    const QModelIndexList calls = findText(*conv->model(), QStringLiteral("Tool call Bash"), ConversationModel::Part);
    QCOMPARE(calls.size(), 1);
    QVERIFY(conv->isExpanded(calls.first().parent()));
    click(conv, calls.first());
    QVERIFY(w.conversation()->partText()->toPlainText().contains(QStringLiteral("\"command\": \"ls -la\"")));
    // Follow stream: the raw request as sent, with the API key redacted by the decoder.
    const QString raw = w.conversation()->rawRequest()->toPlainText();
    QVERIFY(raw.startsWith(QStringLiteral("POST /v1/messages")));
    QVERIFY(!raw.contains(QStringLiteral("sk-ant-test-secret")));
    QVERIFY(w.conversation()->rawResponse()->toPlainText().contains(QStringLiteral("text/event-stream")));

    // Clicking the process focuses the events table on its pid.
    const QModelIndex proc = tree->model()->index(0, 0, agent);
    QCOMPARE(proc.data(ProcessTreeModel::PidRole).toUInt(), 4242u);
    click(tree, proc);
    QCOMPARE(w.events()->filterEdit()->text(), QStringLiteral("pid:4242"));
    QTableView *table = w.events()->table();
    QVERIFY(table->model()->rowCount() > 5);
    for (int r = 0; r < table->model()->rowCount(); ++r)
        QCOMPARE(table->model()->index(r, models::EventTableModel::Pid).data().toUInt(), 4242u);

    // The status bar always shows drops (zero here) and names the recording.
    QCOMPARE(w.dropsLabel()->text(), QStringLiteral("Drops: 0"));
    QVERIFY(w.dropsLabel()->isVisible());
}

void TestMainWindow::timelineLinksPauseScrubSelect()
{
    MainWindow w;
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    feedScenario(w.session(), QStringLiteral("claude_bash.json"));
    w.refreshNow();
    TimelineView *tl = w.timeline();
    TimelineModel *model = w.timelineModel();

    // The Bash call's links are drawn.
    QVERIFY(!model->links().empty());
    QVERIFY(tl->linksDrawn() > 0);
    QCOMPARE(tl->linksDrawn(), int(model->links().size()));

    // Pause, zoom to 10 % and scrub to the start: the visible window moves there.
    QVERIFY(tl->isLive());
    QTest::mouseClick(tl->liveButton(), Qt::LeftButton);
    QVERIFY(!tl->isLive());
    const auto whole = tl->visibleRange();
    tl->zoom()->setValue(10);
    tl->scrubber()->setValue(0);
    const auto start = tl->visibleRange();
    QCOMPARE(start.first, 0.0);
    QVERIFY(qAbs((start.second - start.first) - (whole.second - whole.first) * 0.1) < 1e-6);
    tl->scrubber()->setValue(tl->scrubber()->maximum());
    const auto end = tl->visibleRange();
    QVERIFY(qAbs(end.second - whole.second) < 1e-6);
    QVERIFY(end.first > start.first);
    // New data does not move a paused view.
    w.refreshNow();
    QCOMPARE(tl->visibleRange(), end);

    // Back to the whole session; click the tool call's mark on the chart.
    tl->zoom()->setValue(100);
    tl->scrubber()->setValue(0);
    int callItem = -1;
    for (std::size_t i = 0; i < model->items().size(); ++i)
        if (model->items()[i].lane == TimelineModel::Lane::ToolCalls)
            callItem = int(i);
    QVERIFY(callItem >= 0);
    QSignalSpy activated(tl, &TimelineView::itemActivated);
    QChart *chart = tl->chartView()->chart();
    QScatterSeries *toolLane = tl->laneSeries(int(TimelineModel::Lane::ToolCalls));
    QCOMPARE(toolLane->points().size(), 1);
    QVERIFY(toolLane);
    const QPointF scenePos = chart->mapToPosition(toolLane->points().first(), toolLane);
    const QPoint viewPos = tl->chartView()->mapFromScene(chart->mapToScene(scenePos));
    QTest::mouseClick(tl->chartView()->viewport(), Qt::LeftButton, {}, viewPos);
    QCOMPARE(activated.count(), 1);
    QCOMPARE(tl->selectedItem(), callItem);
    // ...which selects the tool call in the conversation, with its arguments.
    const QModelIndex cur = w.conversation()->tree()->currentIndex();
    QVERIFY(cur.isValid());
    QCOMPARE(cur.data(ConversationModel::PartKindRole).toInt(), int(ConversationModel::PartKind::ToolCall));
    QVERIFY(w.conversation()->partText()->toPlainText().contains(QStringLiteral("cat /etc/hostname")));

    // A file mark selects its row in the events table.
    int fileItem = -1;
    for (std::size_t i = 0; i < model->items().size(); ++i)
        if (model->items()[i].lane == TimelineModel::Lane::Files && model->items()[i].refKind == TimelineModel::RefKind::Event)
            fileItem = int(i);
    QVERIFY(fileItem >= 0);
    tl->activateItem(fileItem);
    const QModelIndex row = w.events()->table()->currentIndex();
    QVERIFY(row.isValid());
    QCOMPARE(row.siblingAtColumn(models::EventTableModel::Time).data(models::EventTableModel::KtimeRole).toULongLong(),
             model->items()[std::size_t(fileItem)].startNs);
}

void TestMainWindow::badRecordingIsReported()
{
    QTemporaryDir tmp;
    const QString path = tmp.filePath(QStringLiteral("not-a-recording.agentsight"));
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("this is not sqlite");
    f.close();
    MainWindow w;
    w.show();
    QVERIFY(!w.openRecording(path));
    QVERIFY(w.banner()->isVisible());
    QVERIFY(w.banner()->text().contains(path));
    QCOMPARE(w.processTree()->model()->rowCount(), 0);
}

void TestMainWindow::missingHelperIsReported()
{
    qputenv("AGENTSIGHT_HELPER", "/nonexistent/agentsight-helper");
    MainWindow w;
    w.show();
    QVERIFY(!w.startCapture({QStringLiteral("--"), QStringLiteral("true")}));
    qunsetenv("AGENTSIGHT_HELPER");
    QVERIFY(w.banner()->isVisible());
    QVERIFY(w.banner()->text().contains(QStringLiteral("Recordings can still be opened")));
}

void TestMainWindow::agentNames()
{
    QCOMPARE(agentNameFor(QStringLiteral("claude"), {QStringLiteral("claude"), QStringLiteral("-p")}), QStringLiteral("claude"));
    QCOMPARE(agentNameFor(QStringLiteral("node"), {QStringLiteral("node"), QStringLiteral("/usr/lib/node_modules/@google/gemini-cli/dist/index.js")}),
             QStringLiteral("gemini"));
    QCOMPARE(agentNameFor(QStringLiteral("node"), {QStringLiteral("/usr/bin/node"), QStringLiteral("--no-warnings"),
                                                  QStringLiteral("/opt/codex/bin/codex.js")}),
             QStringLiteral("codex"));
    QCOMPARE(agentNameFor(QStringLiteral("python3"), {QStringLiteral("python3"), QStringLiteral("demo_agent.py")}), QStringLiteral("demo_agent"));
    QCOMPARE(agentNameFor(QStringLiteral("node"), {QStringLiteral("node"), QStringLiteral("server.js")}), QString());
    QCOMPARE(agentNameFor(QStringLiteral("bash"), {QStringLiteral("bash"), QStringLiteral("-c"), QStringLiteral("claude")}), QString());
}

void TestMainWindow::highlighterModes()
{
    using M = CodeHighlighter::Mode;
    QCOMPARE(CodeHighlighter::guess(QStringLiteral("{\"a\": 1}")), M::Json);
    QCOMPARE(CodeHighlighter::guess(QStringLiteral("{not json")), M::Plain);
    QCOMPARE(CodeHighlighter::guess(QStringLiteral("POST /v1/messages HTTP/1.1\r\nhost: x\r\n\r\n{}")), M::Http);
    QCOMPARE(CodeHighlighter::guess(QStringLiteral("HTTP/2 200\r\n")), M::Http);
    // Keys and strings get different colours in a JSON document.
    QTextDocument doc(QStringLiteral("{\"key\": \"value\", \"n\": 12}"));
    CodeHighlighter hl(&doc);
    hl.setMode(M::Json);
    const auto formats = doc.firstBlock().layout()->formats();
    QColor keyColor, valueColor;
    for (const auto &r : formats) {
        if (r.start == 1)
            keyColor = r.format.foreground().color();
        if (r.start == 8)
            valueColor = r.format.foreground().color();
    }
    QVERIFY(keyColor.isValid() && valueColor.isValid());
    QVERIFY(keyColor != valueColor);
}

QTEST_MAIN(TestMainWindow)
#include "tst_main_window.moc"
