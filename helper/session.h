// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
// One tracing session: load collectors, set up targets, then the event loop
// (ring buffer -> filters -> TLS attach bookkeeping -> socket / JSON lines).
#include "client_server.h"
#include "collectors.h"
#include "jsonl_writer.h"
#include "options.h"
#include "records.h"
#include "targets.h"

#include <memory>
#include <set>
#include <unordered_set>

struct ring_buffer;

namespace agentsight::helper {

class TlsAttacher;

class Session {
public:
    explicit Session(Options opts);
    ~Session();
    /// Runs to completion; returns the process exit code (enum as_error_code).
    int run();

    /// Called by the ring buffer callback for every kernel record.
    void onKernelRecord(const uint8_t *rec, size_t size);

private:
    int fail(int code, const std::string &primary, const std::string &secondary = {});
    int setUp();
    bool addPidTarget(uint32_t pid, uint32_t requesterUid, std::string &error);
    void removePidTarget(uint32_t pid);
    bool addComm(const std::string &name);
    void track(uint32_t tgid, uint64_t startNs, uint32_t root);
    void emitHelperRecord(std::vector<uint8_t> rec);
    void deliver(const uint8_t *rec, size_t size);
    void reportDrops();
    void sendStats();
    void onControl(uint16_t kind, const std::vector<uint8_t> &payload, uint32_t peerUid);
    void reapChildren();
    void afterExecAttach(uint32_t tgid, size_t probesBefore, uint64_t failuresBefore);
    void releaseHeld(uint32_t tgid);
    void releaseAllHeld();
    void releaseStaleHeld(uint64_t now);
    bool targetsDone() const;
    int eventLoop();

    Options m_opts;
    uint32_t m_uid = 0;
    int64_t m_bootToWall = 0;
    Collectors m_collectors;
    std::unique_ptr<TlsAttacher> m_tls;
    ring_buffer *m_ring = nullptr;
    std::unique_ptr<ClientServer> m_server;
    JsonlWriter m_jsonl;
    HelperSequencer m_seq;
    HeldCommand m_command;
    bool m_commandRunning = false;
    std::set<uint32_t> m_pidTargets;        ///< live --pid / ADD_PID roots
    std::unordered_set<uint32_t> m_denied;  ///< comm-matched processes of other users
    std::array<uint64_t, AS_SRC_COUNT> m_ringDropsSeen{};
    std::array<uint64_t, AS_SRC_COUNT> m_ringDropsTotal{};
    uint64_t m_queueDropsTotal = 0;
    uint64_t m_tlsTruncatedBytes = 0;
    bool m_stopRequested = false;
    int m_exitCode = 0;
    bool m_commandSawExit = false;
    uint64_t m_heldReleased = 0;
    uint64_t m_heldTimeouts = 0;
};

} // namespace agentsight::helper
