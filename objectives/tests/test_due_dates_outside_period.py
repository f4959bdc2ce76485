"""Strategy JSON with a milestone due outside the strategy's period loads as the file gives it
(a document may date one after its period) and the command names it; the seeds load
unchanged, with nothing to name (milestones/due_dates.py)."""

import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import call_command

from milestones.models import Milestone
from objectives.models import Strategy

pytestmark = pytest.mark.django_db


def _strategy_file(tmp_path, due: str):
    data = {
        "strategy": {
            "title": "Five year plan",
            "slug": "five-year-plan",
            "period_start": "2023-04-01",
            "period_end": "2028-03-31",
            "status": "published",
            "vision": "",
            "purpose": "",
            "aims": "",
            "values": "",
            "summary": "",
            "source_document": "",
            "source_version": "",
            "source_date": None,
            "organisation": {"name": "A Trust", "short_name": ""},
        },
        "priorities": [
            {
                "number": 1,
                "part": 1,
                "part_title": "",
                "title": "Estates",
                "description": "",
                "source_ref": "",
                "objectives": [
                    {
                        "number": 1,
                        "title": "New hospital",
                        "description": "",
                        "we_will": "",
                        "where_now": "",
                        "where_want": "",
                        "source_ref": "",
                        "milestones": [
                            {
                                "title": "The new hospital opens",
                                "heading": "",
                                "due_date": due,
                                "due_text": "by 2030",
                                "status": "not_started",
                                "source_ref": "",
                            }
                        ],
                    }
                ],
            }
        ],
    }
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_a_milestone_due_after_the_period_is_loaded_as_given_and_named(tmp_path):
    out = StringIO()
    call_command("import_strategy", str(_strategy_file(tmp_path, "2030-03-31")), stdout=out)
    assert Milestone.objects.get().due_date == dt.date(2030, 3, 31)
    assert (
        "Note: Milestone 1.1.1 “The new hospital opens”: Its due date, 31 March 2030, is after "
        "the strategy's period, which ends on 31 March 2028. Loaded as the file gives it."
    ) in out.getvalue()


def test_a_milestone_due_within_the_period_loads_without_a_note(tmp_path):
    out = StringIO()
    call_command("import_strategy", str(_strategy_file(tmp_path, "2027-03-31")), stdout=out)
    assert "Note:" not in out.getvalue()


def test_the_seeds_load_unchanged_with_no_milestone_outside_its_period():
    out = StringIO()
    call_command("load_seeds", stdout=out)
    strategies = list(Strategy.objects.all())
    assert len(strategies) == 2 and "Note:" not in out.getvalue()
    for strategy in strategies:
        assert Milestone.objects.due_date_notes(strategy) == []
