"""An invented strategy that shows every feature: the example `make run` loads beside the seeds.

The seed strategies hold only what their documents say (no owners, targets or figures), so on
their own every first journey ends at a grey page. "Example Community Health Trust" is made
up: owners and delegates among the demo users, milestones in every status with commentary and
forecasts, measures with baselines, targets, trajectories and 18 quarters of figures that
between them give every Making Data Count reading. It is marked illustrative, so every page
that shows it says so.

Every date is worked out from `today`, so the example always looks live: the figures end at
the last complete quarter, and milestones fall due around today. Nothing here is random.
"""

import calendar
import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from milestones.models import Milestone, MilestoneDelegate
from objectives.models import Strategy
from objectives.strategy_json import import_strategy

EXAMPLE_SLUG = "example-community-health"
ORGANISATION = "Example Community Health Trust"
# The trust's partner, responsible for its carers' objective (1.3): invented too.
PARTNER = "Example Borough Council"
PARTNER_OBJECTIVES = {(1, 3)}
QUARTERS = 18  # of figures: SPC limits need 15
FIGURE_NOTE = "Illustrative figure, not reported"
FIGURE_SOURCE = "Illustrative example data"
# The demo users (create_demo_users) the example's milestones are assigned to and updated by.
USERNAMES = ("lead", "lead2", "admin")
# The two measures fixtures/example-quarterly-figures.csv fills in; their baseline is fixed so
# the file's fixed quarters always come after it.
CSV_BASELINE = dt.date(2022, 3, 31)


# --- dates ----------------------------------------------------------------------------------


def quarter_end(today: dt.date, shift: int = 0) -> dt.date:
    """The end of the quarter holding `today`, moved `shift` quarters (-1: the last complete
    quarter). Quarters end 30 Jun, 30 Sep, 31 Dec and 31 Mar, as UK financial quarters do."""
    index = today.year * 4 + (today.month - 1) // 3 + shift
    year, month = index // 4, (index % 4 + 1) * 3
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def quarter_label(period_end: dt.date) -> str:
    """The financial quarter a quarter end closes: 2024-06-30 → "2024/25 Q1"."""
    first_year = period_end.year if period_end.month > 3 else period_end.year - 1
    number = {6: 1, 9: 2, 12: 3, 3: 4}[period_end.month]
    return f"{first_year}/{(first_year + 1) % 100:02d} Q{number}"


@dataclass(frozen=True)
class Dates:
    """The example's calendar, from `today`."""

    today: dt.date

    @property
    def start(self) -> dt.date:
        """Two financial years before the current one, so today is always in its middle year."""
        year = self.today.year if self.today.month >= 4 else self.today.year - 1
        return dt.date(year - 2, 4, 1)

    @property
    def end(self) -> dt.date:
        return dt.date(self.start.year + 5, 3, 31)

    def q(self, shift: int) -> dt.date:
        """A quarter end: 0 is the current quarter's (today or later), -1 the last complete."""
        return quarter_end(self.today, shift)

    def figure(self, i: int) -> dt.date:
        """The period of the i-th figure: 0 is the first, QUARTERS - 1 the last complete."""
        return self.q(i - QUARTERS)

    def ago(self, days: int) -> dt.date:
        return self.today - dt.timedelta(days=days)

    @property
    def month_end(self) -> dt.date:
        """The end of this month: always within 30 days, never past."""
        return self.today.replace(day=calendar.monthrange(self.today.year, self.today.month)[1])

    @property
    def created(self) -> dt.date:
        """When the strategy was entered in the tracker."""
        return self.start

    @property
    def assigned(self) -> dt.date:
        """When the admin handed the milestones out."""
        return self.start + dt.timedelta(days=14)


def _days(date: dt.date, days: int) -> dt.date:
    return date + dt.timedelta(days=days)


# --- milestones -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Update:
    """One update a lead (or their delegate) wrote, on the day they wrote it."""

    by: str
    on: dt.date
    status: str
    commentary: str = ""
    forecast: dt.date | None = None


@dataclass(frozen=True)
class MilestonePlan:
    title: str
    due: dt.date | None
    owner: str
    delegates: tuple[str, ...] = ()
    updates: tuple[Update, ...] = ()
    due_text: str = ""

    @property
    def final(self) -> Update | None:
        return self.updates[-1] if self.updates else None

    def document_due_text(self) -> str:
        if self.due_text:
            return self.due_text
        return f"by {self.due:%B %Y}" if self.due else ""


def _urgent_response(d: Dates) -> list[MilestonePlan]:
    seven_day, falls = d.q(-6), d.q(-1)
    return [
        MilestonePlan(
            "Run the urgent community response service 8am to 8pm, seven days a week",
            seven_day,
            "lead",
            updates=(
                Update(
                    "lead",
                    _days(seven_day, -75),
                    "on_track",
                    "Recruitment to the extended rota is under way; weekend cover starts next "
                    "month.",
                ),
                Update(
                    "lead",
                    _days(seven_day, 6),
                    "complete",
                    "Seven-day, 8am to 8pm service live in all three localities.",
                ),
            ),
        ),
        # Said to be on track before its due date, and not updated since: overdue.
        MilestonePlan(
            "Add a falls pick-up response to the urgent community response offer",
            falls,
            "lead2",
            updates=(
                Update(
                    "lead2",
                    min(_days(falls, -14), d.ago(45)),
                    "on_track",
                    "Training with the ambulance service's falls team is booked.",
                ),
            ),
        ),
        MilestonePlan(
            "Take urgent community response referrals straight from the ambulance service's "
            "call stack",
            d.q(2),
            "lead",
            delegates=("lead2",),
            updates=(
                Update(
                    "lead",
                    d.ago(70),
                    "on_track",
                    "Data-sharing agreement drafted with the ambulance service.",
                ),
                Update(
                    "lead2",
                    d.ago(6),
                    "on_track",
                    "Pilot live in the north locality: about two calls a day taken from the stack.",
                ),
            ),
        ),
    ]


def _virtual_wards(d: Dates) -> list[MilestonePlan]:
    frailty = d.q(-4)
    return [
        MilestonePlan(
            "Open a frailty virtual ward with 40 beds",
            frailty,
            "lead",
            updates=(
                Update(
                    "lead", _days(frailty, -40), "on_track", "Clinical lead and nurses in post."
                ),
                Update(
                    "lead",
                    _days(frailty, -3),
                    "complete",
                    "Opened with 40 beds; 31 in use in its first month.",
                ),
            ),
        ),
        MilestonePlan(
            "Grow virtual ward capacity to 80 beds",
            d.q(3),
            "lead",
            updates=(
                Update(
                    "lead",
                    d.ago(12),
                    "on_track",
                    "62 beds open; recruitment for the other 18 is on plan.",
                    d.q(3),
                ),
            ),
        ),
        MilestonePlan(
            "Start remote monitoring at home for people with heart failure",
            d.q(1),
            "lead",
            delegates=("lead2",),
            updates=(
                Update(
                    "lead",
                    d.ago(80),
                    "on_track",
                    "Supplier chosen; clinical pathway agreed with cardiology.",
                ),
                Update(
                    "lead2",
                    d.ago(9),
                    "at_risk",
                    "The supplier's contract is held up in procurement; go-live depends on "
                    "signing it this month.",
                ),
            ),
        ),
    ]


def _carers(d: Dates) -> list[MilestonePlan]:
    charter = d.q(-5)
    return [
        MilestonePlan(
            "Publish a carers' charter with local carers' groups",
            charter,
            "lead2",
            updates=(
                Update("lead2", _days(charter, -60), "on_track", "First draft shared with carers."),
                Update(
                    "lead2",
                    _days(charter, -20),
                    "cancelled",
                    "Replaced by the county-wide carers' strategy, which the trust has signed; "
                    "a charter of our own would duplicate it.",
                ),
            ),
        ),
        # Undated and never updated: no status yet.
        MilestonePlan(
            "Train every community nurse to identify unpaid carers",
            None,
            "lead2",
            due_text="Ongoing",
        ),
        MilestonePlan(
            "Offer a carer's assessment at every first home visit",
            d.month_end,
            "lead",
            updates=(
                Update(
                    "lead",
                    d.ago(50),
                    "not_started",
                    "Waiting for the new assessment form in the patient record; starts when it "
                    "is live.",
                ),
            ),
        ),
    ]


def _waits(d: Dates) -> list[MilestonePlan]:
    validate = d.q(-3)
    return [
        MilestonePlan(
            "Validate every community waiting list",
            validate,
            "lead",
            updates=(
                Update("lead", _days(validate, -30), "on_track", "9 of 14 lists validated."),
                Update(
                    "lead",
                    _days(validate, -1),
                    "complete",
                    "All 14 lists validated; 1,120 people removed who no longer needed care.",
                ),
            ),
        ),
        MilestonePlan(
            "Clear waits over 52 weeks in community paediatrics",
            d.q(1),
            "lead",
            updates=(
                Update("lead", d.ago(95), "on_track", "Extra clinics agreed with paediatrics."),
                Update(
                    "lead",
                    d.ago(20),
                    "off_track",
                    "Referrals are up 30% on last year and two consultant posts are vacant, so "
                    "this cannot be done by the due date. Recovery plan going to the "
                    "performance committee.",
                    d.q(3),
                ),
            ),
        ),
        MilestonePlan(
            "Open Saturday musculoskeletal physiotherapy clinics",
            d.q(2),
            "lead2",
            delegates=("lead",),
            updates=(
                Update("lead2", d.ago(40), "on_track", "Staff rota for Saturdays agreed."),
                Update(
                    "lead2",
                    d.ago(15),
                    "on_track",
                    "Building work at the health centre has slipped by a quarter; the clinics "
                    "open when it is finished.",
                    d.q(3),
                ),
            ),
        ),
    ]


def _harm(d: Dates) -> list[MilestonePlan]:
    assessment = d.q(-2)
    return [
        MilestonePlan(
            "Roll out the new pressure ulcer risk assessment in every team",
            assessment,
            "lead",
            updates=(
                Update("lead", _days(assessment, -45), "on_track", "Training 70% complete."),
                Update(
                    "lead",
                    _days(assessment, -10),
                    "complete",
                    "In use in all 23 teams; audit in six months.",
                ),
            ),
        ),
        # On track, but last updated over a month ago: needs an update.
        MilestonePlan(
            "Introduce post-falls huddles on every community ward",
            d.q(4),
            "lead",
            delegates=("lead2",),
            updates=(Update("lead", d.ago(48), "on_track", "Huddles running on 3 of 6 wards."),),
        ),
        MilestonePlan(
            "Review the learning from every serious incident within 60 days",
            None,
            "lead",
            due_text="Ongoing",
            updates=(
                Update(
                    "lead",
                    d.ago(25),
                    "on_track",
                    "All 9 reviews this year finished within 60 days.",
                ),
            ),
        ),
    ]


def _workforce(d: Dates) -> list[MilestonePlan]:
    nurses = d.q(-7)
    return [
        MilestonePlan(
            "Recruit 60 internationally educated nurses",
            nurses,
            "lead2",
            updates=(
                Update("lead2", _days(nurses, -50), "on_track", "41 in post, 19 on their way."),
                Update("lead2", _days(nurses, 10), "complete", "The 60th nurse started."),
            ),
        ),
        # Never updated, not due for months: green, but needs an update.
        MilestonePlan(
            "Hold a 'stay' conversation with every new starter at six months",
            d.q(3),
            "lead2",
        ),
    ]


def _wellbeing(d: Dates) -> list[MilestonePlan]:
    return [
        MilestonePlan(
            "Open a staff wellbeing hub in each of our three localities",
            d.q(1),
            "lead",
            updates=(
                Update("lead", d.ago(4), "on_track", "Two hubs open; the third opens next month."),
            ),
        ),
        MilestonePlan(
            "Replace paper rotas with e-rostering on every ward",
            d.q(5),
            "lead",
            updates=(
                Update("lead", d.ago(130), "on_track", "Supplier contract signed."),
                Update(
                    "lead",
                    d.ago(10),
                    "on_track",
                    "Ahead of plan: every ward should be live a quarter early.",
                    d.q(4),
                ),
            ),
        ),
    ]


# --- measures -------------------------------------------------------------------------------

# Figures, oldest first, one per quarter (QUARTERS of them). Each is shaped to give one
# Making Data Count reading; the comment says which.
# Common cause variation, consistently passing its 70% target.
UCR_2HR = (
    "83.1 84.6 82.9 85.0 83.4 84.8 85.3 83.7 85.9 84.2 84.9 83.6 85.4 83.8 85.1 84.0 84.7 85.2"
)
# Flat until the wards opened, then rising: improvement (limits from the first 8 quarters),
# and failing: 85% is beyond the old process's limits.
VW_OCCUPANCY = (
    "53.0 54.2 52.6 53.9 53.1 54.4 53.5 54.0 56.1 58.3 60.2 62.6 64.5 66.8 68.7 70.9 73.2 75.4"
)
# Fell after the lists were validated, now rising: special cause concern, consistently failing.
LONG_WAITS = "420 405 398 410 392 385 379 388 376 381 402 431 456 478 495 512 534 551"
# Common cause around the target: hit and miss.
PRESSURE_ULCERS = (
    "1.10 0.98 1.15 1.02 0.94 1.12 1.05 0.97 1.18 1.01 0.92 1.09 1.14 0.99 1.06 0.95 1.03 1.08"
)
# Falling since recruitment began: improvement (limits from the first 8 quarters), failing.
VACANCY = "12.5 12.8 12.3 12.6 12.1 11.9 12.2 11.6 11.4 11.1 10.9 10.6 10.8 10.3 10.0 9.9 9.6 9.7"
# Common cause with one winter's spike beyond the upper limit: hit and miss.
SICKNESS = "5.0 4.8 5.4 5.1 4.9 4.7 5.3 5.0 4.8 4.6 6.4 5.2 4.9 4.7 5.2 4.9 4.8 4.6"
# A context indicator: seasonal, slowly growing demand.
REFERRALS = (
    "3150 3010 3380 3240 3220 3090 3460 3300 3310 3170 3520 3390 3360 3230 3610 3450 3420 3290"
)


def _number(text: str | None) -> str | None:
    """As the export writes it ("53.0" → "53"), so the example exports exactly as built."""
    return None if text is None else format(Decimal(text).normalize(), "f")


def _values(d: Dates, figures: str) -> list[dict[str, str]]:
    numbers = figures.split()
    assert len(numbers) == QUARTERS, len(numbers)
    return [
        {
            "period_end": d.figure(i).isoformat(),
            "period_text": quarter_label(d.figure(i)),
            "value": _number(number),
            "note": FIGURE_NOTE,
            "source": FIGURE_SOURCE,
        }
        for i, number in enumerate(numbers)
    ]


def _measure(
    d: Dates,
    code: str,
    name: str,
    *,
    unit: str,
    direction: str,
    definition: str,
    figures: str | None = None,
    target: str | None = None,
    tolerance: str = "0",
    kind: str = "success",
    trajectory: Sequence[tuple[dt.date, str]] = (),
    spc_baseline_points: int | None = None,
    baseline: tuple[str, dt.date] | None = None,
) -> dict[str, Any]:
    """A measure in the JSON shape. Its baseline is its first figure unless given."""
    if baseline is None and figures:
        baseline = (figures.split()[0], d.figure(0))
    value, period = baseline if baseline else (None, None)
    return {
        "code": code,
        "name": name,
        "kind": kind,
        "unit": unit,
        "direction": direction,
        "baseline_value": _number(value),
        "baseline_period": period.isoformat() if period else None,
        "baseline_period_text": quarter_label(period) if period else "",
        "target_value": _number(target),
        "target_date": d.end.isoformat() if target else None,
        "tolerance": _number(tolerance),
        "minimum_value": None,
        "maximum_value": None,
        "definition": definition,
        "source_ref": "",
        "spc_baseline_points": spc_baseline_points,
        "spc_rebase_from": None,
        "trajectory": [{"period_end": p.isoformat(), "value": _number(v)} for p, v in trajectory],
        "values": _values(d, figures) if figures else [],
    }


def _measures(d: Dates) -> dict[tuple[int, int], list[dict[str, Any]]]:
    """Measures by (priority, objective); objective 0 is on the priority itself."""
    csv_note = (
        " Its figures are in fixtures/example-quarterly-figures.csv: import that file at "
        "Import figures to see them arrive."
    )
    return {
        (1, 0): [
            _measure(
                d,
                "EX-REFERRALS",
                "Referrals received by community services",
                kind="context",
                unit="count",
                direction="none",
                definition="All referrals accepted in the quarter. Describes demand; not judged.",
                figures=REFERRALS,
            )
        ],
        (1, 1): [
            _measure(
                d,
                "EX-UCR-2HR",
                "Urgent community response referrals seen within 2 hours",
                unit="%",
                direction="higher",
                target="70",
                tolerance="2",
                definition="Share of urgent community response referrals where a clinician "
                "arrived within 2 hours. The national standard is 70%; we aim to stay above it.",
                figures=UCR_2HR,
            )
        ],
        (1, 2): [
            _measure(
                d,
                "EX-VW-OCCUPANCY",
                "Virtual ward occupancy",
                unit="%",
                direction="higher",
                target="85",
                tolerance="3",
                definition="Average share of virtual ward beds in use. Planned to rise slowly "
                "while the wards open, then faster. SPC limits are from the 8 quarters before "
                "the first ward opened.",
                figures=VW_OCCUPANCY,
                trajectory=[(d.figure(7), "55"), (d.figure(11), "62"), (d.figure(15), "69")]
                + [(d.figure(19), "76")],
                spc_baseline_points=8,
            )
        ],
        (1, 3): [
            _measure(
                d,
                "EX-CARER-ASSESS",
                "Carers identified who were offered a carer's assessment",
                unit="%",
                direction="higher",
                target="60",
                tolerance="3",
                definition="Share of unpaid carers identified at a home visit who were offered "
                "an assessment in the quarter." + csv_note,
                baseline=("38", CSV_BASELINE),
            )
        ],
        (2, 1): [
            _measure(
                d,
                "EX-LONG-WAITS",
                "People waiting over 18 weeks for a community service",
                unit="count",
                direction="lower",
                target="150",
                tolerance="25",
                definition="People on a community waiting list at the quarter's end who had "
                "waited over 18 weeks since referral.",
                figures=LONG_WAITS,
            )
        ],
        (2, 2): [
            _measure(
                d,
                "EX-PRESSURE-ULCERS",
                "Category 2 and above pressure ulcers acquired in our care",
                unit="rate per 1,000",
                direction="lower",
                target="1.0",
                tolerance="0.2",
                definition="Per 1,000 patients on the community nursing caseload.",
                figures=PRESSURE_ULCERS,
            ),
            _measure(
                d,
                "EX-FALLS-RATE",
                "Inpatient falls in community hospitals",
                unit="rate per 1,000",
                direction="lower",
                target="5.5",
                tolerance="0.3",
                definition="Falls per 1,000 occupied bed days." + csv_note,
                baseline=("6.8", CSV_BASELINE),
            ),
        ],
        (3, 1): [
            _measure(
                d,
                "EX-VACANCY",
                "Staff vacancy rate",
                unit="%",
                direction="lower",
                target="7",
                tolerance="1",
                definition="Vacant funded posts as a share of the funded establishment. SPC "
                "limits are from the 8 quarters before the recruitment programme began.",
                figures=VACANCY,
                spc_baseline_points=8,
            )
        ],
        (3, 2): [
            _measure(
                d,
                "EX-SICKNESS",
                "Staff sickness absence",
                unit="%",
                direction="lower",
                target="4.5",
                tolerance="0.3",
                definition="Working days lost to sickness as a share of days available.",
                figures=SICKNESS,
            )
        ],
    }


# --- the strategy ---------------------------------------------------------------------------

PRIORITIES = [
    (
        "Care closer to home",
        "More people cared for at home or near it, and fewer in hospital beds they do not need.",
        [
            (
                "Respond within two hours when someone is in crisis at home",
                "Answer every urgent call from 8am to 8pm, seven days a week\n"
                "Work with the ambulance service so crews can hand people to us",
                _urgent_response,
            ),
            (
                "Grow virtual wards so people can recover at home",
                "Open virtual wards for frailty and heart failure\n"
                "Use remote monitoring so people are seen before they get worse",
                _virtual_wards,
            ),
            (
                "Recognise and support unpaid carers",
                "Identify carers at every first visit\nOffer every carer an assessment",
                _carers,
            ),
        ],
    ),
    (
        "Safe, timely care",
        "Shorter waits, and less avoidable harm to the people in our care.",
        [
            (
                "Cut long waits for community services",
                "Keep every waiting list accurate\nAdd clinics where waits are longest",
                _waits,
            ),
            (
                "Prevent avoidable harm",
                "Assess every patient's risk of pressure ulcers and falls\n"
                "Learn from every serious incident",
                _harm,
            ),
        ],
    ),
    (
        "A great place to work",
        "Enough staff, who stay, and who are well.",
        [
            (
                "Fill our vacancies and keep the staff we have",
                "Recruit nurses from home and abroad\nTalk to every new starter about staying",
                _workforce,
            ),
            (
                "Look after our staff's health and wellbeing",
                "Open a wellbeing hub in every locality\nGive staff their rotas earlier",
                _wellbeing,
            ),
        ],
    ),
]


def _plans(d: Dates) -> dict[tuple[int, int], list[MilestonePlan]]:
    return {
        (p, o): make(d)
        for p, (_, _, objectives) in enumerate(PRIORITIES, 1)
        for o, (_, _, make) in enumerate(objectives, 1)
    }


def _milestone_dict(plan: MilestonePlan) -> dict[str, Any]:
    final = plan.final
    return (
        {
            "title": plan.title,
            "heading": "",
            "due_date": plan.due.isoformat() if plan.due else None,
            "due_text": plan.document_due_text(),
            "status": final.status if final else "not_started",
            "forecast_date": final.forecast.isoformat() if final and final.forecast else None,
            "commentary": final.commentary if final else "",
            "source_ref": "",
            "owner": plan.owner,
        }
        | ({"delegates": sorted(plan.delegates)} if plan.delegates else {})
        | (
            {"last_updated_at": _stamp(final.on).isoformat(), "last_updated_by": final.by}
            if final
            else {}
        )
    )


def _strategy_head(d: Dates) -> dict[str, Any]:
    return {
        "organisation": {"name": ORGANISATION, "short_name": "ECHT"},
        "partners": [{"name": PARTNER, "short_name": "EBC"}],
        "title": f"{ORGANISATION}: Better Care Closer to Home {d.start.year}–{d.end.year}",
        "slug": EXAMPLE_SLUG,
        "period_start": d.start.isoformat(),
        "period_end": d.end.isoformat(),
        "period_text": "",
        "status": "published",
        "vision": "Care at home, or close to it, whenever that is best for the person.",
        "purpose": "An invented strategy for an invented trust, to show what Strategy Tracker "
        "does. None of it is real.",
        "aims": "Care closer to home\nSafe, timely care\nA great place to work",
        "values": "Kind, open, together",
        "summary": "Illustrative data — not from a published document. Example Community "
        "Health Trust and its partner Example Borough Council do not exist; their milestones, "
        "owners and figures are made up.",
        "source_document": "Illustrative example — not from a published document",
        "source_version": "",
        "source_date": None,
        "illustrative": True,
    }


def build_example(today: dt.date) -> dict[str, Any]:
    """The example strategy in the JSON shape import_strategy reads, as it stands `today`:
    milestones carry their latest reported status, commentary, forecast and owner."""
    d = Dates(today)
    plans, measures = _plans(d), _measures(d)
    priorities = []
    for p, (title, description, objectives) in enumerate(PRIORITIES, 1):
        priorities.append(
            {
                "number": p,
                "part": 1,
                "part_title": "",
                "title": title,
                "description": description,
                "source_ref": "",
                "objectives": [
                    {
                        "number": o,
                        "title": o_title,
                        "description": "",
                        "we_will": we_will,
                        "where_now": "",
                        "where_want": "",
                        "source_ref": "",
                        "milestones": [_milestone_dict(plan) for plan in plans[(p, o)]],
                        "measures": measures.get((p, o), []),
                    }
                    | ({"responsible": PARTNER} if (p, o) in PARTNER_OBJECTIVES else {})
                    for o, (o_title, we_will, _) in enumerate(objectives, 1)
                ],
                "measures": measures.get((p, 0), []),
            }
        )
    return {"strategy": _strategy_head(d), "priorities": priorities}


# --- loading, as the people would have done it ----------------------------------------------


# What the replayed history writes (load_example), not the document.
WRITTEN_LATER = {"delegates", "last_updated_at", "last_updated_by"}


def _as_written(data: dict[str, Any]) -> dict[str, Any]:
    """The strategy as the document states it: no owners and no updates yet."""
    blank = {"status": "not_started", "forecast_date": None, "commentary": "", "owner": None}
    return data | {
        "priorities": [
            priority
            | {
                "objectives": [
                    objective
                    | {
                        "milestones": [
                            {k: v for k, v in m.items() if k not in WRITTEN_LATER} | blank
                            for m in objective["milestones"]
                        ]
                    }
                    for objective in priority["objectives"]
                ]
            }
            for priority in data["priorities"]
        ]
    }


def _stamp(day: dt.date) -> dt.datetime:
    """A time on `day`; every day the example uses is before today, so it is in the past."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10)))


def _date_latest_history(milestone: Milestone, when: dt.datetime, **snapshot) -> None:
    """Move the newest history row (and the fields it copied) to when it really happened."""
    row = milestone.history.order_by("-history_id").values_list("history_id", flat=True)[0]
    milestone.history.filter(history_id=row).update(history_date=when, **snapshot)


def _assign(milestone: Milestone, plan: MilestonePlan, users: Mapping[str, Any], d: Dates):
    when = _stamp(d.assigned)
    delegates = [users[name] for name in plan.delegates]
    milestone.assign(by=users["admin"], owner=users[plan.owner], add_delegates=delegates)
    Milestone.objects.filter(pk=milestone.pk).update(owner_assigned_at=when)
    MilestoneDelegate.objects.filter(milestone=milestone).update(assigned_at=when)
    _date_latest_history(milestone, when, owner_assigned_at=when)


def _record(milestone: Milestone, update: Update, users: Mapping[str, Any]) -> None:
    milestone.refresh_from_db()
    milestone.record_update(
        by=users[update.by],
        expected_version=milestone.version,
        status=update.status,
        commentary=update.commentary,
        forecast_date=update.forecast,
    )
    when = _stamp(update.on)
    Milestone.objects.filter(pk=milestone.pk).update(last_updated_at=when)
    _date_latest_history(milestone, when, last_updated_at=when)


@transaction.atomic
def load_example(today: dt.date, users: Mapping[str, Any]) -> Strategy:
    """Load the example as `today`, and replay its history: the admin assigns the milestones
    to the leads, who (or whose delegates) then write their updates on the days they did.

    `users` maps each of USERNAMES to its user. All of it is written, or none.
    """
    d = Dates(today)
    strategy = import_strategy(_as_written(build_example(today)), today)
    milestones = Milestone.objects.for_strategy(strategy).order_by(
        "objective__priority__number", "objective__number", "position"
    )
    plans = milestone_plans(today)
    created = _stamp(d.created)
    Milestone.history.filter(id__in=milestones.values("pk")).update(history_date=created)
    for milestone, plan in zip(milestones, plans, strict=True):
        _assign(milestone, plan, users, d)
        for update in plan.updates:
            _record(milestone, update, users)
    return strategy


def milestone_plans(today: dt.date) -> list[MilestonePlan]:
    """Every milestone's plan, in the order the strategy lists them (for checking)."""
    return [plan for plans in _plans(Dates(today)).values() for plan in plans]
