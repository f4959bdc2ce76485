"""Data out of the app and back in, unchanged (found by a round-trip pass)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from editor import structure_export
from measures.models import MeasureValue
from milestones.models import Milestone
from milestones.status import milestone_status
from milestones.tests.posted_forms import form_as_posted
from objectives.models import Strategy
from objectives.strategy_json import export_strategy, import_strategy, strategy_queryset
from tests.factories import (
    make_measure,
    make_milestone,
    make_objective,
    make_priority,
    make_strategy,
)

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 12, 2)


def _status(m: Milestone):
    return milestone_status(
        status=m.status,
        due_date=m.due_date,
        forecast_date=m.forecast_date,
        last_updated_at=m.last_updated_at,
        today=TODAY,
    )


def _json_round_trip(strategy: Strategy) -> Strategy:
    data = export_strategy(strategy_queryset().get(pk=strategy.pk))
    Strategy.objects.filter(pk=strategy.pk).delete()
    return import_strategy(data, today=TODAY)


@pytest.mark.parametrize("reported", ["on_track", "at_risk", "off_track"])
def test_json_round_trip_keeps_an_undated_milestones_reported_status(programme_lead, reported):
    """An undated milestone its owner reported on is judged on the report; after export →
    import it has no last_updated_at, so the board sees grey "no due date and no update yet"."""
    strategy = make_strategy(slug="rt-undated")
    objective = make_objective(make_priority(strategy))
    make_milestone(
        objective,
        title="Undated but reported",
        due_date=None,
        status=reported,
        commentary="Behind: no funding yet",
        owner=programme_lead,
        last_updated_at=timezone.now(),
        last_updated_by=programme_lead,
    )
    before = _status(Milestone.objects.get())

    _json_round_trip(strategy)

    after = _status(Milestone.objects.get())
    assert (after.rag, after.reason) == (before.rag, before.reason)


def test_json_round_trip_keeps_the_milestones_numbers(admin_user):
    """A workbook that drops milestone 1.1.2 leaves 1.1.3 numbered 3 (README). The JSON
    carries no number, so after export → import the same milestone is 1.1.2: a workbook
    drawn from the loaded strategy numbers it otherwise than the original's."""
    strategy = make_strategy(slug="rt-numbers", status="draft")
    objective = make_objective(make_priority(strategy, number=1), number=1)
    make_milestone(objective, position=1, title="First")
    make_milestone(objective, position=3, title="Third, kept its number")
    before = [(r["number"], r["title"]) for r in structure_export.item_rows(strategy)]

    again = _json_round_trip(strategy)

    assert [(r["number"], r["title"]) for r in structure_export.item_rows(again)] == before


def test_a_baseline_moved_past_the_measures_own_figures_is_refused(client, admin_user):
    """A measure with figures since 2020 whose baseline an Admin moved to 2023 in the editor:
    neither its strategy's JSON nor its figures file loaded back, since the import refuses a
    figure before the baseline. The editor refuses the move instead, and both round trip."""
    strategy = make_strategy(slug="rt-rebased")
    objective = make_objective(make_priority(strategy))
    measure = make_measure(
        objective,
        code="RT-REBASED",
        unit="count",
        baseline_value=Decimal(10),
        baseline_period=dt.date(2020, 3, 31),
    )
    for year, value in ((2020, 10), (2021, 12), (2024, 15)):
        MeasureValue.objects.create(
            measure=measure, period_end=dt.date(year, 3, 31), value=Decimal(value)
        )
    client.force_login(admin_user)
    url = reverse("editor:item", args=[strategy.slug, "measure", measure.pk])
    data = form_as_posted(client.get(url).content.decode(), action="")
    response = client.post(url, data | {"baseline_period": ["2023-03-31"]})
    assert response.status_code == 400
    assert "Figures are stored for periods before 31 March 2023" in response.content.decode()
    narrowed = client.post(url, data | {"maximum_value": ["12"]})
    said = narrowed.content.decode()
    assert "A figure already stored is outside this measure" in said and "12): 15 for" in said
    measure.refresh_from_db()
    assert (measure.baseline_period, measure.maximum_value) == (dt.date(2020, 3, 31), None)

    exported = client.get(f"/strategies/{strategy.slug}/figures.csv").content
    response = client.post("/measures/import/", {"file": SimpleUploadedFile("back.csv", exported)})
    report = client.get(response["Location"]).context["report"]
    assert report.summary == "0 new, 0 updated, 3 unchanged"
    before = export_strategy(strategy_queryset().get(pk=strategy.pk))
    again = _json_round_trip(strategy)
    assert export_strategy(strategy_queryset().get(pk=again.pk)) == before


@pytest.mark.parametrize("note", ["'=B2 is last year's figure", "'-5 against plan"])
def test_a_note_starting_with_an_apostrophe_and_a_formula_sign_exports_and_imports_back(
    client, admin_user, note
):
    """Stored by a strategy's JSON (or an import of ''-5…): exported as is, the import takes
    its apostrophe off as the export's formula guard, and confirming would rewrite the note."""
    objective = make_objective(make_priority(make_strategy(slug="rt-note")))
    measure = make_measure(objective, code="RT-NOTE", unit="count")
    MeasureValue.objects.create(
        measure=measure, period_end=dt.date(2024, 6, 30), value=Decimal(5), note=note
    )
    client.force_login(admin_user)
    exported = client.get("/measures/RT-NOTE/values.csv").content
    response = client.post("/measures/import/", {"file": SimpleUploadedFile("back.csv", exported)})
    report = client.get(response["Location"]).context["report"]
    assert report.summary == "0 new, 0 updated, 1 unchanged"


@pytest.mark.parametrize(
    "spoil, dropped",
    [
        # Milestones written under a priority (the document lists them there) vanish.
        (
            lambda d: d["priorities"][0].update(
                milestones=[
                    {
                        "title": "Lost",
                        "heading": "",
                        "due_date": None,
                        "due_text": "",
                        "status": "not_started",
                        "source_ref": "",
                    }
                ]
            ),
            "priority 1 milestones",
        ),
        # A slip of the keyboard in an optional key: the delegate is never made.
        (
            lambda d: d["priorities"][0]["objectives"][0]["milestones"][0].update(
                delegate=["lead"]
            ),
            "delegate",
        ),
        # A trajectory under a misspelt key: no planned point, no word.
        (
            lambda d: d["priorities"][0]["objectives"][0]["measures"][0].update(
                trajectories=[{"period_end": "2025-03-31", "value": "20"}]
            ),
            "trajectories",
        ),
    ],
    ids=["milestones-under-a-priority", "delegate-typo", "trajectory-typo"],
)
def test_a_strategy_json_key_the_import_does_not_read_is_refused_not_dropped(
    programme_lead, spoil, dropped
):
    strategy = make_strategy(slug="rt-keys")
    objective = make_objective(make_priority(strategy))
    make_milestone(objective, position=1, title="Kept")
    make_measure(objective, code="RT-KEYS", unit="count")
    data = export_strategy(strategy_queryset().get(pk=strategy.pk))
    Strategy.objects.all().delete()
    spoil(data)

    from objectives.strategy_json import StrategyImportError

    with pytest.raises(StrategyImportError):
        import_strategy(data, today=TODAY)


def test_a_workbooks_organisation_short_name_is_refused_not_dropped(admin_user):
    """Strategy sheet, "Organisation short name" changed: the preview said the strategy's
    details are updated, Import wrote nothing of it, and the same file previewed as
    "updated" again for ever. The organisation's short name is shared by its strategies: the
    workbook is refused in words."""
    from editor import structure_import
    from editor.workbook_files import read_strategy_file, write_workbook
    from objectives.models import Organisation

    organisation = Organisation.objects.create(name="Thurrock Council", short_name="TC")
    strategy = make_strategy(slug="rt-short", status="draft", organisation=organisation)
    make_priority(strategy, number=1, title="Start well")
    values = structure_export.strategy_values(strategy) | {"organisation_short_name": "Thurrock"}
    content = write_workbook(values, structure_export.item_rows(strategy))

    plan = structure_import.plan(read_strategy_file(content, "w.xlsx", 10**7), strategy)
    assert not plan.ok
    assert any("cannot change the short name of Thurrock Council" in p for p in plan.problems)
    organisation.refresh_from_db()
    assert organisation.short_name == "TC"
