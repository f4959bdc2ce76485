"""Figures in words, as every page and every status reason writes them: 1,182, 23.2,
£1,234,567, 8.4%. Pure Python: the templates' `number` and `with_unit` filters
(templatetags/tracker.py) and a measure's status reason (measures/status.py) both read it, so
a figure reads the same in a table and in the sentence that judges it."""

from decimal import ROUND_HALF_UP, Decimal

# Units written beside a figure in running text, not after it: "£1,234,567", "8.4%".
_BEFORE = {"£": "£"}
_BARE = ("count", "number", "ratio", "score")


def number(value: Decimal | float | int | None) -> str:
    """23.2000 → 23.2; 1182 → 1,182; None → an empty string."""
    if value is None:
        return ""
    # A float (an SPC point) by its shortest repr, not its binary expansion.
    value = Decimal(str(value) if isinstance(value, float) else value).normalize()
    if value == value.to_integral():
        return f"{int(value):,}"
    return f"{value:,f}"


def with_unit(value: Decimal | None, unit: str) -> str:
    """The figure with its unit: 8.4%, £1,234,567, 12 days, 1,182 (a count); None → "—"."""
    if value is None:
        return "—"
    text = number(value)
    if unit == "%":
        return f"{text}%"
    if unit in _BEFORE:
        return f"{_BEFORE[unit]}{text}"
    if unit in _BARE:
        return text
    return f"{text} {unit}"


def money_or_number(value: Decimal, unit: str) -> str:
    """A figure inside a sentence that names its unit elsewhere (a status reason: "latest 8.4
    against target 8", "percentage points"): separated into thousands, and money always with
    its £, since "latest 1234567" hides that it is pounds."""
    return f"{_BEFORE[unit]}{number(value)}" if unit in _BEFORE else number(value)


def two_places(value: float | None) -> str:
    """An SPC mean or limit as Django's floatformat:2 writes it (half up, from the number's
    shortest form), in thousands (1,563,000.00), at a tenth of its cost; None → ""."""
    if value is None:
        return ""
    rounded = Decimal(repr(value)).quantize(Decimal("0.01"), ROUND_HALF_UP)
    return f"{rounded + 0:,f}"  # + 0 turns -0.00 into 0.00, as floatformat does
