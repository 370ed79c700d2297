// SPDX-License-Identifier: GPL-2.0-or-later
// PriceTable: the shipped list loads and prices real model ids, lookups
// prefer exact ids and longer prefixes, user files override, unknown models
// stay unknown (never 0), broken files are rejected whole.
#include <QTemporaryDir>
#include <QTest>

#include "llm/price_table.h"

using namespace agentsight::llm;

namespace {

TokenUsage usage(int64_t input, int64_t output, int64_t cacheRead = -1, int64_t cacheWrite = -1)
{
    TokenUsage u;
    u.input = input;
    u.output = output;
    u.cacheRead = cacheRead;
    u.cacheWrite = cacheWrite;
    return u;
}

bool near(std::optional<double> v, double expected)
{
    return v.has_value() && std::fabs(*v - expected) < 1e-12;
}

} // namespace

class TestLlmPrices : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void shippedListPricesRealModels_data();
    void shippedListPricesRealModels();
    void unknownModelHasNoCost();
    void longestPrefixAndExactWin();
    void laterFileOverrides();
    void environmentOverride();
    void brokenFileIsRejectedWhole();
    void cacheDefaultsToInputPrice();
};

void TestLlmPrices::shippedListPricesRealModels_data()
{
    QTest::addColumn<QString>("model");
    QTest::addColumn<double>("inputPerM");
    QTest::addColumn<double>("outputPerM");
    // Ids as the APIs return them (dated snapshots, "models/" spelling).
    QTest::newRow("sonnet 4.5 snapshot") << "claude-sonnet-4-5-20250929" << 3.0 << 15.0;
    QTest::newRow("opus 4.5 is not opus 4") << "claude-opus-4-5-20251101" << 5.0 << 25.0;
    QTest::newRow("opus 4.1") << "claude-opus-4-1-20250805" << 15.0 << 75.0;
    QTest::newRow("opus 4 dated") << "claude-opus-4-20250514" << 15.0 << 75.0;
    QTest::newRow("haiku 4.5") << "claude-haiku-4-5-20251001" << 1.0 << 5.0;
    QTest::newRow("gpt-4o snapshot") << "gpt-4o-2024-08-06" << 2.5 << 10.0;
    QTest::newRow("gpt-4o-mini is not gpt-4o") << "gpt-4o-mini-2024-07-18" << 0.15 << 0.6;
    QTest::newRow("gpt-5-mini is not gpt-5") << "gpt-5-mini-2025-08-07" << 0.25 << 2.0;
    QTest::newRow("gpt-5-codex") << "gpt-5-codex" << 1.25 << 10.0;
    QTest::newRow("o3-mini is not o3") << "o3-mini" << 1.1 << 4.4;
    QTest::newRow("gemini flash-lite is not flash") << "gemini-2.5-flash-lite" << 0.1 << 0.4;
    QTest::newRow("gemini models/ spelling") << "models/gemini-2.5-pro" << 1.25 << 10.0;
}

void TestLlmPrices::shippedListPricesRealModels()
{
    QFETCH(QString, model);
    QFETCH(double, inputPerM);
    QFETCH(double, outputPerM);
    PriceTable t;
    QString err;
    QVERIFY2(t.loadFile(PriceTable::builtInPath(), &err), qPrintable(err));
    QVERIFY(!t.asOf().isEmpty()); // the date is part of the price
    const ModelPrice *p = t.find(model.toStdString());
    QVERIFY2(p, "no price");
    QCOMPARE(p->input, inputPerM);
    QCOMPARE(p->output, outputPerM);
    // One million in and out costs exactly the two list prices.
    QVERIFY(near(t.cost(model.toStdString(), usage(1000000, 1000000)), inputPerM + outputPerM));
}

void TestLlmPrices::unknownModelHasNoCost()
{
    PriceTable t;
    QString err;
    QVERIFY(t.loadFile(PriceTable::builtInPath(), &err));
    QVERIFY(!t.cost("llama3.2:3b", usage(1000, 1000)).has_value());
    // Newer models and differently priced variants are not priced as their
    // older / cheaper relatives (Claude Code 2.1.197 asks for claude-opus-4-8).
    for (const char *m : {"claude-opus-4-8", "claude-sonnet-4-7-20260101", "o3-pro", "o1-pro", "gpt-4o-audio-preview",
                          "gpt-4o-realtime-preview", "gpt-5.2", "gemini-3.1-pro-preview", "gemini-2.5-flash-image"})
        QVERIFY2(!t.cost(m, usage(1000, 1000)).has_value(), m);
    QVERIFY(!t.cost("", usage(1000, 1000)).has_value());
    // Known model but the API gave no counts: unknown as well.
    QVERIFY(!t.cost("gpt-4o", usage(-1, -1)).has_value());
    // Known model, zero tokens: a real 0.
    QVERIFY(near(t.cost("gpt-4o", usage(0, 0)), 0.0));
}

void TestLlmPrices::longestPrefixAndExactWin()
{
    PriceTable t;
    QString err;
    QVERIFY2(t.loadJson(R"({"models":[
        {"match":"m-*","input":1,"output":1},
        {"match":"m-large*","input":2,"output":2},
        {"match":"m-large-exact","input":3,"output":3},
        {"match":"m-*","input":4,"output":4}]})", &err), qPrintable(err));
    QCOMPARE(t.find("m-small")->input, 4.0);          // equal patterns: last loaded wins
    QCOMPARE(t.find("m-large-v2")->input, 2.0);       // longer prefix
    QCOMPARE(t.find("m-large-exact")->input, 3.0);    // exact beats any prefix
    QVERIFY(t.find("m") == nullptr);                  // "m-*" needs the dash
}

void TestLlmPrices::laterFileOverrides()
{
    PriceTable t;
    QString err;
    QVERIFY(t.loadFile(PriceTable::builtInPath(), &err));
    QVERIFY(t.loadJson(R"({"as_of":"2099-01-01","models":[{"match":"claude-sonnet-4-5*","input":1,"output":2,"cache_read":0.5,"cache_write":1.5},
                                                           {"match":"llama3.2*","input":0,"output":0}]})", &err));
    QCOMPARE(t.asOf(), QStringLiteral("2099-01-01"));
    // 1M uncached in (1) + 1M cache read (0.5) + 1M cache write (1.5) + 1M out (2).
    QVERIFY(near(t.cost("claude-sonnet-4-5-20250929", usage(3000000, 1000000, 1000000, 1000000)), 5.0));
    // A user can declare a local model free; then (and only then) it costs 0.
    QVERIFY(near(t.cost("llama3.2:3b", usage(5000, 5000)), 0.0));
    QCOMPARE(t.find("gpt-4o")->input, 2.5); // the rest of the shipped list is still there
}

void TestLlmPrices::environmentOverride()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("prices.json"));
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(R"({"models":[{"match":"gpt-4o","input":100,"output":200}]})");
    f.close();
    qputenv("AGENTSIGHT_PRICES", path.toUtf8());
    QString err;
    const PriceTable t = PriceTable::standard({}, &err);
    qunsetenv("AGENTSIGHT_PRICES");
    QVERIFY2(err.isEmpty(), qPrintable(err));
    QCOMPARE(t.find("gpt-4o")->input, 100.0);          // exact override
    QCOMPARE(t.find("gpt-4o-2024-08-06")->input, 2.5); // prefix entries from the shipped list
}

void TestLlmPrices::brokenFileIsRejectedWhole()
{
    PriceTable t;
    QString err;
    QVERIFY(t.loadJson(R"({"models":[{"match":"a*","input":1,"output":1}]})", &err));
    QVERIFY(!t.loadJson(R"({"models":[{"match":"b*","input":1,"output":1},{"match":"c*","input":"cheap","output":1}]})", &err));
    QVERIFY2(err.contains(QStringLiteral("models[1]")), qPrintable(err));
    QVERIFY(t.find("b-model") == nullptr); // nothing of the bad file was taken
    QVERIFY(t.find("a-model") != nullptr);
    QVERIFY(!t.loadJson("not json", &err));
    QVERIFY(!t.loadJson(R"({"models":[{"match":"*","input":1,"output":1}]})", &err)); // would price everything
    QVERIFY(!t.loadFile(QStringLiteral("/nonexistent/prices.json"), &err));
    QVERIFY(err.contains(QStringLiteral("/nonexistent/prices.json")));
}

void TestLlmPrices::cacheDefaultsToInputPrice()
{
    PriceTable t;
    QString err;
    QVERIFY(t.loadJson(R"({"models":[{"match":"x","input":2,"output":4}]})", &err));
    // Without cache prices, cached tokens cost the input price: never free by accident.
    QVERIFY(near(t.cost("x", usage(1000000, 0, 500000, 500000)), 2.0));
}

QTEST_GUILESS_MAIN(TestLlmPrices)
#include "tst_llm_prices.moc"
