// SPDX-License-Identifier: GPL-2.0-or-later
#include "decode/websocket_decoder.h"

#include <zlib.h>

#include <algorithm>
#include <cctype>

namespace agentsight::decode {

struct WebSocketDecoder::Direction {
    bool client = false;
    bool broken = false;
    bool noContextTakeover = false;
    // frame header
    uint8_t hdr[14] = {};
    size_t hdrHave = 0;
    size_t hdrNeed = 2;
    bool inPayload = false;
    uint64_t remaining = 0;
    uint8_t mask[4] = {};
    bool masked = false;
    uint64_t maskPos = 0;
    int frameOpcode = 0;
    bool frameFin = false;
    // message being assembled (data frames) or the current control frame
    bool inMessage = false;
    int msgOpcode = 0;
    bool msgCompressed = false;
    std::string msg;          ///< decoded payload so far (capped)
    bool msgTruncated = false;
    uint64_t msgDecoded = 0;
    std::string control;      ///< current control frame payload (<= 125)
    // permessage-deflate
    z_stream z{};
    bool zInit = false;
};

namespace {

std::string lower(std::string_view s)
{
    std::string r(s);
    for (auto &c : r)
        c = char(std::tolower(uint8_t(c)));
    return r;
}

} // namespace

WebSocketDecoder::WebSocketDecoder(std::string_view extensions, const DecodeLimits &limits) : m_limits(limits)
{
    m_dir[0] = std::make_unique<Direction>();
    m_dir[1] = std::make_unique<Direction>();
    m_dir[1]->client = true;
    // The server's answer names the extension actually in use. Only the first
    // offer counts; parameters decide each sender's context takeover.
    const std::string ext = lower(extensions);
    const std::string first = ext.substr(0, ext.find(','));
    if (first.find("permessage-deflate") != std::string::npos) {
        m_deflate = true;
        m_dir[1]->noContextTakeover = first.find("client_no_context_takeover") != std::string::npos;
        m_dir[0]->noContextTakeover = first.find("server_no_context_takeover") != std::string::npos;
    }
}

WebSocketDecoder::~WebSocketDecoder()
{
    for (auto &d : m_dir)
        if (d->zInit)
            inflateEnd(&d->z);
}

std::string WebSocketDecoder::fail(Direction &d, std::string why)
{
    d.broken = true;
    return std::string("WebSocket ") + (d.client ? "client" : "server") + " side: " + why
         + "; rest of this direction not decoded";
}

bool WebSocketDecoder::payload(Direction &d, std::string_view bytes)
{
    auto keep = [&](std::string_view s) {
        d.msgDecoded += s.size();
        const size_t room = m_limits.maxWsMessageBytes > d.msg.size() ? m_limits.maxWsMessageBytes - d.msg.size() : 0;
        if (s.size() > room)
            d.msgTruncated = true;
        d.msg.append(s.substr(0, room));
    };
    if (!d.msgCompressed) {
        keep(bytes);
        return true;
    }
    if (!d.zInit) {
        if (inflateInit2(&d.z, -15) != Z_OK)
            return false;
        d.zInit = true;
    }
    char buf[16384];
    d.z.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(bytes.data()));
    d.z.avail_in = uInt(bytes.size());
    do {
        d.z.next_out = reinterpret_cast<Bytef *>(buf);
        d.z.avail_out = sizeof buf;
        const uInt inBefore = d.z.avail_in;
        const int rc = inflate(&d.z, Z_SYNC_FLUSH);
        if (rc != Z_OK && rc != Z_BUF_ERROR && rc != Z_STREAM_END)
            return false;
        const size_t n = sizeof buf - d.z.avail_out;
        keep(std::string_view(buf, n));
        // Past the work cap the context (takeover) is lost: give the direction up.
        if (d.msgDecoded > m_limits.maxDecodedCount)
            return false;
        if (rc == Z_STREAM_END) {
            // A sender may end a message with a final block (RFC 7692 7.2.3.3);
            // what follows starts a fresh stream (its window is gone anyway).
            inflateReset(&d.z);
            if (d.z.avail_in == inBefore && n == 0)
                break;
            continue;
        }
        if (n == 0 && (d.z.avail_in == 0 || d.z.avail_in == inBefore))
            break; // needs more input, or no progress possible
    } while (d.z.avail_in > 0 || d.z.avail_out == 0);
    return true;
}

void WebSocketDecoder::finishMessage(Direction &d, uint64_t ktimeNs, std::vector<WsMessage> &out, uint64_t &dropped)
{
    if (out.size() >= m_limits.maxWsMessages) {
        ++dropped;
    } else {
        WsMessage m;
        m.fromClient = d.client;
        m.opcode = d.msgOpcode;
        m.payload = std::move(d.msg);
        m.truncated = d.msgTruncated;
        m.ktimeNs = ktimeNs;
        out.push_back(std::move(m));
    }
    d.msg.clear();
    d.inMessage = false;
    d.msgTruncated = false;
    d.msgDecoded = 0;
    if (d.msgCompressed && d.noContextTakeover && d.zInit)
        inflateReset(&d.z);
    d.msgCompressed = false;
}

std::string WebSocketDecoder::data(bool fromClient, std::string_view bytes, uint64_t ktimeNs,
                                   std::vector<WsMessage> &out, uint64_t &dropped)
{
    Direction &d = *m_dir[fromClient ? 1 : 0];
    while (!bytes.empty() && !d.broken) {
        if (!d.inPayload) {
            const size_t n = std::min(d.hdrNeed - d.hdrHave, bytes.size());
            std::copy_n(bytes.data(), n, d.hdr + d.hdrHave);
            d.hdrHave += n;
            bytes.remove_prefix(n);
            if (d.hdrHave < d.hdrNeed)
                return {};
            if (d.hdrNeed == 2) { // now we know the full header size
                const uint8_t len7 = d.hdr[1] & 0x7f;
                d.hdrNeed = 2 + (len7 == 126 ? 2 : len7 == 127 ? 8 : 0) + ((d.hdr[1] & 0x80) ? 4 : 0);
                if (d.hdrHave < d.hdrNeed)
                    continue;
            }
            const uint8_t b0 = d.hdr[0], b1 = d.hdr[1];
            size_t p = 2;
            uint64_t len = b1 & 0x7f;
            if (len == 126) {
                len = (uint64_t(d.hdr[2]) << 8) | d.hdr[3];
                p = 4;
            } else if (len == 127) {
                len = 0;
                for (int i = 0; i < 8; ++i)
                    len = (len << 8) | d.hdr[2 + i];
                p = 10;
                if (len >> 63)
                    return fail(d, "invalid frame length");
            }
            d.masked = b1 & 0x80;
            if (d.masked)
                std::copy_n(d.hdr + p, 4, d.mask);
            d.maskPos = 0;
            d.frameFin = b0 & 0x80;
            d.frameOpcode = b0 & 0x0f;
            d.remaining = len;
            d.hdrHave = 0;
            d.hdrNeed = 2;
            const bool rsv1 = b0 & 0x40;
            if (d.frameOpcode >= 8) { // control frame: may sit inside a fragmented message
                if (!d.frameFin || len > 125 || d.frameOpcode > 10)
                    return fail(d, "invalid control frame");
                d.control.clear();
            } else if (d.frameOpcode == 0) {
                if (!d.inMessage)
                    return fail(d, "continuation frame without a message");
            } else if (d.frameOpcode <= 2) {
                if (d.inMessage)
                    return fail(d, "new message inside a fragmented one");
                d.inMessage = true;
                d.msgOpcode = d.frameOpcode;
                d.msgCompressed = rsv1 && m_deflate;
                if (rsv1 && !m_deflate)
                    return fail(d, "compressed frame without permessage-deflate");
            } else {
                return fail(d, "reserved opcode " + std::to_string(d.frameOpcode));
            }
            d.inPayload = true;
        }
        const size_t n = size_t(std::min<uint64_t>(d.remaining, bytes.size()));
        std::string piece(bytes.substr(0, n));
        if (d.masked)
            for (auto &c : piece)
                c = char(c ^ d.mask[d.maskPos++ & 3]);
        bytes.remove_prefix(n);
        d.remaining -= n;
        if (d.frameOpcode >= 8)
            d.control += piece;
        else if (!payload(d, piece))
            return fail(d, "permessage-deflate data does not inflate");
        if (d.remaining > 0)
            continue;
        d.inPayload = false;
        if (d.frameOpcode >= 8) {
            // Control frames are whole messages of their own.
            WsMessage m;
            m.fromClient = d.client;
            m.opcode = d.frameOpcode;
            m.payload = std::move(d.control);
            m.ktimeNs = ktimeNs;
            if (out.size() >= m_limits.maxWsMessages)
                ++dropped;
            else
                out.push_back(std::move(m));
            d.control.clear();
        } else if (d.frameFin) {
            if (d.msgCompressed && !payload(d, std::string_view("\x00\x00\xff\xff", 4)))
                return fail(d, "permessage-deflate data does not inflate");
            finishMessage(d, ktimeNs, out, dropped);
        }
    }
    return {};
}

std::string WebSocketDecoder::gap(bool fromClient, uint64_t bytes, uint64_t ktimeNs, std::vector<WsMessage> &out,
                                  uint64_t &dropped)
{
    Direction &d = *m_dir[fromClient ? 1 : 0];
    if (d.broken)
        return {};
    if (d.inPayload && d.frameOpcode != 0 && d.frameOpcode < 8 && !d.msgCompressed && bytes <= d.remaining) {
        // Inside an uncompressed data frame the frame boundaries survive; the
        // message is kept, marked truncated (it misses the lost bytes).
        d.remaining -= bytes;
        d.maskPos += bytes;
        d.msgTruncated = true;
        if (d.remaining == 0) {
            d.inPayload = false;
            if (d.frameFin)
                finishMessage(d, ktimeNs, out, dropped);
        }
        return {};
    }
    if (d.inPayload && d.frameOpcode == 0 && !d.msgCompressed && bytes <= d.remaining) {
        d.remaining -= bytes;
        d.maskPos += bytes;
        d.msgTruncated = true;
        if (d.remaining == 0) {
            d.inPayload = false;
            if (d.frameFin)
                finishMessage(d, ktimeNs, out, dropped);
        }
        return {};
    }
    return fail(d, std::to_string(bytes) + " bytes not captured");
}

} // namespace agentsight::decode
