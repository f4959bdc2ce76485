"""A milestone's history (…/<id>/history/) says whether it is illustrative, as every other
resource does: the example's history is made-up commentary of made-up owners."""

import pytest

from api.models import ApiToken
from objectives.models import Organisation
from strategy_tracker.roles import BOARD_MEMBER
from tests.factories import make_milestone, make_objective, make_priority, make_strategy

pytestmark = pytest.mark.django_db


def _history(client, make_member, illustrative: bool) -> list[dict]:
    trust = Organisation.objects.create(name="Example Trust")
    strategy = make_strategy(slug="example", organisation=trust, illustrative=illustrative)
    milestone = make_milestone(make_objective(make_priority(strategy)))
    milestone.commentary = "Made-up words of a made-up lead."
    milestone.save()
    _, key = ApiToken.issue(make_member("bola", {trust: [BOARD_MEMBER]}), "Reader", days=5)
    response = client.get(
        f"/api/v1/milestones/{milestone.pk}/history/", HTTP_AUTHORIZATION=f"Bearer {key}"
    )
    assert response.status_code == 200
    return response.json()


def test_an_illustrative_milestones_history_says_it_is_illustrative(client, make_member):
    history = _history(client, make_member, illustrative=True)
    assert len(history) == 2
    assert [change["illustrative"] for change in history] == [True, True]


def test_a_published_milestones_history_says_it_is_not(client, make_member):
    history = _history(client, make_member, illustrative=False)
    assert history and all(change["illustrative"] is False for change in history)


def test_the_schema_describes_the_field(client):
    schema = client.get("/api/v1/schema/?format=json").json()
    field = schema["components"]["schemas"]["MilestoneChange"]["properties"]["illustrative"]
    assert field["type"] == "boolean" and "illustrative example" in field["description"]
