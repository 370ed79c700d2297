// SPDX-License-Identifier: GPL-2.0-or-later
#include "tls_resolver.h"

#include "elf_file.h"
#include "symbol_strategy.h"

#include <cerrno>
#include <chrono>
#include <sys/stat.h>

namespace agentsight::helper {

FileIdentity FileIdentity::fromStat(const struct stat &st)
{
    FileIdentity id;
    id.dev = st.st_dev;
    id.ino = st.st_ino;
    id.size = static_cast<uint64_t>(st.st_size);
    id.mtimeNs = static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
    return id;
}

TlsResolver::TlsResolver()
{
    addStrategy(std::make_unique<SymbolStrategy>());
}

TlsResolver::~TlsResolver() = default;

void TlsResolver::addStrategy(std::unique_ptr<TlsStrategy> strategy)
{
    m_strategies.push_back(std::move(strategy));
}

std::shared_ptr<const TlsResolution> TlsResolver::resolve(const std::string &path)
{
    struct stat st;
    if (::stat(path.c_str(), &st) != 0) {
        auto r = std::make_shared<TlsResolution>();
        r->error = -errno;
        return r;
    }
    FileIdentity id = FileIdentity::fromStat(st);
    if (auto it = m_cache.find(id); it != m_cache.end()) {
        ++m_stats.hits;
        return it->second;
    }

    ++m_stats.misses;
    const auto start = std::chrono::steady_clock::now();
    auto r = std::make_shared<TlsResolution>();
    int err = 0;
    auto elf = ElfFile::open(path, &err);
    if (elf) {
        /* Key by what was actually opened, in case the path changed since
         * the stat above. */
        struct stat opened;
        if (::fstat(elf->fd(), &opened) == 0)
            id = FileIdentity::fromStat(opened);
        r->needed = elf->neededLibraries();
        r->runPath = elf->runPath();
        r->hasInterp = elf->hasInterpreter();
        for (auto &strategy : m_strategies) {
            auto sites = strategy->resolve(path, *elf);
            if (sites && !sites->empty()) {
                r->strategy = strategy->name();
                r->sites = std::move(*sites);
                break;
            }
        }
    }
    r->id = id;
    r->error = err;
    m_stats.lastParseNs = static_cast<uint64_t>(
        std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - start).count());

    if (err != 0 && err != -ENOEXEC)
        return r; /* unreadable now: try again next time */
    if (m_cache.size() >= kMaxEntries) {
        m_stats.evictions += m_cache.size();
        m_cache.clear();
    }
    m_cache.emplace(id, r);
    return r;
}

} // namespace agentsight::helper
