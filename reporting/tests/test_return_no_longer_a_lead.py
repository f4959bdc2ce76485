"""A return sent for a milestone its owner may no longer update because they hold no
Programme lead or Admin role in the organisation responsible for it says which: a role taken
away while the organisation is still responsible, or the responsibility now elsewhere."""

import pytest
from django.utils import timezone

from milestones.models import Milestone
from objectives.models import Membership, Organisation
from reporting.quarters import Quarter
from reporting.tests.helpers import return_as_shown, strategy_reporting
from strategy_tracker.roles import BOARD_MEMBER, PROGRAMME_LEAD
from tests.factories import make_milestone

pytestmark = pytest.mark.django_db
URL = "/milestones/return/"


@pytest.fixture
def world(make_member):
    period, objective = strategy_reporting("s", Quarter.containing(timezone.localdate()))
    trust = period.strategy.organisation
    council = Organisation.objects.create(name="A council")
    # A programme lead of the trust who also leads programmes for a council.
    lead = make_member("lead", {trust: [PROGRAMME_LEAD, BOARD_MEMBER], council: [PROGRAMME_LEAD]})
    m = make_milestone(objective, title="Open the hub", owner=lead)
    return trust, council, lead, m


def _send(client, lead, m, change):
    client.force_login(lead)
    data = return_as_shown(client.get(URL))
    data[f"m{m.pk}-status"] = "at_risk"
    data[f"m{m.pk}-commentary"] = "Builders late."
    change()
    response = client.post(URL, data)
    assert response.status_code == 409
    (gone,) = response.context["lost"]
    assert "Builders late." in str(gone.typed)  # their words are shown back
    return gone.why


def test_a_lead_whose_role_is_taken_away_is_told_so_not_that_responsibility_moved(client, world):
    trust, council, lead, m = world

    def take_role_away():  # they stay on the trust's board
        Membership.objects.filter(user=lead, organisation=trust, role=PROGRAMME_LEAD).delete()

    why = _send(client, lead, m, take_role_away)
    assert m.responsible_organisation_id == trust.pk  # still the trust's
    assert "organisation is no longer responsible" not in why
    assert f"you no longer hold a Programme lead or Admin role in {trust.name}" in why


def test_a_milestone_given_to_an_organisation_the_lead_has_no_role_in_says_where_it_is_now(
    client, world
):
    trust, council, lead, m = world
    elsewhere = Organisation.objects.create(name="A hospice")
    strategy = m.objective.priority.strategy
    strategy.partners.add(elsewhere)

    def give_to_hospice():
        Milestone.objects.filter(pk=m.pk).update(responsible=elsewhere)

    why = _send(client, lead, m, give_to_hospice)
    assert why == (
        "A hospice is responsible for it now, and you hold no Programme lead or Admin role there"
    )
