"""The same return sent twice is reported as the first send was."""

import pytest

from reporting.tests.test_quarterly_return import URL, _post_data, world  # noqa: F401

pytestmark = pytest.mark.django_db


def test_a_second_send_of_an_edited_and_ticked_row_is_reported_as_the_first_was(
    client,
    programme_lead,
    world,  # noqa: F811
):
    """Edited and ticked 'No change this quarter': the first send says 'updated' (words
    changed); the same page sent again said 'confirmed'."""
    one, *_ = world["milestones"]
    client.force_login(programme_lead)
    data = _post_data({one: {"status": "at_risk", "commentary": "Mine.", "confirm": "on"}})
    first = client.post(URL, data, follow=True).content.decode()
    again = client.post(URL, data, follow=True).content.decode()
    assert "1 milestone updated" in first
    assert "1 milestone updated" in again
