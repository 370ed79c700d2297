// SPDX-License-Identifier: GPL-2.0-or-later
#include "action.h"

#include <QJsonArray>

namespace agentsight::model {

const char *actionKindName(ActionKind kind)
{
    switch (kind) {
    case ActionKind::Exec: return "exec";
    case ActionKind::FileRead: return "file_read";
    case ActionKind::FileWrite: return "file_write";
    case ActionKind::Unlink: return "unlink";
    case ActionKind::Rename: return "rename";
    case ActionKind::Mkdir: return "mkdir";
    case ActionKind::Chmod: return "chmod";
    case ActionKind::Connect: return "connect";
    case ActionKind::Dns: return "dns";
    }
    return "unknown";
}

namespace {
// Captured strings are bytes; invalid UTF-8 becomes U+FFFD, which is what a
// report can show anyway.
QString text(const std::string &s) { return QString::fromUtf8(s.data(), qsizetype(s.size())); }
} // namespace

QJsonObject Action::toJson() const
{
    QJsonObject o;
    o[QLatin1String("id")] = double(id);
    o[QLatin1String("kind")] = QLatin1String(actionKindName(kind));
    o[QLatin1String("ktime_ns")] = double(ktimeNs);
    o[QLatin1String("process_id")] = double(processId);
    o[QLatin1String("tgid")] = double(tgid);
    o[QLatin1String("start_ns")] = double(startNs);
    o[QLatin1String("agent_id")] = double(agentId);
    o[QLatin1String("comm")] = text(comm);
    if (kind == ActionKind::Exec) {
        QJsonArray a;
        for (const auto &s : argv)
            a.append(text(s));
        o[QLatin1String("argv")] = a;
    }
    if (!path.empty())
        o[QLatin1String("path")] = text(path);
    if (!path2.empty())
        o[QLatin1String("path2")] = text(path2);
    if (!host.empty())
        o[QLatin1String("host")] = text(host);
    if (kind == ActionKind::Connect) {
        o[QLatin1String("port")] = port;
        if (!hostName.empty())
            o[QLatin1String("host_name")] = text(hostName);
    }
    o[QLatin1String("result")] = result;
    if (failed)
        o[QLatin1String("failed")] = true;
    return o;
}

} // namespace agentsight::model
