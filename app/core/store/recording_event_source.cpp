// SPDX-License-Identifier: GPL-2.0-or-later
#include "store/recording_event_source.h"

#include "pipeline/capture_session.h"
#include "store/recording.h"

#include <cstring>

namespace agentsight::store {

bool RecordingEventSource::run(pipeline::CaptureSession &session)
{
    if (auto hello = m_rec.metaText("hello"); hello && hello->size() == sizeof(as_hello)) {
        as_hello h{};
        std::memcpy(&h, hello->data(), sizeof h);
        session.setHello(h);
    }
    const bool ok = m_rec.forEachEvent([&](const EventRow &r) {
        session.processRecord(r.raw);
        return true;
    });
    const int exitCode = int(m_rec.metaInt("helper_exit_code").value_or(-1));
    session.finish(exitCode);
    return ok || fail(m_rec.lastError());
}

} // namespace agentsight::store
