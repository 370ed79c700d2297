// SPDX-License-Identifier: GPL-2.0-or-later
// libFuzzer target: one HTTP/1.x connection, both directions (request and
// response parsers, pairing, bodies, content-encodings, SSE), with gaps and
// call boundaries chosen by the fuzzer. Input format: fuzz_decode_input.h.
// Seeds: tests/fuzz/corpus/http1/ (tests/fuzz/make_decode_corpus.py).
#include "decode/http1_session.h"
#include "fuzz_decode_input.h"

using namespace agentsight::decode;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const DecodeLimits limits = fuzz::fuzzLimits();
    DecodeStats stats;
    fuzz::CheckingSink sink(limits);
    SessionContext ctx{ConnKey{1, 1}, 3, sink, limits, stats};
    Http1Session session(ctx, false, false);
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
