// SPDX-License-Identifier: GPL-2.0-or-later
#include "decode/http1_session.h"

#include <algorithm>
#include <cctype>

namespace agentsight::decode {

class Http1Session::RequestSide : public Http1Parser::Handler {
public:
    explicit RequestSide(Http1Session &s) : m_s(s) {}

    Http1Parser::HeadAction onHead(HttpMessage &&head) override
    {
        auto &ctx = m_s.m_ctx;
        if (m_s.m_queue.size() >= ctx.limits.maxPendingRequests) {
            // A client that never gets answers (or a response side we lost)
            // must not grow memory: give the oldest request up.
            Entry *old = m_s.m_queue.front().get();
            ++ctx.stats.pendingOverflow;
            if (old->ex.error.empty())
                old->ex.error = "no response seen before " + std::to_string(ctx.limits.maxPendingRequests)
                                + " later requests; given up";
            if (m_s.m_response == old)
                m_s.m_response = nullptr;
            if (m_s.m_request == old)
                m_s.m_request = nullptr;
            old->requestDone = old->responseDone = true;
            m_s.maybeFinish(old);
        }
        auto e = std::make_unique<Entry>();
        e->ex.sequence = m_s.m_sequence++;
        e->ex.request = std::move(head);
        e->requestBody = std::make_unique<BodyDecoder>(e->ex.request, ctx.limits, ctx.stats);
        m_s.m_request = e.get();
        m_s.m_queue.push_back(std::move(e));
        ctx.emit(m_s.m_request->ex, false);
        return Http1Parser::HeadAction::Normal;
    }
    void onBody(std::string_view bytes, uint64_t ktimeNs) override
    {
        if (m_s.m_request)
            m_s.m_request->requestBody->data(bytes, ktimeNs);
    }
    void onBodyGap(uint64_t bytes) override
    {
        if (m_s.m_request)
            m_s.m_request->requestBody->gap(bytes);
    }
    void onComplete(std::vector<Header> &&trailers, uint64_t ktimeNs) override
    {
        Entry *e = m_s.m_request;
        m_s.m_request = nullptr;
        if (!e)
            return;
        e->ex.request.trailers = std::move(trailers);
        e->requestBody->finish();
        e->ex.request.endNs = ktimeNs;
        e->requestDone = true;
        if (e->responseDone)
            m_s.maybeFinish(e);
        else
            m_s.m_ctx.emit(e->ex, false);
    }
    void onError(const std::string &why, uint64_t ktimeNs) override
    {
        Entry *e = m_s.m_request;
        m_s.m_request = nullptr;
        if (!e && m_s.m_requestParser.lastErrorInMessage()) {
            // A request started but its head never parsed: keep a placeholder
            // so its response still pairs in order instead of shifting FIFO.
            auto lost = std::make_unique<Entry>();
            lost->ex.sequence = m_s.m_sequence++;
            lost->ex.request.startNs = ktimeNs;
            e = lost.get();
            m_s.m_queue.push_back(std::move(lost));
        }
        if (!e) {
            m_s.m_ctx.note("HTTP/1 request stream: " + why);
            return;
        }
        e->ex.error = "request: " + why;
        e->ex.request.endNs = ktimeNs;
        e->requestDone = true;
        if (e->responseDone)
            m_s.maybeFinish(e);
        else
            m_s.m_ctx.emit(e->ex, false);
    }
    void onOtherBytes(std::string_view bytes, uint64_t ktimeNs, bool upgraded) override
    {
        if (upgraded)
            m_s.upgradedBytes(true, bytes, ktimeNs);
        else
            m_s.m_ctx.stats.ignoredBytes += bytes.size();
    }
    void onUpgradedGap(uint64_t bytes, uint64_t ktimeNs) override { m_s.upgradedGap(true, bytes, ktimeNs); }

private:
    Http1Session &m_s;
};

class Http1Session::ResponseSide : public Http1Parser::Handler {
public:
    explicit ResponseSide(Http1Session &s) : m_s(s) {}

    Http1Parser::HeadAction onHead(HttpMessage &&head) override
    {
        auto &ctx = m_s.m_ctx;
        const int status = head.status;
        // The oldest request still without a response gets this one (FIFO).
        Entry *e = nullptr;
        for (auto &q : m_s.m_queue)
            if (!q->ex.response && !q->responseDone) {
                e = q.get();
                break;
            }
        if (status >= 100 && status < 200 && status != 101) {
            // 100-continue and friends: not the final response.
            return Http1Parser::HeadAction::Interim;
        }
        if (!e) {
            auto orphan = std::make_unique<Entry>();
            orphan->ex.sequence = m_s.m_sequence++;
            orphan->ex.error = "response without a captured request";
            orphan->requestDone = true;
            e = orphan.get();
            m_s.m_queue.push_back(std::move(orphan));
        }
        e->ex.response = std::move(head);
        e->responseBody = std::make_unique<BodyDecoder>(*e->ex.response, ctx.limits, ctx.stats);
        m_s.m_response = e;
        const std::string &method = e->ex.request.method;
        Http1Parser::HeadAction action = Http1Parser::HeadAction::Normal;
        bool upgraded = false;
        if (status == 101 || (method == "CONNECT" && status >= 200 && status < 300)) {
            action = Http1Parser::HeadAction::Upgrade;
            upgraded = true;
        } else if (method == "HEAD" || status == 204 || status == 304) {
            action = Http1Parser::HeadAction::NoBody;
        }
        if (upgraded) {
            const std::string *proto = e->ex.response->header("upgrade");
            std::string p = proto ? proto->substr(0, 64) : std::string();
            for (auto &c : p)
                c = char(std::tolower(uint8_t(c)));
            if (status == 101 && p == "websocket" && !m_s.m_websocket) {
                const std::string *ext = e->ex.response->header("sec-websocket-extensions");
                e->ws = std::make_unique<WebSocketDecoder>(ext ? *ext : std::string(), ctx.limits);
                m_s.m_websocket = e;
            } else {
                ctx.note("connection switched protocols" + (p.empty() ? std::string() : " to " + p)
                         + "; later bytes are counted, not decoded");
            }
        }
        ctx.emit(e->ex, false);
        // Must come after the WebSocket decoder exists: it may replay client frames.
        if (e->requestDone)
            m_s.m_requestParser.resolveUpgrade(upgraded, e->ex.response->startNs);
        return action;
    }
    void onBody(std::string_view bytes, uint64_t ktimeNs) override
    {
        Entry *e = m_s.m_response;
        if (e && e->responseBody->data(bytes, ktimeNs))
            m_s.m_ctx.emit(e->ex, false); // new SSE events: show them live
    }
    void onBodyGap(uint64_t bytes) override
    {
        if (m_s.m_response)
            m_s.m_response->responseBody->gap(bytes);
    }
    void onComplete(std::vector<Header> &&trailers, uint64_t ktimeNs) override
    {
        Entry *e = m_s.m_response;
        m_s.m_response = nullptr;
        if (!e)
            return;
        e->ex.response->trailers = std::move(trailers);
        e->responseBody->finish();
        e->ex.response->endNs = ktimeNs;
        e->responseDone = true;
        if (e->ws && e->requestDone)
            m_s.parkUpgraded(e); // stays open for its messages
        else
            m_s.maybeFinish(e);
    }
    void onError(const std::string &why, uint64_t ktimeNs) override
    {
        Entry *e = m_s.m_response;
        m_s.m_response = nullptr;
        if (!e && m_s.m_responseParser.lastErrorInMessage()) {
            // A response head that did not parse belongs to the oldest
            // request still waiting (FIFO): the error goes there.
            for (auto &q : m_s.m_queue)
                if (!q->ex.response && !q->responseDone) {
                    e = q.get();
                    break;
                }
        }
        if (!e) {
            m_s.m_ctx.note("HTTP/1 response stream: " + why);
            return;
        }
        if (e->ex.error.empty())
            e->ex.error = "response: " + why;
        if (e->ex.response)
            e->ex.response->endNs = ktimeNs;
        e->responseDone = true;
        m_s.maybeFinish(e);
    }
    void onOtherBytes(std::string_view bytes, uint64_t ktimeNs, bool upgraded) override
    {
        if (upgraded)
            m_s.upgradedBytes(false, bytes, ktimeNs);
        else
            m_s.m_ctx.stats.ignoredBytes += bytes.size();
    }
    void onUpgradedGap(uint64_t bytes, uint64_t ktimeNs) override { m_s.upgradedGap(false, bytes, ktimeNs); }

private:
    Http1Session &m_s;
};

Http1Session::Http1Session(SessionContext &ctx, bool requestSideBroken, bool responseSideBroken)
    : m_ctx(ctx)
    , m_requestSide(std::make_unique<RequestSide>(*this))
    , m_responseSide(std::make_unique<ResponseSide>(*this))
    , m_requestParser(Http1Parser::Kind::Request, ctx.limits, *m_requestSide)
    , m_responseParser(Http1Parser::Kind::Response, ctx.limits, *m_responseSide)
{
    if (requestSideBroken)
        m_requestParser.startBroken();
    if (responseSideBroken)
        m_responseParser.startBroken();
}

Http1Session::~Http1Session() = default;

void Http1Session::parkUpgraded(Entry *e)
{
    auto it = std::find_if(m_queue.begin(), m_queue.end(), [e](const auto &p) { return p.get() == e; });
    if (it == m_queue.end())
        return;
    m_websocketOwned = std::move(*it);
    m_queue.erase(it);
    m_ctx.emit(e->ex, false);
}

void Http1Session::upgradedBytes(bool fromClient, std::string_view bytes, uint64_t ktimeNs)
{
    if (!m_websocket || !m_websocket->ws) {
        m_ctx.stats.ignoredBytes += bytes.size();
        return;
    }
    HttpExchange &ex = m_websocket->ex;
    const size_t before = ex.websocket.size();
    const std::string note = m_websocket->ws->data(fromClient, bytes, ktimeNs, ex.websocket, ex.websocketDropped);
    if (!note.empty())
        m_ctx.note(note);
    if (ex.websocket.size() != before)
        m_ctx.emit(ex, false);
}

void Http1Session::upgradedGap(bool fromClient, uint64_t bytes, uint64_t ktimeNs)
{
    if (!m_websocket || !m_websocket->ws)
        return;
    HttpExchange &ex = m_websocket->ex;
    const std::string note = m_websocket->ws->gap(fromClient, bytes, ktimeNs, ex.websocket, ex.websocketDropped);
    if (!note.empty())
        m_ctx.note(note);
}

void Http1Session::maybeFinish(Entry *e)
{
    if (!e->requestDone || !e->responseDone)
        return;
    finishEntry(e);
}

void Http1Session::finishEntry(Entry *e)
{
    m_ctx.emit(e->ex, true);
    if (m_request == e)
        m_request = nullptr;
    if (m_response == e)
        m_response = nullptr;
    if (m_websocket == e)
        m_websocket = nullptr;
    auto it = std::find_if(m_queue.begin(), m_queue.end(), [e](const auto &p) { return p.get() == e; });
    if (it != m_queue.end())
        m_queue.erase(it);
}

void Http1Session::data(bool fromClient, std::string_view bytes, uint64_t ktimeNs, bool callStart)
{
    (fromClient ? m_requestParser : m_responseParser).data(bytes, ktimeNs, callStart);
}

void Http1Session::gap(bool fromClient, uint64_t bytes, uint64_t ktimeNs)
{
    (fromClient ? m_requestParser : m_responseParser).gap(bytes, ktimeNs);
}

void Http1Session::close(uint64_t ktimeNs)
{
    m_requestParser.close(ktimeNs);
    m_responseParser.close(ktimeNs);
    while (!m_queue.empty()) {
        Entry *e = m_queue.front().get();
        if (e->ex.error.empty()) {
            if (!e->requestDone)
                e->ex.error = "connection closed before the request was complete";
            else if (!e->ex.response)
                e->ex.error = "connection closed before a response";
            else if (!e->responseDone)
                e->ex.error = "connection closed in the middle of the response";
        }
        if (e->requestBody && !e->requestDone)
            e->requestBody->finish();
        if (e->responseBody && !e->responseDone)
            e->responseBody->finish();
        finishEntry(e);
    }
    if (m_websocketOwned) {
        m_ctx.emit(m_websocketOwned->ex, true);
        m_websocketOwned.reset();
    }
    m_websocket = nullptr;
}

} // namespace agentsight::decode
