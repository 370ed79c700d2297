// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/**
 * @brief What TlsDecoder hands a connection's reassembled byte streams to, once
 * it knows the protocol: HTTP/1.x or HTTP/2. Directions are protocol roles
 * (client -> server), already corrected when the traced process is a server.
 */
#include "decode/decode_limits.h"
#include "decode/http_sink.h"
#include "decode/redact.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace agentsight::decode {

/** Shared by a connection's session: where results go and what limits apply. */
struct SessionContext {
    ConnKey conn;
    int fd = -1;
    HttpSink &sink;
    const DecodeLimits &limits;
    DecodeStats &stats;

    void emit(HttpExchange &ex, bool complete)
    {
        // Redaction is idempotent and cheap (a few header compares), so doing
        // it at every emit guarantees no path leaks an unredacted header.
        if (limits.redactSecrets) {
            redactMessage(ex.request);
            if (ex.response)
                redactMessage(*ex.response);
        }
        ex.conn = conn;
        if (ex.socketFd < 0)
            ex.socketFd = fd;
        ex.complete = complete;
        if (complete) {
            ++stats.exchanges;
            if (!ex.error.empty())
                ++stats.exchangeErrors;
        }
        sink.exchangeUpdated(ex, complete);
    }
    void note(const std::string &text) { sink.connectionNote(conn, text); }
};

class ProtocolSession {
public:
    virtual ~ProtocolSession() = default;
    /// callStart: the bytes begin a TLS call (a likely message boundary).
    virtual void data(bool fromClient, std::string_view bytes, uint64_t ktimeNs, bool callStart) = 0;
    /// `bytes` of one direction were never captured.
    virtual void gap(bool fromClient, uint64_t bytes, uint64_t ktimeNs) = 0;
    /// The connection ended: finish everything, emit every open exchange as complete.
    virtual void close(uint64_t ktimeNs) = 0;
};

} // namespace agentsight::decode
