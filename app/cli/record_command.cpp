// SPDX-License-Identifier: GPL-2.0-or-later
// `agentsight record`: helper -> socket -> pipeline -> recording, with a live
// status line. Ctrl-C (or SIGTERM) sends STOP to the helper and keeps reading
// until it says BYE, so the last records still land in the file.
#include "cli_common.h"
#include "helper_launcher.h"

#include "llm/price_table.h"
#include "correlate/pipeline_correlator.h"
#include "pipeline/capture_session.h"
#include "store/correlation_recorder.h"
#include "pipeline/helper_socket_source.h"
#include "store/recording_writer.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

namespace agentsight::cli {

namespace {

std::atomic<pipeline::HelperSocketSource *> g_source{nullptr};

extern "C" void onStopSignal(int)
{
    if (auto *s = g_source.load())
        s->requestStop();
}

struct RecordOptions {
    std::string output;
    std::string helper;
    bool force = false;
    std::vector<std::string> pids;
    std::vector<std::string> comms;
    std::vector<std::string> command;
};

bool parse(const Args &args, RecordOptions &o, std::string &error)
{
    for (size_t i = 0; i < args.size(); ++i) {
        const std::string &a = args[i];
        auto value = [&](std::string &out) {
            if (i + 1 >= args.size()) {
                error = a + " needs a value";
                return false;
            }
            out = args[++i];
            return true;
        };
        std::string v;
        if (a == "--") {
            o.command.assign(args.begin() + long(i) + 1, args.end());
            if (o.command.empty()) {
                error = "-- must be followed by a command";
                return false;
            }
            break;
        } else if (a == "-o" || a == "--output") {
            if (!value(o.output))
                return false;
        } else if (a == "--helper") {
            if (!value(o.helper))
                return false;
        } else if (a == "--force") {
            o.force = true;
        } else if (a == "--pid") {
            if (!value(v))
                return false;
            char *end = nullptr;
            const long pid = std::strtol(v.c_str(), &end, 10);
            if (v.empty() || *end || pid <= 0 || pid > 4194304) {
                error = "--pid needs a process id, not '" + v + "'";
                return false;
            }
            o.pids.push_back(v);
        } else if (a == "--comm") {
            if (!value(v))
                return false;
            if (v.empty() || v.size() > 255) {
                error = "--comm needs a process name";
                return false;
            }
            o.comms.push_back(v);
        } else {
            error = "unknown option " + a;
            return false;
        }
    }
    if (o.command.empty() && o.pids.empty() && o.comms.empty()) {
        error = "nothing to record: give -- CMD, --pid PID or --comm NAME";
        return false;
    }
    if (o.output.empty())
        o.output = "agentsight-" +
            QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss")).toStdString() + ".agentsight";
    return true;
}

std::string money(double usd, uint64_t unpriced)
{
    char b[64];
    std::snprintf(b, sizeof b, "$%.4f", usd);
    return std::string(b) + (unpriced ? " (+" + std::to_string(unpriced) + " calls of unknown price)" : "");
}

/**
 * CMD started by us, held before exec until the helper tracks its pid. Used
 * when the helper runs through pkexec/sudo: those reset the environment, and
 * an agent needs its own (API keys, PATH, HOME). The exec then happens under
 * tracing, so the helper's exec hold still covers TLS from the first call.
 */
class GatedCommand {
public:
    ~GatedCommand()
    {
        if (m_gate >= 0)
            ::close(m_gate); // never released: the child exits 127 without exec
        reap(WNOHANG); // still running (Ctrl-C ignored): init reaps it after us
    }
    bool start(const std::vector<std::string> &cmd, std::string &error)
    {
        int p[2];
        if (::pipe2(p, O_CLOEXEC) != 0) {
            error = std::string("pipe: ") + std::strerror(errno);
            return false;
        }
        std::vector<std::string> copy = cmd;
        std::vector<char *> argv;
        for (auto &a : copy)
            argv.push_back(a.data());
        argv.push_back(nullptr);
        m_pid = ::fork();
        if (m_pid < 0) {
            error = std::string("fork: ") + std::strerror(errno);
            return false;
        }
        if (m_pid == 0) {
            ::close(p[1]);
            char go = 0;
            if (::read(p[0], &go, 1) != 1)
                ::_exit(127);
            ::execvp(argv[0], argv.data());
            // Only async-signal-safe calls here: the parent has threads.
            const char *why = std::strerror(errno);
            for (const char *part : {"agentsight: cannot run ", static_cast<const char *>(argv[0]), ": ", why, "\n"})
                [[maybe_unused]] ssize_t n = ::write(STDERR_FILENO, part, std::strlen(part));
            ::_exit(127);
        }
        ::close(p[0]);
        m_gate = p[1];
        return true;
    }
    void release()
    {
        if (m_gate < 0)
            return;
        const char go = 1;
        [[maybe_unused]] ssize_t n = ::write(m_gate, &go, 1);
        ::close(m_gate);
        m_gate = -1;
    }
    bool released() const { return m_gate < 0; }
    pid_t pid() const { return m_pid; }
    void reap(int options)
    {
        if (m_pid > 0 && ::waitpid(m_pid, nullptr, options) == m_pid)
            m_pid = -1;
    }

private:
    pid_t m_pid = -1;
    int m_gate = -1;
};

/// Sees the helper report our command's pid as an added target.
struct TargetWatcher : pipeline::PipelineSink {
    uint32_t pid = 0;
    bool added = false;
    void onEvent(const wire::Event &e, std::string_view) override
    {
        if (e.type == AS_EV_TARGET && e.targetOp == AS_TARGET_ADDED && e.tgid == pid)
            added = true;
    }
};

} // namespace

int runRecord(const Args &args)
{
    RecordOptions o;
    std::string err;
    if (!parse(args, o, err))
        return usageError("record: " + err);
    const std::string helperPath = findHelper(o.helper, &err);
    if (helperPath.empty()) {
        std::fprintf(stderr, "agentsight: %s\n", err.c_str());
        return kExitFailed;
    }
    if (o.force)
        for (const char *suffix : {"", "-wal", "-shm"})
            ::unlink((o.output + suffix).c_str());
    auto writer = store::RecordingWriter::create(o.output, &err);
    if (!writer) {
        std::fprintf(stderr, "agentsight: %s%s\n", err.c_str(),
                     err.find("already exists") != std::string::npos ? " (use --force to replace it)" : "");
        return kExitFailed;
    }
    {
        QJsonArray a;
        for (const auto &s : args)
            a.append(QString::fromStdString(s));
        writer->setMeta({"record_args", store::MetaRow::Kind::Text,
                         QJsonDocument(a).toJson(QJsonDocument::Compact).toStdString(), 0});
        writer->setMeta({"recorder", store::MetaRow::Kind::Text, "agentsight " AGENTSIGHT_VERSION, 0});
    }

    // Root: the helper spawns CMD itself (environment inherited). Elevated
    // through pkexec/sudo (environment reset): we spawn CMD, gated.
    const char *spawnEnv = std::getenv("AGENTSIGHT_SPAWN");
    const bool gated = !o.command.empty() &&
        (::geteuid() != 0 || (spawnEnv && std::string(spawnEnv) == "self"));
    GatedCommand gatedCmd;
    TargetWatcher watcher;
    std::vector<std::string> hargs;
    for (const auto &p : o.pids)
        hargs.insert(hargs.end(), {"--pid", p});
    for (const auto &c : o.comms)
        hargs.insert(hargs.end(), {"--comm", c});
    if (gated) {
        if (!gatedCmd.start(o.command, err)) {
            std::fprintf(stderr, "agentsight: %s\n", err.c_str());
            writer->close();
            return kExitFailed;
        }
        watcher.pid = uint32_t(gatedCmd.pid());
        hargs.insert(hargs.end(), {"--pid", std::to_string(gatedCmd.pid())});
    } else if (!o.command.empty()) {
        hargs.push_back("--wait-client"); // nothing of CMD may run before we listen
        hargs.push_back("--");
        hargs.insert(hargs.end(), o.command.begin(), o.command.end());
    }

    HelperProcess helper;
    if (!helper.start(helperPath, hargs, &err)) {
        std::fprintf(stderr, "agentsight: %s\n", err.c_str());
        return kExitFailed;
    }
    writer->setMeta({"elevation", store::MetaRow::Kind::Text, helper.elevation(), 0});
    writer->setMeta({"command_spawned_by", store::MetaRow::Kind::Text, gated ? "recorder" : "helper", 0});

    pipeline::HelperSocketSource source;
    // pkexec may wait for a password: give the user time.
    const int connectMs = helper.elevation() == "direct" ? 30000 : 120000;
    if (!source.connectTo(helper.socketPath(), connectMs, [&] { return helper.running(); })) {
        int code = helper.wait(2000);
        if (code < 0 && helper.elevation() == "direct") {
            ::kill(helper.pid(), SIGTERM); // ours, and useless without a client
            code = helper.wait(5000);
        }
        std::fprintf(stderr, "agentsight: %s%s\n%s", source.error().c_str(),
                     code >= 0 ? (" (helper exit code " + std::to_string(code) + ")").c_str() : "",
                     helper.log().c_str());
        writer->close();
        return kExitFailed;
    }

    const llm::PriceTable prices = llm::PriceTable::standard();
    pipeline::CaptureSession session(&prices);
    session.addSink(writer.get());
    session.addSink(&watcher);
    // Tool call -> action links, stored as the capture goes (same code as replay).
    store::CorrelationRecorder correlationOut(*writer);
    correlate::PipelineCorrelator correlator(&correlationOut);
    session.addSink(&correlator);

    const bool tty = ::isatty(STDERR_FILENO);
    const auto started = std::chrono::steady_clock::now();
    auto lastPrint = started;
    uint64_t recorderDrops = 0;
    auto status = [&](bool final) {
        const uint64_t d = writer->droppedRows();
        session.addRecorderDrops(d - recorderDrops);
        recorderDrops = d;
        const auto now = std::chrono::steady_clock::now();
        const double secs = std::chrono::duration<double>(now - started).count();
        char t[32];
        std::snprintf(t, sizeof t, "%6.1fs ", secs);
        const std::string line = t + session.counters().statusLine();
        if (tty) {
            std::fprintf(stderr, "\r%s\x1b[K%s", line.c_str(), final ? "\n" : "");
        } else if (final || now - lastPrint >= std::chrono::seconds(5)) {
            // Logs get a line every 5 s, not a carriage-return stream.
            std::fprintf(stderr, "%s\n", line.c_str());
            lastPrint = now;
        }
    };
    auto lastStatus = started;
    source.setTick(50, [&] {
        if (gated && !gatedCmd.released() && watcher.added)
            gatedCmd.release(); // the helper tracks its pid: let it exec CMD
        const auto now = std::chrono::steady_clock::now();
        if (now - lastStatus >= std::chrono::milliseconds(tty ? 250 : 1000)) {
            lastStatus = now;
            status(false);
        }
    });

    g_source = &source;
    struct sigaction sa {};
    sa.sa_handler = onStopSignal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, nullptr);
    sigaction(SIGTERM, &sa, nullptr);
    sigaction(SIGHUP, &sa, nullptr);

    const bool ok = source.run(session);
    g_source = nullptr;
    if (gated && !gatedCmd.released())
        std::fprintf(stderr, "agentsight: the helper never tracked the command; it was not started\n");
    status(true);

    // After BYE the recording is complete; the helper's BPF teardown can take
    // seconds (measured ~5 s here), so do not make the user wait for it.
    const bool byeSeen = session.helperExitCode() >= 0;
    int code = helper.wait(byeSeen ? 1000 : 10000);
    if (code < 0 && !byeSeen && helper.elevation() == "direct") {
        std::fprintf(stderr, "agentsight: the helper did not exit after BYE; stopping it\n");
        ::kill(helper.pid(), SIGTERM);
        code = helper.wait(5000);
    }
    writer->setMeta({"helper_process_exit", store::MetaRow::Kind::Int, {}, code});
    const bool written = writer->close();

    const auto &k = session.counters();
    std::fprintf(stderr,
                 "\nRecorded to %s\n"
                 "  events %llu (%llu bytes), processes exec'd %llu, HTTP exchanges %llu\n"
                 "  LLM calls %llu, tokens %llu in / %llu out, cost %s\n"
                 "  drops %llu (kernel+helper+gaps %llu, recorder %llu), TLS bytes beyond the cap %llu\n",
                 o.output.c_str(), (unsigned long long)k.events, (unsigned long long)k.recordBytes,
                 (unsigned long long)k.byType[AS_EV_PROC_EXEC], (unsigned long long)k.httpExchanges,
                 (unsigned long long)k.llmCalls, (unsigned long long)k.inputTokens,
                 (unsigned long long)k.outputTokens, money(k.costUsd, k.unpricedCalls).c_str(),
                 (unsigned long long)k.lostTotal(), (unsigned long long)(k.lostTotal() - k.recorderDropped),
                 (unsigned long long)k.recorderDropped, (unsigned long long)k.tlsDroppedBytes);
    int rc = kExitOk;
    if (!ok) {
        std::fprintf(stderr, "agentsight: %s\n", source.error().c_str());
        rc = kExitFailed;
    }
    for (const auto &e : session.helperErrors())
        std::fprintf(stderr, "agentsight: helper: %s\n", e.c_str());
    if (session.helperExitCode() > 0 || (code > 0 && session.helperExitCode() < 0)) {
        std::fprintf(stderr, "agentsight: the helper ended with code %d\n%s",
                     session.helperExitCode() > 0 ? session.helperExitCode() : code, helper.log().c_str());
        rc = kExitFailed;
    }
    if (!written) {
        std::fprintf(stderr, "agentsight: writing %s failed: %s\n", o.output.c_str(), writer->error().c_str());
        rc = kExitFailed;
    }
    return rc;
}

} // namespace agentsight::cli
