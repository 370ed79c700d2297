// SPDX-License-Identifier: GPL-2.0-or-later
// libFuzzer target: the Gemini generateContent decoder on untrusted request / response /
// stream bytes (first byte picks the shape, see fuzz_llm_input.h).
// Seeds: tests/fuzz/corpus/llm_gemini/.
#include "fuzz_llm_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    agentsight::llm::fuzz::decodeOne("generativelanguage.googleapis.com", "/v1beta/models/gemini-2.5-pro:streamGenerateContent?alt=sse",
                                     "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"hi\"}]}]}",
                                     data, size);
    return 0;
}
