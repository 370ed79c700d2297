// SPDX-License-Identifier: GPL-2.0-or-later
#include "events_view.h"

#include "models/event_table_model.h"

#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QTableView>
#include <QVBoxLayout>

namespace agentsight::ui {

EventsView::EventsView(QWidget *parent) : QWidget(parent)
{
    m_filter = new QLineEdit(this);
    m_filter->setObjectName(QStringLiteral("eventFilter"));
    m_filter->setPlaceholderText(tr("Filter: pid:123 type:file path:/etc text…"));
    m_filter->setClearButtonEnabled(true);
    m_errors = new QLabel(this);
    m_errors->setStyleSheet(QStringLiteral("color: #b00020"));
    m_errors->hide();
    m_table = new QTableView(this);
    m_table->setObjectName(QStringLiteral("eventsTable"));
    m_table->setSortingEnabled(true);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->verticalHeader()->hide();
    // Fixed row heights: the view never measures a million rows.
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 6);
    m_table->horizontalHeader()->setStretchLastSection(false);
    m_proxy = new models::EventFilterProxy(this);
    connect(m_filter, &QLineEdit::returnPressed, this, &EventsView::applyFilter);
    connect(m_filter, &QLineEdit::textChanged, this, [this](const QString &t) {
        if (t.isEmpty())
            applyFilter();
    });
    auto *lay = new QVBoxLayout(this);
    lay->setContentsMargins(0, 0, 0, 0);
    lay->addWidget(m_filter);
    lay->addWidget(m_errors);
    lay->addWidget(m_table, 1);
}

void EventsView::setModel(models::EventTableModel *model)
{
    m_proxy->setSourceModel(model);
    m_table->setModel(m_proxy);
    m_table->sortByColumn(-1, Qt::AscendingOrder); // capture order until the user sorts
    auto *h = m_table->horizontalHeader();
    h->setSectionResizeMode(models::EventTableModel::Detail, QHeaderView::Stretch);
    h->resizeSection(models::EventTableModel::Time, 90);
    h->resizeSection(models::EventTableModel::Pid, 60);
    h->resizeSection(models::EventTableModel::Type, 80);
    applyFilter();
}

void EventsView::setFilterText(const QString &text)
{
    m_filter->setText(text);
    applyFilter();
}

void EventsView::applyFilter()
{
    const QStringList errors = m_proxy->setFilterText(m_filter->text());
    m_errors->setText(errors.join(QStringLiteral("; ")));
    m_errors->setVisible(!errors.isEmpty());
}

void EventsView::selectSourceRow(int row)
{
    auto *src = m_proxy->sourceModel();
    if (!src || row < 0 || row >= src->rowCount())
        return;
    QModelIndex p = m_proxy->mapFromSource(src->index(row, 0));
    if (!p.isValid()) {
        setFilterText(QString());
        p = m_proxy->mapFromSource(src->index(row, 0));
    }
    m_table->setCurrentIndex(p);
    m_table->scrollTo(p, QAbstractItemView::PositionAtCenter);
}

} // namespace agentsight::ui
