# SPDX-License-Identifier: GPL-2.0-or-later
# LLM API decoders: decode::HttpExchange -> llm::LlmExchange (+ prices).
list(APPEND AGENTSIGHT_CORE_SOURCES
  llm/anthropic_decoder.cpp
  llm/exchange_builder.cpp
  llm/gemini_decoder.cpp
  llm/json_fields.cpp
  llm/llm_decoder.cpp
  llm/llm_exchange.cpp
  llm/openai_chat_decoder.cpp
  llm/openai_responses_decoder.cpp
  llm/price_table.cpp
)
