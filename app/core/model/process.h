// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/**
 * @brief One process as the model knows it: identity safe against pid reuse
 * (tgid + start time), lineage, exec history, cwd, exit, fd table and a
 * capped history of its file, network and DNS activity.
 *
 * Histories keep the first N entries (the start of a process says most about
 * it) and count the rest in *Dropped; counts of everything are kept in full.
 */
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace agentsight::model {

struct ExecRecord {
    uint64_t ktimeNs = 0;
    std::string filename;
    std::vector<std::string> argv;
    std::string cwd;
    bool truncated = false; ///< argv/cwd/filename cut by the collector (AS_F_TRUNCATED)
    bool snapshot = false;  ///< read from /proc at attach time, not seen live
};

/** What an open fd refers to. */
struct FdEntry {
    enum class Kind : uint8_t { File, Socket };
    Kind kind = Kind::File;
    std::string path;        ///< File: resolved path
    uint32_t openFlags = 0;  ///< File: O_* (O_CLOEXEC entries go at exec)
    std::string remote;      ///< Socket: "1.2.3.4:443", "/run/x.sock"
    std::string hostName;    ///< Socket: DNS name queried just before connect ("" unknown)
};

struct FileActivity {
    uint64_t ktimeNs = 0;
    uint16_t type = 0;       ///< AS_EV_FILE_*
    std::string path;
    std::string path2;       ///< rename target
    uint32_t openFlags = 0;
    int32_t result = 0;
};

struct NetActivity {
    uint64_t ktimeNs = 0;
    uint16_t type = 0;       ///< AS_EV_NET_CONNECT / ACCEPT / BIND / LISTEN
    std::string address;     ///< Address::toString()
    std::string hostName;
    int32_t result = 0;
};

struct DnsQuery {
    uint64_t ktimeNs = 0;
    std::string name;
    uint16_t qtype = 0;
};

struct Process {
    uint64_t id = 0;          ///< model-wide, never reused
    uint32_t tgid = 0;
    uint64_t startNs = 0;
    bool startApprox = false; ///< start came from a snapshot (10 ms precision)
    uint32_t ppid = 0;
    uint64_t parentId = 0;    ///< 0: no tracked parent (an agent root, or unknown)
    uint32_t agentId = 0;
    bool placeholder = false; ///< made for events whose fork/exec never arrived
    uint64_t firstSeenNs = 0;

    std::string comm;
    std::string filename;     ///< of the latest exec
    std::vector<std::string> argv;
    std::string cwd;          ///< updated by exec and chdir
    uint32_t uid = 0;
    std::vector<ExecRecord> execs;
    uint32_t execCount = 0;
    uint32_t execsDropped = 0;

    bool exited = false;
    bool exitSeen = false;    ///< false: ended because its pid was reused without an exit record
    int32_t exitCode = 0;
    int32_t exitSignal = 0;
    uint64_t exitNs = 0;

    std::map<int32_t, FdEntry> fds;
    uint64_t fdsDropped = 0;

    std::vector<FileActivity> files;
    uint64_t fileCount = 0;
    uint64_t filesDropped = 0;
    std::vector<NetActivity> net;
    uint64_t netCount = 0;
    uint64_t netDropped = 0;
    std::vector<DnsQuery> dns;
    uint64_t dnsCount = 0;
    uint64_t dnsDropped = 0;

    std::vector<uint64_t> children;
    uint64_t childrenDropped = 0;
};

} // namespace agentsight::model
