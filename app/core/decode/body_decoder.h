// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/**
 * @brief Turns the wire body of one HTTP message (already de-chunked / taken
 * from DATA frames) into HttpMessage::body, decodedBodyBytes and sse, applying
 * Content-Encoding and every cap in DecodeLimits. Shared by HTTP/1 and HTTP/2.
 */
#include "decode/content_decoder.h"
#include "decode/decode_limits.h"
#include "decode/http_exchange.h"
#include "decode/sse_parser.h"

#include <memory>
#include <optional>

namespace agentsight::decode {

class BodyDecoder {
public:
    /// Reads content-encoding / content-type from msg.headers; msg must outlive this.
    BodyDecoder(HttpMessage &msg, const DecodeLimits &limits, DecodeStats &stats);

    /// Wire body bytes. Returns true if new SSE events were appended to msg.sse.
    bool data(std::string_view wire, uint64_t ktimeNs);
    /// `bytes` of the wire body were never captured.
    void gap(uint64_t bytes);
    /// End of the body: flush the decoder, report a cut-short stream.
    void finish();

private:
    bool decoded(std::string_view d);
    void fail(std::string why);

    HttpMessage &m_msg;
    const DecodeLimits &m_limits;
    DecodeStats &m_stats;
    std::unique_ptr<ContentDecoder> m_decoder;
    std::optional<SseParser> m_sse;
    uint64_t m_ktime = 0;
    bool m_keep = true;
    bool m_broken = false;  ///< decoding stopped (error, gap in a compressed body, work cap)
    bool m_contiguous = true; ///< false after a gap: body keeps only what came before
};

} // namespace agentsight::decode
