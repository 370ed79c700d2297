// SPDX-License-Identifier: GPL-2.0-or-later
#include "store/recording.h"

#include "store/recording_schema.h"

#include <sqlite3.h>

#include <QDateTime>

#include <sys/stat.h>

namespace agentsight::store {

namespace {

enum Stmt {
    SetMeta,
    InsEvent,
    InsProcess,
    ForkProcess,
    ExecFill,
    ExitProcess,
    InsHttp,
    InsLlm,
    InsLink,
    InsFinding,
    AddDrop,
    SetDrop,
    StmtCount
};

const char *const kSql[StmtCount] = {
    "INSERT OR REPLACE INTO meta(key, value) VALUES(?1, ?2)",
    "INSERT INTO events(id, type, flags, ktime, seq, tgid, tid, source, raw) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9)",
    "INSERT INTO processes(id, tgid, start_ns, ppid, comm, filename, argv, cwd, exec_ktime, exit_ktime, exit_code,"
    " signal) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12)",
    "INSERT INTO processes(tgid, start_ns, ppid, comm, filename, argv, cwd, exec_ktime)"
    " VALUES(?1,?2,?3,?4,'','[]','',?5)",
    // exec into the row a fork created (no filename yet); the caller inserts when none matched.
    "UPDATE processes SET ppid=?3, comm=?4, filename=?5, argv=?6, cwd=?7, exec_ktime=?8"
    " WHERE id = (SELECT id FROM processes WHERE tgid=?1 AND start_ns=?2 AND filename='' AND exit_ktime IS NULL"
    " ORDER BY id DESC LIMIT 1)",
    "UPDATE processes SET exit_ktime=?3, exit_code=?4, signal=?5 WHERE tgid=?1 AND start_ns=?2 AND exit_ktime IS NULL",
    "INSERT INTO http_exchanges(id, tgid, conn, fd, stream_id, sequence, method, authority, target, status, start_ns,"
    " end_ns, complete, error, detail) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15)",
    "INSERT INTO llm_exchanges(id, http_id, tgid, conn, stream_id, sequence, start_ns, end_ns, provider, api, model,"
    " input_tokens, output_tokens, cost_usd, tool_calls, detail)"
    " VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16)",
    "INSERT INTO links(id, kind, from_ref, to_ref, confidence, reasons, ktime) VALUES(?1,?2,?3,?4,?5,?6,?7)",
    "INSERT INTO findings(id, kind, severity, subjects, confidence, reasons, summary, ktime)"
    " VALUES(?1,?2,?3,?4,?5,?6,?7,?8)",
    "INSERT INTO drops(origin, source, count) VALUES(?1,?2,?3)"
    " ON CONFLICT(origin, source) DO UPDATE SET count = count + excluded.count",
    "INSERT OR REPLACE INTO drops(origin, source, count) VALUES(?1,?2,?3)",
};

void bindId(SqliteStatement &s, int i, int64_t id)
{
    if (id > 0)
        s.bind(i, id);
    else
        s.bindNull(i);
}

// The kernel's u64 values (ktime, SSL* pointers) are stored as SQLite's
// signed 64-bit integers bit for bit; readers cast back.
int64_t s64(uint64_t v)
{
    return static_cast<int64_t>(v);
}

bool fileHasData(const std::string &path)
{
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0 && st.st_size > 0;
}

} // namespace

int Recording::schemaVersion()
{
    return schema::current();
}

std::unique_ptr<Recording> Recording::open(const std::string &path, Mode mode, std::string *error)
{
    auto setError = [&](const std::string &msg) {
        if (error)
            *error = msg;
        return nullptr;
    };
    std::unique_ptr<Recording> r(new Recording);
    r->m_path = path;
    std::string err;
    if (mode == Mode::Create) {
        if (fileHasData(path))
            return setError(path + " already exists; refusing to overwrite it");
    } else {
        struct stat st {};
        if (::stat(path.c_str(), &st) != 0)
            return setError("cannot open " + path + ": no such file");
        if (st.st_size == 0)
            return setError(path + " is not an AgentSight recording (empty file)");
    }
    // Readers open read-write when they can: a recording whose writer was
    // killed has a hot WAL, and recovering it needs write access.
    if (!r->m_db.open(path, false, &err) && (mode != Mode::Read || !r->m_db.open(path, true, &err)))
        return setError("cannot open " + path + ": " + err);

    auto appId = r->m_db.queryInt("PRAGMA application_id", &err);
    if (!appId) {
        if (err.find("not a database") != std::string::npos || err.find("malformed") != std::string::npos)
            return setError(path + " is not an AgentSight recording: it is not an SQLite database or it is corrupt (" +
                            err + ")");
        return setError("cannot read " + path + ": " + err);
    }
    const int version = int(r->m_db.queryInt("PRAGMA user_version").value_or(0));
    if (mode == Mode::Create) {
        if (!r->m_db.exec("PRAGMA journal_mode=WAL", &err))
            return setError("cannot create " + path + ": " + err);
        const std::string appSql = "PRAGMA application_id = " + std::to_string(kApplicationId);
        if (!r->m_db.exec(appSql.c_str(), &err) || !schema::migrate(r->m_db, 0, &err))
            return setError("cannot create " + path + ": " + err);
    } else {
        if (*appId != kApplicationId) {
            return setError(path + " is not an AgentSight recording (an SQLite database of another application" +
                            (*appId ? std::string(", application id ") + std::to_string(*appId) : std::string()) +
                            ")");
        }
        if (version > schema::current())
            return setError(path + " was written by a newer AgentSight (recording schema " + std::to_string(version) +
                            "; this version reads up to " + std::to_string(schema::current()) +
                            "). Update AgentSight to open it.");
        if (version < schema::current() && !schema::migrate(r->m_db, version, &err))
            return setError("cannot upgrade " + path + " from schema " + std::to_string(version) + ": " + err);
        // A readable meta table proves the file past its header is sane enough to start.
        if (!r->m_db.queryInt("SELECT count(*) FROM meta", &err))
            return setError(path + " is corrupt: " + err);
    }
    // NORMAL in WAL mode: a committed batch survives a crash of this process
    // (it is in the OS page cache); only an OS crash may lose the last batches.
    r->m_db.exec("PRAGMA synchronous=NORMAL");
    r->m_db.exec("PRAGMA foreign_keys=OFF");
    if (!r->prepare())
        return setError("cannot use " + path + ": " + r->m_error);
    if (mode == Mode::Create) {
        const bool ok = r->setMeta({"format", MetaRow::Kind::Text, "agentsight-recording", 0}) &&
            r->setMeta({"schema_version", MetaRow::Kind::Int, {}, schema::current()}) &&
            r->setMeta({"created", MetaRow::Kind::Text,
                        QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs).toStdString(), 0});
        if (!ok)
            return setError("cannot write " + path + ": " + r->m_error);
    }
    return r;
}

Recording::~Recording() = default;

bool Recording::prepare()
{
    m_stmts.clear();
    m_stmts.reserve(StmtCount);
    for (int i = 0; i < StmtCount; ++i) {
        m_stmts.emplace_back(m_db, kSql[i]);
        if (!m_stmts.back().valid())
            return fail(m_stmts.back().prepareError());
    }
    return true;
}

bool Recording::fail(const std::string &what)
{
    m_error = what;
    return false;
}

SqliteStatement &Recording::stmt(int which)
{
    return m_stmts[size_t(which)];
}

bool Recording::begin()
{
    return m_db.exec("BEGIN", &m_error);
}

bool Recording::commit()
{
    return m_db.exec("COMMIT", &m_error);
}

bool Recording::rollback()
{
    return m_db.exec("ROLLBACK", &m_error);
}

bool Recording::setMeta(const MetaRow &row)
{
    auto &s = stmt(SetMeta);
    s.bindText(1, row.key);
    switch (row.kind) {
    case MetaRow::Kind::Text: s.bindText(2, row.text); break;
    case MetaRow::Kind::Int: s.bind(2, row.number); break;
    case MetaRow::Kind::Blob: s.bindBlob(2, row.text); break;
    }
    return s.run() || fail(m_db.lastError());
}

bool Recording::insertEvent(EventRow &r)
{
    auto &s = stmt(InsEvent);
    bindId(s, 1, r.id);
    s.bind(2, int64_t(r.type));
    s.bind(3, int64_t(r.flags));
    s.bind(4, s64(r.ktimeNs));
    s.bind(5, s64(r.seq));
    s.bind(6, int64_t(r.tgid));
    s.bind(7, int64_t(r.tid));
    s.bind(8, int64_t(r.source));
    s.bindBlob(9, r.raw);
    if (!s.run())
        return fail(m_db.lastError());
    r.id = m_db.lastInsertId();
    return true;
}

bool Recording::insertProcess(ProcessRow &r)
{
    auto &s = stmt(InsProcess);
    bindId(s, 1, r.id);
    s.bind(2, int64_t(r.tgid));
    s.bind(3, s64(r.startNs));
    s.bind(4, int64_t(r.ppid));
    s.bindText(5, r.comm);
    s.bindText(6, r.filename);
    s.bindText(7, r.argvJson);
    s.bindText(8, r.cwd);
    s.bind(9, s64(r.execKtimeNs));
    if (r.exitKtimeNs)
        s.bind(10, s64(*r.exitKtimeNs));
    else
        s.bindNull(10);
    if (r.exitCode)
        s.bind(11, int64_t(*r.exitCode));
    else
        s.bindNull(11);
    if (r.signal)
        s.bind(12, int64_t(*r.signal));
    else
        s.bindNull(12);
    if (!s.run())
        return fail(m_db.lastError());
    r.id = m_db.lastInsertId();
    return true;
}

bool Recording::applyProcess(const ProcessRow &r)
{
    switch (r.op) {
    case ProcessRow::Op::Fork: {
        auto &s = stmt(ForkProcess);
        s.bind(1, int64_t(r.tgid));
        s.bind(2, s64(r.startNs));
        s.bind(3, int64_t(r.ppid));
        s.bindText(4, r.comm);
        s.bind(5, s64(r.execKtimeNs));
        return s.run() || fail(m_db.lastError());
    }
    case ProcessRow::Op::Exec: {
        auto &s = stmt(ExecFill);
        s.bind(1, int64_t(r.tgid));
        s.bind(2, s64(r.startNs));
        s.bind(3, int64_t(r.ppid));
        s.bindText(4, r.comm);
        s.bindText(5, r.filename);
        s.bindText(6, r.argvJson);
        s.bindText(7, r.cwd);
        s.bind(8, s64(r.execKtimeNs));
        if (!s.run())
            return fail(m_db.lastError());
        if (sqlite3_changes(m_db.handle()) > 0)
            return true;
        ProcessRow copy = r; // a second exec, or a process we saw no fork of
        copy.id = 0;
        copy.exitKtimeNs.reset();
        copy.exitCode.reset();
        copy.signal.reset();
        return insertProcess(copy);
    }
    case ProcessRow::Op::Exit: {
        auto &s = stmt(ExitProcess);
        s.bind(1, int64_t(r.tgid));
        s.bind(2, s64(r.startNs));
        s.bind(3, s64(r.exitKtimeNs.value_or(0)));
        s.bind(4, int64_t(r.exitCode.value_or(0)));
        s.bind(5, int64_t(r.signal.value_or(0)));
        return s.run() || fail(m_db.lastError());
    }
    }
    return false;
}

bool Recording::insertHttp(HttpRow &r)
{
    auto &s = stmt(InsHttp);
    bindId(s, 1, r.id);
    s.bind(2, int64_t(r.tgid));
    s.bind(3, s64(r.conn));
    s.bind(4, int64_t(r.fd));
    s.bind(5, int64_t(r.streamId));
    s.bind(6, s64(r.sequence));
    s.bindText(7, r.method);
    s.bindText(8, r.authority);
    s.bindText(9, r.target);
    s.bind(10, int64_t(r.status));
    s.bind(11, s64(r.startNs));
    s.bind(12, s64(r.endNs));
    s.bind(13, int64_t(r.complete));
    s.bindText(14, r.error);
    s.bindText(15, r.detailJson);
    if (!s.run())
        return fail(m_db.lastError());
    r.id = m_db.lastInsertId();
    return true;
}

bool Recording::insertLlm(LlmRow &r)
{
    auto &s = stmt(InsLlm);
    bindId(s, 1, r.id);
    if (r.httpId)
        s.bind(2, *r.httpId);
    else
        s.bindNull(2);
    s.bind(3, int64_t(r.tgid));
    s.bind(4, s64(r.conn));
    s.bind(5, int64_t(r.streamId));
    s.bind(6, s64(r.sequence));
    s.bind(7, s64(r.startNs));
    s.bind(8, s64(r.endNs));
    s.bindText(9, r.provider);
    s.bindText(10, r.api);
    s.bindText(11, r.model);
    s.bind(12, r.inputTokens);
    s.bind(13, r.outputTokens);
    s.bindOptional(14, r.costUsd);
    s.bind(15, int64_t(r.toolCalls));
    s.bindText(16, r.detailJson);
    if (!s.run())
        return fail(m_db.lastError());
    r.id = m_db.lastInsertId();
    return true;
}

bool Recording::insertLink(LinkRow &r)
{
    auto &s = stmt(InsLink);
    bindId(s, 1, r.id);
    s.bindText(2, r.kind);
    s.bindText(3, r.fromRef);
    s.bindText(4, r.toRef);
    s.bind(5, r.confidence);
    s.bindText(6, r.reasonsJson);
    s.bind(7, s64(r.ktimeNs));
    if (!s.run())
        return fail(m_db.lastError());
    r.id = m_db.lastInsertId();
    return true;
}

bool Recording::insertFinding(FindingRow &r)
{
    auto &s = stmt(InsFinding);
    bindId(s, 1, r.id);
    s.bindText(2, r.kind);
    s.bindText(3, r.severity);
    s.bindText(4, r.subjectsJson);
    s.bind(5, r.confidence);
    s.bindText(6, r.reasonsJson);
    s.bindText(7, r.summary);
    s.bind(8, s64(r.ktimeNs));
    if (!s.run())
        return fail(m_db.lastError());
    r.id = m_db.lastInsertId();
    return true;
}

bool Recording::addDrop(const DropRow &r)
{
    auto &s = stmt(AddDrop);
    s.bindText(1, r.origin);
    s.bind(2, int64_t(r.source));
    s.bind(3, s64(r.count));
    return s.run() || fail(m_db.lastError());
}

bool Recording::setDrop(const DropRow &r)
{
    auto &s = stmt(SetDrop);
    s.bindText(1, r.origin);
    s.bind(2, int64_t(r.source));
    s.bind(3, s64(r.count));
    return s.run() || fail(m_db.lastError());
}

std::vector<MetaRow> Recording::meta()
{
    std::vector<MetaRow> out;
    SqliteStatement s(m_db, "SELECT key, value, typeof(value) FROM meta ORDER BY key");
    while (s.valid() && s.step()) {
        MetaRow m;
        m.key = s.columnText(0);
        const std::string t = s.columnText(2);
        if (t == "integer") {
            m.kind = MetaRow::Kind::Int;
            m.number = s.columnInt(1);
        } else if (t == "blob") {
            m.kind = MetaRow::Kind::Blob;
            m.text = std::string(s.columnBlob(1));
        } else {
            m.text = s.columnText(1);
        }
        out.push_back(std::move(m));
    }
    if (!s.valid() || s.failed())
        fail(m_db.lastError());
    return out;
}

std::optional<std::string> Recording::metaText(const std::string &key)
{
    SqliteStatement s(m_db, "SELECT value FROM meta WHERE key = ?1");
    s.bindText(1, key);
    if (!s.valid() || !s.step())
        return std::nullopt;
    return std::string(s.columnBlob(0));
}

std::optional<int64_t> Recording::metaInt(const std::string &key)
{
    SqliteStatement s(m_db, "SELECT value FROM meta WHERE key = ?1 AND typeof(value) = 'integer'");
    s.bindText(1, key);
    if (!s.valid() || !s.step())
        return std::nullopt;
    return s.columnInt(0);
}

bool Recording::forEachEvent(const std::function<bool(const EventRow &)> &fn)
{
    SqliteStatement s(m_db, "SELECT id, type, flags, ktime, seq, tgid, tid, source, raw FROM events ORDER BY id");
    if (!s.valid())
        return fail(s.prepareError());
    EventRow r;
    while (s.step()) {
        r.id = s.columnInt(0);
        r.type = uint16_t(s.columnInt(1));
        r.flags = uint16_t(s.columnInt(2));
        r.ktimeNs = uint64_t(s.columnInt(3));
        r.seq = uint64_t(s.columnInt(4));
        r.tgid = uint32_t(s.columnInt(5));
        r.tid = uint32_t(s.columnInt(6));
        r.source = uint32_t(s.columnInt(7));
        r.raw.assign(s.columnBlob(8));
        if (!fn(r))
            return true;
    }
    return !s.failed() || fail("reading events: " + m_db.lastError());
}

bool Recording::forEachProcess(const std::function<bool(const ProcessRow &)> &fn)
{
    SqliteStatement s(m_db,
                      "SELECT id, tgid, start_ns, ppid, comm, filename, argv, cwd, exec_ktime, exit_ktime, exit_code, "
                      "signal FROM processes ORDER BY id");
    if (!s.valid())
        return fail(s.prepareError());
    while (s.step()) {
        ProcessRow r;
        r.id = s.columnInt(0);
        r.tgid = uint32_t(s.columnInt(1));
        r.startNs = uint64_t(s.columnInt(2));
        r.ppid = uint32_t(s.columnInt(3));
        r.comm = s.columnText(4);
        r.filename = s.columnText(5);
        r.argvJson = s.columnText(6);
        r.cwd = s.columnText(7);
        r.execKtimeNs = uint64_t(s.columnInt(8));
        if (!s.columnIsNull(9))
            r.exitKtimeNs = uint64_t(s.columnInt(9));
        if (!s.columnIsNull(10))
            r.exitCode = int32_t(s.columnInt(10));
        if (!s.columnIsNull(11))
            r.signal = int32_t(s.columnInt(11));
        if (!fn(r))
            return true;
    }
    return !s.failed() || fail("reading processes: " + m_db.lastError());
}

bool Recording::forEachHttp(const std::function<bool(const HttpRow &)> &fn)
{
    SqliteStatement s(m_db,
                      "SELECT id, tgid, conn, fd, stream_id, sequence, method, authority, target, status, start_ns, "
                      "end_ns, complete, error, detail FROM http_exchanges ORDER BY id");
    if (!s.valid())
        return fail(s.prepareError());
    while (s.step()) {
        HttpRow r;
        r.id = s.columnInt(0);
        r.tgid = uint32_t(s.columnInt(1));
        r.conn = uint64_t(s.columnInt(2));
        r.fd = int32_t(s.columnInt(3));
        r.streamId = uint32_t(s.columnInt(4));
        r.sequence = uint64_t(s.columnInt(5));
        r.method = s.columnText(6);
        r.authority = s.columnText(7);
        r.target = s.columnText(8);
        r.status = int32_t(s.columnInt(9));
        r.startNs = uint64_t(s.columnInt(10));
        r.endNs = uint64_t(s.columnInt(11));
        r.complete = s.columnInt(12) != 0;
        r.error = s.columnText(13);
        r.detailJson = s.columnText(14);
        if (!fn(r))
            return true;
    }
    return !s.failed() || fail("reading http exchanges: " + m_db.lastError());
}

bool Recording::forEachLlm(const std::function<bool(const LlmRow &)> &fn)
{
    SqliteStatement s(m_db,
                      "SELECT id, http_id, tgid, conn, stream_id, sequence, start_ns, end_ns, provider, api, model, "
                      "input_tokens, output_tokens, cost_usd, tool_calls, detail FROM llm_exchanges ORDER BY id");
    if (!s.valid())
        return fail(s.prepareError());
    while (s.step()) {
        LlmRow r;
        r.id = s.columnInt(0);
        if (!s.columnIsNull(1))
            r.httpId = s.columnInt(1);
        r.tgid = uint32_t(s.columnInt(2));
        r.conn = uint64_t(s.columnInt(3));
        r.streamId = uint32_t(s.columnInt(4));
        r.sequence = uint64_t(s.columnInt(5));
        r.startNs = uint64_t(s.columnInt(6));
        r.endNs = uint64_t(s.columnInt(7));
        r.provider = s.columnText(8);
        r.api = s.columnText(9);
        r.model = s.columnText(10);
        r.inputTokens = s.columnInt(11);
        r.outputTokens = s.columnInt(12);
        if (!s.columnIsNull(13))
            r.costUsd = s.columnDouble(13);
        r.toolCalls = int32_t(s.columnInt(14));
        r.detailJson = s.columnText(15);
        if (!fn(r))
            return true;
    }
    return !s.failed() || fail("reading llm exchanges: " + m_db.lastError());
}

std::vector<ProcessRow> Recording::processes()
{
    std::vector<ProcessRow> out;
    forEachProcess([&](const ProcessRow &r) {
        out.push_back(r);
        return true;
    });
    return out;
}

std::vector<LlmRow> Recording::llmExchanges()
{
    std::vector<LlmRow> out;
    forEachLlm([&](const LlmRow &r) {
        out.push_back(r);
        return true;
    });
    return out;
}

std::vector<HttpRow> Recording::httpExchanges()
{
    std::vector<HttpRow> out;
    forEachHttp([&](const HttpRow &r) {
        out.push_back(r);
        return true;
    });
    return out;
}

std::vector<LinkRow> Recording::links()
{
    std::vector<LinkRow> out;
    SqliteStatement s(m_db, "SELECT id, kind, from_ref, to_ref, confidence, reasons, ktime FROM links ORDER BY id");
    while (s.valid() && s.step()) {
        LinkRow r;
        r.id = s.columnInt(0);
        r.kind = s.columnText(1);
        r.fromRef = s.columnText(2);
        r.toRef = s.columnText(3);
        r.confidence = s.columnDouble(4);
        r.reasonsJson = s.columnText(5);
        r.ktimeNs = uint64_t(s.columnInt(6));
        out.push_back(std::move(r));
    }
    if (!s.valid() || s.failed())
        fail("reading links: " + m_db.lastError());
    return out;
}

std::vector<FindingRow> Recording::findings()
{
    std::vector<FindingRow> out;
    SqliteStatement s(m_db, "SELECT id, kind, severity, subjects, confidence, reasons, summary, ktime FROM findings "
                            "ORDER BY id");
    while (s.valid() && s.step()) {
        FindingRow r;
        r.id = s.columnInt(0);
        r.kind = s.columnText(1);
        r.severity = s.columnText(2);
        r.subjectsJson = s.columnText(3);
        r.confidence = s.columnDouble(4);
        r.reasonsJson = s.columnText(5);
        r.summary = s.columnText(6);
        r.ktimeNs = uint64_t(s.columnInt(7));
        out.push_back(std::move(r));
    }
    if (!s.valid() || s.failed())
        fail("reading findings: " + m_db.lastError());
    return out;
}

std::vector<DropRow> Recording::drops()
{
    std::vector<DropRow> out;
    SqliteStatement s(m_db, "SELECT origin, source, count FROM drops ORDER BY origin, source");
    while (s.valid() && s.step())
        out.push_back({s.columnText(0), uint32_t(s.columnInt(1)), uint64_t(s.columnInt(2))});
    if (!s.valid() || s.failed())
        fail("reading drops: " + m_db.lastError());
    return out;
}

int64_t Recording::count(const std::string &table)
{
    static const char *const known[] = {"meta", "events", "processes", "http_exchanges", "llm_exchanges",
                                        "links", "findings", "drops"};
    for (const char *k : known) {
        if (table == k) {
            const std::string sql = "SELECT count(*) FROM " + table;
            return m_db.queryInt(sql.c_str(), &m_error).value_or(-1);
        }
    }
    return -1;
}

} // namespace agentsight::store
