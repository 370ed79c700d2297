// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
// Shared by the decode tests (not a test itself): read tests/data/http/*.wire
// fixtures, feed them to a TlsDecoder in various chunkings, collect results.
#include "decode/tls_decoder.h"

#include <cstdio>
#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <vector>

namespace agentsight::decode::test {

/** One TLS call of a fixture: bytes written/read by the traced client, or a gap. */
struct WireRecord {
    bool written = true;
    bool gap = false;
    std::string bytes;
    uint32_t gapBytes = 0;
};

inline std::string readFile(const std::string &path)
{
    std::ifstream f(path, std::ios::binary);
    std::stringstream ss;
    ss << f.rdbuf();
    return ss.str();
}

inline std::string dataPath(const std::string &name) { return std::string(AGENTSIGHT_TEST_DATA) + "/http/" + name; }

/// Parses the format written by tests/data/http/gen_*.{py,js}. Empty on error.
inline std::vector<WireRecord> readWire(const std::string &name)
{
    const std::string all = readFile(dataPath(name));
    std::vector<WireRecord> out;
    size_t pos = 0;
    while (pos < all.size()) {
        const size_t nl = all.find('\n', pos);
        if (nl == std::string::npos)
            return {};
        const std::string head = all.substr(pos, nl - pos);
        pos = nl + 1;
        WireRecord r;
        size_t sp = head.find(' ');
        if (sp == std::string::npos)
            return {};
        const std::string kind = head.substr(0, sp);
        const unsigned long n = std::stoul(head.substr(sp + 1));
        if (kind == "!>" || kind == "!<") {
            r.gap = true;
            r.written = kind == "!>";
            r.gapBytes = uint32_t(n);
        } else if (kind == ">" || kind == "<") {
            r.written = kind == ">";
            if (pos + n + 1 > all.size())
                return {};
            r.bytes = all.substr(pos, n);
            pos += n + 1;
        } else {
            return {};
        }
        out.push_back(std::move(r));
    }
    return out;
}

/** Keeps the last version of every exchange and counts updates. */
class CollectingSink : public HttpSink {
public:
    void exchangeUpdated(const HttpExchange &ex, bool complete) override
    {
        ++updates;
        if (complete) {
            done.push_back(ex);
            ++completions[key(ex)];
        } else {
            ++partialUpdates;
        }
    }
    void connectionNote(const ConnKey &, const std::string &note) override { notes.push_back(note); }

    static std::string key(const HttpExchange &ex)
    {
        return std::to_string(ex.conn.conn) + "/" + std::to_string(ex.streamId) + "/" + std::to_string(ex.sequence);
    }
    const HttpExchange *byTarget(const std::string &target) const
    {
        for (const auto &e : done)
            if (e.request.target == target)
                return &e;
        return nullptr;
    }
    bool noteContains(const std::string &what) const
    {
        for (const auto &n : notes)
            if (n.find(what) != std::string::npos)
                return true;
        return false;
    }

    std::vector<HttpExchange> done;
    std::vector<std::string> notes;
    std::map<std::string, int> completions;
    int updates = 0;
    int partialUpdates = 0;
};

enum class Split {
    Whole,       ///< one chunk per call
    WithinCall,  ///< random pieces of one call (same call id, offsets), like 16 KiB records
    AsCalls,     ///< random pieces as separate calls, like many small SSL_read()s
};

/**
 * Feeds records to the decoder. Each record gets ktime = 1000 * (index + 1),
 * whatever the split, so results must not depend on the split at all.
 * maxPiece: random piece sizes are 1..maxPiece.
 */
inline void feedRecords(TlsDecoder &dec, const std::vector<WireRecord> &recs, Split split = Split::Whole,
                        uint32_t seed = 0, size_t maxPiece = 64, ConnKey conn = {42, 0x1000})
{
    std::mt19937 rng(seed);
    uint64_t callId = 1;
    for (size_t i = 0; i < recs.size(); ++i) {
        const WireRecord &r = recs[i];
        TlsChunk c;
        c.conn = conn;
        c.fd = 7;
        c.fromClient = r.written;
        c.ktimeNs = 1000 * (i + 1);
        if (r.gap) {
            c.callId = callId++;
            c.totalLen = r.gapBytes;
            c.dropped = r.gapBytes;
            dec.feed(c);
            continue;
        }
        if (split == Split::Whole) {
            c.callId = callId++;
            c.totalLen = uint32_t(r.bytes.size());
            c.data = r.bytes;
            dec.feed(c);
            continue;
        }
        const uint64_t id = callId++;
        size_t pos = 0;
        while (pos < r.bytes.size()) {
            const size_t n = std::min(r.bytes.size() - pos, size_t(1 + rng() % maxPiece));
            if (split == Split::WithinCall) {
                c.callId = id;
                c.offset = uint32_t(pos);
                c.totalLen = uint32_t(r.bytes.size());
            } else {
                c.callId = callId++;
                c.offset = 0;
                c.totalLen = uint32_t(n);
            }
            c.data = std::string_view(r.bytes).substr(pos, n);
            dec.feed(c);
            pos += n;
        }
    }
}

/// Everything a user could see of an exchange, as text: two equal texts mean equal results.
inline std::string describe(const HttpExchange &ex)
{
    std::ostringstream o;
    auto msg = [&](const char *what, const HttpMessage &m) {
        o << what << ' ' << m.method << ' ' << m.target << ' ' << m.authority << ' ' << m.scheme << ' ' << m.status
          << ' ' << m.version << " start=" << m.startNs << " first=" << m.firstBodyNs << " end=" << m.endNs << '\n';
        for (const auto &h : m.headers)
            o << "  h " << h.name << ": " << h.value << '\n';
        for (const auto &h : m.trailers)
            o << "  t " << h.name << ": " << h.value << '\n';
        o << "  body " << m.body.size() << " wire=" << m.wireBodyBytes << " decoded=" << m.decodedBodyBytes
          << " trunc=" << m.bodyTruncated << " omitted=" << m.bodyOmitted << " gap=" << m.gapBytes
          << " err=" << m.decodeError << " sseDropped=" << m.sseEventsDropped << " sseCut=" << m.sseEventsTruncated
          << '\n' << m.body << '\n';
        for (const auto &e : m.sse)
            o << "  sse " << e.event << " id=" << e.id << " t=" << e.ktimeNs << ' ' << e.data << '\n';
    };
    o << "exchange stream=" << ex.streamId << " seq=" << ex.sequence << " fd=" << ex.socketFd
      << " complete=" << ex.complete << " error=" << ex.error << '\n';
    msg("request", ex.request);
    if (ex.response)
        msg("response", *ex.response);
    for (const auto &w : ex.websocket)
        o << "  ws " << (w.fromClient ? "c" : "s") << " op=" << w.opcode << " trunc=" << w.truncated << " t=" << w.ktimeNs
          << " len=" << w.payload.size() << ' ' << w.payload << '\n';
    o << "  wsDropped=" << ex.websocketDropped << '\n';
    return o.str();
}

inline std::string describeAll(const CollectingSink &s)
{
    std::string out;
    for (const auto &e : s.done)
        out += describe(e);
    return out;
}

/// Decode a fixture and return the description of every completed exchange.
inline std::string decodeFixture(const std::vector<WireRecord> &recs, Split split, uint32_t seed, size_t maxPiece,
                                 const DecodeLimits &limits = {})
{
    CollectingSink sink;
    TlsDecoder dec(sink, limits);
    feedRecords(dec, recs, split, seed, maxPiece);
    dec.finish();
    std::string out = describeAll(sink);
    for (const auto &n : sink.notes)
        out += "note " + n + '\n';
    return out;
}

} // namespace agentsight::decode::test
