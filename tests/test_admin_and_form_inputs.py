"""Found by a pass over every path that writes: a reported figure deleted from the
Django admin, a 500 from a forged autocomplete value, invisible text as a reason or a risk's
words."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from measures.models import MeasureValue
from milestones.tests.posted_forms import form_as_posted
from tests.factories import make_measure, make_objective

pytestmark = pytest.mark.django_db


def _opened(client, url: str, form_id: str) -> dict:
    page = client.get(url)
    assert page.status_code == 200
    return form_as_posted(page.content.decode(), form_id=form_id) | {"_save": ["Save"]}


def test_a_reported_figure_cannot_be_deleted_from_the_measure_admin_page(client, site_admin):
    """README: 'Figures are read-only in the admin: they arrive by import'; 'Nothing is
    hard-deleted'. The figures inline on a measure's admin page still renders a Delete? box."""
    measure = make_measure(make_objective(), code="VAC")
    MeasureValue.objects.create(
        measure=measure, period_end=dt.date(2024, 6, 30), value=Decimal("9.8")
    )
    client.force_login(site_admin)
    url = reverse("admin:measures_measure_change", args=[measure.pk])
    data = _opened(client, url, "measure_form") | {"values-0-DELETE": ["on"]}

    client.post(url, data)

    assert MeasureValue.objects.filter(measure=measure).count() == 1


def test_an_spc_change_needs_a_visible_reason(client, admin_user):
    from measures.tests.test_spc import quarters
    from tests.factories import make_value

    measure = make_measure(make_objective(), code="SPC2")
    for end in quarters(16):
        make_value(measure, end, 10 + end.month % 3)
    client.force_login(admin_user)
    url = reverse("measures:spc_limits", args=[measure.code])

    client.post(url, {"spc_baseline_points": "12", "reason": "\u200b\u200b", "read_limits": "|"})

    measure.refresh_from_db()
    assert measure.spc_baseline_points is None  # refused as "Say why": it is saved


def test_a_risk_cause_or_action_of_invisible_characters_alone_is_refused(client, admin_user):
    from risks.models import Risk
    from tests.factories import make_priority, make_strategy

    strategy = make_strategy(slug="s")
    objective = make_objective(make_priority(strategy, number=1), number=1)
    client.force_login(admin_user)
    data = {
        "title": "Workforce shortfall",
        "cause": "\u200b",
        "event": "there is a risk that the hubs cannot be staffed",
        "effect": "resulting in delayed care",
        "owner": "",
        "objectives": [objective.pk],
        "inherent_likelihood": "5",
        "inherent_impact": "4",
        "current_likelihood": "4",
        "current_impact": "4",
        "target_likelihood": "2",
        "target_impact": "3",
        "appetite": "cautious",
        "review_date": (dt.date.today() + dt.timedelta(days=30)).isoformat(),
        "actions-TOTAL_FORMS": "1",
        "actions-INITIAL_FORMS": "0",
        "actions-MIN_NUM_FORMS": "0",
        "actions-MAX_NUM_FORMS": "50",
        "actions-0-description": "\u200b",
    }

    response = client.post(reverse("risks:add", args=["s"]), data)

    assert response.status_code == 400
    assert not Risk.objects.exists()


def test_an_odd_value_in_an_admin_autocomplete_field_is_refused_not_a_500(site_admin):
    from django.test import Client

    from tests.factories import make_milestone

    milestone = make_milestone(title="A milestone")
    client = Client(raise_request_exception=False)
    client.force_login(site_admin)
    url = reverse("admin:milestones_milestone_change", args=[milestone.pk])
    data = _opened(client, url, "milestone_form") | {"objective": ["abc"]}

    assert client.post(url, data).status_code != 500


@pytest.mark.parametrize("url", ["/admin/", "/admin/milestones/milestone/add/", "/admin/login/"])
def test_every_admin_page_loads_the_script_that_keeps_pasted_text_whole(client, site_admin, url):
    """An admin box cut a pasted 1,000 characters to its 300 and saved them without a word:
    the app's pages load static/js/forms.js, which takes maxlength off; the admin did not."""
    if url != "/admin/login/":
        client.force_login(site_admin)
    page = client.get(url).content.decode()
    assert '<script src="/static/js/forms.js"></script>' in page
