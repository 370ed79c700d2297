// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/**
 * @brief Resumable HTTP/1.x message parser for ONE direction of a connection
 * (requests or responses). Feed it bytes split anywhere; it reports heads,
 * de-chunked body bytes, trailers and completion to a Handler.
 *
 * Framing per RFC 9112: Transfer-Encoding chunked (with trailers) wins over
 * Content-Length; responses without either run until close; the Handler
 * decides HEAD/1xx/204/304 (no body) and 101/CONNECT (upgrade). Caps from
 * DecodeLimits bound the start line, each header line, the header section
 * and the header count; violating input is an error, never a crash.
 *
 * After an error or an uncaptured gap that breaks framing the parser is
 * "broken": it ignores bytes until a TLS call starts with something that
 * looks like a start line (requests: "GET /", responses: "HTTP/1.1 "), which
 * is where a new message most likely starts (resync). Limit: a message that
 * starts mid-call after a gap is lost.
 */
#include "decode/decode_limits.h"
#include "decode/http_exchange.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace agentsight::decode {

class Http1Parser {
public:
    enum class Kind { Request, Response };
    enum class HeadAction {
        Normal,
        NoBody,   ///< HEAD response, 204, 304
        Interim,  ///< 1xx (not 101): no body, the final response follows
        Upgrade,  ///< 101 / CONNECT 2xx: after this head the stream is another protocol
    };

    class Handler {
    public:
        virtual ~Handler() = default;
        /// Start line + headers parsed. Response handlers choose the framing.
        virtual HeadAction onHead(HttpMessage &&head) = 0;
        virtual void onBody(std::string_view bytes, uint64_t ktimeNs) = 0;
        virtual void onBodyGap(uint64_t bytes) = 0;
        virtual void onComplete(std::vector<Header> &&trailers, uint64_t ktimeNs) = 0;
        /// The current message (if any) failed; the parser is now resyncing.
        virtual void onError(const std::string &why, uint64_t ktimeNs) = 0;
        /// Bytes after an upgrade, or ignored while broken.
        virtual void onOtherBytes(std::string_view bytes, uint64_t ktimeNs, bool upgraded) = 0;
        /// Bytes lost after an upgrade.
        virtual void onUpgradedGap(uint64_t bytes, uint64_t ktimeNs) { (void)bytes; (void)ktimeNs; }
    };

    Http1Parser(Kind kind, const DecodeLimits &limits, Handler &handler)
        : m_kind(kind), m_limits(limits), m_handler(handler) {}

    /// callStart: these bytes begin a TLS read/write call (resync point).
    void data(std::string_view bytes, uint64_t ktimeNs, bool callStart);
    /// `bytes` of this direction were never captured.
    void gap(uint64_t bytes, uint64_t ktimeNs);
    /// The connection ended: completes a close-delimited body.
    void close(uint64_t ktimeNs);
    /// Start broken (capture began mid-stream): wait for a resync point.
    void startBroken() { m_state = State::Broken; }
    /// A request carrying Upgrade waits for the response's verdict before
    /// its following bytes are read as HTTP (they may already be WebSocket).
    void resolveUpgrade(bool upgraded, uint64_t ktimeNs);

    bool inMessage() const;
    bool upgraded() const { return m_state == State::Upgraded; }
    /// The last error hit a message whose start line had been seen (so a
    /// message existed and was lost), as opposed to bytes between messages.
    bool lastErrorInMessage() const { return m_lastErrorInMessage; }

private:
    enum class State { Idle, Head, Length, ChunkSize, ChunkData, ChunkEnd, Trailers, UntilClose,
                       AwaitUpgrade, Upgraded, Broken };

    void parseHead(uint64_t ktimeNs);
    bool parseHeaderLine(std::string_view line, std::vector<Header> &into, std::string &err);
    void complete(uint64_t ktimeNs);
    void fail(const std::string &why, uint64_t ktimeNs);
    /// Reads one line into m_line; true when complete (without CR/LF).
    bool takeLine(std::string_view &d, uint64_t ktimeNs);

    Kind m_kind;
    const DecodeLimits &m_limits;
    Handler &m_handler;
    State m_state = State::Idle;
    std::string m_head;      ///< start line + headers so far (capped)
    std::string m_line;      ///< chunk-size / chunk end / trailer line (capped)
    bool m_checked = false;  ///< start line sniffed as plausible
    bool m_resyncing = false; ///< current head came from a resync attempt
    bool m_lastErrorInMessage = false;
    bool m_upgradeAfter = false;  ///< after this message: Upgraded
    bool m_awaitAfter = false;    ///< after this request: wait for the upgrade verdict
    uint64_t m_remaining = 0;
    size_t m_trailerBytes = 0;
    std::vector<Header> m_trailers;
    std::string m_held;      ///< bytes held in AwaitUpgrade (capped)
    uint64_t m_heldNs = 0;
};

} // namespace agentsight::decode
