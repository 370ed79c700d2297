// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/**
 * @brief Streaming Content-Encoding decoder: gzip, deflate (zlib or raw),
 * br, zstd, identity, stacked in any order ("gzip, br" is undone br first).
 *
 * Output goes to a callback that may return false ("enough"): decoding then
 * stops for good, so a decompression bomb costs bounded CPU and no memory.
 * Window memory is bounded: zlib 32 KiB, brotli <= 16 MiB (large-window off),
 * zstd window capped at 8 MiB (RFC 9659's limit for HTTP).
 */
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace agentsight::decode {

class ContentDecoder {
public:
    /// Returns false to stop decoding (cap reached).
    using Output = std::function<bool(std::string_view)>;

    class Stage {
    public:
        virtual ~Stage() = default;
        /// Decode `in`, pass results to out. Returns false on a format error (see error()).
        virtual bool feed(std::string_view in, const Output &out, bool &stopped) = 0;
        /// End of input: false if the stream is incomplete.
        virtual bool finish(const Output &out, bool &stopped) = 0;
        std::string error;
    };

    /**
     * Build from a Content-Encoding header value. Returns nullptr for identity
     * (nothing to do). An unknown coding sets `error` and returns nullptr.
     */
    static std::unique_ptr<ContentDecoder> create(std::string_view contentEncoding, std::string &error);

    /// Decode more input. False once an error happened (error() says what).
    bool feed(std::string_view in, const Output &out);
    /// End of body. False if a stream was cut short or broken.
    bool finish(const Output &out);
    const std::string &error() const { return m_error; }
    bool stopped() const { return m_stopped; }

private:
    bool runStage(size_t index, std::string_view in, const Output &out, bool last);
    std::vector<std::unique_ptr<Stage>> m_stages; // in decoding order
    std::string m_error;
    bool m_failed = false;
    bool m_stopped = false;
};

} // namespace agentsight::decode
