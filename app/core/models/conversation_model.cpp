// SPDX-License-Identifier: GPL-2.0-or-later
#include "models/conversation_model.h"

#include "models/session_data.h"

#include <QJsonDocument>

namespace agentsight::models {

namespace {

constexpr quintptr kTop = ~quintptr(0);
constexpr int kDisplayCap = 300;

QString text(const std::string &s)
{
    return QString::fromUtf8(s.data(), qsizetype(s.size()));
}

/// JSON text indented for reading; anything that is not JSON comes back as is.
QString prettyJson(const std::string &s)
{
    QJsonParseError err{};
    const QJsonDocument doc = QJsonDocument::fromJson(QByteArray::fromStdString(s), &err);
    if (err.error != QJsonParseError::NoError || doc.isNull())
        return text(s);
    return QString::fromUtf8(doc.toJson(QJsonDocument::Indented)).trimmed();
}

QString oneLine(const QString &s)
{
    QString line = s.simplified();
    if (line.size() > kDisplayCap)
        line = line.left(kDisplayCap) + QStringLiteral("…");
    return line;
}

} // namespace

ConversationModel::ConversationModel(const SessionData &data, QObject *parent)
    : QAbstractItemModel(parent), m_data(data)
{
    refresh();
}

ConversationModel::Row ConversationModel::makeRow(std::size_t exchange) const
{
    const ExchangeEntry &entry = m_data.exchanges()[exchange];
    const llm::LlmExchange &ex = entry.exchange;
    Row row;
    row.exchange = exchange;
    row.label = tr("#%1 %2").arg(exchange + 1).arg(text(ex.provider));

    QStringList summary;
    summary << text(ex.responseModel.empty() ? ex.model : ex.responseModel);
    if (ex.usage.input >= 0 || ex.usage.output >= 0)
        summary << tr("%1 in / %2 out tokens")
                       .arg(ex.usage.input >= 0 ? QString::number(ex.usage.input) : tr("?"))
                       .arg(ex.usage.output >= 0 ? QString::number(ex.usage.output) : tr("?"));
    summary << (ex.costUsd ? QStringLiteral("$%1").arg(*ex.costUsd, 0, 'f', 4) : tr("cost unknown"));
    if (ex.timing.requestStartNs && ex.timing.endNs >= ex.timing.requestStartNs)
        summary << tr("%1 ms").arg((ex.timing.endNs - ex.timing.requestStartNs) / 1'000'000);
    if (ex.httpStatus)
        summary << tr("HTTP %1").arg(ex.httpStatus);
    if (ex.toolCalls.size())
        summary << tr("%n tool call(s)", nullptr, int(ex.toolCalls.size()));
    row.summary = summary.join(QStringLiteral(" · "));

    auto add = [&row](PartKind kind, bool prompt, const QString &label, const QString &full, const QString &id = {}) {
        row.parts.push_back(PartRow{kind, prompt, label, full, id});
    };
    if (!ex.systemPrompt.empty())
        add(PartKind::System, true, tr("System"), text(ex.systemPrompt));
    // New in this request: after the last assistant/model turn.
    std::size_t first = 0;
    for (std::size_t i = ex.messages.size(); i-- > 0;)
        if (ex.messages[i].role == "assistant" || ex.messages[i].role == "model") {
            first = i + 1;
            break;
        }
    if (first > 0)
        add(PartKind::History, true, tr("History"), tr("%n earlier message(s) repeated in this request", nullptr, int(first)));
    for (std::size_t i = first; i < ex.messages.size(); ++i) {
        const llm::Message &m = ex.messages[i];
        for (const llm::ContentPart &p : m.parts) {
            switch (p.kind) {
            case llm::ContentPart::Kind::Text:
                add(PartKind::UserText, true, text(m.role), text(p.text));
                break;
            case llm::ContentPart::Kind::ToolResult:
                add(PartKind::ToolResult, true,
                    p.isError ? tr("Tool result (error) %1").arg(text(p.toolCallId)) : tr("Tool result %1").arg(text(p.toolCallId)),
                    text(p.text), text(p.toolCallId));
                break;
            case llm::ContentPart::Kind::ToolUse:
                add(PartKind::ToolCall, true, tr("%1: tool call %2").arg(text(m.role), text(p.toolName)), prettyJson(p.argumentsJson),
                    text(p.toolCallId));
                break;
            case llm::ContentPart::Kind::Thinking:
                add(PartKind::Thinking, true, tr("%1: thinking").arg(text(m.role)), text(p.text));
                break;
            default:
                add(PartKind::Other, true, text(m.role), text(p.text));
            }
        }
    }
    if (!ex.thinkingText.empty())
        add(PartKind::Thinking, false, tr("Thinking"), text(ex.thinkingText));
    if (!ex.responseText.empty())
        add(PartKind::AssistantText, false, tr("Assistant"), text(ex.responseText));
    for (const llm::ToolCall &c : ex.toolCalls) {
        const QString args = c.argumentsError.empty()
            ? QString::fromUtf8(QJsonDocument(c.arguments).toJson(QJsonDocument::Indented)).trimmed()
            : text(c.argumentsRaw);
        add(PartKind::ToolCall, false, tr("Tool call %1").arg(text(c.name)), args, text(c.id));
    }
    if (ex.error)
        add(PartKind::Error, false, tr("API error"), text(ex.error->type + ": " + ex.error->message));
    if (!ex.decodeError.empty())
        add(PartKind::Error, false, tr("Decode error"), text(ex.decodeError));
    if (ex.truncatedFields || ex.droppedItems)
        add(PartKind::Error, false, tr("Not shown"),
            tr("%1 fields cut, %2 items dropped by the decoder's limits").arg(ex.truncatedFields).arg(ex.droppedItems));
    return row;
}

QModelIndex ConversationModel::index(int row, int column, const QModelIndex &parent) const
{
    if (row < 0 || column < 0 || column >= ColumnCount)
        return {};
    if (!parent.isValid())
        return std::size_t(row) < m_rows.size() ? createIndex(row, column, kTop) : QModelIndex();
    if (parent.internalId() != kTop)
        return {};
    // Children carry their exchange number, not their parent's row: rows move when
    // a slow exchange is inserted before faster ones.
    const Row &r = m_rows[std::size_t(parent.row())];
    return std::size_t(row) < r.parts.size() ? createIndex(row, column, quintptr(r.exchange)) : QModelIndex();
}

QModelIndex ConversationModel::parent(const QModelIndex &child) const
{
    if (!child.isValid() || child.internalId() == kTop)
        return {};
    return indexForExchange(std::size_t(child.internalId()));
}

int ConversationModel::rowCount(const QModelIndex &parent) const
{
    if (!parent.isValid())
        return int(m_rows.size());
    if (parent.internalId() != kTop || parent.column() != 0)
        return 0;
    return int(m_rows[std::size_t(parent.row())].parts.size());
}

int ConversationModel::columnCount(const QModelIndex &) const
{
    return ColumnCount;
}

QVariant ConversationModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid())
        return {};
    const bool top = index.internalId() == kTop;
    const int rowIndex = top ? index.row() : indexForExchange(std::size_t(index.internalId())).row();
    if (rowIndex < 0)
        return {};
    const Row &r = m_rows[std::size_t(rowIndex)];
    if (role == ExchangeRole)
        return QVariant::fromValue<qulonglong>(r.exchange);
    if (top) {
        switch (role) {
        case PartKindRole: return int(PartKind::Exchange);
        case Qt::DisplayRole: return index.column() == Part ? r.label : r.summary;
        case FullTextRole: return r.summary;
        default: return {};
        }
    }
    const PartRow &p = r.parts[std::size_t(index.row())];
    switch (role) {
    case PartKindRole: return int(p.kind);
    case PromptSideRole: return p.prompt;
    case FullTextRole: return p.full;
    case ToolCallIdRole: return p.toolCallId;
    case Qt::DisplayRole: return index.column() == Part ? p.label : oneLine(p.full);
    case Qt::ToolTipRole: return index.column() == Content ? p.full.left(2000) : QVariant();
    default: return {};
    }
}

QVariant ConversationModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    return section == Part ? tr("Exchange / part") : tr("Content");
}

void ConversationModel::setAgent(uint32_t agentId)
{
    beginResetModel();
    m_agent = agentId;
    m_rows.clear();
    m_scanned = 0;
    endResetModel();
    refresh();
}

void ConversationModel::refresh()
{
    const auto &all = m_data.exchanges();
    std::vector<std::size_t> fresh;
    for (; m_scanned < all.size(); ++m_scanned)
        if (!m_agent || all[m_scanned].agentId == m_agent)
            fresh.push_back(m_scanned);
    if (fresh.empty())
        return;
    // Exchanges arrive when complete, so a long stream can land after a later
    // short one: keep request order by inserting each at its place.
    for (std::size_t ex : fresh) {
        const uint64_t start = all[ex].exchange.timing.requestStartNs;
        std::size_t pos = m_rows.size();
        while (pos > 0 && all[m_rows[pos - 1].exchange].exchange.timing.requestStartNs > start)
            --pos;
        beginInsertRows({}, int(pos), int(pos));
        m_rows.insert(m_rows.begin() + std::ptrdiff_t(pos), makeRow(ex));
        endInsertRows();
    }
}

QModelIndex ConversationModel::indexForExchange(std::size_t exchange) const
{
    for (std::size_t i = 0; i < m_rows.size(); ++i)
        if (m_rows[i].exchange == exchange)
            return createIndex(int(i), 0, kTop);
    return {};
}

} // namespace agentsight::models
