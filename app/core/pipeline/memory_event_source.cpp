// SPDX-License-Identifier: GPL-2.0-or-later
#include "pipeline/memory_event_source.h"

#include "pipeline/capture_session.h"

namespace agentsight::pipeline {

bool MemoryEventSource::run(CaptureSession &session)
{
    if (m_hello)
        session.setHello(*m_hello);
    for (const auto &r : m_records)
        session.processRecord(r);
    session.finish(0);
    return true;
}

} // namespace agentsight::pipeline
