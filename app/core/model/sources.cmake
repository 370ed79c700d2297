# SPDX-License-Identifier: GPL-2.0-or-later
# Process model: pid-reuse-safe process tree, fd tables, DNS names, agent
# sessions; turns capture records into normalised actions for correlate/.
list(APPEND AGENTSIGHT_CORE_SOURCES
  model/action.cpp
  model/dns_query.cpp
  model/path_resolve.cpp
  model/process_tree.cpp
)
