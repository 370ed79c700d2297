// SPDX-License-Identifier: GPL-2.0-or-later
// libFuzzer target: ContentDecoder (gzip, deflate zlib/raw, br, zstd, stacked)
// on arbitrary compressed bytes. Byte 0 picks the coding list, byte 1 the
// feed size. The consumer stops at 1 MiB, which must bound the work.
// Seeds: corpus/content_decoder/.
#include "decode/content_decoder.h"
#include "fuzz_decode_input.h"

using namespace agentsight::decode;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    static const char *codings[] = {"gzip", "deflate", "br", "zstd", "gzip, br", "br, gzip", "zstd, gzip", "deflate, deflate"};
    std::string err;
    auto dec = ContentDecoder::create(codings[data[0] % 8], err);
    AS_FUZZ_CHECK(dec != nullptr);
    const size_t piece = 1 + data[1];
    const std::string_view in(reinterpret_cast<const char *>(data + 2), size - 2);
    size_t produced = 0;
    auto out = [&](std::string_view d) {
        produced += d.size();
        return produced < (1u << 20);
    };
    bool ok = true;
    for (size_t i = 0; i < in.size() && ok; i += piece)
        ok = dec->feed(in.substr(i, piece), out);
    if (ok)
        ok = dec->finish(out);
    AS_FUZZ_CHECK(produced < (1u << 20) + (64u << 10)); // stops within one output piece per stage
    AS_FUZZ_CHECK(ok || !dec->error().empty());
    return 0;
}
