// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/**
 * @brief The live source: a connection to agentsight-helper's Unix socket
 * (plain fds and poll, no event loop needed, so the CLI stays headless).
 *
 * run() reads until the helper says BYE and closes, the socket breaks, or a
 * stop was requested and the helper finished. requestStop() is
 * async-signal-safe (a write to a self-pipe), so a SIGINT handler may call it:
 * it sends AS_FRAME_STOP and keeps reading the helper's final records, so
 * Ctrl-C loses nothing the kernel already gave.
 */
#include "pipeline/event_source.h"

#include <cstdint>
#include <functional>
#include <string>

namespace agentsight::pipeline {

class HelperSocketSource : public EventSource {
public:
    HelperSocketSource();
    ~HelperSocketSource() override;
    HelperSocketSource(const HelperSocketSource &) = delete;
    HelperSocketSource &operator=(const HelperSocketSource &) = delete;

    /// Connect, retrying until timeoutMs while `alive` (if given) says the
    /// helper is still starting. False with error() when it never came up.
    bool connectTo(const std::string &path, int timeoutMs, const std::function<bool()> &alive = {});
    bool run(CaptureSession &session) override;
    /// Async-signal-safe.
    void requestStop();
    /// Called about every intervalMs while running (status lines, queue checks).
    void setTick(int intervalMs, std::function<void()> tick);
    bool stopRequested() const { return m_stopSent; }

private:
    bool sendFrame(uint16_t kind, const std::string &payload);

    int m_fd = -1;
    int m_wake[2] = {-1, -1};
    bool m_stopSent = false;
    int m_tickMs = 0;
    std::function<void()> m_tick;
};

} // namespace agentsight::pipeline
