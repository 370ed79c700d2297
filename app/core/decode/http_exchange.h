// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/**
 * @brief What the protocol decoders hand to the LLM decoders and the store:
 * one HTTP request/response pair (HTTP/1.1 message pair or one HTTP/2 stream),
 * plus its SSE events or WebSocket messages, with kernel timestamps.
 *
 * Plain std types on purpose: the decoders are fuzzed standalone and must not
 * depend on Qt. Everything here came from captured (untrusted) bytes, and
 * secrets have already been redacted (see decode/redact.h) when a sink sees it.
 */
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace agentsight::decode {

/** A TLS connection inside one process: tgid + the SSL* (or ctx) pointer. */
struct ConnKey {
    uint32_t tgid = 0;
    uint64_t conn = 0;
    bool operator==(const ConnKey &o) const { return tgid == o.tgid && conn == o.conn; }
    bool operator<(const ConnKey &o) const { return tgid != o.tgid ? tgid < o.tgid : conn < o.conn; }
};

struct Header {
    std::string name;  ///< lower-cased (HTTP/2 style), e.g. "content-type"
    std::string value;
};

/** One Server-Sent Event, stamped with the ktime of the chunk that completed it. */
struct SseEvent {
    std::string event;  ///< "message" when the stream gave no event: field
    std::string data;   ///< data: lines joined with '\n'
    std::string id;
    uint64_t ktimeNs = 0;
};

struct WsMessage {
    bool fromClient = false;
    int opcode = 0;     ///< 1 text, 2 binary, 8 close, 9 ping, 10 pong
    std::string payload;  ///< unmasked, defragmented, inflated (permessage-deflate)
    bool truncated = false;
    uint64_t ktimeNs = 0;
};

struct HttpMessage {
    // request line
    std::string method;   ///< "POST"
    std::string target;   ///< path + query, e.g. "/v1/messages?beta=true" (key= redacted)
    std::string authority; ///< Host header or :authority
    std::string scheme;   ///< "https" for captured TLS
    // status line
    int status = 0;       ///< responses only
    std::string version;  ///< "HTTP/1.1", "HTTP/2"
    std::vector<Header> headers;
    std::vector<Header> trailers;
    /// Body after de-chunking and Content-Encoding, capped (see bodyTruncated).
    std::string body;
    uint64_t wireBodyBytes = 0;   ///< body bytes as they crossed the wire
    uint64_t decodedBodyBytes = 0; ///< full decoded size, even when body was capped
    bool bodyTruncated = false;   ///< body holds only the first part (cap hit / bomb)
    std::string decodeError;      ///< e.g. "gzip: invalid stored block lengths"
    uint64_t startNs = 0;         ///< first byte of the message seen
    uint64_t firstBodyNs = 0;     ///< first body byte (first token of a stream)
    uint64_t endNs = 0;           ///< message complete
    std::vector<SseEvent> sse;    ///< filled when content-type is text/event-stream
    // Added by the decoders: every loss is visible on the message it hit.
    uint64_t gapBytes = 0;          ///< body bytes never captured (TLS record drops)
    bool bodyOmitted = false;       ///< binary body not kept (DecodeLimits::keepBinaryBodies)
    uint64_t sseEventsDropped = 0;  ///< events beyond DecodeLimits::maxSseEvents
    uint64_t sseEventsTruncated = 0; ///< events whose data was cut at maxSseEventBytes

    /// First header value by lower-case name, or nullptr.
    const std::string *header(const std::string &lowerName) const
    {
        for (const auto &h : headers)
            if (h.name == lowerName)
                return &h.value;
        return nullptr;
    }
};

/** One request and (once it arrived) its response. */
struct HttpExchange {
    ConnKey conn;
    int socketFd = -1;         ///< from the TLS records, for mapping to the connect() address
    uint32_t streamId = 0;     ///< HTTP/2 stream id; 0 for HTTP/1.x
    uint64_t sequence = 0;     ///< order of requests on this connection, from 0
    HttpMessage request;
    std::optional<HttpMessage> response;
    std::vector<WsMessage> websocket; ///< after a 101 upgrade
    bool complete = false;     ///< response fully received (or connection ended)
    std::string error;         ///< protocol error / reset / desync explanation
    uint64_t websocketDropped = 0; ///< messages beyond DecodeLimits::maxWsMessages
};

} // namespace agentsight::decode
