# SPDX-License-Identifier: GPL-2.0-or-later
# Tests of app/core/decode (protocol decoders). Fixtures: tests/data/http.
foreach(t tst_http1_decoder tst_http2_decoder tst_sse_parser tst_content_decoder tst_decode_properties tst_redact tst_websocket)
  agentsight_add_core_test(${t} ${CMAKE_CURRENT_LIST_DIR}/${t}.cpp)
endforeach()

# Throughput / memory benchmark: built, not registered as a test (timing-dependent).
add_executable(bench_decode ${CMAKE_CURRENT_LIST_DIR}/bench_decode.cpp)
target_link_libraries(bench_decode PRIVATE agentsight_core)
