// SPDX-License-Identifier: GPL-2.0-or-later
#include "conversation_view.h"

#include "code_highlighter.h"
#include "models/conversation_model.h"
#include "models/session_data.h"

#include <QFontDatabase>
#include <QHeaderView>
#include <QPlainTextEdit>
#include <QSplitter>
#include <QTabWidget>
#include <QTreeView>
#include <QVBoxLayout>

namespace agentsight::ui {

using models::ConversationModel;

namespace {

QPlainTextEdit *makeText(QWidget *parent)
{
    auto *e = new QPlainTextEdit(parent);
    e->setReadOnly(true);
    e->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    e->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    return e;
}

} // namespace

ConversationView::ConversationView(QWidget *parent) : QWidget(parent)
{
    auto *split = new QSplitter(Qt::Vertical, this);
    m_tree = new QTreeView(split);
    m_tree->setUniformRowHeights(true);
    m_tree->setAlternatingRowColors(true);
    m_tree->setObjectName(QStringLiteral("conversationTree"));
    m_tabs = new QTabWidget(split);
    m_part = makeText(m_tabs);
    m_rawRequest = makeText(m_tabs);
    m_rawResponse = makeText(m_tabs);
    m_tabs->addTab(m_part, tr("Selected part"));
    m_tabs->addTab(m_rawRequest, tr("Raw request"));
    m_tabs->addTab(m_rawResponse, tr("Raw response"));
    m_partHl = new CodeHighlighter(m_part->document());
    m_requestHl = new CodeHighlighter(m_rawRequest->document());
    m_responseHl = new CodeHighlighter(m_rawResponse->document());
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    auto *lay = new QVBoxLayout(this);
    lay->setContentsMargins(0, 0, 0, 0);
    lay->addWidget(split);
}

void ConversationView::setModel(ConversationModel *model, const models::SessionData *data)
{
    m_model = model;
    m_data = data;
    m_tree->setModel(model);
    m_tree->header()->setSectionResizeMode(ConversationModel::Part, QHeaderView::ResizeToContents);
    m_tree->header()->setStretchLastSection(true);
    connect(m_tree->selectionModel(), &QItemSelectionModel::currentChanged, this, &ConversationView::showCurrent);
    // New exchanges open expanded: the user sees prompt and answer without clicking.
    connect(model, &QAbstractItemModel::rowsInserted, this, [this](const QModelIndex &parent, int first, int last) {
        if (!parent.isValid())
            for (int r = first; r <= last; ++r)
                m_tree->expand(m_model->index(r, 0));
    });
    connect(model, &QAbstractItemModel::modelReset, this, [this] {
        m_tree->expandAll();
        showCurrent();
    });
    m_tree->expandAll();
    showCurrent();
}

void ConversationView::setText(QPlainTextEdit *edit, CodeHighlighter *hl, const QString &text)
{
    if (edit->toPlainText() == text)
        return;
    hl->setMode(CodeHighlighter::guess(text));
    edit->setPlainText(text);
}

void ConversationView::showCurrent()
{
    const QModelIndex cur = m_tree->currentIndex();
    if (!cur.isValid() || !m_data) {
        setText(m_part, m_partHl, QString());
        setText(m_rawRequest, m_requestHl, QString());
        setText(m_rawResponse, m_responseHl, QString());
        return;
    }
    const QString full = cur.siblingAtColumn(ConversationModel::Content).data(ConversationModel::FullTextRole).toString();
    const auto kind = ConversationModel::PartKind(cur.data(ConversationModel::PartKindRole).toInt());
    setText(m_part, m_partHl, full);
    // Tool arguments are JSON; a bash command inside them still reads best as JSON.
    if (kind != ConversationModel::PartKind::ToolCall && CodeHighlighter::guess(full) == CodeHighlighter::Mode::Plain &&
        full.startsWith(QLatin1String("$ ")))
        m_partHl->setMode(CodeHighlighter::Mode::Shell);
    const std::size_t ex = cur.data(ConversationModel::ExchangeRole).toULongLong();
    if (ex < m_data->exchanges().size()) {
        const auto &e = m_data->exchanges()[ex];
        setText(m_rawRequest, m_requestHl, QString::fromUtf8(e.rawRequest.data(), qsizetype(e.rawRequest.size())));
        setText(m_rawResponse, m_responseHl,
                e.rawResponse.empty() ? tr("(no response captured)")
                                      : QString::fromUtf8(e.rawResponse.data(), qsizetype(e.rawResponse.size())));
        emit exchangeSelected(ex);
    }
}

bool ConversationView::selectExchange(std::size_t exchange)
{
    if (!m_model)
        return false;
    const QModelIndex i = m_model->indexForExchange(exchange);
    if (!i.isValid())
        return false;
    m_tree->setCurrentIndex(i);
    m_tree->scrollTo(i);
    return true;
}

bool ConversationView::selectToolCall(std::size_t exchange, const QString &toolCallId)
{
    if (!m_model)
        return false;
    const QModelIndex top = m_model->indexForExchange(exchange);
    if (!top.isValid())
        return false;
    for (int r = 0; r < m_model->rowCount(top); ++r) {
        const QModelIndex c = m_model->index(r, 0, top);
        if (!c.data(ConversationModel::PromptSideRole).toBool() &&
            c.data(ConversationModel::ToolCallIdRole).toString() == toolCallId) {
            m_tree->setCurrentIndex(c);
            m_tree->scrollTo(c);
            return true;
        }
    }
    return selectExchange(exchange);
}

} // namespace agentsight::ui
