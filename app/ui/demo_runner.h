// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/**
 * @brief `agentsight-gui --demo`: a local fake Anthropic API over real TLS
 * (resources/demo/fake_llm.py with scenarios/demo.json) and the real demo
 * agent (demo_agent.py) in a fresh temporary workspace. start() launches the
 * fake server; ready() hands out the helper's target arguments that run the
 * agent, so the agent itself is traced from its first instruction.
 * Needs python3 and openssl (the fake server makes its certificate with it).
 */
#include <QObject>
#include <QStringList>
#include <QTemporaryDir>

#include <memory>

class QProcess;

namespace agentsight::ui {

class DemoRunner : public QObject {
    Q_OBJECT
public:
    explicit DemoRunner(QObject *parent = nullptr);
    ~DemoRunner() override;
    void start();
    QString workspace() const;
    static QString resourcesDir();

signals:
    void ready(const QStringList &helperTargetArgs);
    void failed(const QString &message);

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    QProcess *m_server = nullptr;
    QByteArray m_out;
};

} // namespace agentsight::ui
