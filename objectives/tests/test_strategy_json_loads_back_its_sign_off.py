"""A strategy's JSON, as the app exports it, loads back: its sign-off too, when the
approver it names has since lost the Approver role (a state the app keeps and says)."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from objectives.models import Membership, Organisation, Strategy
from strategy_tracker.roles import APPROVER, BOARD_MEMBER
from tests.factories import make_objective, make_priority, make_strategy

pytestmark = pytest.mark.django_db


def test_an_export_whose_approver_lost_the_role_loads_back(make_member, tmp_path: Path):
    trust = Organisation.objects.create(name="Trust", short_name="T")
    strategy = make_strategy(slug="so", organisation=trust)
    make_objective(make_priority(strategy, number=1), number=1)
    ann = make_member("ann", {trust: [APPROVER, BOARD_MEMBER]})
    strategy.requires_approval = True
    strategy.save()
    strategy.approvers.set([ann])
    # Her Approver role is taken away; the app keeps her named (the periods page says so).
    Membership.objects.filter(user=ann, role=APPROVER).delete()

    out = StringIO()
    call_command("export_strategy", "so", stdout=out)
    before = json.loads(out.getvalue())
    Strategy.objects.all().delete()
    path = tmp_path / "so.json"
    path.write_text(json.dumps(before), encoding="utf-8")

    call_command("import_strategy", str(path), stdout=StringIO())  # CommandError today

    loaded = Strategy.objects.get(slug="so")
    assert loaded.requires_approval
    assert list(loaded.approvers.values_list("username", flat=True)) == ["ann"]
    assert get_user_model().objects.filter(username="ann").exists()
