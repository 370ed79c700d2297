// SPDX-License-Identifier: GPL-2.0-or-later
// libFuzzer target: WebSocketDecoder, both directions: frame headers of every
// length form, masking, fragmentation, control frames, permessage-deflate
// (with and without context takeover), gaps. Byte 0 picks the negotiated
// extension; the rest is records as in fuzz_decode_input.h.
// Seeds: corpus/websocket/.
#include "decode/websocket_decoder.h"
#include "fuzz_decode_input.h"

using namespace agentsight::decode;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    static const char *extensions[] = {"", "permessage-deflate", "permessage-deflate; server_no_context_takeover",
                                       "permessage-deflate; server_no_context_takeover; client_no_context_takeover"};
    DecodeLimits limits = fuzz::fuzzLimits();
    limits.maxWsMessageBytes = 4096;
    limits.maxWsMessages = 16;
    WebSocketDecoder ws(extensions[data[0] & 3], limits);
    std::vector<WsMessage> out;
    uint64_t dropped = 0, t = 0;
    fuzz::forEachRecord(data + 1, size - 1, [&](const fuzz::FuzzRecord &r) {
        ++t;
        if (r.gap)
            ws.gap(r.written, r.gapBytes, t, out, dropped);
        else
            ws.data(r.written, r.data, t, out, dropped);
    });
    AS_FUZZ_CHECK(out.size() <= limits.maxWsMessages);
    for (const auto &m : out) {
        AS_FUZZ_CHECK(m.payload.size() <= limits.maxWsMessageBytes);
        AS_FUZZ_CHECK(m.opcode >= 1 && m.opcode <= 10);
    }
    return 0;
}
