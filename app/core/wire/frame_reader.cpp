// SPDX-License-Identifier: GPL-2.0-or-later
#include "frame_reader.h"

#include <cstring>

namespace agentsight::wire {

FrameReader::FrameReader(Handler handler, uint32_t maxFrame) : m_handler(std::move(handler)), m_max(maxFrame) {}

bool FrameReader::fail(std::string msg)
{
    if (m_error.empty())
        m_error = std::move(msg);
    m_buf.clear();
    m_pos = 0;
    return false;
}

bool FrameReader::handle(uint16_t kind, std::string_view payload)
{
    if (!m_helloSeen) {
        if (kind == AS_FRAME_ERROR) {
            // A helper refusing us (wrong uid, busy) speaks before any hello.
            m_handler(Frame{kind, payload});
            return fail("the helper refused the connection");
        }
        if (kind != AS_FRAME_HELLO || payload.size() < sizeof(as_hello))
            return fail("not an AgentSight helper: the stream does not start with a hello frame");
        std::memcpy(&m_hello, payload.data(), sizeof m_hello);
        if (m_hello.magic != AS_PROTO_MAGIC)
            return fail("not an AgentSight helper: bad magic");
        if (m_hello.proto_major != AS_PROTO_MAJOR)
            return fail("the helper speaks protocol " + std::to_string(m_hello.proto_major) + "." +
                        std::to_string(m_hello.proto_minor) + "; this app needs " + std::to_string(AS_PROTO_MAJOR) +
                        ".x — install matching versions");
        if (m_hello.schema_major != AS_SCHEMA_MAJOR)
            return fail("the helper's record schema " + std::to_string(m_hello.schema_major) + " is not " +
                        std::to_string(AS_SCHEMA_MAJOR));
        m_helloSeen = true;
    } else if (kind == AS_FRAME_HELLO) {
        return fail("a second hello frame in one stream");
    }
    m_handler(Frame{kind, payload});
    return true;
}

bool FrameReader::feed(std::string_view bytes)
{
    if (failed())
        return false;
    // Compact before appending so the buffer never holds more than one
    // partial frame plus the new piece.
    if (m_pos > 0 && m_pos == m_buf.size()) {
        m_buf.clear();
        m_pos = 0;
    } else if (m_pos > (1u << 20)) {
        m_buf.erase(0, m_pos);
        m_pos = 0;
    }
    m_buf.append(bytes.data(), bytes.size());
    while (m_buf.size() - m_pos >= sizeof(as_frame_header)) {
        as_frame_header h;
        std::memcpy(&h, m_buf.data() + m_pos, sizeof h);
        if (h.length > m_max)
            return fail("frame of " + std::to_string(h.length) + " bytes exceeds the limit of " + std::to_string(m_max));
        if (h.flags != 0)
            return fail("frame with unknown flags " + std::to_string(h.flags));
        if (m_buf.size() - m_pos < sizeof h + h.length)
            break;
        std::string_view payload(m_buf.data() + m_pos + sizeof h, h.length);
        m_pos += sizeof h + h.length;
        if (!handle(h.kind, payload))
            return false;
    }
    return true;
}

bool forEachRecord(std::string_view payload, const std::function<void(std::string_view)> &fn, std::string *error)
{
    size_t off = 0;
    while (off < payload.size()) {
        if (payload.size() - off < sizeof(as_event_header)) {
            if (error)
                *error = "truncated record header at offset " + std::to_string(off);
            return false;
        }
        as_event_header h;
        std::memcpy(&h, payload.data() + off, sizeof h);
        if (h.size < sizeof h || h.size > payload.size() - off) {
            if (error)
                *error = "record at offset " + std::to_string(off) + " claims " + std::to_string(h.size) + " bytes";
            return false;
        }
        fn(payload.substr(off, h.size));
        off += h.size;
    }
    return true;
}

std::string encodeFrame(uint16_t kind, std::string_view payload)
{
    as_frame_header h{uint32_t(payload.size()), kind, 0};
    std::string out(reinterpret_cast<const char *>(&h), sizeof h);
    out.append(payload.data(), payload.size());
    return out;
}

} // namespace agentsight::wire
