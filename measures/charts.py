"""Chart data for a measure: its values against the target, as a Plotly figure dict."""

from collections.abc import Iterable

from measures import spc
from measures.models import Measure, MeasureValue


def _f(value) -> float:
    return float(value)


def measure_trend(measure: Measure, values: Iterable[MeasureValue]) -> dict | None:
    """Values over time, the baseline, the target line and the trajectory to the target.

    None when there is nothing to draw (no values and no baseline with a period).
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
                "text": [v.period_text or v.period_end.isoformat() for v in values],
                "hovertemplate": "%{text}: %{y}<extra>Reported value</extra>",
                "marker": {"symbol": "circle", "size": 9, "color": "#005eb8"},
                "line": {"color": "#005eb8", "width": 2},
            }
        )
    dates = [v.period_end for v in values]
    if has_baseline:
        dates.append(measure.baseline_period)
        traces.append(
            {
                "type": "scatter",
                "mode": "markers",
                "name": "Baseline",
                "x": [measure.baseline_period.isoformat()],
                "y": [_f(measure.baseline_value)],
                "text": [measure.baseline_period_text or measure.baseline_period.isoformat()],
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
        if has_baseline and measure.target_date:
            traces.append(
                {
                    "type": "scatter",
                    "mode": "lines",
                    "name": "Trajectory to target",
                    "x": [measure.baseline_period.isoformat(), measure.target_date.isoformat()],
                    "y": [_f(measure.baseline_value), target],
                    "hovertemplate": "Trajectory: %{y:.3~f} at %{x|%-d %b %Y}<extra></extra>",
                    "line": {"color": "#768692", "dash": "dot", "width": 2},
                }
            )
    return {
        "data": traces,
        "layout": {
            "height": 360,
            "margin": {"l": 60, "r": 20, "t": 30, "b": 50},
            "xaxis": {"type": "date", "title": {"text": "Period end"}},
            "yaxis": {"title": {"text": unit}, "rangemode": "tozero"},
            "legend": {"orientation": "h", "y": 1.15},
        },
    }


# Making Data Count colours: blue improvement, orange concern, grey common cause; each also
# has its own marker shape, so the chart does not rely on colour.
VERDICT_STYLE = {
    "improvement": ("Special cause: improvement", "#005eb8", "triangle-up"),
    "concern": ("Special cause: concern", "#ed8b00", "x"),
    "neither": ("Special cause: neither", "#7c2855", "diamond"),
    None: ("Common cause", "#768692", "circle"),
}


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
                "text": [spc.RULE_NAMES[p.rule] if p.rule else "Common cause" for p in points],
                "hovertemplate": "%{x|%-d %b %Y}: %{y}<br>%{text}<extra></extra>",
                "marker": {
                    "color": colour,
                    "symbol": symbol,
                    "size": 10,
                    "line": {"color": "#1d1d1b", "width": 1},
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
    return {
        "data": traces,
        "layout": {
            "height": 440,
            "margin": {"l": 60, "r": 20, "t": 20, "b": 130},
            "xaxis": {"type": "date", "title": {"text": "Period end"}},
            "yaxis": {"title": {"text": measure.get_unit_display()}},
            "legend": {"orientation": "h", "y": -0.25, "yanchor": "top"},
        },
    }
