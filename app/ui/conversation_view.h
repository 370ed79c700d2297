// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/**
 * @brief Centre pane: the focused agent's exchanges (ConversationModel) above,
 * the selected part below - full text with JSON pretty-printed and
 * highlighted - and the raw request / response of the exchange, like
 * Wireshark's "follow stream".
 */
#include <QWidget>

class QPlainTextEdit;
class QTabWidget;
class QTreeView;

namespace agentsight::models {
class ConversationModel;
class SessionData;
}

namespace agentsight::ui {

class CodeHighlighter;

class ConversationView : public QWidget {
    Q_OBJECT
public:
    explicit ConversationView(QWidget *parent = nullptr);
    void setModel(models::ConversationModel *model, const models::SessionData *data);
    QTreeView *tree() const { return m_tree; }
    QPlainTextEdit *partText() const { return m_part; }
    QPlainTextEdit *rawRequest() const { return m_rawRequest; }
    QPlainTextEdit *rawResponse() const { return m_rawResponse; }
    /// Select an exchange (index into SessionData::exchanges()); false when not shown.
    bool selectExchange(std::size_t exchange);
    /// Select the response's tool call part with this id; false when not shown.
    bool selectToolCall(std::size_t exchange, const QString &toolCallId);

signals:
    void exchangeSelected(qulonglong exchange);

private:
    void showCurrent();
    void setText(QPlainTextEdit *edit, CodeHighlighter *hl, const QString &text);

    models::ConversationModel *m_model = nullptr;
    const models::SessionData *m_data = nullptr;
    QTreeView *m_tree;
    QTabWidget *m_tabs;
    QPlainTextEdit *m_part, *m_rawRequest, *m_rawResponse;
    CodeHighlighter *m_partHl, *m_requestHl, *m_responseHl;
};

} // namespace agentsight::ui
