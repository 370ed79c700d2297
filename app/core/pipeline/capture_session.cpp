// SPDX-License-Identifier: GPL-2.0-or-later
#include "pipeline/capture_session.h"

#include "decode/tls_chunk.h"
#include "llm/price_table.h"

#include <algorithm>
#include <cstring>

namespace agentsight::pipeline {

const char *lossOriginName(LossOrigin origin)
{
    switch (origin) {
    case LossOrigin::Kernel: return "kernel";
    case LossOrigin::HelperQueue: return "helper_queue";
    case LossOrigin::SeqGap: return "seq_gap";
    case LossOrigin::BadRecord: return "bad_record";
    case LossOrigin::Recorder: return "recorder";
    }
    return "unknown";
}

CaptureSession::CaptureSession(const llm::PriceTable *prices, decode::DecodeLimits limits)
    : m_tls(*this, limits)
    , m_llm(prices)
    , m_reader([this](const wire::Frame &f) { handleFrame(f); })
    , m_maxTracked(std::max<size_t>(1024, limits.maxConnections * 4))
{
}

CaptureSession::~CaptureSession() = default;

void CaptureSession::addSink(PipelineSink *sink)
{
    if (sink && std::find(m_sinks.begin(), m_sinks.end(), sink) == m_sinks.end())
        m_sinks.push_back(sink);
}

void CaptureSession::removeSink(PipelineSink *sink)
{
    m_sinks.erase(std::remove(m_sinks.begin(), m_sinks.end(), sink), m_sinks.end());
}

bool CaptureSession::feedStream(std::string_view bytes)
{
    return m_reader.feed(bytes);
}

void CaptureSession::setHello(const as_hello &hello)
{
    m_hello = hello;
    m_haveHello = true;
    for (auto *s : m_sinks)
        s->onHello(hello);
}

void CaptureSession::handleFrame(const wire::Frame &frame)
{
    const std::string_view p = frame.payload;
    switch (frame.kind) {
    case AS_FRAME_HELLO: {
        as_hello h{};
        std::memcpy(&h, p.data(), std::min(p.size(), sizeof h));
        setHello(h);
        break;
    }
    case AS_FRAME_EVENTS:
        handleEventsPayload(p);
        break;
    case AS_FRAME_ERROR: {
        as_error_frame ef{};
        std::string primary, secondary;
        if (p.size() >= sizeof ef) {
            std::memcpy(&ef, p.data(), sizeof ef);
            std::string_view rest = p.substr(sizeof ef);
            primary = std::string(rest.substr(0, std::min<size_t>(ef.primary_len, rest.size())));
            rest.remove_prefix(primary.size());
            secondary = std::string(rest.substr(0, std::min<size_t>(ef.secondary_len, rest.size())));
        } else {
            primary = "malformed error frame from the helper";
        }
        m_helperErrors.push_back(primary);
        for (auto *s : m_sinks)
            s->onHelperError(ef.code, primary, secondary);
        break;
    }
    case AS_FRAME_LOG:
        for (auto *s : m_sinks)
            s->onHelperLog(std::string(p));
        break;
    case AS_FRAME_READY:
        for (auto *s : m_sinks)
            s->onReady();
        break;
    case AS_FRAME_STATS: {
        as_stats st{};
        std::memcpy(&st, p.data(), std::min(p.size(), sizeof st));
        for (auto *s : m_sinks)
            s->onStats(st);
        break;
    }
    case AS_FRAME_BYE: {
        uint32_t code = 0;
        std::memcpy(&code, p.data(), std::min(p.size(), sizeof code));
        m_exitCode = int(code);
        break;
    }
    default:
        break; // FrameReader already rejects unknown kinds
    }
}

void CaptureSession::handleEventsPayload(std::string_view payload)
{
    std::string err;
    if (!wire::forEachRecord(payload, [this](std::string_view rec) { processRecord(rec); }, &err)) {
        // The rest of the frame cannot be split: one bad record is the honest count.
        ++m_counters.badRecords;
        lost(LossOrigin::BadRecord, AS_SRC_COUNT, 1);
    }
}

bool CaptureSession::processRecord(std::string_view record)
{
    wire::Event e;
    if (!wire::parseEvent(record, e)) {
        ++m_counters.badRecords;
        lost(LossOrigin::BadRecord, AS_SRC_COUNT, 1);
        return false;
    }
    processEvent(e, record);
    return true;
}

void CaptureSession::lost(LossOrigin origin, uint32_t source, uint64_t count)
{
    if (!count)
        return;
    for (auto *s : m_sinks)
        s->onLost(origin, source, count);
}

void CaptureSession::addRecorderDrops(uint64_t rows)
{
    m_counters.recorderDropped += rows;
}

void CaptureSession::trackSeq(const wire::Event &e)
{
    // Records of one source share a global counter incremented before the
    // ring reservation, so across CPUs they may arrive slightly out of order:
    // gaps are judged on the highest seq seen against the records counted.
    const uint32_t src = wire::eventSource(e.type);
    if (src >= AS_SRC_COUNT || e.seq == 0 || src == AS_SRC_HELPER)
        return;
    m_lastSeq[src] = std::max(m_lastSeq[src], e.seq);
}

void CaptureSession::processEvent(const wire::Event &e, std::string_view raw)
{
    ++m_counters.events;
    m_counters.recordBytes += raw.size();
    if (e.type < AS_EV_TYPE_MAX)
        ++m_counters.byType[e.type];
    if (e.truncated())
        ++m_counters.truncatedRecords;
    trackSeq(e);

    for (auto *s : m_sinks)
        s->onEvent(e, raw);

    switch (e.type) {
    case AS_EV_TLS_DATA: {
        m_counters.tlsBytes += e.data.size();
        m_counters.tlsDroppedBytes += e.dropped;
        decode::TlsChunk c;
        c.conn = decode::ConnKey{e.tgid, e.conn};
        c.fd = e.fd;
        c.fromClient = e.dir == AS_TLS_WRITE;
        c.ktimeNs = e.ktimeNs;
        c.callId = e.callId;
        c.offset = e.offset;
        c.totalLen = e.totalLen;
        c.dropped = e.dropped;
        c.data = e.data;
        if (m_connsByTgid[e.tgid].insert(e.conn).second && ++m_tracked > m_maxTracked) {
            m_connsByTgid.clear();
            m_connByFd.clear();
            m_tracked = 0;
            ++m_counters.connTrackingResets;
        } else if (e.fd >= 0) {
            m_connByFd[{e.tgid, e.fd}] = e.conn;
        }
        m_tls.feed(c);
        break;
    }
    case AS_EV_FILE_IO:
        if (e.ioFlags & AS_IO_CLOSED) {
            auto it = m_connByFd.find({e.tgid, e.fd});
            if (it != m_connByFd.end()) {
                const uint64_t conn = it->second;
                m_connByFd.erase(it);
                m_tracked -= m_connsByTgid[e.tgid].erase(conn);
                m_tls.closeConnection(decode::ConnKey{e.tgid, conn}, e.ktimeNs);
            }
        }
        break;
    case AS_EV_PROC_EXIT:
        if (e.processExit)
            closeProcess(e.tgid, e.ktimeNs);
        break;
    case AS_EV_PROC_EXEC:
        // exec replaces the image: its SSL objects are gone.
        closeProcess(e.tgid, e.ktimeNs);
        break;
    case AS_EV_LOST: {
        const uint32_t src = e.source < uint32_t(AS_SRC_COUNT) ? e.source : uint32_t(AS_SRC_COUNT);
        const LossOrigin origin = e.reason == 2 ? LossOrigin::HelperQueue : LossOrigin::Kernel;
        if (src < AS_SRC_COUNT) {
            m_counters.lost[src][e.reason == 2 ? 1 : 0] += e.count;
            updateGap(src);
        }
        lost(origin, src, e.count);
        break;
    }
    default:
        break;
    }

    // Unexplained gaps: highest seq minus records seen minus reported losses.
    // Live value: it can run ahead of an AS_EV_LOST record still in flight.
    const uint32_t src = wire::eventSource(e.type);
    if (src < AS_SRC_COUNT && src != AS_SRC_HELPER && e.seq) {
        ++m_seen[src];
        updateGap(src);
    }
}

void CaptureSession::updateGap(uint32_t src)
{
    const uint64_t gaps = m_lastSeq[src] > m_seen[src] ? m_lastSeq[src] - m_seen[src] : 0;
    const uint64_t explained = m_counters.lost[src][0] + m_counters.lost[src][1];
    m_counters.lost[src][2] = gaps > explained ? gaps - explained : 0;
}

void CaptureSession::closeProcess(uint32_t tgid, uint64_t ktime)
{
    auto it = m_connsByTgid.find(tgid);
    if (it == m_connsByTgid.end())
        return;
    for (uint64_t conn : it->second)
        m_tls.closeConnection(decode::ConnKey{tgid, conn}, ktime);
    m_tracked -= it->second.size();
    m_connsByTgid.erase(it);
    for (auto f = m_connByFd.lower_bound({tgid, INT32_MIN}); f != m_connByFd.end() && f->first.first == tgid;)
        f = m_connByFd.erase(f);
}

void CaptureSession::finish(int helperExitCode)
{
    if (m_finished)
        return;
    m_finished = true;
    if (helperExitCode >= 0)
        m_exitCode = helperExitCode;
    m_tls.finish();
    for (uint32_t src = 0; src < AS_SRC_COUNT; ++src)
        lost(LossOrigin::SeqGap, src, m_counters.lost[src][2]);
    m_connsByTgid.clear();
    m_connByFd.clear();
    m_tracked = 0;
    for (auto *s : m_sinks)
        s->onEnd(m_exitCode);
}

void CaptureSession::exchangeUpdated(const decode::HttpExchange &exchange, bool complete)
{
    for (auto *s : m_sinks)
        s->onHttpExchange(exchange, complete);
    if (!complete)
        return;
    ++m_counters.httpExchanges;
    std::optional<llm::LlmExchange> x = m_llm.decode(exchange);
    if (!x)
        return;
    ++m_counters.llmCalls;
    if (!x->decodeError.empty())
        ++m_counters.llmDecodeErrors;
    if (x->usage.input > 0)
        m_counters.inputTokens += uint64_t(x->usage.input);
    if (x->usage.output > 0)
        m_counters.outputTokens += uint64_t(x->usage.output);
    if (x->costUsd)
        m_counters.costUsd += *x->costUsd;
    else
        ++m_counters.unpricedCalls;
    for (auto *s : m_sinks)
        s->onLlmExchange(*x, exchange);
}

void CaptureSession::connectionNote(const decode::ConnKey &conn, const std::string &note)
{
    for (auto *s : m_sinks)
        s->onConnectionNote(conn, note);
}

} // namespace agentsight::pipeline
