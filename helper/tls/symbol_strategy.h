// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * symbol_strategy.h - TLS functions found by name: OpenSSL-compatible
 * SSL_read / SSL_write / SSL_read_ex / SSL_write_ex in .dynsym or .symtab.
 *
 * Covers the system libssl.so.3 (curl, python), node (exports its static
 * OpenSSL) and any unstripped static OpenSSL/BoringSSL. Each function found
 * yields two sites: an entry probe and a return probe.
 *
 * Test use: SymbolStrategy s; auto sites = s.resolve(path, *ElfFile::open(path, &err));
 */
#ifndef AGENTSIGHT_HELPER_TLS_SYMBOL_STRATEGY_H
#define AGENTSIGHT_HELPER_TLS_SYMBOL_STRATEGY_H

#include "tls_strategy.h"

namespace agentsight::helper {

class SymbolStrategy final : public TlsStrategy
{
public:
    std::string name() const override { return "symbols"; }
    std::optional<std::vector<TlsProbeSite>> resolve(const std::string &path, ElfFile &elf) override;
};

} // namespace agentsight::helper

#endif
