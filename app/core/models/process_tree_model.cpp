// SPDX-License-Identifier: GPL-2.0-or-later
#include "models/process_tree_model.h"

#include "models/session_data.h"

#include <algorithm>

namespace agentsight::models {

namespace {

QString bytes(const std::string &s)
{
    return QString::fromUtf8(s.data(), qsizetype(s.size()));
}

QString argvText(const std::vector<std::string> &argv)
{
    QStringList parts;
    for (const auto &a : argv)
        parts << bytes(a);
    return parts.join(QLatin1Char(' '));
}

} // namespace

ProcessTreeModel::ProcessTreeModel(const SessionData &data, QObject *parent) : QAbstractItemModel(parent), m_data(data)
{
    refresh();
}

QModelIndex ProcessTreeModel::indexOf(int node, int column) const
{
    if (node < 0)
        return {};
    return createIndex(m_nodes[std::size_t(node)].row, column, quintptr(node));
}

QModelIndex ProcessTreeModel::index(int row, int column, const QModelIndex &parent) const
{
    if (row < 0 || column < 0 || column >= ColumnCount)
        return {};
    const std::vector<int> &kids = parent.isValid() ? m_nodes[parent.internalId()].children : m_top;
    if (std::size_t(row) >= kids.size())
        return {};
    return createIndex(row, column, quintptr(kids[std::size_t(row)]));
}

QModelIndex ProcessTreeModel::parent(const QModelIndex &child) const
{
    if (!child.isValid())
        return {};
    return indexOf(m_nodes[child.internalId()].parent, 0);
}

int ProcessTreeModel::rowCount(const QModelIndex &parent) const
{
    if (!parent.isValid())
        return int(m_top.size());
    if (parent.column() != 0)
        return 0;
    return int(m_nodes[parent.internalId()].children.size());
}

int ProcessTreeModel::columnCount(const QModelIndex &) const
{
    return ColumnCount;
}

QVariant ProcessTreeModel::countData(const Node &n, int column) const
{
    if (n.kind == NodeKind::Other)
        return {};
    const NodeCounts c = n.kind == NodeKind::Agent ? m_data.agentCounts(n.agentId) : m_data.processCounts(n.processId);
    switch (column) {
    case LlmCalls: return QVariant::fromValue<qulonglong>(c.llmCalls);
    case Tokens: return QVariant::fromValue<qlonglong>(c.tokens);
    case Cost:
        if (!c.llmCalls)
            return QString();
        if (c.costUnknown == c.llmCalls)
            return tr("unknown");
        // A partly unknown cost is shown as a lower bound, never as an exact sum.
        return (c.costUnknown ? QStringLiteral("≥ $") : QStringLiteral("$")) + QString::number(c.costUsd, 'f', 4);
    case FilesWritten: return QVariant::fromValue<qulonglong>(c.filesWritten);
    case Connections: return QVariant::fromValue<qulonglong>(c.connections);
    }
    return {};
}

QVariant ProcessTreeModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid())
        return {};
    const Node &n = m_nodes[index.internalId()];
    switch (role) {
    case KindRole: return int(n.kind);
    case ProcessIdRole: return QVariant::fromValue<qulonglong>(n.processId);
    case AgentIdRole: return n.agentId;
    case PidRole: return n.pid;
    case Qt::ToolTipRole:
        if (index.column() == Command || index.column() == Name)
            return n.command;
        return {};
    case Qt::DisplayRole:
        switch (index.column()) {
        case Name: return n.name;
        case Pid: return n.pid ? QVariant(n.pid) : QVariant();
        case Command: return n.command;
        case Cwd: return n.cwd;
        case State: return n.state;
        default: return countData(n, index.column());
        }
    default: return {};
    }
}

QVariant ProcessTreeModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Name: return tr("Agent / process");
    case Pid: return tr("PID");
    case Command: return tr("Command");
    case Cwd: return tr("Directory");
    case State: return tr("State");
    case LlmCalls: return tr("LLM calls");
    case Tokens: return tr("Tokens");
    case Cost: return tr("Cost");
    case FilesWritten: return tr("Files written");
    case Connections: return tr("Connections");
    }
    return {};
}

int ProcessTreeModel::addNode(Node node, int parent)
{
    std::vector<int> &kids = parent < 0 ? m_top : m_nodes[std::size_t(parent)].children;
    const int row = int(kids.size());
    beginInsertRows(indexOf(parent, 0), row, row);
    node.parent = parent;
    node.row = row;
    const int id = int(m_nodes.size());
    m_nodes.push_back(std::move(node));
    (parent < 0 ? m_top : m_nodes[std::size_t(parent)].children).push_back(id);
    endInsertRows();
    return id;
}

bool ProcessTreeModel::snapshot(Node &n) const
{
    QString name, command, cwd, state;
    bool exited = false;
    uint32_t pid = n.pid;
    const model::ProcessTree &tree = m_data.processes();
    if (n.kind == NodeKind::Agent) {
        const model::AgentSession *a = tree.agent(n.agentId);
        if (!a)
            return false;
        name = bytes(a->name);
        pid = a->rootTgid;
        exited = a->ended;
        state = a->ended ? tr("ended") : tr("live");
        if (const model::Process *p = tree.process(a->rootProcessId)) {
            command = argvText(p->argv);
            cwd = bytes(p->cwd);
        }
        if (name.isEmpty())
            name = tr("agent %1").arg(n.agentId);
    } else if (n.kind == NodeKind::Process) {
        const model::Process *p = tree.process(n.processId);
        if (!p)
            return false; // evicted: keep the last snapshot
        pid = p->tgid;
        command = argvText(p->argv);
        cwd = bytes(p->cwd);
        name = bytes(p->comm);
        if (p->placeholder && name.isEmpty())
            name = tr("(not seen starting)");
        exited = p->exited;
        if (!p->exited)
            state = tr("live");
        else if (p->exitSignal)
            state = tr("killed by signal %1").arg(p->exitSignal);
        else if (!p->exitSeen)
            state = tr("gone (pid reused)");
        else
            state = tr("exited %1").arg(p->exitCode);
    } else {
        name = tr("Other processes");
    }
    const bool changed = name != n.name || command != n.command || cwd != n.cwd || state != n.state || pid != n.pid;
    n.name = name;
    n.command = command;
    n.cwd = cwd;
    n.state = state;
    n.pid = pid;
    n.exited = exited;
    return changed;
}

void ProcessTreeModel::refresh()
{
    if (m_generation == m_data.generation())
        return;
    m_generation = m_data.generation();
    const model::ProcessTree &tree = m_data.processes();

    for (uint32_t agentId : tree.agentIds()) {
        if (m_byAgent.count(agentId))
            continue;
        Node n;
        n.kind = NodeKind::Agent;
        n.agentId = agentId;
        snapshot(n);
        m_byAgent[agentId] = addNode(std::move(n), -1);
    }
    for (uint64_t id : tree.processIds()) {
        if (m_byProcess.count(id))
            continue;
        const model::Process *p = tree.process(id);
        if (!p)
            continue;
        int parent = -1;
        if (auto it = m_byProcess.find(p->parentId); p->parentId && it != m_byProcess.end())
            parent = it->second;
        else if (auto a = m_byAgent.find(p->agentId); p->agentId && a != m_byAgent.end())
            parent = a->second;
        else {
            if (m_other < 0) {
                Node o;
                o.kind = NodeKind::Other;
                snapshot(o);
                m_other = addNode(std::move(o), -1);
            }
            parent = m_other;
        }
        Node n;
        n.kind = NodeKind::Process;
        n.processId = id;
        n.agentId = p->agentId;
        snapshot(n);
        m_byProcess[id] = addNode(std::move(n), parent);
    }
    // Only nodes whose text or counts changed are announced: a live tree of
    // thousands of processes costs the view nothing when only a few move.
    for (std::size_t i = 0; i < m_nodes.size(); ++i) {
        Node &n = m_nodes[i];
        if (snapshot(n))
            emit dataChanged(indexOf(int(i), Name), indexOf(int(i), State));
        const uint64_t key = countsKey(n);
        if (key != n.countsKey) {
            n.countsKey = key;
            emit dataChanged(indexOf(int(i), LlmCalls), indexOf(int(i), Connections));
        }
    }
}

uint64_t ProcessTreeModel::countsKey(const Node &n) const
{
    if (n.kind == NodeKind::Other)
        return 0;
    const NodeCounts c = n.kind == NodeKind::Agent ? m_data.agentCounts(n.agentId) : m_data.processCounts(n.processId);
    // Counts only grow, so their sum (cost in micro-dollars) changes whenever any of them does.
    return c.llmCalls + uint64_t(std::max<int64_t>(c.tokens, 0)) + uint64_t(c.costUsd * 1e6) + c.costUnknown +
        c.filesWritten + c.connections + 1;
}

QModelIndex ProcessTreeModel::indexForProcess(uint64_t processId, int column) const
{
    auto it = m_byProcess.find(processId);
    return it == m_byProcess.end() ? QModelIndex() : indexOf(it->second, column);
}

QModelIndex ProcessTreeModel::indexForAgent(uint32_t agentId, int column) const
{
    auto it = m_byAgent.find(agentId);
    return it == m_byAgent.end() ? QModelIndex() : indexOf(it->second, column);
}

} // namespace agentsight::models
