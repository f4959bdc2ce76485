"""Template helpers shared by every app: RAG badges, counts and number formatting."""

from decimal import Decimal

from django import template

from objectives.rag import DISPLAY_ORDER, Rag, RollUp, Status

register = template.Library()

# A shape for each colour, so status never rests on colour alone (WCAG 1.4.1).
RAG_SYMBOLS = {
    Rag.RED: "✖",
    Rag.AMBER: "▲",
    Rag.GREEN: "●",
    Rag.BLUE: "✔",
    Rag.GREY: "–",
}


@register.inclusion_tag("includes/_rag.html")
def rag_badge(status: Status | RollUp, show_reason: bool = True) -> dict:
    return {
        "rag": status.rag,
        "symbol": RAG_SYMBOLS[status.rag],
        "reason": status.reason,
        "show_reason": show_reason,
        "stale": getattr(status, "stale", False),
    }


@register.inclusion_tag("includes/_rag_counts.html")
def rag_counts(rollup: RollUp) -> dict:
    return {
        "counts": [
            {"rag": rag, "symbol": RAG_SYMBOLS[rag], "count": rollup.counts.get(rag, 0)}
            for rag in DISPLAY_ORDER
            if rollup.counts.get(rag)
        ],
        "total": rollup.total,
    }


@register.filter
def number(value: Decimal | float | int | None) -> str:
    """23.2000 → 23.2; 1182 → 1,182; None → an empty string."""
    if value is None:
        return ""
    value = Decimal(value).normalize()
    if value == value.to_integral():
        return f"{int(value):,}"
    return f"{value:,f}"


@register.filter
def with_unit(value: Decimal | None, unit: str) -> str:
    if value is None:
        return "—"
    text = number(value)
    if unit == "%":
        return f"{text}%"
    if unit == "£":
        return f"£{text}"
    if unit in ("count", "number", "ratio", "score"):
        return text
    return f"{text} {unit}"


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


VARIATION_SYMBOLS = {
    "common_cause": "~",
    "improvement_high": "▲",
    "improvement_low": "▼",
    "concern_high": "▲",
    "concern_low": "▼",
    "neither_high": "▲",
    "neither_low": "▼",
}
ASSURANCE_SYMBOLS = {"pass": "P", "fail": "F", "hit_and_miss": "?"}


@register.inclusion_tag("includes/_spc_icons.html")
def spc_icons(result) -> dict:
    """The Making Data Count variation and assurance icons, each with its words."""
    if result is None or result.run_chart_only:
        has_points = result is not None and bool(result.points)
        return {"run_chart": has_points, "message": result.message if has_points else ""}
    variation = result.variation
    assurance = result.assurance
    kind = variation.value.split("_")[0]  # common, improvement, concern, neither
    return {
        "variation": variation,
        "variation_kind": kind,
        "variation_symbol": VARIATION_SYMBOLS[variation.value],
        "assurance": assurance,
        "assurance_symbol": ASSURANCE_SYMBOLS[assurance.value] if assurance else "",
    }
