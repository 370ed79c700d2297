// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/**
 * @brief Test-only driver for correlation scenarios (tests/data/correlate/, one JSON each).
 *
 * A scenario is a stream in delivery order: capture records, written as
 * readable JSON and turned into the exact binary layouts of
 * agentsight_events.h, then unpacked by the real wire::parseEvent; and LLM
 * calls, turned into the HTTP bodies the APIs send (Anthropic Messages SSE,
 * Gemini streamGenerateContent SSE, OpenAI Responses SSE) and decoded by the
 * real llm::LlmDecoder. Labels on records name the actions the scenario's
 * "expect" block talks about. See tests/data/correlate/README.md.
 */
#include <cstring>
#include <fcntl.h>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <arpa/inet.h>

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include "correlate/correlation_engine.h"
#include "correlate/result_collector.h"
#include "decode/http_exchange.h"
#include "decode/sse_parser.h"
#include "llm/llm_decoder.h"
#include "wire/event.h"

namespace agentsight::correlate::test {

inline uint64_t msToNs(double ms) { return uint64_t(ms * 1e6 + 0.5); }

// ---- capture records in their real binary layout ----

class RecordBuilder {
public:
    template <typename T>
    static std::string make(T fixed, uint16_t type, const std::vector<std::string> &tails, uint64_t ktime, uint32_t tgid,
                            uint16_t flags = 0)
    {
        static uint64_t seq = 0;
        fixed.h.type = type;
        fixed.h.flags = flags;
        fixed.h.ktime_ns = ktime;
        fixed.h.seq = ++seq;
        fixed.h.tgid = tgid;
        fixed.h.tid = tgid;
        std::string rec(reinterpret_cast<const char *>(&fixed), sizeof fixed);
        for (const auto &t : tails)
            rec += t;
        reinterpret_cast<as_event_header *>(rec.data())->size = uint32_t(rec.size());
        return rec;
    }
};

inline as_sockaddr sockaddrOf(const std::string &host, uint16_t port)
{
    as_sockaddr a{};
    a.port = port;
    if (!host.empty() && host.front() == '/') {
        a.family = AF_UNIX;
        std::strncpy(a.unix_path, host.c_str(), sizeof a.unix_path - 1);
    } else if (host.find(':') != std::string::npos) {
        a.family = AF_INET6;
        inet_pton(AF_INET6, host.c_str(), a.addr);
    } else {
        a.family = AF_INET;
        inet_pton(AF_INET, host.c_str(), a.addr);
    }
    return a;
}

/// A DNS query message as a resolver sends it (RFC 1035), one question.
inline std::string dnsQuery(const std::string &name, uint16_t qtype)
{
    std::string m = std::string("\x12\x34\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00", 12);
    size_t i = 0;
    while (i <= name.size()) {
        size_t j = name.find('.', i);
        if (j == std::string::npos)
            j = name.size();
        m += char(j - i);
        m += name.substr(i, j - i);
        i = j + 1;
    }
    m += '\0';
    m += char(qtype >> 8);
    m += char(qtype & 0xff);
    m += std::string("\x00\x01", 2);
    return m;
}

inline uint32_t openFlagsOf(const QString &f)
{
    uint32_t flags = O_RDONLY;
    if (f.contains(QLatin1Char('w')))
        flags = O_WRONLY;
    if (f.contains(QLatin1Char('+')))
        flags = O_RDWR;
    if (f.contains(QLatin1Char('c')))
        flags |= O_CREAT;
    if (f.contains(QLatin1Char('t')))
        flags |= O_TRUNC;
    if (f.contains(QLatin1Char('a')))
        flags |= O_APPEND;
    if (f.contains(QLatin1Char('d')))
        flags |= O_DIRECTORY;
    if (f.contains(QLatin1Char('e')))
        flags |= O_CLOEXEC;
    return flags;
}

inline std::string s(const QJsonObject &o, const char *k) { return o.value(QLatin1String(k)).toString().toStdString(); }
inline uint32_t u(const QJsonObject &o, const char *k) { return uint32_t(o.value(QLatin1String(k)).toInteger()); }

/// One scenario step as raw record bytes ("" when the step is not a record).
inline std::string recordOf(const QJsonObject &st)
{
    const QString ev = st.value(QLatin1String("ev")).toString();
    const uint64_t t = msToNs(st.value(QLatin1String("t")).toDouble());
    const uint32_t tgid = u(st, "tgid");
    if (ev == QLatin1String("exec")) {
        as_proc_exec r{};
        r.start_ns = msToNs(st.value(QLatin1String("start")).toDouble());
        r.ppid = u(st, "ppid");
        r.old_tid = tgid;
        std::string argv;
        const QJsonArray a = st.value(QLatin1String("argv")).toArray();
        for (qsizetype i = 0; i < a.size(); ++i)
            argv += (i ? std::string(1, '\0') : std::string()) + a.at(i).toString().toStdString();
        r.argc = uint32_t(a.size());
        std::string filename = st.contains(QLatin1String("filename")) ? s(st, "filename") : (a.isEmpty() ? "" : a.first().toString().toStdString());
        const std::string cwd = s(st, "cwd");
        r.filename_len = uint16_t(filename.size());
        r.argv_len = uint16_t(argv.size());
        r.cwd_len = uint16_t(cwd.size());
        const std::string comm = st.contains(QLatin1String("comm")) ? s(st, "comm") : filename.substr(filename.rfind('/') + 1);
        std::strncpy(r.comm, comm.c_str(), AS_MAX_COMM - 1);
        return RecordBuilder::make(r, AS_EV_PROC_EXEC, {filename, argv, cwd}, t, tgid,
                                   st.value(QLatin1String("snapshot")).toBool() ? AS_F_SNAPSHOT : 0);
    }
    if (ev == QLatin1String("fork")) {
        as_proc_fork r{};
        r.child_start_ns = msToNs(st.value(QLatin1String("start")).toDouble(st.value(QLatin1String("t")).toDouble()));
        r.child_tgid = u(st, "child");
        r.child_tid = r.child_tgid;
        r.fork_flags = st.value(QLatin1String("thread")).toBool() ? AS_FORK_THREAD : 0;
        std::strncpy(r.comm, s(st, "comm").c_str(), AS_MAX_COMM - 1);
        return RecordBuilder::make(r, AS_EV_PROC_FORK, {}, t, tgid);
    }
    if (ev == QLatin1String("exit")) {
        as_proc_exit r{};
        r.start_ns = msToNs(st.value(QLatin1String("start")).toDouble());
        r.exit_code = st.value(QLatin1String("code")).toInt();
        r.is_process = 1;
        return RecordBuilder::make(r, AS_EV_PROC_EXIT, {}, t, tgid);
    }
    if (ev == QLatin1String("chdir")) {
        as_proc_chdir r{};
        const std::string p = s(st, "path");
        r.path_len = uint16_t(p.size());
        return RecordBuilder::make(r, AS_EV_PROC_CHDIR, {p}, t, tgid);
    }
    if (ev == QLatin1String("open")) {
        as_file_open r{};
        r.dirfd = -100;
        r.result = st.value(QLatin1String("result")).toInt(st.value(QLatin1String("fd")).toInt(3));
        r.flags = openFlagsOf(st.value(QLatin1String("flags")).toString());
        const std::string p = s(st, "path");
        const std::string raw = st.contains(QLatin1String("raw")) ? s(st, "raw") : p;
        r.path_len = uint16_t(p.size());
        r.raw_len = uint16_t(raw.size());
        return RecordBuilder::make(r, AS_EV_FILE_OPEN, {p, raw}, t, tgid);
    }
    if (ev == QLatin1String("unlink") || ev == QLatin1String("rename") || ev == QLatin1String("mkdir") || ev == QLatin1String("chmod")) {
        as_file_op r{};
        r.dirfd = st.value(QLatin1String("dirfd")).toInt(-100);
        r.result = st.value(QLatin1String("result")).toInt(0);
        const std::string p = s(st, "path"), p2 = s(st, "path2");
        r.path_len = uint16_t(p.size());
        r.path2_len = uint16_t(p2.size());
        const uint16_t type = ev == QLatin1String("unlink") ? AS_EV_FILE_UNLINK
                              : ev == QLatin1String("rename") ? AS_EV_FILE_RENAME
                              : ev == QLatin1String("mkdir") ? AS_EV_FILE_MKDIR
                                                             : AS_EV_FILE_CHMOD;
        return RecordBuilder::make(r, type, {p, p2}, t, tgid);
    }
    if (ev == QLatin1String("close")) {
        as_file_io r{};
        r.fd = st.value(QLatin1String("fd")).toInt();
        r.io_flags = AS_IO_CLOSED;
        return RecordBuilder::make(r, AS_EV_FILE_IO, {}, t, tgid);
    }
    if (ev == QLatin1String("connect")) {
        as_net_conn r{};
        r.fd = st.value(QLatin1String("fd")).toInt(5);
        r.result = st.value(QLatin1String("result")).toInt(0);
        r.sock_type = 1;
        r.addr = sockaddrOf(s(st, "host"), uint16_t(u(st, "port")));
        return RecordBuilder::make(r, AS_EV_NET_CONNECT, {}, t, tgid);
    }
    if (ev == QLatin1String("dns")) {
        as_net_dns r{};
        r.fd = st.value(QLatin1String("fd")).toInt(7);
        r.server = sockaddrOf("127.0.0.53", 53);
        const std::string m = dnsQuery(s(st, "name"), uint16_t(st.value(QLatin1String("qtype")).toInt(1)));
        r.len = uint16_t(m.size());
        return RecordBuilder::make(r, AS_EV_NET_DNS, {m}, t, tgid);
    }
    if (ev == QLatin1String("target")) {
        as_target r{};
        r.kind = AS_TARGET_COMMAND;
        r.op = AS_TARGET_ADDED;
        const std::string n = s(st, "name");
        r.name_len = uint16_t(n.size());
        return RecordBuilder::make(r, AS_EV_TARGET, {n}, t, tgid);
    }
    return {};
}

// ---- LLM calls as the APIs put them on the wire ----

inline QByteArray compact(const QJsonValue &v)
{
    return v.isObject() ? QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact) : QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact);
}

struct WireCall {
    QString id, name;
    QJsonObject input;
};
struct WireResult {
    QString id, name, content;
};

inline std::vector<WireCall> callsOf(const QJsonObject &st)
{
    std::vector<WireCall> out;
    for (const auto &v : st.value(QLatin1String("calls")).toArray()) {
        const QJsonObject c = v.toObject();
        out.push_back({c.value(QLatin1String("id")).toString(), c.value(QLatin1String("name")).toString(), c.value(QLatin1String("input")).toObject()});
    }
    return out;
}

inline std::vector<WireResult> resultsOf(const QJsonObject &st)
{
    std::vector<WireResult> out;
    for (const auto &v : st.value(QLatin1String("results")).toArray()) {
        const QJsonObject r = v.toObject();
        out.push_back({r.value(QLatin1String("id")).toString(), r.value(QLatin1String("name")).toString(), r.value(QLatin1String("content")).toString()});
    }
    return out;
}

inline void anthropicBodies(const QJsonObject &st, std::string &req, std::string &sse)
{
    QJsonArray messages{QJsonObject{{QStringLiteral("role"), QStringLiteral("user")}, {QStringLiteral("content"), QStringLiteral("do the task")}}};
    const auto results = resultsOf(st);
    if (!results.empty()) {
        QJsonArray asked, told;
        for (const auto &r : results) {
            asked.append(QJsonObject{{QStringLiteral("type"), QStringLiteral("tool_use")}, {QStringLiteral("id"), r.id},
                                     {QStringLiteral("name"), r.name.isEmpty() ? QStringLiteral("Bash") : r.name}, {QStringLiteral("input"), QJsonObject()}});
            told.append(QJsonObject{{QStringLiteral("type"), QStringLiteral("tool_result")}, {QStringLiteral("tool_use_id"), r.id},
                                    {QStringLiteral("content"), r.content}});
        }
        messages.append(QJsonObject{{QStringLiteral("role"), QStringLiteral("assistant")}, {QStringLiteral("content"), asked}});
        messages.append(QJsonObject{{QStringLiteral("role"), QStringLiteral("user")}, {QStringLiteral("content"), told}});
    }
    req = compact(QJsonObject{{QStringLiteral("model"), QStringLiteral("claude-sonnet-4-5-20250929")}, {QStringLiteral("max_tokens"), 32000},
                              {QStringLiteral("stream"), true}, {QStringLiteral("messages"), messages}}).toStdString();
    auto event = [&](const char *type, const QJsonObject &data) {
        sse += std::string("event: ") + type + "\ndata: " + compact(data).toStdString() + "\n\n";
    };
    event("message_start", QJsonObject{{QStringLiteral("type"), QStringLiteral("message_start")},
                                       {QStringLiteral("message"), QJsonObject{{QStringLiteral("id"), QStringLiteral("msg_1")}, {QStringLiteral("type"), QStringLiteral("message")},
                                                                               {QStringLiteral("role"), QStringLiteral("assistant")}, {QStringLiteral("model"), QStringLiteral("claude-sonnet-4-5-20250929")},
                                                                               {QStringLiteral("content"), QJsonArray()},
                                                                               {QStringLiteral("usage"), QJsonObject{{QStringLiteral("input_tokens"), 100}, {QStringLiteral("output_tokens"), 1}}}}}});
    int index = 0;
    const auto calls = callsOf(st);
    if (calls.empty()) {
        event("content_block_start", QJsonObject{{QStringLiteral("type"), QStringLiteral("content_block_start")}, {QStringLiteral("index"), index},
                                                 {QStringLiteral("content_block"), QJsonObject{{QStringLiteral("type"), QStringLiteral("text")}, {QStringLiteral("text"), QString()}}}});
        event("content_block_delta", QJsonObject{{QStringLiteral("type"), QStringLiteral("content_block_delta")}, {QStringLiteral("index"), index},
                                                 {QStringLiteral("delta"), QJsonObject{{QStringLiteral("type"), QStringLiteral("text_delta")}, {QStringLiteral("text"), QStringLiteral("Done.")}}}});
        event("content_block_stop", QJsonObject{{QStringLiteral("type"), QStringLiteral("content_block_stop")}, {QStringLiteral("index"), index}});
    }
    for (const auto &c : calls) {
        event("content_block_start", QJsonObject{{QStringLiteral("type"), QStringLiteral("content_block_start")}, {QStringLiteral("index"), index},
                                                 {QStringLiteral("content_block"), QJsonObject{{QStringLiteral("type"), QStringLiteral("tool_use")}, {QStringLiteral("id"), c.id},
                                                                                               {QStringLiteral("name"), c.name}, {QStringLiteral("input"), QJsonObject()}}}});
        event("content_block_delta", QJsonObject{{QStringLiteral("type"), QStringLiteral("content_block_delta")}, {QStringLiteral("index"), index},
                                                 {QStringLiteral("delta"), QJsonObject{{QStringLiteral("type"), QStringLiteral("input_json_delta")},
                                                                                       {QStringLiteral("partial_json"), QString::fromUtf8(compact(c.input))}}}});
        event("content_block_stop", QJsonObject{{QStringLiteral("type"), QStringLiteral("content_block_stop")}, {QStringLiteral("index"), index}});
        ++index;
    }
    event("message_delta", QJsonObject{{QStringLiteral("type"), QStringLiteral("message_delta")},
                                       {QStringLiteral("delta"), QJsonObject{{QStringLiteral("stop_reason"), calls.empty() ? QStringLiteral("end_turn") : QStringLiteral("tool_use")}}},
                                       {QStringLiteral("usage"), QJsonObject{{QStringLiteral("output_tokens"), 50}}}});
    event("message_stop", QJsonObject{{QStringLiteral("type"), QStringLiteral("message_stop")}});
}

inline void geminiBodies(const QJsonObject &st, std::string &req, std::string &sse)
{
    QJsonArray contents{QJsonObject{{QStringLiteral("role"), QStringLiteral("user")},
                                    {QStringLiteral("parts"), QJsonArray{QJsonObject{{QStringLiteral("text"), QStringLiteral("do the task")}}}}}};
    const auto results = resultsOf(st);
    if (!results.empty()) {
        QJsonArray asked, told;
        for (const auto &r : results) {
            asked.append(QJsonObject{{QStringLiteral("functionCall"), QJsonObject{{QStringLiteral("name"), r.name}, {QStringLiteral("args"), QJsonObject()}}}});
            told.append(QJsonObject{{QStringLiteral("functionResponse"), QJsonObject{{QStringLiteral("name"), r.name},
                                                                                    {QStringLiteral("response"), QJsonObject{{QStringLiteral("output"), r.content}}}}}});
        }
        contents.append(QJsonObject{{QStringLiteral("role"), QStringLiteral("model")}, {QStringLiteral("parts"), asked}});
        contents.append(QJsonObject{{QStringLiteral("role"), QStringLiteral("user")}, {QStringLiteral("parts"), told}});
    }
    req = compact(QJsonObject{{QStringLiteral("contents"), contents}}).toStdString();
    QJsonArray parts;
    for (const auto &c : callsOf(st))
        parts.append(QJsonObject{{QStringLiteral("functionCall"), QJsonObject{{QStringLiteral("name"), c.name}, {QStringLiteral("args"), c.input}}}});
    if (parts.isEmpty())
        parts.append(QJsonObject{{QStringLiteral("text"), QStringLiteral("Done.")}});
    const QJsonObject chunk{{QStringLiteral("candidates"), QJsonArray{QJsonObject{{QStringLiteral("content"), QJsonObject{{QStringLiteral("role"), QStringLiteral("model")}, {QStringLiteral("parts"), parts}}},
                                                                                  {QStringLiteral("finishReason"), QStringLiteral("STOP")}, {QStringLiteral("index"), 0}}}},
                            {QStringLiteral("usageMetadata"), QJsonObject{{QStringLiteral("promptTokenCount"), 100}, {QStringLiteral("candidatesTokenCount"), 20}}},
                            {QStringLiteral("modelVersion"), QStringLiteral("gemini-2.5-pro")}};
    sse = "data: " + compact(chunk).toStdString() + "\n\n";
}

inline void responsesBodies(const QJsonObject &st, std::string &req, std::string &sse)
{
    QJsonArray input{QJsonObject{{QStringLiteral("role"), QStringLiteral("user")}, {QStringLiteral("content"), QStringLiteral("do the task")}}};
    for (const auto &r : resultsOf(st)) {
        input.append(QJsonObject{{QStringLiteral("type"), QStringLiteral("function_call")}, {QStringLiteral("call_id"), r.id},
                                 {QStringLiteral("name"), r.name}, {QStringLiteral("arguments"), QStringLiteral("{}")}});
        input.append(QJsonObject{{QStringLiteral("type"), QStringLiteral("function_call_output")}, {QStringLiteral("call_id"), r.id},
                                 {QStringLiteral("output"), r.content}});
    }
    req = compact(QJsonObject{{QStringLiteral("model"), QStringLiteral("gpt-5-codex")}, {QStringLiteral("stream"), true}, {QStringLiteral("input"), input}}).toStdString();
    int seq = 0;
    auto event = [&](const char *type, QJsonObject data) {
        data[QStringLiteral("type")] = QLatin1String(type);
        data[QStringLiteral("sequence_number")] = seq++;
        sse += std::string("event: ") + type + "\ndata: " + compact(data).toStdString() + "\n\n";
    };
    const QJsonObject resp{{QStringLiteral("id"), QStringLiteral("resp_1")}, {QStringLiteral("model"), QStringLiteral("gpt-5-codex")}, {QStringLiteral("status"), QStringLiteral("in_progress")}};
    event("response.created", QJsonObject{{QStringLiteral("response"), resp}});
    QJsonArray output;
    int index = 0;
    for (const auto &c : callsOf(st)) {
        const QJsonObject item{{QStringLiteral("id"), QStringLiteral("fc_%1").arg(index)}, {QStringLiteral("type"), QStringLiteral("function_call")},
                               {QStringLiteral("status"), QStringLiteral("completed")}, {QStringLiteral("call_id"), c.id}, {QStringLiteral("name"), c.name},
                               {QStringLiteral("arguments"), QString::fromUtf8(compact(c.input))}};
        event("response.output_item.done", QJsonObject{{QStringLiteral("output_index"), index}, {QStringLiteral("item"), item}});
        output.append(item);
        ++index;
    }
    QJsonObject done = resp;
    done[QStringLiteral("status")] = QStringLiteral("completed");
    done[QStringLiteral("output")] = output;
    done[QStringLiteral("usage")] = QJsonObject{{QStringLiteral("input_tokens"), 100}, {QStringLiteral("output_tokens"), 20}, {QStringLiteral("total_tokens"), 120}};
    event("response.completed", QJsonObject{{QStringLiteral("response"), done}});
}

/// The LLM exchange of a scenario step, through the real decoders.
inline std::optional<llm::LlmExchange> exchangeOf(const QJsonObject &st, const llm::LlmDecoder &decoder)
{
    const QString api = st.value(QLatin1String("llm")).toString();
    decode::HttpExchange ex;
    auto &req = ex.request;
    ex.response.emplace();
    auto &resp = *ex.response;
    req.method = "POST";
    req.scheme = "https";
    req.version = resp.version = "HTTP/1.1";
    req.headers.push_back({"content-type", "application/json"});
    resp.status = 200;
    resp.headers.push_back({"content-type", "text/event-stream"});
    std::string sse;
    if (api == QLatin1String("anthropic")) {
        req.authority = "api.anthropic.com";
        req.target = "/v1/messages?beta=true";
        anthropicBodies(st, req.body, sse);
    } else if (api == QLatin1String("gemini")) {
        req.authority = "generativelanguage.googleapis.com";
        req.target = "/v1beta/models/gemini-2.5-pro:streamGenerateContent?alt=sse";
        geminiBodies(st, req.body, sse);
    } else {
        req.authority = "api.openai.com";
        req.target = "/v1/responses";
        responsesBodies(st, req.body, sse);
    }
    if (st.contains(QLatin1String("host")))
        req.authority = s(st, "host");
    req.wireBodyBytes = req.decodedBodyBytes = req.body.size();
    req.startNs = msToNs(st.value(QLatin1String("req")).toDouble());
    req.endNs = req.startNs + 1000000;
    resp.startNs = msToNs(st.value(QLatin1String("first_token")).toDouble());
    resp.firstBodyNs = resp.startNs;
    resp.endNs = msToNs(st.value(QLatin1String("end")).toDouble());
    resp.body = sse;
    resp.wireBodyBytes = resp.decodedBodyBytes = sse.size();
    decode::SseParser parser(std::size_t(4) << 20, 1000000);
    size_t pos = 0;
    for (uint64_t i = 0; pos < sse.size(); ++i) {
        size_t end = sse.find("\n\n", pos);
        end = end == std::string::npos ? sse.size() : end + 2;
        // stamped between the first token and the end
        parser.feed(std::string_view(sse).substr(pos, end - pos), resp.startNs + std::min<uint64_t>(i * 1000000, resp.endNs - resp.startNs), resp.sse);
        pos = end;
    }
    ex.complete = true;
    return decoder.decode(ex);
}

// ---- scenario ----

struct Step {
    bool isEvent = true;
    wire::Event event;
    llm::LlmExchange exchange;
    uint32_t tgid = 0;
    uint64_t conn = 0;
    int socketFd = -1; ///< "fd" of an llm step: the socket the call went over
};

struct Scenario {
    QString name;
    std::vector<Step> steps;
    std::map<std::pair<uint32_t, uint64_t>, QString> labels; ///< (tgid, ktime) -> label
    std::set<std::pair<QString, QString>> expectedLinks;    ///< (call id, label): runner/effect links
    std::set<QString> expectedUnexplained;
    std::set<QString> notLinked;                            ///< labels that must have no link at all
    std::set<std::pair<QString, QString>> expectedIncidental; ///< (call id, label): must be incidental links
    QString error;
};

inline Scenario loadScenario(const QString &path, const llm::LlmDecoder &decoder)
{
    Scenario sc;
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        sc.error = QStringLiteral("cannot open ") + path;
        return sc;
    }
    QJsonParseError err;
    const QJsonObject root = QJsonDocument::fromJson(f.readAll(), &err).object();
    if (err.error != QJsonParseError::NoError) {
        sc.error = path + QStringLiteral(": ") + err.errorString();
        return sc;
    }
    sc.name = root.value(QLatin1String("name")).toString();
    for (const auto &v : root.value(QLatin1String("steps")).toArray()) {
        const QJsonObject st = v.toObject();
        Step step;
        if (st.contains(QLatin1String("llm"))) {
            auto ex = exchangeOf(st, decoder);
            if (!ex) {
                sc.error = QStringLiteral("step not decoded as an LLM call: ") + QString::fromUtf8(compact(st));
                return sc;
            }
            step.isEvent = false;
            step.exchange = *ex;
            step.tgid = u(st, "tgid");
            step.conn = 0x5500 + step.tgid;
            step.socketFd = st.value(QLatin1String("fd")).toInt(-1);
        } else {
            const std::string rec = recordOf(st);
            std::string perr;
            if (rec.empty() || !wire::parseEvent(rec, step.event, &perr)) {
                sc.error = QStringLiteral("bad record step: ") + QString::fromUtf8(compact(st)) + QString::fromStdString(perr);
                return sc;
            }
            if (st.contains(QLatin1String("label")))
                sc.labels[{step.event.tgid, step.event.ktimeNs}] = st.value(QLatin1String("label")).toString();
        }
        sc.steps.push_back(std::move(step));
    }
    const QJsonObject expect = root.value(QLatin1String("expect")).toObject();
    const QJsonObject links = expect.value(QLatin1String("links")).toObject();
    for (auto it = links.begin(); it != links.end(); ++it)
        for (const auto &l : it.value().toArray())
            sc.expectedLinks.insert({it.key(), l.toString()});
    const QJsonObject inc = expect.value(QLatin1String("incidental")).toObject();
    for (auto it = inc.begin(); it != inc.end(); ++it)
        for (const auto &l : it.value().toArray())
            sc.expectedIncidental.insert({it.key(), l.toString()});
    for (const auto &l : expect.value(QLatin1String("unexplained")).toArray())
        sc.expectedUnexplained.insert(l.toString());
    for (const auto &l : expect.value(QLatin1String("not_linked")).toArray())
        sc.notLinked.insert(l.toString());
    return sc;
}

inline void run(const Scenario &sc, CorrelationEngine &engine)
{
    for (const auto &st : sc.steps) {
        if (st.isEvent)
            engine.onEvent(st.event);
        else
            engine.onLlmExchange(st.exchange, st.tgid, st.conn, st.socketFd);
    }
    engine.finish();
}

inline QString labelOf(const Scenario &sc, const model::Action &a)
{
    auto it = sc.labels.find({a.tgid, a.ktimeNs});
    return it != sc.labels.end() ? it->second
                                 : QStringLiteral("<unlabelled %1 pid %2 at %3>").arg(QLatin1String(model::actionKindName(a.kind))).arg(a.tgid).arg(a.ktimeNs);
}

} // namespace agentsight::correlate::test
