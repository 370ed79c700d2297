// SPDX-License-Identifier: GPL-2.0-or-later
#include "library_search.h"

#include <algorithm>
#include <dirent.h>
#include <fstream>
#include <sys/stat.h>

namespace agentsight::helper {

namespace {

std::vector<std::string> splitColon(const std::string &s)
{
    std::vector<std::string> out;
    size_t pos = 0;
    while (pos <= s.size()) {
        const size_t c = s.find(':', pos);
        std::string part = s.substr(pos, c == std::string::npos ? std::string::npos : c - pos);
        if (!part.empty())
            out.push_back(std::move(part));
        if (c == std::string::npos)
            break;
        pos = c + 1;
    }
    return out;
}

void readConf(const std::string &root, const std::string &file, std::vector<std::string> &dirs, int depth)
{
    std::ifstream in(root + file);
    std::string line;
    while (std::getline(in, line)) {
        if (auto hash = line.find('#'); hash != std::string::npos)
            line.resize(hash);
        while (!line.empty() && (line.back() == ' ' || line.back() == '\t' || line.back() == '\r'))
            line.pop_back();
        if (line.empty())
            continue;
        if (line.rfind("include ", 0) == 0) {
            /* Only the Debian form "include /etc/ld.so.conf.d/ *.conf". */
            if (depth > 0)
                continue;
            std::string pattern = line.substr(8);
            const auto slash = pattern.rfind('/');
            if (slash == std::string::npos)
                continue;
            const std::string dir = pattern.substr(0, slash);
            std::vector<std::string> names;
            if (DIR *d = opendir((root + dir).c_str())) {
                while (dirent *e = readdir(d)) {
                    const std::string n = e->d_name;
                    if (n.size() > 5 && n.ends_with(".conf"))
                        names.push_back(n);
                }
                closedir(d);
            }
            std::sort(names.begin(), names.end()); /* glob order */
            for (const auto &n : names)
                readConf(root, dir + "/" + n, dirs, depth + 1);
        } else if (line[0] == '/') {
            dirs.push_back(line);
        }
    }
}

} // namespace

LibrarySearch::LibrarySearch(std::string root, const std::string &ldLibraryPath)
    : m_root(std::move(root)), m_envDirs(splitColon(ldLibraryPath))
{
    readConf(m_root, "/etc/ld.so.conf", m_systemDirs, 0);
    for (const char *d : {"/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib64", "/usr/lib64", "/lib", "/usr/lib"})
        m_systemDirs.emplace_back(d);
}

bool LibrarySearch::exists(const std::string &path) const
{
    struct stat st;
    return ::stat((m_root + path).c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

std::optional<std::string> LibrarySearch::find(const std::string &soname, const std::string &objectPath,
                                               const std::string &runPath) const
{
    if (soname.find('/') != std::string::npos)
        return exists(soname) ? std::optional<std::string>(soname) : std::nullopt;

    std::vector<std::string> dirs = m_envDirs;
    const std::string origin = objectPath.substr(0, objectPath.rfind('/'));
    for (std::string d : splitColon(runPath)) {
        for (const char *tok : {"$ORIGIN", "${ORIGIN}"}) {
            const std::string t = tok;
            for (size_t p; (p = d.find(t)) != std::string::npos;)
                d.replace(p, t.size(), origin);
        }
        if (d.find('$') == std::string::npos) /* $LIB, $PLATFORM: not expanded */
            dirs.push_back(d);
    }
    dirs.insert(dirs.end(), m_systemDirs.begin(), m_systemDirs.end());
    for (const auto &d : dirs) {
        const std::string candidate = d + "/" + soname;
        if (exists(candidate))
            return candidate;
    }
    return std::nullopt;
}

} // namespace agentsight::helper
