// SPDX-License-Identifier: GPL-2.0-or-later
// libFuzzer target: SseParser on arbitrary text, split where the fuzzer says.
// Checks that the split does not change the events (the parser's promise).
// Input: byte 0 = split stride seed, rest = the stream. Seeds: corpus/sse/.
#include "decode/sse_parser.h"
#include "fuzz_decode_input.h"

using namespace agentsight::decode;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const size_t stride = 1 + data[0] % 17;
    const std::string_view s(reinterpret_cast<const char *>(data + 1), size - 1);
    SseParser whole(256, 32), split(256, 32);
    std::vector<SseEvent> a, b;
    whole.feed(s, 1, a);
    for (size_t i = 0; i < s.size(); i += stride)
        split.feed(s.substr(i, stride), 1, b);
    AS_FUZZ_CHECK(a.size() == b.size());
    AS_FUZZ_CHECK(a.size() <= 32);
    for (size_t i = 0; i < a.size(); ++i) {
        AS_FUZZ_CHECK(a[i].data == b[i].data);
        AS_FUZZ_CHECK(a[i].event == b[i].event);
        AS_FUZZ_CHECK(a[i].id == b[i].id);
        AS_FUZZ_CHECK(a[i].data.size() <= 256);
    }
    AS_FUZZ_CHECK(whole.eventsDropped() == split.eventsDropped());
    return 0;
}
