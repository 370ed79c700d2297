// SPDX-License-Identifier: GPL-2.0-or-later
#include "live_capture.h"

#include "pipeline/capture_session.h"
#include "wire/frame_reader.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QLocalSocket>
#include <QProcess>
#include <QStandardPaths>
#include <QTimer>

#include <unistd.h>

#ifndef AGENTSIGHT_LIBEXEC_DIR
#define AGENTSIGHT_LIBEXEC_DIR "/usr/libexec/agentsight"
#endif

namespace agentsight::ui {

namespace {
constexpr int kRetryMs = 200;
constexpr int kMaxAttempts = 5 * 120; // two minutes: pkexec may be waiting for a password
}

LiveCapture::LiveCapture(pipeline::CaptureSession &session, QObject *parent)
    : QObject(parent), m_session(session), m_socket(new QLocalSocket(this)), m_retry(new QTimer(this))
{
    m_retry->setInterval(kRetryMs);
    connect(m_retry, &QTimer::timeout, this, &LiveCapture::tryConnect);
    connect(m_socket, &QLocalSocket::connected, this, [this] {
        m_retry->stop();
        m_running = true;
        setState(tr("connected (%1)").arg(m_how.isEmpty() ? tr("existing helper") : m_how));
    });
    connect(m_socket, &QLocalSocket::readyRead, this, &LiveCapture::onReadyRead);
    connect(m_socket, &QLocalSocket::disconnected, this, &LiveCapture::onDisconnected);
}

LiveCapture::~LiveCapture()
{
    if (m_helper && m_helper->state() != QProcess::NotRunning) {
        stop();
        if (!m_helper->waitForFinished(3000) && m_how == QLatin1String("direct")) {
            m_helper->terminate(); // root started it directly: it may be signalled
            m_helper->waitForFinished(2000);
        }
        // Under pkexec the helper is root and cannot be signalled; it exits when its client goes.
    }
}

QString LiveCapture::elevation()
{
    if (geteuid() == 0)
        return QStringLiteral("direct");
    if (!QStandardPaths::findExecutable(QStringLiteral("pkexec")).isEmpty())
        return QStringLiteral("pkexec");
    return {};
}

QString LiveCapture::findHelper()
{
    const QString env = qEnvironmentVariable("AGENTSIGHT_HELPER");
    if (!env.isEmpty())
        return QFileInfo(env).isExecutable() ? env : QString();
    const QString dir = QCoreApplication::applicationDirPath();
    for (const QString &p : {dir + QStringLiteral("/../../helper/agentsight-helper"), dir + QStringLiteral("/../helper/agentsight-helper"),
                             QStringLiteral(AGENTSIGHT_LIBEXEC_DIR "/agentsight-helper")}) {
        const QFileInfo fi(p);
        if (fi.isFile() && fi.isExecutable())
            return fi.canonicalFilePath();
    }
    return {};
}

void LiveCapture::setState(const QString &s)
{
    m_state = s;
    emit stateChanged(s);
}

void LiveCapture::fail(const QString &message)
{
    m_retry->stop();
    m_error = message;
    setState(tr("failed"));
    emit failed(message);
}

bool LiveCapture::startHelper(const QString &helperPath, const QStringList &targetArgs)
{
    m_how = elevation();
    if (helperPath.isEmpty()) {
        fail(tr("agentsight-helper was not found (set AGENTSIGHT_HELPER). Recordings can still be opened."));
        return false;
    }
    if (m_how.isEmpty()) {
        fail(tr("Live capture needs root: polkit's pkexec is not installed and this app is not running as root. "
                "Recordings can still be opened."));
        return false;
    }
    m_socketPath = QDir::temp().filePath(QStringLiteral("agentsight-gui-%1-%2.sock").arg(getpid()).arg(quintptr(this) & 0xffff, 0, 16));
    QStringList args{QStringLiteral("--socket"), m_socketPath, QStringLiteral("--wait-client")};
    args += targetArgs;
    m_helper = new QProcess(this);
    m_helper->setProcessChannelMode(QProcess::SeparateChannels);
    connect(m_helper, &QProcess::finished, this, [this](int code, QProcess::ExitStatus) { onHelperFinished(code); });
    connect(m_helper, &QProcess::errorOccurred, this, [this](QProcess::ProcessError e) {
        if (e == QProcess::FailedToStart)
            fail(tr("Could not start %1: %2").arg(m_helper->program(), m_helper->errorString()));
    });
    if (m_how == QLatin1String("direct")) {
        m_helper->start(helperPath, args);
    } else {
        // pkexec execs the helper; polkit matches helperPath against the action's exec.path.
        m_helper->start(QStringLiteral("pkexec"), QStringList{helperPath} + args);
    }
    setState(m_how == QLatin1String("pkexec") ? tr("asking polkit for permission…") : tr("starting helper…"));
    m_attempts = 0;
    m_retry->start();
    return true;
}

void LiveCapture::connectTo(const QString &socketPath)
{
    m_socketPath = socketPath;
    m_how.clear();
    m_attempts = kMaxAttempts - 10; // an existing helper: give it two seconds, not two minutes
    setState(tr("connecting…"));
    m_retry->start();
    tryConnect();
}

void LiveCapture::tryConnect()
{
    if (m_socket->state() != QLocalSocket::UnconnectedState)
        return;
    if (++m_attempts > kMaxAttempts) {
        fail(tr("The helper socket %1 did not become available.").arg(m_socketPath));
        return;
    }
    if (QFileInfo::exists(m_socketPath))
        m_socket->connectToServer(m_socketPath);
}

void LiveCapture::onReadyRead()
{
    const QByteArray bytes = m_socket->readAll();
    if (!m_session.feedStream(std::string_view(bytes.constData(), std::size_t(bytes.size())))) {
        fail(tr("The helper stream is broken: %1").arg(QString::fromStdString(m_session.error())));
        m_socket->abort();
    }
}

void LiveCapture::onDisconnected()
{
    m_running = false;
    if (!m_ended) {
        m_ended = true;
        m_session.finish(m_session.helperExitCode());
        setState(m_session.helperExitCode() >= 0 ? tr("helper ended (exit %1)").arg(m_session.helperExitCode())
                                                 : tr("disconnected"));
        emit ended();
    }
}

void LiveCapture::onHelperFinished(int code)
{
    const QString err = QString::fromLocal8Bit(m_helper->readAllStandardError()).trimmed().right(600);
    if (m_socket->state() == QLocalSocket::ConnectedState || m_ended)
        return; // the socket reports the end
    if (m_how == QLatin1String("pkexec") && (code == 126 || code == 127)) {
        fail(tr("polkit did not authorize the capture helper (pkexec exit %1)%2. Live capture is unavailable; "
                "recordings can still be opened.")
                 .arg(code)
                 .arg(err.isEmpty() ? QString() : QStringLiteral(": ") + err));
        return;
    }
    fail(tr("The helper exited with code %1 before serving%2").arg(code).arg(err.isEmpty() ? QString() : QStringLiteral(": ") + err));
}

void LiveCapture::stop()
{
    m_retry->stop();
    if (m_socket->state() == QLocalSocket::ConnectedState) {
        const std::string f = wire::encodeFrame(AS_FRAME_STOP, {});
        m_socket->write(f.data(), qint64(f.size()));
        m_socket->flush();
        setState(tr("stopping…"));
    } else if (m_helper && m_helper->state() != QProcess::NotRunning && m_how == QLatin1String("direct")) {
        m_helper->terminate();
    }
}

} // namespace agentsight::ui
