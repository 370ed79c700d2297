// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/**
 * @brief One thing a traced process did that a tool call may explain: an
 * exec, a file operation, a connection, a DNS query. ProcessTree makes these
 * from capture records; correlate/ links them to tool calls.
 *
 * Self-contained on purpose (process identity, lineage, cwd copied in): the
 * correlator keeps actions after their processes were evicted from the tree.
 */
#include <cstdint>
#include <string>
#include <vector>

#include <QJsonObject>

namespace agentsight::model {

enum class ActionKind : uint8_t {
    Exec,      ///< a new program image (argv)
    FileRead,  ///< open without write intent
    FileWrite, ///< open with O_WRONLY / O_RDWR / O_CREAT / O_TRUNC / O_APPEND
    Unlink,
    Rename,
    Mkdir,
    Chmod,
    Connect,
    Dns,       ///< a DNS query sent (name decoded from the captured message)
};
const char *actionKindName(ActionKind kind); ///< stable id: "exec", "file_write", ...

struct Action {
    uint64_t id = 0;          ///< 1-based, in the order the tree produced it (deterministic)
    ActionKind kind = ActionKind::Exec;
    uint64_t ktimeNs = 0;
    uint64_t processId = 0;   ///< ProcessTree id (never reused, unlike pids)
    uint32_t tgid = 0;
    uint64_t startNs = 0;     ///< with tgid: the pid-reuse-safe process key
    uint32_t agentId = 0;     ///< 0: the process belongs to no known agent
    /// processId, its parent, grandparent... up to the agent root (capped:
    /// ModelLimits::maxLineage). Lets correlate/ test "in the subtree of X".
    std::vector<uint64_t> lineage;
    std::string comm;
    std::string cwd;          ///< of the process when it acted
    std::vector<std::string> argv; ///< Exec only
    std::string path;         ///< file: absolute when resolvable; exec: the file executed
    std::string path2;        ///< Rename: the new name
    std::string host;         ///< Connect: remote address text; Dns: queried name
    uint16_t port = 0;        ///< Connect
    uint16_t family = 0;      ///< Connect: 1 unix, 2 inet, 10 inet6
    std::string hostName;     ///< Connect: DNS name queried just before by this process ("" unknown)
    int32_t result = 0;       ///< as the syscall returned (fd, 0, -errno)
    uint32_t openFlags = 0;
    bool failed = false;      ///< result < 0 (connect: except -EINPROGRESS)

    QJsonObject toJson() const; ///< stable keys, for reports and golden comparisons
};

} // namespace agentsight::model
