// SPDX-License-Identifier: GPL-2.0-or-later
// ContentDecoder on bodies made by the real tools (gzip(1), zstd(1), node's
// brotli, Python's zlib via tests/data/http/gen_http1.py) and broken ones.
#include "decode/content_decoder.h"
#include "decode_test_support.h"

#include <QProcess>
#include <QTest>

using namespace agentsight::decode;
using namespace agentsight::decode::test;

namespace {

std::string runTool(const QString &prog, const QStringList &args, const std::string &input)
{
    QProcess p;
    p.start(prog, args);
    if (!p.waitForStarted())
        return {};
    p.write(input.data(), qint64(input.size()));
    p.closeWriteChannel();
    p.waitForFinished(60000);
    const QByteArray out = p.readAllStandardOutput();
    return std::string(out.constData(), size_t(out.size()));
}

struct Result {
    std::string out;
    bool ok = false;
    std::string error;
};

Result decodeAll(const std::string &coding, const std::string &in, size_t piece, size_t stopAfter = SIZE_MAX)
{
    Result r;
    std::string err;
    auto d = ContentDecoder::create(coding, err);
    if (!d) {
        r.error = err;
        return r;
    }
    auto out = [&](std::string_view s) {
        r.out.append(s);
        return r.out.size() < stopAfter;
    };
    bool ok = true;
    for (size_t i = 0; i < in.size() && ok; i += piece)
        ok = d->feed(std::string_view(in).substr(i, piece), out);
    if (ok)
        ok = d->finish(out);
    r.ok = ok;
    r.error = d->error();
    return r;
}

} // namespace

class TstContentDecoder : public QObject {
    Q_OBJECT
    std::string m_text;
private slots:
    void initTestCase()
    {
        m_text = readFile(dataPath("encodings.plain"));
        QVERIFY(m_text.size() > 100000);
    }

    void tools_data()
    {
        QTest::addColumn<QString>("coding");
        QTest::addColumn<QString>("tool");
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("piece");
        for (int piece : {1, 7, 4096, 1 << 20}) {
            const QByteArray p = QByteArray::number(piece);
            QTest::newRow("gzip/" + p) << "gzip" << "gzip" << QStringList{"-c"} << piece;
            QTest::newRow("zstd/" + p) << "zstd" << "zstd" << QStringList{"-q", "-c"} << piece;
            QTest::newRow("x-gzip/" + p) << "X-Gzip" << "gzip" << QStringList{"-c", "-1"} << piece;
        }
    }
    void tools()
    {
        QFETCH(QString, coding);
        QFETCH(QString, tool);
        QFETCH(QStringList, args);
        QFETCH(int, piece);
        const std::string enc = runTool(tool, args, m_text);
        if (enc.empty())
            QSKIP("compression tool not installed");
        const Result r = decodeAll(coding.toStdString(), enc, size_t(piece));
        QVERIFY2(r.ok, r.error.c_str());
        QVERIFY(r.out == m_text);
    }

    void identity()
    {
        std::string err;
        QVERIFY(!ContentDecoder::create("identity", err));
        QVERIFY(!ContentDecoder::create("", err));
        QVERIFY(err.empty());
        QVERIFY(!ContentDecoder::create("compress", err));
        QVERIFY(err.find("unsupported") != std::string::npos);
        QVERIFY(!ContentDecoder::create("gzip,gzip,gzip,gzip,gzip", err));
    }

    void corruptAndTruncated()
    {
        const std::string gz = runTool("gzip", {"-c"}, m_text);
        const std::string zs = runTool("zstd", {"-q", "-c"}, m_text);
        if (gz.empty() || zs.empty())
            QSKIP("compression tools not installed");
        Result cut = decodeAll("gzip", gz.substr(0, gz.size() / 2), 1000);
        QVERIFY(!cut.ok);
        QVERIFY(cut.error.find("cut short") != std::string::npos);
        QVERIFY(cut.out.size() < m_text.size());
        std::string bad = gz;
        for (size_t i = 100; i < 200; ++i)
            bad[i] = char(bad[i] ^ 0x5a);
        Result corrupt = decodeAll("gzip", bad, 4096);
        QVERIFY(!corrupt.ok);
        QVERIFY(corrupt.error.rfind("gzip: ", 0) == 0);
        Result zcut = decodeAll("zstd", zs.substr(0, zs.size() - 3), 512);
        QVERIFY(!zcut.ok);
        Result notBr = decodeAll("br", m_text.substr(0, 5000), 512);
        QVERIFY(!notBr.ok);
        QVERIFY(notBr.error.rfind("br: ", 0) == 0);
    }

    void stopsWhenTheConsumerHasEnough()
    {
        const std::string zeros(32 << 20, '\0');
        const std::string gz = runTool("gzip", {"-c", "-9"}, zeros);
        if (gz.empty())
            QSKIP("gzip not installed");
        QVERIFY(gz.size() < 100000);
        const Result r = decodeAll("gzip", gz, 1 << 20, 1 << 20);
        QVERIFY(r.ok); // stopping is not an error
        QVERIFY(r.out.size() >= (1u << 20));
        QVERIFY(r.out.size() < (1u << 20) + 64 * 1024); // stopped within one output piece
    }
};

QTEST_GUILESS_MAIN(TstContentDecoder)
#include "tst_content_decoder.moc"
