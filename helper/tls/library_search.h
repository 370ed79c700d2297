// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * library_search.h - where ld.so would find a DT_NEEDED soname, approximated
 * from outside the process.
 *
 * Order close to ld.so(8): LD_LIBRARY_PATH, the object's DT_RUNPATH (or
 * DT_RPATH; ld.so would search an RPATH before LD_LIBRARY_PATH and inherit it
 * to dependencies, we do neither), the directories of /etc/ld.so.conf(.d),
 * then the defaults. ld.so.cache itself is not read (its directories come
 * from the .conf files); hwcaps subdirectories and $LIB/$PLATFORM are not
 * expanded; "include" lines nest one level only.
 * A miss only means the library is probed later, when it is mapped.
 *
 * All paths are in the process's view; `root` (e.g. "/proc/PID/root") is
 * prefixed to open them.
 */
#ifndef AGENTSIGHT_HELPER_TLS_LIBRARY_SEARCH_H
#define AGENTSIGHT_HELPER_TLS_LIBRARY_SEARCH_H

#include <optional>
#include <string>
#include <vector>

namespace agentsight::helper {

class LibrarySearch
{
public:
    /* root: prefix to reach the process's filesystem; ldLibraryPath: its
     * LD_LIBRARY_PATH (empty if unset). */
    LibrarySearch(std::string root, const std::string &ldLibraryPath);

    /* Path (process view) of `soname` needed by an object at `objectPath`
     * with the given DT_RUNPATH/DT_RPATH; nullopt when not found. */
    std::optional<std::string> find(const std::string &soname, const std::string &objectPath,
                                    const std::string &runPath) const;

    const std::string &root() const { return m_root; }

private:
    bool exists(const std::string &path) const;
    std::string m_root;
    std::vector<std::string> m_envDirs;
    std::vector<std::string> m_systemDirs;
};

} // namespace agentsight::helper

#endif
