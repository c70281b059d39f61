"""Simulation charts drawn with textual-plot: series grouped by ``Series.chart``, one tab per chart.

Importing this module imports textual_plot (and numpy), so screens import it only when
they have something to draw.
"""

from __future__ import annotations

import numbers

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static, TabbedContent, TabPane
from textual_plot import HiResMode, LegendLocation, PlotWidget

from quizapp.ui.text import clean

COLORS = ("cyan", "magenta", "yellow", "green", "red", "dodger_blue1", "orange1", "white")
MARKERS = ("•", "x", "+", "o", "*", "#")  # scatter markers, one per series of a chart
LINE_MODES = (HiResMode.BRAILLE, HiResMode.QUADRANT, HiResMode.HALFBLOCK)  # line textures, one per series


def group_series(series) -> dict[str, list]:
    groups: dict[str, list] = {}
    for s in series:
        groups.setdefault(s.chart or s.name, []).append(s)
    return groups


def _numeric(values) -> bool:
    return all(isinstance(v, numbers.Real) and not isinstance(v, bool) for v in values)


def draw(plot: PlotWidget, series: list) -> None:
    """Draw ``series`` (sharing axes) on a mounted PlotWidget."""
    for index, s in enumerate(series):
        color = COLORS[index % len(COLORS)]
        label = clean(s.name)
        x = list(s.x) if _numeric(s.x) else list(range(len(s.x)))
        y = [float("nan") if v is None else v for v in s.y]
        if s.kind in ("bar", "histogram"):
            categorical = not _numeric(s.x)
            plot.bar([clean(v) for v in s.x] if categorical else x, y, bar_style=color, label=label)
        elif s.kind == "scatter":
            plot.scatter(x, y, marker=MARKERS[index % len(MARKERS)], marker_style=color, label=label)
        else:
            plot.plot(x, y, line_style=color, hires_mode=LINE_MODES[index % len(LINE_MODES)], label=label)
    values = [float(v) for s in series for v in s.y if isinstance(v, numbers.Real) and v == v]
    if values:  # every series visible, bars from zero
        low, high = min(0.0, min(values)), max(values)
        plot.set_ylimits(low, high + (high - low) * 0.05 or 1.0)
    first = series[0]
    if first.x_label:
        plot.set_xlabel(clean(first.x_label) + ("" if _numeric(first.x) else " (index)"))
    if first.y_label:
        plot.set_ylabel(clean(first.y_label))
    if len(series) > 1:
        plot.show_legend(LegendLocation.TOPLEFT)


class ChartPanel(Vertical):
    """All charts of a result; with several charts, a TabbedContent selects one."""

    def __init__(self, series, **kwargs) -> None:
        super().__init__(**kwargs)
        self.groups = group_series(series)

    def compose(self) -> ComposeResult:
        if not self.groups:
            yield Static("This simulation has no charts.", markup=False)
            return
        if len(self.groups) == 1:
            title = next(iter(self.groups))
            yield Static(Content(clean(title)), classes="chart-title")
            yield PlotWidget(id="chart-0", classes="chart")
            return
        with TabbedContent(id="chart-tabs"):
            for index, title in enumerate(self.groups):
                with TabPane(Content(clean(title)), id=f"chart-pane-{index}"):
                    yield PlotWidget(id=f"chart-{index}", classes="chart")

    def on_mount(self) -> None:
        for index, series in enumerate(self.groups.values()):
            draw(self.query_one(f"#chart-{index}", PlotWidget), series)
