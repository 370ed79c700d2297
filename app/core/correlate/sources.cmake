# SPDX-License-Identifier: GPL-2.0-or-later
# Causal links: tool calls of LLM responses -> the actions they caused;
# actions nobody asked for -> unexplained.
list(APPEND AGENTSIGHT_CORE_SOURCES
  correlate/action_match.cpp
  correlate/correlation_engine.cpp
  correlate/noise_rules.cpp
  correlate/pipeline_correlator.cpp
  correlate/result_collector.cpp
  correlate/shell_words.cpp
  correlate/tool_intent.cpp
)
