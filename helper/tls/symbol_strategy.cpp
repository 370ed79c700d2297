// SPDX-License-Identifier: GPL-2.0-or-later
#include "symbol_strategy.h"

#include "elf_file.h"

namespace agentsight::helper {

namespace {

struct Wanted
{
    const char *name;
    as_tls_api api;
};

constexpr Wanted kFunctions[] = {
    {"SSL_read", AS_TLS_API_SSL_READ},
    {"SSL_write", AS_TLS_API_SSL_WRITE},
    {"SSL_read_ex", AS_TLS_API_SSL_READ_EX},
    {"SSL_write_ex", AS_TLS_API_SSL_WRITE_EX},
};

} // namespace

std::optional<std::vector<TlsProbeSite>> SymbolStrategy::resolve(const std::string &, ElfFile &elf)
{
    std::vector<std::string> names;
    for (const Wanted &w : kFunctions)
        names.emplace_back(w.name);
    const auto found = elf.findFunctions(names);

    std::vector<TlsProbeSite> sites;
    for (const Wanted &w : kFunctions) {
        auto it = found.find(w.name);
        if (it == found.end())
            continue;
        /* A symbol outside any file-backed segment cannot carry a uprobe. */
        const auto offset = elf.fileOffsetOf(it->second);
        if (!offset)
            continue;
        sites.push_back({w.name, *offset, w.api, false});
        sites.push_back({w.name, *offset, w.api, true});
    }
    /* Half a pair of SSL_read/SSL_write would show one direction only and
     * look like a working capture: require both of either API family. */
    const auto has = [&](as_tls_api api) {
        for (const auto &s : sites)
            if (s.api == api)
                return true;
        return false;
    };
    const bool plain = has(AS_TLS_API_SSL_READ) && has(AS_TLS_API_SSL_WRITE);
    const bool ex = has(AS_TLS_API_SSL_READ_EX) && has(AS_TLS_API_SSL_WRITE_EX);
    if (!plain && !ex)
        return std::nullopt;
    return sites;
}

} // namespace agentsight::helper
