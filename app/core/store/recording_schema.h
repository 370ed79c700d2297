// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/**
 * @brief The recording's tables and the migration steps between schema
 * versions. Each step N -> N+1 is one SQL script applied in a transaction
 * together with its PRAGMA user_version bump, so a crash mid-migration
 * leaves the old version intact.
 */
#include "store/sqlite_db.h"

#include <string>

namespace agentsight::store::schema {

/// AGENTSIGHT_RECORDING_SCHEMA from the top CMakeLists.txt.
int current();
/// Bring a database at version `from` (0 = empty) to current(). Sets user_version.
bool migrate(SqliteDb &db, int from, std::string *error);

} // namespace agentsight::store::schema
