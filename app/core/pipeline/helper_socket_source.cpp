// SPDX-License-Identifier: GPL-2.0-or-later
#include "pipeline/helper_socket_source.h"

#include "pipeline/capture_session.h"
#include "wire/frame_reader.h"

#include <cerrno>
#include <chrono>
#include <cstring>
#include <thread>

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

namespace agentsight::pipeline {

HelperSocketSource::HelperSocketSource()
{
    if (pipe2(m_wake, O_CLOEXEC | O_NONBLOCK) != 0)
        m_wake[0] = m_wake[1] = -1;
}

HelperSocketSource::~HelperSocketSource()
{
    for (int fd : {m_fd, m_wake[0], m_wake[1]})
        if (fd >= 0)
            ::close(fd);
}

bool HelperSocketSource::connectTo(const std::string &path, int timeoutMs, const std::function<bool()> &alive)
{
    sockaddr_un sa{};
    sa.sun_family = AF_UNIX;
    if (path.size() >= sizeof sa.sun_path)
        return fail("socket path too long: " + path);
    std::memcpy(sa.sun_path, path.data(), path.size());
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
    std::string last;
    for (;;) {
        int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0)
            return fail(std::string("socket: ") + std::strerror(errno));
        if (::connect(fd, reinterpret_cast<sockaddr *>(&sa), sizeof sa) == 0) {
            m_fd = fd;
            return true;
        }
        last = std::strerror(errno);
        ::close(fd);
        if (alive && !alive())
            return fail("the helper exited before it opened its socket");
        if (std::chrono::steady_clock::now() > deadline)
            return fail("cannot connect to the helper at " + path + ": " + last);
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
}

void HelperSocketSource::setTick(int intervalMs, std::function<void()> tick)
{
    m_tickMs = intervalMs;
    m_tick = std::move(tick);
}

void HelperSocketSource::requestStop()
{
    if (m_wake[1] >= 0) {
        const char c = 's';
        [[maybe_unused]] ssize_t n = ::write(m_wake[1], &c, 1);
    }
}

bool HelperSocketSource::sendFrame(uint16_t kind, const std::string &payload)
{
    const std::string f = wire::encodeFrame(kind, payload);
    size_t off = 0;
    while (off < f.size()) {
        ssize_t n = ::send(m_fd, f.data() + off, f.size() - off, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        off += size_t(n);
    }
    return true;
}

bool HelperSocketSource::run(CaptureSession &session)
{
    if (m_fd < 0)
        return fail("not connected");
    std::string buf(1 << 20, '\0');
    auto lastTick = std::chrono::steady_clock::now();
    bool ok = true;
    for (;;) {
        pollfd p[2] = {{m_fd, POLLIN, 0}, {m_wake[0], POLLIN, 0}};
        const int timeout = m_tickMs > 0 ? m_tickMs : 1000;
        int r = ::poll(p, m_wake[0] >= 0 ? 2 : 1, timeout);
        if (r < 0 && errno != EINTR) {
            ok = fail(std::string("poll: ") + std::strerror(errno));
            break;
        }
        if (r > 0 && m_wake[0] >= 0 && (p[1].revents & POLLIN)) {
            char drain[64];
            while (::read(m_wake[0], drain, sizeof drain) > 0) {
            }
            if (!m_stopSent) {
                m_stopSent = true;
                // A helper already gone will show up as EOF below.
                sendFrame(AS_FRAME_STOP, {});
            }
        }
        if (r > 0 && (p[0].revents & (POLLIN | POLLHUP | POLLERR))) {
            ssize_t n = ::recv(m_fd, buf.data(), buf.size(), 0);
            if (n < 0 && (errno == EINTR || errno == EAGAIN))
                continue;
            if (n <= 0) {
                if (n < 0)
                    ok = fail(std::string("reading the helper socket: ") + std::strerror(errno));
                break;
            }
            if (!session.feedStream(std::string_view(buf.data(), size_t(n)))) {
                ok = fail(session.error());
                break;
            }
            // BYE is the helper's last frame: do not wait for it to close.
            if (session.helperExitCode() >= 0)
                break;
        }
        const auto now = std::chrono::steady_clock::now();
        if (m_tick && now - lastTick >= std::chrono::milliseconds(m_tickMs)) {
            lastTick = now;
            m_tick();
        }
    }
    // Hang up: a helper lingering for a slow client then exits at once.
    ::close(m_fd);
    m_fd = -1;
    session.finish();
    return ok;
}

} // namespace agentsight::pipeline
