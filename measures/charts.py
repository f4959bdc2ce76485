"""Chart data for a measure: its values against the target, as a Plotly figure dict."""

from collections.abc import Iterable

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
