// SPDX-License-Identifier: GPL-2.0-or-later
#include "decode/sse_parser.h"

#include <cstring>

namespace agentsight::decode {

void SseParser::appendCapped(std::string &to, std::string_view what)
{
    if (to.size() + what.size() > m_maxEventBytes) {
        what = what.substr(0, m_maxEventBytes > to.size() ? m_maxEventBytes - to.size() : 0);
        m_eventCut = true;
    }
    to.append(what);
}

void SseParser::feed(std::string_view data, uint64_t ktimeNs, std::vector<SseEvent> &out)
{
    size_t pos = 0;
    if (m_afterCR && !data.empty()) {
        if (data[0] == '\n')
            pos = 1; // second half of a CRLF split across feeds
        m_afterCR = false;
    }
    while (pos < data.size()) {
        // memchr-based scan: SSE streams are long runs of text between line ends.
        const char *base = data.data() + pos;
        const size_t left = data.size() - pos;
        const void *lf = std::memchr(base, '\n', left);
        const void *cr = std::memchr(base, '\r', lf ? size_t(static_cast<const char *>(lf) - base) : left);
        const char *end = cr ? static_cast<const char *>(cr) : static_cast<const char *>(lf);
        if (!end) {
            // Partial line: keep it (capped) for the next feed.
            const std::string_view rest(base, left);
            if (m_line.size() + rest.size() > m_maxEventBytes + 16) {
                m_line.append(rest.substr(0, m_maxEventBytes + 16 > m_line.size() ? m_maxEventBytes + 16 - m_line.size() : 0));
                m_lineCut = true;
            } else {
                m_line.append(rest);
            }
            return;
        }
        const std::string_view piece(base, size_t(end - base));
        if (m_line.empty() && !m_lineCut) {
            // Same cap as for a line carried across feeds, so where the
            // stream was split never changes the result.
            if (piece.size() > m_maxEventBytes + 16) {
                m_eventCut = true;
                line(piece.substr(0, m_maxEventBytes + 16), ktimeNs, out);
            } else {
                line(piece, ktimeNs, out);
            }
        } else {
            if (m_line.size() + piece.size() > m_maxEventBytes + 16) {
                m_line.append(piece.substr(0, m_maxEventBytes + 16 > m_line.size() ? m_maxEventBytes + 16 - m_line.size() : 0));
                m_lineCut = true;
            } else {
                m_line.append(piece);
            }
            if (m_lineCut)
                m_eventCut = true;
            line(m_line, ktimeNs, out);
            m_line.clear();
            m_lineCut = false;
        }
        pos = size_t(end - data.data()) + 1;
        if (*end == '\r') {
            if (pos < data.size()) {
                if (data[pos] == '\n')
                    ++pos;
            } else {
                m_afterCR = true;
            }
        }
    }
}

void SseParser::gap()
{
    if (!m_data.empty() || !m_line.empty())
        ++m_truncated;
    m_line.clear();
    m_lineCut = false;
    m_data.clear();
    m_event.clear();
    m_eventCut = false;
    m_afterCR = false;
    m_firstLine = false;
    m_skipLine = true;
}

void SseParser::line(std::string_view l, uint64_t ktimeNs, std::vector<SseEvent> &out)
{
    if (m_skipLine) {
        m_skipLine = false;
        return;
    }
    if (m_firstLine) {
        m_firstLine = false;
        if (l.substr(0, 3) == "\xEF\xBB\xBF")
            l.remove_prefix(3);
    }
    if (l.empty()) { // dispatch
        if (m_data.empty()) { // spec: no data, no event
            m_event.clear();
            m_eventCut = false;
            return;
        }
        if (!m_data.empty() && m_data.back() == '\n')
            m_data.pop_back();
        if (m_eventCut)
            ++m_truncated;
        if (out.size() >= m_maxEvents) {
            ++m_dropped;
        } else {
            SseEvent ev;
            ev.event = m_event.empty() ? std::string("message") : std::move(m_event);
            ev.data = std::move(m_data);
            ev.id = m_lastId;
            ev.ktimeNs = ktimeNs;
            out.push_back(std::move(ev));
        }
        m_data.clear();
        m_event.clear();
        m_eventCut = false;
        return;
    }
    if (l[0] == ':')
        return; // comment
    const size_t colon = l.find(':');
    std::string_view field = l.substr(0, colon);
    std::string_view value;
    if (colon != std::string_view::npos) {
        value = l.substr(colon + 1);
        if (!value.empty() && value[0] == ' ')
            value.remove_prefix(1);
    }
    if (field == "data") {
        appendCapped(m_data, value);
        appendCapped(m_data, "\n");
    } else if (field == "event") {
        m_event.assign(value.substr(0, 256)); // an event type is a short name
    } else if (field == "id") {
        if (value.find('\0') == std::string_view::npos)
            m_lastId.assign(value.substr(0, 1024));
    }
    // "retry" and unknown fields: ignored per spec.
}

} // namespace agentsight::decode
