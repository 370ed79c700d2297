// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tls_resolver.h - runs the TLS strategies on a binary once per file
 * identity and remembers the answer, positive or negative.
 *
 * Identity = (st_dev, st_ino, st_size, st_mtim): the same libssl mapped by
 * a hundred processes is parsed once; a binary replaced in place (new inode
 * or new mtime) is parsed again. Negative answers (ld.so, libc, bash: no TLS
 * functions) are cached too, because they are the common case.
 * Bound: at most kMaxEntries identities; when full the cache is emptied
 * (counted in stats().evictions) rather than grown.
 *
 * Test use: TlsResolver r; auto res = r.resolve("/usr/lib/x86_64-linux-gnu/libssl.so.3");
 *           res->strategy == "symbols", res->sites has 8 entries.
 */
#ifndef AGENTSIGHT_HELPER_TLS_TLS_RESOLVER_H
#define AGENTSIGHT_HELPER_TLS_TLS_RESOLVER_H

#include "tls_strategy.h"

#include <compare>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

struct stat;

namespace agentsight::helper {

struct FileIdentity
{
    uint64_t dev = 0;
    uint64_t ino = 0;
    uint64_t size = 0;
    int64_t mtimeNs = 0;
    auto operator<=>(const FileIdentity &) const = default;
    static FileIdentity fromStat(const struct stat &st);
};

struct TlsResolution
{
    FileIdentity id;
    int error = 0;            /* -errno when the file could not be read as ELF */
    std::string strategy;     /* empty: no TLS functions found */
    std::vector<TlsProbeSite> sites;
    /* Kept for the attacher's startup-library walk (DT_NEEDED closure). */
    std::vector<std::string> needed;
    std::string runPath;
    bool hasInterp = false;
    bool hasTls() const { return !sites.empty(); }
};

class TlsResolver
{
public:
    static constexpr size_t kMaxEntries = 4096;

    TlsResolver(); /* with the default strategies, in order: "symbols" */
    ~TlsResolver();
    void addStrategy(std::unique_ptr<TlsStrategy> strategy);

    /* Never null. error != 0 results from open/stat failures are not cached
     * (they may be transient); "not an ELF" is. */
    std::shared_ptr<const TlsResolution> resolve(const std::string &path);

    struct Stats
    {
        uint64_t hits = 0;
        uint64_t misses = 0;
        uint64_t evictions = 0;
        uint64_t lastParseNs = 0; /* wall time of the last cache miss */
    };
    const Stats &stats() const { return m_stats; }

private:
    std::vector<std::unique_ptr<TlsStrategy>> m_strategies;
    std::map<FileIdentity, std::shared_ptr<const TlsResolution>> m_cache;
    Stats m_stats;
};

} // namespace agentsight::helper

#endif
