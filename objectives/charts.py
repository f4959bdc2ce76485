"""Chart data for strategy pages, as Plotly figure dicts handed to the page with the json_data
filter (Django's json_script, faster)."""

import datetime as dt

from objectives.progress import Item
from strategy_tracker.chart_text import literal
from strategy_tracker.status import DISPLAY_ORDER, Rag

RAG_COLOURS = {
    Rag.RED: "#d5281b",
    Rag.AMBER: "#ffb81c",
    Rag.GREEN: "#007f3b",
    Rag.BLUE: "#005eb8",
    Rag.GREY: "#768692",
}
# Plotly marker shapes that match the badges' symbols, so colour is never the only signal.
RAG_MARKERS = {
    Rag.RED: "x",
    Rag.AMBER: "triangle-up",
    Rag.GREEN: "circle",
    Rag.BLUE: "diamond",
    Rag.GREY: "line-ew-open",
}


def _short(text: str, length: int = 45) -> str:
    """Shortened for a label, and literal: Plotly would read markup in it."""
    text = text if len(text) <= length else text[: length - 1].rstrip() + "…"
    return literal(text)


# A hover label's longest line: wider, it runs off a phone's screen (390 px), as Plotly
# does not wrap it.
HOVER_LINE = 42


def _two_lines(text: str) -> str:
    """The text broken once at a space so that neither line is much over HOVER_LINE; a
    title is cut to 80 characters first, so two lines hold it."""
    if len(text) <= HOVER_LINE:
        return text
    cut = text.rfind(" ", 0, HOVER_LINE + 1)
    if cut <= 0:
        return text
    return f"{text[:cut]}<br>{text[cut + 1 :]}"


def _at_least_weeks(rows, today_iso: str) -> dict:
    """An axis range of at least four weeks around the due dates and today, so the ticks
    fall a day or more apart (a milestone due tomorrow had ticks every three hours, each
    labelled with the same day)."""
    days = [item.obj.due_date for _, item in rows if item.obj.due_date]
    days.append(dt.date.fromisoformat(today_iso))
    first, last = min(days), max(days)
    if (last - first).days >= 28:
        return {}
    middle = first + (last - first) / 2
    return {
        "range": [
            (middle - dt.timedelta(days=14)).isoformat(),
            (middle + dt.timedelta(days=14)).isoformat(),
        ]
    }


def _due_words(points: list[tuple[str, Item]]) -> dict:
    """The document's own words beside each day read from them ("Due 31 Mar 2024 (“in Year
    1”)"), as the tables give them; nothing for a trace whose milestones have none."""
    words = [item.obj.due_text for _, item in points]
    if not any(words):
        return {}
    return {
        "customdata": [f" (“{literal(text)}”)" if text else "" for text in words],
        "hovertemplate": "%{text}<br>Due %{x|%-d %b %Y}%{customdata}<extra></extra>",
    }


def milestone_timeline(
    rows: list[tuple[str, Item]], today_iso: str, short_labels: dict[str, str] | None = None
) -> dict:
    """Due dates by priority, coloured and shaped by RAG. `rows` pairs a row label with an item;
    `short_labels` names each row on a narrow screen (a phone), where long labels leave the
    chart no room."""
    traces = []
    labels = []
    for label, _ in rows:
        if label not in labels:
            labels.append(label)
    for rag in DISPLAY_ORDER:
        points = [(label, item) for label, item in rows if item.status.rag == rag]
        points = [(label, item) for label, item in points if item.obj.due_date]
        if not points:
            continue
        traces.append(
            {
                "type": "scatter",
                "mode": "markers",
                "name": rag.label,
                "x": [item.obj.due_date.isoformat() for _, item in points],
                "y": [_short(label) for label, _ in points],
                "text": [
                    f"{_two_lines(_short(item.obj.title, 80))}<br>"
                    f"{_two_lines(literal(item.status.text))}"
                    for _, item in points
                ],
                "hovertemplate": "%{text}<br>Due %{x|%-d %b %Y}<extra></extra>",
                "marker": {
                    "color": RAG_COLOURS[rag],
                    "symbol": RAG_MARKERS[rag],
                    "size": 12,
                    "line": {"color": "#1d1d1b", "width": 1},
                },
            }
            | _due_words(points)
        )
    categories = [_short(label) for label in reversed(labels)]
    short_labels = short_labels or {}
    return {
        "data": traces,
        # Merged into the layout by static/js/charts.js when the chart is narrow.
        "narrow": {
            "margin": {"l": 10, "r": 10, "t": 90, "b": 40},
            "yaxis": {
                "tickvals": categories,
                "ticktext": [
                    literal(short_labels[label]) if label in short_labels else _short(label, 12)
                    for label in reversed(labels)
                ],
            },
            "legend": {"orientation": "h", "y": 1.12, "yanchor": "bottom"},
        },
        "layout": {
            "height": 140 + 45 * max(len(labels), 1),
            "margin": {"l": 320, "r": 20, "t": 30, "b": 40},
            "xaxis": {
                "type": "date",
                "title": {"text": "Due date"},
                # Days once ticks are closer than a month: "%b %Y" alone repeated "Dec 2026"
                # under weekly ticks on a timeline of a few months.
                "tickformatstops": [
                    {"dtickrange": [None, "M1"], "value": "%-d %b %Y"},
                    {"dtickrange": ["M1", None], "value": "%b %Y"},
                ],
                # Never ticks closer than a day: due dates have no time of day.
                **_at_least_weeks(rows, today_iso),
            },
            "yaxis": {
                "type": "category",
                "categoryorder": "array",
                "categoryarray": categories,
                "automargin": True,
            },
            # Shown with one status too (Plotly hides a legend of one trace): the key to
            # what each marker's shape and colour mean.
            "showlegend": True,
            # A key, not a switch: clicking a status hid its markers and left no sign why.
            "legend": {
                "orientation": "h",
                "y": 1.02,
                "yanchor": "bottom",
                "itemclick": False,
                "itemdoubleclick": False,
            },
            "shapes": [
                {
                    "type": "line",
                    "xref": "x",
                    "yref": "paper",
                    "x0": today_iso,
                    "x1": today_iso,
                    "y0": 0,
                    "y1": 1,
                    "line": {"color": "#1d1d1b", "dash": "dot", "width": 1},
                }
            ],
            "annotations": [
                {
                    "x": today_iso,
                    "y": 1,
                    "xref": "x",
                    "yref": "paper",
                    "text": "Today",
                    "showarrow": False,
                    # Inside the plot, right of the line: above it the legend would cover it.
                    "yanchor": "top",
                    "xanchor": "left",
                }
            ],
        },
    }
