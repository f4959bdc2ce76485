"""How a strategic risk is scored: the NHS 5×5 matrix (likelihood × impact, each 1 to 5), the
four bands a score falls in, and risk appetite as the highest current score the board accepts.

Shared by the live register (risks/) and the quarter's snapshot (reporting/), so both judge a
score the same way."""

from dataclasses import dataclass

LIKELIHOOD = {1: "Rare", 2: "Unlikely", 3: "Possible", 4: "Likely", 5: "Almost certain"}
IMPACT = {1: "Negligible", 2: "Minor", 3: "Moderate", 4: "Major", 5: "Catastrophic"}
LIKELIHOOD_CHOICES = [(n, f"{n}: {word}") for n, word in LIKELIHOOD.items()]
IMPACT_CHOICES = [(n, f"{n}: {word}") for n, word in IMPACT.items()]


@dataclass(frozen=True)
class Band:
    key: str  # also its CSS class: risk-low … risk-extreme
    label: str
    lowest: int  # the lowest score in the band


# The NPSA matrix's bands: 1–3 low, 4–6 moderate, 8–12 high, 15–25 extreme.
BANDS = [
    Band("extreme", "Extreme", 15),
    Band("high", "High", 8),
    Band("moderate", "Moderate", 4),
    Band("low", "Low", 1),
]


def band_of(score: int) -> Band:
    return next(band for band in BANDS if score >= band.lowest)


# Appetite: how much risk the board will take in pursuit of an objective, after the Good
# Governance Institute's levels, each with the highest current score it accepts.
APPETITE_LIMITS = {"averse": 3, "minimal": 6, "cautious": 9, "open": 12, "seek": 16}
APPETITE_CHOICES = [
    ("averse", "Averse: avoid the risk (accepts up to 3)"),
    ("minimal", "Minimal: as little as possible (up to 6)"),
    ("cautious", "Cautious: prefer safe options (up to 9)"),
    ("open", "Open: willing to consider all options (up to 12)"),
    ("seek", "Seek: eager, for greater reward (up to 16)"),
]


def score_text(likelihood: int, impact: int) -> str:
    """ "12, high (likelihood 4 Likely × impact 3 Moderate)": a score in words."""
    score = likelihood * impact
    return (
        f"{score}, {band_of(score).label.lower()} (likelihood {likelihood} "
        f"{LIKELIHOOD[likelihood]} × impact {impact} {IMPACT[impact]})"
    )


@dataclass
class Cell:
    likelihood: int
    impact: int
    risks: list

    @property
    def score(self) -> int:
        return self.likelihood * self.impact

    @property
    def band(self) -> Band:
        return band_of(self.score)

    @property
    def likelihood_label(self) -> str:
        return f"{self.likelihood} {LIKELIHOOD[self.likelihood]}"

    @property
    def impact_label(self) -> str:
        return f"{self.impact} {IMPACT[self.impact]}"


def heat_map(risks) -> list[tuple[int, list[Cell]]]:
    """The 5×5 grid of current scores, most likely first: (likelihood, cells by impact 1–5).
    `risks` are anything with current_likelihood and current_impact (a risk, or its snapshot)."""
    grid = {(lk, im): Cell(lk, im, []) for lk in LIKELIHOOD for im in IMPACT}
    for risk in risks:
        grid[risk.current_likelihood, risk.current_impact].risks.append(risk)
    return [(lk, [grid[lk, im] for im in IMPACT]) for lk in sorted(LIKELIHOOD, reverse=True)]


class Scored:
    """The judgements a risk's scores give, for a model with the six score fields and an
    `appetite` (the live risk, and the snapshot a quarter's close keeps of it)."""

    @property
    def inherent_score(self) -> int:
        return self.inherent_likelihood * self.inherent_impact

    @property
    def current_score(self) -> int:
        return self.current_likelihood * self.current_impact

    @property
    def target_score(self) -> int:
        return self.target_likelihood * self.target_impact

    @property
    def current_band(self) -> Band:
        return band_of(self.current_score)

    @property
    def inherent_band(self) -> Band:
        return band_of(self.inherent_score)

    @property
    def target_band(self) -> Band:
        return band_of(self.target_score)

    @property
    def current_text(self) -> str:
        return score_text(self.current_likelihood, self.current_impact)

    @property
    def target_text(self) -> str:
        return score_text(self.target_likelihood, self.target_impact)

    @property
    def inherent_text(self) -> str:
        return score_text(self.inherent_likelihood, self.inherent_impact)

    @property
    def appetite_limit(self) -> int:
        return APPETITE_LIMITS[self.appetite]

    @property
    def above_appetite(self) -> bool:
        return self.current_score > self.appetite_limit

    @property
    def appetite_text(self) -> str:
        return dict(APPETITE_CHOICES)[self.appetite]

    @property
    def appetite_name(self) -> str:
        """ "Cautious", of "Cautious: prefer safe options (up to 9)"."""
        return self.appetite_text.partition(":")[0]
