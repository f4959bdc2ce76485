"""The board packs page stops asking about a pack no worker started, so the Admin who left it
open is signed out as the README says (found by an attacker's pass)."""

import datetime as dt

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone

from reporting import packs
from reporting.models import BoardPack
from reporting.quarters import Quarter
from reporting.tests.helpers import close_quarter, q2_strategy
from tests.factories import make_objective, make_priority, make_strategy

pytestmark = pytest.mark.django_db
Q2 = Quarter(2024, 2)
FOLLOWED = ("queued", "running")  # static/js/packs.js asks again, every 3 s, while in these


@pytest.fixture
def periods(programme_lead, admin_user):
    first = q2_strategy(programme_lead)
    second = make_strategy(slug="second", title="Second strategy")
    make_objective(make_priority(second, number=1, title="Healthy towns"), number=1)
    return [close_quarter(first, Q2, admin_user), close_quarter(second, Q2, admin_user)]


def test_a_packs_page_left_open_does_not_keep_its_admin_signed_in_for_ever(
    client, admin_user, periods
):
    """README: sessions end after 8 hours without a request, so the next person at a shared PC
    is not signed in as the last. The board packs page asks for a queued pack's status every
    3 s for as long as the answer is "queued"; a pack whose worker never starts it (the page
    itself says "Still waiting for the task worker") is "queued" for ever, and each of those
    background requests renews the session. The Admin who walked away stays signed in."""
    client.force_login(admin_user)
    pack = packs.request_pack(Q2, periods, by=admin_user)
    long_ago = timezone.now() - dt.timedelta(hours=9)  # past the 8-hour idle limit
    BoardPack.objects.filter(pk=pack.pk).update(requested_at=long_ago)
    key = client.cookies["sessionid"].value
    Session.objects.filter(pk=key).update(expire_date=timezone.now() + dt.timedelta(minutes=1))
    status = client.get(f"/board-packs/{pack.pk}/status/").json()
    renewed = Session.objects.get(pk=key).expire_date - timezone.now()
    # Either the page stops following a pack it has given up on, or its polling is not
    # counted as the person's activity.
    assert status["state"] not in FOLLOWED or renewed < dt.timedelta(minutes=2), (
        status["state"],
        renewed,
    )
