// SPDX-License-Identifier: GPL-2.0-or-later
#include "models/timeline_model.h"

#include "models/session_data.h"
#include "wire/event.h"

namespace agentsight::models {

namespace {

QString text(const std::string &s)
{
    return QString::fromUtf8(s.data(), qsizetype(s.size()));
}

bool isFileEvent(uint16_t t)
{
    return t == AS_EV_FILE_OPEN || t == AS_EV_FILE_UNLINK || t == AS_EV_FILE_RENAME || t == AS_EV_FILE_MKDIR ||
        t == AS_EV_FILE_CHMOD;
}

bool isNetEvent(uint16_t t)
{
    return t == AS_EV_NET_CONNECT || t == AS_EV_NET_ACCEPT || t == AS_EV_NET_BIND || t == AS_EV_NET_DNS;
}

TimelineModel::Lane laneOf(model::ActionKind k)
{
    switch (k) {
    case model::ActionKind::Exec: return TimelineModel::Lane::Processes;
    case model::ActionKind::Connect:
    case model::ActionKind::Dns: return TimelineModel::Lane::Network;
    default: return TimelineModel::Lane::Files;
    }
}

} // namespace

TimelineModel::TimelineModel(const SessionData &data, QObject *parent) : TimelineModel(data, Limits{}, parent) {}

TimelineModel::TimelineModel(const SessionData &data, Limits limits, QObject *parent)
    : QAbstractTableModel(parent), m_data(data), m_limits(limits)
{
    refresh();
}

int TimelineModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_items.size());
}

int TimelineModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString TimelineModel::laneName(Lane lane)
{
    switch (lane) {
    case Lane::LlmCalls: return tr("LLM calls");
    case Lane::ToolCalls: return tr("Tool calls");
    case Lane::Processes: return tr("Processes");
    case Lane::Files: return tr("Files");
    case Lane::Network: return tr("Network");
    case Lane::Count: break;
    }
    return {};
}

QVariant TimelineModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || std::size_t(index.row()) >= m_items.size())
        return {};
    const Item &it = m_items[std::size_t(index.row())];
    switch (role) {
    case LaneRole: return int(it.lane);
    case StartRole: return QVariant::fromValue<qulonglong>(it.startNs);
    case EndRole: return QVariant::fromValue<qulonglong>(it.endNs);
    case RefKindRole: return int(it.refKind);
    case RefRole: return QVariant::fromValue<qulonglong>(it.ref);
    case PidRole: return it.pid;
    case Qt::DisplayRole:
        switch (index.column()) {
        case LaneColumn: return laneName(it.lane);
        case StartColumn: return QString::number(double(it.startNs - std::min(it.startNs, m_data.firstNs())) / 1e9, 'f', 6);
        case EndColumn:
            return it.endNs ? QString::number(double(it.endNs - std::min(it.endNs, m_data.firstNs())) / 1e9, 'f', 6)
                            : tr("open");
        case LabelColumn: return it.label;
        }
        return {};
    default: return {};
    }
}

QVariant TimelineModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case LaneColumn: return tr("Lane");
    case StartColumn: return tr("Start (s)");
    case EndColumn: return tr("End (s)");
    case LabelColumn: return tr("What");
    }
    return {};
}

int TimelineModel::add(Item item)
{
    const int row = int(m_items.size());
    beginInsertRows({}, row, row);
    m_byRef[{int(item.refKind), item.ref}] = row;
    m_items.push_back(std::move(item));
    endInsertRows();
    return row;
}

int TimelineModel::itemFor(RefKind kind, uint64_t ref) const
{
    auto it = m_byRef.find({int(kind), ref});
    return it == m_byRef.end() ? -1 : it->second;
}

int TimelineModel::actionItem(const model::Action &a)
{
    const Lane lane = laneOf(a.kind);
    if (a.kind == model::ActionKind::Exec)
        if (int p = itemFor(RefKind::Process, a.processId); p >= 0)
            return p;
    if (auto it = m_byActionKey.find({a.tgid, a.ktimeNs, int(lane)}); it != m_byActionKey.end())
        return it->second;
    if (int existing = itemFor(RefKind::Action, a.id); existing >= 0)
        return existing;
    Item item;
    item.lane = lane;
    item.startNs = item.endNs = a.ktimeNs;
    item.refKind = RefKind::Action;
    item.ref = a.id;
    item.pid = a.tgid;
    item.label = QStringLiteral("%1 %2").arg(QLatin1String(model::actionKindName(a.kind)),
                                            text(a.path.empty() ? a.host : a.path));
    return add(std::move(item));
}

std::vector<int> TimelineModel::linksOf(int item) const
{
    std::vector<int> out;
    for (std::size_t i = 0; i < m_links.size(); ++i)
        if (m_links[i].from == item || m_links[i].to == item)
            out.push_back(int(i));
    return out;
}

void TimelineModel::refresh()
{
    if (m_generation == m_data.generation())
        return;
    m_generation = m_data.generation();
    const model::ProcessTree &tree = m_data.processes();

    // Processes first: link targets for exec actions.
    for (uint64_t id : tree.processIds()) {
        const model::Process *p = tree.process(id);
        if (!p)
            continue;
        const uint64_t end = p->exited ? std::max(p->exitNs, p->firstSeenNs) : 0;
        if (int row = itemFor(RefKind::Process, id); row >= 0) {
            Item &it = m_items[std::size_t(row)];
            if (it.endNs != end) {
                it.endNs = end;
                emit dataChanged(index(row, EndColumn), index(row, EndColumn));
            }
            continue;
        }
        Item item;
        item.lane = Lane::Processes;
        item.startNs = p->firstSeenNs;
        item.endNs = end;
        item.refKind = RefKind::Process;
        item.ref = id;
        item.pid = p->tgid;
        QStringList argv;
        for (const auto &a : p->argv)
            argv << text(a);
        item.label = QStringLiteral("%1 %2").arg(p->tgid).arg(argv.isEmpty() ? text(p->comm) : argv.join(QLatin1Char(' ')));
        add(std::move(item));
    }

    for (; m_eventsSeen < m_data.eventCount(); ++m_eventsSeen) {
        const CompactEvent &e = m_data.event(m_eventsSeen);
        const bool file = isFileEvent(e.type);
        if (!file && !isNetEvent(e.type))
            continue;
        if (m_byActionKey.size() >= m_limits.maxEventItems) {
            ++m_eventItemsDropped;
            continue;
        }
        Item item;
        item.lane = file ? Lane::Files : Lane::Network;
        item.startNs = item.endNs = e.ktimeNs;
        item.refKind = RefKind::Event;
        item.ref = m_eventsSeen;
        item.pid = e.tgid;
        const std::string_view d = m_data.detail(e);
        item.label = QStringLiteral("%1 %2").arg(QLatin1String(wire::eventTypeName(e.type)),
                                                QString::fromUtf8(d.data(), qsizetype(d.size())));
        const int lane = int(item.lane);
        m_byActionKey[{e.tgid, e.ktimeNs, lane}] = add(std::move(item));
    }

    const auto &exchanges = m_data.exchanges();
    for (; m_exchangesSeen < exchanges.size(); ++m_exchangesSeen) {
        const ExchangeEntry &x = exchanges[m_exchangesSeen];
        Item item;
        item.lane = Lane::LlmCalls;
        item.startNs = x.exchange.timing.requestStartNs;
        item.endNs = std::max({x.exchange.timing.endNs, x.exchange.timing.requestEndNs, item.startNs});
        item.refKind = RefKind::Exchange;
        item.ref = m_exchangesSeen;
        item.pid = x.tgid;
        item.label = tr("#%1 %2").arg(m_exchangesSeen + 1).arg(text(x.exchange.model));
        add(std::move(item));
    }

    const auto &calls = m_data.toolCalls();
    for (; m_callsSeen < calls.size(); ++m_callsSeen) {
        const correlate::ToolCallRecord &c = calls[m_callsSeen];
        Item item;
        item.lane = Lane::ToolCalls;
        item.startNs = c.windowStartNs;
        item.endNs = std::max(c.windowEndNs, c.windowStartNs);
        item.refKind = RefKind::ToolCall;
        item.ref = m_callsSeen;
        item.pid = c.callerTgid;
        item.label = QStringLiteral("%1 %2").arg(text(c.toolName), text(c.argumentsRaw).left(120));
        const int from = add(std::move(item));
        for (const correlate::Link &l : c.links) {
            const int to = actionItem(l.action);
            m_links.push_back(Link{from, to, l.confidence, QLatin1String(correlate::linkRoleName(l.role))});
        }
    }
}

} // namespace agentsight::models
