// SPDX-License-Identifier: GPL-2.0-or-later
#include "decode/tls_decoder.h"

#include "decode/http1_session.h"
#include "decode/http2_session.h"
#include "decode/sniff.h"

#include <vector>

namespace agentsight::decode {

struct TlsDecoder::Connection {
    Connection(const ConnKey &key, HttpSink &sink, const DecodeLimits &limits, DecodeStats &stats)
        : ctx{key, -1, sink, limits, stats} {}

    /// Reassembly of the current TLS call, per raw direction: [0] read, [1] written.
    struct Call {
        bool have = false;
        bool done = false;
        uint64_t id = 0;
        uint64_t next = 0;  ///< next expected offset
        uint64_t total = 0;
    };
    /// Bytes (or a gap) held while the protocol is still unknown.
    struct Held {
        bool written;
        std::string bytes;
        uint64_t ktimeNs;
        bool callStart;
        uint64_t gap;
    };

    SessionContext ctx;
    std::unique_ptr<ProtocolSession> session;
    Call call[2];
    std::vector<Held> held;
    size_t heldBytes = 0;
    int firstDir = -1;        ///< raw direction that carried the first bytes
    std::string sniff[2];     ///< first bytes per raw direction (short)
    bool tracedIsServer = false;
    uint64_t lastNs = 0;
    std::list<ConnKey>::iterator lru; ///< position in TlsDecoder::m_lru

    bool decided() const { return session != nullptr; }
    bool protoFromClient(bool written) const { return written != tracedIsServer; }

    void deliver(bool written, std::string_view bytes, uint64_t ktimeNs, bool callStart)
    {
        if (bytes.empty())
            return;
        if (decided()) {
            session->data(protoFromClient(written), bytes, ktimeNs, callStart);
            return;
        }
        held.push_back(Held{written, std::string(bytes), ktimeNs, callStart, 0});
        heldBytes += bytes.size();
        if (firstDir < 0)
            firstDir = written ? 1 : 0;
        std::string &s = sniff[written ? 1 : 0];
        if (s.size() < 64)
            s.append(bytes.substr(0, 64 - s.size()));
        decide(heldBytes > ctx.limits.maxSniffBytes);
    }

    void deliverGap(bool written, uint64_t bytes, uint64_t ktimeNs)
    {
        if (bytes == 0)
            return;
        ctx.stats.gapBytes += bytes;
        ctx.note(std::to_string(bytes) + " bytes " + (written ? "written" : "read")
                 + " were not captured (TLS record loss or per-call cap)");
        if (decided()) {
            session->gap(protoFromClient(written), bytes, ktimeNs);
            return;
        }
        held.push_back(Held{written, {}, ktimeNs, false, bytes});
        decide(true); // what follows a gap cannot be sniffed reliably
    }

    /// Pick role and protocol from the first bytes. force: decide now, even on a short prefix.
    void decide(bool force)
    {
        if (decided())
            return;
        enum { Wait, H1, H1MissedRequest, H2, H2MidStream, Unknown } out = Wait;
        const bool firstWritten = firstDir == 1;
        if (firstDir >= 0) {
            const std::string_view s = sniff[firstDir];
            const Verdict pre = sniffH2Preface(s), req = sniffRequestLine(s), resp = sniffResponseLine(s);
            if (pre == Verdict::Yes)
                out = H2;
            else if (pre == Verdict::No && req == Verdict::Yes)
                out = H1;
            else if (resp == Verdict::Yes)
                out = H1MissedRequest;
            else if (pre == Verdict::No && req == Verdict::No && resp == Verdict::No) {
                const Verdict frame = sniffH2Frame(s);
                out = frame == Verdict::Yes ? H2MidStream : frame == Verdict::No ? Unknown : Wait;
            }
        }
        if (out == Wait) {
            if (!force)
                return;
            out = Unknown;
        }
        switch (out) {
        case H2:
        case H1:
            tracedIsServer = !firstWritten; // the first bytes came from the client
            break;
        case H1MissedRequest:
            tracedIsServer = firstWritten; // the first bytes were a response
            break;
        default:
            tracedIsServer = false; // the usual case for an agent
        }
        if (out == H2 || out == H2MidStream) {
            session = std::make_unique<Http2Session>(ctx, out == H2MidStream);
        } else {
            if (out == Unknown) {
                ++ctx.stats.connectionsUnknown;
                ctx.note("neither HTTP/1.x nor HTTP/2 at the start of the capture (began mid-stream, or not HTTP); "
                         "waiting for an HTTP/1 message start");
            } else if (out == H1MissedRequest) {
                ctx.note("capture began after a request was sent; its response has no request");
            }
            session = std::make_unique<Http1Session>(ctx, out == Unknown, out == Unknown);
        }
        std::vector<Held> replay;
        replay.swap(held);
        heldBytes = 0;
        for (auto &h : replay) {
            if (h.gap)
                session->gap(protoFromClient(h.written), h.gap, h.ktimeNs);
            else
                session->data(protoFromClient(h.written), h.bytes, h.ktimeNs, h.callStart);
        }
    }

    void close(uint64_t ktimeNs)
    {
        if (!decided() && heldBytes > 0)
            decide(true);
        if (session)
            session->close(ktimeNs);
    }
};

TlsDecoder::TlsDecoder(HttpSink &sink, DecodeLimits limits) : m_sink(sink), m_limits(limits)
{
    if (m_limits.maxDecodedCount < m_limits.maxBodyBytes)
        m_limits.maxDecodedCount = m_limits.maxBodyBytes;
}

TlsDecoder::~TlsDecoder() = default;

TlsDecoder::Connection &TlsDecoder::connection(const TlsChunk &chunk)
{
    auto it = m_conns.find(chunk.conn);
    if (it != m_conns.end()) {
        m_lru.splice(m_lru.end(), m_lru, it->second->lru);
        return *it->second;
    }
    if (m_conns.size() >= m_limits.maxConnections && !m_lru.empty()) {
        // Evict the least recently fed connection: SSL* values that are never
        // closed (no SSL_free seen) must not grow memory without bound.
        auto victim = m_conns.find(m_lru.front());
        ++m_stats.connectionsEvicted;
        victim->second->ctx.note("connection evicted: more than " + std::to_string(m_limits.maxConnections)
                                 + " open connections");
        victim->second->close(victim->second->lastNs);
        m_conns.erase(victim);
        m_lru.pop_front();
    }
    ++m_stats.connections;
    auto c = std::make_unique<Connection>(chunk.conn, m_sink, m_limits, m_stats);
    c->lru = m_lru.insert(m_lru.end(), chunk.conn);
    return *m_conns.emplace(chunk.conn, std::move(c)).first->second;
}

void TlsDecoder::feed(const TlsChunk &chunk)
{
    ++m_stats.chunks;
    m_stats.bytes += chunk.data.size();
    Connection &c = connection(chunk);
    if (chunk.fd >= 0)
        c.ctx.fd = chunk.fd;
    c.lastNs = chunk.ktimeNs;
    const bool written = chunk.fromClient;
    Connection::Call &call = c.call[written ? 1 : 0];
    bool callStart = false;
    if (!call.have || call.id != chunk.callId) {
        // A new call: whatever the previous one still owed was lost.
        if (call.have && !call.done && call.next < call.total)
            c.deliverGap(written, call.total - call.next, chunk.ktimeNs);
        call = Connection::Call{true, false, chunk.callId, 0, chunk.totalLen};
        callStart = true;
    }
    std::string_view data = chunk.data;
    uint64_t off = chunk.offset;
    if (off > call.next) { // records of this call were lost
        c.deliverGap(written, off - call.next, chunk.ktimeNs);
        call.next = off;
        callStart = false;
    } else if (off < call.next) { // duplicate bytes
        const uint64_t dup = std::min<uint64_t>(call.next - off, data.size());
        m_stats.overlapBytes += dup;
        data.remove_prefix(size_t(dup));
        off += dup;
        callStart = false;
    }
    c.deliver(written, data, chunk.ktimeNs, callStart);
    call.next = off + data.size();
    if (chunk.dropped) {
        c.deliverGap(written, chunk.dropped, chunk.ktimeNs);
        call.done = true;
    }
    if (call.next >= call.total)
        call.done = true;
}

void TlsDecoder::closeConnection(const ConnKey &conn, uint64_t ktimeNs)
{
    auto it = m_conns.find(conn);
    if (it == m_conns.end())
        return;
    it->second->close(ktimeNs ? ktimeNs : it->second->lastNs);
    m_lru.erase(it->second->lru);
    m_conns.erase(it);
}

void TlsDecoder::finish()
{
    for (auto &[key, c] : m_conns)
        c->close(c->lastNs);
    m_conns.clear();
    m_lru.clear();
}

} // namespace agentsight::decode
