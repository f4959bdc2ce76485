"""The load_example command: it loads the illustrative example once, on a database with the
demo users, and never on a production site unless asked; a failure part way leaves nothing."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from measures.models import Measure, MeasureValue
from milestones.models import Milestone, MilestoneDelegate
from objectives.example_strategy import EXAMPLE_SLUG, load_example
from objectives.models import Strategy
from objectives.tests.test_example_strategy import TODAY
from strategy_tracker.roles import PROGRAMME_LEAD

pytestmark = pytest.mark.django_db


@pytest.fixture
def second_lead(make_user):
    return make_user("lead2", PROGRAMME_LEAD, first_name="Lena", last_name="Second-Lead")


@pytest.fixture
def users(board_member, programme_lead, second_lead, admin_user):
    return {"lead": programme_lead, "lead2": second_lead, "admin": admin_user}


def _run(*args, **options) -> str:
    out = StringIO()
    call_command("load_example", *args, stdout=out, **options)
    return out.getvalue()


def _row_counts() -> tuple[int, ...]:
    return (
        Strategy.objects.count(),
        Milestone.objects.count(),
        Milestone.history.count(),
        MilestoneDelegate.objects.count(),
        Measure.objects.count(),
        MeasureValue.objects.count(),
    )


def test_the_command_loads_it_once_and_then_says_so(settings, users):
    settings.DEBUG = True
    assert "loaded" in _run()
    counts = _row_counts()

    assert "already loaded; nothing changed" in _run()
    assert _row_counts() == counts


def test_the_command_refuses_with_debug_off_unless_asked(settings, users):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="Refusing to load the illustrative example"):
        _run()
    assert not Strategy.objects.exists()

    assert "loaded" in _run(allow_production=True)
    assert Strategy.objects.get().slug == EXAMPLE_SLUG


def test_the_command_needs_the_demo_users_first(settings, programme_lead, admin_user):
    settings.DEBUG = True
    with pytest.raises(CommandError, match="lead2 do not exist.*create_demo_users"):
        _run()
    assert not Strategy.objects.exists()


def test_a_failure_part_way_leaves_nothing(users):
    del users["lead2"]
    with pytest.raises(KeyError):
        load_example(TODAY, users)
    assert _row_counts() == (0, 0, 0, 0, 0, 0)
