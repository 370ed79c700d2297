// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/**
 * @brief The correlation engine as a pipeline sink: capture records and LLM
 * exchanges in, tool-call links and unexplained actions out to a
 * CorrelationSink. The one adapter the recorder, `agentsight replay` and
 * tests share, so live capture and replay correlate identically.
 */
#include "correlate/correlation_engine.h"
#include "pipeline/pipeline_sink.h"

namespace agentsight::correlate {

class PipelineCorrelator : public pipeline::PipelineSink {
public:
    explicit PipelineCorrelator(CorrelationSink *sink, CorrelationLimits limits = {});

    void onEvent(const wire::Event &event, std::string_view rawRecord) override;
    void onLlmExchange(const llm::LlmExchange &exchange, const decode::HttpExchange &source) override;
    void onEnd(int helperExitCode) override;

    CorrelationEngine &engine() { return m_engine; }

private:
    CorrelationEngine m_engine;
};

} // namespace agentsight::correlate
