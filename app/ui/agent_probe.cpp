// SPDX-License-Identifier: GPL-2.0-or-later
#include "agent_probe.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <pwd.h>
#include <unistd.h>

namespace agentsight::ui {

namespace {

const QStringList &agentNames()
{
    static const QStringList names = {QStringLiteral("claude"), QStringLiteral("gemini"), QStringLiteral("codex"),
                                      QStringLiteral("aider"), QStringLiteral("opencode"), QStringLiteral("goose"),
                                      QStringLiteral("cursor-agent"), QStringLiteral("demo_agent")};
    return names;
}

bool isInterpreter(const QString &base)
{
    return base == QLatin1String("node") || base.startsWith(QLatin1String("python")) || base == QLatin1String("bun") ||
        base == QLatin1String("deno");
}

QString matchName(const QString &word)
{
    const QString base = QFileInfo(word).fileName().toLower();
    for (const QString &n : agentNames())
        if (base == n || base.startsWith(n + QLatin1Char('.')) || base.startsWith(n + QLatin1Char('-')))
            return n;
    // Installed npm packages: .../@anthropic-ai/claude-code/cli.js, @google/gemini-cli, @openai/codex
    const QString lower = word.toLower();
    if (lower.contains(QLatin1String("claude-code")))
        return QStringLiteral("claude");
    if (lower.contains(QLatin1String("gemini-cli")))
        return QStringLiteral("gemini");
    if (lower.contains(QLatin1String("@openai/codex")))
        return QStringLiteral("codex");
    return {};
}

} // namespace

QString agentNameFor(const QString &comm, const QStringList &argv)
{
    if (QString n = matchName(comm); !n.isEmpty())
        return n;
    if (!argv.isEmpty()) {
        if (QString n = matchName(argv.first()); !n.isEmpty())
            return n;
        // An interpreter: look at its script (first few non-option arguments).
        if (isInterpreter(QFileInfo(argv.first()).fileName())) {
            for (qsizetype i = 1; i < argv.size() && i < 4; ++i) {
                if (argv[i].startsWith(QLatin1Char('-')))
                    continue;
                if (QString n = matchName(argv[i]); !n.isEmpty())
                    return n;
            }
        }
    }
    return {};
}

std::vector<AgentCandidate> findAgents(const QString &procRoot)
{
    std::vector<AgentCandidate> out;
    const long ticks = sysconf(_SC_CLK_TCK);
    QFile uptimeFile(procRoot + QStringLiteral("/uptime"));
    double uptime = 0;
    if (uptimeFile.open(QIODevice::ReadOnly))
        uptime = QString::fromLatin1(uptimeFile.readAll()).section(QLatin1Char(' '), 0, 0).toDouble();
    const QDateTime now = QDateTime::currentDateTime();
    const QStringList pids = QDir(procRoot).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QString &p : pids) {
        bool ok = false;
        const qint64 pid = p.toLongLong(&ok);
        if (!ok || pid == getpid())
            continue;
        const QString dir = procRoot + QLatin1Char('/') + p;
        QFile cmd(dir + QStringLiteral("/cmdline")), comm(dir + QStringLiteral("/comm")), stat(dir + QStringLiteral("/stat"));
        if (!cmd.open(QIODevice::ReadOnly) || !comm.open(QIODevice::ReadOnly))
            continue;
        QStringList argv;
        for (const QByteArray &a : cmd.readAll().split('\0'))
            if (!a.isEmpty())
                argv << QString::fromUtf8(a);
        const QString name = agentNameFor(QString::fromUtf8(comm.readAll()).trimmed(), argv);
        if (name.isEmpty())
            continue;
        AgentCandidate c;
        c.pid = pid;
        c.command = argv.join(QLatin1Char(' '));
        c.why = name;
        const uint uid = QFileInfo(dir).ownerId();
        if (const passwd *pw = getpwuid(uid))
            c.user = QString::fromLocal8Bit(pw->pw_name);
        else
            c.user = QString::number(uid);
        if (stat.open(QIODevice::ReadOnly) && ticks > 0 && uptime > 0) {
            // Field 22 (starttime) counts from boot; fields after the ")" of comm are space separated.
            const QString s = QString::fromLatin1(stat.readAll());
            const QStringList f = s.mid(s.lastIndexOf(QLatin1Char(')')) + 2).split(QLatin1Char(' '));
            if (f.size() > 19)
                c.started = now.addMSecs(qint64((f[19].toDouble() / double(ticks) - uptime) * 1000));
        }
        out.push_back(c);
    }
    return out;
}

} // namespace agentsight::ui
