// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/**
 * @brief One HTTP/1.x connection: a request parser and a response parser,
 * responses paired with requests first-in first-out (keep-alive and
 * pipelining), 1xx interim responses skipped, 101/CONNECT ending HTTP.
 * At most DecodeLimits::maxPendingRequests requests wait for a response;
 * the oldest beyond that is given up with an error (counted).
 *
 * After a 101 upgrade to WebSocket the exchange stays open and collects the
 * messages (WebSocketDecoder) until the connection ends; other upgrades
 * (h2c, CONNECT tunnels) are counted, not decoded.
 */
#include "decode/body_decoder.h"
#include "decode/http1_parser.h"
#include "decode/protocol_session.h"
#include "decode/websocket_decoder.h"

#include <deque>
#include <memory>

namespace agentsight::decode {

class Http1Session : public ProtocolSession {
public:
    /// startBroken: capture began mid-stream; wait for a request/response start.
    Http1Session(SessionContext &ctx, bool requestSideBroken, bool responseSideBroken);
    ~Http1Session() override;

    void data(bool fromClient, std::string_view bytes, uint64_t ktimeNs, bool callStart) override;
    void gap(bool fromClient, uint64_t bytes, uint64_t ktimeNs) override;
    void close(uint64_t ktimeNs) override;

private:
    struct Entry {
        HttpExchange ex;
        std::unique_ptr<BodyDecoder> requestBody;
        std::unique_ptr<BodyDecoder> responseBody;
        bool requestDone = false;
        bool responseDone = false;
        std::unique_ptr<WebSocketDecoder> ws;
    };
    class RequestSide;
    class ResponseSide;
    friend class RequestSide;
    friend class ResponseSide;

    void maybeFinish(Entry *e);
    void finishEntry(Entry *e);
    void parkUpgraded(Entry *e);
    void upgradedBytes(bool fromClient, std::string_view bytes, uint64_t ktimeNs);
    void upgradedGap(bool fromClient, uint64_t bytes, uint64_t ktimeNs);

    SessionContext &m_ctx;
    std::deque<std::unique_ptr<Entry>> m_queue; ///< oldest first
    Entry *m_request = nullptr;  ///< request being parsed
    Entry *m_response = nullptr; ///< response being parsed
    Entry *m_websocket = nullptr;  ///< the 101 exchange collecting WebSocket messages
    std::unique_ptr<Entry> m_websocketOwned; ///< it, once its 101 response is complete
    uint64_t m_sequence = 0;
    std::unique_ptr<RequestSide> m_requestSide;
    std::unique_ptr<ResponseSide> m_responseSide;
    Http1Parser m_requestParser;
    Http1Parser m_responseParser;
};

} // namespace agentsight::decode
