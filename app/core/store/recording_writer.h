// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/**
 * @brief Records a live capture into a Recording without ever blocking the
 * pipeline on disk.
 *
 * As a PipelineSink it turns events, processes, completed HTTP exchanges and
 * LLM exchanges into rows and queues them; a writer thread commits the queue
 * in transactions every flushIntervalMs or maxBatchRows rows, so a SIGKILL
 * loses at most the last interval. The queue is bounded by bytes: when it is
 * full the row is dropped, counted per source and written to the drops table
 * ("recorder" origin) — never lost silently. Drop and meta rows bypass the
 * bound (they are few and carry the accounting itself).
 *
 * Credentials in TLS plaintext are scrubbed (same length) before a raw
 * record is queued: see secret_scrub.h.
 *
 * The correlation and detection rooms add their results with addLink() /
 * addFinding() from the pipeline thread.
 */
#include "pipeline/pipeline_sink.h"
#include "store/recording_rows.h"

#include <array>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <variant>

namespace agentsight::store {

class Recording;

struct WriterLimits {
    size_t maxQueuedBytes = size_t(256) << 20; ///< queue bound (row payload + overhead)
    size_t maxBatchRows = 5000;                ///< commit at least this often...
    int flushIntervalMs = 200;                 ///< ...or after this long
};

class RecordingWriter : public pipeline::PipelineSink {
public:
    /// Creates a new recording at path (refuses an existing one).
    static std::unique_ptr<RecordingWriter> create(const std::string &path, std::string *error,
                                                   WriterLimits limits = {});
    ~RecordingWriter() override;

    /// Drain the queue, commit, stop the thread. False when any write failed (error()).
    bool close();
    /// Block until everything queued so far is committed (tests, checkpoints).
    void flush();

    // pipeline::PipelineSink
    void onHello(const as_hello &hello) override;
    void onEvent(const wire::Event &e, std::string_view raw) override;
    void onHttpExchange(const decode::HttpExchange &x, bool complete) override;
    void onLlmExchange(const llm::LlmExchange &x, const decode::HttpExchange &source) override;
    void onLost(pipeline::LossOrigin origin, uint32_t source, uint64_t count) override;
    void onHelperError(uint32_t code, const std::string &primary, const std::string &secondary) override;
    void onStats(const as_stats &stats) override;
    void onEnd(int helperExitCode) override;

    // For correlate/ and detect/, and the CLI.
    bool addLink(LinkRow row);
    bool addFinding(FindingRow row);
    void setMeta(MetaRow row);

    uint64_t queuedRows() const { return m_queuedRows.load(); }
    uint64_t writtenRows() const { return m_writtenRows.load(); }
    uint64_t droppedRows() const { return m_droppedTotal.load(); }
    uint64_t batches() const { return m_batches.load(); }
    size_t peakQueuedBytes() const { return m_peakBytes.load(); }
    std::string error() const;

private:
    using Row = std::variant<EventRow, ProcessRow, HttpRow, LlmRow, LinkRow, FindingRow, DropRow, MetaRow>;
    RecordingWriter(std::unique_ptr<Recording> rec, WriterLimits limits);
    bool push(Row &&row, size_t bytes, uint32_t source, bool bounded = true);
    void threadMain();
    bool writeBatch(std::deque<std::pair<Row, size_t>> &batch);

    std::unique_ptr<Recording> m_rec;
    WriterLimits m_limits;
    mutable std::mutex m_mutex;
    std::condition_variable m_wake;
    std::condition_variable m_drained;
    std::deque<std::pair<Row, size_t>> m_queue;
    size_t m_queuedBytes = 0;
    bool m_stopping = false;
    bool m_writing = false;
    bool m_flushRequested = false;
    std::string m_error;
    std::thread m_thread;
    std::atomic<uint64_t> m_queuedRows{0};
    std::atomic<uint64_t> m_writtenRows{0};
    std::atomic<uint64_t> m_droppedTotal{0};
    std::atomic<uint64_t> m_batches{0};
    std::atomic<size_t> m_peakBytes{0};
    /// Dropped rows per capture source (+1: rows of no source), written as drops rows.
    std::array<std::atomic<uint64_t>, AS_SRC_COUNT + 1> m_dropped{};
    std::array<uint64_t, AS_SRC_COUNT + 1> m_droppedWritten{};
    // Writer thread only: the last HTTP row, so the LLM row right after it can reference it.
    int64_t m_lastHttpId = 0;
    uint32_t m_lastHttpTgid = 0;
    uint64_t m_lastHttpConn = 0, m_lastHttpSeq = 0;
    uint32_t m_lastHttpStream = 0;
    bool m_closed = false;
    uint64_t m_secretsScrubbed = 0; ///< pipeline thread only
};

} // namespace agentsight::store
