// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/**
 * @brief Where the decoders deliver their results. Called synchronously from
 * TlsDecoder::feed()/closeConnection()/finish(), on the caller's thread.
 */
#include "decode/http_exchange.h"

#include <string>

namespace agentsight::decode {

class HttpSink {
public:
    virtual ~HttpSink() = default;
    /**
     * An exchange was created or grew: request head, request complete,
     * response head, new SSE events, response complete. The same exchange
     * (same conn + streamId + sequence) is reported repeatedly; the call with
     * complete == true is the last one for it. Copy what you keep.
     */
    virtual void exchangeUpdated(const HttpExchange &exchange, bool complete) = 0;
    /** Something about a connection that is not one exchange: "not HTTP", gaps, GOAWAY. */
    virtual void connectionNote(const ConnKey &conn, const std::string &note) = 0;
};

} // namespace agentsight::decode
