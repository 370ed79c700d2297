# SPDX-License-Identifier: GPL-2.0-or-later
# LLM API decoders (app/core/llm): golden fixtures, user-facing facts, hostile
# input, price table, and end to end through decode::TlsDecoder.
# Fixtures: tests/data/llm/<provider>/<case>/.
agentsight_add_core_test(tst_llm_fixtures ${CMAKE_CURRENT_LIST_DIR}/tst_llm_fixtures.cpp)
agentsight_add_core_test(tst_llm_robustness ${CMAKE_CURRENT_LIST_DIR}/tst_llm_robustness.cpp)
agentsight_add_core_test(tst_llm_prices ${CMAKE_CURRENT_LIST_DIR}/tst_llm_prices.cpp)
agentsight_add_core_test(tst_llm_pipeline ${CMAKE_CURRENT_LIST_DIR}/tst_llm_pipeline.cpp)
