"""The two seed strategies and the illustrative example, loaded as `make run` loads them, with
a board member, two leads and an Admin holding their role in every organisation (as the
upgrade to organisations gave them). For a test module's fixture, loaded once."""

from io import StringIO

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from objectives.example_strategy import load_example
from objectives.models import Membership, Organisation
from strategy_tracker.roles import ADMIN, BOARD_MEMBER, PROGRAMME_LEAD

ROLES = [
    ("board", BOARD_MEMBER),
    ("lead", PROGRAMME_LEAD),
    ("lead2", PROGRAMME_LEAD),
    ("admin", ADMIN),
]


def load_seeds_and_example() -> dict:
    """The people, by username."""
    users = {name: get_user_model().objects.create_user(name) for name, _ in ROLES}
    call_command("load_seeds", stdout=StringIO())
    load_example(timezone.localdate(), users)
    Membership.objects.bulk_create(
        Membership(user=users[name], organisation=organisation, role=role)
        for name, role in ROLES
        for organisation in Organisation.objects.all()
    )
    return users
