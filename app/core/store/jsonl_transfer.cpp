// SPDX-License-Identifier: GPL-2.0-or-later
#include "store/jsonl_transfer.h"

#include "store/recording.h"
#include "wire/event.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cstdio>
#include <unistd.h>

namespace agentsight::store {

namespace {

// A line longer than this is refused on import: the biggest legitimate line
// is an LLM exchange detail, capped by LlmLimits far below it.
constexpr qint64 kMaxLine = qint64(256) << 20;

QString q(const std::string &s)
{
    return QString::fromUtf8(s.data(), qsizetype(s.size()));
}

std::string s(const QJsonValue &v)
{
    return v.toString().toStdString();
}

QJsonValue parsed(const std::string &json)
{
    const QJsonDocument d = QJsonDocument::fromJson(QByteArray::fromStdString(json));
    if (d.isArray())
        return d.array();
    if (d.isObject())
        return d.object();
    return q(json); // not JSON (should not happen): keep it as a string
}

std::string compact(const QJsonValue &v)
{
    if (v.isArray())
        return QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact).toStdString();
    if (v.isObject())
        return QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact).toStdString();
    return v.toString().toStdString();
}

qint64 i64(uint64_t v)
{
    return static_cast<qint64>(v);
}

class LineWriter {
public:
    bool open(const std::string &path)
    {
        if (path == "-")
            return m_file.open(stdout, QIODevice::WriteOnly, QFileDevice::DontCloseHandle);
        m_file.setFileName(QString::fromStdString(path));
        return m_file.open(QIODevice::WriteOnly | QIODevice::Truncate);
    }
    bool write(const QJsonObject &o)
    {
        ++m_lines;
        QByteArray b = QJsonDocument(o).toJson(QJsonDocument::Compact);
        b.append('\n');
        return m_file.write(b) == b.size();
    }
    QString error() const { return m_file.errorString(); }
    uint64_t lines() const { return m_lines; }
    bool finish() { return m_file.flush(); }

private:
    QFile m_file;
    uint64_t m_lines = 0;
};

} // namespace

bool exportJsonl(Recording &rec, const std::string &outPath, std::string *error, TransferStats *stats)
{
    LineWriter w;
    if (!w.open(outPath)) {
        if (error)
            *error = "cannot write " + outPath + ": " + w.error().toStdString();
        return false;
    }
    bool ok = true;
    auto put = [&](const QJsonObject &o) {
        if (ok && !w.write(o))
            ok = false;
        return ok;
    };
    TransferStats st;
    put(QJsonObject{{"kind", "header"}, {"format", kJsonlFormat}, {"version", kJsonlVersion},
                    {"schema", Recording::schemaVersion()}});
    for (const MetaRow &m : rec.meta()) {
        QJsonObject o{{"kind", "meta"}, {"key", q(m.key)}};
        if (m.kind == MetaRow::Kind::Int)
            o["int"] = qint64(m.number);
        else if (m.kind == MetaRow::Kind::Blob)
            o["blob_b64"] = QString::fromLatin1(QByteArray::fromStdString(m.text).toBase64());
        else
            o["text"] = q(m.text);
        put(o);
    }
    bool readOk = rec.forEachEvent([&](const EventRow &e) {
        ++st.events;
        return put(QJsonObject{{"kind", "event"}, {"id", qint64(e.id)}, {"type", e.type},
                               {"type_name", wire::eventTypeName(e.type)}, {"flags", e.flags},
                               {"ktime", i64(e.ktimeNs)}, {"seq", i64(e.seq)}, {"tgid", qint64(e.tgid)},
                               {"tid", qint64(e.tid)}, {"source", qint64(e.source)},
                               {"raw_b64", QString::fromLatin1(QByteArray::fromStdString(e.raw).toBase64())}});
    });
    readOk = readOk && rec.forEachProcess([&](const ProcessRow &p) {
        QJsonObject o{{"kind", "process"}, {"id", qint64(p.id)}, {"tgid", qint64(p.tgid)}, {"start_ns", i64(p.startNs)},
                      {"ppid", qint64(p.ppid)}, {"comm", q(p.comm)}, {"filename", q(p.filename)},
                      {"argv", parsed(p.argvJson)}, {"cwd", q(p.cwd)}, {"exec_ktime", i64(p.execKtimeNs)}};
        if (p.exitKtimeNs)
            o["exit_ktime"] = i64(*p.exitKtimeNs);
        if (p.exitCode)
            o["exit_code"] = *p.exitCode;
        if (p.signal)
            o["signal"] = *p.signal;
        return put(o);
    });
    readOk = readOk && rec.forEachHttp([&](const HttpRow &h) {
        return put(QJsonObject{{"kind", "http"}, {"id", qint64(h.id)}, {"tgid", qint64(h.tgid)}, {"conn", i64(h.conn)},
                               {"fd", h.fd}, {"stream_id", qint64(h.streamId)}, {"sequence", i64(h.sequence)},
                               {"method", q(h.method)}, {"authority", q(h.authority)}, {"target", q(h.target)},
                               {"status", h.status}, {"start_ns", i64(h.startNs)}, {"end_ns", i64(h.endNs)},
                               {"complete", h.complete}, {"error", q(h.error)}, {"detail", parsed(h.detailJson)}});
    });
    readOk = readOk && rec.forEachLlm([&](const LlmRow &l) {
        ++st.llmExchanges;
        QJsonObject o{{"kind", "llm"}, {"id", qint64(l.id)}, {"tgid", qint64(l.tgid)}, {"conn", i64(l.conn)},
                      {"stream_id", qint64(l.streamId)}, {"sequence", i64(l.sequence)}, {"start_ns", i64(l.startNs)},
                      {"end_ns", i64(l.endNs)}, {"provider", q(l.provider)}, {"api", q(l.api)},
                      {"model", q(l.model)}, {"input_tokens", qint64(l.inputTokens)}, {"output_tokens", qint64(l.outputTokens)},
                      {"tool_calls", l.toolCalls}, {"detail", parsed(l.detailJson)}};
        if (l.httpId)
            o["http_id"] = qint64(*l.httpId);
        if (l.costUsd)
            o["cost_usd"] = *l.costUsd;
        return put(o);
    });
    if (!readOk) {
        if (error)
            *error = rec.path() + ": " + rec.lastError();
        return false;
    }
    for (const LinkRow &l : rec.links())
        put(QJsonObject{{"kind", "link"}, {"id", qint64(l.id)}, {"link_kind", q(l.kind)}, {"from", q(l.fromRef)},
                        {"to", q(l.toRef)}, {"confidence", l.confidence}, {"reasons", parsed(l.reasonsJson)},
                        {"ktime", i64(l.ktimeNs)}});
    for (const FindingRow &f : rec.findings())
        put(QJsonObject{{"kind", "finding"}, {"id", qint64(f.id)}, {"finding_kind", q(f.kind)}, {"severity", q(f.severity)},
                        {"subjects", parsed(f.subjectsJson)}, {"confidence", f.confidence},
                        {"reasons", parsed(f.reasonsJson)}, {"summary", q(f.summary)}, {"ktime", i64(f.ktimeNs)}});
    for (const DropRow &d : rec.drops())
        put(QJsonObject{{"kind", "drop"}, {"origin", q(d.origin)}, {"source", qint64(d.source)},
                        {"count", i64(d.count)}});
    if (!ok || !w.finish()) {
        if (error)
            *error = "writing " + outPath + ": " + w.error().toStdString();
        return false;
    }
    st.lines = w.lines();
    if (stats)
        *stats = st;
    return true;
}

bool importJsonl(const std::string &inPath, const std::string &outPath, std::string *error, TransferStats *stats)
{
    QFile in(QString::fromStdString(inPath));
    if (!in.open(QIODevice::ReadOnly)) {
        if (error)
            *error = "cannot read " + inPath + ": " + in.errorString().toStdString();
        return false;
    }
    std::string openError;
    auto rec = Recording::open(outPath, Recording::Mode::Create, &openError);
    if (!rec) {
        if (error)
            *error = openError;
        return false;
    }
    TransferStats st;
    auto abort = [&](const std::string &msg) {
        if (error)
            *error = inPath + ":" + std::to_string(st.lines) + ": " + msg;
        rec->rollback();
        rec.reset();
        for (const char *suffix : {"", "-wal", "-shm"})
            ::unlink((outPath + suffix).c_str());
        return false;
    };
    if (!rec->begin())
        return abort(rec->lastError());
    bool headerSeen = false;
    while (!in.atEnd()) {
        const QByteArray line = in.readLine(kMaxLine);
        ++st.lines;
        if (!line.endsWith('\n') && !in.atEnd())
            return abort("line longer than " + std::to_string(kMaxLine) + " bytes");
        if (line.trimmed().isEmpty())
            continue;
        QJsonParseError perr;
        const QJsonDocument doc = QJsonDocument::fromJson(line, &perr);
        if (!doc.isObject() && !headerSeen)
            return abort("not an AgentSight JSON lines export (the first line is not JSON)");
        if (!doc.isObject())
            return abort("not a JSON object (" + perr.errorString().toStdString() + ")");
        const QJsonObject o = doc.object();
        const QString kind = o.value("kind").toString();
        if (!headerSeen) {
            if (kind != QLatin1String("header") || o.value("format").toString() != QLatin1String(kJsonlFormat))
                return abort("not an AgentSight JSON lines export (the first line must be its header)");
            const int version = o.value("version").toInt();
            if (version > kJsonlVersion)
                return abort("export format version " + std::to_string(version) + " is newer than this AgentSight (" +
                             std::to_string(kJsonlVersion) + "); update AgentSight");
            headerSeen = true;
            continue;
        }
        bool ok = true;
        if (kind == QLatin1String("meta")) {
            MetaRow m;
            m.key = s(o.value("key"));
            if (o.contains("int")) {
                m.kind = MetaRow::Kind::Int;
                m.number = o.value("int").toInteger();
            } else if (o.contains("blob_b64")) {
                m.kind = MetaRow::Kind::Blob;
                m.text = QByteArray::fromBase64(o.value("blob_b64").toString().toLatin1()).toStdString();
            } else {
                m.text = s(o.value("text"));
            }
            ok = rec->setMeta(m);
        } else if (kind == QLatin1String("event")) {
            EventRow e;
            e.id = o.value("id").toInteger();
            e.type = uint16_t(o.value("type").toInteger());
            e.flags = uint16_t(o.value("flags").toInteger());
            e.ktimeNs = uint64_t(o.value("ktime").toInteger());
            e.seq = uint64_t(o.value("seq").toInteger());
            e.tgid = uint32_t(o.value("tgid").toInteger());
            e.tid = uint32_t(o.value("tid").toInteger());
            e.source = uint32_t(o.value("source").toInteger());
            e.raw = QByteArray::fromBase64(o.value("raw_b64").toString().toLatin1()).toStdString();
            ok = rec->insertEvent(e);
            ++st.events;
        } else if (kind == QLatin1String("process")) {
            ProcessRow p;
            p.id = o.value("id").toInteger();
            p.tgid = uint32_t(o.value("tgid").toInteger());
            p.startNs = uint64_t(o.value("start_ns").toInteger());
            p.ppid = uint32_t(o.value("ppid").toInteger());
            p.comm = s(o.value("comm"));
            p.filename = s(o.value("filename"));
            p.argvJson = compact(o.value("argv"));
            p.cwd = s(o.value("cwd"));
            p.execKtimeNs = uint64_t(o.value("exec_ktime").toInteger());
            if (o.contains("exit_ktime"))
                p.exitKtimeNs = uint64_t(o.value("exit_ktime").toInteger());
            if (o.contains("exit_code"))
                p.exitCode = int32_t(o.value("exit_code").toInteger());
            if (o.contains("signal"))
                p.signal = int32_t(o.value("signal").toInteger());
            ok = rec->insertProcess(p);
        } else if (kind == QLatin1String("http")) {
            HttpRow h;
            h.id = o.value("id").toInteger();
            h.tgid = uint32_t(o.value("tgid").toInteger());
            h.conn = uint64_t(o.value("conn").toInteger());
            h.fd = int32_t(o.value("fd").toInteger());
            h.streamId = uint32_t(o.value("stream_id").toInteger());
            h.sequence = uint64_t(o.value("sequence").toInteger());
            h.method = s(o.value("method"));
            h.authority = s(o.value("authority"));
            h.target = s(o.value("target"));
            h.status = int32_t(o.value("status").toInteger());
            h.startNs = uint64_t(o.value("start_ns").toInteger());
            h.endNs = uint64_t(o.value("end_ns").toInteger());
            h.complete = o.value("complete").toBool();
            h.error = s(o.value("error"));
            h.detailJson = compact(o.value("detail"));
            ok = rec->insertHttp(h);
        } else if (kind == QLatin1String("llm")) {
            LlmRow l;
            l.id = o.value("id").toInteger();
            if (o.contains("http_id"))
                l.httpId = o.value("http_id").toInteger();
            l.tgid = uint32_t(o.value("tgid").toInteger());
            l.conn = uint64_t(o.value("conn").toInteger());
            l.streamId = uint32_t(o.value("stream_id").toInteger());
            l.sequence = uint64_t(o.value("sequence").toInteger());
            l.startNs = uint64_t(o.value("start_ns").toInteger());
            l.endNs = uint64_t(o.value("end_ns").toInteger());
            l.provider = s(o.value("provider"));
            l.api = s(o.value("api"));
            l.model = s(o.value("model"));
            l.inputTokens = o.value("input_tokens").toInteger(-1);
            l.outputTokens = o.value("output_tokens").toInteger(-1);
            if (o.contains("cost_usd"))
                l.costUsd = o.value("cost_usd").toDouble();
            l.toolCalls = int32_t(o.value("tool_calls").toInteger());
            l.detailJson = compact(o.value("detail"));
            ok = rec->insertLlm(l);
            ++st.llmExchanges;
        } else if (kind == QLatin1String("link")) {
            LinkRow l;
            l.id = o.value("id").toInteger();
            l.kind = s(o.value("link_kind"));
            l.fromRef = s(o.value("from"));
            l.toRef = s(o.value("to"));
            l.confidence = o.value("confidence").toDouble();
            l.reasonsJson = compact(o.value("reasons"));
            l.ktimeNs = uint64_t(o.value("ktime").toInteger());
            ok = rec->insertLink(l);
        } else if (kind == QLatin1String("finding")) {
            FindingRow f;
            f.id = o.value("id").toInteger();
            f.kind = s(o.value("finding_kind"));
            f.severity = s(o.value("severity"));
            f.subjectsJson = compact(o.value("subjects"));
            f.confidence = o.value("confidence").toDouble();
            f.reasonsJson = compact(o.value("reasons"));
            f.summary = s(o.value("summary"));
            f.ktimeNs = uint64_t(o.value("ktime").toInteger());
            ok = rec->insertFinding(f);
        } else if (kind == QLatin1String("drop")) {
            ok = rec->setDrop(DropRow{s(o.value("origin")), uint32_t(o.value("source").toInteger()),
                                      uint64_t(o.value("count").toInteger())});
        } else {
            return abort("unknown kind \"" + kind.toStdString() + "\"");
        }
        if (!ok)
            return abort(rec->lastError());
        if (st.lines % 5000 == 0 && !(rec->commit() && rec->begin()))
            return abort(rec->lastError());
    }
    if (!headerSeen)
        return abort("empty file: not an AgentSight JSON lines export");
    if (!rec->commit())
        return abort(rec->lastError());
    rec->db().exec("PRAGMA wal_checkpoint(TRUNCATE)");
    if (stats)
        *stats = st;
    return true;
}

} // namespace agentsight::store
