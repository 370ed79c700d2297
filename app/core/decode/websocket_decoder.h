// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/**
 * @brief WebSocket (RFC 6455) after an HTTP/1.1 101 upgrade: frames in both
 * directions, client masking, fragmented messages with control frames
 * interleaved, and permessage-deflate (RFC 7692): raw inflate of the joined
 * payload plus the 00 00 ff ff tail, with or without context takeover as
 * negotiated in Sec-WebSocket-Extensions.
 *
 * Bounded: a message keeps at most maxWsMessageBytes (truncated=true after),
 * an exchange at most maxWsMessages (more are counted). Inflating stops at
 * maxDecodedCount per message. A gap outside an uncompressed payload, or any
 * gap in a compressed stream with context takeover, ends decoding of that
 * direction, said once in a note; nothing after it is guessed.
 */
#include "decode/decode_limits.h"
#include "decode/http_exchange.h"

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace agentsight::decode {

class WebSocketDecoder {
public:
    /// extensions: the response's Sec-WebSocket-Extensions value ("" if none).
    WebSocketDecoder(std::string_view extensions, const DecodeLimits &limits);
    ~WebSocketDecoder();

    /// Bytes of one direction; complete messages are appended to `out`.
    /// Returns a note when the direction stops being decodable (else "").
    std::string data(bool fromClient, std::string_view bytes, uint64_t ktimeNs, std::vector<WsMessage> &out,
                     uint64_t &dropped);
    std::string gap(bool fromClient, uint64_t bytes, uint64_t ktimeNs, std::vector<WsMessage> &out, uint64_t &dropped);

    bool deflate() const { return m_deflate; }

private:
    struct Direction;
    std::string fail(Direction &d, std::string why);
    void finishMessage(Direction &d, uint64_t ktimeNs, std::vector<WsMessage> &out, uint64_t &dropped);
    bool payload(Direction &d, std::string_view bytes);

    const DecodeLimits &m_limits;
    bool m_deflate = false;
    std::unique_ptr<Direction> m_dir[2]; ///< [0] server->client, [1] client->server
};

} // namespace agentsight::decode
