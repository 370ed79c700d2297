// SPDX-License-Identifier: GPL-2.0-or-later
// libFuzzer target: the Anthropic Messages decoder on untrusted request / response /
// stream bytes (first byte picks the shape, see fuzz_llm_input.h).
// Seeds: tests/fuzz/corpus/llm_anthropic/.
#include "fuzz_llm_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    agentsight::llm::fuzz::decodeOne("api.anthropic.com", "/v1/messages?beta=true",
                                     "{\"model\":\"claude-sonnet-4-5\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                                     data, size);
    return 0;
}
