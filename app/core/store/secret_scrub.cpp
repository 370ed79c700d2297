// SPDX-License-Identifier: GPL-2.0-or-later
#include "store/secret_scrub.h"

#include "decode/redact.h"

#include <algorithm>
#include <cctype>
#include <string_view>

namespace agentsight::store {

namespace {

bool tokenChar(char c)
{
    return std::isalnum(uint8_t(c)) || c == '-' || c == '_';
}

/// Stars value[keep..] where keep is what redactSecret would show of it.
bool scrubValue(char *value, size_t len)
{
    if (len == 0)
        return false;
    const std::string shown = decode::redactSecret(std::string_view(value, len));
    size_t keep = shown.find("\xE2\x80\xA6");
    if (keep == std::string::npos || keep > len)
        keep = 0;
    bool changed = false;
    for (size_t i = keep; i < len; ++i) {
        if (value[i] != '*') {
            value[i] = '*';
            changed = true;
        }
    }
    return changed;
}

size_t scrubQuery(char *line, size_t len)
{
    // "GET /path?a=1&key=SECRET HTTP/1.1": the target runs to the next space.
    const std::string_view l(line, len);
    const size_t q = l.find('?');
    if (q == std::string_view::npos)
        return 0;
    size_t end = l.find(' ', q);
    if (end == std::string_view::npos)
        end = len;
    size_t n = 0;
    size_t pos = q + 1;
    while (pos < end) {
        size_t amp = l.find('&', pos);
        if (amp == std::string_view::npos || amp > end)
            amp = end;
        const size_t eq = l.find('=', pos);
        if (eq != std::string_view::npos && eq < amp && decode::isSecretParam(l.substr(pos, eq - pos)))
            n += scrubValue(line + eq + 1, amp - eq - 1);
        pos = amp + 1;
    }
    return n;
}

} // namespace

size_t scrubHttpSecrets(std::string &bytes, size_t from)
{
    size_t n = 0;
    size_t pos = from;
    std::string lower;
    while (pos < bytes.size()) {
        size_t eol = bytes.find('\n', pos);
        if (eol == std::string::npos)
            eol = bytes.size();
        size_t lineEnd = eol;
        if (lineEnd > pos && bytes[lineEnd - 1] == '\r')
            --lineEnd;
        char *line = bytes.data() + pos;
        const size_t len = lineEnd - pos;
        size_t nameEnd = 0;
        while (nameEnd < len && tokenChar(line[nameEnd]))
            ++nameEnd;
        if (nameEnd > 0 && nameEnd < len && line[nameEnd] == ':') {
            lower.assign(line, nameEnd);
            std::transform(lower.begin(), lower.end(), lower.begin(), [](char c) { return char(std::tolower(uint8_t(c))); });
            if (decode::isSecretHeader(lower)) {
                size_t v = nameEnd + 1;
                while (v < len && (line[v] == ' ' || line[v] == '\t'))
                    ++v;
                n += scrubValue(line + v, len - v);
            }
        } else if (len > 10 && std::string_view(line, len).find(" HTTP/1.") != std::string_view::npos) {
            n += scrubQuery(line, len);
        }
        pos = eol + 1;
    }
    return n;
}

} // namespace agentsight::store
