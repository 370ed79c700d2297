// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/**
 * @brief Prefix tests that decide what a byte stream is from its first bytes.
 * Each answers from a prefix only (never from where a chunk ended), so a
 * stream split anywhere gets the same verdict.
 */
#include <string_view>

namespace agentsight::decode {

enum class Verdict { Yes, No, NeedMore };

inline constexpr std::string_view kH2Preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";

/// The HTTP/2 client connection preface.
Verdict sniffH2Preface(std::string_view prefix);
/// "TOKEN SP x": an HTTP/1 request line start (method is 1-20 token chars).
Verdict sniffRequestLine(std::string_view prefix);
/// "HTTP/1.d SP": an HTTP/1 status line start.
Verdict sniffResponseLine(std::string_view prefix);
/// A plausible HTTP/2 frame header (known type, sane length): used only to
/// explain a connection seen mid-stream, never to decode it.
Verdict sniffH2Frame(std::string_view prefix);

} // namespace agentsight::decode
