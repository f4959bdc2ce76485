"""A strategy's short name in addresses: its hint and its refusal say the same thing in plain
words (letters, digits, hyphens and underscores), which is what is accepted, not Django's
"Enter a valid “slug”"."""

import datetime as dt

import pytest
from django.urls import reverse

from editor.structure_import import plan
from editor.workbook_files import read_strategy_file, write_workbook
from objectives.models import Strategy
from tests.factories import make_strategy

pytestmark = pytest.mark.django_db

RULE = (
    "Use only letters, digits, hyphens and underscores, with no spaces or accents, for "
    "example thurrock-hwbs-2013."
)


@pytest.fixture
def organisation():
    return make_strategy().organisation  # one the Admin is an Admin of


def _new(client, organisation, slug: str):
    return client.post(
        reverse("editor:new_strategy"),
        {
            "organisation": organisation.pk,
            "title": "Thurrock Health and Wellbeing Strategy",
            "slug": slug,
            "period_start": "2013-04-01",
            "period_end": "2016-03-31",
        },
    )


@pytest.mark.parametrize("slug", ["thurrock hwbs", "thurrock–hwbs", "café-plan", "hwbs/2013"])
def test_a_short_name_that_is_not_accepted_is_refused_in_plain_words(
    client, admin_user, organisation, slug
):
    client.force_login(admin_user)
    before = Strategy.objects.count()
    response = _new(client, organisation, slug)
    assert response.status_code == 400
    assert response.context["form"].errors["slug"] == [RULE]
    assert RULE in response.content.decode()
    assert Strategy.objects.count() == before


@pytest.mark.parametrize("slug", ["thurrock-hwbs-2013", "thurrock_hwbs_2013", "Thurrock-HWBS"])
def test_what_the_hint_names_is_accepted(client, admin_user, organisation, slug):
    client.force_login(admin_user)
    hint = client.get(reverse("editor:new_strategy")).content.decode()
    assert "Letters, digits, hyphens and underscores, no spaces: thurrock-hwbs-2013." in hint
    assert _new(client, organisation, slug).status_code == 302
    assert Strategy.objects.filter(slug=slug).exists()


def test_a_workbook_s_short_name_is_refused_in_the_same_words(admin_user):
    strategy = make_strategy()
    values = {
        "title": "Start well",
        "slug": "start well",
        "organisation": strategy.organisation.name,
        "period_start": dt.date(2024, 4, 1),
        "period_end": dt.date(2027, 3, 31),
    }
    rows = [{"level": "priority", "number": "1", "title": "P"}]
    content = write_workbook(values, rows)
    result = plan(read_strategy_file(content, "plan.xlsx", 10**7, 10**4), by=admin_user)
    assert f'Sheet "Strategy", Short name in addresses: {RULE}' in result.problems
