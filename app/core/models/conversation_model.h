// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/**
 * @brief The focused agent's LLM exchanges in request order (centre pane).
 *
 * Top level: one row per exchange (model, tokens, cost, latency). Children:
 * the prompt side - system prompt, then the messages new in this request
 * (everything after the last assistant turn: the user's text or the tool
 * results being reported back; older turns are counted in one "history"
 * row, since every request repeats them) - and the response side: thinking,
 * text and each tool call with its arguments.
 *
 * FullTextRole gives the complete text of a part (tool arguments and JSON
 * pretty-printed); DisplayRole the first line, capped for the view.
 */
#include <QAbstractItemModel>

#include <cstdint>
#include <vector>

namespace agentsight::models {

class SessionData;

class ConversationModel : public QAbstractItemModel {
    Q_OBJECT
public:
    enum Column { Part, Content, ColumnCount };
    enum class PartKind { Exchange, System, History, UserText, ToolResult, Thinking, AssistantText, ToolCall, Error, Other };
    enum Role { ExchangeRole = Qt::UserRole + 1, PartKindRole, FullTextRole, PromptSideRole, ToolCallIdRole };

    explicit ConversationModel(const SessionData &data, QObject *parent = nullptr);

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    /// 0 = every agent. Resets the model.
    void setAgent(uint32_t agentId);
    uint32_t agent() const { return m_agent; }
    void refresh();
    /// Row of an exchange (index into SessionData::exchanges()), invalid when not shown.
    QModelIndex indexForExchange(std::size_t exchange) const;

private:
    struct PartRow {
        PartKind kind = PartKind::Other;
        bool prompt = true;
        QString label;
        QString full;
        QString toolCallId;
    };
    struct Row {
        std::size_t exchange = 0;
        QString label, summary;
        std::vector<PartRow> parts;
    };
    Row makeRow(std::size_t exchange) const;

    const SessionData &m_data;
    uint32_t m_agent = 0;
    std::size_t m_scanned = 0; ///< exchanges of SessionData already considered
    std::vector<Row> m_rows;
};

} // namespace agentsight::models
