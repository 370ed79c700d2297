// SPDX-License-Identifier: GPL-2.0-or-later
// Redaction of credentials: unit rules, and end to end on real HTTP/2 frames
// carrying an Authorization header (tests/data/http/h2_interleaved.wire).
#include "decode/redact.h"
#include "decode_test_support.h"

#include <QTest>

using namespace agentsight::decode;
using namespace agentsight::decode::test;

class TstRedact : public QObject {
    Q_OBJECT
private slots:
    void secrets_data()
    {
        QTest::addColumn<QString>("in");
        QTest::addColumn<QString>("out");
        QTest::newRow("anthropic key") << "sk-ant-api03-AbCdEfGhIjKlMnOp" << "sk-ant-…[redacted]";
        QTest::newRow("bearer openai") << "Bearer sk-proj-1234567890abcdef" << "Bearer sk-proj-…[redacted]";
        QTest::newRow("bearer opaque") << "Bearer eyJhbGciOiJIUzI1NiJ9.payload.sig" << "Bearer …[redacted]";
        QTest::newRow("google") << "AIzaSyA-1234567890abcdefghijk" << "AIza…[redacted]";
        QTest::newRow("basic") << "Basic dXNlcjpwYXNz" << "Basic …[redacted]";
        QTest::newRow("short key keeps nothing") << "sk-12" << "…[redacted]";
        QTest::newRow("idempotent") << "Bearer sk-proj-…[redacted]" << "Bearer sk-proj-…[redacted]";
    }
    void secrets()
    {
        QFETCH(QString, in);
        QFETCH(QString, out);
        QCOMPARE(QString::fromStdString(redactSecret(in.toStdString())), out);
    }

    void targets()
    {
        QCOMPARE(redactTarget("/v1beta/models/gemini:streamGenerateContent?alt=sse&key=AIzaSECRET"),
                 std::string("/v1beta/models/gemini:streamGenerateContent?alt=sse&key=[redacted]"));
        QCOMPARE(redactTarget("/x?API_KEY=s1&access_token=s2&keep=1#frag"),
                 std::string("/x?API_KEY=[redacted]&access_token=[redacted]&keep=1#frag"));
        QCOMPARE(redactTarget("/plain/path"), std::string("/plain/path"));
        QCOMPARE(redactTarget("/x?monkey=1&key="), std::string("/x?monkey=1&key="));
    }

    void messages()
    {
        HttpMessage m;
        m.target = "/v1/messages?beta=true&key=abc";
        m.headers = {{"x-api-key", "sk-ant-api03-0123456789"},
                     {"cookie", "session=abc123; theme=dark"},
                     {"content-type", "application/json"},
                     {"proxy-authorization", "Basic Zm9vOmJhcg=="}};
        m.trailers = {{"set-cookie", "sid=xyz; Path=/; HttpOnly"}};
        redactMessage(m);
        QCOMPARE(m.target, std::string("/v1/messages?beta=true&key=[redacted]"));
        QCOMPARE(*m.header("x-api-key"), std::string("sk-ant-…[redacted]"));
        QCOMPARE(*m.header("cookie"), std::string("session=[redacted]; theme=[redacted]"));
        QCOMPARE(*m.header("content-type"), std::string("application/json"));
        QCOMPARE(*m.header("proxy-authorization"), std::string("Basic …[redacted]"));
        QCOMPARE(m.trailers[0].value, std::string("sid=[redacted]; Path=/; HttpOnly"));
    }

    void endToEndByDefaultAndOff()
    {
        const auto recs = readWire("h2_interleaved.wire");
        QVERIFY(!recs.empty());
        {
            CollectingSink sink;
            TlsDecoder dec(sink);
            feedRecords(dec, recs);
            dec.finish();
            QVERIFY(sink.updates > 8);
            QCOMPARE(*sink.done.at(0).request.header("authorization"), std::string("Bearer sk-…[redacted]"));
            for (const auto &e : sink.done)
                QVERIFY(describe(e).find("sk-test-secret-value") == std::string::npos);
        }
        {
            DecodeLimits raw;
            raw.redactSecrets = false;
            CollectingSink sink;
            TlsDecoder dec(sink, raw);
            feedRecords(dec, recs);
            dec.finish();
            QCOMPARE(*sink.done.at(0).request.header("authorization"), std::string("Bearer sk-test-secret-value"));
        }
    }
};

QTEST_GUILESS_MAIN(TstRedact)
#include "tst_redact.moc"
