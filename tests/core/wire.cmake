# SPDX-License-Identifier: GPL-2.0-or-later
# Wire protocol and record layouts (owner: app/core/wire).
agentsight_add_core_test(tst_wire ${CMAKE_CURRENT_LIST_DIR}/tst_wire.cpp)
agentsight_add_core_test(tst_wire_layout ${CMAKE_CURRENT_LIST_DIR}/tst_wire_layout.cpp)
if(TARGET agentsight_helper_common)
  agentsight_add_core_test(tst_helper_options ${CMAKE_CURRENT_LIST_DIR}/tst_helper_options.cpp)
  target_link_libraries(tst_helper_options PRIVATE agentsight_helper_common)
  target_link_libraries(tst_wire PRIVATE agentsight_helper_common)
  target_compile_definitions(tst_wire PRIVATE AGENTSIGHT_HAVE_HELPER_COMMON=1)
endif()
