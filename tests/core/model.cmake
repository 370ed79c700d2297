# SPDX-License-Identifier: GPL-2.0-or-later
# Process model (app/core/model): pid reuse, snapshots, parking, fd tables,
# DNS names, agents and conversations, caps and their counters.
agentsight_add_core_test(tst_model ${CMAKE_CURRENT_LIST_DIR}/tst_model.cpp)
