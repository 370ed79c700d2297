// SPDX-License-Identifier: GPL-2.0-or-later
#include "decode/http1_parser.h"

#include "decode/sniff.h"

#include <algorithm>
#include <cctype>

namespace agentsight::decode {
namespace {

bool isTokenChar(char c)
{
    return std::isalnum(uint8_t(c)) || std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

std::string_view trimOws(std::string_view s)
{
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
        s.remove_suffix(1);
    return s;
}

std::string lower(std::string_view s)
{
    std::string r(s);
    for (auto &c : r)
        c = char(std::tolower(uint8_t(c)));
    return r;
}

/// Content-Length: digits only; a list of equal values is allowed (RFC 9110 8.6).
bool parseContentLength(std::string_view v, uint64_t &out)
{
    bool have = false;
    uint64_t first = 0;
    size_t pos = 0;
    while (pos <= v.size()) {
        size_t comma = v.find(',', pos);
        if (comma == std::string_view::npos)
            comma = v.size();
        const std::string_view item = trimOws(v.substr(pos, comma - pos));
        pos = comma + 1;
        if (item.empty() || item.size() > 18)
            return false;
        uint64_t n = 0;
        for (char c : item) {
            if (c < '0' || c > '9')
                return false;
            n = n * 10 + uint64_t(c - '0');
        }
        if (have && n != first)
            return false;
        first = n;
        have = true;
    }
    out = first;
    return have;
}

} // namespace

bool Http1Parser::inMessage() const
{
    switch (m_state) {
    case State::Idle:
    case State::AwaitUpgrade:
    case State::Upgraded:
    case State::Broken:
        return false;
    default:
        return true;
    }
}

void Http1Parser::fail(const std::string &why, uint64_t ktimeNs)
{
    const bool quiet = m_resyncing;
    m_lastErrorInMessage = (m_state == State::Head && m_checked) || (inMessage() && m_state != State::Head);
    m_state = State::Broken;
    m_head.clear();
    m_line.clear();
    m_trailers.clear();
    m_resyncing = false;
    if (!quiet)
        m_handler.onError(why, ktimeNs);
}

bool Http1Parser::takeLine(std::string_view &d, uint64_t ktimeNs)
{
    const size_t nl = d.find('\n');
    const std::string_view part = d.substr(0, nl);
    if (m_line.size() + part.size() > m_limits.maxLineBytes) {
        fail("line longer than " + std::to_string(m_limits.maxLineBytes) + " bytes", ktimeNs);
        d = {};
        return false;
    }
    m_line.append(part);
    if (nl == std::string_view::npos) {
        d = {};
        return false;
    }
    d.remove_prefix(nl + 1);
    if (!m_line.empty() && m_line.back() == '\r')
        m_line.pop_back();
    return true;
}

void Http1Parser::data(std::string_view d, uint64_t ktimeNs, bool callStart)
{
    if (m_state == State::Broken && callStart && !d.empty()) {
        // Resync attempt: a call that starts like a start line.
        m_state = State::Head;
        m_head.clear();
        m_checked = false;
        m_resyncing = true;
    }
    while (!d.empty()) {
        switch (m_state) {
        case State::Broken:
            m_handler.onOtherBytes(d, ktimeNs, false);
            return;
        case State::Upgraded:
            m_handler.onOtherBytes(d, ktimeNs, true);
            return;
        case State::AwaitUpgrade: {
            const size_t room = m_limits.maxHeaderBytes > m_held.size() ? m_limits.maxHeaderBytes - m_held.size() : 0;
            if (d.size() > room) {
                fail("more than " + std::to_string(m_limits.maxHeaderBytes)
                         + " bytes sent after an upgrade request before its response",
                     ktimeNs);
                m_held.clear();
                continue;
            }
            if (m_held.empty())
                m_heldNs = ktimeNs;
            m_held.append(d);
            return;
        }
        case State::Idle:
            // RFC 9112 2.2: ignore empty lines before a request/status line.
            while (!d.empty() && (d.front() == '\r' || d.front() == '\n'))
                d.remove_prefix(1);
            if (d.empty())
                return;
            m_state = State::Head;
            m_head.clear();
            m_checked = false;
            m_resyncing = false;
            break;
        case State::Head: {
            const size_t old = m_head.size();
            const size_t take = std::min(d.size(), m_limits.maxHeaderBytes + 4 - std::min(old, m_limits.maxHeaderBytes + 4));
            m_head.append(d.substr(0, take));
            if (!m_checked) {
                const Verdict v = m_kind == Kind::Request ? sniffRequestLine(m_head) : sniffResponseLine(m_head);
                if (v == Verdict::No) {
                    m_handler.onOtherBytes(m_head, ktimeNs, false); // counted as not decoded
                    fail(m_kind == Kind::Request ? "not an HTTP/1.x request (capture began mid-stream or not HTTP)"
                                                 : "not an HTTP/1.x response (capture began mid-stream or not HTTP)",
                         ktimeNs);
                    d.remove_prefix(take);
                    continue;
                }
                m_checked = v == Verdict::Yes;
            }
            // End of the header section: an empty line (LF or CRLF).
            const size_t from = old >= 3 ? old - 3 : 0;
            size_t end = std::string::npos;
            for (size_t i = m_head.find('\n', from); i != std::string::npos; i = m_head.find('\n', i + 1)) {
                if (i + 1 < m_head.size() && m_head[i + 1] == '\n') {
                    end = i + 2;
                    break;
                }
                if (i + 2 < m_head.size() && m_head[i + 1] == '\r' && m_head[i + 2] == '\n') {
                    end = i + 3;
                    break;
                }
            }
            if (end == std::string::npos) {
                d.remove_prefix(take);
                if (m_head.size() > m_limits.maxHeaderBytes)
                    fail("header section exceeds " + std::to_string(m_limits.maxHeaderBytes) + " bytes", ktimeNs);
                continue;
            }
            if (end > m_limits.maxHeaderBytes + 4) {
                fail("header section exceeds " + std::to_string(m_limits.maxHeaderBytes) + " bytes", ktimeNs);
                d.remove_prefix(take);
                continue;
            }
            d.remove_prefix(end > old ? end - old : 0);
            m_head.resize(end);
            parseHead(ktimeNs);
            break;
        }
        case State::Length: {
            const size_t n = size_t(std::min<uint64_t>(m_remaining, d.size()));
            m_handler.onBody(d.substr(0, n), ktimeNs);
            d.remove_prefix(n);
            m_remaining -= n;
            if (m_remaining == 0)
                complete(ktimeNs);
            break;
        }
        case State::UntilClose:
            m_handler.onBody(d, ktimeNs);
            return;
        case State::ChunkSize: {
            if (!takeLine(d, ktimeNs))
                break;
            std::string_view l(m_line);
            l = trimOws(l.substr(0, l.find(';')));
            uint64_t n = 0;
            bool ok = !l.empty() && l.size() <= 15;
            for (char c : l) {
                const int v = std::isdigit(uint8_t(c)) ? c - '0' : (c >= 'a' && c <= 'f') ? c - 'a' + 10 : (c >= 'A' && c <= 'F') ? c - 'A' + 10 : -1;
                if (v < 0) {
                    ok = false;
                    break;
                }
                n = n * 16 + uint64_t(v);
            }
            if (!ok) {
                fail("bad chunk size line", ktimeNs);
                break;
            }
            m_line.clear();
            if (n == 0) {
                m_state = State::Trailers;
                m_trailers.clear();
                m_trailerBytes = 0;
            } else {
                m_remaining = n;
                m_state = State::ChunkData;
            }
            break;
        }
        case State::ChunkData: {
            const size_t n = size_t(std::min<uint64_t>(m_remaining, d.size()));
            m_handler.onBody(d.substr(0, n), ktimeNs);
            d.remove_prefix(n);
            m_remaining -= n;
            if (m_remaining == 0)
                m_state = State::ChunkEnd;
            break;
        }
        case State::ChunkEnd:
            if (!takeLine(d, ktimeNs))
                break;
            if (!m_line.empty()) {
                fail("chunk data longer than its size", ktimeNs);
                break;
            }
            m_state = State::ChunkSize;
            break;
        case State::Trailers: {
            if (!takeLine(d, ktimeNs))
                break;
            if (m_line.empty()) {
                complete(ktimeNs);
                break;
            }
            m_trailerBytes += m_line.size();
            std::string err;
            if (m_trailerBytes > m_limits.maxHeaderBytes || m_trailers.size() >= m_limits.maxHeaderCount)
                err = "trailer section too large";
            else
                parseHeaderLine(m_line, m_trailers, err);
            m_line.clear();
            if (!err.empty())
                fail(err, ktimeNs);
            break;
        }
        }
    }
}

bool Http1Parser::parseHeaderLine(std::string_view line, std::vector<Header> &into, std::string &err)
{
    if (line.front() == ' ' || line.front() == '\t') {
        // obs-fold (RFC 9112 5.2): a continuation of the previous value.
        if (into.empty()) {
            err = "header continuation without a header";
            return false;
        }
        into.back().value += ' ';
        into.back().value += trimOws(line);
        return true;
    }
    const size_t colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) {
        err = "malformed header line";
        return false;
    }
    const std::string_view name = line.substr(0, colon);
    if (!std::all_of(name.begin(), name.end(), isTokenChar)) {
        err = "invalid header name";
        return false;
    }
    into.push_back(Header{lower(name), std::string(trimOws(line.substr(colon + 1)))});
    return true;
}

void Http1Parser::parseHead(uint64_t ktimeNs)
{
    HttpMessage msg;
    msg.startNs = ktimeNs;
    std::string err;
    std::string_view rest(m_head);
    bool first = true;
    while (!rest.empty()) {
        const size_t nl = rest.find('\n');
        std::string_view line = rest.substr(0, nl);
        rest.remove_prefix(nl == std::string_view::npos ? rest.size() : nl + 1);
        if (!line.empty() && line.back() == '\r')
            line.remove_suffix(1);
        if (line.size() > m_limits.maxLineBytes) {
            err = "line longer than " + std::to_string(m_limits.maxLineBytes) + " bytes";
            break;
        }
        if (first) {
            first = false;
            const size_t sp1 = line.find(' ');
            const size_t sp2 = sp1 == std::string_view::npos ? sp1 : line.find(' ', sp1 + 1);
            if (m_kind == Kind::Request) {
                if (sp2 == std::string_view::npos || line.find(' ', sp2 + 1) != std::string_view::npos) {
                    err = "malformed request line";
                    break;
                }
                msg.method = std::string(line.substr(0, sp1));
                msg.target = std::string(line.substr(sp1 + 1, sp2 - sp1 - 1));
                msg.version = std::string(line.substr(sp2 + 1));
                if ((msg.version != "HTTP/1.1" && msg.version != "HTTP/1.0") || msg.target.empty()) {
                    err = "malformed request line";
                    break;
                }
            } else {
                msg.version = std::string(line.substr(0, sp1));
                const std::string_view code = sp1 == std::string_view::npos ? std::string_view() : line.substr(sp1 + 1, sp2 == std::string_view::npos ? std::string_view::npos : sp2 - sp1 - 1);
                if ((msg.version != "HTTP/1.1" && msg.version != "HTTP/1.0") || code.size() != 3
                    || !std::all_of(code.begin(), code.end(), [](char c) { return c >= '0' && c <= '9'; })) {
                    err = "malformed status line";
                    break;
                }
                msg.status = (code[0] - '0') * 100 + (code[1] - '0') * 10 + (code[2] - '0');
                if (msg.status < 100) {
                    err = "malformed status line";
                    break;
                }
            }
            continue;
        }
        if (line.empty())
            break;
        if (msg.headers.size() >= m_limits.maxHeaderCount) {
            err = "more than " + std::to_string(m_limits.maxHeaderCount) + " headers";
            break;
        }
        if (!parseHeaderLine(line, msg.headers, err))
            break;
    }
    m_head.clear();
    if (!err.empty()) {
        fail(err, ktimeNs);
        return;
    }
    m_resyncing = false; // a whole valid head: we are in sync

    // Framing, decided before the handler takes the message.
    bool chunked = false, otherCoding = false, haveLength = false, badLength = false;
    uint64_t length = 0;
    std::string te;
    for (const auto &h : msg.headers) {
        if (h.name == "transfer-encoding") {
            te += (te.empty() ? "" : ",") + h.value;
        } else if (h.name == "content-length") {
            uint64_t n = 0;
            if (!parseContentLength(h.value, n) || (haveLength && n != length))
                badLength = true;
            length = n;
            haveLength = true;
        }
    }
    if (!te.empty()) {
        std::string last = lower(trimOws(te.substr(te.rfind(',') == std::string::npos ? 0 : te.rfind(',') + 1)));
        chunked = last == "chunked";
        otherCoding = !chunked;
    }
    const bool upgradeAsked = m_kind == Kind::Request && msg.header("upgrade") != nullptr;
    msg.scheme = "https";
    if (const auto *host = msg.header("host"))
        msg.authority = *host;

    const HeadAction action = m_handler.onHead(std::move(msg));
    m_trailers.clear();
    m_upgradeAfter = action == HeadAction::Upgrade;
    m_awaitAfter = upgradeAsked;
    if (action == HeadAction::NoBody || action == HeadAction::Upgrade || action == HeadAction::Interim) {
        if (action == HeadAction::Interim) {
            m_state = State::Idle; // the final response follows; no completion
            return;
        }
        complete(ktimeNs);
        return;
    }
    if (chunked) {
        m_state = State::ChunkSize;
        m_line.clear();
    } else if (otherCoding) {
        if (m_kind == Kind::Request) {
            fail("request transfer-encoding is not chunked", ktimeNs);
            return;
        }
        m_state = State::UntilClose;
    } else if (badLength) {
        fail("invalid content-length", ktimeNs);
    } else if (haveLength) {
        m_remaining = length;
        if (length == 0)
            complete(ktimeNs);
        else
            m_state = State::Length;
    } else if (m_kind == Kind::Request) {
        complete(ktimeNs);
    } else {
        m_state = State::UntilClose;
    }
}

void Http1Parser::complete(uint64_t ktimeNs)
{
    m_state = m_upgradeAfter ? State::Upgraded : m_awaitAfter ? State::AwaitUpgrade : State::Idle;
    m_upgradeAfter = m_awaitAfter = false;
    m_held.clear();
    m_handler.onComplete(std::move(m_trailers), ktimeNs);
    m_trailers.clear();
}

void Http1Parser::resolveUpgrade(bool upgraded, uint64_t ktimeNs)
{
    if (m_state != State::AwaitUpgrade) {
        if (upgraded && m_state == State::Idle)
            m_state = State::Upgraded;
        return;
    }
    std::string held;
    held.swap(m_held);
    m_state = upgraded ? State::Upgraded : State::Idle;
    if (!held.empty())
        data(held, m_heldNs ? m_heldNs : ktimeNs, false);
}

void Http1Parser::gap(uint64_t bytes, uint64_t ktimeNs)
{
    switch (m_state) {
    case State::Length:
    case State::ChunkData:
        if (bytes <= m_remaining) {
            m_handler.onBodyGap(bytes);
            m_remaining -= bytes;
            if (m_remaining == 0)
                m_state == State::Length ? complete(ktimeNs) : void(m_state = State::ChunkEnd);
            return;
        }
        fail(std::to_string(bytes) + " bytes not captured across a message boundary; resynchronizing", ktimeNs);
        return;
    case State::UntilClose:
        m_handler.onBodyGap(bytes);
        return;
    case State::Upgraded:
        m_handler.onUpgradedGap(bytes, ktimeNs);
        return;
    case State::Broken:
        return;
    default:
        fail(std::to_string(bytes) + " bytes not captured; resynchronizing", ktimeNs);
        return;
    }
}

void Http1Parser::close(uint64_t ktimeNs)
{
    if (m_state == State::UntilClose) {
        complete(ktimeNs);
        m_state = State::Idle;
    } else if (m_state == State::Head && m_resyncing) {
        m_state = State::Broken;
    } else if (inMessage()) {
        fail("connection closed in the middle of a message", ktimeNs);
    }
}

} // namespace agentsight::decode
