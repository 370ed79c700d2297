// SPDX-License-Identifier: GPL-2.0-or-later
#include "timeline_view.h"

#include "models/session_data.h"
#include "models/timeline_model.h"

#include <QCategoryAxis>
#include <QChart>
#include <QChartView>
#include <QHBoxLayout>
#include <QLabel>
#include <QMouseEvent>
#include <QLineSeries>
#include <QPushButton>
#include <QScatterSeries>
#include <QSlider>
#include <QValueAxis>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace agentsight::ui {

using models::TimelineModel;

namespace {

constexpr int kLanes = int(TimelineModel::Lane::Count);
constexpr int kScrubSteps = 1000;

double laneY(TimelineModel::Lane lane)
{
    return double(kLanes - 1 - int(lane)); // LLM calls on top
}

QColor laneColor(int lane)
{
    static const QColor colors[] = {QColor(0x1f, 0x77, 0xb4), QColor(0xd6, 0x27, 0x28), QColor(0x2c, 0xa0, 0x2c),
                                    QColor(0xff, 0x7f, 0x0e), QColor(0x94, 0x67, 0xbd)};
    return colors[lane % kLanes];
}

} // namespace

TimelineView::TimelineView(QWidget *parent) : QWidget(parent)
{
    m_chart = new QChart;
    m_chart->legend()->hide();
    m_chart->setMargins(QMargins(4, 4, 4, 4));
    m_x = new QValueAxis;
    m_x->setTitleText(tr("seconds since the first event"));
    m_x->setLabelFormat(QStringLiteral("%.2f"));
    m_y = new QCategoryAxis;
    m_y->setRange(-0.5, kLanes - 0.5);
    m_y->setLabelsPosition(QCategoryAxis::AxisLabelsPositionCenter);
    // Categories must be appended bottom-up (increasing end values).
    m_y->setStartValue(-0.5);
    for (int l = kLanes - 1; l >= 0; --l)
        m_y->append(TimelineModel::laneName(TimelineModel::Lane(l)), laneY(TimelineModel::Lane(l)) + 0.5);
    m_chart->addAxis(m_x, Qt::AlignBottom);
    m_chart->addAxis(m_y, Qt::AlignLeft);

    for (int l = 0; l < kLanes; ++l) {
        auto *s = new QScatterSeries;
        s->setMarkerSize(9);
        s->setColor(laneColor(l));
        s->setBorderColor(laneColor(l).darker());
        m_chart->addSeries(s);
        s->attachAxis(m_x);
        s->attachAxis(m_y);
        m_marks.push_back(s);
        m_markItems.emplace_back();
    }
    m_selectedMark = new QScatterSeries;
    m_selectedMark->setMarkerSize(18);
    m_selectedMark->setColor(QColor(255, 215, 0, 160));
    m_selectedMark->setBorderColor(Qt::black);
    m_chart->addSeries(m_selectedMark);
    m_selectedMark->attachAxis(m_x);
    m_selectedMark->attachAxis(m_y);

    m_view = new QChartView(m_chart, this);
    m_view->setRenderHint(QPainter::Antialiasing);
    m_view->setMinimumHeight(180);
    // Clicks are resolved here, not by series: bars and link lines lie on top of the dots.
    m_view->viewport()->installEventFilter(this);

    m_liveButton = new QPushButton(tr("Pause"), this);
    m_liveButton->setObjectName(QStringLiteral("timelineLive"));
    m_liveButton->setCheckable(true); // checked = paused
    connect(m_liveButton, &QPushButton::toggled, this, [this](bool paused) { setLive(!paused); });
    m_scrub = new QSlider(Qt::Horizontal, this);
    m_scrub->setObjectName(QStringLiteral("timelineScrubber"));
    m_scrub->setRange(0, kScrubSteps);
    m_scrub->setValue(kScrubSteps);
    m_scrub->setToolTip(tr("Move through the whole session (pauses live mode)"));
    m_zoom = new QSlider(Qt::Horizontal, this);
    m_zoom->setObjectName(QStringLiteral("timelineZoom"));
    m_zoom->setRange(1, 100);
    m_zoom->setValue(100);
    m_zoom->setMaximumWidth(140);
    m_zoom->setToolTip(tr("Width of the visible window, in percent of the session"));
    connect(m_scrub, &QSlider::valueChanged, this, [this] {
        if (m_updatingSliders)
            return;
        if (m_live)
            setLive(false); // scrubbing is looking back: freeze the view
        updateRange();
        redraw();
    });
    connect(m_zoom, &QSlider::valueChanged, this, [this] {
        if (m_updatingSliders)
            return;
        updateRange();
        redraw();
    });
    m_info = new QLabel(this);

    auto *controls = new QHBoxLayout;
    controls->addWidget(m_liveButton);
    controls->addWidget(new QLabel(tr("Scrub"), this));
    controls->addWidget(m_scrub, 1);
    controls->addWidget(new QLabel(tr("Zoom"), this));
    controls->addWidget(m_zoom);
    auto *lay = new QVBoxLayout(this);
    lay->setContentsMargins(0, 0, 0, 0);
    lay->addWidget(m_view, 1);
    lay->addLayout(controls);
    lay->addWidget(m_info);
}

void TimelineView::setModel(TimelineModel *model, const models::SessionData *data)
{
    m_model = model;
    m_data = data;
    m_selected = -1;
    refresh();
}

double TimelineView::seconds(uint64_t ns) const
{
    const uint64_t first = m_data ? m_data->firstNs() : 0;
    return ns > first ? double(ns - first) / 1e9 : 0.0;
}

double TimelineView::sessionSeconds() const
{
    return m_data ? std::max(0.001, seconds(m_data->lastNs())) : 1.0;
}

void TimelineView::setLive(bool live)
{
    if (live == m_live)
        return;
    m_live = live;
    {
        const QSignalBlocker block(m_liveButton);
        m_liveButton->setChecked(!live);
    }
    m_liveButton->setText(live ? tr("Pause") : tr("Live"));
    if (live) {
        updateRange();
        redraw();
    }
}

void TimelineView::updateRange()
{
    const double total = sessionSeconds();
    const double width = total * m_zoom->value() / 100.0;
    if (m_live) {
        m_to = total;
        m_from = total - width;
        m_updatingSliders = true;
        m_scrub->setValue(kScrubSteps);
        m_updatingSliders = false;
    } else {
        m_from = (total - width) * m_scrub->value() / kScrubSteps;
        m_to = m_from + width;
    }
    // A little margin so marks at the edges are not cut in half.
    const double pad = std::max(0.0005, (m_to - m_from) * 0.02);
    m_x->setRange(m_from - pad, m_to + pad);
}

void TimelineView::refresh()
{
    if (m_live)
        updateRange();
    if (m_model && std::make_tuple(m_model->items().size(), m_model->links().size(), m_from, m_to, m_selected, m_live) == m_drawnState &&
        !m_model->items().empty())
        return; // nothing new (a process end comes with a record, which moves a live window; a paused one stays frozen)
    redraw();
}

void TimelineView::redraw()
{
    if (!m_model)
        return;
    const auto &items = m_model->items();
    QList<QList<QPointF>> points(kLanes);
    for (auto &v : m_markItems)
        v.clear();
    m_drawn.clear();
    struct Span {
        int item;
        double a, b;
    };
    std::vector<Span> spans;
    int marksLeftOut = 0, spansLeftOut = 0;
    int marks = 0;
    const double now = sessionSeconds();
    for (std::size_t i = 0; i < items.size(); ++i) {
        const auto &it = items[i];
        const double a = seconds(it.startNs);
        const double b = it.endNs ? seconds(it.endNs) : now;
        if (b < m_from || a > m_to)
            continue;
        const int lane = int(it.lane);
        if (marks >= kMaxMarks) {
            ++marksLeftOut;
            continue;
        }
        ++marks;
        points[lane].append(QPointF(a, laneY(it.lane)));
        m_markItems[std::size_t(lane)].push_back(int(i));
        m_drawn.push_back(int(i));
        if (b > a) {
            if (int(spans.size()) < kMaxSpans)
                spans.push_back({int(i), a, b});
            else
                ++spansLeftOut;
        }
    }
    for (int l = 0; l < kLanes; ++l)
        m_marks[std::size_t(l)]->replace(points[l]);

    // Bars and link lines are pooled series: created on demand, hidden when unused.
    auto pooled = [this](std::vector<QLineSeries *> &pool, std::size_t n) {
        while (pool.size() < n) {
            auto *s = new QLineSeries;
            m_chart->addSeries(s);
            s->attachAxis(m_x);
            s->attachAxis(m_y);
            pool.push_back(s);
        }
        return pool[n - 1];
    };
    std::size_t used = 0;
    for (const Span &s : spans) {
        QLineSeries *ser = pooled(m_spans, ++used);
        const int lane = int(items[std::size_t(s.item)].lane);
        QPen pen(laneColor(lane).lighter(130));
        pen.setWidth(7);
        pen.setCapStyle(Qt::FlatCap);
        ser->setPen(pen);
        const double y = laneY(TimelineModel::Lane(lane));
        ser->replace(QList<QPointF>{QPointF(s.a, y), QPointF(s.b, y)});
        ser->setVisible(true);
    }
    for (std::size_t i = used; i < m_spans.size(); ++i)
        m_spans[i]->setVisible(false);

    used = 0;
    int linksLeftOut = 0;
    for (const auto &l : m_model->links()) {
        const auto &from = items[std::size_t(l.from)];
        const auto &to = items[std::size_t(l.to)];
        const double a = seconds(from.startNs), b = seconds(to.startNs);
        if (std::max(a, b) < m_from || std::min(a, b) > m_to)
            continue;
        if (int(used) >= kMaxLinks) {
            ++linksLeftOut;
            continue;
        }
        QLineSeries *ser = pooled(m_links, ++used);
        QPen pen(QColor(90, 90, 90, l.role == QLatin1String("incidental") ? 70 : 170));
        pen.setStyle(Qt::DashLine);
        pen.setWidthF(1.2);
        ser->setPen(pen);
        ser->replace(QList<QPointF>{QPointF(a, laneY(from.lane)), QPointF(b, laneY(to.lane))});
        ser->setVisible(true);
    }
    for (std::size_t i = used; i < m_links.size(); ++i)
        m_links[i]->setVisible(false);
    m_linksDrawn = int(used);

    m_drawnState = std::make_tuple(items.size(), m_model->links().size(), m_from, m_to, m_selected, m_live);
    if (m_selected >= 0 && std::size_t(m_selected) < items.size()) {
        const auto &it = items[std::size_t(m_selected)];
        m_selectedMark->replace(QList<QPointF>{QPointF(seconds(it.startNs), laneY(it.lane))});
    } else {
        m_selectedMark->clear();
    }

    QString info = tr("%1 items, %2 links; showing %3–%4 s of %5 s (%6)")
                       .arg(items.size())
                       .arg(m_model->links().size())
                       .arg(m_from, 0, 'f', 2)
                       .arg(m_to, 0, 'f', 2)
                       .arg(now, 0, 'f', 2)
                       .arg(m_live ? tr("live") : tr("paused"));
    if (marksLeftOut || spansLeftOut || linksLeftOut)
        info += tr(" - not drawn in this window: %1 marks, %2 bars, %3 links (zoom in)")
                    .arg(marksLeftOut)
                    .arg(spansLeftOut)
                    .arg(linksLeftOut);
    if (m_model->eventItemsDropped())
        info += tr(" - %1 file/network marks over the timeline cap (see the events table)").arg(m_model->eventItemsDropped());
    if (m_selected >= 0 && std::size_t(m_selected) < items.size())
        info += QStringLiteral("\n") + tr("Selected: %1").arg(items[std::size_t(m_selected)].label.left(160));
    m_info->setText(info);
}

int TimelineView::itemAt(const QPoint &viewportPos) const
{
    if (!m_model)
        return -1;
    const QPointF chartPos = m_chart->mapFromScene(m_view->mapToScene(viewportPos));
    if (!m_chart->plotArea().contains(chartPos))
        return -1;
    const QPointF v = m_chart->mapToValue(chartPos, m_marks[0]);
    const int lane = kLanes - 1 - int(std::lround(v.y()));
    if (lane < 0 || lane >= kLanes)
        return -1;
    const double secondsPerPixel = (m_x->max() - m_x->min()) / std::max(1.0, m_chart->plotArea().width());
    const double tolerance = 8 * secondsPerPixel;
    const auto &items = m_model->items();
    int best = -1;
    double bestD = tolerance;
    for (int id : m_markItems[std::size_t(lane)]) {
        const auto &it = items[std::size_t(id)];
        const double a = seconds(it.startNs);
        const double b = it.endNs ? seconds(it.endNs) : sessionSeconds();
        const double d = v.x() < a ? a - v.x() : (v.x() > b ? v.x() - b : 0.0);
        if (d < bestD || (d == 0 && best < 0)) {
            best = id;
            bestD = d;
        }
    }
    return best;
}

bool TimelineView::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_view->viewport() && event->type() == QEvent::MouseButtonRelease) {
        const auto *me = static_cast<QMouseEvent *>(event);
        if (me->button() == Qt::LeftButton) {
            const int item = itemAt(me->position().toPoint());
            if (item >= 0)
                activateItem(item);
        }
    }
    return QWidget::eventFilter(watched, event);
}

void TimelineView::highlightItem(int item)
{
    m_selected = item;
    redraw();
}

void TimelineView::activateItem(int item)
{
    if (!m_model || item < 0 || std::size_t(item) >= m_model->items().size())
        return;
    m_selected = item;
    redraw();
    emit itemActivated(item);
}

} // namespace agentsight::ui
