// SPDX-License-Identifier: GPL-2.0-or-later
#include "store/recording_writer.h"

#include "store/recording.h"
#include "store/row_builders.h"
#include "store/secret_scrub.h"

#include <QDateTime>

#include <chrono>

namespace agentsight::store {

namespace {
// Per-row bookkeeping in the queue (variant + deque node), counted against
// the byte bound so a flood of tiny rows is bounded too.
constexpr size_t kRowOverhead = sizeof(std::pair<std::variant<EventRow, ProcessRow, HttpRow, LlmRow, LinkRow,
                                                              FindingRow, DropRow, MetaRow>,
                                                 size_t>) +
    16;

MetaRow metaInt(std::string key, int64_t v)
{
    MetaRow m;
    m.key = std::move(key);
    m.kind = MetaRow::Kind::Int;
    m.number = v;
    return m;
}

MetaRow metaText(std::string key, std::string v)
{
    MetaRow m;
    m.key = std::move(key);
    m.text = std::move(v);
    return m;
}
} // namespace

std::unique_ptr<RecordingWriter> RecordingWriter::create(const std::string &path, std::string *error,
                                                         WriterLimits limits)
{
    auto rec = Recording::open(path, Recording::Mode::Create, error);
    if (!rec)
        return nullptr;
    return std::unique_ptr<RecordingWriter>(new RecordingWriter(std::move(rec), limits));
}

RecordingWriter::RecordingWriter(std::unique_ptr<Recording> rec, WriterLimits limits)
    : m_rec(std::move(rec)), m_limits(limits)
{
    for (auto &d : m_dropped)
        d = 0;
    m_droppedWritten.fill(0);
    m_thread = std::thread([this] { threadMain(); });
}

RecordingWriter::~RecordingWriter()
{
    close();
}

std::string RecordingWriter::error() const
{
    std::lock_guard lock(m_mutex);
    return m_error;
}

bool RecordingWriter::push(Row &&row, size_t bytes, uint32_t source, bool bounded)
{
    bytes += kRowOverhead;
    std::unique_lock lock(m_mutex);
    if (m_stopping || (bounded && m_queuedBytes + bytes > m_limits.maxQueuedBytes)) {
        m_dropped[std::min<uint32_t>(source, AS_SRC_COUNT)]++;
        m_droppedTotal++;
        return false;
    }
    m_queue.emplace_back(std::move(row), bytes);
    m_queuedBytes += bytes;
    if (m_queuedBytes > m_peakBytes.load())
        m_peakBytes = m_queuedBytes;
    const size_t n = m_queue.size();
    m_queuedRows = n;
    lock.unlock();
    if (n >= m_limits.maxBatchRows)
        m_wake.notify_one();
    return true;
}

void RecordingWriter::onHello(const as_hello &h)
{
    MetaRow blob;
    blob.key = "hello";
    blob.kind = MetaRow::Kind::Blob;
    blob.text.assign(reinterpret_cast<const char *>(&h), sizeof h);
    setMeta(std::move(blob));
    setMeta(metaInt("boot_to_wall_ns", h.boot_to_wall_ns));
    setMeta(metaInt("helper_pid", h.helper_pid));
    setMeta(metaText("helper_protocol", std::to_string(h.proto_major) + "." + std::to_string(h.proto_minor)));
    setMeta(metaText("record_schema", std::to_string(h.schema_major) + "." + std::to_string(h.schema_minor)));
    setMeta(metaInt("tls_cap_bytes", h.tls_cap_bytes));
    setMeta(metaInt("ring_bytes", h.ring_bytes));
}

void RecordingWriter::onEvent(const wire::Event &e, std::string_view raw)
{
    const uint32_t source = wire::eventSource(e.type);
    if (raw.empty()) {
        // A pre-parsed event without its bytes cannot be replayed exactly.
        m_dropped[std::min<uint32_t>(source, AS_SRC_COUNT)]++;
        m_droppedTotal++;
        return;
    }
    if (auto p = processRow(e)) {
        const size_t bytes = p->filename.size() + p->argvJson.size() + p->cwd.size() + p->comm.size();
        push(std::move(*p), bytes, source);
    }
    EventRow row = eventRow(e, raw);
    if (e.type == AS_EV_TLS_DATA && row.raw.size() > sizeof(as_tls_data))
        m_secretsScrubbed += scrubHttpSecrets(row.raw, sizeof(as_tls_data));
    push(std::move(row), raw.size(), source);
}

void RecordingWriter::onHttpExchange(const decode::HttpExchange &x, bool complete)
{
    if (!complete)
        return; // intermediate updates are rebuilt by a replay; only the final one is a row
    HttpRow r = httpRow(x);
    const size_t bytes = r.detailJson.size() + r.target.size() + r.authority.size();
    push(std::move(r), bytes, AS_SRC_TLS);
}

void RecordingWriter::onLlmExchange(const llm::LlmExchange &x, const decode::HttpExchange &source)
{
    LlmRow r = llmRow(x, source);
    const size_t bytes = r.detailJson.size();
    push(std::move(r), bytes, AS_SRC_TLS);
}

void RecordingWriter::onLost(pipeline::LossOrigin origin, uint32_t source, uint64_t count)
{
    if (origin == pipeline::LossOrigin::Recorder)
        return; // our own, written from m_dropped
    push(DropRow{pipeline::lossOriginName(origin), source, count}, 32, AS_SRC_COUNT, false);
}

void RecordingWriter::onHelperError(uint32_t code, const std::string &primary, const std::string &secondary)
{
    setMeta(metaText("helper_error", primary + (secondary.empty() ? "" : " (" + secondary + ")")));
    setMeta(metaInt("helper_error_code", code));
}

void RecordingWriter::onStats(const as_stats &st)
{
    setMeta(metaInt("helper_events_sent", int64_t(st.events_sent)));
    setMeta(metaInt("helper_lost_queue", int64_t(st.lost_queue)));
    setMeta(metaInt("helper_tls_truncated_bytes", int64_t(st.tls_truncated_bytes)));
}

void RecordingWriter::onEnd(int helperExitCode)
{
    setMeta(metaInt("secrets_scrubbed", int64_t(m_secretsScrubbed)));
    setMeta(metaText("ended", QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs).toStdString()));
    setMeta(metaInt("helper_exit_code", helperExitCode));
}

bool RecordingWriter::addLink(LinkRow row)
{
    const size_t bytes = row.reasonsJson.size() + row.fromRef.size() + row.toRef.size();
    return push(std::move(row), bytes, AS_SRC_COUNT);
}

bool RecordingWriter::addFinding(FindingRow row)
{
    const size_t bytes = row.reasonsJson.size() + row.subjectsJson.size() + row.summary.size();
    return push(std::move(row), bytes, AS_SRC_COUNT);
}

void RecordingWriter::setMeta(MetaRow row)
{
    const size_t bytes = row.key.size() + row.text.size();
    push(std::move(row), bytes, AS_SRC_COUNT, false);
}

void RecordingWriter::flush()
{
    std::unique_lock lock(m_mutex);
    m_flushRequested = true;
    m_wake.notify_one();
    m_drained.wait(lock, [this] { return (m_queue.empty() && !m_writing) || !m_thread.joinable(); });
    m_flushRequested = false;
}

bool RecordingWriter::close()
{
    {
        std::lock_guard lock(m_mutex);
        if (m_closed)
            return m_error.empty();
        m_closed = true;
        m_stopping = true;
    }
    m_wake.notify_one();
    if (m_thread.joinable())
        m_thread.join();
    // Fold the WAL back so the recording is one self-contained file.
    m_rec->db().exec("PRAGMA wal_checkpoint(TRUNCATE)");
    m_rec.reset();
    std::lock_guard lock(m_mutex);
    return m_error.empty();
}

void RecordingWriter::threadMain()
{
    using clock = std::chrono::steady_clock;
    const auto interval = std::chrono::milliseconds(m_limits.flushIntervalMs);
    auto lastCommit = clock::now();
    std::deque<std::pair<Row, size_t>> taken, batch;
    std::unique_lock lock(m_mutex);
    for (;;) {
        m_wake.wait_until(lock, lastCommit + interval, [&] {
            return m_stopping || m_flushRequested || m_queue.size() >= m_limits.maxBatchRows;
        });
        const bool stopping = m_stopping;
        // Take the whole queue in O(1); its bytes stay counted against the
        // bound until written, so memory stays within maxQueuedBytes.
        taken.swap(m_queue);
        m_queuedRows = 0;
        m_writing = true;
        lock.unlock();
        bool pendingDrops = false;
        for (size_t s = 0; s <= AS_SRC_COUNT; ++s)
            pendingDrops |= m_dropped[s].load() != m_droppedWritten[s];
        do {
            // One transaction per maxBatchRows rows.
            size_t bytes = 0;
            while (!taken.empty() && batch.size() < m_limits.maxBatchRows) {
                bytes += taken.front().second;
                batch.push_back(std::move(taken.front()));
                taken.pop_front();
            }
            if (!batch.empty() || pendingDrops) {
                const bool ok = writeBatch(batch);
                batch.clear();
                pendingDrops = false;
                if (!ok) {
                    // Disk full, I/O error: keep counting what we could not write.
                    std::lock_guard g(m_mutex);
                    if (m_error.empty())
                        m_error = m_rec->lastError();
                }
            }
            std::lock_guard g(m_mutex);
            m_queuedBytes -= bytes;
        } while (!taken.empty());
        lastCommit = clock::now();
        lock.lock();
        m_writing = false;
        if (m_queue.empty())
            m_drained.notify_all();
        if (stopping && m_queue.empty())
            break;
    }
    m_drained.notify_all();
}

bool RecordingWriter::writeBatch(std::deque<std::pair<Row, size_t>> &batch)
{
    Recording &rec = *m_rec;
    if (!rec.begin()) {
        m_droppedTotal += batch.size();
        m_dropped[AS_SRC_COUNT] += batch.size();
        return false;
    }
    bool ok = true;
    uint64_t written = 0;
    for (auto &[row, bytes] : batch) {
        (void)bytes;
        bool r = std::visit(
            [&](auto &v) -> bool {
                using T = std::decay_t<decltype(v)>;
                if constexpr (std::is_same_v<T, EventRow>) {
                    return rec.insertEvent(v);
                } else if constexpr (std::is_same_v<T, ProcessRow>) {
                    return rec.applyProcess(v);
                } else if constexpr (std::is_same_v<T, HttpRow>) {
                    if (!rec.insertHttp(v))
                        return false;
                    m_lastHttpId = v.id;
                    m_lastHttpTgid = v.tgid;
                    m_lastHttpConn = v.conn;
                    m_lastHttpSeq = v.sequence;
                    m_lastHttpStream = v.streamId;
                    return true;
                } else if constexpr (std::is_same_v<T, LlmRow>) {
                    if (m_lastHttpId && v.tgid == m_lastHttpTgid && v.conn == m_lastHttpConn &&
                        v.sequence == m_lastHttpSeq && v.streamId == m_lastHttpStream)
                        v.httpId = m_lastHttpId;
                    return rec.insertLlm(v);
                } else if constexpr (std::is_same_v<T, LinkRow>) {
                    return rec.insertLink(v);
                } else if constexpr (std::is_same_v<T, FindingRow>) {
                    return rec.insertFinding(v);
                } else if constexpr (std::is_same_v<T, DropRow>) {
                    return rec.addDrop(v);
                } else {
                    return rec.setMeta(v);
                }
            },
            row);
        if (r) {
            ++written;
        } else {
            ok = false;
            m_droppedTotal++;
            m_dropped[AS_SRC_COUNT]++;
        }
    }
    for (size_t s = 0; s <= AS_SRC_COUNT; ++s) {
        const uint64_t now = m_dropped[s].load();
        if (now != m_droppedWritten[s] && rec.addDrop(DropRow{"recorder", uint32_t(s), now - m_droppedWritten[s]}))
            m_droppedWritten[s] = now;
    }
    if (!rec.commit()) {
        rec.rollback();
        m_droppedTotal += written;
        m_dropped[AS_SRC_COUNT] += written;
        return false;
    }
    m_writtenRows += written;
    m_batches++;
    return ok;
}

} // namespace agentsight::store
