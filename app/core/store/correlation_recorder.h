// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/**
 * @brief Stores the correlation engine's conclusions in a recording: one link
 * row per (tool call -> action), one per (tool call -> reported result), and
 * an "unexplained_action" finding per action no call explains.
 *
 * Row text is meant for people and for tests alike, and is the same for a
 * live capture and a replay of it (it uses pids and the engine's
 * deterministic ids, never wall-clock or addresses).
 */
#include "correlate/link.h"
#include "store/recording_writer.h"

namespace agentsight::store {

/// "exec 1234: ls -la /tmp", "file_write 1234: /w/NOTES.md", "connect 1234: 127.0.0.1:443"
std::string describeAction(const model::Action &action);
/// "call toolu_01 bash" (Gemini calls without id: "call #<exchange>/<tool>")
std::string describeCall(const correlate::ToolCallRecord &call);

class CorrelationRecorder : public correlate::CorrelationSink {
public:
    explicit CorrelationRecorder(RecordingWriter &writer) : m_writer(writer) {}
    void onToolCall(const correlate::ToolCallRecord &record) override;
    void onUnexplained(const correlate::UnexplainedAction &action) override;

private:
    RecordingWriter &m_writer;
};

} // namespace agentsight::store
