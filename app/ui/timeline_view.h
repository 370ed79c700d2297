// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/**
 * @brief Bottom pane: the correlated timeline drawn with Qt Charts - one lane
 * per TimelineModel::Lane, bars for spans (LLM calls, tool calls, processes),
 * dots for instant marks (files, network), dashed lines for the causal links
 * from a tool call to its actions.
 *
 * Live mode follows the present; Pause freezes the visible range while data
 * keeps arriving; the scrubber moves the window over the whole session and
 * the zoom slider sets its width. Clicking a mark selects its item
 * (itemActivated) so the main window selects the same thing everywhere.
 *
 * Limits (Qt Charts draws every series item as a graphics item): at most
 * kMaxMarks dots, kMaxSpans bars and kMaxLinks link lines inside the visible
 * window are drawn; how many were left out is shown under the chart.
 */
#include <QWidget>

#include <tuple>
#include <utility>
#include <vector>

class QChart;
class QChartView;
class QLabel;
class QLineSeries;
class QPushButton;
class QScatterSeries;
class QSlider;
class QValueAxis;
class QCategoryAxis;

namespace agentsight::models {
class SessionData;
class TimelineModel;
}

namespace agentsight::ui {

class TimelineView : public QWidget {
    Q_OBJECT
public:
    static constexpr int kMaxMarks = 2000;
    static constexpr int kMaxSpans = 300;
    static constexpr int kMaxLinks = 300;

    explicit TimelineView(QWidget *parent = nullptr);
    void setModel(models::TimelineModel *model, const models::SessionData *data);

    bool isLive() const { return m_live; }
    void setLive(bool live);
    /// Visible window in seconds since the session's first event.
    std::pair<double, double> visibleRange() const { return {m_from, m_to}; }
    QSlider *scrubber() const { return m_scrub; }
    QSlider *zoom() const { return m_zoom; }
    QPushButton *liveButton() const { return m_liveButton; }
    QChartView *chartView() const { return m_view; }
    int selectedItem() const { return m_selected; }
    /// Highlight an item (no itemActivated); -1 clears.
    void highlightItem(int item);
    /// Select an item as if clicked: highlight, bring into view, emit itemActivated.
    void activateItem(int item);
    int linksDrawn() const { return m_linksDrawn; }
    /// The dots of one lane (TimelineModel::Lane as int).
    QScatterSeries *laneSeries(int lane) const { return m_marks[std::size_t(lane)]; }
    /// Items of the visible window that were drawn, in lane order (tests, screenshots).
    const std::vector<int> &drawnItems() const { return m_drawn; }

public slots:
    /// Redraw for new data (the main window's UI tick).
    void refresh();

signals:
    void itemActivated(int item);

private:
    double seconds(uint64_t ns) const;
    double sessionSeconds() const;
    void updateRange();
    void redraw();
    /// Nearest drawn item to a click on the plot: same lane, within a few pixels of a mark or inside a bar.
    int itemAt(const QPoint &viewportPos) const;
    bool eventFilter(QObject *watched, QEvent *event) override;

    models::TimelineModel *m_model = nullptr;
    const models::SessionData *m_data = nullptr;
    QChart *m_chart;
    QChartView *m_view;
    QValueAxis *m_x;
    QCategoryAxis *m_y;
    std::vector<QScatterSeries *> m_marks;       ///< per lane
    std::vector<std::vector<int>> m_markItems;  ///< per lane: item of each point
    QScatterSeries *m_selectedMark;
    std::vector<QLineSeries *> m_spans, m_links;
    QPushButton *m_liveButton;
    QSlider *m_scrub, *m_zoom;
    QLabel *m_info;
    bool m_live = true;
    bool m_updatingSliders = false;
    double m_from = 0, m_to = 1;
    int m_selected = -1;
    int m_linksDrawn = 0;
    std::vector<int> m_drawn;
    /// What the last redraw showed: an idle live view does not repaint every tick.
    std::tuple<std::size_t, std::size_t, double, double, int, bool> m_drawnState{};
};

} // namespace agentsight::ui
