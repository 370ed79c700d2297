// SPDX-License-Identifier: GPL-2.0-or-later
// libFuzzer target: the OpenAI Responses decoder on untrusted request / response /
// stream bytes (first byte picks the shape, see fuzz_llm_input.h).
// Seeds: tests/fuzz/corpus/llm_openai_responses/.
#include "fuzz_llm_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    agentsight::llm::fuzz::decodeOne("api.openai.com", "/v1/responses",
                                     "{\"model\":\"gpt-5\",\"stream\":true,\"input\":\"hi\"}",
                                     data, size);
    return 0;
}
