// SPDX-License-Identifier: GPL-2.0-or-later
// Benchmark: a recording of N capture records (default 1 M; real record
// layouts: one agent whose child processes open files, connect and exit) opened in
// the main window. Prints open time, RSS after opening, and the time a filter
// and a timeline scrub take on the UI thread. Not a pass/fail test.
//   bench_gui_open [N] [window|pipeline|engine|session]
// The last argument replays into less than the window, in a fresh process, to
// see where RSS goes: the bare pipeline, + the correlation engine, + SessionData.
#include "events_view.h"
#include "main_window.h"
#include "timeline_view.h"

#include "correlate/correlation_engine.h"
#include "models/session_data.h"
#include "pipeline/capture_session.h"
#include "store/recording.h"
#include "store/recording_event_source.h"
#include "store/recording_writer.h"
#include "tst_pipeline_records.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QSlider>
#include <QTableView>
#include <QTemporaryDir>

#include <cstdio>

namespace {

long rssKb()
{
    QFile f(QStringLiteral("/proc/self/status"));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : f.readAll().split('\n'))
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').first().toLong();
    return -1;
}

} // namespace

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    const long n = argc > 1 ? std::atol(argv[1]) : 1'000'000;
    QTemporaryDir tmp;
    const QString path = tmp.filePath(QStringLiteral("bench.agentsight"));
    QElapsedTimer t;
    t.start();
    {
        std::string err;
        auto writer = agentsight::store::RecordingWriter::create(path.toStdString(), &err);
        if (!writer) {
            std::fprintf(stderr, "cannot create %s: %s\n", qPrintable(path), err.c_str());
            return 1;
        }
        agentsight::pipeline::CaptureSession session;
        session.addSink(writer.get());
        agentsight::test::RecordBuilder b;
        // One agent (pid 1000, started by pid 1) whose tool processes do the work.
        session.processRecord(b.exec(1000, 1, b.ktime, "/usr/bin/node", {"node", "agent.js"}, "/work"));
        long made = 1;
        for (uint32_t proc = 0; made < n; ++proc) {
            const uint32_t tgid = 2000 + proc % 30000;
            session.processRecord(b.fork(1000, tgid, b.ktime, "sh"));
            session.processRecord(b.exec(tgid, 1000, b.ktime, "/usr/bin/cat", {"cat", "file"}, "/work"));
            made += 2;
            for (int i = 0; i < 96 && made < n; ++i, ++made)
                session.processRecord(b.open(tgid, "/work/src/file" + std::to_string(i) + ".c", 0, 3));
            session.processRecord(b.connect4(tgid, 4, 10, 0, 0, 1, 443));
            session.processRecord(b.exit(tgid, b.ktime, 0));
            made += 2;
        }
        session.finish(0);
        writer->close();
    }
    std::printf("wrote %ld records in %lld ms\n", n, t.restart());
    const QString mode = argc > 2 ? QString::fromLatin1(argv[2]) : QStringLiteral("window");
    if (mode != QLatin1String("window")) {
        struct EngineSink : agentsight::pipeline::PipelineSink, agentsight::correlate::CorrelationSink {
            agentsight::correlate::CorrelationEngine engine{this};
            void onEvent(const agentsight::wire::Event &e, std::string_view) override { engine.onEvent(e); }
            void onToolCall(const agentsight::correlate::ToolCallRecord &) override {}
            void onUnexplained(const agentsight::correlate::UnexplainedAction &) override {}
        };
        const long before = rssKb();
        std::string err;
        auto rec = agentsight::store::Recording::open(path.toStdString(), agentsight::store::Recording::Mode::Read, &err);
        agentsight::pipeline::CaptureSession session;
        EngineSink engine;
        agentsight::models::SessionData::Limits lim;
        if (mode == QLatin1String("nostore"))
            lim.maxEvents = 0; // SessionData without its events table: what the rest costs
        agentsight::models::SessionData data(lim);
        if (mode == QLatin1String("engine"))
            session.addSink(&engine);
        else if (mode == QLatin1String("session") || mode == QLatin1String("nostore"))
            session.addSink(&data);
        agentsight::store::RecordingEventSource source(*rec);
        t.restart();
        source.run(session);
        std::printf("%s: replay %lld ms, RSS +%ld MB\n", qPrintable(mode), t.elapsed(), (rssKb() - before) / 1024);
        if (mode == QLatin1String("session")) {
            std::size_t text = 0;
            for (std::size_t i = 0; i < data.eventCount(); ++i)
                text += data.detail(data.event(i)).size();
            std::printf("  %zu events kept, %zu bytes of detail text, %zu processes in the tree\n", data.eventCount(), text,
                        data.processes().processIds().size());
        }
        return 0;
    }
    const long rssBefore = rssKb();
    agentsight::ui::MainWindow w;
    w.show();
    t.restart();
    if (!w.openRecording(path)) {
        std::fprintf(stderr, "open failed: %s\n", qPrintable(w.lastError()));
        return 1;
    }
    const qint64 openMs = t.restart();
    QApplication::processEvents();
    const qint64 paintMs = t.restart();
    std::printf("open: %lld ms (+%lld ms first paint), RSS %ld MB (window before open: %ld MB)\n", openMs, paintMs,
                rssKb() / 1024, rssBefore / 1024);
    w.events()->setFilterText(QStringLiteral("pid:2005 path:file7."));
    std::printf("filter: %lld ms, %d rows\n", t.restart(), w.events()->table()->model()->rowCount());
    w.timeline()->setLive(false);
    w.timeline()->zoom()->setValue(5);
    qint64 worst = 0;
    for (int v = 0; v <= 1000; v += 100) {
        t.restart();
        w.timeline()->scrubber()->setValue(v);
        QApplication::processEvents();
        worst = std::max(worst, t.elapsed());
    }
    std::printf("scrub: worst step %lld ms (11 steps at 5 %% zoom)\n", worst);
    return 0;
}
