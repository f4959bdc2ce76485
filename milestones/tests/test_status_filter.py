"""A milestone list's status filter is on the stored status, so its "Not started" also
lists the milestones nobody has reported on, which the table reads "Nothing reported yet":
the filter is named as the table's column is, and that choice says it lists both."""

import pytest
from django.utils import timezone

from tests.factories import make_milestone, make_objective, make_priority, make_strategy

pytestmark = pytest.mark.django_db
URL = "/strategies/plan/priorities/1/"


@pytest.fixture
def milestones():
    objective = make_objective(make_priority(make_strategy(slug="plan"), number=1), number=1)
    now = timezone.now()
    make_milestone(objective, title="Nobody reported")
    make_milestone(objective, title="Reported not started", last_updated_at=now)
    make_milestone(objective, title="Under way", status="on_track", last_updated_at=now)


def test_not_started_lists_both_and_says_so(signed_in, milestones):
    response = signed_in.get(URL, {"status": "not_started"})
    table = response.context["table"]
    rows = {row.record.title: row.record.reported_status for row in table.page.object_list}
    assert rows == {
        "Nobody reported": "Nothing reported yet",
        "Reported not started": "Not started",
    }
    html = response.content.decode()
    assert '<td data-label="Reported status">Nothing reported yet</td>' in html
    assert '<option value="not_started" selected>Not started, or nothing reported yet</option>' in (
        html
    )
    assert '<label for="id_status">Reported status' in html


def test_nothing_reported_yet_lists_those_alone(signed_in, milestones):
    """The milestones nobody has reported on could be listed only with the ones reported not
    started: a lead chasing the owners who never reported had to pick them out by eye."""
    response = signed_in.get(URL, {"status": "nothing_reported"})
    rows = [row.record.title for row in response.context["table"].page.object_list]
    assert rows == ["Nobody reported"]
    html = response.content.decode()
    assert '<option value="nothing_reported" selected>Nothing reported yet</option>' in html
