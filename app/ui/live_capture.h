// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/**
 * @brief Live capture for the GUI: start agentsight-helper (directly when the
 * app is root, else through `pkexec`, whose polkit action is in packaging/),
 * or connect to a helper socket that is already serving, and feed the
 * socket's bytes into a pipeline::CaptureSession on the GUI thread
 * (QLocalSocket, no extra thread: the session only decodes).
 *
 * Failures are reported in words (error()): pkexec missing, authorization
 * refused (pkexec exit 126/127), helper exit codes, a socket that never
 * appears. Stop sends AS_FRAME_STOP, so records the kernel already produced
 * still arrive; an unprivileged GUI cannot signal a root helper.
 */
#include <QObject>
#include <QString>
#include <QStringList>

class QLocalSocket;
class QProcess;
class QTimer;

namespace agentsight::pipeline {
class CaptureSession;
}

namespace agentsight::ui {

class LiveCapture : public QObject {
    Q_OBJECT
public:
    explicit LiveCapture(pipeline::CaptureSession &session, QObject *parent = nullptr);
    ~LiveCapture() override;

    /// How the helper would be started: "direct" (root), "pkexec", or "" (cannot).
    static QString elevation();
    /// $AGENTSIGHT_HELPER, else next to the build tree's app, else the install path; "" if none.
    static QString findHelper();

    /// Start the helper serving a fresh socket with these target arguments
    /// (e.g. {"--pid", "123"} or {"--", "cmd", "arg"}). False with error() when it cannot start.
    bool startHelper(const QString &helperPath, const QStringList &targetArgs);
    /// Connect to an already running helper.
    void connectTo(const QString &socketPath);
    void stop();

    QString state() const { return m_state; }
    QString error() const { return m_error; }
    QString socketPath() const { return m_socketPath; }
    bool running() const { return m_running; }

signals:
    void stateChanged(const QString &state);
    void failed(const QString &message);
    void ended();

private:
    void setState(const QString &s);
    void fail(const QString &message);
    void tryConnect();
    void onReadyRead();
    void onDisconnected();
    void onHelperFinished(int code);

    pipeline::CaptureSession &m_session;
    QLocalSocket *m_socket;
    QProcess *m_helper = nullptr;
    QTimer *m_retry;
    QString m_socketPath;
    QString m_state;
    QString m_error;
    QString m_how;
    int m_attempts = 0;
    bool m_running = false;
    bool m_ended = false;
};

} // namespace agentsight::ui
