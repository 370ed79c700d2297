// SPDX-License-Identifier: GPL-2.0-or-later
#include "proc_maps.h"

#include <cinttypes>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <sys/sysmacros.h>

namespace agentsight::helper {

std::string ExecMapping::mapFilesPath(uint32_t pid) const
{
    char buf[96];
    std::snprintf(buf, sizeof buf, "/proc/%u/map_files/%" PRIx64 "-%" PRIx64, pid, start, end);
    return buf;
}

std::vector<ExecMapping> parseExecMappings(std::string_view text)
{
    std::vector<ExecMapping> out;
    while (!text.empty()) {
        const size_t nl = text.find('\n');
        const std::string line(text.substr(0, nl));
        text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);

        uint64_t start = 0, end = 0, offset = 0, ino = 0;
        unsigned major = 0, minor = 0;
        char perms[8] = {};
        int pathPos = -1;
        if (std::sscanf(line.c_str(), "%" SCNx64 "-%" SCNx64 " %7s %" SCNx64 " %x:%x %" SCNu64 " %n",
                        &start, &end, perms, &offset, &major, &minor, &ino, &pathPos) < 7
            || pathPos < 0)
            continue;
        if (std::string_view(perms).find('x') == std::string_view::npos || ino == 0)
            continue;
        std::string path = line.substr(static_cast<size_t>(pathPos));
        if (path.empty() || path[0] != '/')
            continue;
        ExecMapping m;
        static constexpr std::string_view kDeleted = " (deleted)";
        if (path.size() > kDeleted.size() && path.ends_with(kDeleted)) {
            path.resize(path.size() - kDeleted.size());
            m.deleted = true;
        }
        m.start = start;
        m.end = end;
        m.dev = makedev(major, minor);
        m.ino = ino;
        m.path = std::move(path);
        out.push_back(std::move(m));
    }
    return out;
}

std::vector<ExecMapping> readExecMappings(uint32_t pid)
{
    std::ifstream in("/proc/" + std::to_string(pid) + "/maps");
    if (!in)
        return {};
    std::stringstream ss;
    ss << in.rdbuf();
    return parseExecMappings(ss.str());
}

} // namespace agentsight::helper
