// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/**
 * @brief Syntax colours for what the conversation pane shows: JSON bodies,
 * raw HTTP messages (start line + headers, then a JSON or text body) and
 * shell commands.
 *
 * Built-in and regex based, because Debian 12 has no Qt 6 KSyntaxHighlighting
 * (KF5's cannot be mixed with Qt 6). Limits: JSON strings spanning lines are
 * not tracked across blocks (pretty-printed JSON never has them); shell
 * highlighting knows words, strings, variables, operators and comments only.
 */
#include <QRegularExpression>
#include <QSyntaxHighlighter>
#include <QTextCharFormat>

#include <vector>

namespace agentsight::ui {

class CodeHighlighter : public QSyntaxHighlighter {
    Q_OBJECT
public:
    enum class Mode { Plain, Json, Http, Shell };
    explicit CodeHighlighter(QTextDocument *document);
    void setMode(Mode mode);
    Mode mode() const { return m_mode; }
    /// Best guess for a text: JSON when it parses as an object/array, HTTP for a request/status line.
    static Mode guess(const QString &text);

protected:
    void highlightBlock(const QString &text) override;

private:
    struct Rule {
        QRegularExpression re;
        QTextCharFormat format;
        int group = 0;
    };
    void applyRules(const QString &text, const std::vector<Rule> &rules);

    Mode m_mode = Mode::Plain;
    std::vector<Rule> m_json, m_shell, m_httpHead;
};

} // namespace agentsight::ui
