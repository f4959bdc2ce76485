"""The seed strategies say what their documents say: checked item by item against the text.

Expected values here are read from ../shared/seeds/ (the documents), not from the fixtures.
"""

import datetime as dt
import json
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import transaction

from measures.models import Measure
from milestones.models import Milestone
from objectives.models import Priority, Strategy
from objectives.strategy_json import export_strategy, strategy_queryset

pytestmark = pytest.mark.django_db
SEEDS = Path(settings.BASE_DIR) / "fixtures" / "seeds"
EPUT = "eput-mse-community-2023"
THURROCK = "thurrock-hwbs-2013"


@pytest.fixture(scope="module")
def _seeds_for_the_module(django_db_setup, django_db_blocker):
    """Both seed files, loaded once for the module in a transaction rolled back after it."""
    with django_db_blocker.unblock():
        with transaction.atomic():
            call_command("load_seeds", stdout=StringIO())
            yield
            transaction.set_rollback(True)


@pytest.fixture
def seeds(_seeds_for_the_module, db):
    """The seeds, seen by one test; what the test writes is rolled back after it."""


def _priority(slug: str, number: int, part: int = 1) -> Priority:
    return Priority.objects.get(strategy__slug=slug, part=part, number=number)


def test_both_strategies_load_with_their_documents_facts(seeds):
    eput = Strategy.objects.get(slug=EPUT)
    assert eput.organisation.name == "Essex Partnership University NHS Foundation Trust"
    assert (eput.period_start, eput.period_end) == (dt.date(2023, 4, 1), dt.date(2028, 3, 31))
    assert eput.vision.startswith("To be the leading health and wellbeing service")
    assert "WE CARE" in eput.values and "WE EMPOWER" in eput.values

    thurrock = Strategy.objects.get(slug=THURROCK)
    assert thurrock.period_end == dt.date(2016, 3, 31)
    assert thurrock.source_version == "1.1"
    assert thurrock.source_date == dt.date(2013, 1, 24)
    assert "Resourceful and resilient people" in thurrock.vision


def test_each_strategys_period_is_in_its_documents_own_words_beside_the_dates_read(seeds):
    """Neither document gives a day or a month for its period: its words are kept as printed
    (Thurrock's Document Control, line 23: "Strategy 2013 – 2016"; EPUT, line 17: "the Trust
    Strategic Plan for 2023/24 to 2027/28"), and the dates stay the transcription's reading."""
    thurrock = Strategy.objects.get(slug=THURROCK)
    assert thurrock.period_text == "2013 \u2013 2016"  # an en dash between spaces, as printed
    assert (thurrock.period_start, thurrock.period_end) == (
        dt.date(2013, 4, 1),
        dt.date(2016, 3, 31),
    )
    eput = Strategy.objects.get(slug=EPUT)
    assert eput.period_text == "2023/24 to 2027/28"


def test_eput_has_its_four_strategic_objectives_and_every_key_priority(seeds):
    titles = list(
        Priority.objects.filter(strategy__slug=EPUT)
        .order_by("number")
        .values_list("title", flat=True)
    )
    assert titles == [
        "We will deliver safe, high quality integrated care services",
        "We will enable each other to be the best we can be",
        "We will work with our partners to make our services better",
        "We will help our communities to thrive",
    ]
    # One objective per "Our key priorities" bullet.
    assert [_priority(EPUT, n).objectives.count() for n in (1, 2, 3, 4)] == [7, 9, 10, 6]
    assert _priority(EPUT, 1).objectives.filter(title__startswith="Eradicating long waits").exists()


def test_eput_has_every_how_will_we_measure_success_item(seeds):
    counts = [
        _priority(EPUT, n).measures.exclude(baseline_value__isnull=False).count()
        for n in (1, 2, 3, 4)
    ]
    assert counts == [8, 6, 6, 5]
    vacancy = Measure.objects.get(name__istartswith="Reduced vacancy rate")
    assert vacancy.code == "EPUT-SO2-VACANCY"
    assert vacancy.direction == "lower"
    # A rate is a percentage: "9.8%" must import (transcription note 13).
    assert vacancy.unit == "%"
    assert vacancy.target_value is None and vacancy.baseline_value is None
    assert Measure.objects.get(name__istartswith="Improved retention").direction == "higher"


def test_eput_year_one_commitment_is_a_milestone_due_at_the_end_of_2023_24(seeds):
    milestone = Milestone.objects.get(objective__priority__strategy__slug=EPUT)
    assert "Lighthouse" in milestone.title
    assert milestone.due_date == dt.date(2024, 3, 31)
    assert "Year 1" in milestone.due_text
    assert milestone.objective.title.startswith("Eradicating long waits")


@pytest.mark.parametrize(
    "name_contains,baseline,period_end,second",
    [
        ("monthly referrals", "588", dt.date(2020, 3, 31), "1182"),
        (
            "First Response Teams – number of contacts per referral",
            "2.1",
            dt.date(2020, 3, 31),
            "3.2",
        ),
        (
            "First Response Teams – average total clinical duration",
            "106.9",
            dt.date(2020, 3, 31),
            "150.9",
        ),
        ("First Response Teams – average days on caseload", "36.1", dt.date(2020, 3, 31), "109.8"),
        ("Podiatry – contacts per referral", "1.63", dt.date(2021, 3, 31), "2.67"),
        ("Podiatry – average days on caseload", "22.52", dt.date(2021, 3, 31), "91.32"),
    ],
)
def test_eput_demand_figures_are_measures_with_both_periods(
    seeds, name_contains, baseline, period_end, second
):
    measure = Measure.objects.get(name__icontains=name_contains)
    assert measure.kind == "context"
    assert measure.baseline_value == Decimal(baseline)
    assert measure.baseline_period == period_end
    assert [v.value for v in measure.values.order_by("period_end")] == [
        Decimal(baseline),
        Decimal(second),
    ]
    assert measure.target_value is None


EPUT_DEMAND_CODES = {
    "EPUT-DIS-MONTHLY-REFERRALS",
    "EPUT-FRT-CONTACTS-PER-REF",
    "EPUT-FRT-CLINICAL-DURATION",
    "EPUT-FRT-DAYS-ON-CASELOAD",
    "EPUT-IAS-CARE-CONTACTS",
    "EPUT-POD-CONTACTS-PER-REF",
    "EPUT-POD-CLINICAL-DURATION",
    "EPUT-POD-DAYS-ON-CASELOAD",
}


def test_the_eight_eput_demand_figures_are_context_indicators_and_all_else_success(seeds):
    """'About the care unit – Demand' describes demand; the plan does not set it as a measure."""
    context = Measure.objects.filter(kind="context")
    assert set(context.values_list("code", flat=True)) == EPUT_DEMAND_CODES
    assert all(m.priority == _priority(EPUT, 1) for m in context)
    assert all(m.target_value is None and m.direction == "none" for m in context)
    success = Measure.objects.exclude(code__in=EPUT_DEMAND_CODES)
    assert success.count() == 25 + 10
    assert set(success.values_list("kind", flat=True)) == {"success"}
    assert Measure.objects.success_measures().filter(code__startswith="EPUT-").count() == 25
    assert Measure.objects.success_measures().filter(code__startswith="THK-").count() == 10


def test_a_figure_for_a_year_is_shown_by_the_documents_own_wording(seeds, client, admin_user):
    """The dashboard named "FY2021/22" and "April 2021 onwards" by the day they end ("31 Mar
    2022"), which reads as a month."""
    from measures import readings

    readings.refresh()  # as the task worker does after the seeds' values are written
    client.force_login(admin_user)
    page = client.get(Strategy.objects.get(slug=EPUT).get_absolute_url()).content.decode()
    context = page[page.index('id="context"') :]
    assert "FY2021/22" in context and "April 2021 onwards" in context and ">2022<" in context
    assert "31 Mar 2022" not in context


def test_thurrock_has_four_adult_priorities_and_four_part_two_priorities(seeds):
    part_one = Priority.objects.filter(strategy__slug=THURROCK, part=1).order_by("number")
    # Titles as the priority sections are headed (pp. 22-40).
    assert [p.title for p in part_one] == [
        "Improve the quality of health and social care",
        "Strengthen the mental health and emotional well-being of people in Thurrock",
        "Improve our response to the frail elderly and people with dementia",
        "Improve the physical health and well-being of people in Thurrock",
    ]
    assert part_one.count() == 4
    assert [p.objectives.count() for p in part_one] == [4, 5, 4, 2]
    part_two = Priority.objects.filter(strategy__slug=THURROCK, part=2)
    assert part_two.count() == 4
    assert all(p.objectives.count() == 3 for p in part_two)
    assert not Milestone.objects.filter(objective__priority__in=part_two).exists()
    assert _priority(THURROCK, 1, part=2).title == "Outstanding universal services and outcomes"
    # Each part as it is headed (lines 148 and 157 of the document).
    assert {p.part_title for p in part_one} == {
        "Part One: Improving the Health and Well-Being of Adults in Thurrock"
    }
    assert {p.part_title for p in part_two} == {
        "Part Two: Improving the Health and Well-Being of Children and Young People in Thurrock"
    }


def test_thurrock_milestone_counts_per_priority(seeds):
    counts = [
        Milestone.objects.filter(objective__priority=_priority(THURROCK, n)).count()
        for n in (1, 2, 3, 4)
    ]
    assert counts == [34, 14, 18, 5]


def _milestone_counts(priority: Priority) -> list[int]:
    return [o.milestones.count() for o in priority.objectives.order_by("number")]


def test_thurrock_milestone_counts_per_objective(seeds):
    # Each merged "Key milestones" cell is placed by the objectives' own "We will" lists
    # (transcription note 26).
    assert _milestone_counts(_priority(THURROCK, 1)) == [11, 5, 10, 8]
    assert _milestone_counts(_priority(THURROCK, 2)) == [9, 0, 0, 0, 5]
    assert _milestone_counts(_priority(THURROCK, 3)) == [3, 8, 1, 6]
    assert _milestone_counts(_priority(THURROCK, 4)) == [2, 3]


def _p3_titles(objective_number: int) -> list[str]:
    objective = _priority(THURROCK, 3).objectives.get(number=objective_number)
    return [m.title for m in objective.milestones.order_by("position")]


def test_p3_rras_and_reablement_milestones_are_under_objective_4(seeds):
    """Objective 4's own 'We will' names the RRAS and the Joint Integrated Reablement Pathway."""
    infrastructure = _priority(THURROCK, 3).objectives.get(number=4)
    assert infrastructure.title == (
        "Creating the social care and health infrastructure to manage demand"
    )
    assert "Rapid Response and Assessment Service" in infrastructure.we_will
    assert "Joint Integrated Reablement Pathway" in infrastructure.we_will
    # In the document's order: RRAS first, then the reablement pathway.
    assert _p3_titles(4) == [
        "Development of a RRAS model",
        "Commissioning of the RRAS service",
        "Scoping paper concerning the move to moderate needs in reablement",
        "Service review",
        "Agree model and pathways",
        "Full integration achieved",
    ]
    headings = [m.heading for m in infrastructure.milestones.order_by("position")]
    assert all(h.startswith("Continued development and delivery of Rapid") for h in headings[:2])
    assert all(h.startswith("Further development and integration of a Joint") for h in headings[2:])
    assert [m.position for m in infrastructure.milestones.order_by("position")] == [
        1,
        2,
        3,
        4,
        5,
        6,
    ]


def test_p3_carers_strategy_milestone_is_under_objective_3(seeds):
    """Objective 3's own 'We will': '… through the implementation of Thurrock Carers' Strategy'."""
    communities = _priority(THURROCK, 3).objectives.get(number=3)
    assert "Carers' Strategy" in communities.we_will
    carers = communities.milestones.get()
    assert carers.title == "Embed new outsourced Carers Support, Information, and Advice Service"
    assert carers.heading == "Implementation of Carers' Strategy"
    assert (carers.due_text, carers.due_date, carers.position) == (
        "Mar 2014",
        dt.date(2014, 3, 31),
        1,
    )


def test_p3_objective_2_keeps_the_loneliness_plan_lac_abcd_and_the_unmatched_item(seeds):
    """LAC/ABCD match objectives 2 and 3 alike, the loneliness plan only objective 2, and the
    Primary Care Quality Improvement Plan none of 2-4: all stay under objective 2."""
    assert _p3_titles(2) == [
        "Implementation of Asset Based Community Development Pilot",
        "Evaluation of ABCD pilot",
        "Roll-out ABCD dependent upon evaluation",
        "Establish LAC pilot",
        "Evaluation and assessment of pilot",
        "Implementation of Local Area Co-ordination dependent upon pilot",
        "Development and implementation of a Thurrock-specific "
        "Primary Care Quality Improvement Plan",
        "Development and implementation of loneliness plan "
        "(as part of Emotional Health and Well-Being Strategy)",
    ]
    grow_older = _priority(THURROCK, 3).objectives.get(number=2)
    assert "loneliness plan" in grow_older.we_will
    assert (
        not Milestone.objects.filter(
            objective__priority=_priority(THURROCK, 3), objective__number__in=(3, 4)
        )
        .filter(title__icontains="loneliness")
        .exists()
    )


def test_p2_shared_milestones_stay_under_objective_1(seeds):
    """Rows 1-4 share one 'We will' list, so no milestone belongs to objective 2, 3 or 4 alone."""
    p2 = _priority(THURROCK, 2)
    shared = p2.objectives.get(number=1).milestones.order_by("position")
    assert [m.title for m in shared][:2] == [
        "South Essex Mental Health Strategy and Thurrock implementation plan in place",
        "Pilots",
    ]
    assert shared.filter(title="Local Area Coordination Pilot sites established").exists()
    assert shared.filter(heading__startswith="Development and implementation of CAMHS").count() == 3


def test_thurrock_objectives_keep_their_document_text(seeds):
    primary = _priority(THURROCK, 1).objectives.get(number=1)
    assert primary.title == "Improve the quality of primary care"
    assert "18 of 36 practices" in primary.where_now
    assert "Ensure an adequate number of GPs" in primary.where_want
    assert "Ensure equity of access to primary care services" in primary.we_will
    obesity = _priority(THURROCK, 4).objectives.get(number=2)
    assert obesity.title == "Reduce the prevalence of obesity in Thurrock"


@pytest.mark.parametrize(
    "title_starts,due_text,due_date",
    [
        (
            "Development of a quality mark for general practice",
            "by March 2014",
            dt.date(2014, 3, 31),
        ),
        ("Scoping paper concerning the move to moderate needs", "Sept 2013", dt.date(2013, 9, 30)),
        ("Full integration achieved", "September 2015", dt.date(2015, 9, 30)),
        ("GPs to self-assess", "Apr 2013", dt.date(2013, 4, 30)),
        ("CQC to assess practices", "2013/14", dt.date(2014, 3, 31)),
        ("Improvement plans in place", "14/15", dt.date(2015, 3, 31)),
        ("Market Position Statement in place", "June 2013", dt.date(2013, 6, 30)),
        ("Joint Market Position Statement published", "April 2014", dt.date(2014, 4, 30)),
        ("Setting up of a Thurrock Dementia Alliance", "2013/14", dt.date(2014, 3, 31)),
        ("Delivery of training courses for staff", "2015/16", dt.date(2016, 3, 31)),
        (
            "Development of a Thurrock Tobacco Control Action Plan",
            "by March 2014",
            dt.date(2014, 3, 31),
        ),
        ("Delivery of a Tobacco Control Action plan", "by March 2016", dt.date(2016, 3, 31)),
        ("Refresh Thurrock's Sport & Leisure Action Plan", "by June 2013", dt.date(2013, 6, 30)),
        ("Embed new outsourced Carers Support", "Mar 2014", dt.date(2014, 3, 31)),
    ],
)
def test_thurrock_dated_milestones_follow_the_date_convention(
    seeds, title_starts, due_text, due_date
):
    milestones = Milestone.objects.filter(
        objective__priority__strategy__slug=THURROCK, title__startswith=title_starts
    )
    assert milestones.exists()
    for milestone in milestones:
        assert (milestone.due_text, milestone.due_date) == (due_text, due_date)


def test_the_reablement_milestones_are_four_and_repeated_where_the_document_repeats_them(seeds):
    reablement = Milestone.objects.filter(
        objective__priority__strategy__slug=THURROCK,
        title__in=[
            "Scoping paper concerning the move to moderate needs in reablement",
            "Service review",
            "Agree model and pathways",
            "Full integration achieved",
        ],
    )
    objectives = {m.objective_id for m in reablement}
    assert reablement.count() == 4 * len(objectives)
    # Printed in P1 primary care, P1 whole system pathway, and P3 rows 2-4 (objective 4's list).
    assert {(m.objective.priority.number, m.objective.number) for m in reablement} == {
        (1, 1),
        (1, 4),
        (3, 4),
    }


def test_an_item_with_no_date_has_no_due_date(seeds):
    review = Milestone.objects.get(title__startswith="Extensive Review of Accident and Emergency")
    assert review.due_date is None
    assert review.due_text == "by x"


@pytest.mark.parametrize(
    "code,baseline,period",
    [
        ("THK-SMOKING-ADULT", "23.2", None),
        ("THK-OBESITY-ADULT", "28.1", None),
        ("THK-OBESITY-CHILD-AGE5", "10", None),
        ("THK-OBESITY-CHILD-AGE11", "21.1", None),
        ("THK-REABLEMENT-90DAY-INDEPENDENT", "91", dt.date(2012, 3, 31)),
    ],
)
def test_thurrock_figures_are_measures_with_baselines_and_no_invented_target(
    seeds, code, baseline, period
):
    measure = Measure.objects.get(code=code)
    assert measure.baseline_value == Decimal(baseline)
    assert measure.baseline_period == period
    assert measure.unit == "%"
    assert measure.target_value is None and measure.target_date is None


def test_a_figure_dated_only_by_its_publication_has_no_period_and_no_value_row(seeds):
    # "GP Patient Survey results published in December 2012 showed ... 4 of these were in
    # Thurrock": when the results came out, not the period they cover.
    measure = Measure.objects.get(code="THK-GP-LOWEST-10PCT-SATISFACTION")
    assert measure.baseline_value == 4
    assert measure.baseline_period is None
    assert "published in December 2012" in measure.baseline_period_text
    assert not measure.values.exists()


def test_no_status_updates_owners_or_figures_are_invented(seeds):
    milestones = Milestone.objects.all()
    assert milestones.count() == 72
    assert not milestones.exclude(status="not_started").exists()
    assert not milestones.filter(owner__isnull=False).exists()
    assert not milestones.filter(last_updated_at__isnull=False).exists()
    assert not Measure.objects.filter(target_value__isnull=False).exists()


@pytest.mark.parametrize("slug", [EPUT, THURROCK])
def test_each_seed_file_is_exactly_what_the_app_exports(seeds, slug):
    on_disk = json.loads((SEEDS / f"{slug}.json").read_text(encoding="utf-8"))
    assert export_strategy(strategy_queryset().get(slug=slug)) == on_disk


def test_loading_the_seeds_again_changes_nothing(seeds):
    counts = (Strategy.objects.count(), Milestone.objects.count(), Measure.objects.count())
    out = StringIO()
    call_command("load_seeds", stdout=out)
    assert "already loaded" in out.getvalue()
    assert counts == (Strategy.objects.count(), Milestone.objects.count(), Measure.objects.count())
