// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tls_strategy.h - the plug-in point for "how do we find the TLS functions
 * of this binary".
 *
 * A strategy looks at one ELF file and answers with probe sites: file
 * offsets plus which BPF program (api, entry/return) belongs there. The
 * first strategy is "symbols" (exported or unstripped SSL_* symbols). Issue 6
 * adds more behind the same interface: stripped BoringSSL found by
 * error-site analysis, rustls/aws-lc AEAD seal/open, Go crypto/tls. A
 * strategy must be pure (same file -> same answer): results are cached per
 * file identity by TlsResolver.
 */
#ifndef AGENTSIGHT_HELPER_TLS_TLS_STRATEGY_H
#define AGENTSIGHT_HELPER_TLS_TLS_STRATEGY_H

#include "agentsight_events.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace agentsight::helper {

class ElfFile;

struct TlsProbeSite
{
    std::string function; /* for logs: "SSL_read", "EVP_AEAD_CTX_seal", ... */
    uint64_t fileOffset = 0; /* what libbpf's uprobe attach takes */
    as_tls_api api = AS_TLS_API_SSL_READ;
    bool isReturn = false; /* uretprobe at the function's entry address */
};

class TlsStrategy
{
public:
    virtual ~TlsStrategy() = default;
    /* Short stable name, sent in AS_EV_TLS_ATTACH ("symbols"). */
    virtual std::string name() const = 0;
    /* nullopt (or an empty list): this strategy finds nothing here, try the
     * next one. `path` is for messages only; read the file through `elf`. */
    virtual std::optional<std::vector<TlsProbeSite>> resolve(const std::string &path, ElfFile &elf) = 0;
};

} // namespace agentsight::helper

#endif
