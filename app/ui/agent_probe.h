// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/**
 * @brief Which running processes look like AI coding agents (the "agents"
 * picker): claude, gemini, codex, aider, opencode, goose, cursor-agent, or a
 * node/python/bun/deno interpreter running one of them.
 *
 * Limits: a heuristic on names only; an agent with an unusual name is found
 * only through "Launch under AgentSight…" or by pid. Open connections to LLM
 * hosts are not inspected (that needs the helper's privileges).
 */
#include <QDateTime>
#include <QString>
#include <QStringList>

#include <vector>

namespace agentsight::ui {

struct AgentCandidate {
    qint64 pid = 0;
    QString user;
    QString command;
    QDateTime started;
    QString why; ///< which name matched
};

/// Pure: the matched agent name, or "" when comm/argv do not look like an agent.
QString agentNameFor(const QString &comm, const QStringList &argv);
/// Scans procRoot (normally /proc); processes that vanish meanwhile are skipped.
std::vector<AgentCandidate> findAgents(const QString &procRoot = QStringLiteral("/proc"));

} // namespace agentsight::ui
