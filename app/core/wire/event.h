// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/**
 * @brief One capture record, validated and unpacked into owned fields.
 *
 * The raw layouts (agentsight_events.h) are only read here; everything above
 * (decode, correlate, store, models) works with Event. Fields not meaningful
 * for a type keep their defaults. Strings hold bytes exactly as captured
 * (paths and argv are not guaranteed UTF-8).
 */
#include "agentsight_events.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace agentsight::wire {

struct Address {
    uint16_t family = 0; ///< 1 unix, 2 inet, 10 inet6
    uint16_t port = 0;
    std::string host;    ///< "127.0.0.1", "::1", a unix path ("@name" if abstract)
    std::string toString() const; ///< "127.0.0.1:443", "[::1]:443", "/run/x.sock"
};

struct Event {
    // header
    uint16_t type = 0;
    uint16_t flags = 0;
    uint64_t ktimeNs = 0;
    uint64_t seq = 0;
    uint32_t tgid = 0;
    uint32_t tid = 0;

    // process: exec / fork / exit / chdir / mmap_exec
    uint64_t startNs = 0;
    uint32_t ppid = 0;
    uint32_t uid = 0;
    uint32_t argc = 0;
    std::string comm;
    std::string filename;
    std::vector<std::string> argv;
    std::string cwd;
    uint32_t childTgid = 0;
    uint32_t childTid = 0;
    bool thread = false;
    int32_t exitCode = 0;
    int32_t signal = 0;
    bool processExit = false;
    uint64_t ino = 0;
    uint32_t dev = 0;

    // file
    int32_t dirfd = 0;
    int32_t result = 0;
    uint32_t openFlags = 0;
    uint32_t mode = 0;
    std::string path;  ///< resolved path (open), raw path (other ops), cwd (chdir), file (mmap)
    std::string path2; ///< rename target
    std::string rawPath;
    int32_t fd = -1;
    uint32_t ioFlags = 0;
    uint64_t bytesRead = 0;
    uint64_t bytesWritten = 0;
    uint32_t reads = 0;
    uint32_t writes = 0;

    // network
    Address addr;      ///< connect: remote, bind: local, accept: peer, dns: server
    uint32_t sockType = 0;
    uint32_t backlog = 0;
    uint64_t skaddr = 0;
    int32_t oldState = 0;
    int32_t newState = 0;
    Address src, dst;  ///< tcp_state

    // TLS data (and DNS message bytes)
    uint64_t conn = 0;
    uint64_t callId = 0;
    uint8_t dir = 0;   ///< AS_TLS_WRITE (sent by the process) / AS_TLS_READ
    uint8_t api = 0;
    uint32_t totalLen = 0;
    uint32_t offset = 0;
    uint32_t dropped = 0;
    std::string data;

    // helper-made
    uint32_t source = 0;
    uint32_t reason = 0;
    uint64_t count = 0;
    uint32_t status = 0;   ///< tls_attach status / target kind
    int32_t error = 0;
    uint32_t probes = 0;
    std::string strategy;
    uint32_t targetKind = 0;
    uint32_t targetOp = 0;
    int32_t exitStatus = 0;
    std::string name;

    bool truncated() const { return flags & AS_F_TRUNCATED; }
    bool snapshot() const { return flags & AS_F_SNAPSHOT; }
};

/// Validates and unpacks one record. Unknown types are accepted with only the
/// header filled (newer minor schema); impossible sizes are rejected.
bool parseEvent(std::string_view record, Event &out, std::string *error = nullptr);

/// Stable lower-case name of a record type ("exec", "open", "tls_data"...).
const char *eventTypeName(uint16_t type);
/// The source a record type belongs to (enum as_source).
uint32_t eventSource(uint16_t type);

} // namespace agentsight::wire
