// SPDX-License-Identifier: GPL-2.0-or-later
#include "decode/body_decoder.h"

#include <algorithm>
#include <cctype>

namespace agentsight::decode {
namespace {

std::string mediaType(const std::string *contentType)
{
    if (!contentType)
        return {};
    std::string t = contentType->substr(0, contentType->find(';'));
    t.erase(std::remove_if(t.begin(), t.end(), [](char c) { return c == ' ' || c == '\t'; }), t.end());
    for (auto &c : t)
        c = char(std::tolower(uint8_t(c)));
    return t;
}

// Text-like bodies are what users read (and what LLM APIs speak); a missing
// content-type is kept too because many JSON APIs omit it on errors.
bool isTextLike(const std::string &t)
{
    if (t.empty() || t.rfind("text/", 0) == 0)
        return true;
    for (const char *k : {"json", "xml", "javascript", "x-www-form-urlencoded", "event-stream", "graphql", "yaml"})
        if (t.find(k) != std::string::npos)
            return true;
    return false;
}

} // namespace

BodyDecoder::BodyDecoder(HttpMessage &msg, const DecodeLimits &limits, DecodeStats &stats)
    : m_msg(msg), m_limits(limits), m_stats(stats)
{
    const std::string type = mediaType(msg.header("content-type"));
    m_keep = m_limits.keepBinaryBodies || isTextLike(type);
    if (type == "text/event-stream")
        m_sse.emplace(m_limits.maxSseEventBytes, m_limits.maxSseEvents);
    // Several Content-Encoding fields combine like one comma-separated list.
    std::string encoding;
    for (const auto &h : msg.headers)
        if (h.name == "content-encoding")
            encoding += (encoding.empty() ? "" : ",") + h.value;
    if (!encoding.empty()) {
        std::string err;
        m_decoder = ContentDecoder::create(encoding, err);
        if (!err.empty())
            fail(err); // keep nothing rather than store undecodable bytes as text
    }
}

void BodyDecoder::fail(std::string why)
{
    if (m_msg.decodeError.empty())
        m_msg.decodeError = std::move(why);
    m_broken = true;
}

bool BodyDecoder::decoded(std::string_view d)
{
    // Stop at exactly maxDecodedCount so the result does not depend on how
    // the compressed input happened to be chunked.
    bool enough = false;
    if (m_decoder && m_msg.decodedBodyBytes + d.size() >= m_limits.maxDecodedCount) {
        d = d.substr(0, size_t(m_limits.maxDecodedCount - std::min(m_msg.decodedBodyBytes, m_limits.maxDecodedCount)));
        enough = true;
    }
    m_msg.decodedBodyBytes += d.size();
    if (m_contiguous) {
        if (!m_keep) {
            m_msg.bodyOmitted = true;
        } else {
            const size_t room = m_limits.maxBodyBytes > m_msg.body.size() ? m_limits.maxBodyBytes - m_msg.body.size() : 0;
            if (d.size() > room) {
                if (!m_msg.bodyTruncated)
                    ++m_stats.bodiesTruncated;
                m_msg.bodyTruncated = true;
            }
            m_msg.body.append(d.substr(0, room));
        }
    }
    if (m_sse) {
        m_sse->feed(d, m_ktime, m_msg.sse);
        m_msg.sseEventsDropped = m_sse->eventsDropped();
        m_msg.sseEventsTruncated = m_sse->eventsTruncated();
    }
    if (enough) {
        fail("decoded body exceeds " + std::to_string(m_limits.maxDecodedCount)
             + " bytes; decompression stopped (decodedBodyBytes is a lower bound)");
        return false;
    }
    return true;
}

bool BodyDecoder::data(std::string_view wire, uint64_t ktimeNs)
{
    if (wire.empty())
        return false;
    if (m_msg.firstBodyNs == 0)
        m_msg.firstBodyNs = ktimeNs;
    m_msg.wireBodyBytes += wire.size();
    m_ktime = ktimeNs;
    if (m_broken)
        return false;
    const size_t sseBefore = m_msg.sse.size();
    if (m_decoder) {
        if (!m_decoder->feed(wire, [this](std::string_view d) { return decoded(d); }))
            fail(m_decoder->error());
    } else {
        decoded(wire);
    }
    return m_msg.sse.size() != sseBefore;
}

void BodyDecoder::gap(uint64_t bytes)
{
    m_msg.gapBytes += bytes;
    m_msg.wireBodyBytes += bytes;
    if (m_contiguous && !m_msg.bodyTruncated)
        ++m_stats.bodiesTruncated;
    m_contiguous = false;
    m_msg.bodyTruncated = true;
    if (m_decoder)
        fail(std::to_string(bytes) + " body bytes not captured; decompression stopped");
    else if (m_sse)
        m_sse->gap();
}

void BodyDecoder::finish()
{
    if (m_decoder && !m_broken && !m_decoder->finish([this](std::string_view d) { return decoded(d); }))
        fail(m_decoder->error());
    if (m_sse) {
        m_msg.sseEventsDropped = m_sse->eventsDropped();
        m_msg.sseEventsTruncated = m_sse->eventsTruncated();
    }
}

} // namespace agentsight::decode
