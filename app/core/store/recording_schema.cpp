// SPDX-License-Identifier: GPL-2.0-or-later
#include "store/recording_schema.h"

#ifndef AGENTSIGHT_RECORDING_SCHEMA
#error "AGENTSIGHT_RECORDING_SCHEMA must come from the top CMakeLists.txt (store/sources.cmake passes it)"
#endif

namespace agentsight::store::schema {

namespace {

// Step 0 -> 1: the first schema. Column meanings: docs/RECORDING.md.
// Only the columns a report or a replay filters on are indexed: every index
// costs insert rate on the live path (goal >= 200 k events/s).
const char *const kStep1 = R"sql(
CREATE TABLE meta(key TEXT PRIMARY KEY, value) WITHOUT ROWID;
CREATE TABLE events(
  id INTEGER PRIMARY KEY, type INTEGER NOT NULL, flags INTEGER NOT NULL, ktime INTEGER NOT NULL,
  seq INTEGER NOT NULL, tgid INTEGER NOT NULL, tid INTEGER NOT NULL, source INTEGER NOT NULL,
  raw BLOB NOT NULL);
CREATE TABLE processes(
  id INTEGER PRIMARY KEY, tgid INTEGER NOT NULL, start_ns INTEGER NOT NULL, ppid INTEGER NOT NULL,
  comm TEXT NOT NULL, filename TEXT NOT NULL, argv TEXT NOT NULL, cwd TEXT NOT NULL,
  exec_ktime INTEGER NOT NULL, exit_ktime INTEGER, exit_code INTEGER, signal INTEGER);
CREATE INDEX processes_key ON processes(tgid, start_ns);
CREATE TABLE http_exchanges(
  id INTEGER PRIMARY KEY, tgid INTEGER NOT NULL, conn INTEGER NOT NULL, fd INTEGER NOT NULL,
  stream_id INTEGER NOT NULL, sequence INTEGER NOT NULL, method TEXT NOT NULL, authority TEXT NOT NULL,
  target TEXT NOT NULL, status INTEGER NOT NULL, start_ns INTEGER NOT NULL, end_ns INTEGER NOT NULL,
  complete INTEGER NOT NULL, error TEXT NOT NULL, detail TEXT NOT NULL);
CREATE TABLE llm_exchanges(
  id INTEGER PRIMARY KEY, http_id INTEGER REFERENCES http_exchanges(id), tgid INTEGER NOT NULL,
  conn INTEGER NOT NULL, stream_id INTEGER NOT NULL, sequence INTEGER NOT NULL,
  start_ns INTEGER NOT NULL, end_ns INTEGER NOT NULL, provider TEXT NOT NULL, api TEXT NOT NULL,
  model TEXT NOT NULL, input_tokens INTEGER NOT NULL, output_tokens INTEGER NOT NULL, cost_usd REAL,
  tool_calls INTEGER NOT NULL, detail TEXT NOT NULL);
CREATE INDEX llm_exchanges_model ON llm_exchanges(model);
CREATE INDEX llm_exchanges_tgid ON llm_exchanges(tgid, start_ns);
CREATE TABLE links(
  id INTEGER PRIMARY KEY, kind TEXT NOT NULL, from_ref TEXT NOT NULL, to_ref TEXT NOT NULL,
  confidence REAL NOT NULL, reasons TEXT NOT NULL, ktime INTEGER NOT NULL);
CREATE INDEX links_from ON links(from_ref);
CREATE INDEX links_to ON links(to_ref);
CREATE TABLE findings(
  id INTEGER PRIMARY KEY, kind TEXT NOT NULL, severity TEXT NOT NULL, subjects TEXT NOT NULL,
  confidence REAL NOT NULL, reasons TEXT NOT NULL, summary TEXT NOT NULL, ktime INTEGER NOT NULL);
CREATE TABLE drops(origin TEXT NOT NULL, source INTEGER NOT NULL, count INTEGER NOT NULL,
  PRIMARY KEY(origin, source)) WITHOUT ROWID;
)sql";

struct Step {
    int to;
    const char *sql;
};
// Append a step for every schema bump; never edit a released one.
const Step kSteps[] = {{1, kStep1}};

} // namespace

int current()
{
    return AGENTSIGHT_RECORDING_SCHEMA;
}

bool migrate(SqliteDb &db, int from, std::string *error)
{
    for (const Step &s : kSteps) {
        if (s.to <= from)
            continue;
        if (s.to > current())
            break;
        if (!db.exec("BEGIN IMMEDIATE", error))
            return false;
        const std::string bump = "PRAGMA user_version = " + std::to_string(s.to);
        if (!db.exec(s.sql, error) || !db.exec(bump.c_str(), error)) {
            db.exec("ROLLBACK");
            if (error)
                *error = "migrating the recording to schema " + std::to_string(s.to) + ": " + *error;
            return false;
        }
        if (!db.exec("COMMIT", error))
            return false;
    }
    return true;
}

} // namespace agentsight::store::schema
