"""Someone whose role is taken away while a form is open keeps what they typed: the refusal
(403 or 404) shows it back (found by a partnership attacker's pass). Organisation A leads
strategy "s" with partner B."""

import datetime as dt

import pytest
from django.urls import reverse

from conftest import create_member
from milestones.models import Milestone, Submission
from objectives.models import Membership, Organisation, Partner
from risks.models import Risk
from strategy_tracker.roles import ADMIN, APPROVER, BOARD_MEMBER, PROGRAMME_LEAD
from tests.factories import make_milestone, make_objective, make_priority, make_strategy

pytestmark = pytest.mark.django_db

TYPED = "Supplier delivered half the kit; the rest is promised for the 14th, per J. Smith"


@pytest.fixture
def world():
    a = Organisation.objects.create(name="Org A")
    b = Organisation.objects.create(name="Org B")
    s = make_strategy(slug="s", organisation=a)
    Partner.objects.create(strategy=s, organisation=b)
    objective = make_objective(make_priority(s, number=1), number=1)
    people = {
        "a_lead": create_member("a_lead", {a: [PROGRAMME_LEAD]}),
        # An Admin who also sits on the board: losing the Admin role, they still read "s".
        "a_admin": create_member("a_admin", {a: [ADMIN, BOARD_MEMBER]}),
        "b_lead": create_member("b_lead", {b: [PROGRAMME_LEAD]}),
        "b_approver": create_member("b_approver", {b: [APPROVER, BOARD_MEMBER]}),
    }
    milestone = make_milestone(
        objective, title="A's milestone", owner=people["a_lead"], due_date=dt.date(2030, 1, 1)
    )
    return {"a": a, "b": b, "s": s, "objective": objective, "milestone": milestone, **people}


def _update_url(milestone: Milestone) -> str:
    return reverse("milestones:update", args=["s", (1, 1), 1, milestone.pk])


def test_a_lead_removed_from_the_organisation_mid_update_gets_their_text_back(client, world):
    """The quarterly return shows back what was typed for a milestone "no longer in a strategy
    you can see"; the milestone's own page answers a bare 404 and the update is gone (the
    page is no-store, so Back does not bring it back either)."""
    milestone, lead = world["milestone"], world["a_lead"]
    client.force_login(lead)
    assert client.get(milestone.get_absolute_url()).status_code == 200  # the form is open
    Membership.objects.filter(user=lead).delete()  # a site administrator removes them
    before = Milestone.objects.get(pk=milestone.pk).version
    data = {
        "status": "at_risk",
        "commentary": TYPED,
        "forecast_date": "",
        "version": milestone.version,
    }
    response = client.post(_update_url(milestone), data)
    assert Milestone.objects.get(pk=milestone.pk).version == before  # nothing saved: right
    assert response.status_code in (403, 404, 409)
    # Their own words, shown back to copy (no title: they may not see the strategy now).
    assert TYPED in response.content.decode(), response.status_code
    assert "A's milestone" not in response.content.decode()
    if response.status_code == 404:  # said as a form refused, not as an address mistyped
        assert "Nothing was saved: what the form was for is no longer there" in (
            response.content.decode()
        )
        assert "If you typed the address" not in response.content.decode()


def _risk_form(objective) -> dict:
    return {
        "title": "Workforce gap",
        "cause": TYPED,
        "event": "there is a risk that clinics close",
        "effect": "resulting in longer waits",
        **{
            f"{w}_{p}": "3"
            for w in ("inherent", "current", "target")
            for p in ("likelihood", "impact")
        },
        "appetite": "open",
        "review_date": "2099-01-01",
        "objectives": [objective.pk],
        "actions-TOTAL_FORMS": "0",
        "actions-INITIAL_FORMS": "0",
    }


def test_an_admin_losing_the_role_while_adding_a_risk_gets_the_risk_back(client, world):
    """Editing a risk in the same situation shows what was typed back (risks/not_saved.html);
    adding one answers a bare 403 and the new risk's text is lost."""
    admin = world["a_admin"]
    client.force_login(admin)
    assert client.get(reverse("risks:add", args=["s"])).status_code == 200
    Membership.objects.filter(user=admin, role=ADMIN).delete()
    response = client.post(reverse("risks:add", args=["s"]), _risk_form(world["objective"]))
    assert response.status_code == 403
    assert not Risk.objects.exists()
    assert TYPED in response.content.decode()


def test_an_approver_losing_the_role_keeps_the_reason_they_typed(client, world):
    """An approver's reason is shown back when the update was decided meanwhile (409, README
    "Sign-off"); when their Approver role was taken away meanwhile it is a bare 404."""
    s, milestone, approver = world["s"], world["milestone"], world["b_approver"]
    s.requires_approval = True
    s.save()
    s.approvers.add(approver)
    submission = Submission.objects.create(
        milestone=milestone,
        status="complete",
        base_version=milestone.version,
        submitted_by=world["a_lead"],
    )
    client.force_login(approver)
    assert client.get(reverse("reporting:approvals")).status_code == 200
    Membership.objects.filter(user=approver, role=APPROVER).delete()
    response = client.post(
        reverse("reporting:return", args=[submission.pk]), {f"return-{submission.pk}-reason": TYPED}
    )
    assert Submission.objects.get(pk=submission.pk).state == "submitted"
    assert TYPED in response.content.decode(), response.status_code


def test_an_admin_losing_the_role_mid_edit_gets_the_editors_text_back(client, world):
    """The editor shows what was typed back when the strategy was closed meanwhile
    (NobodyMay); when the Admin role was taken away meanwhile the text is lost."""
    admin, objective = world["a_admin"], world["objective"]
    client.force_login(admin)
    url = reverse("editor:item", args=["s", "objective", objective.pk])
    page = client.get(url)
    assert page.status_code == 200
    seen = page.context["form"]["seen"].initial
    Membership.objects.filter(user=admin, role=ADMIN).delete()
    response = client.post(url, {"title": objective.title, "description": TYPED, "seen": seen})
    assert response.status_code in (403, 404)
    assert TYPED in response.content.decode()


def test_a_refusal_never_shows_back_a_password_a_key_or_the_forms_own_values(client, world):
    """What is shown back is what was typed: not the form's check values, ids and choices,
    and never a password or a key."""
    lead = world["a_lead"]
    client.force_login(lead)
    Membership.objects.filter(user=lead).delete()
    response = client.post(
        _update_url(world["milestone"]),
        {
            "status": "at_risk",
            "commentary": TYPED,
            "version": "7",
            "csrfmiddlewaretoken": "not-a-real-token-abcdef",
            "old_password": "Hunter2 secret words",
            "api_key": "st_secretsecret",
            "owner": "12",
        },
    )
    page = response.content.decode()
    assert TYPED in page
    for hidden in ("Hunter2", "st_secretsecret", "not-a-real-token", "<dd>at_risk</dd>"):
        assert hidden not in page, hidden
