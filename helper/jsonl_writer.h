// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
// --jsonl: the same records as the socket, one JSON object per line, for
// debugging and scripts. Layout documented in docs/PROTOCOL.md. Captured
// bytes (TLS, DNS) are base64: the helper never interprets them.
#include <cstdint>
#include <cstdio>
#include <string>

namespace agentsight::helper {

class JsonlWriter {
public:
    ~JsonlWriter();
    bool open(const std::string &path, std::string &error); ///< "-" = stdout
    void write(const uint8_t *rec, size_t size);
    void writeLine(const std::string &json);
    void flush();
    bool isOpen() const { return m_file != nullptr; }

    /// One record as JSON (no newline). Exposed for tests.
    static std::string format(const uint8_t *rec, size_t size, int64_t bootToWallNs);
    void setBootToWall(int64_t v) { m_bootToWall = v; }

private:
    FILE *m_file = nullptr;
    bool m_ownsFile = false;
    int64_t m_bootToWall = 0;
};

} // namespace agentsight::helper
