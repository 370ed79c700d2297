# SPDX-License-Identifier: GPL-2.0-or-later
# Unprivileged unit tests of the helper's pieces (owner: helper/).
if(TARGET agentsight_helper_tls)
  agentsight_add_core_test(tst_tls_resolver ${CMAKE_CURRENT_LIST_DIR}/tst_tls_resolver.cpp)
  target_link_libraries(tst_tls_resolver PRIVATE agentsight_helper_tls)
endif()
