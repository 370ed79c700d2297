// SPDX-License-Identifier: GPL-2.0-or-later
#include "decode/http2_session.h"

#include "decode/sniff.h"

#include <nghttp2/nghttp2.h>

#include <algorithm>

namespace agentsight::decode {
namespace {

enum FrameType : uint8_t { DATA = 0, HEADERS = 1, PRIORITY = 2, RST_STREAM = 3, SETTINGS = 4,
                           PUSH_PROMISE = 5, PING = 6, GOAWAY = 7, WINDOW_UPDATE = 8, CONTINUATION = 9 };
constexpr uint8_t kEndStream = 0x1, kAck = 0x1, kEndHeaders = 0x4, kPadded = 0x8, kPriority = 0x20;

uint32_t be32(const char *p)
{
    return (uint32_t(uint8_t(p[0])) << 24) | (uint32_t(uint8_t(p[1])) << 16) | (uint32_t(uint8_t(p[2])) << 8)
         | uint32_t(uint8_t(p[3]));
}

std::string errorName(uint32_t code)
{
    static const char *names[] = {"NO_ERROR", "PROTOCOL_ERROR", "INTERNAL_ERROR", "FLOW_CONTROL_ERROR",
                                  "SETTINGS_TIMEOUT", "STREAM_CLOSED", "FRAME_SIZE_ERROR", "REFUSED_STREAM",
                                  "CANCEL", "COMPRESSION_ERROR", "CONNECT_ERROR", "ENHANCE_YOUR_CALM",
                                  "INADEQUATE_SECURITY", "HTTP_1_1_REQUIRED"};
    return code < sizeof names / sizeof names[0] ? names[code] : "error " + std::to_string(code);
}

} // namespace

Http2Session::Http2Session(SessionContext &ctx, bool midStream) : m_ctx(ctx)
{
    m_dir[1].client = true;
    m_dir[1].prefaceLeft = kH2Preface.size();
    for (auto &d : m_dir)
        if (nghttp2_hd_inflate_new(&d.inflater) != 0)
            d.inflater = nullptr;
    if (midStream) {
        // Without the first header blocks the HPACK dynamic tables are unknown:
        // any header decoded now could be wrong, so decode nothing.
        HttpExchange ex;
        ex.request.version = "HTTP/2";
        ex.error = "HTTP/2 capture began mid-connection (no client preface): HPACK desync, connection not decoded";
        ++m_ctx.stats.h2Desync;
        m_ctx.emit(ex, true);
        m_dead = true;
    } else if (!m_dir[0].inflater || !m_dir[1].inflater) {
        desync("HPACK inflater could not be created", 0);
    }
}

Http2Session::~Http2Session()
{
    for (auto &d : m_dir)
        if (d.inflater)
            nghttp2_hd_inflate_del(d.inflater);
}

void Http2Session::desync(const std::string &why, uint64_t ktimeNs)
{
    if (m_dead)
        return;
    m_dead = true;
    ++m_ctx.stats.h2Desync;
    m_ctx.note("HTTP/2: " + why + "; rest of the connection not decoded");
    while (!m_streams.empty())
        finishStream(m_streams.begin()->first, "HTTP/2 desync: " + why, ktimeNs);
}

void Http2Session::data(bool fromClient, std::string_view bytes, uint64_t ktimeNs, bool)
{
    Direction &d = m_dir[fromClient ? 1 : 0];
    while (!bytes.empty()) {
        if (m_dead) {
            m_ctx.stats.ignoredBytes += bytes.size();
            return;
        }
        if (d.prefaceLeft) {
            const size_t off = kH2Preface.size() - d.prefaceLeft;
            const size_t n = std::min(d.prefaceLeft, bytes.size());
            if (bytes.substr(0, n) != kH2Preface.substr(off, n)) {
                desync("bad client preface", ktimeNs);
                continue;
            }
            d.prefaceLeft -= n;
            bytes.remove_prefix(n);
            continue;
        }
        if (!d.inFrame) {
            const size_t n = std::min(9 - d.hdrHave, bytes.size());
            std::copy_n(bytes.data(), n, d.hdr + d.hdrHave);
            if (d.hdrHave == 0)
                d.frameNs = ktimeNs;
            d.hdrHave += n;
            bytes.remove_prefix(n);
            if (d.hdrHave < 9)
                return;
            d.hdrHave = 0;
            d.length = (uint32_t(d.hdr[0]) << 16) | (uint32_t(d.hdr[1]) << 8) | d.hdr[2];
            d.type = d.hdr[3];
            d.flags = d.hdr[4];
            d.stream = be32(reinterpret_cast<const char *>(d.hdr + 5)) & 0x7fffffffu;
            d.got = 0;
            d.payload.clear();
            d.padLength = -1;
            d.inFrame = true;
            d.skipping = false;
            if (d.inBlock && d.type != CONTINUATION) {
                desync("header block interrupted by another frame", ktimeNs);
                continue;
            }
            if (d.type != DATA && d.length > m_ctx.limits.maxH2FrameBytes) {
                if (d.type == HEADERS || d.type == CONTINUATION || d.type == PUSH_PROMISE) {
                    desync("header frame larger than " + std::to_string(m_ctx.limits.maxH2FrameBytes) + " bytes", ktimeNs);
                    continue;
                }
                d.skipping = true;
            }
            if (d.length == 0)
                frameComplete(d, ktimeNs);
            continue;
        }
        const size_t n = size_t(std::min<uint64_t>(d.length - d.got, bytes.size()));
        if (d.type == DATA)
            dataPayload(d, bytes.substr(0, n), ktimeNs);
        else if (!d.skipping)
            d.payload.append(bytes.substr(0, n));
        d.got += uint32_t(n);
        bytes.remove_prefix(n);
        if (d.got == d.length)
            frameComplete(d, ktimeNs);
    }
}

void Http2Session::dataPayload(Direction &d, std::string_view bytes, uint64_t ktimeNs)
{
    uint32_t pos = d.got; // payload offset of bytes[0]
    if ((d.flags & kPadded) && d.padLength < 0 && !bytes.empty()) {
        d.padLength = uint8_t(bytes[0]);
        bytes.remove_prefix(1);
        ++pos;
        if (uint32_t(d.padLength) + 1 > d.length) {
            desync("DATA padding longer than the frame", ktimeNs);
            return;
        }
    }
    const uint32_t dataEnd = d.length - uint32_t(d.padLength > 0 ? d.padLength : 0);
    if (pos >= dataEnd)
        return;
    bytes = bytes.substr(0, dataEnd - pos);
    auto it = m_streams.find(d.stream);
    if (it == m_streams.end()) {
        m_ctx.stats.ignoredBytes += bytes.size(); // closed, refused or never seen
        return;
    }
    Stream &s = *it->second;
    if (d.client) {
        s.requestBody->data(bytes, ktimeNs);
    } else if (s.responseBody) {
        if (s.responseBody->data(bytes, ktimeNs))
            m_ctx.emit(s.ex, false);
    } else {
        m_ctx.stats.ignoredBytes += bytes.size(); // DATA before response HEADERS: protocol violation
    }
}

bool Http2Session::inflate(Direction &d, std::string_view fragment, bool final)
{
    auto in = reinterpret_cast<const uint8_t *>(fragment.data());
    size_t left = fragment.size();
    for (;;) {
        nghttp2_nv nv;
        int flags = 0;
        const auto rv = nghttp2_hd_inflate_hd2(d.inflater, &nv, &flags, in, left, final ? 1 : 0);
        if (rv < 0)
            return false;
        in += rv;
        left -= size_t(rv);
        if (flags & NGHTTP2_HD_INFLATE_EMIT) {
            d.blockBytes += nv.namelen + nv.valuelen + 32; // RFC 7541 entry size
            if (d.blockBytes > m_ctx.limits.maxHeaderBytes || d.blockHeaders.size() >= m_ctx.limits.maxHeaderCount)
                d.blockOverflow = true; // keep inflating (HPACK state), stop storing
            else
                d.blockHeaders.push_back(Header{std::string(reinterpret_cast<const char *>(nv.name), nv.namelen),
                                                std::string(reinterpret_cast<const char *>(nv.value), nv.valuelen)});
        }
        if (flags & NGHTTP2_HD_INFLATE_FINAL) {
            nghttp2_hd_inflate_end_headers(d.inflater);
            return true;
        }
        if (!(flags & NGHTTP2_HD_INFLATE_EMIT) && left == 0)
            return true;
    }
}

void Http2Session::frameComplete(Direction &d, uint64_t ktimeNs)
{
    d.inFrame = false;
    if (d.skipping) {
        if (d.type == GOAWAY)
            m_ctx.note("HTTP/2 GOAWAY (oversized, not parsed)");
        return;
    }
    std::string_view p(d.payload);
    switch (d.type) {
    case DATA:
        if (d.flags & kEndStream)
            endStream(d, d.stream, ktimeNs);
        return;
    case HEADERS:
    case PUSH_PROMISE: {
        size_t pad = 0;
        if (d.flags & kPadded) {
            if (p.empty()) {
                desync("empty padded header frame", ktimeNs);
                return;
            }
            pad = uint8_t(p[0]);
            p.remove_prefix(1);
        }
        if (d.type == HEADERS && (d.flags & kPriority)) {
            if (p.size() < 5) {
                desync("short HEADERS priority block", ktimeNs);
                return;
            }
            p.remove_prefix(5);
        }
        if (d.type == PUSH_PROMISE) {
            if (p.size() < 4) {
                desync("short PUSH_PROMISE", ktimeNs);
                return;
            }
            p.remove_prefix(4);
        }
        if (pad > p.size()) {
            desync("header padding longer than the frame", ktimeNs);
            return;
        }
        p.remove_suffix(pad);
        if (d.stream == 0) {
            desync("header block on stream 0", ktimeNs);
            return;
        }
        d.inBlock = true;
        d.blockPush = d.type == PUSH_PROMISE;
        d.blockEndStream = d.type == HEADERS && (d.flags & kEndStream);
        d.blockStream = d.stream;
        d.blockHeaders.clear();
        d.blockBytes = 0;
        d.blockOverflow = false;
        [[fallthrough]];
    }
    case CONTINUATION: {
        if (!d.inBlock || d.stream != d.blockStream) {
            desync("CONTINUATION without an open header block", ktimeNs);
            return;
        }
        const bool final = d.flags & kEndHeaders;
        if (!inflate(d, p, final)) {
            desync("HPACK decoding failed (compression state lost)", ktimeNs);
            return;
        }
        if (final) {
            d.inBlock = false;
            headerBlockDone(d, ktimeNs);
        }
        return;
    }
    case RST_STREAM:
        if (p.size() == 4 && m_streams.count(d.stream))
            finishStream(d.stream,
                         std::string("stream reset by ") + (d.client ? "client: " : "server: ") + errorName(be32(p.data())),
                         ktimeNs);
        return;
    case SETTINGS: {
        Direction &peer = m_dir[d.client ? 0 : 1];
        if (d.flags & kAck) {
            // The ACK means d's encoder now obeys the table size the peer's
            // decoder announced; our inflater for d's headers must allow it.
            if (!peer.sentTableSizes.empty()) {
                if (nghttp2_hd_inflate_change_table_size(d.inflater, peer.sentTableSizes.front()) != 0)
                    desync("bad header table size", ktimeNs);
                peer.sentTableSizes.pop_front();
            }
            return;
        }
        if (p.size() % 6 != 0) {
            desync("malformed SETTINGS frame", ktimeNs);
            return;
        }
        for (size_t i = 0; i + 6 <= p.size(); i += 6) {
            const uint16_t id = uint16_t((uint8_t(p[i]) << 8) | uint8_t(p[i + 1]));
            if (id == 1 && d.sentTableSizes.size() < 16)
                d.sentTableSizes.push_back(be32(p.data() + i + 2));
        }
        return;
    }
    case GOAWAY: {
        if (p.size() < 8)
            return;
        const uint32_t last = be32(p.data()) & 0x7fffffffu;
        const uint32_t code = be32(p.data() + 4);
        const std::string debug(p.substr(8, 256));
        m_ctx.note(std::string("HTTP/2 GOAWAY from ") + (d.client ? "client" : "server") + ": " + errorName(code)
                   + ", last stream " + std::to_string(last) + (debug.empty() ? "" : " (" + debug + ")"));
        if (!d.client) {
            // Streams above `last` were not processed by the server.
            std::vector<uint32_t> refused;
            for (const auto &[id, s] : m_streams)
                if (id > last)
                    refused.push_back(id);
            for (uint32_t id : refused)
                finishStream(id, "not processed: server sent GOAWAY (" + errorName(code) + ")", ktimeNs);
        }
        return;
    }
    default:
        return; // PRIORITY, PING, WINDOW_UPDATE, extensions: nothing to show
    }
}

void Http2Session::headerBlockDone(Direction &d, uint64_t ktimeNs)
{
    const uint32_t id = d.blockStream;
    if (d.blockPush) {
        m_ctx.note("HTTP/2 server push on stream " + std::to_string(id) + " (pushed stream not decoded)");
        return;
    }
    HttpMessage msg;
    msg.version = "HTTP/2";
    msg.startNs = d.frameNs;
    for (auto &h : d.blockHeaders) {
        if (!h.name.empty() && h.name[0] == ':') {
            if (h.name == ":method")
                msg.method = h.value;
            else if (h.name == ":path")
                msg.target = h.value;
            else if (h.name == ":authority")
                msg.authority = h.value;
            else if (h.name == ":scheme")
                msg.scheme = h.value;
            else if (h.name == ":status")
                msg.status = std::atoi(h.value.substr(0, 3).c_str());
        } else {
            msg.headers.push_back(std::move(h));
        }
    }
    if (msg.authority.empty())
        if (const auto *host = msg.header("host"))
            msg.authority = *host;
    auto it = m_streams.find(id);
    if (d.client) {
        if (it == m_streams.end()) {
            if (m_streams.size() >= m_ctx.limits.maxH2Streams) {
                ++m_ctx.stats.streamsRefused;
                HttpExchange ex;
                ex.streamId = id;
                ex.sequence = m_sequence++;
                ex.request = std::move(msg);
                ex.error = "more than " + std::to_string(m_ctx.limits.maxH2Streams) + " open streams; not decoded";
                m_ctx.emit(ex, true);
                return;
            }
            auto s = std::make_unique<Stream>();
            s->ex.streamId = id;
            s->ex.sequence = m_sequence++;
            s->ex.request = std::move(msg);
            if (d.blockOverflow)
                s->ex.error = "request header list exceeds limits; some headers not kept";
            s->requestBody = std::make_unique<BodyDecoder>(s->ex.request, m_ctx.limits, m_ctx.stats);
            it = m_streams.emplace(id, std::move(s)).first;
            m_ctx.emit(it->second->ex, false);
        } else {
            it->second->ex.request.trailers = std::move(msg.headers);
        }
    } else {
        if (it == m_streams.end()) {
            m_ctx.stats.ignoredBytes += d.length;
            return;
        }
        Stream &s = *it->second;
        if (!s.ex.response) {
            if (msg.status >= 100 && msg.status < 200)
                return; // interim (100-continue, 103): the final response follows
            if (d.blockOverflow && s.ex.error.empty())
                s.ex.error = "response header list exceeds limits; some headers not kept";
            s.ex.response = std::move(msg);
            s.responseBody = std::make_unique<BodyDecoder>(*s.ex.response, m_ctx.limits, m_ctx.stats);
            m_ctx.emit(s.ex, false);
        } else {
            s.ex.response->trailers = std::move(msg.headers);
        }
    }
    if (d.blockEndStream)
        endStream(d, id, ktimeNs);
}

void Http2Session::endStream(Direction &d, uint32_t id, uint64_t ktimeNs)
{
    auto it = m_streams.find(id);
    if (it == m_streams.end())
        return;
    Stream &s = *it->second;
    if (d.client) {
        if (!s.requestEnded) {
            s.requestEnded = true;
            s.requestBody->finish();
            s.ex.request.endNs = ktimeNs;
            m_ctx.emit(s.ex, false);
        }
        return;
    }
    finishStream(id, {}, ktimeNs);
}

void Http2Session::finishStream(uint32_t id, const std::string &error, uint64_t ktimeNs)
{
    auto it = m_streams.find(id);
    if (it == m_streams.end())
        return;
    Stream &s = *it->second;
    if (!s.requestEnded) {
        s.requestBody->finish();
        if (!s.ex.request.endNs)
            s.ex.request.endNs = ktimeNs;
    }
    if (s.responseBody) {
        s.responseBody->finish();
        s.ex.response->endNs = ktimeNs;
    }
    if (!error.empty() && s.ex.error.empty())
        s.ex.error = error;
    m_ctx.emit(s.ex, true);
    m_streams.erase(it);
}

void Http2Session::gap(bool fromClient, uint64_t bytes, uint64_t ktimeNs)
{
    if (m_dead)
        return;
    Direction &d = m_dir[fromClient ? 1 : 0];
    // Inside a DATA payload the frame boundaries survive: only that body is hurt.
    if (d.inFrame && d.type == DATA && d.padLength >= 0 && bytes <= uint64_t(d.length - d.got)) {
        const uint32_t dataEnd = d.length - uint32_t(d.padLength);
        const uint64_t inData = d.got < dataEnd ? std::min<uint64_t>(bytes, dataEnd - d.got) : 0;
        auto it = m_streams.find(d.stream);
        if (inData && it != m_streams.end()) {
            BodyDecoder *b = d.client ? it->second->requestBody.get() : it->second->responseBody.get();
            if (b)
                b->gap(inData);
        }
        d.got += uint32_t(bytes);
        if (d.got == d.length)
            frameComplete(d, ktimeNs);
        return;
    }
    if (d.inFrame && d.type == DATA && !(d.flags & kPadded) && bytes <= uint64_t(d.length - d.got)) {
        d.padLength = 0;
        gap(fromClient, bytes, ktimeNs);
        return;
    }
    desync(std::to_string(bytes) + " bytes not captured (" + (fromClient ? "client" : "server")
               + " side); HPACK desync",
           ktimeNs);
}

void Http2Session::close(uint64_t ktimeNs)
{
    while (!m_streams.empty())
        finishStream(m_streams.begin()->first, "connection closed before the stream ended", ktimeNs);
}

} // namespace agentsight::decode
