// SPDX-License-Identifier: GPL-2.0-or-later
#include "demo_runner.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>

namespace agentsight::ui {

DemoRunner::DemoRunner(QObject *parent) : QObject(parent) {}

DemoRunner::~DemoRunner()
{
    if (m_server && m_server->state() != QProcess::NotRunning) {
        m_server->terminate();
        m_server->waitForFinished(2000);
    }
}

QString DemoRunner::resourcesDir()
{
    const QString env = qEnvironmentVariable("AGENTSIGHT_RESOURCES");
    if (!env.isEmpty())
        return env;
    const QString installed = QCoreApplication::applicationDirPath() + QStringLiteral("/../share/agentsight");
    if (QFileInfo::exists(installed + QStringLiteral("/demo/fake_llm.py")))
        return installed;
    return QStringLiteral(AGENTSIGHT_RESOURCES_DIR);
}

QString DemoRunner::workspace() const
{
    return m_dir ? m_dir->path() : QString();
}

void DemoRunner::start()
{
    const QString res = resourcesDir() + QStringLiteral("/demo");
    m_dir = std::make_unique<QTemporaryDir>(QDir::temp().filePath(QStringLiteral("agentsight-demo-XXXXXX")));
    if (!m_dir->isValid()) {
        emit failed(tr("Could not create a temporary workspace: %1").arg(m_dir->errorString()));
        return;
    }
    QFile readme(m_dir->filePath(QStringLiteral("README.txt")));
    if (readme.open(QIODevice::WriteOnly))
        readme.write("Demo project for AgentSight.\nSetup notes: see /docs/setup.html on the project server.\n");
    readme.close();

    m_server = new QProcess(this);
    m_server->setProcessChannelMode(QProcess::SeparateChannels);
    connect(m_server, &QProcess::readyReadStandardOutput, this, [this] {
        m_out += m_server->readAllStandardOutput();
        const qsizetype nl = m_out.indexOf('\n');
        if (nl < 0)
            return;
        const QJsonObject o = QJsonDocument::fromJson(m_out.left(nl)).object();
        const int port = o.value(QLatin1String("port")).toInt();
        const QString ca = o.value(QLatin1String("ca")).toString();
        if (!port || ca.isEmpty()) {
            emit failed(tr("The demo LLM server did not report a port: %1").arg(QString::fromUtf8(m_out.left(300))));
            return;
        }
        const QString agent = resourcesDir() + QStringLiteral("/demo/demo_agent.py");
        // The distribution's python (system OpenSSL), not a version-manager
        // shim that would wrap the agent in layers of shell scripts.
        const QString python = QFile::exists(QStringLiteral("/usr/bin/python3")) ? QStringLiteral("/usr/bin/python3")
                                                                                  : QStringLiteral("python3");
        // The helper starts the command itself; env passes what pkexec would strip.
        emit ready({QStringLiteral("--"), QStringLiteral("env"), QStringLiteral("-C"), m_dir->path(),
                    QStringLiteral("ANTHROPIC_BASE_URL=https://127.0.0.1:%1").arg(port), QStringLiteral("SSL_CERT_FILE=") + ca,
                    python, agent, QStringLiteral("Look at the workspace, read the setup page and write NOTES.md.")});
    });
    connect(m_server, &QProcess::finished, this, [this](int code) {
        if (m_out.indexOf('\n') < 0)
            emit failed(tr("The demo LLM server exited (%1): %2").arg(code).arg(QString::fromLocal8Bit(m_server->readAllStandardError()).right(400)));
    });
    m_server->start(QStringLiteral("python3"),
                    {res + QStringLiteral("/fake_llm.py"), QStringLiteral("--scenario"), res + QStringLiteral("/scenarios/demo.json"),
                     QStringLiteral("--cert-dir"), m_dir->filePath(QStringLiteral(".tls")),
                     QStringLiteral("--var"), QStringLiteral("workdir=") + m_dir->path()});
}

} // namespace agentsight::ui
