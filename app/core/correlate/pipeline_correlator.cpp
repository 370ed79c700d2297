// SPDX-License-Identifier: GPL-2.0-or-later
#include "correlate/pipeline_correlator.h"

namespace agentsight::correlate {

PipelineCorrelator::PipelineCorrelator(CorrelationSink *sink, CorrelationLimits limits) : m_engine(sink, limits) {}

void PipelineCorrelator::onEvent(const wire::Event &event, std::string_view)
{
    m_engine.onEvent(event);
}

void PipelineCorrelator::onLlmExchange(const llm::LlmExchange &exchange, const decode::HttpExchange &source)
{
    m_engine.onLlmExchange(exchange, source.conn.tgid, source.conn.conn, source.socketFd);
}

void PipelineCorrelator::onEnd(int)
{
    m_engine.finish();
}

} // namespace agentsight::correlate
