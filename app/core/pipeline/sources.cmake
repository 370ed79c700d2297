# SPDX-License-Identifier: GPL-2.0-or-later
# The live pipeline: records -> events, HTTP and LLM exchanges -> sinks.
list(APPEND AGENTSIGHT_CORE_SOURCES
  pipeline/capture_counters.cpp
  pipeline/capture_session.cpp
  pipeline/helper_socket_source.cpp
  pipeline/memory_event_source.cpp
)
