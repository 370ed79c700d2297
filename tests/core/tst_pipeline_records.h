// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/**
 * @brief Test-only: build capture records with the real layouts of
 * agentsight_events.h (the same bytes the kernel and helper produce), and an
 * HTTP/1.1 LLM exchange from a tests/data/llm fixture split into TLS calls
 * exactly as SSL_write/SSL_read would deliver it (16 KiB chunks per call).
 */
#include "agentsight_protocol.h"

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include <QFile>
#include <QString>

namespace agentsight::test {

class RecordBuilder {
public:
    uint64_t ktime = 1'000'000'000;
    uint64_t seq[AS_SRC_COUNT] = {};

    template <typename T>
    std::string record(T fixed, uint16_t type, uint32_t source, uint32_t tgid, const std::string &tail = {})
    {
        fixed.h.type = type;
        fixed.h.size = uint32_t(sizeof(T) + tail.size());
        fixed.h.ktime_ns = (ktime += 1000);
        fixed.h.seq = ++seq[source];
        fixed.h.tgid = tgid;
        fixed.h.tid = tgid;
        std::string out(reinterpret_cast<const char *>(&fixed), sizeof(T));
        return out + tail;
    }

    std::string exec(uint32_t tgid, uint32_t ppid, uint64_t startNs, const std::string &file,
                     const std::vector<std::string> &argv, const std::string &cwd)
    {
        as_proc_exec r{};
        r.start_ns = startNs;
        r.ppid = ppid;
        r.argc = uint32_t(argv.size());
        std::string args;
        for (size_t i = 0; i < argv.size(); ++i)
            args += (i ? std::string(1, '\0') : std::string()) + argv[i];
        r.filename_len = uint16_t(file.size());
        r.argv_len = uint16_t(args.size());
        r.cwd_len = uint16_t(cwd.size());
        const std::string base = file.substr(file.rfind('/') + 1);
        std::strncpy(r.comm, base.c_str(), sizeof r.comm - 1);
        return record(r, AS_EV_PROC_EXEC, AS_SRC_PROC, tgid, file + args + cwd);
    }

    std::string fork(uint32_t parent, uint32_t child, uint64_t childStart, const char *comm)
    {
        as_proc_fork r{};
        r.child_start_ns = childStart;
        r.child_tgid = child;
        r.child_tid = child;
        std::strncpy(r.comm, comm, sizeof r.comm - 1);
        return record(r, AS_EV_PROC_FORK, AS_SRC_PROC, parent);
    }

    std::string exit(uint32_t tgid, uint64_t startNs, int code)
    {
        as_proc_exit r{};
        r.start_ns = startNs;
        r.exit_code = code;
        r.is_process = 1;
        return record(r, AS_EV_PROC_EXIT, AS_SRC_PROC, tgid);
    }

    std::string open(uint32_t tgid, const std::string &path, uint32_t flags, int result)
    {
        as_file_open r{};
        r.dirfd = -100;
        r.result = result;
        r.flags = flags;
        r.path_len = uint16_t(path.size());
        r.raw_len = uint16_t(path.size());
        return record(r, AS_EV_FILE_OPEN, AS_SRC_FILE, tgid, path + path);
    }

    std::string fdClosed(uint32_t tgid, int fd)
    {
        as_file_io r{};
        r.fd = fd;
        r.io_flags = AS_IO_CLOSED;
        return record(r, AS_EV_FILE_IO, AS_SRC_FILE, tgid);
    }

    std::string connect4(uint32_t tgid, int fd, uint8_t a, uint8_t b, uint8_t c, uint8_t d, uint16_t port)
    {
        as_net_conn r{};
        r.fd = fd;
        r.sock_type = 1;
        r.addr.family = 2;
        r.addr.port = port;
        r.addr.addr[0] = a;
        r.addr.addr[1] = b;
        r.addr.addr[2] = c;
        r.addr.addr[3] = d;
        return record(r, AS_EV_NET_CONNECT, AS_SRC_NET, tgid);
    }

    std::string lost(uint32_t source, uint32_t reason, uint64_t count)
    {
        as_lost r{};
        r.source = source;
        r.reason = reason;
        r.count = count;
        return record(r, AS_EV_LOST, AS_SRC_HELPER, 0);
    }

    /// One SSL call of `bytes`, as 16 KiB records sharing a call id.
    void tlsCall(std::vector<std::string> &out, uint32_t tgid, uint64_t conn, int fd, bool write,
                 const std::string &bytes, uint32_t dropped = 0)
    {
        ++m_callId;
        const uint32_t total = uint32_t(bytes.size()) + dropped;
        size_t off = 0;
        do {
            const size_t len = std::min<size_t>(AS_TLS_CHUNK, bytes.size() - off);
            as_tls_data r{};
            r.conn = conn;
            r.call_id = m_callId;
            r.fd = fd;
            r.dir = write ? AS_TLS_WRITE : AS_TLS_READ;
            r.api = write ? AS_TLS_API_SSL_WRITE : AS_TLS_API_SSL_READ;
            r.total_len = total;
            r.offset = uint32_t(off);
            r.len = uint32_t(len);
            r.dropped = off + len >= bytes.size() ? dropped : 0;
            out.push_back(record(r, AS_EV_TLS_DATA, AS_SRC_TLS, tgid, bytes.substr(off, len)));
            off += len;
        } while (off < bytes.size());
    }

private:
    uint64_t m_callId = 0;
};

inline std::string readFile(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return f.readAll().toStdString();
}

/** The Anthropic streaming tool-use fixture as HTTP/1.1 bytes on the wire. */
struct FixtureHttp {
    std::string request;
    std::string responseHead;
    std::string responseBody;
};

inline FixtureHttp anthropicToolUse()
{
    const QString dir = QStringLiteral(AGENTSIGHT_TEST_DATA "/llm/anthropic/stream_tool_use/");
    FixtureHttp f;
    const std::string body = readFile(dir + QStringLiteral("request.json"));
    f.request = "POST /v1/messages?beta=true HTTP/1.1\r\nHost: api.anthropic.com\r\n"
                "Content-Type: application/json\r\nx-api-key: sk-ant-test-secret\r\n"
                "anthropic-version: 2023-06-01\r\nContent-Length: " +
        std::to_string(body.size()) + "\r\n\r\n" + body;
    f.responseBody = readFile(dir + QStringLiteral("response.sse"));
    f.responseHead = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\n"
                     "Connection: close\r\n\r\n";
    return f;
}

/** Records of one agent process making the fixture call over TLS (SSE read in ~4 KiB calls). */
inline std::vector<std::string> anthropicSession(RecordBuilder &b, uint32_t tgid, bool withExit = true)
{
    std::vector<std::string> recs;
    const uint64_t start = 500'000;
    const uint64_t conn = 0x55d0c0ffee00ULL;
    recs.push_back(b.fork(1000, tgid, start, "bash"));
    recs.push_back(b.exec(tgid, 1000, start, "/usr/bin/node", {"node", "agent.js", "--print", "hi"}, "/work/proj"));
    recs.push_back(b.connect4(tgid, 21, 160, 79, 104, 10, 443));
    const FixtureHttp f = anthropicToolUse();
    b.tlsCall(recs, tgid, conn, 21, true, f.request);
    b.tlsCall(recs, tgid, conn, 21, false, f.responseHead);
    for (size_t off = 0; off < f.responseBody.size(); off += 4096)
        b.tlsCall(recs, tgid, conn, 21, false, f.responseBody.substr(off, 4096));
    // The SSE response is close-delimited: only the fd close completes it.
    recs.push_back(b.fdClosed(tgid, 21));
    recs.push_back(b.open(tgid, "/work/proj/notes.txt", 01 | 0100 | 01000, 22));
    if (withExit)
        recs.push_back(b.exit(tgid, start, 0));
    return recs;
}

} // namespace agentsight::test
