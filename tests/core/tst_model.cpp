// SPDX-License-Identifier: GPL-2.0-or-later
// The process model on records in the real layouts (built as the collectors
// write them, unpacked by wire::parseEvent): pid reuse, snapshot start
// precision, parking of early records, fd tables, cwd, DNS names, agents and
// their conversations, and the caps with their counters.
#include <fcntl.h>

#include <QJsonObject>
#include <QtTest>

#include "model/dns_query.h"
#include "model/path_resolve.h"
#include "model/process_tree.h"
#include "tst_correlate_scenario.h"

using namespace agentsight;
using namespace agentsight::model;
using correlate::test::msToNs;
using correlate::test::recordOf;

namespace {

// One record from the scenario step syntax (tests/data/correlate/README.md).
wire::Event ev(const char *json)
{
    const QJsonObject st = QJsonDocument::fromJson(QByteArray(json)).object();
    wire::Event e;
    const std::string rec = recordOf(st);
    std::string err;
    if (rec.empty() || !wire::parseEvent(rec, e, &err))
        qFatal("bad test record %s: %s", json, err.c_str());
    return e;
}

struct Tree {
    ProcessTree tree;
    std::vector<Action> actions;
    explicit Tree(ModelLimits l = {}) : tree(l)
    {
        tree.setActionSink([this](Action &&a) { actions.push_back(std::move(a)); });
    }
    void feed(const char *json) { tree.onEvent(ev(json)); }
    const Process &cur(uint32_t tgid) const
    {
        const Process *p = tree.process(tree.currentId(tgid));
        if (!p)
            qFatal("no process %u", tgid);
        return *p;
    }
};

const char *kRoot = "{\"ev\":\"exec\",\"t\":100,\"tgid\":100,\"start\":90,\"ppid\":1,\"argv\":[\"agent\",\"run\"],\"cwd\":\"/home/u\"}";

} // namespace

class TestModel : public QObject
{
    Q_OBJECT
private slots:
    void rootAndDescendantsFormOneAgent()
    {
        Tree t;
        t.feed("{\"ev\":\"target\",\"t\":99,\"tgid\":100,\"name\":\"agent run --fast\"}");
        t.feed(kRoot);
        t.feed("{\"ev\":\"fork\",\"t\":110,\"tgid\":100,\"child\":101,\"start\":110}");
        t.feed("{\"ev\":\"exec\",\"t\":111,\"tgid\":101,\"start\":110,\"ppid\":100,\"argv\":[\"sh\",\"-c\",\"x\"],\"cwd\":\"/home/u\"}");
        t.feed("{\"ev\":\"exec\",\"t\":120,\"tgid\":200,\"start\":119,\"ppid\":1,\"argv\":[\"other\"],\"cwd\":\"/\"}");
        const auto ids = t.tree.agentIds();
        QCOMPARE(ids.size(), size_t(2));
        const AgentSession *a = t.tree.agent(ids[0]);
        QCOMPARE(a->name, std::string("agent run --fast")); // the target's name
        QCOMPARE(a->processCount, uint64_t(2));
        QCOMPARE(t.cur(101).agentId, a->id);
        QCOMPARE(t.cur(101).parentId, t.cur(100).id);
        QCOMPARE(t.cur(200).agentId, ids[1]);
        QVERIFY(t.tree.isDescendant(t.cur(101).id, t.cur(100).id));
        QVERIFY(!t.tree.isDescendant(t.cur(200).id, t.cur(100).id));
        // Only the child's exec is an action: a root's start is not.
        QCOMPARE(t.actions.size(), size_t(1));
        QCOMPARE(t.actions[0].argv, (std::vector<std::string>{"sh", "-c", "x"}));
        QCOMPARE(t.actions[0].lineage, (std::vector<uint64_t>{t.cur(101).id, t.cur(100).id}));
    }

    void pidReuseMakesANewProcess()
    {
        Tree t;
        t.feed(kRoot);
        t.feed("{\"ev\":\"fork\",\"t\":110,\"tgid\":100,\"child\":101,\"start\":110}");
        const uint64_t first = t.cur(101).id;
        t.feed("{\"ev\":\"exit\",\"t\":120,\"tgid\":101,\"start\":110,\"code\":3}");
        QVERIFY(t.cur(101).exited && t.cur(101).exitSeen);
        QCOMPARE(t.cur(101).exitCode, 3);
        // same pid, new start: a new process; the old one keeps its history
        t.feed("{\"ev\":\"fork\",\"t\":200,\"tgid\":100,\"child\":101,\"start\":200}");
        QVERIFY(t.cur(101).id != first);
        QVERIFY(!t.cur(101).exited);
        QVERIFY(t.tree.process(first)->exited);
        // an exit for the old start does not end the new holder
        t.feed("{\"ev\":\"exit\",\"t\":201,\"tgid\":101,\"start\":110}");
        QVERIFY(!t.cur(101).exited);
        QCOMPARE(t.tree.stats().staleExits, uint64_t(1));
        // live holder replaced without an exit record: counted as reuse
        t.feed("{\"ev\":\"fork\",\"t\":300,\"tgid\":100,\"child\":101,\"start\":300}");
        QCOMPARE(t.tree.stats().pidReuse, uint64_t(1));
    }

    void snapshotStartsMatchWithin10ms()
    {
        Tree t;
        t.feed("{\"ev\":\"exec\",\"t\":500,\"tgid\":100,\"start\":90,\"ppid\":1,\"snapshot\":true,\"argv\":[\"agent\"],\"cwd\":\"/\"}");
        t.feed("{\"ev\":\"exec\",\"t\":500.1,\"tgid\":101,\"start\":120,\"ppid\":100,\"snapshot\":true,\"argv\":[\"child\"],\"cwd\":\"/\"}");
        QCOMPARE(t.cur(101).parentId, t.cur(100).id);
        QVERIFY(t.cur(101).startApprox);
        QVERIFY(t.actions.empty()); // snapshots are context, not actions
        const uint64_t id = t.cur(101).id;
        t.feed("{\"ev\":\"exit\",\"t\":600,\"tgid\":101,\"start\":129.99}"); // within the tick
        QVERIFY(t.tree.process(id)->exitSeen);
        t.feed("{\"ev\":\"exit\",\"t\":601,\"tgid\":100,\"start\":100.5}"); // 10.5 ms off: another process
        QVERIFY(!t.cur(100).exited);
        QCOMPARE(t.tree.stats().staleExits, uint64_t(1));
    }

    void earlyRecordsAreParkedThenAttached()
    {
        Tree t;
        t.feed(kRoot);
        t.feed("{\"ev\":\"open\",\"t\":112,\"tgid\":101,\"path\":\"/tmp/a\",\"flags\":\"wc\",\"fd\":4}");
        QCOMPARE(t.tree.currentId(101), uint64_t(0));
        QVERIFY(t.actions.empty());
        t.feed("{\"ev\":\"fork\",\"t\":110,\"tgid\":100,\"child\":101,\"start\":110}");
        QCOMPARE(t.actions.size(), size_t(1));
        QCOMPARE(t.actions[0].kind, ActionKind::FileWrite);
        QCOMPARE(t.actions[0].processId, t.cur(101).id);
        QCOMPARE(t.actions[0].agentId, t.cur(100).agentId);
        QCOMPARE(t.cur(101).fds.at(4).path, std::string("/tmp/a"));
        // a pid whose fork never comes gets a placeholder after the timeout
        t.feed("{\"ev\":\"open\",\"t\":200,\"tgid\":777,\"path\":\"/x\",\"flags\":\"r\",\"fd\":3}");
        t.feed("{\"ev\":\"chdir\",\"t\":2300,\"tgid\":100,\"path\":\"/srv\"}");
        QCOMPARE(t.tree.stats().placeholders, uint64_t(1));
        QVERIFY(t.cur(777).placeholder);
        QCOMPARE(t.cur(777).agentId, uint32_t(0));
        QCOMPARE(t.actions.back().path, std::string("/x"));
        QCOMPARE(t.tree.stats().parked, uint64_t(2));
        QCOMPARE(t.tree.stats().parkedReleased, uint64_t(2));
    }

    // The net ring read after the proc ring: curl's connect arrives after its
    // exit record, stamped before it - it is still curl's.
    void recordsDeliveredAfterExitStayWithTheirProcess()
    {
        Tree t;
        t.feed(kRoot);
        t.feed("{\"ev\":\"fork\",\"t\":110,\"tgid\":100,\"child\":101,\"start\":110}");
        t.feed("{\"ev\":\"exec\",\"t\":111,\"tgid\":101,\"start\":110,\"ppid\":100,\"argv\":[\"curl\",\"x\"],\"cwd\":\"/\"}");
        t.feed("{\"ev\":\"exit\",\"t\":115,\"tgid\":101,\"start\":110}");
        const uint64_t curl = t.cur(101).id;
        t.feed("{\"ev\":\"connect\",\"t\":113,\"tgid\":101,\"host\":\"1.2.3.4\",\"port\":443,\"fd\":3}");
        QCOMPARE(t.actions.back().kind, ActionKind::Connect);
        QCOMPARE(t.actions.back().processId, curl);
        QCOMPARE(t.tree.stats().parked, uint64_t(0));
        QVERIFY(t.cur(101).fds.empty()); // no fd table for the dead
        // stamped after the exit: waits for the pid's next holder
        t.feed("{\"ev\":\"open\",\"t\":116,\"tgid\":101,\"path\":\"/x\",\"flags\":\"r\",\"fd\":3}");
        QCOMPARE(t.tree.stats().parked, uint64_t(1));
    }

    void parkingIsBounded()
    {
        ModelLimits l;
        l.maxParkedPerTgid = 10;
        l.maxParkedTotal = 15;
        Tree t(l);
        for (int i = 0; i < 30; ++i) {
            const QByteArray j = QStringLiteral("{\"ev\":\"open\",\"t\":%1,\"tgid\":%2,\"path\":\"/x\",\"flags\":\"r\",\"fd\":3}")
                                     .arg(100 + i * 0.001).arg(500 + i % 2).toUtf8();
            t.feed(j.constData());
        }
        QCOMPARE(t.tree.stats().parked, uint64_t(15));
        QCOMPARE(t.tree.stats().parkedDropped, uint64_t(15));
        t.tree.flushParked();
        QCOMPARE(t.actions.size(), size_t(15));
    }

    void fdTableFollowsOpenCloseForkExec()
    {
        Tree t;
        t.feed(kRoot);
        t.feed("{\"ev\":\"open\",\"t\":101,\"tgid\":100,\"path\":\"/home/u/keep.txt\",\"flags\":\"r\",\"fd\":5}");
        t.feed("{\"ev\":\"open\",\"t\":102,\"tgid\":100,\"path\":\"/home/u/cloexec.txt\",\"flags\":\"re\",\"fd\":6}");
        t.feed("{\"ev\":\"open\",\"t\":103,\"tgid\":100,\"path\":\"/home/u/closed.txt\",\"flags\":\"r\",\"fd\":7}");
        t.feed("{\"ev\":\"close\",\"t\":104,\"tgid\":100,\"fd\":7}");
        t.feed("{\"ev\":\"dns\",\"t\":105,\"tgid\":100,\"name\":\"Example.COM\"}");
        t.feed("{\"ev\":\"connect\",\"t\":106,\"tgid\":100,\"host\":\"93.184.215.14\",\"port\":443,\"fd\":8,\"result\":-115}");
        const Process &p = t.cur(100);
        QCOMPARE(p.fds.size(), size_t(3));
        QCOMPARE(p.fds.at(8).kind, FdEntry::Kind::Socket);
        QCOMPARE(p.fds.at(8).remote, std::string("93.184.215.14:443"));
        QCOMPARE(p.fds.at(8).hostName, std::string("example.com"));
        QCOMPARE(t.actions.back().hostName, std::string("example.com"));
        QVERIFY(!t.actions.back().failed); // EINPROGRESS is not a failure
        QCOMPARE(p.dns.at(0).name, std::string("example.com"));
        // inherited by fork; O_CLOEXEC entries go at exec
        t.feed("{\"ev\":\"fork\",\"t\":110,\"tgid\":100,\"child\":101,\"start\":110}");
        QCOMPARE(t.cur(101).fds.size(), size_t(3));
        t.feed("{\"ev\":\"exec\",\"t\":111,\"tgid\":101,\"start\":110,\"ppid\":100,\"argv\":[\"cat\"],\"cwd\":\"/home/u\"}");
        QCOMPARE(t.cur(101).fds.size(), size_t(2));
        QVERIFY(!t.cur(101).fds.count(6));
        // fchmod names its file by fd; relative unlink resolves against chdir's cwd
        t.feed("{\"ev\":\"chmod\",\"t\":112,\"tgid\":101,\"dirfd\":5,\"path\":\"\"}");
        QCOMPARE(t.actions.back().path, std::string("/home/u/keep.txt"));
        t.feed("{\"ev\":\"chdir\",\"t\":113,\"tgid\":101,\"path\":\"/srv/data\"}");
        t.feed("{\"ev\":\"unlink\",\"t\":114,\"tgid\":101,\"path\":\"../old/./x.log\"}");
        QCOMPARE(t.actions.back().kind, ActionKind::Unlink);
        QCOMPARE(t.actions.back().path, std::string("/srv/old/x.log"));
        QCOMPARE(t.actions.back().cwd, std::string("/srv/data"));
        t.feed("{\"ev\":\"rename\",\"t\":115,\"tgid\":101,\"path\":\"a\",\"path2\":\"/abs/b\"}");
        QCOMPARE(t.actions.back().path, std::string("/srv/data/a"));
        QCOMPARE(t.actions.back().path2, std::string("/abs/b"));
    }

    void historiesAreCappedAndCounted()
    {
        ModelLimits l;
        l.maxFileActivity = 4;
        l.maxExecHistory = 2;
        l.maxFds = 3;
        l.maxProcesses = 5;
        Tree t(l);
        t.feed(kRoot);
        for (int i = 0; i < 10; ++i) {
            const QByteArray j = QStringLiteral("{\"ev\":\"open\",\"t\":%1,\"tgid\":100,\"path\":\"/f%2\",\"flags\":\"r\",\"fd\":%3}")
                                     .arg(101 + i).arg(i).arg(10 + i).toUtf8();
            t.feed(j.constData());
        }
        const Process &p = t.cur(100);
        QCOMPARE(p.files.size(), size_t(4));
        QCOMPARE(p.fileCount, uint64_t(10));
        QCOMPARE(p.filesDropped, uint64_t(6));
        QCOMPARE(p.fds.size(), size_t(3));
        QCOMPARE(p.fdsDropped, uint64_t(7));
        for (int i = 0; i < 3; ++i) {
            const QByteArray j = QStringLiteral("{\"ev\":\"exec\",\"t\":%1,\"tgid\":100,\"start\":90,\"ppid\":1,\"argv\":[\"a%2\"],\"cwd\":\"/\"}").arg(200 + i).arg(i).toUtf8();
            t.feed(j.constData());
        }
        QCOMPARE(t.cur(100).execs.size(), size_t(2));
        QCOMPARE(t.cur(100).execCount, uint32_t(4));
        QCOMPARE(t.cur(100).execsDropped, uint32_t(2));
        // exited processes beyond maxProcesses are evicted, oldest first
        for (int i = 0; i < 10; ++i) {
            const QByteArray f = QStringLiteral("{\"ev\":\"fork\",\"t\":%1,\"tgid\":100,\"child\":%2,\"start\":%1}").arg(300 + i).arg(1000 + i).toUtf8();
            const QByteArray x = QStringLiteral("{\"ev\":\"exit\",\"t\":%1,\"tgid\":%2,\"start\":%3}").arg(300.5 + i).arg(1000 + i).arg(300 + i).toUtf8();
            t.feed(f.constData());
            t.feed(x.constData());
        }
        QCOMPARE(t.tree.processIds().size(), size_t(5));
        QCOMPARE(t.tree.stats().evicted, uint64_t(6));
        QCOMPARE(t.tree.currentId(1000), uint64_t(0));
        QVERIFY(t.tree.currentId(1009) != 0);
    }

    void conversationIsOrderedByRequestStart()
    {
        Tree t;
        t.feed(kRoot);
        const uint32_t agent = t.cur(100).agentId;
        t.tree.addConversationEntry(agent, {2, 5000, 9000, 0, 0, "anthropic", "m", "h", 0, 0});
        t.tree.addConversationEntry(agent, {3, 1000, 9500, 0, 0, "anthropic", "haiku", "h", 0, 0});
        const auto &c = t.tree.agent(agent)->conversation;
        QCOMPARE(c.size(), size_t(2));
        QCOMPARE(c[0].exchangeSeq, uint64_t(3));
        QCOMPARE(c[1].exchangeSeq, uint64_t(2));
    }

    void dnsQuestionsFromHostileBytes()
    {
        auto q = decodeDnsQuestion(correlate::test::dnsQuery("api.Example.com", 28));
        QVERIFY(q);
        QCOMPARE(q->name, std::string("api.example.com"));
        QCOMPARE(q->qtype, uint16_t(28));
        QVERIFY(!decodeDnsQuestion(std::string("\x12\x34\x01\x00\x00\x01", 6))); // short
        std::string ptr("\x12\x34\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00\xc0\x0c\x00\x01\x00\x01", 18);
        QVERIFY(!decodeDnsQuestion(ptr)); // compression pointer loop
        std::string resp = correlate::test::dnsQuery("a.b", 1);
        resp[2] = char(0x81);
        QVERIFY(!decodeDnsQuestion(resp)); // a response, not a query
        std::string cut = correlate::test::dnsQuery("example.com", 1);
        QVERIFY(!decodeDnsQuestion(cut.substr(0, cut.size() - 3)));
        // random bytes: never crash, never read past the end
        uint32_t x = 12345;
        for (int i = 0; i < 20000; ++i) {
            std::string m(size_t(x % 80), '\0');
            for (auto &c : m) {
                x = x * 1103515245u + 12345u;
                c = char(x >> 16);
            }
            if (m.size() > 12)
                m[2] = 0, m[4] = 0, m[5] = 1;
            auto r = decodeDnsQuestion(m);
            if (r)
                QVERIFY(r->name.size() <= 253);
        }
    }

    void pathsResolveLexically()
    {
        QCOMPARE(resolvePath("/a/b", "../c//./d"), std::string("/a/c/d"));
        QCOMPARE(resolvePath("/a", "/x/../y"), std::string("/y"));
        QCOMPARE(resolvePath("", "rel"), std::string("rel"));
        QCOMPARE(normalizePath("/../.."), std::string("/"));
    }
};

QTEST_GUILESS_MAIN(TestModel)
#include "tst_model.moc"
