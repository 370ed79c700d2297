// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/**
 * @brief What a CaptureSession publishes, for whoever wants it: the recorder
 * (store/), the process model and correlation engine (model/, correlate/),
 * the Qt models and the CLI's status line.
 *
 * Every callback has an empty default so a sink overrides only what it uses.
 * Calls are synchronous, on the thread that feeds the session, in stream
 * order; a sink must not block (the recorder queues, it never writes to disk
 * here). References are valid only during the call: copy what you keep.
 */
#include "agentsight_protocol.h"
#include "decode/http_exchange.h"
#include "llm/llm_exchange.h"
#include "wire/event.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace agentsight::pipeline {

/** Where records were lost. Each origin is counted separately, never summed silently. */
enum class LossOrigin {
    Kernel,      ///< BPF ring buffer full (AS_EV_LOST reason 1)
    HelperQueue, ///< helper's client queue full (AS_EV_LOST reason 2)
    SeqGap,      ///< sequence numbers skipped that no AS_EV_LOST explained
    BadRecord,   ///< a record that failed validation and was skipped
    Recorder,    ///< the recording writer's queue was full
};
const char *lossOriginName(LossOrigin origin); ///< "kernel", "helper_queue", ...

class PipelineSink {
public:
    virtual ~PipelineSink() = default;
    /// The helper's hello (versions, boot_to_wall anchor). Replays send the recorded one.
    virtual void onHello(const as_hello &) {}
    /// One validated record. rawRecord is the record exactly as captured (empty
    /// only when the session was fed a pre-parsed Event without bytes).
    virtual void onEvent(const wire::Event &, std::string_view /*rawRecord*/) {}
    /// An HTTP exchange grew; complete == true is its last report (see decode::HttpSink).
    virtual void onHttpExchange(const decode::HttpExchange &, bool /*complete*/) {}
    /// A completed HTTP exchange that is an LLM API call.
    virtual void onLlmExchange(const llm::LlmExchange &, const decode::HttpExchange & /*source*/) {}
    /// count records (or rows for Recorder) of one source were lost. source is
    /// an enum as_source value (AS_SRC_COUNT for "not a capture source").
    virtual void onLost(LossOrigin, uint32_t /*source*/, uint64_t /*count*/) {}
    virtual void onConnectionNote(const decode::ConnKey &, const std::string &) {}
    virtual void onHelperError(uint32_t /*code*/, const std::string & /*primary*/, const std::string & /*secondary*/) {}
    virtual void onHelperLog(const std::string &) {}
    virtual void onReady() {}
    virtual void onStats(const as_stats &) {}
    /// The stream ended; helperExitCode is the BYE code or -1 when none came.
    virtual void onEnd(int /*helperExitCode*/) {}
};

} // namespace agentsight::pipeline
