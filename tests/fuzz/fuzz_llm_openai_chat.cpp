// SPDX-License-Identifier: GPL-2.0-or-later
// libFuzzer target: the OpenAI Chat Completions decoder on untrusted request / response /
// stream bytes (first byte picks the shape, see fuzz_llm_input.h).
// Seeds: tests/fuzz/corpus/llm_openai_chat/.
#include "fuzz_llm_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    agentsight::llm::fuzz::decodeOne("api.openai.com", "/v1/chat/completions",
                                     "{\"model\":\"gpt-4o\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                                     data, size);
    return 0;
}
