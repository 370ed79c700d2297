// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/**
 * @brief Thin RAII over libsqlite3: one connection, prepared statements with
 * typed binds. Only what the recording needs; errors come back as text with
 * SQLite's own message so a user can act on them.
 */
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace agentsight::store {

class SqliteDb {
public:
    SqliteDb() = default;
    ~SqliteDb();
    SqliteDb(const SqliteDb &) = delete;
    SqliteDb &operator=(const SqliteDb &) = delete;

    /// readOnly: SQLITE_OPEN_READONLY; otherwise created when missing.
    bool open(const std::string &path, bool readOnly, std::string *error);
    void close();
    bool exec(const char *sql, std::string *error = nullptr);
    sqlite3 *handle() const { return m_db; }
    std::string lastError() const;
    int64_t lastInsertId() const;
    /// First column of the first row as integer (PRAGMA values), nullopt on error/none.
    std::optional<int64_t> queryInt(const char *sql, std::string *error = nullptr);

private:
    sqlite3 *m_db = nullptr;
};

class SqliteStatement {
public:
    SqliteStatement() = default;
    SqliteStatement(SqliteDb &db, const char *sql);
    ~SqliteStatement();
    SqliteStatement(SqliteStatement &&o) noexcept;
    SqliteStatement &operator=(SqliteStatement &&o) noexcept;
    SqliteStatement(const SqliteStatement &) = delete;
    SqliteStatement &operator=(const SqliteStatement &) = delete;

    bool valid() const { return m_stmt != nullptr; }
    const std::string &prepareError() const { return m_error; }
    // Binds are 1-based, as in SQLite.
    void bind(int i, int64_t v);
    void bind(int i, double v);
    void bindText(int i, std::string_view v);
    void bindBlob(int i, std::string_view v);
    void bindNull(int i);
    void bindOptional(int i, const std::optional<double> &v);
    /// Step once: true while a row is available (SQLITE_ROW).
    bool step();
    /// Step a write statement to completion; false on error. Resets for reuse.
    bool run();
    void reset();
    bool failed() const { return m_failed; }

    int64_t columnInt(int i) const;
    double columnDouble(int i) const;
    bool columnIsNull(int i) const;
    std::string columnText(int i) const;
    std::string_view columnBlob(int i) const;

private:
    sqlite3_stmt *m_stmt = nullptr;
    std::string m_error;
    bool m_failed = false;
};

} // namespace agentsight::store
