// SPDX-License-Identifier: GPL-2.0-or-later
#include "jsonl_writer.h"
#include "agentsight_events.h"

#include <cerrno>
#include <cstring>
#include <string_view>

namespace agentsight::helper {
namespace {

void appendEscaped(std::string &out, std::string_view s)
{
    out += '"';
    for (unsigned char c : s) {
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default:
            if (c < 0x20 || c >= 0x7f) {
                // Paths and argv are bytes, not UTF-8: keep every byte exact as \u00XX.
                char buf[8];
                std::snprintf(buf, sizeof buf, "\\u%04x", c);
                out += buf;
            } else {
                out += char(c);
            }
        }
    }
    out += '"';
}

void appendBase64(std::string &out, std::string_view s)
{
    static const char *tbl = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    out += '"';
    size_t i = 0;
    for (; i + 2 < s.size(); i += 3) {
        uint32_t v = (uint8_t(s[i]) << 16) | (uint8_t(s[i + 1]) << 8) | uint8_t(s[i + 2]);
        out += tbl[v >> 18]; out += tbl[(v >> 12) & 63]; out += tbl[(v >> 6) & 63]; out += tbl[v & 63];
    }
    if (i + 1 == s.size()) {
        uint32_t v = uint8_t(s[i]) << 16;
        out += tbl[v >> 18]; out += tbl[(v >> 12) & 63]; out += "==";
    } else if (i + 2 == s.size()) {
        uint32_t v = (uint8_t(s[i]) << 16) | (uint8_t(s[i + 1]) << 8);
        out += tbl[v >> 18]; out += tbl[(v >> 12) & 63]; out += tbl[(v >> 6) & 63]; out += '=';
    }
    out += '"';
}

struct Out {
    std::string s;
    void key(const char *k) { s += ",\""; s += k; s += "\":"; }
    void num(const char *k, int64_t v) { key(k); s += std::to_string(v); }
    void unum(const char *k, uint64_t v) { key(k); s += std::to_string(v); }
    void str(const char *k, std::string_view v) { key(k); appendEscaped(s, v); }
    void b64(const char *k, std::string_view v) { key(k); appendBase64(s, v); }
};

// Variable tails follow the fixed part; lengths come from the record and are
// bounded by its size, so a short record yields empty strings, not overreads.
struct Tail {
    const uint8_t *p, *end;
    std::string_view take(size_t n)
    {
        size_t avail = size_t(end - p);
        if (n > avail)
            n = avail;
        std::string_view v(reinterpret_cast<const char *>(p), n);
        p += n;
        return v;
    }
};

std::string addrString(const as_sockaddr &a)
{
    char buf[128] = "";
    if (a.family == 2) {
        std::snprintf(buf, sizeof buf, "%u.%u.%u.%u", a.addr[0], a.addr[1], a.addr[2], a.addr[3]);
    } else if (a.family == 10) {
        std::string s;
        for (int i = 0; i < 16; i += 2) {
            char g[8];
            std::snprintf(g, sizeof g, "%s%x", i ? ":" : "", (a.addr[i] << 8) | a.addr[i + 1]);
            s += g;
        }
        return s;
    } else if (a.family == 1) {
        size_t n = strnlen(a.unix_path, sizeof a.unix_path);
        if (n == 0 && a.unix_path[0] == 0 && a.unix_path[1])
            return "@" + std::string(a.unix_path + 1, strnlen(a.unix_path + 1, sizeof a.unix_path - 1));
        return std::string(a.unix_path, n);
    }
    return buf;
}

void sockaddrFields(Out &o, const as_sockaddr &a)
{
    o.unum("family", a.family);
    o.str("addr", addrString(a));
    o.unum("port", a.port);
}

template <typename T>
const T *as(const uint8_t *rec, size_t size)
{
    return size >= sizeof(T) ? reinterpret_cast<const T *>(rec) : nullptr;
}

} // namespace

std::string JsonlWriter::format(const uint8_t *rec, size_t size, int64_t bootToWall)
{
    Out o;
    auto *h = as<as_event_header>(rec, size);
    if (!h)
        return "{\"type\":\"invalid\"}";
    o.s = "{\"type\":\"";
    o.s += as_event_type_name(h->type);
    o.s += '"';
    o.unum("ktime_ns", h->ktime_ns);
    o.num("wall_ns", int64_t(h->ktime_ns) + bootToWall);
    o.unum("seq", h->seq);
    o.unum("tgid", h->tgid);
    o.unum("tid", h->tid);
    if (h->flags)
        o.unum("flags", h->flags);
    const uint8_t *end = rec + size;
    switch (h->type) {
    case AS_EV_PROC_EXEC:
        if (auto *e = as<as_proc_exec>(rec, size)) {
            Tail t{rec + sizeof *e, end};
            o.unum("ppid", e->ppid);
            o.unum("uid", e->uid);
            o.unum("start_ns", e->start_ns);
            o.str("comm", std::string_view(e->comm, strnlen(e->comm, AS_MAX_COMM)));
            o.str("filename", t.take(e->filename_len));
            std::string_view argv = t.take(e->argv_len);
            o.key("argv");
            o.s += '[';
            size_t start = 0;
            bool first = true;
            while (start <= argv.size() && !argv.empty()) {
                size_t nul = argv.find('\0', start);
                if (nul == std::string_view::npos)
                    nul = argv.size();
                if (!first)
                    o.s += ',';
                appendEscaped(o.s, argv.substr(start, nul - start));
                first = false;
                start = nul + 1;
            }
            o.s += ']';
            o.unum("argc", e->argc);
            o.str("cwd", t.take(e->cwd_len));
            if (e->trunc)
                o.unum("trunc", e->trunc);
        }
        break;
    case AS_EV_PROC_FORK:
        if (auto *e = as<as_proc_fork>(rec, size)) {
            o.unum("child_tgid", e->child_tgid);
            o.unum("child_tid", e->child_tid);
            o.unum("child_start_ns", e->child_start_ns);
            o.key("thread");
            o.s += (e->fork_flags & AS_FORK_THREAD) ? "true" : "false";
            o.str("comm", std::string_view(e->comm, strnlen(e->comm, AS_MAX_COMM)));
        }
        break;
    case AS_EV_PROC_EXIT:
        if (auto *e = as<as_proc_exit>(rec, size)) {
            o.unum("start_ns", e->start_ns);
            o.num("exit_code", e->exit_code);
            o.num("signal", e->signal);
            o.key("process");
            o.s += e->is_process ? "true" : "false";
        }
        break;
    case AS_EV_PROC_CHDIR:
        if (auto *e = as<as_proc_chdir>(rec, size)) {
            Tail t{rec + sizeof *e, end};
            o.num("result", e->result);
            o.str("path", t.take(e->path_len));
        }
        break;
    case AS_EV_PROC_MMAP_EXEC:
        if (auto *e = as<as_proc_mmap_exec>(rec, size)) {
            Tail t{rec + sizeof *e, end};
            o.unum("dev", e->dev);
            o.unum("ino", e->ino);
            o.str("path", t.take(e->path_len));
        }
        break;
    case AS_EV_FILE_OPEN:
        if (auto *e = as<as_file_open>(rec, size)) {
            Tail t{rec + sizeof *e, end};
            o.num("dirfd", e->dirfd);
            o.num("result", e->result);
            o.unum("flags", e->flags);
            o.unum("mode", e->mode);
            o.str("path", t.take(e->path_len));
            o.str("raw", t.take(e->raw_len));
            if (e->trunc)
                o.unum("trunc", e->trunc);
        }
        break;
    case AS_EV_FILE_UNLINK:
    case AS_EV_FILE_RENAME:
    case AS_EV_FILE_MKDIR:
    case AS_EV_FILE_CHMOD:
        if (auto *e = as<as_file_op>(rec, size)) {
            Tail t{rec + sizeof *e, end};
            o.num("dirfd", e->dirfd);
            o.num("result", e->result);
            o.unum("mode", e->mode);
            o.str("path", t.take(e->path_len));
            if (h->type == AS_EV_FILE_RENAME)
                o.str("path2", t.take(e->path2_len));
        }
        break;
    case AS_EV_FILE_IO:
        if (auto *e = as<as_file_io>(rec, size)) {
            o.num("fd", e->fd);
            o.unum("io_flags", e->io_flags);
            o.unum("bytes_read", e->bytes_read);
            o.unum("bytes_written", e->bytes_written);
            o.unum("reads", e->reads);
            o.unum("writes", e->writes);
        }
        break;
    case AS_EV_NET_CONNECT:
    case AS_EV_NET_ACCEPT:
    case AS_EV_NET_BIND:
    case AS_EV_NET_LISTEN:
        if (auto *e = as<as_net_conn>(rec, size)) {
            o.num("fd", e->fd);
            o.num("result", e->result);
            o.unum("sock_type", e->sock_type);
            if (h->type == AS_EV_NET_LISTEN)
                o.unum("backlog", e->backlog);
            sockaddrFields(o, e->addr);
        }
        break;
    case AS_EV_NET_DNS:
        if (auto *e = as<as_net_dns>(rec, size)) {
            Tail t{rec + sizeof *e, end};
            o.num("fd", e->fd);
            sockaddrFields(o, e->server);
            o.b64("data_b64", t.take(e->len));
        }
        break;
    case AS_EV_NET_TCP_STATE:
        if (auto *e = as<as_net_tcp_state>(rec, size)) {
            as_sockaddr s{}, d{};
            s.family = d.family = e->family;
            std::memcpy(s.addr, e->saddr, 16);
            std::memcpy(d.addr, e->daddr, 16);
            o.unum("skaddr", e->skaddr);
            o.num("oldstate", e->oldstate);
            o.num("newstate", e->newstate);
            o.str("saddr", addrString(s));
            o.unum("sport", e->sport);
            o.str("daddr", addrString(d));
            o.unum("dport", e->dport);
        }
        break;
    case AS_EV_TLS_DATA:
        if (auto *e = as<as_tls_data>(rec, size)) {
            Tail t{rec + sizeof *e, end};
            o.unum("conn", e->conn);
            o.unum("call_id", e->call_id);
            o.num("fd", e->fd);
            o.str("dir", e->dir == AS_TLS_READ ? "read" : "write");
            o.unum("api", e->api);
            o.unum("total_len", e->total_len);
            o.unum("offset", e->offset);
            o.unum("len", e->len);
            o.unum("dropped", e->dropped);
            o.b64("data_b64", t.take(e->len));
        }
        break;
    case AS_EV_LOST:
        if (auto *e = as<as_lost>(rec, size)) {
            o.unum("source", e->source);
            o.unum("reason", e->reason);
            o.unum("count", e->count);
        }
        break;
    case AS_EV_TLS_ATTACH:
        if (auto *e = as<as_tls_attach>(rec, size)) {
            Tail t{rec + sizeof *e, end};
            o.unum("status", e->status);
            o.num("error", e->error);
            o.unum("probes", e->probes);
            o.str("path", t.take(e->path_len));
            o.str("strategy", t.take(e->strategy_len));
        }
        break;
    case AS_EV_TARGET:
        if (auto *e = as<as_target>(rec, size)) {
            Tail t{rec + sizeof *e, end};
            o.unum("kind", e->kind);
            o.unum("op", e->op);
            o.num("exit_status", e->exit_status);
            o.str("name", t.take(e->name_len));
        }
        break;
    default:
        break;
    }
    o.s += '}';
    return o.s;
}

JsonlWriter::~JsonlWriter()
{
    if (m_file) {
        std::fflush(m_file);
        if (m_ownsFile)
            std::fclose(m_file);
    }
}

bool JsonlWriter::open(const std::string &path, std::string &error)
{
    if (path == "-") {
        m_file = stdout;
        return true;
    }
    m_file = std::fopen(path.c_str(), "we");
    if (!m_file) {
        error = "cannot write " + path + ": " + std::strerror(errno);
        return false;
    }
    m_ownsFile = true;
    return true;
}

void JsonlWriter::write(const uint8_t *rec, size_t size)
{
    writeLine(format(rec, size, m_bootToWall));
}

void JsonlWriter::writeLine(const std::string &json)
{
    if (!m_file)
        return;
    std::fwrite(json.data(), 1, json.size(), m_file);
    std::fputc('\n', m_file);
}

void JsonlWriter::flush()
{
    if (m_file)
        std::fflush(m_file);
}

} // namespace agentsight::helper
