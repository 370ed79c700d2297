// SPDX-License-Identifier: GPL-2.0-or-later
// Property: decoding does not depend on how the bytes were chunked. Every
// fixture in tests/data/http is fed whole, then in random pieces (seeded,
// 1 byte upwards) and the complete results must be identical.
#include "decode_test_support.h"

#include <QDir>
#include <QTest>

using namespace agentsight::decode;
using namespace agentsight::decode::test;

namespace {

// Call boundaries are resync points, so for fixtures that need a resync the
// split into separate calls may legitimately change what is recovered.
bool resyncSensitive(const QString &name)
{
    for (const char *k : {"midstream", "gap", "not_http", "bad", "huge"})
        if (name.contains(QLatin1String(k)))
            return true;
    return false;
}

DecodeLimits fastLimits()
{
    // The bomb fixture would otherwise inflate 64 MiB per run.
    DecodeLimits l;
    l.maxBodyBytes = 1 << 20;
    l.maxDecodedCount = 4 << 20;
    return l;
}

} // namespace

class TstDecodeProperties : public QObject {
    Q_OBJECT
private slots:
    void chunkingDoesNotMatter_data()
    {
        QTest::addColumn<QString>("fixture");
        const QStringList files = QDir(QStringLiteral(AGENTSIGHT_TEST_DATA "/http")).entryList({"*.wire"}, QDir::Files, QDir::Name);
        QVERIFY(files.size() >= 20);
        for (const QString &f : files)
            QTest::newRow(qPrintable(f)) << f;
    }
    void chunkingDoesNotMatter()
    {
        QFETCH(QString, fixture);
        const auto recs = readWire(fixture.toStdString());
        QVERIFY(!recs.empty());
        const std::string whole = decodeFixture(recs, Split::Whole, 0, 0, fastLimits());
        QVERIFY(!whole.empty());
        int runs = 0;
        for (size_t maxPiece : {size_t(1), size_t(2), size_t(7), size_t(64), size_t(1500), size_t(20000)}) {
            const uint32_t seeds = maxPiece <= 2 ? 3 : 25;
            for (uint32_t seed = 1; seed <= seeds; ++seed) {
                const std::string got = decodeFixture(recs, Split::WithinCall, seed * 7919 + uint32_t(maxPiece), maxPiece, fastLimits());
                if (got != whole)
                    QFAIL(qPrintable(QStringLiteral("within-call split differs: maxPiece %1 seed %2").arg(maxPiece).arg(seed)));
                if (!resyncSensitive(fixture)) {
                    const std::string calls = decodeFixture(recs, Split::AsCalls, seed * 104729 + uint32_t(maxPiece), maxPiece, fastLimits());
                    if (calls != whole)
                        QFAIL(qPrintable(QStringLiteral("split into calls differs: maxPiece %1 seed %2").arg(maxPiece).arg(seed)));
                }
                ++runs;
            }
        }
        QVERIFY(runs > 100);
    }
};

QTEST_GUILESS_MAIN(TstDecodeProperties)
#include "tst_decode_properties.moc"
