// SPDX-License-Identifier: GPL-2.0-or-later
// Decode throughput and per-connection memory (not a ctest; run by hand):
//   cmake --build BUILD --target bench_decode && BUILD/tests/bench_decode
// 1. an SSE-heavy Anthropic-style streaming response (HTTP/1.1 chunked),
// 2. a large HTTP/1.1 JSON request (Content-Length),
// 3. the same SSE stream gzip-compressed,
// each fed in 16 KiB TLS records (AS_TLS_CHUNK) on one core; then the memory
// one idle HTTP/1 and one idle HTTP/2 connection costs.
#include "decode/tls_decoder.h"
#include "decode/sniff.h"

#include <zlib.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

using namespace agentsight::decode;

namespace {

class CountingSink : public HttpSink {
public:
    void exchangeUpdated(const HttpExchange &ex, bool complete) override
    {
        ++updates;
        if (complete && ex.response)
            events += ex.response->sse.size();
    }
    void connectionNote(const ConnKey &, const std::string &) override { ++notes; }
    uint64_t updates = 0, events = 0, notes = 0;
};

std::string sseStream(int events)
{
    std::string s = "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_01\",\"model\":\"claude\"}}\n\n";
    for (int i = 0; i < events; ++i)
        s += "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"token "
           + std::to_string(i) + " of the answer\"}}\n\n";
    return s + "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n";
}

std::string chunked(const std::string &body, size_t piece)
{
    std::string out;
    char hex[32];
    for (size_t i = 0; i < body.size(); i += piece) {
        const size_t n = std::min(piece, body.size() - i);
        std::snprintf(hex, sizeof hex, "%zx\r\n", n);
        out += hex + body.substr(i, n) + "\r\n";
    }
    return out + "0\r\n\r\n";
}

std::string gzip(const std::string &in)
{
    z_stream z{};
    deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
    std::string out(deflateBound(&z, uLong(in.size())), '\0');
    z.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(in.data()));
    z.avail_in = uInt(in.size());
    z.next_out = reinterpret_cast<Bytef *>(out.data());
    z.avail_out = uInt(out.size());
    deflate(&z, Z_FINISH);
    out.resize(out.size() - z.avail_out);
    deflateEnd(&z);
    return out;
}

/// Feeds request then response in 16 KiB records; returns seconds.
double run(const std::string &request, const std::string &response, int reps, CountingSink &sink)
{
    const auto t0 = std::chrono::steady_clock::now();
    uint64_t call = 0;
    for (int r = 0; r < reps; ++r) {
        TlsDecoder dec(sink);
        for (const std::string *side : {&request, &response}) {
            const bool written = side == &request;
            for (size_t off = 0; off < side->size(); off += 16384) {
                TlsChunk c;
                c.conn = {1, 1};
                c.fromClient = written;
                c.ktimeNs = off;
                c.callId = ++call;
                c.data = std::string_view(*side).substr(off, 16384);
                c.totalLen = uint32_t(c.data.size());
                dec.feed(c);
            }
        }
        dec.finish();
    }
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

long rssKiB()
{
    std::ifstream f("/proc/self/statm");
    long pages = 0, rss = 0;
    f >> pages >> rss;
    return rss * 4;
}

void report(const char *what, size_t bytes, int reps, double secs)
{
    std::printf("%-44s %8.1f MB/s  (%zu bytes x %d in %.3f s)\n", what, double(bytes) * reps / secs / 1e6, bytes, reps,
                secs);
}

} // namespace

int main(int argc, char **argv)
{
    // Optional argument: run only one part (sse, gzip, json, memory).
    const std::string only = argc > 1 ? argv[1] : "";
    auto want = [&](const char *part) { return only.empty() || only == part; };
    const std::string sse = sseStream(40000);
    const std::string sseReq = "POST /v1/messages?beta=true HTTP/1.1\r\nHost: api.anthropic.com\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}";
    const std::string sseResp = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n" + chunked(sse, 300);
    if (want("sse")) {
        CountingSink sink;
        const int reps = 20;
        const double s = run(sseReq, sseResp, reps, sink);
        report("SSE stream, chunked (40k events)", sseResp.size(), reps, s);
        std::printf("%-44s %8.2f us/event, %llu events, %llu sink updates\n", "", s * 1e6 / double(sink.events),
                    (unsigned long long)sink.events, (unsigned long long)sink.updates);
    }
    if (want("gzip")) {
        const std::string gz = gzip(sse);
        const std::string resp = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nContent-Encoding: gzip\r\nContent-Length: "
                               + std::to_string(gz.size()) + "\r\n\r\n" + gz;
        CountingSink sink;
        const int reps = 20;
        const double s = run(sseReq, resp, reps, sink);
        report("SSE stream, gzip (wire bytes)", resp.size(), reps, s);
        report("SSE stream, gzip (decoded bytes)", sse.size(), reps, s);
    }
    if (want("json")) {
        std::string json = "{\"model\":\"claude\",\"messages\":[";
        while (json.size() < (8u << 20))
            json += "{\"role\":\"user\",\"content\":\"" + std::string(900, 'q') + "\"},";
        json += "{}]}";
        const std::string req = "POST /v1/messages HTTP/1.1\r\nHost: api.anthropic.com\r\nContent-Type: application/json\r\nContent-Length: "
                              + std::to_string(json.size()) + "\r\n\r\n" + json;
        const std::string resp = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}";
        CountingSink sink;
        const int reps = 20;
        const double s = run(req, resp, reps, sink);
        report("large JSON request, Content-Length (8 MiB)", req.size(), reps, s);
    }
    if (want("memory")) {
        // Idle connections: one request head waiting for its response (HTTP/1),
        // or preface + SETTINGS + one open stream (HTTP/2: two HPACK inflaters).
        const int n = 20000;
        CountingSink sink;
        DecodeLimits limits;
        limits.maxConnections = 2 * n;
        TlsDecoder dec(sink, limits);
        const std::string req = "GET /v1/models HTTP/1.1\r\nHost: api.example.com\r\nAccept: */*\r\n\r\n";
        const long before = rssKiB();
        for (int i = 0; i < n; ++i) {
            TlsChunk c;
            c.conn = {1, uint64_t(i)};
            c.callId = uint64_t(i);
            c.data = req;
            c.totalLen = uint32_t(req.size());
            dec.feed(c);
        }
        const long h1 = rssKiB();
        std::string h2 = std::string(kH2Preface) + std::string("\x00\x00\x00\x04\x00\x00\x00\x00\x00", 9);
        // HEADERS (stream 1, END_HEADERS|END_STREAM): :method GET, :scheme https, :path /, :authority a
        const std::string block = std::string("\x82\x87\x84\x41\x01" "a", 6);
        h2 += std::string("\x00\x00", 2) + char(block.size()) + std::string("\x01\x05\x00\x00\x00\x01", 6) + block;
        for (int i = 0; i < n; ++i) {
            TlsChunk c;
            c.conn = {2, uint64_t(i)};
            c.callId = uint64_t(n + i);
            c.data = h2;
            c.totalLen = uint32_t(h2.size());
            dec.feed(c);
        }
        const long both = rssKiB();
        std::printf("%-44s %8.0f bytes/connection (RSS, %d connections)\n", "idle HTTP/1 connection, 1 pending request",
                    double(h1 - before) * 1024 / n, n);
        std::printf("%-44s %8.0f bytes/connection (RSS, %d connections)\n", "idle HTTP/2 connection, 1 open stream",
                    double(both - h1) * 1024 / n, n);
        std::printf("(%llu notes: expected 0 unless the HTTP/2 bytes were misread)\n", (unsigned long long)sink.notes);
    }
    return 0;
}
