// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/**
 * @brief Agents at the top, their process trees beneath (the left pane).
 *
 * Reads SessionData's model::ProcessTree. Nodes are only ever added (never
 * removed), so selections and expansion survive live updates; the text of a
 * node is a snapshot refreshed by refresh(), which also keeps processes the
 * tree evicted (exited ones beyond ModelLimits::maxProcesses) as they were
 * last seen. Processes outside any agent go under one "Other processes" node.
 *
 * Counts per node: a process shows its own (not its subtree's); an agent the
 * sum over all its processes.
 */
#include <QAbstractItemModel>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace agentsight::models {

class SessionData;

class ProcessTreeModel : public QAbstractItemModel {
    Q_OBJECT
public:
    enum Column { Name, Pid, Command, Cwd, State, LlmCalls, Tokens, Cost, FilesWritten, Connections, ColumnCount };
    enum class NodeKind { Agent, Process, Other };
    enum Role { KindRole = Qt::UserRole + 1, ProcessIdRole, AgentIdRole, PidRole };

    explicit ProcessTreeModel(const SessionData &data, QObject *parent = nullptr);

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    void refresh();
    QModelIndex indexForProcess(uint64_t processId, int column = 0) const;
    QModelIndex indexForAgent(uint32_t agentId, int column = 0) const;

private:
    struct Node {
        NodeKind kind = NodeKind::Process;
        uint32_t agentId = 0;
        uint64_t processId = 0;
        int parent = -1;  ///< node index, -1 = top level
        int row = 0;      ///< row under parent
        std::vector<int> children;
        // snapshot
        uint32_t pid = 0;
        QString name, command, cwd, state;
        bool exited = false;
        uint64_t countsKey = 0; ///< hash of the counts last announced
    };
    uint64_t countsKey(const Node &n) const;
    int addNode(Node node, int parent);
    bool snapshot(Node &n) const; ///< true when the text changed
    QModelIndex indexOf(int node, int column) const;
    QVariant countData(const Node &n, int column) const;

    const SessionData &m_data;
    std::vector<Node> m_nodes;
    std::vector<int> m_top;
    std::map<uint64_t, int> m_byProcess;
    std::map<uint32_t, int> m_byAgent;
    int m_other = -1;
    uint64_t m_generation = ~0ULL;
};

} // namespace agentsight::models
