// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/**
 * @brief Resumable reader of the helper's socket stream (agentsight_protocol.h).
 *
 * Bytes arrive in arbitrary pieces; feed() consumes what it can and keeps the
 * rest. The first frame must be a valid HELLO of our protocol major; any
 * violation (bad magic, newer major, oversized or unknown frame) puts the
 * reader in a sticky error state with a message — the connection is then
 * unusable, as with a corrupt capture file.
 */
#include "agentsight_protocol.h"

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace agentsight::wire {

struct Frame {
    uint16_t kind = 0;
    std::string_view payload; ///< valid only during the callback
};

class FrameReader {
public:
    using Handler = std::function<void(const Frame &)>;
    explicit FrameReader(Handler handler, uint32_t maxFrame = AS_FRAME_MAX);

    /// Returns false once the stream is broken (see error()).
    bool feed(std::string_view bytes);
    bool failed() const { return !m_error.empty(); }
    const std::string &error() const { return m_error; }
    bool helloSeen() const { return m_helloSeen; }
    const as_hello &hello() const { return m_hello; }
    /// Bytes held waiting for the rest of a frame (bounded by maxFrame).
    size_t buffered() const { return m_buf.size() - m_pos; }

private:
    bool fail(std::string msg);
    bool handle(uint16_t kind, std::string_view payload);

    Handler m_handler;
    uint32_t m_max;
    std::string m_buf;
    size_t m_pos = 0;
    bool m_helloSeen = false;
    as_hello m_hello{};
    std::string m_error;
};

/// Splits an AS_FRAME_EVENTS payload into records. Returns false (error set)
/// at the first record whose size is impossible; records before it were
/// delivered.
bool forEachRecord(std::string_view payload, const std::function<void(std::string_view)> &fn, std::string *error);

/// Encodes one frame (used by tests, replay and the client's control frames).
std::string encodeFrame(uint16_t kind, std::string_view payload);

} // namespace agentsight::wire
