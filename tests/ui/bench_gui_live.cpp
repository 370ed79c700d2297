// SPDX-License-Identifier: GPL-2.0-or-later
// Benchmark: live latency. A stand-in helper (QLocalServer speaking the real
// socket protocol: hello, event frames of real record layouts) sends RATE
// records per second for SECONDS to the main window connected as to a running
// helper; for every record we measure send -> row inserted in the events table
// (what the user sees at the next paint). Prints p50 / p99 / max; exits 2
// when a record never appeared. Also exercises "connect to a running helper".
//   bench_gui_live [RATE=10000] [SECONDS=5]
#include "events_view.h"
#include "main_window.h"

#include "models/event_filter.h"
#include "models/event_table_model.h"
#include "tst_pipeline_records.h"
#include "wire/frame_reader.h"

#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QLocalServer>
#include <QLocalSocket>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <unistd.h>

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    const int rate = argc > 1 ? std::atoi(argv[1]) : 10000;
    const int seconds = argc > 2 ? std::atoi(argv[2]) : 5;
    const int total = rate * seconds;
    const QString path = QDir::temp().filePath(QStringLiteral("agentsight-bench-live-%1.sock").arg(getpid()));
    QLocalServer::removeServer(path);
    QLocalServer server;
    if (!server.listen(path)) {
        std::fprintf(stderr, "listen: %s\n", qPrintable(server.errorString()));
        return 1;
    }
    QElapsedTimer clock;
    clock.start();
    std::vector<qint64> sentNs(std::size_t(total) + 2, -1), latencyNs;
    latencyNs.reserve(std::size_t(total));
    agentsight::test::RecordBuilder b;
    QLocalSocket *peer = nullptr;
    int sent = 0;
    QTimer pump;
    pump.setInterval(10); // 100 batches a second
    QObject::connect(&server, &QLocalServer::newConnection, [&] {
        peer = server.nextPendingConnection();
        as_hello h{};
        h.magic = AS_PROTO_MAGIC;
        h.proto_major = AS_PROTO_MAJOR;
        h.proto_minor = AS_PROTO_MINOR;
        h.schema_major = AS_SCHEMA_MAJOR;
        const std::string f = agentsight::wire::encodeFrame(AS_FRAME_HELLO, std::string_view(reinterpret_cast<const char *>(&h), sizeof h));
        peer->write(f.data(), qint64(f.size()));
        pump.start();
    });
    QObject::connect(&pump, &QTimer::timeout, [&] {
        const int want = std::min<qint64>(total, clock.isValid() ? sent + rate / 100 : 0);
        std::string payload;
        const qint64 now = clock.nsecsElapsed();
        for (; sent < want; ++sent) {
            payload += b.open(4242, "/bench/file", 0, 3);
            sentNs[std::size_t(b.seq[AS_SRC_FILE])] = now;
        }
        const std::string f = agentsight::wire::encodeFrame(AS_FRAME_EVENTS, payload);
        peer->write(f.data(), qint64(f.size()));
        if (sent >= total) {
            pump.stop();
            uint32_t code = 0;
            const std::string bye = agentsight::wire::encodeFrame(AS_FRAME_BYE, std::string_view(reinterpret_cast<const char *>(&code), 4));
            peer->write(bye.data(), qint64(bye.size()));
            peer->flush();
            QTimer::singleShot(500, peer, [&] { peer->disconnectFromServer(); });
        }
    });

    agentsight::ui::MainWindow w;
    w.show();
    w.connectToHelper(path);
    auto *model = qobject_cast<agentsight::models::EventTableModel *>(w.events()->proxy()->sourceModel());
    QObject::connect(model, &QAbstractItemModel::rowsInserted, [&](const QModelIndex &, int first, int last) {
        const qint64 now = clock.nsecsElapsed();
        for (int r = first; r <= last; ++r) {
            const qulonglong seq = model->index(r, agentsight::models::EventTableModel::Seq).data().toULongLong();
            if (seq < sentNs.size() && sentNs[seq] >= 0)
                latencyNs.push_back(now - sentNs[seq]);
        }
    });
    QObject::connect(&w, &agentsight::ui::MainWindow::sessionEnded, &app, &QApplication::quit);
    QTimer::singleShot((seconds + 30) * 1000, &app, &QApplication::quit);
    app.exec();
    QLocalServer::removeServer(path);
    if (latencyNs.empty()) {
        std::fprintf(stderr, "no events arrived (%s)\n", qPrintable(w.lastError()));
        return 1;
    }
    std::sort(latencyNs.begin(), latencyNs.end());
    auto pct = [&](double p) { return double(latencyNs[std::size_t(p * double(latencyNs.size() - 1))]) / 1e6; };
    std::printf("%d records/s for %d s: %zu of %d shown; latency p50 %.1f ms, p99 %.1f ms, max %.1f ms\n", rate, seconds,
                latencyNs.size(), total, pct(0.5), pct(0.99), double(latencyNs.back()) / 1e6);
    // Every record sent must be shown: exit 2 otherwise (the ctest run checks this, not the times).
    return int(latencyNs.size()) == total ? 0 : 2;
}
