// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/**
 * @brief One HTTP/2 connection (RFC 9113) seen from outside: both directions'
 * frames are parsed, header blocks (HEADERS/PUSH_PROMISE + CONTINUATION) are
 * decoded by one HPACK inflater per direction (nghttp2_hd_inflate_*), DATA is
 * reassembled per stream, each stream becomes one HttpExchange.
 *
 * HPACK is stateful: a missed header block makes every later one undecodable.
 * So a connection seen without its preface, an inflate error, or a gap outside
 * a DATA payload ends decoding for the connection with an explicit "HPACK
 * desync" error instead of guessing. A gap inside a DATA payload only marks
 * that body. SETTINGS_HEADER_TABLE_SIZE is applied when the peer ACKs it.
 * Bounded: DecodeLimits::maxH2Streams open streams, non-DATA frame payloads
 * up to maxH2FrameBytes (larger header frames are a desync, others skipped).
 */
#include "decode/body_decoder.h"
#include "decode/protocol_session.h"

#include <deque>
#include <map>
#include <memory>

struct nghttp2_hd_inflater;

namespace agentsight::decode {

class Http2Session : public ProtocolSession {
public:
    /// midStream: the capture began after the preface; report the desync, decode nothing.
    Http2Session(SessionContext &ctx, bool midStream);
    ~Http2Session() override;

    void data(bool fromClient, std::string_view bytes, uint64_t ktimeNs, bool callStart) override;
    void gap(bool fromClient, uint64_t bytes, uint64_t ktimeNs) override;
    void close(uint64_t ktimeNs) override;

private:
    struct Stream {
        HttpExchange ex;
        std::unique_ptr<BodyDecoder> requestBody;
        std::unique_ptr<BodyDecoder> responseBody;
        bool requestEnded = false;
    };
    struct Direction {
        bool client = false;
        size_t prefaceLeft = 0;
        nghttp2_hd_inflater *inflater = nullptr;
        std::deque<uint32_t> sentTableSizes; ///< SETTINGS_HEADER_TABLE_SIZE awaiting the peer's ACK
        // current frame
        uint8_t hdr[9] = {};
        size_t hdrHave = 0;
        bool inFrame = false;
        uint32_t length = 0, stream = 0, got = 0;
        uint8_t type = 0, flags = 0;
        std::string payload;   ///< non-DATA payload (capped)
        bool skipping = false; ///< oversized non-header frame: payload dropped
        int padLength = -1;    ///< DATA: -1 until the pad length byte is read
        uint64_t frameNs = 0;
        // header block in progress (HEADERS/PUSH_PROMISE until END_HEADERS)
        bool inBlock = false;
        bool blockPush = false;
        bool blockEndStream = false;
        uint32_t blockStream = 0;
        std::vector<Header> blockHeaders;
        size_t blockBytes = 0;
        bool blockOverflow = false;
    };

    void frameComplete(Direction &d, uint64_t ktimeNs);
    void dataPayload(Direction &d, std::string_view bytes, uint64_t ktimeNs);
    bool inflate(Direction &d, std::string_view fragment, bool final);
    void headerBlockDone(Direction &d, uint64_t ktimeNs);
    void endStream(Direction &d, uint32_t id, uint64_t ktimeNs);
    void finishStream(uint32_t id, const std::string &error, uint64_t ktimeNs);
    void desync(const std::string &why, uint64_t ktimeNs);

    SessionContext &m_ctx;
    Direction m_dir[2]; ///< [0] server->client, [1] client->server
    std::map<uint32_t, std::unique_ptr<Stream>> m_streams;
    uint64_t m_sequence = 0;
    bool m_dead = false;
};

} // namespace agentsight::decode
