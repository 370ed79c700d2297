// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
// The Unix socket the app connects to: one client at a time, checked with
// SO_PEERCRED (root or the served uid only). Outgoing records are batched into
// AS_FRAME_EVENTS frames in a bounded queue that also covers the time no
// client is connected; what does not fit is counted, never silently dropped.
#include "agentsight_protocol.h"

#include <sys/types.h>

#include <array>
#include <cstdint>
#include <deque>
#include <functional>
#include <string>
#include <vector>

namespace agentsight::helper {

class ClientServer {
public:
    using ControlHandler = std::function<void(uint16_t kind, const std::vector<uint8_t> &payload, uint32_t peerUid)>;

    ClientServer(uint32_t servedUid, uint64_t queueLimit);
    ~ClientServer();

    /// Creates the socket (0600, owned by the served uid). Returns an
    /// as_error_code (AS_ERR_SOCKET_IN_USE when a live helper owns the path).
    int listen(const std::string &path, std::string &error);
    void setHello(const as_hello &hello) { m_hello = hello; }
    void setControlHandler(ControlHandler h) { m_onControl = std::move(h); }

    int listenFd() const { return m_listenFd; }
    int clientFd() const { return m_clientFd; }
    bool hasClient() const { return m_clientFd >= 0; }
    bool wantsWrite() const { return hasClient() && !m_frames.empty(); }

    void acceptClient();   ///< listen fd readable
    void readClient();     ///< client fd readable
    void writeClient();    ///< client fd writable (or just try)

    /// Queues one record; returns false (and counts it) when the queue is full.
    bool enqueueRecord(const uint8_t *rec, size_t size);
    void sendControl(uint16_t kind, const void *payload, size_t size);
    void sendError(uint32_t code, const std::string &primary, const std::string &secondary);
    /// Seal the current events frame so it can be written.
    void flushBatch();

    /// Records refused because the queue was full, per source, since the last call.
    std::array<uint64_t, AS_SRC_COUNT> takeQueueDrops();
    uint64_t queuedBytes() const { return m_queued; }
    uint64_t eventsSent() const { return m_eventsSent; }
    uint64_t bytesSent() const { return m_bytesSent; }
    uint64_t rejectedPeers() const { return m_rejected; }
    uint64_t lastClientGoneNs() const { return m_clientGoneNs; }

private:
    struct Frame {
        std::vector<uint8_t> bytes;
        uint32_t records = 0;
    };
    void dropClient();
    void pushFrame(std::vector<uint8_t> bytes, uint32_t records, bool front = false);

    uint32_t m_uid;
    uint64_t m_limit;
    std::string m_path;
    int m_listenFd = -1;
    int m_clientFd = -1;
    uint32_t m_peerUid = 0;
    as_hello m_hello{};
    ControlHandler m_onControl;
    std::deque<Frame> m_frames;
    size_t m_frontOffset = 0;       ///< bytes of m_frames.front() already written
    std::vector<uint8_t> m_batch;   ///< open AS_FRAME_EVENTS frame
    uint32_t m_batchRecords = 0;
    uint64_t m_queued = 0;
    std::vector<uint8_t> m_in;      ///< partial incoming control frame
    std::array<uint64_t, AS_SRC_COUNT> m_queueDrops{};
    uint64_t m_eventsSent = 0, m_bytesSent = 0, m_rejected = 0, m_clientGoneNs = 0;
};

/// Which source produced a record type (for counting drops per source).
uint32_t sourceOfType(uint16_t type);

} // namespace agentsight::helper
