"""The public `strategy.json` loads as a new strategy (manage.py import_strategy), though it
leaves out the strategy's status and unshown texts, every report of progress and everyone's
name, and adds the licence it is published under."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from milestones.models import Milestone
from objectives.models import Strategy
from objectives.strategy_json import export_strategy, import_strategy, strategy_queryset
from public.models import OpenData, Publication
from public.open_data import LIVE_MILESTONE_FIELDS, UNSHOWN_STRATEGY_TEXT
from reporting.models import ReportingPeriod
from reporting.quarters import Quarter
from reporting.tests.helpers import close_quarter, q2_strategy

pytestmark = pytest.mark.django_db


@pytest.fixture
def public_file(client, programme_lead, admin_user) -> dict:
    """Strategy "s", published with 2024/25 Q2 closed: its public structure file."""
    strategy = q2_strategy(programme_lead)
    Strategy.objects.filter(pk=strategy.pk).update(vision="Care at home", aims="Kept back")
    close_quarter(strategy, Quarter(2024, 2), by=admin_user)
    Publication.objects.create(strategy=strategy, is_public=True)
    OpenData.objects.create(organisation=strategy.organisation, licence="OGL-UK-3.0")
    response = client.get(reverse("public:structure_json", args=["s"]))
    return json.loads(response.content)


def _elsewhere(data: dict) -> dict:
    """As another installation would load it: with the strategy it came from gone here."""
    ReportingPeriod.objects.all().delete()
    Strategy.objects.all().delete()
    return data


def test_the_public_structure_loads_as_a_new_draft_with_no_progress(public_file, tmp_path: Path):
    path = tmp_path / "s.json"
    path.write_text(json.dumps(_elsewhere(public_file)), encoding="utf-8")
    out = StringIO()

    call_command("import_strategy", str(path), stdout=out)

    strategy = Strategy.objects.get(slug="s")
    assert strategy.status == "draft"  # its Admins review it before publishing it
    assert (strategy.vision, strategy.aims) == ("Care at home", "")
    milestones = Milestone.objects.filter(objective__priority__strategy=strategy)
    assert sorted(milestones.values_list("title", "status", "owner", "commentary")) == [
        ("Agree the plan", "not_started", None, ""),
        ("Hire the team", "not_started", None, ""),
        ("Open the hub", "not_started", None, ""),
    ]
    assert "Open Government Licence v3.0" in out.getvalue()  # said, not stored


def test_the_loaded_strategy_holds_what_the_public_file_says(public_file):
    """Its export, pruned as the public file is, is that file: nothing in it was dropped."""
    strategy = import_strategy(_elsewhere(dict(public_file)))

    exported = export_strategy(strategy_queryset().get(pk=strategy.pk))

    del exported["strategy"]["status"]
    for name in UNSHOWN_STRATEGY_TEXT:
        del exported["strategy"][name]
    for priority in exported["priorities"]:
        for objective in priority["objectives"]:
            objective["milestones"] = [
                {k: v for k, v in m.items() if k not in LIVE_MILESTONE_FIELDS}
                for m in objective["milestones"]
            ]
            for measure in objective["measures"]:
                assert measure.pop("values") == []
    assert exported == {k: v for k, v in public_file.items() if k != "licence"}


def test_a_licence_that_is_not_an_object_is_refused(public_file):
    from objectives.strategy_json import StrategyImportError

    data = _elsewhere(public_file) | {"licence": "OGL"}
    with pytest.raises(StrategyImportError, match="licence: expected an object"):
        import_strategy(data)
    assert not Strategy.objects.exists()


def test_the_public_file_names_no_approver(client, programme_lead, admin_user):
    """The strategy JSON carries its sign-off, approvers by name; the public file names
    nobody, so it leaves the sign-off out."""
    strategy = q2_strategy(programme_lead)
    strategy.requires_approval = True
    strategy.save()
    strategy.approvers.set([admin_user])
    close_quarter(strategy, Quarter(2024, 2), by=admin_user)
    Publication.objects.create(strategy=strategy, is_public=True)

    text = client.get(reverse("public:structure_json", args=["s"])).content.decode()

    assert "sign_off" in json.dumps(export_strategy(strategy))
    assert "sign_off" not in text and admin_user.username not in text
