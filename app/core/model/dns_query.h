// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/**
 * @brief The question of a captured DNS query message (AS_EV_NET_DNS bytes).
 *
 * Only the first question is read (resolvers send one). Limits: compression
 * pointers are rejected (a query has nothing to point back to), names longer
 * than 253 characters or labels longer than 63 are rejected, so hostile bytes
 * yield nullopt, never a crash or an overread.
 */
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace agentsight::model {

struct DnsQuestion {
    std::string name; ///< lower-case, no trailing dot, e.g. "example.com"
    uint16_t qtype = 0; ///< 1 A, 28 AAAA, ...
};

std::optional<DnsQuestion> decodeDnsQuestion(std::string_view message);

} // namespace agentsight::model
