// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/**
 * @brief Test-only: turn a fixture directory tests/data/llm/<provider>/<case>/
 * (meta.json, request.json, response.sse | response.json) into the
 * decode::HttpExchange the HTTP decoders would have produced, and compare
 * JSON trees field by field for the golden files.
 *
 * SSE text goes through the real decode::SseParser; its edge cases are
 * tested in app/core/decode's own tests.
 */
#include <cmath>
#include <string>
#include <vector>

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStringList>

#include "decode/http_exchange.h"
#include "decode/sse_parser.h"

namespace agentsight::llm::test {

/**
 * SSE text -> events with the project's own parser (decode/sse_parser.h):
 * each blank-line-terminated block is fed as one read stamped
 * firstNs + i * stepNs, like one SSL_read per event.
 */
inline std::vector<decode::SseEvent> splitSse(const std::string &text, uint64_t firstNs, uint64_t stepNs)
{
    std::vector<decode::SseEvent> events;
    decode::SseParser parser(std::size_t(4) << 20, 1000000);
    std::size_t pos = 0;
    for (uint64_t i = 0; pos < text.size(); ++i) {
        std::size_t end = text.find("\n\n", pos);
        end = end == std::string::npos ? text.size() : end + 2;
        parser.feed(std::string_view(text).substr(pos, end - pos), firstNs + i * stepNs, events);
        pos = end;
    }
    return events;
}

inline std::string readAll(const QString &path, bool *found = nullptr)
{
    QFile f(path);
    const bool ok = f.open(QIODevice::ReadOnly);
    if (found)
        *found = ok;
    return ok ? f.readAll().toStdString() : std::string();
}

inline uint64_t metaNs(const QJsonObject &meta, const char *key)
{
    return uint64_t(meta.value(QLatin1String(key)).toDouble());
}

/** The exchange described by a fixture directory; meta receives meta.json. */
inline decode::HttpExchange loadExchange(const QString &dir, QJsonObject *metaOut = nullptr)
{
    const QJsonObject meta = QJsonDocument::fromJson(QByteArray::fromStdString(readAll(dir + QStringLiteral("/meta.json")))).object();
    if (metaOut)
        *metaOut = meta;
    decode::HttpExchange ex;
    decode::HttpMessage &req = ex.request;
    req.method = meta.value(QLatin1String("method")).toString(QStringLiteral("POST")).toStdString();
    req.target = meta.value(QLatin1String("path")).toString().toStdString();
    req.authority = meta.value(QLatin1String("host")).toString().toStdString();
    req.scheme = "https";
    req.version = "HTTP/1.1";
    req.headers.push_back({"content-type", "application/json"});
    req.body = readAll(dir + QStringLiteral("/request.json"));
    req.wireBodyBytes = req.decodedBodyBytes = req.body.size();
    req.startNs = metaNs(meta, "request_start_ns");
    req.endNs = metaNs(meta, "request_end_ns");

    decode::HttpMessage resp;
    resp.status = meta.value(QLatin1String("status")).toInt();
    resp.version = "HTTP/1.1";
    resp.headers.push_back({"content-type", meta.value(QLatin1String("content_type")).toString().toStdString()});
    resp.startNs = metaNs(meta, "response_start_ns");
    resp.firstBodyNs = metaNs(meta, "first_body_ns");
    resp.endNs = metaNs(meta, "response_end_ns");
    bool sse = false;
    resp.body = readAll(dir + QStringLiteral("/response.sse"), &sse);
    if (sse)
        resp.sse = splitSse(resp.body, resp.firstBodyNs, metaNs(meta, "event_step_ns"));
    else
        resp.body = readAll(dir + QStringLiteral("/response.json"));
    resp.wireBodyBytes = resp.decodedBodyBytes = resp.body.size();
    ex.response = std::move(resp);
    ex.complete = true;
    return ex;
}

/** Every fixture directory (one holding meta.json) under tests/data/llm, sorted. */
inline QStringList fixtureDirs(const QString &root)
{
    QStringList dirs;
    QDirIterator it(root, {QStringLiteral("meta.json")}, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext())
        dirs << QFileInfo(it.next()).absolutePath();
    dirs.sort();
    return dirs;
}

/** Field-by-field differences between two JSON values, as "path: expected X, got Y" lines. */
inline void diffJson(const QJsonValue &expected, const QJsonValue &actual, const QString &path, QStringList &out)
{
    auto show = [](const QJsonValue &v) {
        if (v.isObject() || v.isArray())
            return QString::fromUtf8(QJsonDocument::fromVariant(v.toVariant()).toJson(QJsonDocument::Compact)).left(200);
        if (v.isUndefined())
            return QStringLiteral("<missing>");
        QJsonArray a{v};
        const QString s = QString::fromUtf8(QJsonDocument(a).toJson(QJsonDocument::Compact));
        return s.mid(1, s.size() - 2).left(200);
    };
    if (expected.type() != actual.type()) {
        out << QStringLiteral("%1: expected %2, got %3").arg(path, show(expected), show(actual));
        return;
    }
    if (expected.isObject()) {
        const QJsonObject e = expected.toObject(), a = actual.toObject();
        QStringList keys = e.keys() + a.keys();
        keys.removeDuplicates();
        for (const QString &k : keys)
            diffJson(e.value(k), a.value(k), path + QLatin1Char('.') + k, out);
    } else if (expected.isArray()) {
        const QJsonArray e = expected.toArray(), a = actual.toArray();
        if (e.size() != a.size())
            out << QStringLiteral("%1: expected %2 elements, got %3").arg(path).arg(e.size()).arg(a.size());
        for (qsizetype i = 0; i < std::min(e.size(), a.size()); ++i)
            diffJson(e.at(i), a.at(i), QStringLiteral("%1[%2]").arg(path).arg(i), out);
    } else if (expected.isDouble()) {
        const double e = expected.toDouble(), a = actual.toDouble();
        if (std::fabs(e - a) > 1e-12 * std::max(1.0, std::fabs(e)))
            out << QStringLiteral("%1: expected %2, got %3").arg(path, show(expected), show(actual));
    } else if (expected != actual) {
        out << QStringLiteral("%1: expected %2, got %3").arg(path, show(expected), show(actual));
    }
}

} // namespace agentsight::llm::test
