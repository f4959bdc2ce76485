"""Cached pages never show stale data: every update and import changes the data version."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from measures.importing import confirm, store_upload
from tests.factories import (
    make_measure,
    make_milestone,
    make_objective,
    make_priority,
    make_strategy,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def page(client, board_member):
    strategy = make_strategy(slug="s", title="Cached strategy")
    objective = make_objective(make_priority(strategy, number=1), number=1)
    milestone = make_milestone(
        objective, title="Watch me", due_date=timezone.localdate() + dt.timedelta(days=200)
    )
    measure = make_measure(
        objective, code="CACHED", unit="count", direction="higher", target_value=Decimal(10)
    )
    client.force_login(board_member)
    return client, strategy, milestone, measure


def test_a_lead_update_shows_at_once_on_every_cached_page(page, programme_lead):
    client, strategy, milestone, _ = page
    urls = [
        "/strategies/",
        strategy.get_absolute_url(),
        "/strategies/s/priorities/1/",
        "/strategies/s/priorities/1/objectives/1/",
    ]
    for url in urls:
        assert "rag-amber" not in client.get(url).content.decode()
        client.get(url)  # now cached
    milestone.record_update(
        by=programme_lead,
        expected_version=milestone.version,
        status="at_risk",
        commentary="Slipping",
        forecast_date=None,
    )
    for url in urls:
        assert "rag-amber" in client.get(url).content.decode(), url


def test_an_import_shows_at_once(page, admin_user):
    client, strategy, _, _ = page
    assert "no value reported yet" in client.get(strategy.get_absolute_url()).content.decode()
    batch = store_upload(
        user=admin_user,
        file_name="q.csv",
        data=b"measure_code,period_end,value\nCACHED,2024-06-30,12\n",
    )
    confirm(batch.pk, restatements_confirmed=False)
    html = client.get(strategy.get_absolute_url()).content.decode()
    assert "meets its target" in html


def test_an_admin_edit_of_a_title_shows_at_once(page):
    client, strategy, _, _ = page
    client.get(strategy.get_absolute_url())
    priority = strategy.priorities.get()
    priority.title = "Renamed priority"
    priority.save()
    assert "Renamed priority" in client.get(strategy.get_absolute_url()).content.decode()


def test_renaming_an_organisation_or_an_owner_shows_at_once(page, programme_lead):
    client, strategy, milestone, _ = page
    milestone.assign(by=programme_lead, owner=programme_lead)
    client.get(strategy.get_absolute_url())
    client.get("/strategies/s/priorities/1/")
    organisation = strategy.organisation
    organisation.name = "Renamed Trust"
    organisation.save()
    programme_lead.first_name = "Renamed"
    programme_lead.save()
    assert "Renamed Trust" in client.get(strategy.get_absolute_url()).content.decode()
    assert "Renamed Lead" in client.get("/strategies/s/priorities/1/").content.decode()
