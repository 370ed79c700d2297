// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/**
 * @brief An EventSource over raw records held in memory: tests build records
 * with the real layouts of agentsight_events.h and push them through the
 * real pipeline.
 */
#include "agentsight_protocol.h"
#include "pipeline/event_source.h"

#include <optional>
#include <string>
#include <vector>

namespace agentsight::pipeline {

class MemoryEventSource : public EventSource {
public:
    MemoryEventSource() = default;
    explicit MemoryEventSource(std::vector<std::string> records) : m_records(std::move(records)) {}
    void setHello(const as_hello &hello) { m_hello = hello; }
    void append(std::string record) { m_records.push_back(std::move(record)); }
    const std::vector<std::string> &records() const { return m_records; }
    bool run(CaptureSession &session) override;

private:
    std::vector<std::string> m_records;
    std::optional<as_hello> m_hello;
};

} // namespace agentsight::pipeline
