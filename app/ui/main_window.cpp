// SPDX-License-Identifier: GPL-2.0-or-later
#include "main_window.h"

#include "agent_probe.h"
#include "conversation_view.h"
#include "demo_runner.h"
#include "events_view.h"
#include "live_capture.h"
#include "timeline_view.h"

#include "llm/price_table.h"
#include "models/conversation_model.h"
#include "models/event_table_model.h"
#include "models/process_tree_model.h"
#include "models/session_data.h"
#include "models/timeline_model.h"
#include "pipeline/capture_session.h"
#include "store/recording.h"
#include "store/recording_event_source.h"
#include "store/recording_writer.h"

#include <QApplication>
#include <QDateTime>
#include <QDialog>
#include <QDialogButtonBox>
#include <QDir>
#include <QElapsedTimer>
#include <QFileDialog>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QMenuBar>
#include <QProcess>
#include <QPushButton>
#include <QSplitter>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTabWidget>
#include <QTimer>
#include <QTreeView>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace agentsight::ui {

using models::ProcessTreeModel;
using models::TimelineModel;

MainWindow::MainWindow(QWidget *parent) : QMainWindow(parent)
{
    setWindowTitle(tr("AgentSight"));
    setObjectName(QStringLiteral("AgentSightMainWindow"));
    m_prices = std::make_unique<llm::PriceTable>(llm::PriceTable::standard());
    buildUi();
    buildMenus();
    newSession();
    m_tick = new QTimer(this);
    m_tick->setInterval(100);
    connect(m_tick, &QTimer::timeout, this, &MainWindow::refreshNow);
    m_tick->start();
    resize(1400, 900);
}

MainWindow::~MainWindow()
{
    // The live socket reports into the capture session: end it before the session goes.
    delete m_live;
    m_live = nullptr;
    delete m_demo;
    finishRecording();
}

void MainWindow::buildUi()
{
    m_treeView = new QTreeView;
    m_treeView->setObjectName(QStringLiteral("processTree"));
    m_treeView->setUniformRowHeights(true);
    m_treeView->setAlternatingRowColors(true);
    m_conversation = new ConversationView;
    m_events = new EventsView;
    auto *findings = new QLabel(tr("Findings are not available yet: the detection engine is a separate, later "
                                   "part of AgentSight. Nothing here is inferred or made up."));
    findings->setObjectName(QStringLiteral("findingsPlaceholder"));
    findings->setWordWrap(true);
    findings->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    findings->setMargin(12);
    m_rightTabs = new QTabWidget;
    m_rightTabs->addTab(m_events, tr("Events"));
    m_rightTabs->addTab(findings, tr("Findings"));
    m_timeline = new TimelineView;

    auto *top = new QSplitter(Qt::Horizontal);
    top->addWidget(m_treeView);
    top->addWidget(m_conversation);
    top->addWidget(m_rightTabs);
    top->setStretchFactor(0, 3);
    top->setStretchFactor(1, 4);
    top->setStretchFactor(2, 3);
    auto *main = new QSplitter(Qt::Vertical);
    main->addWidget(top);
    main->addWidget(m_timeline);
    main->setStretchFactor(0, 3);
    main->setStretchFactor(1, 2);

    m_banner = new QLabel;
    m_banner->setObjectName(QStringLiteral("errorBanner"));
    m_banner->setWordWrap(true);
    m_banner->setStyleSheet(QStringLiteral("background: #fdecea; color: #611a15; padding: 6px;"));
    m_banner->hide();
    auto *central = new QWidget;
    auto *lay = new QVBoxLayout(central);
    lay->setContentsMargins(4, 4, 4, 4);
    lay->addWidget(m_banner);
    lay->addWidget(main, 1);
    setCentralWidget(central);

    m_helper = new QLabel;
    m_targets = new QLabel;
    m_rate = new QLabel;
    m_drops = new QLabel;
    m_drops->setObjectName(QStringLiteral("dropsLabel"));
    m_trunc = new QLabel;
    m_file = new QLabel;
    for (QLabel *l : {m_helper, m_targets, m_rate, m_drops, m_trunc})
        statusBar()->addWidget(l);
    statusBar()->addPermanentWidget(m_file);

    connect(m_timeline, &TimelineView::itemActivated, this, &MainWindow::timelineItemActivated);
    connect(m_conversation, &ConversationView::exchangeSelected, this, &MainWindow::conversationExchangeSelected);
}

void MainWindow::buildMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("&Open recording…"), QKeySequence::Open, this, &MainWindow::openRecordingDialog);
    file->addAction(tr("&Trace a running agent…"), this, &MainWindow::pickAgentDialog);
    file->addAction(tr("&Launch under AgentSight…"), this, &MainWindow::launchDialog);
    file->addAction(tr("&Connect to a helper socket…"), this, &MainWindow::connectDialog);
    file->addAction(tr("Run the &demo"), this, &MainWindow::startDemo);
    file->addAction(tr("&Stop capture"), this, &MainWindow::stopCapture);
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);
    QMenu *view = menuBar()->addMenu(tr("&View"));
    view->addAction(tr("&Pause / live timeline"), this, [this] { m_timeline->setLive(!m_timeline->isLive()); });
}

void MainWindow::newSession()
{
    if (m_live) {
        m_live->stop();
        delete m_live;
        m_live = nullptr;
    }
    finishRecording();
    auto data = std::make_unique<models::SessionData>();
    auto capture = std::make_unique<pipeline::CaptureSession>(m_prices.get());
    capture->addSink(data.get());
    auto tree = std::make_unique<ProcessTreeModel>(*data);
    auto conv = std::make_unique<models::ConversationModel>(*data);
    auto events = std::make_unique<models::EventTableModel>(*data);
    auto timeline = std::make_unique<TimelineModel>(*data);
    // Views move to the new models before the old ones are destroyed.
    m_treeView->setModel(tree.get());
    // A fixed start width: agent names are whole command lines (full text in the tooltip).
    m_treeView->header()->resizeSection(ProcessTreeModel::Name, 230);
    m_treeView->header()->resizeSection(ProcessTreeModel::Pid, 60);
    m_treeView->header()->resizeSection(ProcessTreeModel::Command, 160);
    m_treeView->setColumnHidden(ProcessTreeModel::Cwd, true);
    connect(m_treeView->selectionModel(), &QItemSelectionModel::currentChanged, this, &MainWindow::treeCurrentChanged);
    connect(tree.get(), &QAbstractItemModel::rowsInserted, m_treeView, [this](const QModelIndex &parent) {
        m_treeView->expand(parent);
    });
    m_conversation->setModel(conv.get(), data.get());
    m_events->setModel(events.get());
    m_timeline->setModel(timeline.get(), data.get());
    m_timelineModel = std::move(timeline);
    m_eventModel = std::move(events);
    m_convModel = std::move(conv);
    m_treeModel = std::move(tree);
    m_capture = std::move(capture);
    m_data = std::move(data);
    m_lastEvents = 0;
    m_rateValue = 0;
    m_recordingPath.clear();
    m_helperState = tr("no helper");
    m_banner->hide();
    m_timeline->setLive(true);
    updateStatus();
}

void MainWindow::showError(const QString &message)
{
    m_lastError = message;
    m_banner->setText(message);
    m_banner->show();
}

bool MainWindow::openRecording(const QString &path)
{
    newSession();
    std::string err;
    auto rec = store::Recording::open(path.toStdString(), store::Recording::Mode::Read, &err);
    if (!rec) {
        showError(tr("Cannot open the recording %1: %2").arg(path, QString::fromStdString(err)));
        return false;
    }
    QElapsedTimer t;
    t.start();
    store::RecordingEventSource source(*rec);
    const bool ok = source.run(*m_capture);
    m_data->finish();
    m_recordingPath = path;
    m_helperState = tr("recording (%1 ms to load)").arg(t.elapsed());
    refreshNow();
    if (!ok) {
        showError(tr("The recording %1 could only be read in part: %2").arg(path, QString::fromStdString(source.error())));
        return false;
    }
    emit sessionEnded();
    return true;
}

bool MainWindow::startCapture(const QStringList &targetArgs, const QString &recordPath)
{
    newSession();
    QString path = recordPath;
    if (path.isEmpty()) {
        const QString dir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + QStringLiteral("/recordings");
        QDir().mkpath(dir);
        path = dir + QStringLiteral("/capture-%1.agentsight").arg(QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss-zzz")));
    }
    std::string err;
    m_writer = store::RecordingWriter::create(path.toStdString(), &err);
    if (m_writer) {
        m_capture->addSink(m_writer.get());
        m_recordingPath = path;
    } else {
        showError(tr("Not recording to a file (%1); the capture is shown but not saved.").arg(QString::fromStdString(err)));
    }
    m_live = new LiveCapture(*m_capture, this);
    connect(m_live, &LiveCapture::stateChanged, this, [this](const QString &s) {
        m_helperState = s;
        updateStatus();
    });
    connect(m_live, &LiveCapture::failed, this, &MainWindow::showError);
    connect(m_live, &LiveCapture::ended, this, [this] {
        finishRecording();
        refreshNow();
        emit sessionEnded();
    });
    connect(m_live, &LiveCapture::failed, this, [this] { emit sessionEnded(); });
    return m_live->startHelper(LiveCapture::findHelper(), targetArgs);
}

void MainWindow::connectToHelper(const QString &socketPath)
{
    newSession();
    m_live = new LiveCapture(*m_capture, this);
    connect(m_live, &LiveCapture::stateChanged, this, [this](const QString &s) {
        m_helperState = s;
        updateStatus();
    });
    connect(m_live, &LiveCapture::failed, this, &MainWindow::showError);
    connect(m_live, &LiveCapture::ended, this, [this] {
        refreshNow();
        emit sessionEnded();
    });
    m_live->connectTo(socketPath);
}

void MainWindow::startDemo()
{
    delete m_demo;
    m_demo = new DemoRunner(this);
    connect(m_demo, &DemoRunner::ready, this, [this](const QStringList &args) { startCapture(args); });
    connect(m_demo, &DemoRunner::failed, this, [this](const QString &m) {
        showError(tr("The demo could not start: %1").arg(m));
        emit sessionEnded();
    });
    m_helperState = tr("starting the demo…");
    m_demo->start();
}

void MainWindow::stopCapture()
{
    if (m_live)
        m_live->stop();
}

bool MainWindow::captureRunning() const
{
    return m_live && m_live->running();
}

void MainWindow::finishRecording()
{
    if (!m_writer)
        return;
    if (m_capture)
        m_capture->removeSink(m_writer.get());
    if (!m_writer->close())
        showError(tr("The recording %1 is incomplete: writing failed.").arg(m_recordingPath));
    m_writer.reset();
}

void MainWindow::refreshNow()
{
    if (!m_data)
        return;
    m_treeModel->refresh();
    m_convModel->refresh();
    m_eventModel->refresh();
    m_timelineModel->refresh();
    m_timeline->refresh();
    updateStatus();
}

void MainWindow::focusFirstAgent()
{
    for (int r = 0; r < m_treeModel->rowCount(); ++r) {
        const QModelIndex i = m_treeModel->index(r, 0);
        if (i.data(ProcessTreeModel::KindRole).toInt() != int(ProcessTreeModel::NodeKind::Agent))
            continue;
        m_treeView->setCurrentIndex(i);
        const auto &xs = m_data->exchanges();
        for (std::size_t x = 0; x < xs.size(); ++x)
            if (xs[x].agentId == i.data(ProcessTreeModel::AgentIdRole).toUInt() && !xs[x].exchange.toolCalls.empty()) {
                m_conversation->selectToolCall(x, QString::fromStdString(xs[x].exchange.toolCalls.front().id));
                break;
            }
        return;
    }
}

void MainWindow::updateStatus()
{
    const models::SessionData &d = *m_data;
    static QElapsedTimer clock;
    if (!clock.isValid())
        clock.start();
    const qint64 now = clock.elapsed();
    if (now - m_lastRateMs >= 1000) {
        m_rateValue = m_lastRateMs ? double(d.eventsSeen() - m_lastEvents) * 1000.0 / double(now - m_lastRateMs) : 0;
        m_lastEvents = d.eventsSeen();
        m_lastRateMs = now;
    }
    m_helper->setText(tr("Helper: %1").arg(m_helperState));
    QStringList targets;
    for (const auto &t : d.targets())
        targets << QString::fromStdString(t);
    m_targets->setText(tr("Targets: %1").arg(targets.isEmpty() ? tr("none") : targets.join(QStringLiteral(", ")).left(80)));
    m_rate->setText(tr("%1 events (%2/s)").arg(d.eventsSeen()).arg(m_rateValue, 0, 'f', 0));
    // Drops and truncations are always shown, also when zero: "0" is a fact worth seeing.
    using O = pipeline::LossOrigin;
    const uint64_t lost = d.lostTotal() + d.eventsNotKept() + d.exchangesNotKept() + d.toolCallsNotKept();
    m_drops->setText(tr("Drops: %1").arg(lost));
    m_drops->setStyleSheet(lost ? QStringLiteral("color: #b00020; font-weight: bold") : QString());
    m_drops->setToolTip(tr("kernel ring: %1, helper queue: %2, sequence gaps: %3, bad records: %4, recorder: %5, "
                           "events not kept in memory: %6, exchanges not kept: %7, tool calls not kept: %8")
                            .arg(d.lost(O::Kernel))
                            .arg(d.lost(O::HelperQueue))
                            .arg(d.lost(O::SeqGap))
                            .arg(d.lost(O::BadRecord))
                            .arg(d.lost(O::Recorder))
                            .arg(d.eventsNotKept())
                            .arg(d.exchangesNotKept())
                            .arg(d.toolCallsNotKept()));
    m_trunc->setText(tr("Truncated: %1 records, %2 TLS bytes").arg(d.truncatedRecords()).arg(d.tlsBytesDropped()));
    m_trunc->setToolTip(tr("records cut by the collectors: %1; TLS bytes not captured: %2; event texts shortened: %3; "
                           "raw HTTP texts shortened: %4")
                            .arg(d.truncatedRecords())
                            .arg(d.tlsBytesDropped())
                            .arg(d.detailsCut())
                            .arg(d.rawCut()));
    m_file->setText(m_recordingPath.isEmpty() ? tr("Not recording") : tr("Recording: %1").arg(m_recordingPath));
}

void MainWindow::treeCurrentChanged()
{
    const QModelIndex cur = m_treeView->currentIndex();
    if (!cur.isValid())
        return;
    const auto kind = ProcessTreeModel::NodeKind(cur.data(ProcessTreeModel::KindRole).toInt());
    const uint32_t agent = cur.data(ProcessTreeModel::AgentIdRole).toUInt();
    if (m_convModel->agent() != agent)
        m_convModel->setAgent(agent);
    if (kind == ProcessTreeModel::NodeKind::Process) {
        const uint32_t pid = cur.data(ProcessTreeModel::PidRole).toUInt();
        m_events->setFilterText(QStringLiteral("pid:%1").arg(pid));
        m_timeline->highlightItem(m_timelineModel->itemFor(TimelineModel::RefKind::Process,
                                                           cur.data(ProcessTreeModel::ProcessIdRole).toULongLong()));
    } else {
        m_events->setFilterText(QString());
    }
}

void MainWindow::conversationExchangeSelected(qulonglong exchange)
{
    m_timeline->highlightItem(m_timelineModel->itemFor(TimelineModel::RefKind::Exchange, exchange));
}

void MainWindow::timelineItemActivated(int item)
{
    const auto &it = m_timelineModel->items()[std::size_t(item)];
    auto focusAgent = [this](uint32_t agent) {
        if (m_convModel->agent() != agent && agent)
            m_convModel->setAgent(agent);
        const QModelIndex a = m_treeModel->indexForAgent(agent);
        if (a.isValid()) {
            const QSignalBlocker block(m_treeView->selectionModel());
            m_treeView->setCurrentIndex(a);
        }
    };
    switch (it.refKind) {
    case TimelineModel::RefKind::Exchange: {
        const auto &x = m_data->exchanges()[it.ref];
        focusAgent(x.agentId);
        m_conversation->selectExchange(it.ref);
        break;
    }
    case TimelineModel::RefKind::ToolCall: {
        const auto &c = m_data->toolCalls()[it.ref];
        focusAgent(c.agentId);
        // The call's exchange: the one whose response carries this call id.
        const auto &xs = m_data->exchanges();
        for (std::size_t i = 0; i < xs.size(); ++i)
            for (const auto &tc : xs[i].exchange.toolCalls)
                if (tc.id == c.callId && xs[i].agentId == c.agentId) {
                    m_conversation->selectToolCall(i, QString::fromStdString(c.callId));
                    break;
                }
        break;
    }
    case TimelineModel::RefKind::Process: {
        const QModelIndex p = m_treeModel->indexForProcess(it.ref);
        if (p.isValid()) {
            m_treeView->scrollTo(p);
            m_treeView->setCurrentIndex(p); // focuses conversation and events too
        }
        break;
    }
    case TimelineModel::RefKind::Event:
        m_rightTabs->setCurrentWidget(m_events);
        m_events->selectSourceRow(int(it.ref));
        break;
    case TimelineModel::RefKind::Action: {
        // An action whose record was not kept as a mark: find its row by time and pid.
        const std::size_t first = m_data->eventRowAtOrAfter(it.startNs);
        for (std::size_t r = first; r < m_data->eventCount() && m_data->event(r).ktimeNs == it.startNs; ++r)
            if (m_data->event(r).tgid == it.pid) {
                m_rightTabs->setCurrentWidget(m_events);
                m_events->selectSourceRow(int(r));
                break;
            }
        break;
    }
    }
    m_timeline->highlightItem(item);
}

void MainWindow::openRecordingDialog()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Open recording"), QString(),
                                                      tr("AgentSight recordings (*.agentsight *.db *.sqlite);;All files (*)"));
    if (!path.isEmpty())
        openRecording(path);
}

void MainWindow::launchDialog()
{
    bool ok = false;
    const QString cmd = QInputDialog::getText(this, tr("Launch under AgentSight"),
                                              tr("Command line to run and trace from its first instruction:"),
                                              QLineEdit::Normal, QString(), &ok);
    if (!ok || cmd.trimmed().isEmpty())
        return;
    startCapture(QStringList{QStringLiteral("--")} + QProcess::splitCommand(cmd));
}

void MainWindow::connectDialog()
{
    bool ok = false;
    const QString path = QInputDialog::getText(this, tr("Connect to a helper"), tr("Socket path of a running agentsight-helper:"),
                                               QLineEdit::Normal, QStringLiteral("/run/agentsight.sock"), &ok);
    if (ok && !path.isEmpty())
        connectToHelper(path);
}

void MainWindow::pickAgentDialog()
{
    QDialog dlg(this);
    dlg.setWindowTitle(tr("Agents on this machine"));
    auto *list = new QTreeWidget(&dlg);
    list->setHeaderLabels({tr("User"), tr("PID"), tr("Agent"), tr("Started"), tr("Command")});
    list->setRootIsDecorated(false);
    for (const AgentCandidate &c : findAgents()) {
        auto *item = new QTreeWidgetItem(list, {c.user, QString::number(c.pid), c.why,
                                                c.started.toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")), c.command});
        item->setData(0, Qt::UserRole, c.pid);
    }
    auto *empty = new QLabel(tr("No running process looks like a coding agent (claude, gemini, codex, …)."), &dlg);
    empty->setVisible(list->topLevelItemCount() == 0);
    auto *buttons = new QDialogButtonBox(&dlg);
    QPushButton *trace = buttons->addButton(tr("Trace selected"), QDialogButtonBox::AcceptRole);
    QPushButton *launch = buttons->addButton(tr("Launch under AgentSight…"), QDialogButtonBox::ActionRole);
    QPushButton *open = buttons->addButton(tr("Open recording…"), QDialogButtonBox::ActionRole);
    buttons->addButton(QDialogButtonBox::Cancel);
    int choice = 0;
    connect(trace, &QPushButton::clicked, &dlg, [&] { choice = 1; dlg.accept(); });
    connect(launch, &QPushButton::clicked, &dlg, [&] { choice = 2; dlg.accept(); });
    connect(open, &QPushButton::clicked, &dlg, [&] { choice = 3; dlg.accept(); });
    connect(buttons, &QDialogButtonBox::rejected, &dlg, &QDialog::reject);
    auto *lay = new QVBoxLayout(&dlg);
    lay->addWidget(list);
    lay->addWidget(empty);
    lay->addWidget(buttons);
    dlg.resize(900, 400);
    if (dlg.exec() != QDialog::Accepted)
        return;
    if (choice == 1 && list->currentItem())
        startCapture({QStringLiteral("--pid"), list->currentItem()->data(0, Qt::UserRole).toString()});
    else if (choice == 2)
        launchDialog();
    else if (choice == 3)
        openRecordingDialog();
}

} // namespace agentsight::ui
