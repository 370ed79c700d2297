// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/**
 * @brief Entry point of the protocol decoders: TLS plaintext chunks in,
 * HttpExchanges out (to an HttpSink), per connection.
 *
 * Per connection and direction it reassembles each TLS call from its chunks
 * (call_id/offset/total_len) and turns missing records and `dropped` bytes
 * into explicit gaps. From the first bytes it decides the traced process's
 * role (client or server) and the protocol: the HTTP/2 client preface, an
 * HTTP/1.x request line, otherwise "unknown" (capture began mid-stream, or
 * not HTTP), which is reported and then only resynchronised at an HTTP/1
 * message start, never decoded into garbage. HTTP/2 frames without a
 * preface are reported as an HPACK desync.
 *
 * Single-threaded; all sink calls happen inside feed/closeConnection/finish.
 */
#include "decode/decode_limits.h"
#include "decode/http_sink.h"
#include "decode/tls_chunk.h"

#include <list>
#include <map>
#include <memory>

namespace agentsight::decode {

class TlsDecoder {
public:
    explicit TlsDecoder(HttpSink &sink, DecodeLimits limits = {});
    ~TlsDecoder();
    TlsDecoder(const TlsDecoder &) = delete;
    TlsDecoder &operator=(const TlsDecoder &) = delete;

    void feed(const TlsChunk &chunk);
    /// The connection is gone (SSL_free/close seen, or process exit).
    void closeConnection(const ConnKey &conn, uint64_t ktimeNs = 0);
    /// End of capture: close every connection.
    void finish();

    const DecodeStats &stats() const { return m_stats; }
    const DecodeLimits &limits() const { return m_limits; }
    size_t openConnections() const { return m_conns.size(); }

    struct Connection; // internal

private:
    Connection &connection(const TlsChunk &chunk);

    HttpSink &m_sink;
    DecodeLimits m_limits;
    DecodeStats m_stats;
    std::map<ConnKey, std::unique_ptr<Connection>> m_conns;
    std::list<ConnKey> m_lru; ///< least recently fed first: O(1) eviction at maxConnections
};

} // namespace agentsight::decode
