// SPDX-License-Identifier: GPL-2.0-or-later
#include "decode/sniff.h"

#include <cstdint>

namespace agentsight::decode {
namespace {

bool isTokenChar(char c)
{
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
        return true;
    switch (c) {
    case '!': case '#': case '$': case '%': case '&': case '\'': case '*': case '+':
    case '-': case '.': case '^': case '_': case '`': case '|': case '~':
        return true;
    default:
        return false;
    }
}

} // namespace

Verdict sniffH2Preface(std::string_view prefix)
{
    const size_t n = prefix.size() < kH2Preface.size() ? prefix.size() : kH2Preface.size();
    if (prefix.substr(0, n) != kH2Preface.substr(0, n))
        return Verdict::No;
    return n == kH2Preface.size() ? Verdict::Yes : Verdict::NeedMore;
}

Verdict sniffRequestLine(std::string_view prefix)
{
    // Methods are upper-case in practice; requiring it rejects most binary
    // and mid-stream text (JSON, base64) that would otherwise pass as a token.
    size_t i = 0;
    for (; i < prefix.size() && i <= 20; ++i) {
        const char c = prefix[i];
        if (c == ' ')
            break;
        if (!(c >= 'A' && c <= 'Z') && !(c == '-' || c == '_'))
            return Verdict::No;
    }
    if (i == prefix.size())
        return i > 20 ? Verdict::No : Verdict::NeedMore;
    if (i == 0 || i > 20)
        return Verdict::No;
    if (i + 1 >= prefix.size())
        return Verdict::NeedMore;
    const char t = prefix[i + 1];
    return (t == '/' || t == '*' || isTokenChar(t)) ? Verdict::Yes : Verdict::No;
}

Verdict sniffResponseLine(std::string_view prefix)
{
    constexpr std::string_view head = "HTTP/1.";
    const size_t n = prefix.size() < head.size() ? prefix.size() : head.size();
    if (prefix.substr(0, n) != head.substr(0, n))
        return Verdict::No;
    if (prefix.size() < head.size() + 2)
        return Verdict::NeedMore;
    const char d = prefix[head.size()];
    return (d >= '0' && d <= '9' && prefix[head.size() + 1] == ' ') ? Verdict::Yes : Verdict::No;
}

Verdict sniffH2Frame(std::string_view prefix)
{
    if (prefix.size() < 9)
        return Verdict::NeedMore;
    const auto b = [&](size_t i) { return uint32_t(uint8_t(prefix[i])); };
    const uint32_t len = (b(0) << 16) | (b(1) << 8) | b(2);
    const uint32_t type = b(3);
    return (type <= 9 && len <= (1u << 20) && (b(5) & 0x80) == 0) ? Verdict::Yes : Verdict::No;
}

} // namespace agentsight::decode
