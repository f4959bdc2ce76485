"""Data-quality kite marks: how far the board can trust a measure's figures, rated on six
dimensions, each met, partly met, not met or not assessed. The rules and the icon live here;
the rating itself is measures.models.DataQualityRating, and a quarter's close copies it
(as_snapshot) so the report shows the rating the board saw."""

import datetime as dt
from dataclasses import dataclass
from html import escape as esc

from django.utils.safestring import SafeString, mark_safe

from strategy_tracker.dates import short_day

# (field, label, what it asks): the kite mark's six dimensions, in its order.
DIMENSIONS = [
    ("timeliness", "Timeliness", "Is the figure available as soon as the board needs it?"),
    ("completeness", "Completeness", "Does it count every case it should?"),
    ("validity", "Validity", "Is it checked against rules and other sources?"),
    ("process", "Process", "Is it produced by a documented, repeatable process?"),
    ("source", "Source", "Does it come from a recognised national or local system?"),
    ("sign_off", "Sign-off", "Has an accountable person signed it off?"),
]
MET, PARTLY, NOT_MET, NOT_ASSESSED = "met", "partly", "not_met", "not_assessed"
RATING_CHOICES = [
    (MET, "Met"),
    (PARTLY, "Partly met"),
    (NOT_MET, "Not met"),
    (NOT_ASSESSED, "Not assessed"),
]
RATING_LABELS = dict(RATING_CHOICES)


@dataclass
class Rating:
    """A rating as pages show it: from the live model or a quarter's snapshot."""

    ratings: dict[str, str]  # dimension field → met / partly / not_met / not_assessed
    assessed_on: dt.date
    assessed_by: str

    def rows(self) -> list[tuple[str, str, str]]:
        """(label, what it asks, rating in words) for each dimension."""
        return [
            (label, question, RATING_LABELS[self.ratings.get(name, NOT_ASSESSED)])
            for name, label, question in DIMENSIONS
        ]

    def summary(self) -> str:
        """ "4 met, 1 partly met, 1 not assessed": the counts, in the choices' order."""
        counts = [
            (sum(1 for name, _, _ in DIMENSIONS if self.ratings.get(name) == key), label)
            for key, label in RATING_CHOICES
        ]
        return ", ".join(f"{n} {label.lower()}" for n, label in counts if n)

    def is_old(self, as_at: dt.date) -> bool:
        """Assessed more than a calendar year before `as_at` (a year with 29 February in it
        is 366 days)."""
        on = self.assessed_on
        try:
            year_on = on.replace(year=on.year + 1)
        except ValueError:  # 29 February
            year_on = on.replace(year=on.year + 1, day=28)
        return as_at > year_on

    def as_snapshot(self) -> dict:
        return {
            "ratings": self.ratings,
            "assessed_on": self.assessed_on.isoformat(),
            "assessed_by": self.assessed_by,
        }


def from_snapshot(kept: dict) -> Rating | None:
    if not kept:
        return None
    return Rating(kept["ratings"], dt.date.fromisoformat(kept["assessed_on"]), kept["assessed_by"])


# The kite: six wedges around the centre, one per dimension, clockwise from the top. Each
# rating has its own fill and pattern of line, so the icon reads without colour too; the
# words beside it say it all in any case.
_FILLS = {
    MET: ("#007f3b", "none"),
    PARTLY: ("#ffb81c", "none"),
    NOT_MET: ("#b10e1e", "none"),
    NOT_ASSESSED: ("#ffffff", "2 2"),
}
_POINTS = [(12, 1), (21.5, 6.5), (21.5, 17.5), (12, 23), (2.5, 17.5), (2.5, 6.5)]


def _kite(rating: Rating) -> str:
    wedges = []
    for n, (name, _, _) in enumerate(DIMENSIONS):
        (x1, y1), (x2, y2) = _POINTS[n], _POINTS[(n + 1) % 6]
        fill, dash = _FILLS[rating.ratings.get(name, NOT_ASSESSED)]
        wedges.append(
            f'<path d="M12 12 L{x1} {y1} L{x2} {y2} Z" fill="{fill}" stroke="#1d1d1b" '
            f'stroke-width="1" stroke-dasharray="{dash}"/>'
        )
    return (
        '<svg class="dq-kite" viewBox="0 0 24 24" width="24" height="24" aria-hidden="true" '
        f'focusable="false">{"".join(wedges)}</svg>'
    )


def icon(rating: Rating | None, as_at: dt.date) -> SafeString:
    """The kite mark beside its meaning in words, with its age if over a year."""
    if rating is None:
        return mark_safe('<span class="dq dq-none">Data quality not rated</span>')
    words = "; ".join(f"{label}: {said.lower()}" for label, _, said in rating.rows())
    old = ""
    if rating.is_old(as_at):
        old = (
            f'<br><strong class="flag">Rated {short_day(rating.assessed_on)}, over a year '
            "before</strong>"
        )
    return mark_safe(  # noqa: S308 - escaped parts
        f'<span class="dq" title="{esc(words)}">{_kite(rating)} '
        f"<span>Data quality: {esc(rating.summary())}</span>"
        f'<span class="visually-hidden"> ({esc(words)})</span>{old}</span>'
    )
