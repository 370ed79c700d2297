// SPDX-License-Identifier: GPL-2.0-or-later
// The argument signal on its own: shell command splitting, what a tool call
// names (Claude/Gemini/Codex tool shapes), action matching and noise rules.
#include <fcntl.h>

#include <QJsonArray>
#include <QJsonDocument>
#include <QtTest>

#include "correlate/action_match.h"
#include "correlate/noise_rules.h"
#include "correlate/shell_words.h"
#include "correlate/tool_intent.h"

using namespace agentsight;
using namespace agentsight::correlate;

namespace {

llm::ToolCall call(const char *name, const char *json)
{
    llm::ToolCall c;
    c.name = name;
    c.argumentsRaw = json;
    c.arguments = QJsonDocument::fromJson(QByteArray(json)).object();
    return c;
}

model::Action exec(std::vector<std::string> argv, std::string cwd = "/home/u")
{
    model::Action a;
    a.kind = model::ActionKind::Exec;
    a.path = argv.empty() ? std::string() : argv.front();
    a.argv = std::move(argv);
    a.cwd = std::move(cwd);
    return a;
}

model::Action file(model::ActionKind kind, std::string path, std::string cwd = "/home/u")
{
    model::Action a;
    a.kind = kind;
    a.path = std::move(path);
    a.cwd = std::move(cwd);
    return a;
}

} // namespace

class TestCorrelateIntent : public QObject
{
    Q_OBJECT
private slots:
    void splitsShellCommands()
    {
        auto cmds = splitCommands("cd /srv && FOO=1 sudo -u app timeout 5 grep -rn 'a b' src/ | sort > \"/tmp/out put.txt\" 2>&1; echo done");
        QCOMPARE(cmds.size(), size_t(4));
        QCOMPARE(cmds[0].program, std::string("cd"));
        QCOMPARE(cmds[1].program, std::string("grep"));
        QCOMPARE(cmds[1].args, (std::vector<std::string>{"-rn", "a b", "src/"}));
        QCOMPARE(cmds[2].program, std::string("sort"));
        QCOMPARE(cmds[2].writes, std::vector<std::string>{"/tmp/out put.txt"});
        QCOMPARE(cmds[3].program, std::string("echo"));
        // subshells, command substitution, unterminated quotes never hang or crash
        QCOMPARE(splitCommands("(cd x && make) || echo $(date)").size(), size_t(4));
        QVERIFY(splitCommands("echo 'unterminated").size() == 1);
        QVERIFY(splitCommands(std::string(100000, '|')).empty());
    }

    void readsToolShapes()
    {
        auto claude = readToolIntent(call("Bash", "{\"command\":\"cat /etc/hostname && ls /tmp\",\"description\":\"x\"}"));
        QCOMPARE(claude.category, ToolIntent::Category::Shell);
        QCOMPARE(claude.commands.size(), size_t(2));
        QCOMPARE(claude.paths.size(), size_t(2));

        // Codex's older shell tool: argv array with a -lc script
        auto codex = readToolIntent(call("shell", "{\"command\":[\"bash\",\"-lc\",\"curl -fsSL https://example.com:8443/x | tee out.log\"],\"workdir\":\"/repo\"}"));
        QCOMPARE(codex.commandTexts, std::vector<std::string>{"curl -fsSL https://example.com:8443/x | tee out.log"});
        QCOMPARE(codex.workdir, std::string("/repo"));
        QCOMPARE(codex.hosts.size(), size_t(1));
        QCOMPARE(codex.hosts[0].host, std::string("example.com"));
        QCOMPARE(codex.hosts[0].port, uint16_t(8443));

        auto write = readToolIntent(call("Write", "{\"file_path\":\"/p/a.txt\",\"content\":\"/etc/passwd is not a path here\\n\"}"));
        QCOMPARE(write.category, ToolIntent::Category::FileWrite);
        QCOMPARE(write.paths.size(), size_t(1));
        QVERIFY(write.paths[0].write);

        auto fetch = readToolIntent(call("WebFetch", "{\"url\":\"https://Docs.Example.org/a?b=1\",\"prompt\":\"summarise\"}"));
        QCOMPARE(fetch.category, ToolIntent::Category::Fetch);
        QCOMPARE(fetch.hosts[0].host, std::string("docs.example.org"));
        QCOMPARE(fetch.hosts[0].port, uint16_t(443));

        // unknown tool: absolute paths and URLs anywhere in the arguments
        auto other = readToolIntent(call("mcp__fs__copy", "{\"opts\":{\"from\":\"/a/b\",\"to\":[\"/c/d\"]},\"n\":3}"));
        QCOMPARE(other.paths.size(), size_t(2));
    }

    void matchesExecs()
    {
        auto in = readToolIntent(call("Bash", "{\"command\":\"ls -la /tmp\"}"));
        QCOMPARE(matchAction(in, exec({"ls", "-la", "/tmp"})).score, 1.0);
        QCOMPARE(matchAction(in, exec({"/usr/bin/ls", "-la", "/tmp", "--color=auto"})).score, 0.9);
        QCOMPARE(matchAction(in, exec({"ls"})).score, 0.55);
        QCOMPARE(matchAction(in, exec({"git", "status"})).score, 0.0);
        auto runner = matchAction(in, exec({"/bin/bash", "-c", "ls -la /tmp"}));
        QVERIFY(runner.runner);
        QCOMPARE(runner.score, 1.0);
        // Claude Code's wrapper quotes the command inside eval '...'
        auto quoted = readToolIntent(call("Bash", "{\"command\":\"echo 'it''s' > /tmp/x\"}"));
        QVERIFY(matchAction(quoted, exec({"/bin/bash", "-c", "-l", "eval 'echo '\\''it'\\'''\\''s'\\'' > /tmp/x' < /dev/null"})).runner);
        // "ls" inside "false" is not the command
        auto ls = readToolIntent(call("Bash", "{\"command\":\"ls\"}"));
        QVERIFY(!matchAction(ls, exec({"bash", "-c", "false"})).runner);
    }

    void matchesFilesAndHosts()
    {
        auto in = readToolIntent(call("Bash", "{\"command\":\"wc -l config.yaml > ~/count.txt\"}"));
        QCOMPARE(matchAction(in, file(model::ActionKind::FileRead, "/srv/config.yaml", "/srv")).score, 0.9);
        QCOMPARE(matchAction(in, file(model::ActionKind::FileRead, "/srv/config.yaml", "/other")).score, 0.0);
        QVERIFY(matchAction(in, file(model::ActionKind::FileWrite, "/root/count.txt")).score > 0.8);

        auto glob = readToolIntent(call("Glob", "{\"pattern\":\"**/*.ts\",\"path\":\"/repo/src\"}"));
        QCOMPARE(matchAction(glob, file(model::ActionKind::FileRead, "/repo/src/a/b.ts")).score, 0.8);
        auto ls = readToolIntent(call("Bash", "{\"command\":\"ls /tmp\"}"));
        QCOMPARE(matchAction(ls, file(model::ActionKind::FileWrite, "/tmp/claude-1-cwd")).score, 0.0);

        auto fetch = readToolIntent(call("WebFetch", "{\"url\":\"https://example.com/x\"}"));
        model::Action c;
        c.kind = model::ActionKind::Connect;
        c.family = 2;
        c.host = "93.184.215.14";
        c.port = 443;
        QCOMPARE(matchAction(fetch, c).score, 0.0);
        c.hostName = "example.com";
        QCOMPARE(matchAction(fetch, c).score, 0.95);
        c.port = 80;
        QVERIFY(matchAction(fetch, c).score < 0.95);
    }

    void noiseRules()
    {
        std::set<std::string> hosts{"localhost"};
        std::set<uint16_t> ports{8443};
        NoiseContext runtime{true, &hosts, &ports};
        NoiseContext tool{false, &hosts, &ports};
        QCOMPARE(noiseRule(file(model::ActionKind::FileRead, "/lib/x86_64-linux-gnu/libc.so.6"), tool), std::string("system-read"));
        QCOMPARE(noiseRule(file(model::ActionKind::FileRead, "/home/u/.claude.json"), runtime), std::string("runtime-read"));
        QCOMPARE(noiseRule(file(model::ActionKind::FileRead, "/home/u/secret.txt"), tool), std::string());
        QCOMPARE(noiseRule(file(model::ActionKind::FileWrite, "/home/u/.claude/todos/a.json"), runtime), std::string("runtime-state"));
        QCOMPARE(noiseRule(file(model::ActionKind::FileWrite, "/home/u/src/main.c"), runtime), std::string());
        model::Action c;
        c.kind = model::ActionKind::Connect;
        c.family = 2;
        c.host = "127.0.0.1";
        c.port = 8443;
        QCOMPARE(noiseRule(c, runtime), std::string("llm-endpoint"));
        QCOMPARE(noiseRule(c, tool), std::string());
        QCOMPARE(noiseRule(exec({"git", "status"}), tool), std::string());
    }
};

QTEST_GUILESS_MAIN(TestCorrelateIntent)
#include "tst_correlate_intent.moc"
