// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/**
 * @brief The live pipeline: helper socket bytes (or single records) in,
 * validated events, HTTP exchanges and LLM exchanges out to PipelineSinks.
 *
 * AS_EV_TLS_DATA records become decode::TlsChunks for a TlsDecoder; every
 * completed HttpExchange is offered to the LlmDecoder. Connections are closed
 * in the decoder when their socket fd is closed (AS_EV_FILE_IO with
 * AS_IO_CLOSED) or their process exits, so exchanges cut short are still
 * reported and SSL* pointer reuse does not splice two connections.
 *
 * Single-threaded: feed from one thread. Sinks are not owned.
 */
#include "decode/decode_limits.h"
#include "decode/http_sink.h"
#include "decode/tls_decoder.h"
#include "llm/llm_decoder.h"
#include "pipeline/capture_counters.h"
#include "pipeline/pipeline_sink.h"
#include "wire/frame_reader.h"

#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace agentsight::llm {
class PriceTable;
}

namespace agentsight::pipeline {

class CaptureSession : private decode::HttpSink {
public:
    /** prices may be null (costs stay unknown); it must outlive the session. */
    explicit CaptureSession(const llm::PriceTable *prices = nullptr, decode::DecodeLimits limits = {});
    ~CaptureSession() override;
    CaptureSession(const CaptureSession &) = delete;
    CaptureSession &operator=(const CaptureSession &) = delete;

    void addSink(PipelineSink *sink);
    void removeSink(PipelineSink *sink);

    /// Raw socket stream bytes (frames). False once the stream is broken (error()).
    bool feedStream(std::string_view bytes);
    /// One decoded frame (what FrameReader hands out).
    void handleFrame(const wire::Frame &frame);
    /// The hello of a stream that is not read through feedStream (replays).
    void setHello(const as_hello &hello);
    /// One raw record; invalid ones are counted (BadRecord) and skipped. False when invalid.
    bool processRecord(std::string_view record);
    /// A pre-parsed event (raw bytes given when known).
    void processEvent(const wire::Event &event, std::string_view rawRecord = {});
    /// End of the stream: flush every open connection, tell sinks. Idempotent.
    void finish(int helperExitCode = -1);

    const CaptureCounters &counters() const { return m_counters; }
    const decode::DecodeStats &decodeStats() const { return m_tls.stats(); }
    /// Rows a downstream recorder could not take: counted here so the status line shows them.
    void addRecorderDrops(uint64_t rows);
    /// TLS connections tracked for close-on-fd-close / exit (bounded, see m_maxTracked).
    size_t trackedConnections() const { return m_tracked; }
    bool helloSeen() const { return m_haveHello; }
    const as_hello &hello() const { return m_hello; }
    bool finished() const { return m_finished; }
    int helperExitCode() const { return m_exitCode; }
    /// Stream error (broken framing, refused connection), "" when fine.
    const std::string &error() const { return m_reader.error(); }
    /// Errors the helper sent (primary text), in order.
    const std::vector<std::string> &helperErrors() const { return m_helperErrors; }

private:
    void exchangeUpdated(const decode::HttpExchange &exchange, bool complete) override;
    void connectionNote(const decode::ConnKey &conn, const std::string &note) override;
    void handleEventsPayload(std::string_view payload);
    void trackSeq(const wire::Event &e);
    void updateGap(uint32_t source);
    void lost(LossOrigin origin, uint32_t source, uint64_t count);
    void closeProcess(uint32_t tgid, uint64_t ktime);

    std::vector<PipelineSink *> m_sinks;
    CaptureCounters m_counters;
    decode::TlsDecoder m_tls;
    llm::LlmDecoder m_llm;
    wire::FrameReader m_reader;
    as_hello m_hello{};
    bool m_haveHello = false;
    bool m_finished = false;
    int m_exitCode = -1;
    std::vector<std::string> m_helperErrors;
    uint64_t m_lastSeq[AS_SRC_COUNT] = {}; ///< highest seq seen per source
    uint64_t m_seen[AS_SRC_COUNT] = {};    ///< records with a seq seen per source
    /// Open TLS connections per process and their fds (for close on fd close / exit).
    std::map<uint32_t, std::set<uint64_t>> m_connsByTgid;
    std::map<std::pair<uint32_t, int32_t>, uint64_t> m_connByFd;
    /// Entries in m_connsByTgid. Bounded: a stream of endless new connection
    /// ids (hostile or leaking) must not grow memory; past the bound the
    /// tracking restarts (counted in CaptureCounters::connTrackingResets) and
    /// the decoder's own eviction and finish() still close those connections.
    size_t m_tracked = 0;
    size_t m_maxTracked = 0;
};

} // namespace agentsight::pipeline
