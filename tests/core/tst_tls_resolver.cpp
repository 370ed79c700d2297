// SPDX-License-Identifier: GPL-2.0-or-later
// Where TLS uprobes go, checked against binutils on the real system binaries:
// libssl's SSL_* at the file offsets readelf/nm imply, node's exported
// OpenSSL found, curl (which only imports SSL_*) and sh found TLS-free,
// a non-ELF rejected, and every answer cached by file identity.
#include "elf_file.h"
#include "proc_maps.h"
#include "tls_resolver.h"

#include <QProcess>
#include <QtTest>

using namespace agentsight::helper;

namespace {
const char *kLibssl = "/usr/lib/x86_64-linux-gnu/libssl.so.3";

QString run(const QString &prog, const QStringList &args)
{
    QProcess p;
    p.start(prog, args);
    p.waitForFinished(30000);
    return QString::fromUtf8(p.readAllStandardOutput());
}

// File offset of a virtual address computed independently from `readelf -lW`.
std::optional<uint64_t> binutilsOffset(const QString &path, uint64_t vaddr)
{
    const QStringList lines = run(QStringLiteral("readelf"), {QStringLiteral("-lW"), path}).split(QLatin1Char('\n'));
    for (const QString &l : lines) {
        const QStringList f = l.simplified().split(QLatin1Char(' '));
        if (f.size() < 6 || f[0] != QLatin1String("LOAD"))
            continue;
        bool ok = true;
        uint64_t off = f[1].toULongLong(&ok, 16), va = f[2].toULongLong(&ok, 16), filesz = f[4].toULongLong(&ok, 16);
        if (vaddr >= va && vaddr < va + filesz)
            return vaddr - va + off;
    }
    return std::nullopt;
}

uint64_t nmAddress(const QString &path, const QString &symbol)
{
    const QStringList lines = run(QStringLiteral("nm"), {QStringLiteral("-D"), QStringLiteral("--defined-only"), path}).split(QLatin1Char('\n'));
    for (const QString &l : lines) {
        const QStringList f = l.simplified().split(QLatin1Char(' '));
        // Dynamic symbols carry their version: "SSL_read@@OPENSSL_3.0.0".
        if (f.size() == 3 && f[2].section(QLatin1Char('@'), 0, 0) == symbol)
            return f[0].toULongLong(nullptr, 16);
    }
    return 0;
}
} // namespace

class TstTlsResolver : public QObject {
    Q_OBJECT
private slots:
    void libsslProbesSitAtBinutilsOffsets()
    {
        if (!QFile::exists(QString::fromLatin1(kLibssl)))
            QSKIP("no system libssl.so.3");
        TlsResolver r;
        auto res = r.resolve(kLibssl);
        QCOMPARE(res->error, 0);
        QCOMPARE(res->strategy, std::string("symbols"));
        QCOMPARE(res->sites.size(), size_t(8)); // 4 functions x entry/return
        for (const TlsProbeSite &s : res->sites) {
            uint64_t va = nmAddress(QString::fromLatin1(kLibssl), QString::fromStdString(s.function));
            QVERIFY2(va != 0, s.function.c_str());
            auto expected = binutilsOffset(QString::fromLatin1(kLibssl), va);
            QVERIFY(expected.has_value());
            QCOMPARE(s.fileOffset, *expected);
        }
    }

    void nodeExportsOpenSsl()
    {
        if (!QFile::exists(QStringLiteral("/usr/bin/node")))
            QSKIP("no node");
        TlsResolver r;
        auto res = r.resolve("/usr/bin/node");
        QVERIFY2(res->hasTls(), "node exports SSL_read/SSL_write");
    }

    void importersAndNonElfHaveNoTls()
    {
        TlsResolver r;
        // curl imports SSL_read from libssl but does not define it.
        if (QFile::exists(QStringLiteral("/usr/bin/curl")))
            QVERIFY(!r.resolve("/usr/bin/curl")->hasTls());
        QVERIFY(!r.resolve("/bin/sh")->hasTls());
        auto txt = r.resolve("/etc/hostname");
        QVERIFY(!txt->hasTls());
        QVERIFY(txt->error != 0 || txt->strategy.empty());
    }

    void answersAreCachedByIdentity()
    {
        TlsResolver r;
        auto a = r.resolve(kLibssl);
        uint64_t misses = r.stats().misses;
        auto b = r.resolve("/lib/x86_64-linux-gnu/libssl.so.3"); // same file through the /lib symlink
        QCOMPARE(r.stats().misses, misses);
        QVERIFY(r.stats().hits >= 1);
        QCOMPARE(a.get(), b.get());
    }

    void execMappingsFromMapsText()
    {
        const char *text =
            "55d0c0a00000-55d0c0a28000 r--p 00000000 fe:00 131 /usr/bin/curl\n"
            "55d0c0a28000-55d0c0a8c000 r-xp 00028000 fe:00 131 /usr/bin/curl\n"
            "7f1c2a000000-7f1c2a05b000 r-xp 0001e000 fe:00 14884978 /usr/lib/x86_64-linux-gnu/libssl.so.3\n"
            "7f1c2b000000-7f1c2b001000 r-xp 00000000 00:00 0 \n"
            "7f1c2c000000-7f1c2c001000 r-xp 00000000 fe:00 77 /tmp/old lib.so (deleted)\n";
        auto maps = parseExecMappings(text);
        QCOMPARE(maps.size(), size_t(3));
        QCOMPARE(maps[0].path, std::string("/usr/bin/curl"));
        QCOMPARE(maps[1].ino, uint64_t(14884978));
        QCOMPARE(maps[2].path, std::string("/tmp/old lib.so"));
    }
};

QTEST_GUILESS_MAIN(TstTlsResolver)
#include "tst_tls_resolver.moc"
