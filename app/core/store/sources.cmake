# SPDX-License-Identifier: GPL-2.0-or-later
# Recordings: SQLite file (schema, writer thread, replay, JSON lines transfer).
list(APPEND AGENTSIGHT_CORE_SOURCES
  store/correlation_recorder.cpp
  store/jsonl_transfer.cpp
  store/recording.cpp
  store/recording_event_source.cpp
  store/recording_schema.cpp
  store/recording_writer.cpp
  store/row_builders.cpp
  store/secret_scrub.cpp
  store/sqlite_db.cpp
)
# The schema version lives once, in the top CMakeLists.txt.
set_source_files_properties(${CMAKE_CURRENT_LIST_DIR}/recording_schema.cpp PROPERTIES
  COMPILE_DEFINITIONS AGENTSIGHT_RECORDING_SCHEMA=${AGENTSIGHT_RECORDING_SCHEMA})
