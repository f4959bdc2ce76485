"""A measure's SPC chart in a board report, drawn as inline SVG when its quarter closes: what
the chart needs is kept in the snapshot (`chart_data`), and so is the chart drawn from it
(`figure`, SnapshotItem.chart_figure), so the HTML page and the PDF show the same vector chart
with no script and no network, and a later restatement never redraws a closed quarter. Drawn
once rather than on every view: a trust's report shows about fifty charts, and drawing them
was a sixth of the page's time. A change to how charts are drawn reaches closed quarters only
through a migration that redraws them, as reporting/migrations/0010_snapshot_chart_figure.py
drew the quarters closed before figures were kept.

One chart serves as trend and SPC chart: the values over time with their mean and process
limits, each point's shape and colour saying what Making Data Count rules found, and the
target. Its text alternative (`summary`) says the same in words."""

import datetime as dt
import math
from dataclasses import dataclass, field

from django.utils.safestring import SafeString, mark_safe

from measures.charts import VERDICT_STYLE
from measures.periods import own_wording, period_words
from measures.spc import SpcResult
from strategy_tracker.dates import SHORT_MONTHS
from strategy_tracker.escaping import esc
from strategy_tracker.numbers import money_or_number
from strategy_tracker.templatetags.tracker import with_unit

# Two years of monthly figures, as board papers show them; older points leave the chart, not
# the limits.
MAX_POINTS = 24
MAX_SIGNALS = 3  # the latest, in words; the measure's page lists every one
MAX_LEFT_OUT = 3  # values of another period type named in words; the rest counted
WIDTH, HEIGHT = 640, 210
LEFT, RIGHT, TOP, BOTTOM = 58, 14, 12, 30

# Each meaning has its own shape as well as colour, so the chart never relies on colour alone.
SHAPES = {
    "improvement": "m0 -5.5l5 9h-10z",  # triangle
    "concern": "m-4 -4h8v8h-8z",  # square
    "neither": "m0 -5.5l5 5.5l-5 5.5l-5 -5.5z",  # diamond
    None: "m-3.5 0a3.5 3.5 0 1 0 7 0a3.5 3.5 0 1 0 -7 0",  # circle
}


# The same shapes as characters, for the legend beside the chart.
GLYPHS = {"improvement": "▲", "concern": "■", "neither": "◆", None: "●"}


def mark(x: float, y: float, verdict: str | None) -> str:
    """An SVG path drawing a point's shape centred on (x, y)."""
    return f"M{x} {y}{SHAPES[verdict]}"


def chart_data(spc: SpcResult | None, target, wordings: dict[dt.date, str] | None = None) -> dict:
    """What the chart needs, as JSON: empty when the measure has no values. `wordings`: each
    figure's period as its source gave it (period_text), by its period end: a year's or a
    one-off period's own wording names its point, not the month it ends (periods.own_wording)."""
    if spc is None or not spc.points:
        return {}
    points = spc.points[-MAX_POINTS:]
    wordings = wordings or {}
    own = {p.period.isoformat(): own_wording(wordings.get(p.period, "")) for p in points}
    # The signals in the charted points, latest last: the latest few said in words.
    signals = sorted(
        (s for s in spc.signals if s.end >= points[0].period), key=lambda s: (s.end, s.start)
    )
    return {
        "total": len(spc.points),
        "run_chart_only": spc.run_chart_only,
        "target": None if target is None else float(target),
        "points": [
            [
                p.period.isoformat(),
                p.value,
                p.mean,
                p.upper,
                p.lower,
                p.verdict if p.rule else None,
            ]
            for p in points
        ],
        "signals": [s.text for s in signals[-MAX_SIGNALS:]],
        "more_signals": len(spc.signals) - len(signals[-MAX_SIGNALS:]),
        "wordings": {day: words for day, words in own.items() if words},
        **_left_out(getattr(spc, "left_out", [])),
    }


BREAK = "before a break"  # how measures.periods says why a value precedes the charted run


def _left_out(values: list) -> dict:
    """The values the chart does not draw (one period type per chart: measures.periods), so
    its words name them: each of another period type (a year's figure among quarterly ones),
    as [period end, value, period in words, why]; and the count and span of those before a
    break in the series."""
    other = [v for v in values if not v.why.startswith(BREAK)]
    earlier = [v for v in values if v.why.startswith(BREAK)]
    kept = {}
    if other:
        kept["left_out"] = [
            [
                v.period_end.isoformat(),
                float(v.value),
                period_words(v.period_end, v.period_text),
                v.why,
            ]
            for v in other
        ]
    if earlier:
        first, last = earlier[0], earlier[-1]
        kept["before_break"] = [
            len(earlier),
            period_words(first.period_end, first.period_text),
            period_words(last.period_end, last.period_text),
        ]
    return kept


@dataclass
class Drawing:
    width: int = WIDTH
    height: int = HEIGHT
    line: str = ""  # the values' polyline
    marks: list[dict] = field(default_factory=list)  # each point: x, y, shape, colour, meaning
    levels: list[dict] = field(default_factory=list)  # mean, limits, target: segments
    y_ticks: list[dict] = field(default_factory=list)
    x_ticks: list[dict] = field(default_factory=list)
    legend: list[dict] = field(default_factory=list)
    plot: str = ""  # all of the above as SVG: a report draws thousands of marks
    has_mean: bool = False
    has_limits: bool = False
    has_target: bool = False
    summary: str = ""


MOST_TICKS = 12


def _nice_ticks(low: float, high: float, count: int = 4) -> list[float]:
    """Round values from at or below `low` to at or above `high`, about `count` steps apart.
    A range too small to tell from rounding (a flat series whose mean is a hair off its
    values) is widened first, and the ticks are counted, never stepped to: adding a step
    smaller than the values' precision would never reach `high`."""
    if high - low <= 1e-9 * max(1.0, abs(high), abs(low)):
        middle = (high + low) / 2
        half = max(1.0, abs(middle) * 0.1)
        low, high = middle - half, middle + half
    step = (high - low) / count
    magnitude = 10 ** math.floor(math.log10(step))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= step)
    start = math.floor(low / step) * step
    steps = min(MOST_TICKS - 1, math.ceil((high - start) / step - 1e-9))
    return [round(start + i * step, 10) for i in range(steps + 1)]


def _segments(xs: list[float], values: list[float | None]) -> list[tuple[float, float, float]]:
    """Runs of one level (a mean or limit is constant until the limits are rebased)."""
    runs: list[tuple[float, float, float]] = []
    for x, value in zip(xs, values, strict=True):
        if value is None:
            continue
        if runs and runs[-1][2] == value:
            runs[-1] = (runs[-1][0], x, value)
        else:
            runs.append((x, x, value))
    return runs


def drawing(chart: dict, unit: str) -> Drawing | None:
    """Coordinates for a report's chart (report_parts.spc_charts); None when there is nothing
    to draw. Written for speed as well as sense: a trust's report draws about fifty charts on
    every view."""
    points = chart.get("points") or []
    if not points:
        return None
    values = [p[1] for p in points]
    target = chart.get("target")
    levels = [v for p in points for v in p[2:5] if v is not None]
    everything = values + levels + ([target] if target is not None else [])
    ticks = _nice_ticks(min(everything), max(everything))
    high = ticks[-1]
    scale = (HEIGHT - TOP - BOTTOM) / (high - ticks[0])
    step = (WIDTH - LEFT - RIGHT) / (len(points) - 1) if len(points) > 1 else None

    def y(value: float) -> float:
        return round(TOP + scale * (high - value), 1)

    if step is None:
        xs = [round(LEFT + (WIDTH - LEFT - RIGHT) / 2, 1)]
    else:
        xs = [round(LEFT + step * i, 1) for i in range(len(points))]
    ys = [y(v) for v in values]
    months = [_when(chart, p[0]) for p in points]
    d = Drawing()
    d.line = " ".join(f"{px},{py}" for px, py in zip(xs, ys, strict=True))
    d.y_ticks = [
        {"y": y(t), "label": label} for t, label in zip(ticks, _tick_labels(ticks), strict=True)
    ]
    shown = sorted({0, len(points) // 2, len(points) - 1})
    d.x_ticks = [{"x": xs[i], "label": months[i]} for i in shown]
    for name, column, style in (
        ("Mean", 2, "mean"),
        ("Process limit", 3, "limit"),
        ("Process limit", 4, "limit"),
    ):
        for x1, x2, value in _segments(xs, [p[column] for p in points]):
            d.levels.append({"x1": x1, "x2": x2, "y": y(value), "style": style, "name": name})
    if target is not None:
        d.levels.append({"x1": LEFT, "x2": WIDTH - RIGHT, "y": y(target), "style": "target"})
    d.marks = [
        {
            "d": f"M{px} {py}{SHAPES[p[5]]}",
            "colour": VERDICT_STYLE[p[5]][1],
            "title": f"{month}: {_num(p[1])} ({MEANINGS[p[5]]})",
        }
        for px, py, p, month in zip(xs, ys, points, months, strict=True)
    ]
    d.plot = _plot_svg(d)
    found = {point[5] for point in points}
    d.legend = [
        {"glyph": GLYPHS[v], "key": v or "common", "label": VERDICT_STYLE[v][0]}
        for v in (None, "improvement", "concern", "neither")
        if v in found
    ]
    d.has_mean = any(p[2] is not None for p in points)
    d.has_limits = any(p[3] is not None for p in points)
    d.has_target = target is not None
    d.summary = summary(chart, unit)
    return d


MEANINGS = {verdict: style[0].lower() for verdict, style in VERDICT_STYLE.items()}


def _when(chart: dict, iso_day: str) -> str:
    """A point's period: its source's own wording, kept with the chart, or its month."""
    return chart.get("wordings", {}).get(iso_day) or _month(iso_day)


def _month(iso_day: str) -> str:
    """ "2024-09-30" → "Sep 2024", as month_year writes it, without making a date."""
    return f"{SHORT_MONTHS[int(iso_day[5:7]) - 1]} {iso_day[:4]}"


def _short(value: float, unit: str = "") -> str:
    """A mean or limit to four significant figures: 80.13 for 80.1333…; money with its £."""
    return money_or_number(float(f"{value:.4g}"), unit)


def _num(value: float) -> str:
    """A chart's number as the rest of the site writes it (1,182; 23.2), made quickly."""
    return f"{int(value):,}" if value == int(value) else f"{value:,}"


# The widest axis label that fits left of the axis ("250,000"; "1,800,000" lost its first
# digit on the page and in the PDF).
WIDEST_TICK = 7


def _tick_labels(ticks: list[float]) -> list[str]:
    """The axis labels as the site writes numbers, or in millions ("1.8m") where those are too
    wide, with as many decimals as it takes to tell each gridline from the next."""
    plain = [_num(t) for t in ticks]
    # Only a figure of a million or more is wide enough to write in millions: small ones
    # ("0.000125") would all read "0m".
    if max(map(len, plain), default=0) <= WIDEST_TICK or max(map(abs, ticks)) < 1_000_000:
        return plain
    millions = [t / 1_000_000 for t in ticks]
    # The fewest decimals that give each gridline's value as it is (the ticks are round); a
    # gridline that needs more than four is not a round figure in millions ("10,000.5"), and
    # keeps its own, if wider, label rather than share a rounded one with its neighbours.
    places = next((p for p in range(5) if all(abs(round(m, p) - m) < 1e-9 for m in millions)), None)
    if places is None:
        return plain
    return [_in_millions(m, places) for m in millions]


def _in_millions(value: float, places: int) -> str:
    if abs(value) < 1e-12:
        return "0"
    text = f"{value:.{places}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return f"{text}m"


LEVEL_LOOK = {
    "mean": ("#505a5f", ""),
    "limit": ("#505a5f", ' stroke-dasharray="4 3"'),
    "target": ("#d5281b", ' stroke-dasharray="10 4"'),
}


def _plot_svg(d: Drawing) -> SafeString:
    """The chart's axes, levels, line and marks as SVG. Built here rather than in a template:
    a report draws thousands of marks. The labels and titles are escaped: a period's own
    wording, typed by whoever stored the figure, names its point."""
    parts = ['<g font-size="11" fill="#505a5f">']
    for t in d.y_ticks:
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{t["y"]}" y2="{t["y"]}" '
            f'stroke="#d8dde0"/><text x="{LEFT - 6}" y="{t["y"]}" dy="4" '
            f'text-anchor="end">{esc(t["label"])}</text>'
        )
    for i, t in enumerate(d.x_ticks):
        anchor = "start" if i == 0 else "end" if i == len(d.x_ticks) - 1 else "middle"
        parts.append(
            f'<text x="{t["x"]}" y="{HEIGHT - 8}" text-anchor="{anchor}">{esc(t["label"])}</text>'
        )
    parts.append("</g>")
    for level in d.levels:
        colour, dash = LEVEL_LOOK[level["style"]]
        parts.append(
            f'<line class="level-{level["style"]}" x1="{level["x1"]}" x2="{level["x2"]}" '
            f'y1="{level["y"]}" y2="{level["y"]}" stroke="{colour}" stroke-width="1.5"{dash}/>'
        )
    parts.append(f'<polyline points="{d.line}" fill="none" stroke="#425563" stroke-width="1.5"/>')
    parts.append('<g stroke="#1d1d1b" stroke-width="0.8">')
    parts += [
        f'<path d="{m["d"]}" fill="{m["colour"]}"><title>{esc(m["title"])}</title></path>'
        for m in d.marks
    ]
    parts.append("</g>")
    return mark_safe("".join(parts))  # noqa: S308 - every text escaped above


def summary(chart: dict, unit: str) -> str:
    """The chart in words: its span, latest value, mean and limits, target and signals."""
    points = chart["points"]
    first, last = points[0], points[-1]
    count = len(points)
    total = chart.get("total", count)
    span = f"{count} value{'s' if count != 1 else ''}"
    if total > count:
        span = f"the latest {count} of {total} values"
    first_day, last_day = (_when(chart, p[0]) for p in (first, last))
    # A later figure of another period type, named below, is the measure's latest, not this.
    later = any(v[0] > last[0] for v in chart.get("left_out", []))
    words = [
        f"Chart of {span}, {first_day} to {last_day}; "
        f"latest {'charted ' if later else ''}{with_unit(last[1], unit)} in {last_day}."
    ]
    if last[2] is not None:
        words.append(f"Mean {_short(last[2], unit)}.")
    if last[3] is not None and last[4] is not None:
        words.append(f"Process limits {_short(last[4], unit)} to {_short(last[3], unit)}.")
    if chart.get("run_chart_only"):
        words.append("Too few points for SPC rules: a run chart only.")
    if chart.get("target") is not None:
        words.append(f"Target {with_unit(chart['target'], unit)}.")
    signals, more = chart.get("signals") or [], chart.get("more_signals", 0)
    if signals:
        words.append(("Latest signals: " if more else "Signals: ") + "; ".join(signals) + ".")
    elif not chart.get("run_chart_only"):
        words.append("No special cause in these points: common cause variation only.")
    if more:
        noun = "signal is" if more == 1 else "signals are"
        words.append(f"{more} earlier {noun} on the measure's page.")
    words += _not_drawn(chart, unit)
    return " ".join(words)


def _not_drawn(chart: dict, unit: str) -> list[str]:
    """The values left out of the chart, in words: never dropped without a word."""
    words = []
    if other := chart.get("left_out"):
        named = "; ".join(
            f"{when}: {with_unit(value, unit)} ({why})"
            for _, value, when, why in other[-MAX_LEFT_OUT:]
        )
        more = len(other) - MAX_LEFT_OUT
        if more > 0:
            named += f"; and {more} earlier, on the measure's page"
        count = f"{len(other)} value{'s' if len(other) != 1 else ''}"
        words.append(f"{count} of another period type not drawn: {named}.")
    if earlier := chart.get("before_break"):
        count, first, last = earlier
        span = first if count == 1 else f"{first} to {last}"
        noun = "value" if count == 1 else "values"
        words.append(f"{count} earlier {noun} not drawn, before a break in the series: {span}.")
    return words


def figure(object_id: int, title: str, number: str, chart: dict, unit: str) -> str:
    """The chart as a report shows it: a figure with the measure's name and code, the SVG
    named by its title and its words, the legend, and the chart in words; "" when there is
    nothing to draw. The name and code are escaped; the rest is numbers, dates and our own
    words."""
    d = drawing(chart, unit)
    if d is None:
        return ""
    key, title = f"chart-{object_id}", esc(title)
    legend = "".join(
        f'<li><span class="key-mark key-{k["key"]}" aria-hidden="true">{k["glyph"]}</span> '
        f"{k['label']}</li>"
        for k in d.legend
    )
    for shown, name, label in (
        (d.has_mean, "mean", "Mean"),
        (d.has_limits, "limit", "Process limits"),
        (d.has_target, "target", "Target"),
    ):
        if shown:
            legend += (
                f'<li><span class="key-line key-{name}" aria-hidden="true"></span> {label}</li>'
            )
    return (
        f'<figure class="spc-chart" id="{key}">'
        f'<figcaption class="chart-name">{title} <span class="muted">({esc(number)})'
        "</span></figcaption>"
        # On a phone the chart keeps a readable size and scrolls in its own box.
        f'<div class="chart-scroll" tabindex="0" role="group" aria-label="Chart: {title}">'
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {d.width} {d.height}" '
        f'width="100%" role="img" aria-labelledby="{key}-name {key}-words">'
        f'<title id="{key}-name">Trend and SPC chart: {title}</title>{d.plot}</svg></div>'
        f'<ul class="chart-legend">{legend}</ul>'
        f'<p class="chart-words" id="{key}-words">{esc(d.summary)}</p></figure>'
    )
