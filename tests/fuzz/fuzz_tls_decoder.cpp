// SPDX-License-Identifier: GPL-2.0-or-later
// libFuzzer target: TlsDecoder as a whole: several connections, call
// reassembly with fuzzer-chosen offsets, drops and duplicates, role and
// protocol sniffing, then HTTP/1 or HTTP/2. Input: fuzz_decode_input.h (a
// record's first data byte, when bit2 "same call" is set, skews its offset).
// Seeds: corpus/tls_decoder/.
#include "fuzz_decode_input.h"

using namespace agentsight::decode;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const DecodeLimits limits = fuzz::fuzzLimits();
    fuzz::CheckingSink sink(limits);
    TlsDecoder dec(sink, limits);
    uint64_t t = 0, call = 0;
    uint32_t offset[4][2] = {};
    fuzz::forEachRecord(data, size, [&](const fuzz::FuzzRecord &r) {
        TlsChunk c;
        c.conn = ConnKey{100, r.conn};
        c.fd = int(r.conn);
        c.fromClient = r.written;
        c.ktimeNs = ++t;
        uint32_t &off = offset[r.conn][r.written ? 1 : 0];
        if (!r.sameCall) {
            ++call;
            off = 0;
        }
        c.callId = call;
        c.offset = off;
        if (r.gap) {
            c.totalLen = off + r.gapBytes;
            c.dropped = r.gapBytes;
        } else {
            c.data = r.data;
            c.totalLen = off + uint32_t(r.data.size()) + (r.sameCall ? 64 : 0);
        }
        dec.feed(c);
        off += uint32_t(r.data.size());
        if (r.data.size() == 3) // occasionally close a connection mid-way
            dec.closeConnection(c.conn, t);
    });
    dec.finish();
    AS_FUZZ_CHECK(dec.openConnections() == 0);
    return 0;
}
