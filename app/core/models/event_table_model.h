// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/**
 * @brief The events table: one row per kept capture record of a SessionData.
 *
 * Virtualised: rows are SessionData's CompactEvents; the text of a cell is
 * made only when a view asks for it (data()), so a million rows cost the
 * compact store plus nothing per row here. refresh() announces rows appended
 * since the last call (one beginInsertRows per refresh, not per event).
 *
 * EventFilterProxy filters with an EventFilter (event_filter.h) straight on
 * the compact rows and sorts on numeric SortRole values.
 */
#include "models/event_filter.h"

#include <QAbstractTableModel>
#include <QSortFilterProxyModel>

namespace agentsight::models {

class SessionData;

class EventTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Time, Pid, Type, Detail, Result, Seq, ColumnCount };
    enum Role { SortRole = Qt::UserRole + 1, KtimeRole, PidRole, TypeRole };

    explicit EventTableModel(const SessionData &data, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    /// Announce rows SessionData gained since the last refresh.
    void refresh();
    /// Forget everything (SessionData was replaced or cleared).
    void reset();
    const SessionData &session() const { return m_data; }

private:
    const SessionData &m_data;
    int m_rows = 0;
};

class EventFilterProxy : public QSortFilterProxyModel {
    Q_OBJECT
public:
    explicit EventFilterProxy(QObject *parent = nullptr);
    /// Parse and apply; returns the parse errors (empty when fine).
    QStringList setFilterText(const QString &text);
    const EventFilter &eventFilter() const { return m_filter; }

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    EventFilter m_filter;
};

} // namespace agentsight::models
