// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/**
 * @brief The correlated timeline's data: items on five lanes (LLM calls, tool
 * calls, processes, files, network) with start/end kernel times, and the
 * causal links from a tool call to the actions the correlator gave it.
 *
 * One row per item (append-only; a process's end is updated when it exits).
 * Every item refers back to what it shows (exchange, tool call, process or
 * event row) so selecting a mark can select the same thing in other panes.
 *
 * Limits: file and network marks are capped at Limits::maxEventItems (the
 * rest are counted in eventItemsDropped(), and the events table still has
 * them); link targets outside the kept marks get their own mark.
 */
#include <QAbstractTableModel>

#include <cstdint>
#include <map>
#include <tuple>
#include <vector>

namespace agentsight::model {
struct Action;
}

namespace agentsight::models {

class SessionData;

class TimelineModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum class Lane { LlmCalls, ToolCalls, Processes, Files, Network, Count };
    enum class RefKind { Exchange, ToolCall, Process, Event, Action };
    enum Column { LaneColumn, StartColumn, EndColumn, LabelColumn, ColumnCount };
    enum Role { LaneRole = Qt::UserRole + 1, StartRole, EndRole, RefKindRole, RefRole, PidRole };

    struct Item {
        Lane lane = Lane::LlmCalls;
        uint64_t startNs = 0;
        uint64_t endNs = 0;     ///< == startNs for instant marks; 0 = still open
        RefKind refKind = RefKind::Event;
        uint64_t ref = 0;       ///< exchange index / tool call index / process id / event row / action id
        uint32_t pid = 0;
        QString label;
    };
    struct Link {
        int from = -1;          ///< tool call item
        int to = -1;            ///< action item
        double confidence = 0;
        QString role;           ///< "runner", "effect", "incidental"
    };
    struct Limits {
        std::size_t maxEventItems = 50'000;
    };

    explicit TimelineModel(const SessionData &data, QObject *parent = nullptr);
    TimelineModel(const SessionData &data, Limits limits, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    void refresh();
    const std::vector<Item> &items() const { return m_items; }
    const std::vector<Link> &links() const { return m_links; }
    /// Links touching an item (either end).
    std::vector<int> linksOf(int item) const;
    /// Item showing a given thing, -1 when none.
    int itemFor(RefKind kind, uint64_t ref) const;
    uint64_t eventItemsDropped() const { return m_eventItemsDropped; }
    static QString laneName(Lane lane);

private:
    int add(Item item);
    int actionItem(const model::Action &a);

    const SessionData &m_data;
    Limits m_limits;
    std::vector<Item> m_items;
    std::vector<Link> m_links;
    std::map<std::pair<int, uint64_t>, int> m_byRef;
    /// (tgid, ktime, lane) of file/net marks, to find an action's mark.
    std::map<std::tuple<uint32_t, uint64_t, int>, int> m_byActionKey;
    std::size_t m_exchangesSeen = 0;
    std::size_t m_callsSeen = 0;
    std::size_t m_eventsSeen = 0;
    uint64_t m_eventItemsDropped = 0;
    uint64_t m_generation = ~0ULL;
};

} // namespace agentsight::models
