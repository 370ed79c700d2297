# SPDX-License-Identifier: GPL-2.0-or-later
# Qt item models of the desktop app (app/core/models): filter parser, tree,
# conversation, events table, timeline - each under QAbstractItemModelTester.
agentsight_add_core_test(tst_models ${CMAKE_CURRENT_LIST_DIR}/tst_models.cpp)
target_include_directories(tst_models PRIVATE ${CMAKE_CURRENT_LIST_DIR})
