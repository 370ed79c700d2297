// SPDX-License-Identifier: GPL-2.0-or-later
// Benchmark (not a ctest): SQLite insert rate of the recording for N events
// (default 1 M), directly (Recording::insertEvent in 5000-row transactions)
// and end to end (CaptureSession -> RecordingWriter thread -> SQLite), with
// peak RSS and file size. Run pinned to one core:
//   taskset -c 1 ./tests/bench_store [N]
#include "pipeline/capture_session.h"
#include "store/recording.h"
#include "store/recording_writer.h"
#include "tst_pipeline_records.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace agentsight;

namespace {

double now()
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

long maxRssKiB()
{
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

long long fileSize(const std::string &p)
{
    struct stat st {};
    return ::stat(p.c_str(), &st) == 0 ? st.st_size : -1;
}

/// A realistic mix: 70 % opens (~40-byte paths), 20 % fd I/O flushes, 10 % execs.
std::vector<std::string> makeRecords(size_t n)
{
    test::RecordBuilder b;
    std::vector<std::string> recs;
    recs.reserve(n);
    for (size_t i = 0; i < n; ++i) {
        const uint32_t tgid = 2000 + uint32_t(i % 64);
        if (i % 10 == 0)
            recs.push_back(b.exec(tgid, 1999, 1000 + i, "/usr/bin/git", {"git", "status", "--short"}, "/work/repo"));
        else if (i % 10 < 3)
            recs.push_back(b.fdClosed(tgid, int(i % 100)));
        else
            recs.push_back(b.open(tgid, "/work/repo/src/module_" + std::to_string(i % 5000) + ".py", 0, 3));
    }
    return recs;
}

} // namespace

int main(int argc, char **argv)
{
    const size_t n = argc > 1 ? size_t(std::strtoull(argv[1], nullptr, 10)) : 1000000;
    char tmpl[] = "/tmp/bench_store-XXXXXX";
    if (!mkdtemp(tmpl))
        return 1;
    const std::string dir = tmpl;
    std::vector<std::string> recs = makeRecords(n);
    size_t bytes = 0;
    for (const auto &r : recs)
        bytes += r.size();
    std::printf("%zu records, %.1f MB of raw records; RSS after building them %ld MiB\n", n, bytes / 1e6,
                maxRssKiB() / 1024);

    // 1. Direct: rows into SQLite, one transaction per 5000 rows.
    {
        std::string err;
        const std::string p = dir + "/direct.agentsight";
        auto rec = store::Recording::open(p, store::Recording::Mode::Create, &err);
        if (!rec) {
            std::fprintf(stderr, "%s\n", err.c_str());
            return 1;
        }
        wire::Event e;
        std::vector<store::EventRow> rows;
        rows.reserve(n);
        for (const auto &r : recs) {
            wire::parseEvent(r, e);
            store::EventRow row;
            row.type = e.type;
            row.ktimeNs = e.ktimeNs;
            row.seq = e.seq;
            row.tgid = e.tgid;
            row.tid = e.tid;
            row.source = wire::eventSource(e.type);
            row.raw = r;
            rows.push_back(std::move(row));
        }
        const double t0 = now();
        rec->begin();
        for (size_t i = 0; i < rows.size(); ++i) {
            rec->insertEvent(rows[i]);
            if ((i + 1) % 5000 == 0) {
                rec->commit();
                rec->begin();
            }
        }
        rec->commit();
        const double dt = now() - t0;
        rec.reset();
        std::printf("direct insert:  %.0f k events/s (%.2f s), file %.1f MB\n", n / dt / 1e3, dt,
                    fileSize(p) / 1e6);
    }

    // 2. End to end: pipeline thread parses and queues, writer thread commits.
    {
        std::string err;
        const std::string p = dir + "/pipeline.agentsight";
        auto w = store::RecordingWriter::create(p, &err);
        if (!w) {
            std::fprintf(stderr, "%s\n", err.c_str());
            return 1;
        }
        pipeline::CaptureSession session;
        session.addSink(w.get());
        const double t0 = now();
        for (const auto &r : recs)
            session.processRecord(r);
        const double tFed = now() - t0;
        session.finish(0);
        w->close();
        const double dt = now() - t0;
        std::printf("pipeline+writer: fed in %.2f s (%.0f k/s), stored all in %.2f s (%.0f k events/s), "
                    "%llu batches, peak queue %.1f MB, dropped %llu, file %.1f MB\n",
                    tFed, n / tFed / 1e3, dt, n / dt / 1e3, (unsigned long long)w->batches(),
                    w->peakQueuedBytes() / 1e6, (unsigned long long)w->droppedRows(), fileSize(p) / 1e6);
    }
    std::printf("peak RSS %ld MiB (includes the %.1f MB of input records held twice)\n", maxRssKiB() / 1024,
                bytes / 1e6);
    for (const char *f : {"/direct.agentsight", "/pipeline.agentsight"})
        ::unlink((dir + f).c_str());
    ::rmdir(dir.c_str());
    return 0;
}
