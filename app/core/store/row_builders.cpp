// SPDX-License-Identifier: GPL-2.0-or-later
#include "store/row_builders.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QString>

namespace agentsight::store {

namespace {

QString lossy(std::string_view s)
{
    return QString::fromUtf8(s.data(), qsizetype(s.size()));
}

QJsonObject messageJson(const decode::HttpMessage &m, bool request)
{
    QJsonObject o;
    if (request) {
        o[QStringLiteral("method")] = lossy(m.method);
        o[QStringLiteral("target")] = lossy(m.target);
        o[QStringLiteral("authority")] = lossy(m.authority);
    } else {
        o[QStringLiteral("status")] = m.status;
    }
    o[QStringLiteral("version")] = lossy(m.version);
    QJsonArray headers;
    for (const auto &h : m.headers)
        headers.append(QJsonArray{lossy(h.name), lossy(h.value)});
    o[QStringLiteral("headers")] = headers;
    if (!m.trailers.empty()) {
        QJsonArray t;
        for (const auto &h : m.trailers)
            t.append(QJsonArray{lossy(h.name), lossy(h.value)});
        o[QStringLiteral("trailers")] = t;
    }
    const size_t keep = std::min(m.body.size(), kStoredBodyBytes);
    o[QStringLiteral("body")] = lossy(std::string_view(m.body).substr(0, keep));
    o[QStringLiteral("body_stored_bytes")] = qint64(keep);
    o[QStringLiteral("wire_body_bytes")] = qint64(m.wireBodyBytes);
    o[QStringLiteral("decoded_body_bytes")] = qint64(m.decodedBodyBytes);
    o[QStringLiteral("body_truncated")] = m.bodyTruncated || keep < m.body.size();
    if (!m.decodeError.empty())
        o[QStringLiteral("decode_error")] = lossy(m.decodeError);
    o[QStringLiteral("start_ns")] = qint64(m.startNs);
    o[QStringLiteral("end_ns")] = qint64(m.endNs);
    o[QStringLiteral("sse_events")] = qint64(m.sse.size());
    if (m.gapBytes)
        o[QStringLiteral("gap_bytes")] = qint64(m.gapBytes);
    if (m.bodyOmitted)
        o[QStringLiteral("body_omitted")] = true;
    if (m.sseEventsDropped)
        o[QStringLiteral("sse_events_dropped")] = qint64(m.sseEventsDropped);
    return o;
}

std::string compact(const QJsonObject &o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact).toStdString();
}

} // namespace

EventRow eventRow(const wire::Event &e, std::string_view raw)
{
    EventRow r;
    r.type = e.type;
    r.flags = e.flags;
    r.ktimeNs = e.ktimeNs;
    r.seq = e.seq;
    r.tgid = e.tgid;
    r.tid = e.tid;
    r.source = wire::eventSource(e.type);
    r.raw.assign(raw);
    return r;
}

std::optional<ProcessRow> processRow(const wire::Event &e)
{
    ProcessRow r;
    switch (e.type) {
    case AS_EV_PROC_FORK:
        if (e.thread)
            return std::nullopt;
        r.op = ProcessRow::Op::Fork;
        r.tgid = e.childTgid;
        r.startNs = e.startNs;
        r.ppid = e.tgid;
        r.comm = e.comm;
        r.execKtimeNs = e.ktimeNs;
        return r;
    case AS_EV_PROC_EXEC: {
        r.op = ProcessRow::Op::Exec;
        r.tgid = e.tgid;
        r.startNs = e.startNs;
        r.ppid = e.ppid;
        r.comm = e.comm;
        r.filename = e.filename;
        r.cwd = e.cwd;
        r.execKtimeNs = e.ktimeNs;
        QJsonArray argv;
        for (const auto &a : e.argv)
            argv.append(lossy(a));
        r.argvJson = QJsonDocument(argv).toJson(QJsonDocument::Compact).toStdString();
        return r;
    }
    case AS_EV_PROC_EXIT:
        if (!e.processExit)
            return std::nullopt;
        r.op = ProcessRow::Op::Exit;
        r.tgid = e.tgid;
        r.startNs = e.startNs;
        r.exitKtimeNs = e.ktimeNs;
        r.exitCode = e.exitCode;
        r.signal = e.signal;
        return r;
    default:
        return std::nullopt;
    }
}

QJsonObject httpExchangeJson(const decode::HttpExchange &x)
{
    QJsonObject o;
    o[QStringLiteral("tgid")] = qint64(x.conn.tgid);
    o[QStringLiteral("conn")] = QString::number(x.conn.conn, 16);
    o[QStringLiteral("fd")] = x.socketFd;
    o[QStringLiteral("stream_id")] = qint64(x.streamId);
    o[QStringLiteral("sequence")] = qint64(x.sequence);
    o[QStringLiteral("request")] = messageJson(x.request, true);
    if (x.response)
        o[QStringLiteral("response")] = messageJson(*x.response, false);
    if (!x.websocket.empty())
        o[QStringLiteral("websocket_messages")] = qint64(x.websocket.size());
    o[QStringLiteral("complete")] = x.complete;
    if (!x.error.empty())
        o[QStringLiteral("error")] = lossy(x.error);
    return o;
}

HttpRow httpRow(const decode::HttpExchange &x)
{
    HttpRow r;
    r.tgid = x.conn.tgid;
    r.conn = x.conn.conn;
    r.fd = x.socketFd;
    r.streamId = x.streamId;
    r.sequence = x.sequence;
    r.method = x.request.method;
    r.authority = x.request.authority;
    r.target = x.request.target;
    r.status = x.response ? x.response->status : 0;
    r.startNs = x.request.startNs;
    r.endNs = x.response ? x.response->endNs : x.request.endNs;
    r.complete = x.complete;
    r.error = x.error;
    r.detailJson = compact(httpExchangeJson(x));
    return r;
}

LlmRow llmRow(const llm::LlmExchange &x, const decode::HttpExchange &source)
{
    LlmRow r;
    r.tgid = source.conn.tgid;
    r.conn = source.conn.conn;
    r.streamId = source.streamId;
    r.sequence = source.sequence;
    r.startNs = x.timing.requestStartNs;
    r.endNs = x.timing.endNs;
    r.provider = x.provider;
    r.api = llm::apiName(x.api);
    r.model = x.model;
    r.inputTokens = x.usage.input;
    r.outputTokens = x.usage.output;
    r.costUsd = x.costUsd;
    r.toolCalls = int32_t(x.toolCalls.size());
    r.detailJson = compact(x.toJson());
    return r;
}

} // namespace agentsight::store
