// SPDX-License-Identifier: GPL-2.0-or-later
// SseParser against the WHATWG event-stream rules, split at every byte.
#include "decode/sse_parser.h"

#include <QTest>

using namespace agentsight::decode;

namespace {

// Every rule in one stream: BOM, CRLF/CR/LF, comments, multi-line data,
// event types, ids (one with NUL: ignored), retry, unknown fields, a field
// without colon, an empty data line, an event with no data (not dispatched),
// and a final event cut off by the end of the stream (discarded).
using namespace std::string_literals;
const std::string kStream = "\xEF\xBB\xBF"
    ": comment\r\n"
    "event: first\r\n"
    "data: one\r\n"
    "\r\n"
    "data:two-a\r"
    "data:  two-b\r"
    "id: 5\r"
    "\r"
    "event: no-data\n"
    "\n"
    "retry: 100\n"
    "unknown: x\n"
    "data\n"
    "data\n"
    "\n"
    "id: bad\0id\n"
    "data: after bad id\n"
    "\n"
    "event: last\n"
    "data: cut"s;

struct Expected {
    const char *event;
    const char *data;
    const char *id;
};
const Expected kExpected[] = {
    {"first", "one", ""},
    {"message", "two-a\n two-b", "5"},
    {"message", "\n", "5"},
    {"message", "after bad id", "5"},
};

std::vector<SseEvent> parseSplit(const std::vector<size_t> &cuts)
{
    SseParser p(1 << 20, 1000);
    std::vector<SseEvent> out;
    size_t pos = 0;
    uint64_t t = 1;
    for (size_t cut : cuts) {
        p.feed(std::string_view(kStream).substr(pos, cut - pos), t++, out);
        pos = cut;
    }
    p.feed(std::string_view(kStream).substr(pos), t, out);
    return out;
}

} // namespace

class TstSseParser : public QObject {
    Q_OBJECT
private slots:
    void wholeStream()
    {
        const auto ev = parseSplit({});
        QCOMPARE(ev.size(), std::size(kExpected));
        for (size_t i = 0; i < ev.size(); ++i) {
            QCOMPARE(ev[i].event, std::string(kExpected[i].event));
            QCOMPARE(ev[i].data, std::string(kExpected[i].data));
            QCOMPARE(ev[i].id, std::string(kExpected[i].id));
        }
    }

    void everySplitPoint()
    {
        const auto whole = parseSplit({});
        for (size_t cut = 0; cut <= kStream.size(); ++cut) {
            const auto ev = parseSplit({cut});
            QCOMPARE(ev.size(), whole.size());
            for (size_t i = 0; i < ev.size(); ++i) {
                QCOMPARE(ev[i].event, whole[i].event);
                QCOMPARE(ev[i].data, whole[i].data);
                QCOMPARE(ev[i].id, whole[i].id);
            }
        }
    }

    void byteByByteAndStamps()
    {
        std::vector<size_t> cuts;
        for (size_t i = 1; i < kStream.size(); ++i)
            cuts.push_back(i);
        const auto ev = parseSplit(cuts);
        QCOMPARE(ev.size(), std::size(kExpected));
        // Stamp = ktime of the feed holding the byte that completed the event
        // (the blank line's CR: a CR alone ends a line): feed k carries byte k-1.
        const size_t blankLineCr = kStream.find("one\r\n\r\n") + 5;
        QCOMPARE(ev[0].ktimeNs, uint64_t(blankLineCr + 1));
        // A CR followed by LF in the next feed is one line end, not two:
        // covered by the equality with wholeStream's events.
        QCOMPARE(ev[1].data, std::string("two-a\n two-b"));
    }

    void capsAreCounted()
    {
        SseParser p(8, 2);
        std::vector<SseEvent> out;
        p.feed("data: 0123456789abcdef\n\ndata: b\n\ndata: c\n\ndata: d\n\n", 1, out);
        QCOMPARE(out.size(), size_t(2));
        QCOMPARE(out[0].data.size(), size_t(8));
        QCOMPARE(p.eventsTruncated(), uint64_t(1));
        QCOMPARE(p.eventsDropped(), uint64_t(2));
    }

    void longLineStaysBounded()
    {
        SseParser p(1024, 10);
        std::vector<SseEvent> out;
        const std::string junk(4096, 'a');
        for (int i = 0; i < 1000; ++i) // 4 MB without a line end
            p.feed(junk, 1, out);
        p.feed("\n\ndata: ok\n\n", 2, out);
        QCOMPARE(out.size(), size_t(1));
        QCOMPARE(out[0].data, std::string("ok"));
    }

    void gapDropsThePartialEvent()
    {
        SseParser p(1024, 10);
        std::vector<SseEvent> out;
        p.feed("data: before\n\ndata: half", 1, out);
        p.gap();
        p.feed("st of a line\n\ndata: after\n\n", 2, out);
        QCOMPARE(out.size(), size_t(2));
        QCOMPARE(out[0].data, std::string("before"));
        QCOMPARE(out[1].data, std::string("after"));
        QCOMPARE(p.eventsTruncated(), uint64_t(1));
    }
};

QTEST_GUILESS_MAIN(TstSseParser)
#include "tst_sse_parser.moc"
