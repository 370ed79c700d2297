// SPDX-License-Identifier: GPL-2.0-or-later
// libFuzzer target: one HTTP/2 connection after its preface (frames, HPACK via
// nghttp2, CONTINUATION, padding, streams, RST/GOAWAY/SETTINGS), both
// directions. Input format: fuzz_decode_input.h. Seeds: corpus/http2/.
#include "decode/http2_session.h"
#include "decode/sniff.h"
#include "fuzz_decode_input.h"

using namespace agentsight::decode;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const DecodeLimits limits = fuzz::fuzzLimits();
    DecodeStats stats;
    fuzz::CheckingSink sink(limits);
    SessionContext ctx{ConnKey{1, 1}, 3, sink, limits, stats};
    Http2Session session(ctx, false);
    // The preface is given so the fuzzer spends its time on frames.
    session.data(true, kH2Preface, 0, true);
    uint64_t t = 0;
    fuzz::forEachRecord(data, size, [&](const fuzz::FuzzRecord &r) {
        ++t;
        if (r.gap)
            session.gap(r.written, r.gapBytes, t);
        else
            session.data(r.written, r.data, t, !r.sameCall);
    });
    session.close(t + 1);
    return 0;
}
