"""Plain-text rendering of a SimulationResult for the terminal (CLI)."""

from __future__ import annotations

import textwrap

from simulations.result import SimulationResult


def _wrap(text: str, width: int, indent: str = "") -> str:
    return "\n".join(
        textwrap.fill(par, width=width, initial_indent=indent, subsequent_indent=indent) for par in text.split("\n") if par.strip()
    )


def _labelled(label: str, text: str, width: int) -> str:
    head = f"     {label + ':':<8}"
    return textwrap.fill(" ".join(text.split()), width=width, initial_indent=head, subsequent_indent=" " * len(head))


def outcome_table(result: SimulationResult, width: int = 100) -> str:
    lines = []
    for o in result.outcomes:
        mark = "WORKS" if o.works else "FAILS"
        lines.append(f"{o.letter}) [{mark}] {o.action}")
        if o.finding:
            lines.append(_labelled("found", o.finding, width))
        for c in o.criteria:
            lines.append(_labelled("PASS" if c.passed else "FAIL", c.says, width))
    return "\n".join(lines)


def render_text(result: SimulationResult, width: int = 100, timeline_limit: int = 15) -> str:
    parts = [result.title or result.name, "=" * min(width, len(result.title or result.name))]
    params = ", ".join(f"{k}={v}" for k, v in result.params.items())
    parts.append(f"parameters: {params}  seed: {result.seed}  preset: {result.preset}")
    if result.narrative:
        parts += ["", _wrap(result.narrative, width)]
    if result.outcomes:
        parts += ["", "Outcome per answer option" + (f" (question {result.question_id})" if result.question_id else ""), "-" * 25]
        parts.append(outcome_table(result, width))
    if result.key_numbers:
        parts += ["", "Key numbers", "-" * 11]
        for key, value in result.key_numbers.items():
            parts.append(f"  {key}: {_fmt(value)}")
    if result.timeline:
        parts += ["", "Timeline", "-" * 8]
        for event in result.timeline[:timeline_limit]:
            parts.append(f"  {event.time:>20}  {event.kind:<10} {event.text}")
        if len(result.timeline) > timeline_limit:
            parts.append(f"  ... {len(result.timeline) - timeline_limit} more events (see --json)")
    if result.artifacts:
        parts += ["", f"Artifacts ({len(result.artifacts)}; write them with --out DIR)"]
        for art in result.artifacts[:10]:
            parts.append(f"  {art.path}" + (f"  - {art.description}" if art.description else ""))
        if len(result.artifacts) > 10:
            parts.append(f"  ... {len(result.artifacts) - 10} more")
    return "\n".join(parts)


def _fmt(value) -> str:
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


# Each series of a chart gets its own colour and its own marker, so two series stay apart even
# without colour (a pipe, a monochrome terminal): the legend shows the marker too.
PLOT_COLORS = ("cyan", "magenta", "orange", "green", "red", "blue")
PLOT_MARKERS = ("•", "x", "+", "o", "*", "#")


def render_plots(result: SimulationResult, width: int = 100, height: int = 18, color: bool = True) -> str:
    """Draw each chart (series grouped by ``chart``) with plotext; returns the text.

    ``color=False`` strips the terminal colour codes (for pipes and files)."""
    import plotext as plt

    charts: dict[str, list] = {}
    for s in result.series:
        charts.setdefault(s.chart or s.name, []).append(s)
    out = []
    for title, series in charts.items():
        plt.clear_figure()
        plt.plotsize(width, height)
        plt.theme("clear")
        for index, s in enumerate(series):
            x = list(range(len(s.x))) if s.x and isinstance(s.x[0], str) else s.x
            look = {"color": PLOT_COLORS[index % len(PLOT_COLORS)], "marker": PLOT_MARKERS[index % len(PLOT_MARKERS)]}
            if s.kind == "line":
                plt.plot(x, s.y, label=s.name, **look)
            elif s.kind == "scatter":
                plt.scatter(x, s.y, label=s.name, **look)
            elif s.kind in ("bar", "histogram"):
                plt.bar([str(v) for v in s.x] if s.kind == "bar" else x, s.y, label=s.name, color=look["color"])
            if s.x and isinstance(s.x[0], str) and s.kind != "bar":
                step = max(1, len(s.x) // 8)
                plt.xticks(x[::step], s.x[::step])
        plt.title(title)
        plt.xlabel(series[0].x_label)
        plt.ylabel(series[0].y_label)
        chart = plt.build()
        out.append(chart if color else plt.uncolorize(chart))
    return "\n".join(out)
