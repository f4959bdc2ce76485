"""Figures in words, as every page and every status reason writes them: 1,182, 23.2,
£1,234,567, £2,395,500.50, 8.4%. Pure Python: the templates' `number` and `with_unit` filters
(templatetags/tracker.py) and a measure's status reason (measures/status.py) both read it, so
a figure reads the same in a table and in the sentence that judges it. Exports write raw
numbers, never these, so a file read back gives the figure stored."""

from decimal import ROUND_HALF_UP, Decimal

MONEY = "£"  # the one unit written before its figure: "£1,234,567"
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


def money(value: Decimal | float | int) -> str:
    """A sum of money: whole pounds as they are (£2,395,500), pounds and pence to two places
    (£2,395,500.50, never "£2,395,500.5"). A fraction of a penny, stored to four places, is
    written out (£0.125), never rounded away."""
    text = number(value)
    sign, text = ("-", text[1:]) if text.startswith("-") else ("", text)  # -£12, not £-12
    whole, point, pence = text.partition(".")
    return f"{sign}{MONEY}{whole}.{pence:0<2}" if point else f"{sign}{MONEY}{text}"


def with_unit(value: Decimal | None, unit: str) -> str:
    """The figure with its unit: 8.4%, £1,234,567, 12 days, 1,182 (a count); None → "—"."""
    if value is None:
        return "—"
    if unit == MONEY:
        return money(value)
    text = number(value)
    if unit == "%":
        return f"{text}%"
    if unit in _BARE:
        return text
    return f"{text} {unit}"


def money_or_number(value: Decimal | float, unit: str) -> str:
    """A figure inside a sentence that names its unit elsewhere (a status reason: "latest 8.4
    against target 8", "percentage points"): separated into thousands, and money always with
    its £ and pence, since "latest 1234567" hides that it is pounds."""
    return money(value) if unit == MONEY else number(value)


def two_places(value: float | None) -> str:
    """An SPC mean or limit as Django's floatformat:2 writes it (half up, from the number's
    shortest form), in thousands (1,563,000.00), at a tenth of its cost; None → ""."""
    if value is None:
        return ""
    rounded = Decimal(repr(value)).quantize(Decimal("0.01"), ROUND_HALF_UP)
    return f"{rounded + 0:,f}"  # + 0 turns -0.00 into 0.00, as floatformat does
