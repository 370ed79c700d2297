// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/**
 * @brief Shared by the decode fuzz targets: fuzzer bytes -> a sequence of
 * TLS records, and a sink that checks the caps the decoders promise (a broken
 * promise aborts, which the fuzzer reports as a crash).
 *
 * Record encoding (tests/fuzz/make_decode_corpus.py writes seeds in it):
 *   byte 0: bit0 written-by-traced-process, bit1 gap (nothing captured),
 *           bit2 continue the previous call (else a new call), bits 3-4 connection
 *   byte 1: length L (0 means 256); then L data bytes (a gap of L*37 bytes).
 */
#include "decode/tls_decoder.h"

#include <cstdio>
#include <cstdlib>
#include <functional>

namespace agentsight::decode::fuzz {

struct FuzzRecord {
    bool written = false;
    bool gap = false;
    bool sameCall = false;
    uint32_t conn = 0;
    std::string_view data;
    uint32_t gapBytes = 0;
};

/// Calls fn for each record in the input.
inline void forEachRecord(const uint8_t *data, size_t size, const std::function<void(const FuzzRecord &)> &fn)
{
    size_t pos = 0;
    while (pos + 2 <= size) {
        const uint8_t flags = data[pos];
        const size_t len = data[pos + 1] ? data[pos + 1] : 256;
        pos += 2;
        FuzzRecord r;
        r.written = flags & 1;
        r.gap = flags & 2;
        r.sameCall = flags & 4;
        r.conn = (flags >> 3) & 3;
        if (r.gap) {
            r.gapBytes = uint32_t(len * 37);
        } else {
            const size_t n = std::min(len, size - pos);
            r.data = std::string_view(reinterpret_cast<const char *>(data + pos), n);
            pos += n;
        }
        fn(r);
    }
}

/// Small caps so the fuzzer reaches them quickly.
inline DecodeLimits fuzzLimits()
{
    DecodeLimits l;
    l.maxBodyBytes = 64 << 10;
    l.maxDecodedCount = 1 << 20;
    l.maxHeaderBytes = 8 << 10;
    l.maxHeaderCount = 32;
    l.maxLineBytes = 4 << 10;
    l.maxPendingRequests = 8;
    l.maxH2Streams = 8;
    l.maxH2FrameBytes = 32 << 10;
    l.maxSseEventBytes = 4 << 10;
    l.maxSseEvents = 64;
    l.maxSniffBytes = 512;
    l.maxConnections = 3;
    return l;
}

#define AS_FUZZ_CHECK(cond)                                                                        \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            std::fprintf(stderr, "decode invariant broken: %s (%s:%d)\n", #cond, __FILE__, __LINE__); \
            std::abort();                                                                          \
        }                                                                                          \
    } while (0)

/** Checks every promise of HttpExchange against the limits. */
class CheckingSink : public HttpSink {
public:
    explicit CheckingSink(const DecodeLimits &l) : m_l(l) {}
    void exchangeUpdated(const HttpExchange &ex, bool complete) override
    {
        AS_FUZZ_CHECK(ex.complete == complete);
        check(ex.request);
        if (ex.response)
            check(*ex.response);
        ++updates;
    }
    void connectionNote(const ConnKey &, const std::string &note) override { AS_FUZZ_CHECK(note.size() < 4096); }
    int updates = 0;

private:
    void check(const HttpMessage &m)
    {
        AS_FUZZ_CHECK(m.body.size() <= m_l.maxBodyBytes);
        AS_FUZZ_CHECK(m.decodedBodyBytes >= m.body.size());
        AS_FUZZ_CHECK(m.headers.size() <= m_l.maxHeaderCount);
        AS_FUZZ_CHECK(m.sse.size() <= m_l.maxSseEvents);
        for (const auto &e : m.sse)
            AS_FUZZ_CHECK(e.data.size() <= m_l.maxSseEventBytes);
        AS_FUZZ_CHECK(!m.bodyTruncated || m.decodedBodyBytes > 0 || m.gapBytes > 0);
        AS_FUZZ_CHECK(m.gapBytes <= m.wireBodyBytes);
    }
    const DecodeLimits &m_l;
};

} // namespace agentsight::decode::fuzz
