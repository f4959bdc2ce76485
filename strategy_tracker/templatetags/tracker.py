"""Template helpers shared by every app: RAG badges, counts and number formatting."""

import datetime as dt
import functools
import json
import random

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import template_localtime

from measures import periods
from measures.spc import Assurance, SpcResult, Variation
from strategy_tracker import dates, numbering, numbers
from strategy_tracker.escaping import esc
from strategy_tracker.status import DISPLAY_ORDER, Rag, RollUp, Status

register = template.Library()

# What Django's json_script escapes, so the data cannot close its script element.
_JSON_SCRIPT_ESCAPES = (("&", "\\u0026"), ("<", "\\u003C"), (">", "\\u003E"))


@register.filter
def json_data(value, element_id: str) -> SafeString:
    """Django's json_script, the same markup, escaped with str.replace: its str.translate
    walks the text a character at a time, 1.7 ms over a trust dashboard's timeline (0.04 ms
    this way)."""
    text = json.dumps(value, cls=DjangoJSONEncoder)
    for character, escaped in _JSON_SCRIPT_ESCAPES:
        text = text.replace(character, escaped)
    return format_html(
        '<script id="{}" type="application/json">{}</script>', element_id, mark_safe(text)
    )


# A shape for each colour, so status never rests on colour alone (WCAG 1.4.1).
RAG_SYMBOLS = {
    Rag.RED: "✖",
    Rag.AMBER: "▲",
    Rag.GREEN: "●",
    Rag.BLUE: "✔",
    Rag.GREY: "–",
}


# The badges and icons below are written here, not in included templates: a page shows a
# hundred or more, and an inclusion tag's own context and template cost 30–70 µs each.
@register.simple_tag
def rag_badge(status: Status | RollUp, show_reason: bool = True) -> SafeString:
    """A status as its colour's shape and word, then its reason: shown, or (in a short list)
    for screen readers only."""
    stale = _STALE if getattr(status, "stale", False) else ""
    opening = _REASON if show_reason else _HIDDEN_REASON
    return mark_safe(  # noqa: S308 - fixed markup and the escaped reason
        f"{_BADGES[status.rag]}{stale}{opening}{esc(status.reason)}</span>"
    )


# Each colour's badge, written once: a report shows hundreds.
_BADGES = {
    rag: f'<span class="rag rag-{rag.value}"><span class="rag-symbol" aria-hidden="true">'
    f"{RAG_SYMBOLS[rag]}</span> {rag.label}</span>"
    for rag in RAG_SYMBOLS
}
_STALE = ' <span class="stale-flag">Stale</span>'
_REASON = ' <span class="rag-reason">'
_HIDDEN_REASON = '<span class="visually-hidden">: '


@register.simple_tag
def strategy_badges(strategy) -> SafeString:
    """A strategy's flags beside its title, in words: illustrative data, draft or closed (a
    simple tag, not an included template: lists show one per row)."""
    badges = ""
    if strategy.illustrative:
        badges += (
            ' <span class="badge badge-illustrative">Illustrative data — not from a published '
            "document</span>"
        )
    if strategy.is_draft:
        badges += ' <span class="badge badge-draft">Draft: Admins only</span>'
    elif strategy.is_closed:
        badges += ' <span class="badge badge-closed">Closed</span>'
    return mark_safe(badges)  # noqa: S308 - fixed words only


@register.simple_tag
def rag_counts(rollup: RollUp, beside_reason: bool = False) -> SafeString:
    """How many items of each colour, each by its symbol and word (a simple tag, not an
    included template: a dashboard shows one per priority and objective). Of none: "None" in
    a column of counts, nothing `beside_reason`; the roll-up's reason, shown beside it
    wherever counts are, says "no milestones or measures" (said twice, it read as a stutter)."""
    counts = [(rag, rollup.counts.get(rag, 0)) for rag in DISPLAY_ORDER if rollup.counts.get(rag)]
    if not counts:
        return mark_safe("" if beside_reason else '<span class="rag-counts-empty">None</span>')
    total = rollup.total
    items = "".join(
        f'<li class="rag-count rag-count-{rag.value}"><span aria-hidden="true">'
        f"{RAG_SYMBOLS[rag]}</span> {count} {rag.label.lower()}</li>"
        for rag, count in counts
    )
    return mark_safe(  # noqa: S308 - fixed words and numbers only
        f'<ul class="rag-counts" aria-label="Status counts of {total} item'
        f'{"" if total == 1 else "s"}">{items}</ul>'
    )


@register.filter
def shown_number(key) -> str:
    """A priority's or objective's number as pages write it: "Part 2, 3.1", not "part2-3.1"."""
    return numbering.shown(key)


@register.filter
def short_day(value: dt.date | dt.datetime | None) -> str:
    """31 Mar 2024, as Django's date:"j M Y" writes it in English, at a tenth of its cost:
    a measure's page shows hundreds of dates. A date and time is read in local time."""
    if value is None or value == "":
        return ""
    if isinstance(value, dt.datetime):
        value = template_localtime(value)
    return dates.short_day(value)


@register.filter
def due_words(due_date: dt.date | None, due_text: str = "") -> str:
    """A milestone's due day, and beside it its document's own words where it has them
    ("31 Mar 2024 (“in Year 1”)"): the day is a reading of the words, not what they say.
    Words naming just the month ("Sept 2013") are shown alone: the day would add nothing the
    document says."""
    day = short_day(due_date)
    if day and due_text:
        if dates.names_the_month_of(due_text, due_date):
            return due_text
        return f"{day} (“{due_text}”)"
    return day or due_text or "No date"


# How each page writes a strategy's dates: the dashboard to the day, the public page by the
# month, the strategy list's narrow column short.
_SPAN_STYLES = {
    "days": (dates.long_day, " to "),
    "months": (dates.long_month_year, " to "),
    "short": (dates.month_year, " – "),
}


@register.filter
def strategy_period(strategy, style: str = "days") -> str:
    """A strategy's period: its dates ("1 April 2013 to 31 March 2016"), or, where it has its
    document's own words for it, those words with the dates as the tracker's reading of them
    ("2013 – 2016 (taken as 1 April 2013 to 31 March 2016)"). Quarters, overdue milestones
    and the period's end are worked out from the dates, which such a document never gives."""
    day, between = _SPAN_STYLES[style]
    span = f"{day(strategy.period_start)}{between}{day(strategy.period_end)}"
    text = (strategy.period_text or "").strip()
    return f"{text} (taken as {span})" if text else span


@register.filter
def month_year(value: dt.date | None) -> str:
    """Mar 2024 (date:"M Y")."""
    return "" if value is None or value == "" else dates.month_year(value)


@register.filter
def period_of(end: dt.date | None, text: str = "") -> str:
    """A figure's period: its source's wording of a year ("FY2021/22"), or "Mar 2024"."""
    return periods.period_words(end, text or "")


@register.filter
def own_wording(text: str) -> str:
    """The source's wording of a figure's period where it names a year or a one-off period."""
    return periods.own_wording(text or "")


# The formatting itself lives in strategy_tracker/numbers.py, shared with status reasons.
number = register.filter("number", numbers.number)
with_unit = register.filter("with_unit", numbers.with_unit)
two_places = register.filter("two_places", numbers.two_places)


@register.filter
def time_length(value: dt.timedelta | None) -> str:
    """A length of time in words, "30 minutes"; "" for none (a lock with no end)."""
    return dates.duration_in_words(value.total_seconds()) if value else ""


# A table's figure whose unit its heading or page gives: money with its £ and pence.
money_or_number = register.filter("money_or_number", numbers.money_or_number)


@register.filter
def tolerance(measure) -> str:
    """A measure's tolerance: "3 percentage points" for a % measure (3% would read as 3% of
    the target), else with its unit."""
    if measure.unit == "%":
        plural = "" if measure.tolerance == 1 else "s"
        return f"{number(measure.tolerance)} percentage point{plural}"
    return with_unit(measure.tolerance, measure.unit)


@register.filter
def described(field) -> str:
    """The field's widget, tied to its hint and errors for screen readers (WCAG 1.3.1, 3.3.1)."""
    ids = []
    if field.help_text:
        ids.append(f"{field.auto_id}-hint")
    ids += [f"{field.auto_id}-error-{n}" for n in range(1, len(field.errors) + 1)]
    attrs = {"aria-describedby": " ".join(ids)} if ids else {}
    if field.errors:
        attrs["aria-invalid"] = "true"
    return field.as_widget(attrs=attrs)


# Making Data Count icon colours: `colour` is NHS England's (the ring and the dots), `ink` a
# darker shade of it for the letter, the lines and the dots' edges, so each reaches 4.5:1 on
# white (WCAG 1.4.3, 1.4.11) where the brand colour does not (orange is 1.8:1, blue 3.0:1).
SPC_COLOURS = {
    "common": {"colour": "#7B7D7D", "ink": "#505A5F"},  # grey 4.1:1, ink 7.1:1
    "improvement": {"colour": "#289DE0", "ink": "#005EB8"},  # blue 3.0:1, ink 6.4:1
    "concern": {"colour": "#FAB428", "ink": "#8A5A00"},  # orange 1.8:1, ink 5.9:1
    "neither": {"colour": "#361475", "ink": "#361475"},  # purple 13.9:1
}
# Each icon's kind (colour and mini chart), side (which way the last points go) and letter.
VARIATION_SYMBOLS = {
    "common_cause": {"kind": "common", "side": "", "letter": ""},
    "improvement_high": {"kind": "improvement", "side": "high", "letter": "H"},
    "improvement_low": {"kind": "improvement", "side": "low", "letter": "L"},
    "concern_high": {"kind": "concern", "side": "high", "letter": "H"},
    "concern_low": {"kind": "concern", "side": "low", "letter": "L"},
    "neither_high": {"kind": "neither", "side": "high", "letter": "H"},
    "neither_low": {"kind": "neither", "side": "low", "letter": "L"},
}
# The target line's place against the band of points: below it, above it, or through it.
ASSURANCE_SYMBOLS = {
    "pass": {"kind": "improvement", "letter": "P"},
    "fail": {"kind": "concern", "letter": "F"},
    "hit_and_miss": {"kind": "common", "letter": "?"},
}


def _icon_id() -> str:
    # Random rather than counted: the same icon can appear many times on one page. Not a
    # secret, so Python's own generator (uuid4 read the system's, a tenth of the icon's time).
    return f"spc-icon-{random.getrandbits(48):012x}"


# Each icon's markup depends only on which icon it is: drawn once per process, then given a
# fresh id each time it is shown (dozens of icons on a dashboard made drawing them a third of
# its time).
_ID = "__spc_icon_id__"


@functools.cache
def _variation_markup(value: str) -> str:
    variation = Variation(value)
    symbol = VARIATION_SYMBOLS[variation.value]
    context = {
        "id": _ID,
        "title": f"Variation icon: {variation.label}",
        "grey": SPC_COLOURS["common"]["colour"],  # the common-cause points before the change
        **symbol,
        **SPC_COLOURS[symbol["kind"]],
    }
    return render_to_string("includes/spc/_variation_icon.html", context)


@functools.cache
def _assurance_markup(value: str) -> str:
    assurance = Assurance(value)
    symbol = ASSURANCE_SYMBOLS[assurance.value]
    context = {
        "id": _ID,
        "title": f"Assurance icon: {assurance.label}",
        "value": assurance.value,
        **symbol,
        **SPC_COLOURS[symbol["kind"]],
    }
    return render_to_string("includes/spc/_assurance_icon.html", context)


@register.simple_tag
def variation_icon(variation: Variation | str) -> SafeString:
    """The variation icon as inline SVG: a ring, a mini chart and H or L, named by its title."""
    markup = _variation_markup(Variation(variation).value)
    return mark_safe(markup.replace(_ID, _icon_id()))  # noqa: S308 - our own template


@register.simple_tag
def assurance_icon(assurance: Assurance | str) -> SafeString:
    """The assurance icon as inline SVG: a ring, P, F or ?, and a target line by a band."""
    markup = _assurance_markup(Assurance(assurance).value)
    return mark_safe(markup.replace(_ID, _icon_id()))  # noqa: S308 - our own template


def _spc_icons(result: SpcResult | None, variation: bool = True, assurance: bool = True):
    if result is None or not result.points:
        return mark_safe('<span class="spc-icon spc-run-chart">No values yet, so no SPC</span>')
    if result.run_chart_only:
        return mark_safe(
            '<span class="spc-icon spc-run-chart">Run chart only (fewer than 15 points)</span>'
        )
    # Written with f-strings, not format_html: an SPC summary shows two icons a measure, and
    # the icons and kinds are our own markup; only the labels are escaped.
    icons = []
    if variation:
        kind = VARIATION_SYMBOLS[result.variation.value]["kind"]
        icons.append(
            f'<span class="spc-icon spc-variation spc-{kind}">{variation_icon(result.variation)}'
            f'<span class="spc-label">{esc(result.variation.label)}</span></span>'
        )
    if assurance and result.assurance:
        icons.append(
            f'<span class="spc-icon spc-assurance spc-assurance-{result.assurance.value}">'
            f"{assurance_icon(result.assurance)}"
            f'<span class="spc-label">{esc(result.assurance.label)}</span></span>'
        )
    elif assurance:
        # The reason there is none: a target needs a direction to be judged against.
        why = "No target" if result.target is None else "No direction"
        icons.append(
            f'<span class="spc-icon spc-assurance-none">{why}, so no assurance icon</span>'
        )
    return mark_safe(f'<span class="spc-icons">{"".join(icons)}</span>')  # noqa: S308


@register.simple_tag
def spc_icons(result: SpcResult | None) -> SafeString:
    """The Making Data Count variation and assurance icons, each beside its words."""
    return _spc_icons(result)


@register.simple_tag
def spc_variation(result: SpcResult | None) -> SafeString:
    """The variation icon alone, with its words (the SPC summary's variation column)."""
    return _spc_icons(result, assurance=False)


@register.simple_tag
def spc_assurance(result: SpcResult) -> SafeString:
    """The assurance icon alone, with its words (the SPC summary's assurance column)."""
    return _spc_icons(result, variation=False)
