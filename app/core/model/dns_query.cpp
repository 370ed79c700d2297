// SPDX-License-Identifier: GPL-2.0-or-later
#include "dns_query.h"

namespace agentsight::model {

std::optional<DnsQuestion> decodeDnsQuestion(std::string_view m)
{
    // RFC 1035 4.1.1: 12-byte header, QDCOUNT at offset 4, QR bit 0x80 of byte 2.
    if (m.size() < 12)
        return std::nullopt;
    const auto u8 = [&](size_t i) { return uint8_t(m[i]); };
    if (u8(2) & 0x80) // a response, not a query
        return std::nullopt;
    if (((u8(4) << 8) | u8(5)) == 0)
        return std::nullopt;
    DnsQuestion q;
    size_t i = 12;
    for (;;) {
        if (i >= m.size())
            return std::nullopt;
        const uint8_t len = u8(i++);
        if (len == 0)
            break;
        if (len > 63 || i + len > m.size())
            return std::nullopt; // also rejects pointers (0xc0..)
        if (!q.name.empty())
            q.name += '.';
        for (size_t k = 0; k < len; ++k) {
            char c = m[i + k];
            if (c >= 'A' && c <= 'Z')
                c = char(c - 'A' + 'a');
            q.name += c;
        }
        if (q.name.size() > 253)
            return std::nullopt;
        i += len;
    }
    if (q.name.empty() || i + 2 > m.size())
        return std::nullopt;
    q.qtype = uint16_t((u8(i) << 8) | u8(i + 1));
    return q;
}

} // namespace agentsight::model
