# SPDX-License-Identifier: GPL-2.0-or-later
# Causal-link engine (app/core/correlate): scenario tests over
# tests/data/correlate/*.json (real record layouts + real LLM decoders),
# precision/recall gate, determinism, bounded memory. Plus the benchmark
# (not a ctest): bench_correlate [events].
agentsight_add_core_test(tst_correlate ${CMAKE_CURRENT_LIST_DIR}/tst_correlate.cpp)
agentsight_add_core_test(tst_correlate_intent ${CMAKE_CURRENT_LIST_DIR}/tst_correlate_intent.cpp)
add_executable(bench_correlate ${CMAKE_CURRENT_LIST_DIR}/bench_correlate.cpp)
target_link_libraries(bench_correlate PRIVATE agentsight_core)
