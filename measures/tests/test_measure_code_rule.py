"""The rule for a measure code's first character holds wherever a code is set or changed."""

import pytest
from django.urls import reverse

from measures.models import Measure
from milestones.tests.posted_forms import form_as_posted
from tests.factories import make_measure, make_objective, make_priority, make_strategy

pytestmark = pytest.mark.django_db


def test_an_existing_measures_code_cannot_be_changed_to_one_a_spreadsheet_misreads(
    client, site_admin
):
    """The rule is for codes stored before it; a code *changed* on the admin's measure page to
    '-1-1' is a new code, and reaches the CSV downloads as a sum (-2) as before e76e43e."""
    strategy = make_strategy()
    measure = make_measure(make_objective(make_priority(strategy)), code="GOOD-1", unit="count")
    client.force_login(site_admin)
    url = reverse("admin:measures_measure_change", args=[measure.pk])
    data = form_as_posted(client.get(url).content.decode(), form_id="measure_form")
    data |= {"_save": ["Save"], "code": ["-1-1"]}
    client.post(url, data)
    assert Measure.objects.get(pk=measure.pk).code == "GOOD-1"


def test_an_existing_measures_code_changed_in_the_priority_pages_inline(client, site_admin):
    strategy = make_strategy()
    priority = make_priority(strategy)
    measure = make_measure(priority=priority, code="GOOD-2", unit="count")
    client.force_login(site_admin)
    url = reverse("admin:objectives_priority_change", args=[priority.pk])
    data = form_as_posted(client.get(url).content.decode(), form_id="priority_form")
    key = next(k for k, v in data.items() if k.endswith("-code") and v == ["GOOD-2"])
    data |= {"_save": ["Save"], key: ["-1-1"]}
    client.post(url, data)
    assert Measure.objects.get(pk=measure.pk).code == "GOOD-2"
