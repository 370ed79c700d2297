// SPDX-License-Identifier: GPL-2.0-or-later
#include "decode/redact.h"

#include <algorithm>
#include <cctype>

namespace agentsight::decode {
namespace {

bool iequals(std::string_view a, std::string_view b)
{
    return a.size() == b.size()
        && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return std::tolower(uint8_t(x)) == std::tolower(uint8_t(y)); });
}

// Public, documented key prefixes: they tell which provider a key is for and
// are the same for every user, so keeping them leaks nothing.
constexpr std::string_view kKeyPrefixes[] = {"sk-ant-", "sk-proj-", "sk-svcacct-", "sk-", "AIza", "ghp_", "gho_",
                                             "github_pat_", "xoxb-", "xoxp-", "hf_", "ya29."};

std::string redactCookieList(std::string_view v, bool setCookie)
{
    // "a=1; b=2" -> "a=[redacted]; b=[redacted]". For Set-Cookie only the
    // first pair is the cookie; the attributes after it (Path, Expires) stay.
    std::string out;
    size_t pos = 0;
    bool first = true;
    while (pos <= v.size()) {
        size_t semi = v.find(';', pos);
        if (semi == std::string_view::npos)
            semi = v.size();
        std::string_view item = v.substr(pos, semi - pos);
        if (!first)
            out += ';';
        if (first || !setCookie) {
            const size_t eq = item.find('=');
            if (eq == std::string_view::npos)
                out += std::string(kRedactedMark);
            else
                out += std::string(item.substr(0, eq + 1)) + std::string(kRedactedMark);
        } else {
            out += item;
        }
        first = false;
        pos = semi + 1;
    }
    return out;
}

} // namespace

bool isSecretHeader(std::string_view n)
{
    static constexpr std::string_view kSecret[] = {"authorization", "proxy-authorization", "x-api-key", "x-goog-api-key",
                                                   "api-key", "cookie", "set-cookie", "x-auth-token", "x-amz-security-token"};
    return std::find(std::begin(kSecret), std::end(kSecret), n) != std::end(kSecret);
}

bool isSecretParam(std::string_view name)
{
    for (const char *s : {"key", "api_key", "apikey", "api-key", "access_token", "token", "sig", "signature",
                          "client_secret", "password"})
        if (iequals(name, s))
            return true;
    return false;
}

std::string redactSecret(std::string_view value)
{
    if (value.empty())
        return {};
    if (value.find(kRedactedMark) != std::string_view::npos)
        return std::string(value); // already done: redaction is idempotent
    std::string out;
    // An auth scheme is not secret ("Bearer", "Basic", "Token").
    const size_t sp = value.find(' ');
    if (sp != std::string_view::npos && sp > 0 && sp <= 16
        && std::all_of(value.begin(), value.begin() + sp, [](char c) { return std::isalpha(uint8_t(c)); })) {
        out.append(value.substr(0, sp + 1));
        value.remove_prefix(sp + 1);
    }
    for (std::string_view p : kKeyPrefixes) {
        if (value.size() > p.size() + 8 && value.substr(0, p.size()) == p) {
            // "sk-ant-" style: keep the public prefix only (at most 8 chars).
            out.append(p.substr(0, 8));
            break;
        }
    }
    out += "\xE2\x80\xA6"; // …
    out += kRedactedMark;
    return out;
}

std::string redactTarget(std::string_view target)
{
    const size_t q = target.find('?');
    if (q == std::string_view::npos)
        return std::string(target);
    std::string out(target.substr(0, q + 1));
    std::string_view query = target.substr(q + 1);
    std::string_view fragment;
    if (const size_t h = query.find('#'); h != std::string_view::npos) {
        fragment = query.substr(h);
        query = query.substr(0, h);
    }
    size_t pos = 0;
    bool first = true;
    while (pos <= query.size()) {
        size_t amp = query.find('&', pos);
        if (amp == std::string_view::npos)
            amp = query.size();
        const std::string_view item = query.substr(pos, amp - pos);
        if (!first)
            out += '&';
        first = false;
        const size_t eq = item.find('=');
        if (eq != std::string_view::npos && isSecretParam(item.substr(0, eq)) && eq + 1 < item.size())
            out += std::string(item.substr(0, eq + 1)) + std::string(kRedactedMark);
        else
            out += item;
        pos = amp + 1;
    }
    out += fragment;
    return out;
}

void redactMessage(HttpMessage &msg)
{
    auto headers = [](std::vector<Header> &hs) {
        for (auto &h : hs) {
            if (!isSecretHeader(h.name) || h.value.find(kRedactedMark) != std::string::npos)
                continue;
            if (h.name == "cookie" || h.name == "set-cookie")
                h.value = redactCookieList(h.value, h.name == "set-cookie");
            else
                h.value = redactSecret(h.value);
        }
    };
    headers(msg.headers);
    headers(msg.trailers);
    if (msg.target.find('?') != std::string::npos)
        msg.target = redactTarget(msg.target);
}

} // namespace agentsight::decode
