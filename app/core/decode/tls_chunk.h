// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/**
 * @brief One piece of TLS plaintext as the decoders receive it: the payload of
 * one AS_EV_TLS_DATA record (see bpf/include/agentsight_events.h), already
 * mapped to plain C++ by the wire reader. The bytes are not owned.
 */
#include "decode/http_exchange.h"

#include <cstdint>
#include <string_view>

namespace agentsight::decode {

struct TlsChunk {
    ConnKey conn;
    int fd = -1;
    /// true when the traced process WROTE these bytes (AS_TLS_WRITE). The traced
    /// agent is normally the HTTP client; TlsDecoder detects when it is a server.
    bool fromClient = true;
    uint64_t ktimeNs = 0;
    uint64_t callId = 0;     ///< one SSL_read/SSL_write call; its chunks share it
    uint32_t offset = 0;     ///< where data starts within the call
    uint32_t totalLen = 0;   ///< bytes the call returned
    uint32_t dropped = 0;    ///< bytes of the call never captured (last chunk only)
    std::string_view data;
};

} // namespace agentsight::decode
