# SPDX-License-Identifier: GPL-2.0-or-later
# Qt item models for the desktop app (QtCore only, no widgets): the session
# store they read (SessionData) and the tree, conversation, events, timeline.
list(APPEND AGENTSIGHT_CORE_SOURCES
  models/session_data.cpp
  models/event_filter.cpp
  models/event_table_model.cpp
  models/process_tree_model.cpp
  models/conversation_model.cpp
  models/timeline_model.cpp
)
