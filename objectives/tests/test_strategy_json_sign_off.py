"""A strategy's sign-off (whether milestone updates need approval, and its approvers) goes
out in its JSON and back in, so a strategy rebuilt from its file signs off as it did; a
sign-off the import cannot take as it is written is refused, naming why, and loads nothing."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from objectives.models import Organisation, Partner, Strategy
from objectives.strategy_json import StrategyImportError, export_strategy, import_strategy
from strategy_tracker.roles import APPROVER, BOARD_MEMBER
from tests.factories import make_objective, make_priority, make_strategy

pytestmark = pytest.mark.django_db


@pytest.fixture
def strategy(make_member):
    trust = Organisation.objects.create(name="Trust", short_name="T")
    council = Organisation.objects.create(name="Council", short_name="C")
    strategy = make_strategy(slug="so", organisation=trust)
    Partner.objects.create(strategy=strategy, organisation=council)
    make_objective(make_priority(strategy, number=1), number=1)
    make_member("ann", {trust: [APPROVER]})
    make_member("cal", {council: [APPROVER]})  # a partner's Approver
    make_member("bob", {trust: [BOARD_MEMBER]})
    return strategy


def _export(slug: str) -> dict:
    out = StringIO()
    call_command("export_strategy", slug, stdout=out)
    return json.loads(out.getvalue())


def _rebuilt(before: dict, tmp_path: Path) -> dict:
    Strategy.objects.all().delete()
    path = tmp_path / "so.json"
    path.write_text(json.dumps(before), encoding="utf-8")
    call_command("import_strategy", str(path), stdout=StringIO())
    return _export(before["strategy"]["slug"])


def test_sign_off_survives_the_round_trip(strategy, tmp_path: Path):
    strategy.requires_approval = True
    strategy.save()
    strategy.approvers.set(get_user_model().objects.filter(username__in=["cal", "ann"]))
    before = _export("so")
    assert before["strategy"]["sign_off"] == {
        "requires_approval": True,
        "approvers": ["ann", "cal"],
    }

    assert _rebuilt(before, tmp_path) == before
    loaded = Strategy.objects.get(slug="so")
    assert loaded.requires_approval
    assert sorted(loaded.approvers.values_list("username", flat=True)) == ["ann", "cal"]


def test_approvers_named_with_approval_off_survive_too(strategy, tmp_path: Path):
    """A named approver decides the updates already waiting after approval is switched off."""
    strategy.approvers.set(get_user_model().objects.filter(username="ann"))
    before = _export("so")
    assert before["strategy"]["sign_off"] == {"requires_approval": False, "approvers": ["ann"]}

    assert _rebuilt(before, tmp_path) == before


def test_no_sign_off_is_left_out_as_in_the_seed_files(strategy):
    assert "sign_off" not in _export("so")["strategy"]


def _with_sign_off(strategy, sign_off) -> dict:
    data = export_strategy(strategy)
    Strategy.objects.all().delete()
    data["strategy"]["sign_off"] = sign_off
    return data


@pytest.mark.parametrize(
    "sign_off, said",
    [
        ("on", "strategy sign_off: expected an object, got str"),
        ({"approvers": ["ann"]}, "missing requires_approval (true or false)"),
        ({"requires_approval": "yes"}, 'requires_approval: "yes" is not true or false'),
        ({"requires_approval": 1}, "requires_approval: 1 is not true or false"),
        ({"requires_approval": None}, "requires_approval: null is not true or false"),
        ({"requires_approval": True, "approver": ["ann"]}, "“approver” is not a key"),
        ({"requires_approval": True, "approvers": "ann"}, "expected a list of usernames"),
        ({"requires_approval": True, "approvers": ["ann", "ann"]}, "each person once"),
        ({"requires_approval": True, "approvers": ["nobody"]}, "no user called 'nobody'"),
        ({"requires_approval": False, "approvers": ["nobody"]}, "no user called 'nobody'"),
        ({"requires_approval": True}, "no approver is named"),
        ({"requires_approval": True, "approvers": []}, "no approver is named"),
    ],
)
def test_a_sign_off_it_cannot_take_loads_nothing_and_says_why(strategy, sign_off, said):
    data = _with_sign_off(strategy, sign_off)

    with pytest.raises(StrategyImportError, match=said.replace("(", r"\(").replace(")", r"\)")):
        import_strategy(data)
    assert not Strategy.objects.exists()


def test_an_approver_beside_one_who_can_approve_is_kept_as_the_app_keeps_them(strategy):
    """The sign-off form keeps a named approver who can no longer approve, saying so on the
    periods page; the import does too, while someone named can approve."""
    data = _with_sign_off(strategy, {"requires_approval": True, "approvers": ["ann", "bob"]})

    loaded = import_strategy(data)

    assert sorted(loaded.approvers.values_list("username", flat=True)) == ["ann", "bob"]


def test_an_approver_who_cannot_approve_here_is_loaded_and_named_in_a_note(strategy, tmp_path):
    """As the app keeps a named approver who lost the role (the periods page says so), a file
    naming only such a one loads, and the command says so: an export always loads back."""
    import json
    from io import StringIO

    from django.core.management import call_command

    data = _with_sign_off(strategy, {"requires_approval": True, "approvers": ["bob"]})
    path = tmp_path / "s.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    out = StringIO()

    call_command("import_strategy", str(path), stdout=out)

    loaded = Strategy.objects.get()
    assert loaded.requires_approval
    assert list(loaded.approvers.values_list("username", flat=True)) == ["bob"]
    assert "Note: bob is named an approver of" in out.getvalue()
    assert "cannot approve here" in out.getvalue()
