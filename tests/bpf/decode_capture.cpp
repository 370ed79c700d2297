// SPDX-License-Identifier: GPL-2.0-or-later
// Test tool: decodes the TLS records of a helper --jsonl capture with the
// app's real decoders (app/core/decode) and prints each finished HTTP
// exchange as one JSON line, so Python tests can assert on what the app
// would show for real captured traffic.
#include "decode/tls_decoder.h"

#include <QByteArray>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <cstdio>

using namespace agentsight::decode;

namespace {
class PrintSink : public HttpSink {
public:
    void exchangeUpdated(const HttpExchange &x, bool complete) override
    {
        if (!complete)
            return;
        QJsonObject o;
        o[QStringLiteral("tgid")] = double(x.conn.tgid);
        o[QStringLiteral("conn")] = QString::number(x.conn.conn);
        o[QStringLiteral("stream")] = double(x.streamId);
        o[QStringLiteral("error")] = QString::fromStdString(x.error);
        o[QStringLiteral("request")] = message(x.request);
        if (x.response)
            o[QStringLiteral("response")] = message(*x.response);
        std::printf("%s\n", QJsonDocument(o).toJson(QJsonDocument::Compact).constData());
    }
    void connectionNote(const ConnKey &conn, const std::string &note) override
    {
        QJsonObject o{{QStringLiteral("note"), QString::fromStdString(note)}, {QStringLiteral("tgid"), double(conn.tgid)}};
        std::printf("%s\n", QJsonDocument(o).toJson(QJsonDocument::Compact).constData());
    }

private:
    static QJsonObject message(const HttpMessage &m)
    {
        QJsonObject o;
        o[QStringLiteral("method")] = QString::fromStdString(m.method);
        o[QStringLiteral("target")] = QString::fromStdString(m.target);
        o[QStringLiteral("authority")] = QString::fromStdString(m.authority);
        o[QStringLiteral("status")] = m.status;
        o[QStringLiteral("version")] = QString::fromStdString(m.version);
        QJsonObject headers;
        for (const auto &h : m.headers)
            headers[QString::fromStdString(h.name)] = QString::fromStdString(h.value);
        o[QStringLiteral("headers")] = headers;
        o[QStringLiteral("body")] = QString::fromUtf8(m.body.data(), qsizetype(m.body.size()));
        o[QStringLiteral("sse_events")] = double(m.sse.size());
        return o;
    }
};
} // namespace

int main(int argc, char **argv)
{
    if (argc != 2) {
        std::fprintf(stderr, "usage: %s CAPTURE.jsonl\n", argv[0]);
        return 2;
    }
    QFile f(QString::fromLocal8Bit(argv[1]));
    if (!f.open(QIODevice::ReadOnly)) {
        std::fprintf(stderr, "cannot read %s\n", argv[1]);
        return 1;
    }
    PrintSink sink;
    TlsDecoder decoder(sink);
    while (!f.atEnd()) {
        QJsonObject e = QJsonDocument::fromJson(f.readLine()).object();
        if (e.value(QStringLiteral("type")).toString() != QLatin1String("tls_data"))
            continue;
        QByteArray data = QByteArray::fromBase64(e.value(QStringLiteral("data_b64")).toString().toLatin1());
        TlsChunk c;
        c.conn = {uint32_t(e.value(QStringLiteral("tgid")).toDouble()), e.value(QStringLiteral("conn")).toVariant().toULongLong()};
        c.fd = e.value(QStringLiteral("fd")).toInt();
        c.fromClient = e.value(QStringLiteral("dir")).toString() == QLatin1String("write");
        c.ktimeNs = e.value(QStringLiteral("ktime_ns")).toVariant().toULongLong();
        c.callId = e.value(QStringLiteral("call_id")).toVariant().toULongLong();
        c.offset = uint32_t(e.value(QStringLiteral("offset")).toDouble());
        c.totalLen = uint32_t(e.value(QStringLiteral("total_len")).toDouble());
        c.dropped = uint32_t(e.value(QStringLiteral("dropped")).toDouble());
        c.data = std::string_view(data.constData(), size_t(data.size()));
        decoder.feed(c);
    }
    decoder.finish();
    return 0;
}
