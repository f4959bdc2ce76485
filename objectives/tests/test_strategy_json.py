import datetime as dt
import json
import re
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from measures.models import Measure, MeasureValue
from milestones.models import Milestone, MilestoneDelegate
from objectives.models import Organisation, Partner, Strategy
from objectives.strategy_json import StrategyImportError, export_strategy, import_strategy
from tests.factories import (
    make_measure,
    make_milestone,
    make_objective,
    make_priority,
    make_strategy,
)

pytestmark = pytest.mark.django_db


def _export(slug: str) -> dict:
    out = StringIO()
    call_command("export_strategy", slug, stdout=out)
    return json.loads(out.getvalue())


@pytest.fixture
def strategy(programme_lead, board_member):
    strategy = make_strategy(slug="rt", title="Round trip", vision="A vision")
    priority = make_priority(strategy, number=1, title="First")
    make_priority(strategy, number=1, part=2, part_title="Part Two", title="Children")
    objective = make_objective(priority, number=1, we_will="Do a\nDo b", where_now="Now")
    scoping = make_milestone(
        objective,
        title="Scoping paper",
        heading="Reablement",
        due_date=dt.date(2013, 9, 30),
        due_text="Sept 2013",
        owner=programme_lead,
    )
    make_milestone(objective, title="Review of mortality data", due_text="by x")
    MilestoneDelegate.objects.create(milestone=scoping, user=board_member)
    measure = make_measure(
        objective,
        code="RT-ONE",
        unit="%",
        direction="lower",
        baseline_value=Decimal("23.2"),
        baseline_period=dt.date(2012, 3, 31),
    )
    MeasureValue.objects.create(
        measure=measure, period_end=dt.date(2012, 3, 31), value=Decimal("23.2")
    )
    MeasureValue.objects.create(
        measure=measure, period_end=dt.date(2013, 3, 31), value=Decimal("100")
    )
    make_measure(priority=priority, code="RT-TWO", name="Improved retention", direction="higher")
    return strategy


def test_export_gives_the_documented_shape(strategy):
    data = _export("rt")

    assert data["strategy"]["title"] == "Round trip"
    assert data["strategy"]["organisation"]["name"] == strategy.organisation.name
    first = data["priorities"][0]
    assert [first["number"], first["title"]] == [1, "First"]
    milestone = first["objectives"][0]["milestones"][0]
    assert milestone == milestone | {
        "title": "Scoping paper",
        "due_date": "2013-09-30",
        "due_text": "Sept 2013",
        "status": "not_started",
        "owner": "lead",
        "delegates": ["board"],
    }
    assert "delegates" not in first["objectives"][0]["milestones"][1]  # none: left out
    assert first["objectives"][0]["milestones"][1]["due_date"] is None
    measure = first["objectives"][0]["measures"][0]
    assert measure["baseline_value"] == "23.2"
    assert measure["values"] == [
        {"period_end": "2012-03-31", "period_text": "", "value": "23.2", "note": "", "source": ""},
        {"period_end": "2013-03-31", "period_text": "", "value": "100", "note": "", "source": ""},
    ]
    assert first["measures"][0]["code"] == "RT-TWO"
    assert data["priorities"][1]["part_title"] == "Part Two"


def test_export_then_import_then_export_gives_identical_json(strategy, tmp_path: Path):
    before = _export("rt")
    Strategy.objects.all().delete()
    assert not Measure.objects.exists()
    path = tmp_path / "rt.json"
    path.write_text(json.dumps(before), encoding="utf-8")

    call_command("import_strategy", str(path), stdout=StringIO())

    assert _export("rt") == before


def test_import_refuses_a_strategy_that_already_exists(strategy, tmp_path: Path):
    path = tmp_path / "rt.json"
    path.write_text(json.dumps(_export("rt")), encoding="utf-8")
    counts = (Strategy.objects.count(), Milestone.objects.count(), Measure.objects.count())

    with pytest.raises(CommandError, match="already exists; nothing was loaded"):
        call_command("import_strategy", str(path))
    assert counts == (Strategy.objects.count(), Milestone.objects.count(), Measure.objects.count())


def test_a_bad_file_loads_nothing_and_says_where_the_problem_is(strategy):
    data = export_strategy(strategy)
    Strategy.objects.all().delete()
    data["priorities"][0]["objectives"][0]["milestones"][1]["due_date"] = "2014-02-30"

    with pytest.raises(StrategyImportError, match="priority 1 objective 1 milestone 2 due_date"):
        import_strategy(data)
    assert not Strategy.objects.exists()
    assert not Milestone.objects.exists()


def test_a_measure_code_already_used_elsewhere_is_refused(strategy):
    data = export_strategy(strategy)
    data["strategy"]["slug"] = "another"

    with pytest.raises(StrategyImportError, match="a measure with code RT-ONE exists"):
        import_strategy(data)
    assert Strategy.objects.count() == 1


def test_a_file_that_is_not_json_is_refused_clearly(tmp_path: Path):
    path = tmp_path / "bad.json"
    path.write_bytes(b"\xff\xfe not json")
    with pytest.raises(CommandError, match="not a UTF-8 JSON file"):
        call_command("import_strategy", str(path))


def test_the_export_downloads_from_the_strategy_page(client, board_member, strategy):
    client.force_login(board_member)
    response = client.get("/strategies/rt/export.json")

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="rt.json"'
    assert response.json() == _export("rt")


def test_the_export_needs_a_signed_in_user(client, strategy):
    response = client.get("/strategies/rt/export.json")
    assert response.status_code == 302


def test_the_export_reads_a_fixed_number_of_queries(
    client, board_member, strategy, django_assert_max_num_queries
):
    client.force_login(board_member)
    with django_assert_max_num_queries(18):  # one query per level, delegates and partners included
        client.get("/strategies/rt/export.json")


def test_a_measure_order_set_in_the_editor_survives_the_round_trip(strategy, tmp_path: Path):
    objective_measure = Measure.objects.get(code="RT-ONE")
    second = make_measure(objective_measure.objective, code="RT-THREE")
    Measure.objects.filter(pk=second.pk).update(position=1)
    Measure.objects.filter(pk=objective_measure.pk).update(position=2)
    before = _export("rt")
    codes = [m["code"] for m in before["priorities"][0]["objectives"][0]["measures"]]
    assert codes == ["RT-THREE", "RT-ONE"]
    Strategy.objects.all().delete()
    path = tmp_path / "rt.json"
    path.write_text(json.dumps(before), encoding="utf-8")
    call_command("import_strategy", str(path), stdout=StringIO())
    assert _export("rt") == before


def test_partners_and_who_is_responsible_survive_the_round_trip(strategy, tmp_path: Path):
    council = Organisation.objects.create(name="Council", short_name="TC")
    Partner.objects.create(strategy=strategy, organisation=council)
    Milestone.objects.filter(title="Scoping paper").update(responsible=council)
    Measure.objects.filter(code="RT-TWO").update(responsible=council)
    before = _export("rt")
    assert before["strategy"]["partners"] == [{"name": "Council", "short_name": "TC"}]
    milestones = before["priorities"][0]["objectives"][0]["milestones"]
    assert [m.get("responsible") for m in milestones] == ["Council", None]
    assert before["priorities"][0]["measures"][0]["responsible"] == "Council"
    Strategy.objects.all().delete()
    path = tmp_path / "rt.json"
    path.write_text(json.dumps(before), encoding="utf-8")
    call_command("import_strategy", str(path), stdout=StringIO())
    assert _export("rt") == before


def test_an_item_naming_an_organisation_outside_the_partnership_loads_nothing(strategy):
    data = _export("rt")
    Strategy.objects.all().delete()
    data["priorities"][0]["objectives"][0]["milestones"][0]["responsible"] = "Elsewhere"
    with pytest.raises(StrategyImportError, match="'Elsewhere' is neither the lead"):
        import_strategy(data)
    assert not Strategy.objects.exists() and not Milestone.objects.exists()


def _objective(data: dict) -> dict:
    return data["priorities"][0]["objectives"][0]


@pytest.mark.parametrize(
    "spoil,where",
    [
        (lambda d: d.update(priorities=5), "priorities: expected a list, got int"),
        (
            lambda d: _objective(d).update(milestones=["Open the hub"]),
            "priority 1 objective 1 milestone 1: expected an object, got str",
        ),
        (
            lambda d: _objective(d)["measures"][0].update(trajectory=5),
            "priority 1 objective 1 measure 1 trajectory: expected a list",
        ),
        (
            lambda d: _objective(d)["milestones"][0].update(delegates=[["a"]]),
            "milestone 1 delegates: expected a list of usernames",
        ),
        (
            lambda d: d["priorities"][0].update(number=1.7),
            "priority 1 number: 1.7 is not a whole number",
        ),
        (
            lambda d: _objective(d)["measures"][0]["values"][0].update(period_end="2012-05-17"),
            "measure 1 value 1: 17 May 2012 is not the end of a quarter",
        ),
        (
            lambda d: _objective(d)["measures"][0]["values"][0].update(period_end="0001-03-31"),
            "is before 1990",
        ),
        (lambda d: d["priorities"][0].update(title="\u200b"), "priority 1: title: Type some"),
        (
            lambda d: d["priorities"][1].update(part_title="\u200b"),
            "priority 2: part_title: Type some",
        ),
        (
            lambda d: _objective(d)["measures"][0]["values"][0].update(period_end="2011-12-31"),
            "before this measure's baseline (31 March 2012)",
        ),
        (
            lambda d: _objective(d)["measures"][0].update(spc_baseline_points=5),
            "spc_baseline_points: Ensure this value is greater than or equal to 8",
        ),
        (lambda d: d["priorities"][0].update(title=1.5), "priority 1 title: 1.5 is not text"),
        (
            lambda d: _objective(d)["measures"][0]["values"][0].update(period_end=None),
            "measure 1 value 1: period_end",
        ),
        (
            lambda d: d["strategy"]["organisation"].update(name="\u200b"),
            "organisation: name: Type some",
        ),
    ],
)
def test_a_misshapen_file_loads_nothing_and_says_where_and_why(strategy, spoil, where):
    data = export_strategy(strategy)
    Strategy.objects.all().delete()
    spoil(data)
    with pytest.raises(StrategyImportError, match=re.escape(where)):
        import_strategy(data)
    assert not Strategy.objects.exists() and not Milestone.objects.exists()


def test_a_value_of_a_kind_no_check_foresaw_is_refused_in_words(strategy, tmp_path: Path):
    """A list where an organisation's name goes raised a TypeError traceback."""
    data = _export("rt")
    Strategy.objects.all().delete()
    data["priorities"][0]["responsible"] = ["not", "a", "name"]
    path = tmp_path / "odd.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(CommandError, match="a value of the wrong kind .*nothing was loaded"):
        call_command("import_strategy", str(path))
    assert not Strategy.objects.exists()


@pytest.mark.parametrize(
    ("spoil", "said"),
    [
        (
            lambda d: d["priorities"][0]["objectives"][0]["milestones"][0].update(
                title=["Scoping", "paper"]
            ),
            'title: ["Scoping", "paper"] is not text',
        ),
        (
            lambda d: d["priorities"][0]["objectives"][0]["milestones"][0].update(
                commentary={"text": "On track"}
            ),
            'commentary: {"text": "On track"} is not text',
        ),
        (lambda d: d["strategy"].update(vision=True), "vision: true is not text"),
        (lambda d: d["priorities"][0].update(number=True), "number: true is not a whole number"),
    ],
)
def test_a_list_object_or_true_where_text_goes_is_refused(strategy, spoil, said, tmp_path):
    """Stored as Python's text of it: "['Scoping', 'paper']", "{'text': 'On track'}",
    "True" (found by a bad-input pass)."""
    data = _export("rt")
    Strategy.objects.all().delete()
    spoil(data)
    path = tmp_path / "odd.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(CommandError, match=re.escape(said)):
        call_command("import_strategy", str(path))
    assert not Strategy.objects.exists()
    assert not Milestone.objects.exists()


def test_a_utf8_file_with_a_byte_order_mark_loads(strategy, tmp_path):
    """Notepad and PowerShell write UTF-8 with a byte-order mark; the command said the file
    was "not a UTF-8 JSON file"."""
    data = _export("rt")
    Strategy.objects.all().delete()
    path = tmp_path / "bom.json"
    path.write_text(json.dumps(data), encoding="utf-8-sig")
    call_command("import_strategy", str(path), stdout=StringIO())
    assert _export("rt") == data


def test_a_targets_document_wording_survives_the_round_trip(strategy, tmp_path):
    Measure.objects.filter(code="RT-ONE").update(
        target_value=Decimal(12), target_date=dt.date(2028, 3, 31), target_period_text="2027/28"
    )
    before = _export("rt")
    measure = before["priorities"][0]["objectives"][0]["measures"][0]
    assert (measure["target_date"], measure["target_period_text"]) == ("2028-03-31", "2027/28")
    Strategy.objects.all().delete()
    path = tmp_path / "rt.json"
    path.write_text(json.dumps(before), encoding="utf-8")
    call_command("import_strategy", str(path), stdout=StringIO())
    assert Measure.objects.get(code="RT-ONE").target_period_text == "2027/28"
    assert _export("rt") == before


def test_a_target_with_no_wording_is_left_out_and_a_file_without_the_key_loads(strategy):
    """The seed files, written before the target's wording was kept, give no such key: each
    is still exactly what the app exports, and loads with no wording."""
    data = export_strategy(strategy)
    measure = data["priorities"][0]["objectives"][0]["measures"][0]
    assert "target_period_text" not in measure
    Strategy.objects.all().delete()
    import_strategy(data)
    assert Measure.objects.get(code="RT-ONE").target_period_text == ""
