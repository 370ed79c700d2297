// SPDX-License-Identifier: GPL-2.0-or-later
// Benchmark (not a ctest): events/s of the correlation engine and its memory
// on a synthetic stream shaped like agent sessions - 4 agents, each turn an
// LLM call with a Bash tool call, a runner shell, a program, loader opens,
// the named file, fd closes, DNS + connect, exits, plus runtime background
// reads. Usage: bench_correlate [events=1000000] [us_between_records=20]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fcntl.h>
#include <sys/resource.h>

#include "correlate/correlation_engine.h"
#include "correlate/result_collector.h"

using namespace agentsight;

namespace {

class CountingSink : public correlate::CorrelationSink {
public:
    void onToolCall(const correlate::ToolCallRecord &r) override { ++calls, links += r.links.size(); }
    void onUnexplained(const correlate::UnexplainedAction &) override { ++unexplained; }
    uint64_t calls = 0, links = 0, unexplained = 0;
};

long maxRssKb()
{
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

struct Gen {
    uint64_t stepNs = 20'000;
    uint64_t t = 1'000'000'000;
    uint32_t nextPid = 10000;
    std::vector<wire::Event> out;

    wire::Event base(uint16_t type, uint32_t tgid)
    {
        wire::Event e;
        e.type = type;
        e.tgid = e.tid = tgid;
        t += stepNs; // default 20 us between records: 50 k records/s of event time
        e.ktimeNs = t;
        return e;
    }
    void exec(uint32_t tgid, uint32_t ppid, uint64_t start, std::vector<std::string> argv)
    {
        auto e = base(AS_EV_PROC_EXEC, tgid);
        e.startNs = start;
        e.ppid = ppid;
        e.filename = "/usr/bin/" + argv[0];
        e.comm = argv[0];
        e.argv = std::move(argv);
        e.cwd = "/home/dev/proj";
        out.push_back(std::move(e));
    }
    uint32_t fork(uint32_t parent, uint64_t &start)
    {
        auto e = base(AS_EV_PROC_FORK, parent);
        e.childTgid = nextPid++;
        if (nextPid > 60000)
            nextPid = 10000; // pid reuse, like the kernel
        e.startNs = start = e.ktimeNs;
        out.push_back(e);
        return e.childTgid;
    }
    void open(uint32_t tgid, std::string path, uint32_t flags, int fd)
    {
        auto e = base(AS_EV_FILE_OPEN, tgid);
        e.path = std::move(path);
        e.openFlags = flags;
        e.result = fd;
        out.push_back(std::move(e));
        auto c = base(AS_EV_FILE_IO, tgid);
        c.fd = fd;
        c.ioFlags = AS_IO_CLOSED;
        out.push_back(std::move(c));
    }
    void exit(uint32_t tgid, uint64_t start)
    {
        auto e = base(AS_EV_PROC_EXIT, tgid);
        e.startNs = start;
        e.processExit = true;
        out.push_back(std::move(e));
    }
};

llm::LlmExchange exchange(uint64_t t0, int turn, bool withResult)
{
    llm::LlmExchange ex;
    ex.provider = "anthropic";
    ex.host = "api.anthropic.com";
    ex.timing.requestStartNs = t0;
    ex.timing.firstTokenNs = t0 + 1000;
    ex.timing.endNs = t0 + 2000;
    if (withResult)
        ex.toolResults.push_back({"toolu_" + std::to_string(turn - 1), "Bash", "ok", false, true});
    llm::ToolCall c;
    c.id = "toolu_" + std::to_string(turn);
    c.name = "Bash";
    const std::string cmd = "cat /home/dev/proj/file" + std::to_string(turn % 50) + ".txt";
    c.argumentsRaw = "{\"command\":\"" + cmd + "\"}";
    c.arguments[QStringLiteral("command")] = QString::fromStdString(cmd);
    ex.toolCalls.push_back(std::move(c));
    return ex;
}

} // namespace

int main(int argc, char **argv)
{
    const uint64_t target = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 1'000'000;
    CountingSink sink;
    correlate::CorrelationEngine engine(&sink);
    Gen g;
    if (argc > 2)
        g.stepNs = std::strtoull(argv[2], nullptr, 10) * 1000;
    constexpr int kAgents = 4;
    uint32_t roots[kAgents];
    int turns[kAgents] = {};
    for (int a = 0; a < kAgents; ++a) {
        roots[a] = 1000 + uint32_t(a);
        g.exec(roots[a], 1, g.t, {"claude", "-p", "task"});
    }
    uint64_t events = 0, exchanges = 0;
    double engineSec = 0;
    auto feed = [&] {
        auto t0 = std::chrono::steady_clock::now();
        for (const auto &e : g.out)
            engine.onEvent(e);
        engineSec += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        events += g.out.size();
        g.out.clear();
    };
    feed();
    while (events < target) {
        for (int a = 0; a < kAgents && events < target; ++a) {
            const uint32_t root = roots[a];
            const int turn = ++turns[a];
            auto ex = exchange(g.t, turn, turn > 1);
            g.t += 3000;
            auto t0 = std::chrono::steady_clock::now();
            engine.onLlmExchange(ex, root, 0x1000 + a);
            engineSec += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
            ++exchanges;
            uint64_t shStart, catStart, gitStart;
            const uint32_t sh = g.fork(root, shStart);
            g.exec(sh, root, shStart, {"bash", "-c", "cat /home/dev/proj/file" + std::to_string(turn % 50) + ".txt"});
            g.open(sh, "/etc/ld.so.cache", O_RDONLY | O_CLOEXEC, 3);
            const uint32_t cat = g.fork(sh, catStart);
            g.exec(cat, sh, catStart, {"cat", "/home/dev/proj/file" + std::to_string(turn % 50) + ".txt"});
            for (const char *lib : {"/etc/ld.so.cache", "/lib/x86_64-linux-gnu/libc.so.6", "/usr/lib/locale/locale-archive"})
                g.open(cat, lib, O_RDONLY | O_CLOEXEC, 3);
            g.open(cat, "/home/dev/proj/file" + std::to_string(turn % 50) + ".txt", O_RDONLY, 3);
            g.exit(cat, catStart);
            g.exit(sh, shStart);
            // the runtime's own background work
            for (int i = 0; i < 6; ++i)
                g.open(root, "/home/dev/.claude/projects/state" + std::to_string(i) + ".json", O_RDONLY, 20 + i);
            if (turn % 4 == 0) {
                const uint32_t git = g.fork(root, gitStart);
                g.exec(git, root, gitStart, {"git", "status", "--porcelain"});
                g.open(git, "/home/dev/proj/.git/index", O_RDONLY, 3);
                g.exit(git, gitStart);
            }
            auto dns = g.base(AS_EV_NET_DNS, root);
            dns.data = std::string("\x12\x34\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00\x03" "api\x09" "anthropic\x03" "com\x00\x00\x01\x00\x01", 35);
            g.out.push_back(dns);
            auto con = g.base(AS_EV_NET_CONNECT, root);
            con.addr = {2, 443, "160.79.104.10"};
            con.fd = 40;
            con.result = -115;
            g.out.push_back(con);
            feed();
        }
    }
    auto t0 = std::chrono::steady_clock::now();
    engine.finish();
    engineSec += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::printf("event time %.1f s (%llu us between records)\n", double(g.t - 1'000'000'000) / 1e9, (unsigned long long)(g.stepNs / 1000));
    std::printf("events %llu, LLM exchanges %llu, tool calls decided %llu, links %llu, unexplained %llu\n",
                (unsigned long long)events, (unsigned long long)exchanges, (unsigned long long)sink.calls,
                (unsigned long long)sink.links, (unsigned long long)sink.unexplained);
    std::printf("engine time %.3f s -> %.0f events/s (one core)\n", engineSec, double(events) / engineSec);
    std::printf("forced early decisions: %llu actions (buffer cap), %llu calls\n", (unsigned long long)engine.stats().forcedFinalize, (unsigned long long)engine.stats().forcedResolve);
    std::printf("max RSS %ld KiB; processes held %zu (evicted %llu); pending actions %zu\n", maxRssKb(),
                engine.processes().processIds().size(), (unsigned long long)engine.processes().stats().evicted,
                engine.pendingActions());
    return 0;
}
