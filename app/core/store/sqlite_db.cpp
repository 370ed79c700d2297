// SPDX-License-Identifier: GPL-2.0-or-later
#include "store/sqlite_db.h"

#include <sqlite3.h>

#include <utility>

namespace agentsight::store {

SqliteDb::~SqliteDb()
{
    close();
}

bool SqliteDb::open(const std::string &path, bool readOnly, std::string *error)
{
    close();
    const int flags = readOnly ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    // NOMUTEX: each connection is used by one thread at a time (the writer
    // thread owns its own); the library's own locking would only cost time.
    if (sqlite3_open_v2(path.c_str(), &m_db, flags | SQLITE_OPEN_NOMUTEX, nullptr) != SQLITE_OK) {
        if (error)
            *error = m_db ? sqlite3_errmsg(m_db) : "out of memory";
        close();
        return false;
    }
    sqlite3_busy_timeout(m_db, 5000);
    return true;
}

void SqliteDb::close()
{
    if (m_db) {
        sqlite3_close_v2(m_db);
        m_db = nullptr;
    }
}

bool SqliteDb::exec(const char *sql, std::string *error)
{
    char *msg = nullptr;
    if (sqlite3_exec(m_db, sql, nullptr, nullptr, &msg) != SQLITE_OK) {
        if (error)
            *error = msg ? msg : "unknown SQLite error";
        sqlite3_free(msg);
        return false;
    }
    return true;
}

std::string SqliteDb::lastError() const
{
    return m_db ? sqlite3_errmsg(m_db) : "no database";
}

int64_t SqliteDb::lastInsertId() const
{
    return sqlite3_last_insert_rowid(m_db);
}

std::optional<int64_t> SqliteDb::queryInt(const char *sql, std::string *error)
{
    SqliteStatement st(*this, sql);
    if (!st.valid()) {
        if (error)
            *error = st.prepareError();
        return std::nullopt;
    }
    if (!st.step()) {
        if (error && st.failed())
            *error = lastError();
        return std::nullopt;
    }
    return st.columnInt(0);
}

SqliteStatement::SqliteStatement(SqliteDb &db, const char *sql)
{
    if (sqlite3_prepare_v3(db.handle(), sql, -1, SQLITE_PREPARE_PERSISTENT, &m_stmt, nullptr) != SQLITE_OK) {
        m_error = db.lastError();
        m_stmt = nullptr;
    }
}

SqliteStatement::~SqliteStatement()
{
    sqlite3_finalize(m_stmt);
}

SqliteStatement::SqliteStatement(SqliteStatement &&o) noexcept
    : m_stmt(std::exchange(o.m_stmt, nullptr)), m_error(std::move(o.m_error)), m_failed(o.m_failed)
{
}

SqliteStatement &SqliteStatement::operator=(SqliteStatement &&o) noexcept
{
    if (this != &o) {
        sqlite3_finalize(m_stmt);
        m_stmt = std::exchange(o.m_stmt, nullptr);
        m_error = std::move(o.m_error);
        m_failed = o.m_failed;
    }
    return *this;
}

void SqliteStatement::bind(int i, int64_t v)
{
    sqlite3_bind_int64(m_stmt, i, v);
}

void SqliteStatement::bind(int i, double v)
{
    sqlite3_bind_double(m_stmt, i, v);
}

void SqliteStatement::bindText(int i, std::string_view v)
{
    sqlite3_bind_text64(m_stmt, i, v.data(), v.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
}

void SqliteStatement::bindBlob(int i, std::string_view v)
{
    // Zero-length blobs must stay blobs, not NULL: pass a valid pointer.
    static const char empty = 0;
    sqlite3_bind_blob64(m_stmt, i, v.empty() ? &empty : v.data(), v.size(), SQLITE_TRANSIENT);
}

void SqliteStatement::bindNull(int i)
{
    sqlite3_bind_null(m_stmt, i);
}

void SqliteStatement::bindOptional(int i, const std::optional<double> &v)
{
    if (v)
        bind(i, *v);
    else
        bindNull(i);
}

bool SqliteStatement::step()
{
    const int rc = sqlite3_step(m_stmt);
    if (rc == SQLITE_ROW)
        return true;
    if (rc != SQLITE_DONE)
        m_failed = true;
    return false;
}

bool SqliteStatement::run()
{
    const int rc = sqlite3_step(m_stmt);
    sqlite3_reset(m_stmt);
    sqlite3_clear_bindings(m_stmt);
    return rc == SQLITE_DONE || rc == SQLITE_ROW;
}

void SqliteStatement::reset()
{
    sqlite3_reset(m_stmt);
    sqlite3_clear_bindings(m_stmt);
    m_failed = false;
}

int64_t SqliteStatement::columnInt(int i) const
{
    return sqlite3_column_int64(m_stmt, i);
}

double SqliteStatement::columnDouble(int i) const
{
    return sqlite3_column_double(m_stmt, i);
}

bool SqliteStatement::columnIsNull(int i) const
{
    return sqlite3_column_type(m_stmt, i) == SQLITE_NULL;
}

std::string SqliteStatement::columnText(int i) const
{
    const unsigned char *t = sqlite3_column_text(m_stmt, i);
    return t ? std::string(reinterpret_cast<const char *>(t), size_t(sqlite3_column_bytes(m_stmt, i))) : std::string();
}

std::string_view SqliteStatement::columnBlob(int i) const
{
    const void *b = sqlite3_column_blob(m_stmt, i);
    return b ? std::string_view(static_cast<const char *>(b), size_t(sqlite3_column_bytes(m_stmt, i))) : std::string_view();
}

} // namespace agentsight::store
