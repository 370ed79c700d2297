// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/**
 * @brief An AgentSight recording: one SQLite file (WAL mode) holding
 * everything needed to reopen a capture with no helper — the raw records
 * (byte-exact, so a replay through the pipeline reproduces every exchange),
 * processes, HTTP and LLM exchanges, links, findings and drop counts.
 *
 * Identified by PRAGMA application_id 'AGST' and versioned by PRAGMA
 * user_version (= AGENTSIGHT_RECORDING_SCHEMA of the top CMakeLists.txt).
 * Opening a file that is not SQLite, is corrupt, belongs to another
 * application or has a newer schema fails with a message saying which.
 * Older schemas are migrated step by step on open (schema 1 is the first,
 * so today the only step is "create").
 *
 * One Recording = one connection; use it from one thread at a time (the
 * RecordingWriter owns its own on its thread). Large reads stream through
 * callbacks; the list readers are for the small tables.
 */
#include "store/recording_rows.h"
#include "store/sqlite_db.h"

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace agentsight::store {

class Recording {
public:
    enum class Mode {
        Read,   ///< existing recording; migrated if older
        Create, ///< new file; fails when the path already holds data
        Append, ///< existing recording, for adding rows (links, findings, import)
    };
    /// The schema this build writes and the newest it reads.
    static int schemaVersion();
    /// PRAGMA application_id of every recording ("AGST").
    static constexpr int32_t kApplicationId = 0x41475354;

    static std::unique_ptr<Recording> open(const std::string &path, Mode mode, std::string *error);
    ~Recording();

    const std::string &path() const { return m_path; }
    const std::string &lastError() const { return m_error; }
    SqliteDb &db() { return m_db; }

    // ---- writing (callers group rows with begin()/commit()) ----
    bool begin();
    bool commit();
    bool rollback();
    bool setMeta(const MetaRow &row);
    bool insertEvent(EventRow &row);     ///< row.id set (explicit when > 0)
    bool applyProcess(const ProcessRow &row); ///< fork/exec/exit semantics (see ProcessRow)
    bool insertProcess(ProcessRow &row); ///< verbatim (import)
    bool insertHttp(HttpRow &row);
    bool insertLlm(LlmRow &row);
    bool insertLink(LinkRow &row);
    bool insertFinding(FindingRow &row);
    bool addDrop(const DropRow &row);    ///< adds to the stored count
    bool setDrop(const DropRow &row);    ///< replaces (import)

    // ---- reading ----
    std::vector<MetaRow> meta();
    std::optional<std::string> metaText(const std::string &key);
    std::optional<int64_t> metaInt(const std::string &key);
    /// In insert order; stop early by returning false. False on a read error.
    bool forEachEvent(const std::function<bool(const EventRow &)> &fn);
    bool forEachProcess(const std::function<bool(const ProcessRow &)> &fn);
    bool forEachHttp(const std::function<bool(const HttpRow &)> &fn);
    bool forEachLlm(const std::function<bool(const LlmRow &)> &fn);
    std::vector<ProcessRow> processes();
    std::vector<LlmRow> llmExchanges();
    std::vector<HttpRow> httpExchanges();
    std::vector<LinkRow> links();
    std::vector<FindingRow> findings();
    std::vector<DropRow> drops();
    /// Rows in a table of this schema; -1 on error or unknown table.
    int64_t count(const std::string &table);

private:
    Recording() = default;
    bool prepare();
    bool fail(const std::string &what);
    SqliteStatement &stmt(int which);

    std::string m_path;
    std::string m_error;
    SqliteDb m_db;
    std::vector<SqliteStatement> m_stmts;
};

} // namespace agentsight::store
