// SPDX-License-Identifier: GPL-2.0-or-later
#include "event.h"

#include <cstdio>
#include <cstring>

namespace agentsight::wire {
namespace {

template <typename T>
bool fixed(std::string_view rec, T &out, std::string *error)
{
    if (rec.size() < sizeof(T)) {
        if (error) {
            uint16_t type = 0; // records may sit at any offset of a frame: no typed access
            std::memcpy(&type, rec.data(), sizeof type);
            *error = std::string("record of type ") + eventTypeName(type) + " is " + std::to_string(rec.size()) +
                     " bytes, needs " + std::to_string(sizeof(T));
        }
        return false;
    }
    std::memcpy(&out, rec.data(), sizeof(T));
    return true;
}

// Reads the declared variable tails in order; a length beyond the record is
// an error (never an overread).
struct Tail {
    std::string_view rest;
    bool ok = true;
    std::string take(size_t n)
    {
        if (n > rest.size()) {
            ok = false;
            n = rest.size();
        }
        std::string s(rest.substr(0, n));
        rest.remove_prefix(n);
        return s;
    }
};

std::string cstr(const char *p, size_t max) { return std::string(p, strnlen(p, max)); }

Address address(uint16_t family, uint16_t port, const uint8_t *a16, const char *unixPath, size_t unixMax)
{
    Address a;
    a.family = family;
    a.port = port;
    char buf[64];
    if (family == 2) {
        std::snprintf(buf, sizeof buf, "%u.%u.%u.%u", a16[0], a16[1], a16[2], a16[3]);
        a.host = buf;
    } else if (family == 10) {
        // Compact form without zero-run compression, except v4-mapped.
        static const uint8_t mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
        if (!std::memcmp(a16, mapped, 12)) {
            std::snprintf(buf, sizeof buf, "::ffff:%u.%u.%u.%u", a16[12], a16[13], a16[14], a16[15]);
            a.host = buf;
        } else {
            bool loopback = true;
            for (int i = 0; i < 15; ++i)
                loopback &= a16[i] == 0;
            if (loopback && a16[15] == 1) {
                a.host = "::1";
            } else {
                std::string s;
                for (int i = 0; i < 16; i += 2) {
                    std::snprintf(buf, sizeof buf, "%s%x", i ? ":" : "", (a16[i] << 8) | a16[i + 1]);
                    s += buf;
                }
                a.host = s;
            }
        }
    } else if (family == 1 && unixPath) {
        if (unixPath[0] == 0 && unixMax > 1 && unixPath[1])
            a.host = "@" + cstr(unixPath + 1, unixMax - 1);
        else
            a.host = cstr(unixPath, unixMax);
    }
    return a;
}

Address fromSockaddr(const as_sockaddr &s)
{
    return address(s.family, s.port, s.addr, s.unix_path, sizeof s.unix_path);
}

} // namespace

std::string Address::toString() const
{
    if (family == 2)
        return host + ":" + std::to_string(port);
    if (family == 10)
        return "[" + host + "]:" + std::to_string(port);
    return host;
}

const char *eventTypeName(uint16_t t)
{
    return as_event_type_name(t);
}

uint32_t eventSource(uint16_t type)
{
    return as_event_source(type);
}

bool parseEvent(std::string_view rec, Event &e, std::string *error)
{
    as_event_header h;
    if (rec.size() < sizeof h) {
        if (error)
            *error = "record shorter than its header";
        return false;
    }
    std::memcpy(&h, rec.data(), sizeof h);
    if (h.size != rec.size()) {
        if (error)
            *error = "record size field " + std::to_string(h.size) + " != " + std::to_string(rec.size());
        return false;
    }
    e = Event{};
    e.type = h.type;
    e.flags = h.flags;
    e.ktimeNs = h.ktime_ns;
    e.seq = h.seq;
    e.tgid = h.tgid;
    e.tid = h.tid;
    Tail t;
    switch (h.type) {
    case AS_EV_PROC_EXEC: {
        as_proc_exec r;
        if (!fixed(rec, r, error))
            return false;
        t.rest = rec.substr(sizeof r);
        e.startNs = r.start_ns;
        e.ppid = r.ppid;
        e.uid = r.uid;
        e.argc = r.argc;
        e.comm = cstr(r.comm, sizeof r.comm);
        e.filename = t.take(r.filename_len);
        std::string argv = t.take(r.argv_len);
        e.cwd = t.take(r.cwd_len);
        size_t start = 0;
        while (start < argv.size()) {
            size_t nul = argv.find('\0', start);
            if (nul == std::string::npos)
                nul = argv.size();
            e.argv.push_back(argv.substr(start, nul - start));
            start = nul + 1;
        }
        if (!argv.empty() && argv.back() == '\0')
            e.argv.push_back({}); // a trailing empty argument
        if (r.trunc)
            e.flags |= AS_F_TRUNCATED;
        break;
    }
    case AS_EV_PROC_FORK: {
        as_proc_fork r;
        if (!fixed(rec, r, error))
            return false;
        e.startNs = r.child_start_ns;
        e.childTgid = r.child_tgid;
        e.childTid = r.child_tid;
        e.thread = r.fork_flags & AS_FORK_THREAD;
        e.comm = cstr(r.comm, sizeof r.comm);
        break;
    }
    case AS_EV_PROC_EXIT: {
        as_proc_exit r;
        if (!fixed(rec, r, error))
            return false;
        e.startNs = r.start_ns;
        e.exitCode = r.exit_code;
        e.signal = r.signal;
        e.processExit = r.is_process;
        break;
    }
    case AS_EV_PROC_CHDIR: {
        as_proc_chdir r;
        if (!fixed(rec, r, error))
            return false;
        t.rest = rec.substr(sizeof r);
        e.result = r.result;
        e.path = t.take(r.path_len);
        break;
    }
    case AS_EV_PROC_MMAP_EXEC: {
        as_proc_mmap_exec r;
        if (!fixed(rec, r, error))
            return false;
        t.rest = rec.substr(sizeof r);
        e.ino = r.ino;
        e.dev = r.dev;
        e.path = t.take(r.path_len);
        break;
    }
    case AS_EV_FILE_OPEN: {
        as_file_open r;
        if (!fixed(rec, r, error))
            return false;
        t.rest = rec.substr(sizeof r);
        e.dirfd = r.dirfd;
        e.result = r.result;
        e.fd = r.result;
        e.openFlags = r.flags;
        e.mode = r.mode;
        e.path = t.take(r.path_len);
        e.rawPath = t.take(r.raw_len);
        if (r.trunc)
            e.flags |= AS_F_TRUNCATED;
        break;
    }
    case AS_EV_FILE_UNLINK:
    case AS_EV_FILE_RENAME:
    case AS_EV_FILE_MKDIR:
    case AS_EV_FILE_CHMOD: {
        as_file_op r;
        if (!fixed(rec, r, error))
            return false;
        t.rest = rec.substr(sizeof r);
        e.dirfd = r.dirfd;
        e.result = r.result;
        e.mode = r.mode;
        e.path = t.take(r.path_len);
        e.path2 = t.take(r.path2_len);
        e.rawPath = e.path;
        break;
    }
    case AS_EV_FILE_IO: {
        as_file_io r;
        if (!fixed(rec, r, error))
            return false;
        e.fd = r.fd;
        e.ioFlags = r.io_flags;
        e.bytesRead = r.bytes_read;
        e.bytesWritten = r.bytes_written;
        e.reads = r.reads;
        e.writes = r.writes;
        break;
    }
    case AS_EV_NET_CONNECT:
    case AS_EV_NET_ACCEPT:
    case AS_EV_NET_BIND:
    case AS_EV_NET_LISTEN: {
        as_net_conn r;
        if (!fixed(rec, r, error))
            return false;
        e.fd = r.fd;
        e.result = r.result;
        e.sockType = r.sock_type;
        e.backlog = r.backlog;
        e.addr = fromSockaddr(r.addr);
        break;
    }
    case AS_EV_NET_DNS: {
        as_net_dns r;
        if (!fixed(rec, r, error))
            return false;
        t.rest = rec.substr(sizeof r);
        e.fd = r.fd;
        e.addr = fromSockaddr(r.server);
        e.data = t.take(r.len);
        break;
    }
    case AS_EV_NET_TCP_STATE: {
        as_net_tcp_state r;
        if (!fixed(rec, r, error))
            return false;
        e.skaddr = r.skaddr;
        e.oldState = r.oldstate;
        e.newState = r.newstate;
        e.src = address(r.family, r.sport, r.saddr, nullptr, 0);
        e.dst = address(r.family, r.dport, r.daddr, nullptr, 0);
        break;
    }
    case AS_EV_TLS_DATA: {
        as_tls_data r;
        if (!fixed(rec, r, error))
            return false;
        t.rest = rec.substr(sizeof r);
        e.conn = r.conn;
        e.callId = r.call_id;
        e.fd = r.fd;
        e.dir = r.dir;
        e.api = r.api;
        e.totalLen = r.total_len;
        e.offset = r.offset;
        e.dropped = r.dropped;
        e.data = t.take(r.len);
        if (r.dir > AS_TLS_READ || uint64_t(r.offset) + r.len > r.total_len) {
            if (error)
                *error = "TLS chunk outside its call (offset " + std::to_string(r.offset) + " + " + std::to_string(r.len) +
                         " > " + std::to_string(r.total_len) + ")";
            return false;
        }
        break;
    }
    case AS_EV_LOST: {
        as_lost r;
        if (!fixed(rec, r, error))
            return false;
        e.source = r.source;
        e.reason = r.reason;
        e.count = r.count;
        break;
    }
    case AS_EV_TLS_ATTACH: {
        as_tls_attach r;
        if (!fixed(rec, r, error))
            return false;
        t.rest = rec.substr(sizeof r);
        e.status = r.status;
        e.error = r.error;
        e.probes = r.probes;
        e.path = t.take(r.path_len);
        e.strategy = t.take(r.strategy_len);
        break;
    }
    case AS_EV_TARGET: {
        as_target r;
        if (!fixed(rec, r, error))
            return false;
        t.rest = rec.substr(sizeof r);
        e.targetKind = r.kind;
        e.targetOp = r.op;
        e.exitStatus = r.exit_status;
        e.name = t.take(r.name_len);
        break;
    }
    default:
        return true; // a newer minor schema: keep the header
    }
    if (!t.ok) {
        if (error)
            *error = std::string(eventTypeName(h.type)) + " record: variable fields run past its end";
        return false;
    }
    return true;
}

} // namespace agentsight::wire
