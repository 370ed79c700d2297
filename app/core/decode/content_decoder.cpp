// SPDX-License-Identifier: GPL-2.0-or-later
#include "decode/content_decoder.h"

#include <brotli/decode.h>
#include <zlib.h>
#include <zstd.h>

#include <cctype>

namespace agentsight::decode {
namespace {

// Decoded bytes are handed on in pieces of this size; on the stack, so an idle
// decoder costs no buffer memory.
constexpr size_t kOutPiece = 32 * 1024;

/** gzip (any number of members) or deflate, which servers send both as zlib and raw. */
class ZlibStage : public ContentDecoder::Stage {
public:
    explicit ZlibStage(bool gzip) : m_gzip(gzip) {}
    ~ZlibStage() override
    {
        if (m_init)
            inflateEnd(&m_z);
    }

    bool feed(std::string_view in, const ContentDecoder::Output &out, bool &stopped) override
    {
        if (in.empty())
            return true;
        m_sawInput = true;
        if (!m_init) {
            // "deflate" is zlib per RFC 9110, but raw deflate is common in the
            // wild: a valid zlib header (CMF/FLG check) decides.
            m_sniff.append(in);
            if (!m_gzip && m_sniff.size() < 2)
                return true;
            int bits = 15 + 16;
            if (!m_gzip) {
                const auto b0 = uint8_t(m_sniff[0]), b1 = uint8_t(m_sniff[1]);
                const bool zlibHeader = (b0 & 0x0f) == 8 && (b0 >> 4) <= 7 && ((b0 << 8) | b1) % 31 == 0;
                bits = zlibHeader ? 15 : -15;
            }
            if (inflateInit2(&m_z, bits) != Z_OK) {
                error = "zlib: init failed";
                return false;
            }
            m_init = true;
            std::string pending;
            pending.swap(m_sniff);
            return run(pending, out, stopped);
        }
        return run(in, out, stopped);
    }

    bool finish(const ContentDecoder::Output &out, bool &stopped) override
    {
        if (!m_sawInput)
            return true;
        if (!m_init) { // a 1-byte deflate body
            error = "deflate: stream cut short";
            return false;
        }
        (void)out;
        (void)stopped;
        if (!m_ended) {
            error = std::string(m_gzip ? "gzip" : "deflate") + ": stream cut short";
            return false;
        }
        return true;
    }

private:
    bool run(std::string_view in, const ContentDecoder::Output &out, bool &stopped)
    {
        char buf[kOutPiece];
        m_z.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(in.data()));
        m_z.avail_in = uInt(in.size());
        while (m_z.avail_in > 0) {
            if (m_ended) {
                if (!m_gzip) {
                    error = "deflate: data after end of stream";
                    return false;
                }
                inflateReset(&m_z); // next gzip member
                m_ended = false;
            }
            m_z.next_out = reinterpret_cast<Bytef *>(buf);
            m_z.avail_out = sizeof buf;
            const int rc = inflate(&m_z, Z_NO_FLUSH);
            const size_t produced = sizeof buf - m_z.avail_out;
            if (rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR) {
                error = std::string(m_gzip ? "gzip: " : "deflate: ") + (m_z.msg ? m_z.msg : "corrupt data");
                return false;
            }
            if (produced > 0 && !out(std::string_view(buf, produced))) {
                stopped = true;
                return true;
            }
            if (rc == Z_STREAM_END)
                m_ended = true;
            else if (rc == Z_BUF_ERROR && produced == 0)
                break; // needs more input
        }
        // Drain output zlib still holds for the consumed input.
        while (!m_ended) {
            m_z.next_out = reinterpret_cast<Bytef *>(buf);
            m_z.avail_out = sizeof buf;
            const int rc = inflate(&m_z, Z_NO_FLUSH);
            const size_t produced = sizeof buf - m_z.avail_out;
            if (rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR) {
                error = std::string(m_gzip ? "gzip: " : "deflate: ") + (m_z.msg ? m_z.msg : "corrupt data");
                return false;
            }
            if (produced > 0 && !out(std::string_view(buf, produced))) {
                stopped = true;
                return true;
            }
            if (rc == Z_STREAM_END)
                m_ended = true;
            if (produced == 0)
                break;
        }
        return true;
    }

    z_stream m_z{};
    bool m_gzip;
    bool m_init = false;
    bool m_ended = false;
    bool m_sawInput = false;
    std::string m_sniff;
};

class BrotliStage : public ContentDecoder::Stage {
public:
    BrotliStage() : m_state(BrotliDecoderCreateInstance(nullptr, nullptr, nullptr)) {}
    ~BrotliStage() override { BrotliDecoderDestroyInstance(m_state); }

    bool feed(std::string_view in, const ContentDecoder::Output &out, bool &stopped) override
    {
        if (!m_state) {
            error = "br: out of memory";
            return false;
        }
        if (in.empty())
            return true;
        m_sawInput = true;
        size_t availIn = in.size();
        auto nextIn = reinterpret_cast<const uint8_t *>(in.data());
        uint8_t buf[kOutPiece];
        for (;;) {
            size_t availOut = sizeof buf;
            uint8_t *nextOut = buf;
            const auto rc = BrotliDecoderDecompressStream(m_state, &availIn, &nextIn, &availOut, &nextOut, nullptr);
            const size_t produced = sizeof buf - availOut;
            if (rc == BROTLI_DECODER_RESULT_ERROR) {
                error = std::string("br: ") + BrotliDecoderErrorString(BrotliDecoderGetErrorCode(m_state));
                return false;
            }
            if (produced > 0 && !out(std::string_view(reinterpret_cast<char *>(buf), produced))) {
                stopped = true;
                return true;
            }
            if (rc == BROTLI_DECODER_RESULT_SUCCESS) {
                m_ended = true;
                if (availIn > 0) {
                    error = "br: data after end of stream";
                    return false;
                }
                return true;
            }
            if (rc == BROTLI_DECODER_RESULT_NEEDS_MORE_INPUT)
                return true;
            // NEEDS_MORE_OUTPUT: loop
        }
    }

    bool finish(const ContentDecoder::Output &, bool &) override
    {
        if (m_sawInput && !m_ended) {
            error = "br: stream cut short";
            return false;
        }
        return true;
    }

private:
    BrotliDecoderState *m_state;
    bool m_sawInput = false;
    bool m_ended = false;
};

class ZstdStage : public ContentDecoder::Stage {
public:
    ZstdStage() : m_ctx(ZSTD_createDCtx())
    {
        if (m_ctx)
            ZSTD_DCtx_setParameter(m_ctx, ZSTD_d_windowLogMax, 23); // 8 MiB
    }
    ~ZstdStage() override { ZSTD_freeDCtx(m_ctx); }

    bool feed(std::string_view in, const ContentDecoder::Output &out, bool &stopped) override
    {
        if (!m_ctx) {
            error = "zstd: out of memory";
            return false;
        }
        if (in.empty())
            return true;
        m_sawInput = true;
        ZSTD_inBuffer inBuf{in.data(), in.size(), 0};
        char buf[kOutPiece];
        for (;;) {
            ZSTD_outBuffer outBuf{buf, sizeof buf, 0};
            const size_t rc = ZSTD_decompressStream(m_ctx, &outBuf, &inBuf);
            if (ZSTD_isError(rc)) {
                error = std::string("zstd: ") + ZSTD_getErrorName(rc);
                return false;
            }
            if (outBuf.pos > 0 && !out(std::string_view(buf, outBuf.pos))) {
                stopped = true;
                return true;
            }
            m_frameDone = rc == 0;
            if (inBuf.pos == inBuf.size && outBuf.pos < outBuf.size)
                return true;
        }
    }

    bool finish(const ContentDecoder::Output &, bool &) override
    {
        if (m_sawInput && !m_frameDone) {
            error = "zstd: stream cut short";
            return false;
        }
        return true;
    }

private:
    ZSTD_DCtx *m_ctx;
    bool m_sawInput = false;
    bool m_frameDone = false;
};

std::string lowerTrim(std::string_view s)
{
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
        s.remove_suffix(1);
    std::string r(s);
    for (auto &c : r)
        c = char(std::tolower(uint8_t(c)));
    return r;
}

} // namespace

std::unique_ptr<ContentDecoder> ContentDecoder::create(std::string_view contentEncoding, std::string &error)
{
    std::vector<std::unique_ptr<Stage>> applied; // in the order the sender applied them
    size_t pos = 0;
    while (pos <= contentEncoding.size()) {
        size_t comma = contentEncoding.find(',', pos);
        if (comma == std::string_view::npos)
            comma = contentEncoding.size();
        const std::string coding = lowerTrim(contentEncoding.substr(pos, comma - pos));
        pos = comma + 1;
        if (coding.empty() || coding == "identity")
            continue;
        if (coding == "gzip" || coding == "x-gzip")
            applied.push_back(std::make_unique<ZlibStage>(true));
        else if (coding == "deflate")
            applied.push_back(std::make_unique<ZlibStage>(false));
        else if (coding == "br")
            applied.push_back(std::make_unique<BrotliStage>());
        else if (coding == "zstd")
            applied.push_back(std::make_unique<ZstdStage>());
        else {
            error = "unsupported content-encoding: " + coding.substr(0, 64);
            return nullptr;
        }
        if (applied.size() > 4) { // stacking deeper than that is an attack, not a server
            error = "too many stacked content-encodings";
            return nullptr;
        }
    }
    if (applied.empty())
        return nullptr;
    auto d = std::make_unique<ContentDecoder>();
    for (auto it = applied.rbegin(); it != applied.rend(); ++it)
        d->m_stages.push_back(std::move(*it));
    return d;
}

bool ContentDecoder::runStage(size_t index, std::string_view in, const Output &out, bool last)
{
    if (m_failed || m_stopped)
        return false;
    if (index == m_stages.size()) {
        if (!in.empty() && !out(in)) {
            m_stopped = true;
            return false;
        }
        return true;
    }
    Output next = [this, index, &out](std::string_view d) { return runStage(index + 1, d, out, false); };
    Stage &stage = *m_stages[index];
    bool stopped = false;
    bool ok = stage.feed(in, next, stopped);
    if (ok && last)
        ok = stage.finish(next, stopped);
    if (!ok && !m_failed && !m_stopped) {
        m_failed = true;
        m_error = stage.error;
    }
    if (ok && last && !m_failed && !m_stopped)
        return runStage(index + 1, {}, out, true);
    return !m_failed && !m_stopped;
}

bool ContentDecoder::feed(std::string_view in, const Output &out)
{
    if (m_failed || m_stopped)
        return !m_failed;
    runStage(0, in, out, false);
    return !m_failed;
}

bool ContentDecoder::finish(const Output &out)
{
    if (m_failed || m_stopped)
        return !m_failed;
    runStage(0, {}, out, true);
    return !m_failed;
}

} // namespace agentsight::decode
