// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/**
 * @brief The events table with its filter bar (`pid:123 type:file path:/etc`
 * plus free text, see models/event_filter.h); sortable by any column.
 * Filter mistakes are shown next to the bar, never silently ignored.
 */
#include <QWidget>

class QLabel;
class QLineEdit;
class QTableView;

namespace agentsight::models {
class EventFilterProxy;
class EventTableModel;
}

namespace agentsight::ui {

class EventsView : public QWidget {
    Q_OBJECT
public:
    explicit EventsView(QWidget *parent = nullptr);
    void setModel(models::EventTableModel *model);
    QLineEdit *filterEdit() const { return m_filter; }
    QTableView *table() const { return m_table; }
    QLabel *filterErrors() const { return m_errors; }
    models::EventFilterProxy *proxy() const { return m_proxy; }
    /// Select a row of the source model, clearing the filter when it hides the row.
    void selectSourceRow(int row);
    void setFilterText(const QString &text);

private:
    void applyFilter();
    QLineEdit *m_filter;
    QLabel *m_errors;
    QTableView *m_table;
    models::EventFilterProxy *m_proxy;
};

} // namespace agentsight::ui
