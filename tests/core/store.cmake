# SPDX-License-Identifier: GPL-2.0-or-later
# Pipeline (app/core/pipeline) and recordings (app/core/store).
agentsight_add_core_test(tst_pipeline ${CMAKE_CURRENT_LIST_DIR}/tst_pipeline.cpp)
target_include_directories(tst_pipeline PRIVATE ${CMAKE_CURRENT_LIST_DIR})
agentsight_add_core_test(tst_store ${CMAKE_CURRENT_LIST_DIR}/tst_store.cpp)
target_include_directories(tst_store PRIVATE ${CMAKE_CURRENT_LIST_DIR})
# Benchmark, not a test: taskset -c 1 ./tests/bench_store [N]
add_executable(bench_store ${CMAKE_CURRENT_LIST_DIR}/bench_store.cpp)
target_link_libraries(bench_store PRIVATE agentsight_core)
target_include_directories(bench_store PRIVATE ${CMAKE_CURRENT_LIST_DIR})
target_compile_definitions(bench_store PRIVATE AGENTSIGHT_TEST_DATA="${AGENTSIGHT_TEST_DATA}")
