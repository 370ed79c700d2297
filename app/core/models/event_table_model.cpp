// SPDX-License-Identifier: GPL-2.0-or-later
#include "models/event_table_model.h"

#include "models/session_data.h"
#include "wire/event.h"

#include <climits>

namespace agentsight::models {

EventTableModel::EventTableModel(const SessionData &data, QObject *parent) : QAbstractTableModel(parent), m_data(data)
{
    refresh();
}

int EventTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : m_rows;
}

int EventTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant EventTableModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows || index.column() >= ColumnCount)
        return {};
    const CompactEvent &e = m_data.event(std::size_t(index.row()));
    switch (role) {
    case KtimeRole: return QVariant::fromValue<qulonglong>(e.ktimeNs);
    case PidRole: return e.tgid;
    case TypeRole: return e.type;
    case SortRole:
        switch (index.column()) {
        case Time: return QVariant::fromValue<qulonglong>(e.ktimeNs);
        case Pid: return e.tgid;
        case Type: return QString::fromLatin1(wire::eventTypeName(e.type));
        case Detail: return QString::fromUtf8(m_data.detail(e).data(), qsizetype(m_data.detail(e).size()));
        case Result: return e.result;
        case Seq: return QVariant::fromValue<qulonglong>(e.seq);
        }
        return {};
    case Qt::DisplayRole:
        switch (index.column()) {
        case Time: {
            const double s = double(e.ktimeNs - std::min(e.ktimeNs, m_data.firstNs())) / 1e9;
            return QString::number(s, 'f', 6);
        }
        case Pid: return e.tgid;
        case Type: return QString::fromLatin1(wire::eventTypeName(e.type));
        case Detail: {
            const std::string_view d = m_data.detail(e);
            QString s = QString::fromUtf8(d.data(), qsizetype(d.size()));
            if (e.flags & AS_F_TRUNCATED)
                s += tr(" [truncated by the collector]");
            return s;
        }
        case Result: return e.result;
        case Seq: return QVariant::fromValue<qulonglong>(e.seq);
        }
        return {};
    case Qt::ToolTipRole:
        if (index.column() == Detail) {
            const std::string_view d = m_data.detail(e);
            return QString::fromUtf8(d.data(), qsizetype(d.size()));
        }
        return {};
    case Qt::TextAlignmentRole:
        return index.column() == Detail || index.column() == Type ? QVariant(Qt::AlignLeft | Qt::AlignVCenter)
                                                                  : QVariant(Qt::AlignRight | Qt::AlignVCenter);
    default: return {};
    }
}

QVariant EventTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Time: return tr("Time (s)");
    case Pid: return tr("PID");
    case Type: return tr("Type");
    case Detail: return tr("Detail");
    case Result: return tr("Result");
    case Seq: return tr("Seq");
    }
    return {};
}

void EventTableModel::refresh()
{
    // QAbstractItemModel rows are int: past INT_MAX the rest stay in SessionData only.
    const int have = int(std::min<std::size_t>(m_data.eventCount(), std::size_t(INT_MAX)));
    if (have < m_rows) {
        reset();
        return;
    }
    if (have == m_rows)
        return;
    beginInsertRows({}, m_rows, have - 1);
    m_rows = have;
    endInsertRows();
}

void EventTableModel::reset()
{
    beginResetModel();
    m_rows = int(std::min<std::size_t>(m_data.eventCount(), std::size_t(INT_MAX)));
    endResetModel();
}

EventFilterProxy::EventFilterProxy(QObject *parent) : QSortFilterProxyModel(parent)
{
    setSortRole(EventTableModel::SortRole);
}

QStringList EventFilterProxy::setFilterText(const QString &text)
{
    EventFilter f = parseEventFilter(text);
    const QStringList errors = f.errors;
    m_filter = std::move(f);
    invalidateFilter();
    return errors;
}

bool EventFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    if (m_filter.isEmpty() || sourceParent.isValid())
        return true;
    // Straight on the compact row: no QVariant per cell for a million rows.
    const auto *model = qobject_cast<const EventTableModel *>(sourceModel());
    if (!model)
        return true;
    const SessionData &d = model->session();
    const CompactEvent &e = d.event(std::size_t(sourceRow));
    return m_filter.matches(e.tgid, e.type, d.detail(e));
}

} // namespace agentsight::models
