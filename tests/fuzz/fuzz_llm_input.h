// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/**
 * @brief Shared by the fuzz_llm_* targets: turn fuzzer bytes into an
 * HttpExchange for one provider and decode it. The first byte picks the shape:
 *   0 request body (no response), 1 JSON response body, 2 SSE stream
 *   (blocks split on a blank line, "event: x" lines set the type, other lines
 *   are data), 3 error status with the bytes as body; bit 2 adds a request
 *   body that is itself the input, bit 3 marks bodies truncated.
 * Asserts the invariants the decoders promise, so a violation is a crash the
 * fuzzer reports.
 */
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "llm/llm_decoder.h"
#include "llm/price_table.h"

namespace agentsight::llm::fuzz {

inline std::vector<decode::SseEvent> splitEvents(const std::string &s)
{
    std::vector<decode::SseEvent> events;
    std::size_t pos = 0;
    uint64_t t = 1;
    while (pos < s.size()) {
        std::size_t end = s.find("\n\n", pos);
        if (end == std::string::npos)
            end = s.size();
        decode::SseEvent e;
        e.event = "message";
        e.ktimeNs = t++;
        std::size_t lpos = pos;
        while (lpos < end) {
            std::size_t nl = s.find('\n', lpos);
            if (nl == std::string::npos || nl > end)
                nl = end;
            const std::string line = s.substr(lpos, nl - lpos);
            if (line.rfind("event:", 0) == 0)
                e.event = line.substr(6);
            else
                e.data += (e.data.empty() ? "" : "\n") + (line.rfind("data:", 0) == 0 ? line.substr(5) : line);
            lpos = nl + 1;
        }
        events.push_back(std::move(e));
        pos = end + 2;
    }
    return events;
}

inline void decodeOne(const char *host, const char *target, const char *minimalRequest, const uint8_t *data, std::size_t size)
{
    if (size < 1 || size > (1u << 20))
        return;
    static const PriceTable prices = [] {
        PriceTable t;
        QString err;
        t.loadFile(PriceTable::builtInPath(), &err);
        return t;
    }();
    static LlmLimits limits = [] {
        LlmLimits l;
        l.maxFieldBytes = 4096; // small caps so the fuzzer reaches them
        l.maxTotalTextBytes = 64 * 1024;
        l.maxMessages = 16;
        l.maxPartsPerMessage = 8;
        l.maxTools = 8;
        l.maxToolCalls = 8;
        l.maxToolResults = 8;
        l.maxStreamEvents = 4096;
        return l;
    }();
    static const LlmDecoder decoder(&prices, limits);

    const uint8_t mode = data[0];
    const std::string bytes(reinterpret_cast<const char *>(data + 1), size - 1);
    decode::HttpExchange ex;
    ex.request.method = "POST";
    ex.request.authority = host;
    ex.request.target = target;
    ex.request.body = (mode & 3) == 0 || (mode & 4) ? bytes : std::string(minimalRequest);
    ex.request.bodyTruncated = (mode & 8) != 0;
    if ((mode & 3) != 0) {
        decode::HttpMessage resp;
        resp.status = (mode & 3) == 3 ? 400 + (mode >> 4) : 200;
        if ((mode & 3) == 2) {
            resp.headers.push_back({"content-type", "text/event-stream"});
            resp.sse = splitEvents(bytes);
        } else {
            resp.headers.push_back({"content-type", "application/json"});
            resp.body = bytes;
        }
        resp.bodyTruncated = (mode & 8) != 0;
        ex.response = std::move(resp);
        ex.complete = true;
    }
    const auto out = decoder.decode(ex);
    if (!out)
        return;
    // Promised bounds: violations abort so the fuzzer keeps the input.
    if (out->responseText.size() > limits.maxFieldBytes || out->thinkingText.size() > limits.maxFieldBytes
        || out->messages.size() > limits.maxMessages || out->tools.size() > limits.maxTools
        || out->toolCalls.size() > limits.maxToolCalls || out->toolResults.size() > limits.maxToolResults
        || out->warnings.size() > limits.maxWarnings + 1
        || (out->costUsd && !(*out->costUsd >= 0)))
        std::abort();
    for (const Message &m : out->messages)
        if (m.parts.size() > limits.maxPartsPerMessage)
            std::abort();
    (void)out->toJson();
}

} // namespace agentsight::llm::fuzz
