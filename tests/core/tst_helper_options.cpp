// SPDX-License-Identifier: GPL-2.0-or-later
// The helper's command line: every wrong use is a clear error, never a guess.
#include "options.h"

#include <QtTest>

using namespace agentsight::helper;

namespace {
ParseResult parse(std::vector<const char *> args)
{
    args.insert(args.begin(), "agentsight-helper");
    return parseOptions(int(args.size()), args.data());
}
} // namespace

class TstHelperOptions : public QObject {
    Q_OBJECT
private slots:
    void acceptsTargetsAndOutputs()
    {
        auto r = parse({"--pid", "123", "--comm", "claude", "--socket", "/run/as.sock", "--jsonl", "-", "--ring-size", "16M",
                        "--tls-cap", "8M", "--", "python3", "-c", "print(1)"});
        QVERIFY2(r.error.empty(), r.error.c_str());
        QCOMPARE(r.options.pids, std::vector<uint32_t>{123});
        QCOMPARE(r.options.comms, std::vector<std::string>{"claude"});
        QCOMPARE(r.options.command, (std::vector<std::string>{"python3", "-c", "print(1)"}));
        QCOMPARE(r.options.ringBytes, 16u << 20);
        QCOMPARE(r.options.tlsCapBytes, 8u << 20);
        // Arguments after -- belong to the command, even if they look like ours.
        auto r2 = parse({"--jsonl", "-", "--", "sh", "--pid", "5"});
        QVERIFY(r2.error.empty());
        QVERIFY(r2.options.pids.empty());
        QCOMPARE(r2.options.command.size(), size_t(3));
    }

    void rejectsWrongUse_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        QTest::newRow("no target") << QStringList{"--jsonl", "-"} << "no target";
        QTest::newRow("no output") << QStringList{"--pid", "1"} << "no output";
        QTest::newRow("pid not a number") << QStringList{"--pid", "12x", "--jsonl", "-"} << "invalid pid";
        QTest::newRow("negative pid") << QStringList{"--pid", "-3", "--jsonl", "-"} << "invalid pid";
        QTest::newRow("pid zero") << QStringList{"--pid", "0", "--jsonl", "-"} << "invalid pid";
        QTest::newRow("missing value") << QStringList{"--jsonl", "-", "--pid"} << "needs a value";
        QTest::newRow("ring not power of two") << QStringList{"--pid", "1", "--jsonl", "-", "--ring-size", "3000"} << "power of two";
        QTest::newRow("unknown option") << QStringList{"--pid", "1", "--jsonl", "-", "--frobnicate"} << "unknown option";
        QTest::newRow("empty command") << QStringList{"--jsonl", "-", "--"} << "followed by a command";
        QTest::newRow("wait without socket") << QStringList{"--jsonl", "-", "--wait-client", "--pid", "1"} << "needs --socket";
        QTest::newRow("socket path too long") << QStringList{"--pid", "1", "--socket", QString(200, QLatin1Char('a'))} << "longer than";
    }
    void rejectsWrongUse()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        std::vector<std::string> storage;
        for (const auto &a : args)
            storage.push_back(a.toStdString());
        std::vector<const char *> argv;
        for (const auto &s : storage)
            argv.push_back(s.c_str());
        auto r = parse(argv);
        QVERIFY2(QString::fromStdString(r.error).contains(message), r.error.c_str());
    }
};

QTEST_GUILESS_MAIN(TstHelperOptions)
#include "tst_helper_options.moc"
