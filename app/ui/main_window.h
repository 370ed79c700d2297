// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/**
 * @brief The AgentSight main window: agent/process tree (left), conversation
 * (centre), events table and findings (right), correlated timeline (bottom),
 * status bar with helper state, targets, events/s, drops and truncations
 * (always visible) and the recording file.
 *
 * One Session at a time (a recording opened, or a live capture); opening
 * another replaces it. Models pull from SessionData on a 100 ms UI tick, so
 * a burst of events costs one view update per tick.
 *
 * Selection is shared: a tree node focuses the conversation on its agent and
 * the events table on its pid; a timeline mark selects its exchange, tool
 * call, process or event in the other panes, and the other way round.
 */
#include <QMainWindow>

#include <memory>

class QLabel;
class QTabWidget;
class QTimer;
class QTreeView;

namespace agentsight::llm {
class PriceTable;
}
namespace agentsight::pipeline {
class CaptureSession;
}
namespace agentsight::store {
class RecordingWriter;
}
namespace agentsight::models {
class ConversationModel;
class EventTableModel;
class ProcessTreeModel;
class SessionData;
class TimelineModel;
}

namespace agentsight::ui {

class ConversationView;
class DemoRunner;
class EventsView;
class LiveCapture;
class TimelineView;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    /// Replay a recording into a fresh session. False with lastError() set.
    bool openRecording(const QString &path);
    /// Start the helper (root: directly, else pkexec) on these targets, recording to recordPath ("" = default).
    bool startCapture(const QStringList &targetArgs, const QString &recordPath = {});
    void connectToHelper(const QString &socketPath);
    void startDemo();
    void stopCapture();
    /// Pull new data into every model and view now (the UI tick does this every 100 ms).
    void refreshNow();
    /// Select the first agent and its first tool call (used before screenshots).
    void focusFirstAgent();

    QString lastError() const { return m_lastError; }
    models::SessionData &session() { return *m_data; }
    pipeline::CaptureSession &capture() { return *m_capture; }
    QTreeView *processTree() const { return m_treeView; }
    ConversationView *conversation() const { return m_conversation; }
    TimelineView *timeline() const { return m_timeline; }
    EventsView *events() const { return m_events; }
    models::TimelineModel *timelineModel() const { return m_timelineModel.get(); }
    QLabel *dropsLabel() const { return m_drops; }
    QLabel *helperLabel() const { return m_helper; }
    QLabel *banner() const { return m_banner; }
    bool captureRunning() const;

signals:
    /// A live capture or demo ended (the helper said BYE or the socket closed), or a replay finished.
    void sessionEnded();

private:
    void buildUi();
    void buildMenus();
    void newSession();
    void showError(const QString &message);
    void updateStatus();
    void treeCurrentChanged();
    void timelineItemActivated(int item);
    void conversationExchangeSelected(qulonglong exchange);
    void openRecordingDialog();
    void launchDialog();
    void pickAgentDialog();
    void connectDialog();
    void finishRecording();

    std::unique_ptr<llm::PriceTable> m_prices;
    // Declaration order is destruction order in reverse: views drop their models first.
    std::unique_ptr<models::SessionData> m_data;
    std::unique_ptr<pipeline::CaptureSession> m_capture;
    std::unique_ptr<store::RecordingWriter> m_writer;
    std::unique_ptr<models::ProcessTreeModel> m_treeModel;
    std::unique_ptr<models::ConversationModel> m_convModel;
    std::unique_ptr<models::EventTableModel> m_eventModel;
    std::unique_ptr<models::TimelineModel> m_timelineModel;
    LiveCapture *m_live = nullptr;
    DemoRunner *m_demo = nullptr;

    QTreeView *m_treeView = nullptr;
    ConversationView *m_conversation = nullptr;
    EventsView *m_events = nullptr;
    TimelineView *m_timeline = nullptr;
    QTabWidget *m_rightTabs = nullptr;
    QLabel *m_banner = nullptr;
    QLabel *m_helper = nullptr, *m_targets = nullptr, *m_rate = nullptr, *m_drops = nullptr, *m_trunc = nullptr,
           *m_file = nullptr;
    QTimer *m_tick = nullptr;
    QString m_lastError;
    QString m_helperState;
    QString m_recordingPath;
    uint64_t m_lastEvents = 0;
    qint64 m_lastRateMs = 0;
    double m_rateValue = 0;
};

} // namespace agentsight::ui
