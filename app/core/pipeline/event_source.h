// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/**
 * @brief Where a CaptureSession's records come from: the live helper socket
 * (HelperSocketSource), a recording (store::RecordingEventSource) or a list in
 * memory (MemoryEventSource, tests). Interchangeable, as libscap's engines are:
 * the same pipeline code runs on all three.
 */
#include <string>

namespace agentsight::pipeline {

class CaptureSession;

class EventSource {
public:
    virtual ~EventSource() = default;
    /**
     * Deliver everything into session until the source ends, a stop was
     * requested and honoured, or an error. Calls session.finish() at the end.
     * Returns false on error (see error()).
     */
    virtual bool run(CaptureSession &session) = 0;
    const std::string &error() const { return m_error; }

protected:
    bool fail(std::string message)
    {
        m_error = std::move(message);
        return false;
    }
    std::string m_error;
};

} // namespace agentsight::pipeline
