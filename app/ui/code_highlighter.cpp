// SPDX-License-Identifier: GPL-2.0-or-later
#include "code_highlighter.h"

#include <QJsonDocument>

namespace agentsight::ui {

namespace {

QTextCharFormat fmt(const QColor &c, bool bold = false, bool italic = false)
{
    QTextCharFormat f;
    f.setForeground(c);
    if (bold)
        f.setFontWeight(QFont::Bold);
    f.setFontItalic(italic);
    return f;
}

// Block states: 0 = HTTP head (or not HTTP), 1 = HTTP body.
constexpr int kInBody = 1;

} // namespace

CodeHighlighter::CodeHighlighter(QTextDocument *document) : QSyntaxHighlighter(document)
{
    const QColor key(0x1f, 0x5f, 0xbf), str(0x2e, 0x7d, 0x32), num(0xb3, 0x5c, 0x00), lit(0x8e, 0x24, 0xaa),
        punct(0x60, 0x60, 0x60), comment(0x80, 0x80, 0x80);
    m_json = {
        {QRegularExpression(QStringLiteral(R"([{}\[\],:])")), fmt(punct)},
        {QRegularExpression(QStringLiteral(R"(-?\b\d+(\.\d+)?([eE][+-]?\d+)?\b)")), fmt(num)},
        {QRegularExpression(QStringLiteral(R"(\b(true|false|null)\b)")), fmt(lit, true)},
        {QRegularExpression(QStringLiteral(R"("(?:[^"\\]|\\.)*")")), fmt(str)},
        // a string followed by ':' is a key (applied last: wins over the string colour)
        {QRegularExpression(QStringLiteral(R"(("(?:[^"\\]|\\.)*")\s*:)")), fmt(key, true), 1},
    };
    m_shell = {
        {QRegularExpression(QStringLiteral(R"(^\s*[\w./-]+)")), fmt(key, true)},
        {QRegularExpression(QStringLiteral(R"((\|\||&&|[|;<>&]))")), fmt(lit, true)},
        {QRegularExpression(QStringLiteral(R"(\s-{1,2}[\w-]+)")), fmt(num)},
        {QRegularExpression(QStringLiteral(R"(\$\{?\w+\}?)")), fmt(lit)},
        {QRegularExpression(QStringLiteral(R"('[^']*'|"(?:[^"\\]|\\.)*")")), fmt(str)},
        {QRegularExpression(QStringLiteral(R"((^|\s)#.*$)")), fmt(comment, false, true)},
    };
    m_httpHead = {
        {QRegularExpression(QStringLiteral(R"(^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS|HTTP/[\d.]+)\b.*$)")), fmt(lit, true)},
        {QRegularExpression(QStringLiteral(R"(^([\w-]+):)")), fmt(key, true), 1},
    };
}

void CodeHighlighter::setMode(Mode mode)
{
    if (mode == m_mode)
        return;
    m_mode = mode;
    rehighlight();
}

CodeHighlighter::Mode CodeHighlighter::guess(const QString &text)
{
    const QString head = text.left(16).trimmed();
    if (head.startsWith(QLatin1Char('{')) || head.startsWith(QLatin1Char('['))) {
        QJsonParseError err{};
        QJsonDocument::fromJson(text.toUtf8(), &err);
        if (err.error == QJsonParseError::NoError)
            return Mode::Json;
    }
    static const QRegularExpression http(QStringLiteral(R"(^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS) \S+ HTTP/|^HTTP/[\d.]+ \d{3})"));
    if (http.match(text.left(200)).hasMatch())
        return Mode::Http;
    return Mode::Plain;
}

void CodeHighlighter::applyRules(const QString &text, const std::vector<Rule> &rules)
{
    for (const Rule &r : rules) {
        auto it = r.re.globalMatch(text);
        while (it.hasNext()) {
            const auto m = it.next();
            setFormat(int(m.capturedStart(r.group)), int(m.capturedLength(r.group)), r.format);
        }
    }
}

void CodeHighlighter::highlightBlock(const QString &text)
{
    switch (m_mode) {
    case Mode::Plain: return;
    case Mode::Json: applyRules(text, m_json); return;
    case Mode::Shell: applyRules(text, m_shell); return;
    case Mode::Http: {
        const bool body = previousBlockState() == kInBody;
        if (body) {
            setCurrentBlockState(kInBody);
            applyRules(text, m_json); // bodies the app shows are JSON or SSE "data: {...}" lines
            return;
        }
        setCurrentBlockState(text.trimmed().isEmpty() && currentBlock().blockNumber() > 0 ? kInBody : 0);
        applyRules(text, m_httpHead);
        return;
    }
    }
}

} // namespace agentsight::ui
