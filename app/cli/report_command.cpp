// SPDX-License-Identifier: GPL-2.0-or-later
// `agentsight report FILE [--json]`: what happened in a recording, from the
// recording alone (no helper). The JSON shape is documented in docs/RECORDING.md.
#include "cli_common.h"

#include "store/recording.h"
#include "wire/event.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QDateTime>
#include <QTimeZone>

#include <cstdio>
#include <fcntl.h>
#include <map>
#include <optional>
#include <set>

namespace agentsight::cli {

namespace {

QString q(std::string_view s)
{
    return QString::fromUtf8(s.data(), qsizetype(s.size()));
}

QJsonValue parsed(const std::string &json)
{
    const QJsonDocument d = QJsonDocument::fromJson(QByteArray::fromStdString(json));
    return d.isArray() ? QJsonValue(d.array()) : d.isObject() ? QJsonValue(d.object()) : QJsonValue(q(json));
}

/// ISO-8601 UTC wall time of a kernel ktime, "" when the anchor is unknown.
QString wallTime(uint64_t ktimeNs, const std::optional<int64_t> &bootToWall)
{
    if (!bootToWall || !ktimeNs)
        return {};
    const int64_t wallNs = int64_t(ktimeNs) + *bootToWall;
    return QDateTime::fromMSecsSinceEpoch(wallNs / 1000000, QTimeZone::utc()).toString(Qt::ISODateWithMs);
}

bool writes(uint32_t flags)
{
    return (flags & O_ACCMODE) != O_RDONLY || (flags & (O_CREAT | O_TRUNC | O_APPEND));
}

struct PathUse {
    std::set<std::string> ops;
    std::set<uint32_t> tgids;
    uint64_t count = 0;
};

struct Destination {
    std::set<uint32_t> tgids;
    uint64_t attempts = 0;
    uint64_t failures = 0;
};

QJsonArray tgidArray(const std::set<uint32_t> &s)
{
    QJsonArray a;
    for (uint32_t t : s)
        a.append(qint64(t));
    return a;
}

QJsonArray strArray(const std::set<std::string> &s)
{
    QJsonArray a;
    for (const auto &v : s)
        a.append(q(v));
    return a;
}

/// Builds the whole report; false + error when the recording cannot be read.
bool buildReport(store::Recording &rec, QJsonObject &out, std::string &error)
{
    QJsonObject meta;
    for (const auto &m : rec.meta()) {
        if (m.key == "hello")
            continue; // binary; its fields are separate keys
        if (m.kind == store::MetaRow::Kind::Int)
            meta[q(m.key)] = qint64(m.number);
        else if (m.kind == store::MetaRow::Kind::Text)
            meta[q(m.key)] = m.key == "record_args" ? parsed(m.text) : QJsonValue(q(m.text));
    }

    const std::optional<int64_t> bootToWall = rec.metaInt("boot_to_wall_ns");

    // Processes and their tree.
    QJsonArray procs;
    std::map<uint32_t, std::vector<uint32_t>> children;
    std::map<uint32_t, uint32_t> parentOf;
    std::set<uint32_t> known;
    if (!rec.forEachProcess([&](const store::ProcessRow &p) {
            QJsonObject o{{"tgid", qint64(p.tgid)}, {"ppid", qint64(p.ppid)}, {"comm", q(p.comm)},
                          {"filename", q(p.filename)}, {"argv", parsed(p.argvJson)}, {"cwd", q(p.cwd)},
                          {"start_ns", qint64(p.startNs)}, {"exec_ktime", qint64(p.execKtimeNs)},
                          {"exec_time", wallTime(p.execKtimeNs, bootToWall)}};
            if (p.exitCode)
                o["exit_code"] = *p.exitCode;
            if (p.signal && *p.signal)
                o["signal"] = *p.signal;
            procs.append(o);
            if (!known.count(p.tgid)) {
                known.insert(p.tgid);
                children[p.ppid].push_back(p.tgid);
                parentOf[p.tgid] = p.ppid;
            }
            return true;
        })) {
        error = rec.lastError();
        return false;
    }

    // Events: targets, files written, network destinations.
    std::map<std::string, PathUse> files;
    std::map<std::string, Destination> net;
    QJsonArray targets;
    std::vector<uint32_t> roots;
    uint64_t events = 0;
    if (!rec.forEachEvent([&](const store::EventRow &r) {
            ++events;
            switch (r.type) {
            case AS_EV_FILE_OPEN: case AS_EV_FILE_UNLINK: case AS_EV_FILE_RENAME: case AS_EV_FILE_MKDIR:
            case AS_EV_FILE_CHMOD: case AS_EV_NET_CONNECT: case AS_EV_TARGET: break;
            default: return true;
            }
            wire::Event e;
            if (!wire::parseEvent(r.raw, e))
                return true;
            auto file = [&](const std::string &path, const char *op) {
                PathUse &u = files[path];
                u.ops.insert(op);
                u.tgids.insert(e.tgid);
                ++u.count;
            };
            switch (e.type) {
            case AS_EV_FILE_OPEN:
                if (e.result >= 0 && writes(e.openFlags))
                    file(e.path.empty() ? e.rawPath : e.path, (e.openFlags & O_CREAT) ? "create/write" : "write");
                break;
            case AS_EV_FILE_UNLINK:
                if (e.result == 0)
                    file(e.path, "unlink");
                break;
            case AS_EV_FILE_RENAME:
                if (e.result == 0) {
                    file(e.path, "rename_from");
                    file(e.path2, "rename_to");
                }
                break;
            case AS_EV_FILE_MKDIR:
                if (e.result == 0)
                    file(e.path, "mkdir");
                break;
            case AS_EV_FILE_CHMOD:
                if (e.result == 0)
                    file(e.path, "chmod");
                break;
            case AS_EV_NET_CONNECT: {
                Destination &d = net[e.addr.toString()];
                d.tgids.insert(e.tgid);
                ++d.attempts;
                if (e.result < 0 && e.result != -115) // -EINPROGRESS: non-blocking connect under way
                    ++d.failures;
                break;
            }
            case AS_EV_TARGET: {
                QJsonObject t{{"tgid", qint64(e.tgid)}, {"name", q(e.name)},
                              {"kind", e.targetKind == AS_TARGET_PID ? "pid"
                                       : e.targetKind == AS_TARGET_COMMAND ? "command" : "comm"},
                              {"op", e.targetOp == AS_TARGET_ADDED ? "added"
                                     : e.targetOp == AS_TARGET_REMOVED ? "removed" : "exited"},
                              {"ktime", qint64(e.ktimeNs)}};
                if (e.targetOp == AS_TARGET_EXITED)
                    t["exit_status"] = e.exitStatus;
                targets.append(t);
                if (e.targetOp == AS_TARGET_ADDED && e.tgid)
                    roots.push_back(e.tgid);
                break;
            }
            default: break;
            }
            return true;
        })) {
        error = rec.lastError();
        return false;
    }
    // Comm targets (and recordings without target records): every process
    // whose parent was not recorded starts a session of its own.
    if (roots.empty())
        for (uint32_t t : known)
            if (!known.count(parentOf[t]))
                roots.push_back(t);

    // LLM calls.
    QJsonArray llm;
    struct Totals {
        uint64_t calls = 0, in = 0, out = 0, unpriced = 0;
        double cost = 0;
    };
    Totals all;
    std::map<uint32_t, Totals> byTgid;
    if (!rec.forEachLlm([&](const store::LlmRow &l) {
            const QJsonObject d = QJsonDocument::fromJson(QByteArray::fromStdString(l.detailJson)).object();
            QJsonObject o{{"id", qint64(l.id)}, {"tgid", qint64(l.tgid)}, {"provider", q(l.provider)},
                          {"api", q(l.api)}, {"model", q(l.model)}, {"input_tokens", qint64(l.inputTokens)},
                          {"output_tokens", qint64(l.outputTokens)}, {"start_ns", qint64(l.startNs)},
                          {"end_ns", qint64(l.endNs)}, {"time", wallTime(l.startNs, bootToWall)},
                          {"host", d.value("host")},
                          {"http_status", d.value("http_status")}, {"stop_reason", d.value("stop_reason")},
                          {"tool_calls", d.value("tool_calls")}};
            if (l.costUsd)
                o["cost_usd"] = *l.costUsd;
            llm.append(o);
            for (Totals *t : {&all, &byTgid[l.tgid]}) {
                ++t->calls;
                t->in += l.inputTokens > 0 ? uint64_t(l.inputTokens) : 0;
                t->out += l.outputTokens > 0 ? uint64_t(l.outputTokens) : 0;
                if (l.costUsd)
                    t->cost += *l.costUsd;
                else
                    ++t->unpriced;
            }
            return true;
        })) {
        error = rec.lastError();
        return false;
    }

    QJsonArray sessions;
    for (uint32_t root : roots) {
        std::vector<uint32_t> stack{root};
        std::set<uint32_t> tree;
        while (!stack.empty()) {
            const uint32_t t = stack.back();
            stack.pop_back();
            if (!tree.insert(t).second)
                continue;
            for (uint32_t c : children[t])
                stack.push_back(c);
        }
        Totals s;
        for (uint32_t t : tree) {
            auto it = byTgid.find(t);
            if (it == byTgid.end())
                continue;
            s.calls += it->second.calls;
            s.in += it->second.in;
            s.out += it->second.out;
            s.cost += it->second.cost;
            s.unpriced += it->second.unpriced;
        }
        QJsonObject o{{"root_tgid", qint64(root)}, {"processes", qint64(tree.size())},
                      {"llm_calls", qint64(s.calls)}, {"input_tokens", qint64(s.in)},
                      {"output_tokens", qint64(s.out)}, {"cost_usd", s.cost},
                      {"unpriced_calls", qint64(s.unpriced)}};
        // The root's latest image: a gated command's first row is the
        // recorder's own pre-exec copy (a snapshot).
        for (const auto &p : procs)
            if (p.toObject().value("tgid").toInteger() == root && !p.toObject().value("filename").toString().isEmpty())
                o["argv"] = p.toObject().value("argv");
        sessions.append(o);
    }

    QJsonArray filesOut, netOut, http, links, findings, drops;
    for (const auto &[path, u] : files)
        filesOut.append(QJsonObject{{"path", q(path)}, {"ops", strArray(u.ops)}, {"tgids", tgidArray(u.tgids)},
                                    {"count", qint64(u.count)}});
    for (const auto &[addr, d] : net)
        netOut.append(QJsonObject{{"address", q(addr)}, {"attempts", qint64(d.attempts)},
                                  {"failures", qint64(d.failures)}, {"tgids", tgidArray(d.tgids)}});
    rec.forEachHttp([&](const store::HttpRow &h) {
        http.append(QJsonObject{{"id", qint64(h.id)}, {"tgid", qint64(h.tgid)}, {"method", q(h.method)},
                                {"authority", q(h.authority)}, {"target", q(h.target)}, {"status", h.status},
                                {"complete", h.complete}, {"error", q(h.error)}});
        return true;
    });
    for (const auto &l : rec.links())
        links.append(QJsonObject{{"kind", q(l.kind)}, {"from", q(l.fromRef)}, {"to", q(l.toRef)},
                                 {"confidence", l.confidence}, {"reasons", parsed(l.reasonsJson)}});
    for (const auto &f : rec.findings())
        findings.append(QJsonObject{{"kind", q(f.kind)}, {"severity", q(f.severity)},
                                    {"subjects", parsed(f.subjectsJson)}, {"confidence", f.confidence},
                                    {"reasons", parsed(f.reasonsJson)}, {"summary", q(f.summary)}});
    uint64_t dropTotal = 0;
    for (const auto &d : rec.drops()) {
        drops.append(QJsonObject{{"origin", q(d.origin)}, {"source", qint64(d.source)}, {"count", qint64(d.count)}});
        dropTotal += d.count;
    }
    out = QJsonObject{
        {"file", q(rec.path())},
        {"schema", store::Recording::schemaVersion()},
        {"meta", meta},
        {"summary", QJsonObject{{"events", qint64(events)}, {"processes", procs.size()},
                                {"llm_calls", qint64(all.calls)}, {"input_tokens", qint64(all.in)},
                                {"output_tokens", qint64(all.out)}, {"cost_usd", all.cost},
                                {"unpriced_calls", qint64(all.unpriced)}, {"http_exchanges", http.size()},
                                {"files_written", filesOut.size()}, {"network_destinations", netOut.size()},
                                {"links", links.size()}, {"findings", findings.size()},
                                {"drops", qint64(dropTotal)}}},
        {"targets", targets},
        {"sessions", sessions},
        {"llm_calls", llm},
        {"processes", procs},
        {"files_written", filesOut},
        {"network", netOut},
        {"http_exchanges", http},
        {"links", links},
        {"findings", findings},
        {"drops", drops},
    };
    return true;
}

std::string str(const QJsonValue &v)
{
    if (v.isString())
        return v.toString().toStdString();
    if (v.isDouble())
        return QString::number(v.toDouble(), 'g', 15).toStdString();
    return QJsonDocument(v.isArray() ? QJsonDocument(v.toArray()) : QJsonDocument(v.toObject()))
        .toJson(QJsonDocument::Compact)
        .toStdString();
}

std::string argvLine(const QJsonValue &argv)
{
    std::string s;
    for (const auto &a : argv.toArray())
        s += (s.empty() ? "" : " ") + a.toString().toStdString();
    return s;
}

void printText(const QJsonObject &r)
{
    const QJsonObject s = r["summary"].toObject();
    std::printf("Recording %s\n", str(r["file"]).c_str());
    const QJsonObject m = r["meta"].toObject();
    std::printf("  created %s, ended %s, helper exit %s\n", str(m["created"]).c_str(),
                m.contains("ended") ? str(m["ended"]).c_str() : "(not recorded: the recorder was killed?)",
                m.contains("helper_exit_code") ? str(m["helper_exit_code"]).c_str() : "?");
    std::printf("  %lld events, %lld processes, %lld LLM calls (%lld in / %lld out tokens, $%.4f%s), "
                "%lld drops\n",
                s["events"].toInteger(), s["processes"].toInteger(), s["llm_calls"].toInteger(),
                s["input_tokens"].toInteger(), s["output_tokens"].toInteger(), s["cost_usd"].toDouble(),
                s["unpriced_calls"].toInteger() ? " + unknown" : "", s["drops"].toInteger());

    std::printf("\nSessions\n");
    for (const auto &v : r["sessions"].toArray()) {
        const QJsonObject o = v.toObject();
        std::printf("  pid %lld  %s\n    %lld processes, %lld LLM calls, %lld/%lld tokens, $%.4f\n",
                    o["root_tgid"].toInteger(), argvLine(o["argv"]).c_str(), o["processes"].toInteger(),
                    o["llm_calls"].toInteger(), o["input_tokens"].toInteger(), o["output_tokens"].toInteger(),
                    o["cost_usd"].toDouble());
    }
    std::printf("\nLLM calls\n");
    for (const auto &v : r["llm_calls"].toArray()) {
        const QJsonObject o = v.toObject();
        std::printf("  #%lld %s pid %lld %s %s  %lld in / %lld out  %s\n", o["id"].toInteger(),
                    str(o["time"]).c_str(), o["tgid"].toInteger(),
                    str(o["provider"]).c_str(), str(o["model"]).c_str(), o["input_tokens"].toInteger(),
                    o["output_tokens"].toInteger(),
                    o.contains("cost_usd") ? ("$" + QString::number(o["cost_usd"].toDouble(), 'f', 4).toStdString()).c_str()
                                           : "cost unknown");
        for (const auto &t : o["tool_calls"].toArray())
            std::printf("      tool %s %s\n", str(t.toObject()["name"]).c_str(),
                        str(t.toObject()["arguments"]).substr(0, 200).c_str());
    }
    std::printf("\nProcesses\n");
    for (const auto &v : r["processes"].toArray()) {
        const QJsonObject o = v.toObject();
        std::printf("  %lld <- %lld  %s%s\n", o["tgid"].toInteger(), o["ppid"].toInteger(),
                    o["filename"].toString().isEmpty() ? ("(" + str(o["comm"]) + ", no exec)").c_str()
                                                       : argvLine(o["argv"]).substr(0, 300).c_str(),
                    o.contains("exit_code") ? (" -> exit " + str(o["exit_code"])).c_str() : "");
    }
    std::printf("\nFiles written\n");
    for (const auto &v : r["files_written"].toArray()) {
        const QJsonObject o = v.toObject();
        std::printf("  %s  (%s)\n", str(o["path"]).c_str(), str(o["ops"]).c_str());
    }
    std::printf("\nNetwork destinations\n");
    for (const auto &v : r["network"].toArray()) {
        const QJsonObject o = v.toObject();
        std::printf("  %s  %lld connects, %lld failed\n", str(o["address"]).c_str(), o["attempts"].toInteger(),
                    o["failures"].toInteger());
    }
    const QJsonArray links = r["links"].toArray(), findings = r["findings"].toArray();
    if (!links.isEmpty()) {
        std::printf("\nLinks\n");
        for (const auto &v : links) {
            const QJsonObject o = v.toObject();
            std::printf("  %s -> %s  %s (%.2f)\n", str(o["from"]).c_str(), str(o["to"]).c_str(),
                        str(o["kind"]).c_str(), o["confidence"].toDouble());
        }
    }
    if (!findings.isEmpty()) {
        std::printf("\nFindings\n");
        for (const auto &v : findings) {
            const QJsonObject o = v.toObject();
            std::printf("  [%s] %s: %s\n", str(o["severity"]).c_str(), str(o["kind"]).c_str(),
                        str(o["summary"]).c_str());
        }
    }
    const QJsonArray drops = r["drops"].toArray();
    if (!drops.isEmpty()) {
        std::printf("\nDrops\n");
        for (const auto &v : drops) {
            const QJsonObject o = v.toObject();
            std::printf("  %s source %lld: %lld\n", str(o["origin"]).c_str(), o["source"].toInteger(),
                        o["count"].toInteger());
        }
    }
}

} // namespace

int runReport(const Args &args)
{
    std::string file;
    bool json = false;
    for (const auto &a : args) {
        if (a == "--json")
            json = true;
        else if (!a.empty() && a[0] == '-')
            return usageError("report: unknown option " + a);
        else if (file.empty())
            file = a;
        else
            return usageError("report: unexpected argument " + a);
    }
    if (file.empty())
        return usageError("report: which recording?");
    std::string err;
    auto rec = store::Recording::open(file, store::Recording::Mode::Read, &err);
    if (!rec) {
        std::fprintf(stderr, "agentsight: %s\n", err.c_str());
        return kExitFailed;
    }
    QJsonObject report;
    if (!buildReport(*rec, report, err)) {
        std::fprintf(stderr, "agentsight: %s is corrupt or unreadable: %s\n", file.c_str(), err.c_str());
        return kExitFailed;
    }
    if (json)
        std::fputs(QJsonDocument(report).toJson(QJsonDocument::Indented).constData(), stdout);
    else
        printText(report);
    return kExitOk;
}

} // namespace agentsight::cli
