"""A strategy's period in its document's own words ("2013 – 2016"), shown with the dates the
tracker reads it as, and carried by the strategy JSON and the Django admin."""

import datetime as dt
import json

import pytest
from django.urls import reverse

from milestones.tests.posted_forms import form_as_posted
from objectives.models import Strategy
from objectives.strategy_json import export_strategy, import_strategy, strategy_queryset
from tests.factories import make_strategy

pytestmark = pytest.mark.django_db


@pytest.fixture
def thurrock():
    return make_strategy(
        slug="thurrock",
        title="Health and Well-Being Strategy",
        period_start=dt.date(2013, 4, 1),
        period_end=dt.date(2016, 3, 31),
        period_text="2013 – 2016",
    )


def test_the_dashboard_gives_the_documents_words_with_the_dates_they_are_taken_as(
    signed_in, thurrock
):
    page = signed_in.get(thurrock.get_absolute_url()).content.decode()
    assert "<dt>Period</dt><dd>2013 – 2016 (taken as 1 April 2013 to 31 March 2016)</dd>" in page


def test_an_ended_period_is_named_in_the_documents_words_with_the_day_it_is_taken_to_end(
    signed_in, thurrock
):
    page = signed_in.get(thurrock.get_absolute_url()).content.decode()
    assert (
        "This strategy's period (2013 – 2016, taken as ending on 31 March 2016) has ended." in page
    )
    assert "period ended on 31 March 2016" not in page  # a day the document never gives


def test_the_strategy_list_gives_the_documents_words_with_the_months(signed_in, thurrock):
    page = signed_in.get(reverse("objectives:strategy_list")).content.decode()
    assert "2013 – 2016 (taken as Apr 2013 – Mar 2016)" in page


def test_without_the_documents_words_the_dates_are_shown_as_before(signed_in):
    plain = make_strategy(period_start=dt.date(2024, 4, 1), period_end=dt.date(2029, 3, 31))
    page = signed_in.get(plain.get_absolute_url()).content.decode()
    assert "<dt>Period</dt><dd>1 April 2024 to 31 March 2029</dd>" in page
    listed = signed_in.get(reverse("objectives:strategy_list")).content.decode()
    assert "Apr 2024 – Mar 2029" in listed and "taken as" not in listed


def test_each_style_of_the_period_reads_the_same_dates(thurrock):
    from strategy_tracker.templatetags.tracker import strategy_period

    assert strategy_period(thurrock, "months") == "2013 – 2016 (taken as April 2013 to March 2016)"
    thurrock.period_text = "  "
    assert strategy_period(thurrock) == "1 April 2013 to 31 March 2016"


def test_the_wording_goes_out_in_the_strategy_json_and_comes_back_in(thurrock):
    data = export_strategy(strategy_queryset().get(pk=thurrock.pk))
    assert data["strategy"]["period_text"] == "2013 – 2016"
    data["strategy"]["slug"] = "copy"
    copy = import_strategy(json.loads(json.dumps(data)))
    assert copy.period_text == "2013 – 2016"


def test_a_strategy_json_from_before_the_wording_loads_with_none(thurrock):
    data = export_strategy(strategy_queryset().get(pk=thurrock.pk))
    del data["strategy"]["period_text"]
    data["strategy"]["slug"] = "older"
    older = import_strategy(data)
    assert (older.period_text, older.period_start) == ("", dt.date(2013, 4, 1))


def test_a_site_administrator_words_the_period_in_the_django_admin(client, site_admin, thurrock):
    client.force_login(site_admin)
    url = reverse("admin:objectives_strategy_change", args=[thurrock.pk])
    page = client.get(url).content.decode()
    data = form_as_posted(page, form_id="strategy_form") | {"_save": ["Save"]}
    assert data["period_text"] == ["2013 – 2016"]
    data["period_text"] = ["2013-2016"]
    assert client.post(url, data).status_code == 302
    assert Strategy.objects.get(pk=thurrock.pk).period_text == "2013-2016"
