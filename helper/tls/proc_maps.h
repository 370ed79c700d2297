// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * proc_maps.h - the executable file mappings of a process, from
 * /proc/PID/maps.
 *
 * Test use: parseExecMappings(text) on a captured maps text; readExecMappings(pid).
 */
#ifndef AGENTSIGHT_HELPER_TLS_PROC_MAPS_H
#define AGENTSIGHT_HELPER_TLS_PROC_MAPS_H

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace agentsight::helper {

struct ExecMapping
{
    uint64_t start = 0;
    uint64_t end = 0;
    uint64_t dev = 0; /* userspace encoding (makedev), comparable to st_dev */
    uint64_t ino = 0;
    std::string path; /* as the process sees it; " (deleted)" suffix removed */
    bool deleted = false;
    /* /proc/PID/map_files/START-END: opens exactly the mapped file. */
    std::string mapFilesPath(uint32_t pid) const;
};

/* File-backed mappings with 'x' permission, one per line, in maps order.
 * Malformed lines are skipped. Anonymous and [special] mappings are not
 * files and are left out. */
std::vector<ExecMapping> parseExecMappings(std::string_view mapsText);
std::vector<ExecMapping> readExecMappings(uint32_t pid);

} // namespace agentsight::helper

#endif
