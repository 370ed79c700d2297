// SPDX-License-Identifier: GPL-2.0-or-later
#include "client_server.h"
#include "records.h"

#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace agentsight::helper {
namespace {
constexpr size_t kBatchBytes = 1u << 20; // events per frame: large enough to amortize syscalls

std::vector<uint8_t> frameBytes(uint16_t kind, const void *payload, size_t size)
{
    std::vector<uint8_t> f(sizeof(as_frame_header) + size);
    as_frame_header h{uint32_t(size), kind, 0};
    std::memcpy(f.data(), &h, sizeof h);
    if (size)
        std::memcpy(f.data() + sizeof h, payload, size);
    return f;
}
} // namespace

uint32_t sourceOfType(uint16_t type)
{
    return as_event_source(type);
}

ClientServer::ClientServer(uint32_t servedUid, uint64_t queueLimit)
    : m_uid(servedUid), m_limit(queueLimit)
{
}

ClientServer::~ClientServer()
{
    if (m_clientFd >= 0)
        close(m_clientFd);
    if (m_listenFd >= 0) {
        close(m_listenFd);
        unlink(m_path.c_str());
    }
}

int ClientServer::listen(const std::string &path, std::string &error)
{
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    if (path.size() >= sizeof addr.sun_path) {
        error = "socket path too long";
        return AS_ERR_USAGE;
    }
    std::memcpy(addr.sun_path, path.c_str(), path.size());
    // A path that accepts connections belongs to a live helper: refuse. A
    // stale socket file (crashed helper) is replaced.
    struct stat st;
    if (lstat(path.c_str(), &st) == 0) {
        if (!S_ISSOCK(st.st_mode)) {
            error = path + " exists and is not a socket";
            return AS_ERR_SOCKET_IN_USE;
        }
        int probe = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        bool live = probe >= 0 && connect(probe, reinterpret_cast<sockaddr *>(&addr), sizeof addr) == 0;
        if (probe >= 0)
            close(probe);
        if (live) {
            error = path + " is in use by another running helper";
            return AS_ERR_SOCKET_IN_USE;
        }
        unlink(path.c_str());
    }
    m_listenFd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (m_listenFd < 0) {
        error = std::string("socket: ") + std::strerror(errno);
        return AS_ERR_SOCKET;
    }
    mode_t old = umask(0177); // the socket is created 0600
    int rc = bind(m_listenFd, reinterpret_cast<sockaddr *>(&addr), sizeof addr);
    umask(old);
    if (rc != 0 || ::listen(m_listenFd, 4) != 0) {
        error = "cannot listen on " + path + ": " + std::strerror(errno);
        return errno == EADDRINUSE ? AS_ERR_SOCKET_IN_USE : AS_ERR_SOCKET;
    }
    m_path = path;
    // The served user must be able to connect; others are kept out by the
    // mode and, for root, by the SO_PEERCRED check below.
    if (geteuid() == 0 && chown(path.c_str(), m_uid, gid_t(-1)) != 0) {
        error = "cannot hand the socket to uid " + std::to_string(m_uid) + ": " + std::strerror(errno);
        return AS_ERR_SOCKET;
    }
    return AS_OK;
}

void ClientServer::acceptClient()
{
    int fd = accept4(m_listenFd, nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK);
    if (fd < 0)
        return;
    ucred cred{};
    socklen_t len = sizeof cred;
    bool ok = getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) == 0;
    auto refuse = [&](const std::string &why) {
        auto f = frameBytes(AS_FRAME_ERROR, nullptr, 0);
        as_error_frame ef{AS_ERR_PERMISSION, uint16_t(why.size()), 0};
        std::vector<uint8_t> payload(sizeof ef + why.size());
        std::memcpy(payload.data(), &ef, sizeof ef);
        std::memcpy(payload.data() + sizeof ef, why.data(), why.size());
        auto frame = frameBytes(AS_FRAME_ERROR, payload.data(), payload.size());
        ssize_t ignored = send(fd, frame.data(), frame.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
        (void)ignored;
        close(fd);
        ++m_rejected;
        std::fprintf(stderr, "agentsight-helper: refused client: %s\n", why.c_str());
    };
    if (!ok || (cred.uid != 0 && cred.uid != m_uid)) {
        refuse("uid " + std::to_string(cred.uid) + " may not use this helper (serving uid " + std::to_string(m_uid) + ")");
        return;
    }
    if (m_clientFd >= 0) {
        refuse("another client is already connected");
        return;
    }
    m_clientFd = fd;
    m_peerUid = cred.uid;
    m_in.clear();
    // HELLO goes first, before anything queued while no client was connected.
    // A frame half-written to a previous client is re-sent whole.
    m_frontOffset = 0;
    auto hello = frameBytes(AS_FRAME_HELLO, &m_hello, sizeof m_hello);
    pushFrame(std::move(hello), 0, true);
    writeClient();
}

void ClientServer::dropClient()
{
    if (m_clientFd >= 0)
        close(m_clientFd);
    m_clientFd = -1;
    m_frontOffset = 0;
    m_clientGoneNs = bootTimeNs();
}

void ClientServer::readClient()
{
    uint8_t buf[4096];
    for (;;) {
        ssize_t n = recv(m_clientFd, buf, sizeof buf, 0);
        if (n == 0) {
            dropClient();
            return;
        }
        if (n < 0) {
            if (errno != EAGAIN && errno != EINTR)
                dropClient();
            return;
        }
        m_in.insert(m_in.end(), buf, buf + n);
        size_t off = 0;
        while (m_in.size() - off >= sizeof(as_frame_header)) {
            as_frame_header h;
            std::memcpy(&h, m_in.data() + off, sizeof h);
            if (h.length > 4096) { // control frames are tiny: anything else is a broken client
                std::fprintf(stderr, "agentsight-helper: client sent an oversized frame; disconnecting\n");
                dropClient();
                return;
            }
            if (m_in.size() - off < sizeof h + h.length)
                break;
            std::vector<uint8_t> payload(m_in.begin() + long(off + sizeof h), m_in.begin() + long(off + sizeof h + h.length));
            off += sizeof h + h.length;
            if (m_onControl)
                m_onControl(h.kind, payload, m_peerUid);
            if (m_clientFd < 0)
                return;
        }
        m_in.erase(m_in.begin(), m_in.begin() + long(off));
    }
}

void ClientServer::pushFrame(std::vector<uint8_t> bytes, uint32_t records, bool front)
{
    m_queued += bytes.size();
    if (front)
        m_frames.push_front({std::move(bytes), records});
    else
        m_frames.push_back({std::move(bytes), records});
}

void ClientServer::flushBatch()
{
    if (m_batchRecords == 0)
        return;
    as_frame_header h{uint32_t(m_batch.size() - sizeof h), AS_FRAME_EVENTS, 0};
    std::memcpy(m_batch.data(), &h, sizeof h);
    m_queued -= m_batch.size() - sizeof h; // records were counted while open; pushFrame counts the whole frame
    pushFrame(std::move(m_batch), m_batchRecords);
    m_batch.clear();
    m_batchRecords = 0;
}

bool ClientServer::enqueueRecord(const uint8_t *rec, size_t size)
{
    if (m_queued + size > m_limit) {
        auto *h = reinterpret_cast<const as_event_header *>(rec);
        ++m_queueDrops[sourceOfType(h->type)];
        return false;
    }
    if (m_batch.empty())
        m_batch.resize(sizeof(as_frame_header));
    m_batch.insert(m_batch.end(), rec, rec + size);
    m_queued += size;
    ++m_batchRecords;
    if (m_batch.size() >= kBatchBytes)
        flushBatch();
    return true;
}

void ClientServer::sendControl(uint16_t kind, const void *payload, size_t size)
{
    flushBatch(); // keep order: records queued before this frame go first
    pushFrame(frameBytes(kind, payload, size), 0);
}

void ClientServer::sendError(uint32_t code, const std::string &primary, const std::string &secondary)
{
    std::string p = primary.substr(0, 2000), s = secondary.substr(0, 2000);
    as_error_frame ef{code, uint16_t(p.size()), uint16_t(s.size())};
    std::vector<uint8_t> payload(sizeof ef + p.size() + s.size());
    std::memcpy(payload.data(), &ef, sizeof ef);
    std::memcpy(payload.data() + sizeof ef, p.data(), p.size());
    std::memcpy(payload.data() + sizeof ef + p.size(), s.data(), s.size());
    sendControl(AS_FRAME_ERROR, payload.data(), payload.size());
}

void ClientServer::writeClient()
{
    while (m_clientFd >= 0 && !m_frames.empty()) {
        Frame &f = m_frames.front();
        ssize_t n = send(m_clientFd, f.bytes.data() + m_frontOffset, f.bytes.size() - m_frontOffset,
                         MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n < 0) {
            if (errno != EAGAIN && errno != EINTR)
                dropClient();
            return;
        }
        m_frontOffset += size_t(n);
        m_bytesSent += uint64_t(n);
        if (m_frontOffset == f.bytes.size()) {
            m_eventsSent += f.records;
            m_queued -= f.bytes.size();
            m_frames.pop_front();
            m_frontOffset = 0;
        }
    }
}

std::array<uint64_t, AS_SRC_COUNT> ClientServer::takeQueueDrops()
{
    auto d = m_queueDrops;
    m_queueDrops.fill(0);
    return d;
}

} // namespace agentsight::helper
