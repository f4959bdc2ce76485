import django_tables2 as tables
from django.template.loader import render_to_string
from django.utils.html import format_html

from objectives.progress import Item
from objectives.rag import DISPLAY_ORDER
from strategy_tracker.tables import labelled
from strategy_tracker.templatetags.tracker import rag_badge, spc_icons, with_unit


def spc_summary_rows(items: list[Item]) -> list[dict]:
    """One row per measure, with sort keys for every column (None sorts last)."""
    rows = []
    for item in items:
        measure, spc = item.obj, item.spc
        variation = spc.variation.label if spc and spc.variation else "~ none"
        assurance = spc.assurance.label if spc and spc.assurance else "~ none"
        rows.append(
            {
                "item": item,
                "name": measure.name,
                "rag": DISPLAY_ORDER.index(item.status.rag),
                "variation": variation,
                "assurance": assurance,
                "latest": float(measure.latest_value)
                if measure.latest_value is not None
                else float("-inf"),
            }
        )
    return rows


class SpcSummaryTable(tables.Table):
    """Formats spc_summary_rows(); each measure's RAG beside its two SPC icons."""

    name = tables.Column(verbose_name="Measure")
    rag = tables.Column(verbose_name="RAG", attrs=labelled("RAG"))
    variation = tables.Column(verbose_name="Variation", attrs=labelled("Variation"))
    assurance = tables.Column(verbose_name="Assurance", attrs=labelled("Assurance"))
    latest = tables.Column(
        verbose_name="Latest value",
        attrs={"td": {"class": "num", "data-label": "Latest value"}, "th": {"class": "num"}},
    )

    class Meta:
        attrs = {"class": "data-table spc-summary stack sortable"}
        order_by = ("rag",)
        empty_text = "No success measures recorded."
        orderable = True

    def render_name(self, record):
        measure = record["item"].obj
        return format_html(
            '<a href="{}">{}</a><br><span class="muted">{}</span>',
            measure.get_absolute_url(),
            measure.name,
            measure.code,
        )

    def render_rag(self, record):
        return render_to_string("includes/_rag.html", rag_badge(record["item"].status))

    def render_variation(self, record):
        return render_to_string("includes/_spc_icons.html", _variation_only(record["item"].spc))

    def render_assurance(self, record):
        spc = record["item"].spc
        if spc is None or spc.run_chart_only or spc.assurance is None:
            return "—"
        return render_to_string(
            "includes/_spc_icons.html", spc_icons(spc) | {"hide_variation": True}
        )

    def render_latest(self, record):
        measure = record["item"].obj
        if measure.latest_value is None:
            return "—"
        return format_html(
            '{}<br><span class="muted">{}</span>',
            with_unit(measure.latest_value, measure.unit),
            f"{measure.latest_period_end:%b %Y}",
        )


def _variation_only(spc) -> dict:
    return spc_icons(spc) | {"assurance": None, "hide_assurance": True}
