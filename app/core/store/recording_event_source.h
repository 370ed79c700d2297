// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/**
 * @brief Replays a recording through the pipeline: the recorded hello, then
 * every raw record in capture order, then finish(). Because the records are
 * stored byte-exact, the replay rebuilds the same HTTP and LLM exchanges the
 * live session saw (the recording's own exchange rows are not read).
 */
#include "pipeline/event_source.h"

namespace agentsight::store {

class Recording;

class RecordingEventSource : public pipeline::EventSource {
public:
    explicit RecordingEventSource(Recording &recording) : m_rec(recording) {}
    bool run(pipeline::CaptureSession &session) override;

private:
    Recording &m_rec;
};

} // namespace agentsight::store
