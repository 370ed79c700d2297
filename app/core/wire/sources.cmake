# SPDX-License-Identifier: GPL-2.0-or-later
list(APPEND AGENTSIGHT_CORE_SOURCES wire/frame_reader.cpp wire/event.cpp)
