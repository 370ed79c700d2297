// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/**
 * @brief Incremental Server-Sent Events parser following the WHATWG
 * "event stream interpretation" rules: lines end in CRLF, LF or CR (a CRLF
 * split across two feeds is one line end), a leading BOM is dropped, ':'
 * starts a comment, "data" lines join with '\n', "event" sets the type,
 * "id" sets the last event id (ignored if it contains NUL), "retry" and
 * unknown fields are ignored, an empty line dispatches. An event cut off by
 * the end of the stream is discarded, as the spec says.
 *
 * Each event is stamped with the ktime passed with the feed that completed it.
 */
#include "decode/http_exchange.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace agentsight::decode {

class SseParser {
public:
    SseParser(size_t maxEventBytes, size_t maxEvents) : m_maxEventBytes(maxEventBytes), m_maxEvents(maxEvents) {}

    /// Parse more of the stream; complete events are appended to `out`.
    void feed(std::string_view data, uint64_t ktimeNs, std::vector<SseEvent> &out);

    /// Bytes were lost: drop the partial line/event and the first line after the gap.
    void gap();

    uint64_t eventsDropped() const { return m_dropped; }     ///< beyond maxEvents
    uint64_t eventsTruncated() const { return m_truncated; } ///< data cut at maxEventBytes

private:
    void line(std::string_view l, uint64_t ktimeNs, std::vector<SseEvent> &out);
    void appendCapped(std::string &to, std::string_view what);

    size_t m_maxEventBytes;
    size_t m_maxEvents;
    std::string m_line;        ///< partial line carried between feeds
    bool m_lineCut = false;    ///< m_line hit the cap
    bool m_afterCR = false;    ///< last byte seen was CR: a following LF is not a new line
    bool m_firstLine = true;   ///< BOM check pending
    std::string m_data;
    std::string m_event;
    std::string m_lastId;
    bool m_eventCut = false;
    bool m_skipLine = false;   ///< after a gap: the next line starts mid-line
    uint64_t m_dropped = 0;
    uint64_t m_truncated = 0;
};

} // namespace agentsight::decode
