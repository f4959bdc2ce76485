"""Chart data for a measure: its values against the target, as a Plotly figure dict."""

import datetime as dt
from collections.abc import Iterable

from measures import spc
from measures.models import Measure, MeasureValue
from strategy_tracker.chart_text import literal
from strategy_tracker.dates import short_day


def _f(value) -> float:
    return float(value)


def date_axis(dates: list[dt.date], title: str) -> dict:
    """A date axis in months and years. With the dates close together (one value, say),
    Plotly would zoom to milliseconds; half a year either side keeps the scale readable."""
    axis = {
        "type": "date",
        "title": {"text": title},
        "tickformat": "%b %Y",
        "hoverformat": "%-d %b %Y",
        "automargin": True,
    }
    if dates and (max(dates) - min(dates)).days < 180:
        axis["range"] = [
            _padded(min(dates), -183).isoformat(),
            _padded(max(dates), 183).isoformat(),
        ]
    return axis


def _padded(day: dt.date, days: int) -> dt.date:
    """`days` from `day`, or the calendar's end: a measure saved before its dates were checked
    (strategy_tracker/plausible_dates.py) may have one in year 1 or 9999."""
    try:
        return day + dt.timedelta(days=days)
    except OverflowError:
        return dt.date.max if days > 0 else dt.date.min


def measure_trend(measure: Measure, values: Iterable[MeasureValue]) -> dict | None:
    """Values over time, the baseline, the target line and the trajectory to the target.

    None when there is nothing to draw (no values and no baseline with a period). A value
    reported for the baseline's own period is the baseline: it is drawn once, as a value.
    """
    values = list(values)
    has_baseline = measure.baseline_value is not None and measure.baseline_period is not None
    if not values and not has_baseline:
        return None
    unit = measure.get_unit_display()
    traces = []
    if values:
        traces.append(
            {
                "type": "scatter",
                "mode": "lines+markers",
                "name": "Reported value",
                "x": [v.period_end.isoformat() for v in values],
                "y": [_f(v.value) for v in values],
                "text": [
                    literal(v.period_text or v.period_end.isoformat())
                    + (" (baseline)" if v.period_end == measure.baseline_period else "")
                    for v in values
                ],
                "hovertemplate": "%{text}: %{y}<extra>Reported value</extra>",
                "marker": {"symbol": "circle", "size": 9, "color": "#005eb8"},
                "line": {"color": "#005eb8", "width": 2},
            }
        )
    dates = [v.period_end for v in values]
    reported_periods = set(dates)
    if has_baseline:
        dates.append(measure.baseline_period)
    if has_baseline and measure.baseline_period not in reported_periods:
        traces.append(
            {
                "type": "scatter",
                "mode": "markers",
                "name": "Baseline",
                "x": [measure.baseline_period.isoformat()],
                "y": [_f(measure.baseline_value)],
                "text": [
                    literal(measure.baseline_period_text or measure.baseline_period.isoformat())
                ],
                "hovertemplate": "Baseline %{text}: %{y}<extra></extra>",
                "marker": {
                    "symbol": "star",
                    "size": 16,
                    "color": "#ffb81c",
                    "line": {"color": "#1d1d1b", "width": 1},
                },
            }
        )
    if measure.target_value is not None:
        if measure.target_date:
            dates.append(measure.target_date)
        start, end = min(dates).isoformat(), max(dates).isoformat()
        target = _f(measure.target_value)
        traces.append(
            {
                "type": "scatter",
                "mode": "lines",
                "name": "Target",
                "x": [start, end],
                "y": [target, target],
                "hovertemplate": "Target: %{y}<extra></extra>",
                "line": {"color": "#1d1d1b", "dash": "dash", "width": 2},
            }
        )
    path = measure.trajectory_path()
    if path is not None:
        traces.append(
            {
                "type": "scatter",
                "mode": "lines+markers" if len(path.points) > 2 else "lines",
                "name": "Trajectory to target",
                "x": [d.isoformat() for d, _ in path.points],
                "y": [_f(v) for _, v in path.points],
                "hovertemplate": "Trajectory: %{y:.3~f} at %{x|%-d %b %Y}<extra></extra>",
                "line": {"color": "#505a5f", "dash": "dot", "width": 2},
                "marker": {"symbol": "line-ew-open", "size": 10, "color": "#505a5f"},
            }
        )
    return {
        "data": traces,
        "layout": {
            "height": 360,
            "margin": {"l": 60, "r": 20, "t": 30, "b": 50},
            "xaxis": date_axis(dates, "Period end"),
            "yaxis": {"title": {"text": literal(unit)}, "rangemode": "tozero", "automargin": True},
            "legend": {"orientation": "h", "y": 1.15},
        },
        # Merged into the layout by static/js/charts.js when the chart is narrow (a phone).
        "narrow": {"margin": {"l": 45, "r": 10, "t": 60, "b": 50}, "legend": {"y": 1.3}},
    }


# Making Data Count colours: blue improvement, orange concern, purple neither, grey common
# cause. Each also has its own marker shape and a dark outline, so a point's meaning never
# rests on colour, and its hover text says it in words.
VERDICT_STYLE = {
    "improvement": ("Special cause: improvement", "#289de0", "triangle-up"),
    "concern": ("Special cause: concern", "#fab428", "square"),
    "neither": ("Special cause: neither", "#361475", "diamond"),
    None: ("Common cause", "#7b7d7d", "circle"),
}


def point_meaning(point: spc.Point) -> str:
    """What a point of an SPC chart means, in words: "Special cause: concern (Shift)"."""
    if point.rule is None:
        return "Common cause"
    return f"{VERDICT_STYLE[point.verdict][0]} ({spc.RULE_NAMES[point.rule]})"


def spc_chart(measure: Measure, result: spc.SpcResult) -> dict | None:
    """An XmR chart: the points by classification, mean, process and near limits, target."""
    if not result.points:
        return None
    x = [p.period.isoformat() for p in result.points]
    traces = [
        {
            "type": "scatter",
            "mode": "lines",
            "name": "Values",
            "x": x,
            "y": [p.value for p in result.points],
            "line": {"color": "#aeb7bd", "width": 1.5},
            "hoverinfo": "skip",
            "showlegend": False,
        }
    ]
    for verdict, (name, colour, symbol) in VERDICT_STYLE.items():
        points = [p for p in result.points if p.verdict == verdict]
        if not points:
            continue
        traces.append(
            {
                "type": "scatter",
                "mode": "markers",
                "name": name,
                "x": [p.period.isoformat() for p in points],
                "y": [p.value for p in points],
                "text": [point_meaning(p) for p in points],
                # A year's or a one-off period's figure by its own words, not a day.
                "customdata": [
                    literal(result.wordings.get(p.period) or short_day(p.period)) for p in points
                ],
                "hovertemplate": "%{customdata}: %{y}<br>%{text}<extra></extra>",
                "marker": {
                    "color": colour,
                    "symbol": symbol,
                    "size": 11,
                    "line": {"color": "#1d1d1b", "width": 1.5},
                },
            }
        )
    if result.left_out:
        traces.append(
            {
                "type": "scatter",
                "mode": "markers",
                "name": "Not in the SPC series",
                "x": [v.period_end.isoformat() for v in result.left_out],
                "y": [float(v.value) for v in result.left_out],
                "text": [literal(v.why) for v in result.left_out],
                "hovertemplate": "%{x|%-d %b %Y}: %{y}<br>Kept out of the limits: %{text}"
                "<extra></extra>",
                # An open symbol is drawn in the marker's colour: dark, so it shows on white.
                "marker": {
                    "color": "#505a5f",
                    "symbol": "circle-open-dot",
                    "size": 12,
                    "line": {"width": 2},
                },
            }
        )
    if not result.run_chart_only:
        for name, attr, dash, colour in [
            ("Mean", "mean", "solid", "#1d1d1b"),
            ("Upper process limit", "upper", "dash", "#505a5f"),
            ("Lower process limit", "lower", "dash", "#505a5f"),
            ("Near limits (2σ)", "near_upper", "dot", "#768692"),
            ("Near limits (2σ) lower", "near_lower", "dot", "#768692"),
        ]:
            traces.append(
                {
                    "type": "scatter",
                    "mode": "lines",
                    "name": name,
                    "x": x,
                    "y": [getattr(p, attr) for p in result.points],
                    "line": {"color": colour, "dash": dash, "width": 1.5, "shape": "hv"},
                    "hovertemplate": f"{name}: %{{y:.3~f}}<extra></extra>",
                    "showlegend": attr != "near_lower",
                }
            )
    if result.target is not None:
        traces.append(
            {
                "type": "scatter",
                "mode": "lines",
                "name": "Target",
                "x": [x[0], x[-1]],
                "y": [result.target, result.target],
                "line": {"color": "#d5281b", "dash": "dashdot", "width": 2},
                "hovertemplate": "Target: %{y}<extra></extra>",
            }
        )
    dates = [p.period for p in result.points] + [v.period_end for v in result.left_out]
    return {
        "data": traces,
        "layout": {
            "height": 440,
            "margin": {"l": 60, "r": 20, "t": 20, "b": 130},
            "xaxis": date_axis(dates, "Period end"),
            "yaxis": {"title": {"text": literal(measure.get_unit_display())}, "automargin": True},
            "legend": {"orientation": "h", "y": -0.25, "yanchor": "top"},
        },
        "narrow": {"height": 520, "margin": {"l": 45, "r": 10, "t": 20, "b": 210}},
    }
