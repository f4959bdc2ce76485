"""Data-quality kite marks: rated by those who import a measure's figures, shown beside the
SPC icons wherever they appear, and kept as they were in each closed quarter."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from measures.models import DataQualityRating, Measure
from public.models import Publication
from reporting.quarters import Quarter
from reporting.tests.helpers import close_quarter, q2_strategy
from tests.factories import make_measure, make_objective, make_priority, make_strategy

pytestmark = pytest.mark.django_db
Q2 = Quarter(2024, 2)
RATED = {
    "timeliness": "met",
    "completeness": "met",
    "validity": "partly",
    "process": "met",
    "source": "met",
    "sign_off": "not_assessed",
    "note": "Checked against the national return.",
}
SUMMARY = "Data quality: 4 met, 1 partly met, 1 not assessed"


@pytest.fixture
def strategy(programme_lead):
    return q2_strategy(programme_lead)


def rate(client, data, code="WAIT", **extra):
    return client.post(reverse("measures:data_quality", args=[code]), data | extra)


def test_an_admin_rates_a_measure_and_it_shows_with_who_and_when(client, admin_user, strategy):
    client.force_login(admin_user)
    assert client.get(reverse("measures:data_quality", args=["WAIT"])).status_code == 200
    response = rate(client, RATED)
    assert response.status_code == 302
    rating = DataQualityRating.objects.get()
    assert (rating.validity, rating.assessed_by, rating.assessed_on) == (
        "partly",
        admin_user,
        timezone.localdate(),
    )
    assert rating.history.get().history_user == admin_user
    page = client.get(Measure.objects.get().get_absolute_url()).content.decode()
    assert SUMMARY in page and "Assessed by Ada Admin on" in page
    assert "Validity: partly met" in page  # the icon's words for screen readers


def test_saving_unchanged_writes_nothing_unless_reassessed(client, admin_user, strategy):
    client.force_login(admin_user)
    rate(client, RATED)
    DataQualityRating.objects.update(assessed_on=dt.date(2020, 1, 1))
    response = rate(client, RATED, version=1, follow=False)
    assert response.status_code == 302
    assert DataQualityRating.objects.get().assessed_on == dt.date(2020, 1, 1)
    assert DataQualityRating.history.count() == 1
    rate(client, RATED, version=1, reassessed="on")
    assert DataQualityRating.objects.get().assessed_on == timezone.localdate()
    assert DataQualityRating.history.count() == 2


def test_a_first_rating_saved_as_the_form_opened_records_no_assessment(
    client, admin_user, strategy
):
    client.force_login(admin_user)
    unrated = {name: "not_assessed" for name in RATED if name != "note"} | {"note": ""}
    response = rate(client, unrated)
    assert response.status_code == 302
    assert not DataQualityRating.objects.exists()
    page = client.get(response.url).content.decode()
    assert "Nothing had changed, so nothing was saved." in page
    assert "Data quality not rated" in page


def test_a_save_over_someone_elses_is_refused(client, admin_user, strategy):
    client.force_login(admin_user)
    rate(client, RATED)
    response = rate(client, RATED | {"sign_off": "met"}, version=0, reassessed="on")
    assert response.status_code == 409
    assert "Someone else saved this measure&#x27;s rating" in response.content.decode()
    assert response.context["form"]["sign_off"].value() == "met"
    assert DataQualityRating.objects.get().sign_off == "not_assessed"
    [difference] = response.context["form"].conflict
    assert (difference.saved, difference.yours) == ("Not assessed", "Met")
    assert "1 field of this form differs from what is saved now" in response.content.decode()


def test_bad_ratings_and_other_people_are_refused(client, admin_user, make_user, strategy):
    client.force_login(admin_user)
    assert rate(client, RATED | {"validity": "excellent"}).status_code == 400
    assert rate(client, {}).status_code == 400
    assert rate(client, RATED, code="NOPE").status_code == 404
    lead = make_user("lead2", "Programme lead")
    client.force_login(lead)
    assert rate(client, RATED).status_code == 403
    assert not DataQualityRating.objects.exists()


def test_a_rating_over_a_year_old_says_so(client, admin_user, strategy):
    client.force_login(admin_user)
    rate(client, RATED)
    page = lambda: client.get(Measure.objects.get().get_absolute_url()).content.decode()  # noqa: E731
    assert "over a year" not in page()
    DataQualityRating.objects.update(assessed_on=timezone.localdate() - dt.timedelta(days=400))
    assert "over a year before" in page()


def test_every_page_with_spc_icons_shows_the_kite_mark(client, admin_user, board_member, strategy):
    client.force_login(admin_user)
    rate(client, RATED)
    period = close_quarter(strategy, Q2, admin_user)
    Publication.objects.create(strategy=strategy, is_public=True)
    client.force_login(board_member)
    board = ["s", period.pk]
    pages = [
        strategy.get_absolute_url(),
        reverse("objectives:priority_detail", args=["s", "1"]),
        reverse("objectives:objective_detail", args=["s", "1", 1]),
        reverse("measures:detail", args=["WAIT"]),
        reverse("reporting:period_report", args=board),
        reverse("reporting:as_at_dashboard", args=board),
        reverse("reporting:as_at_objective", args=[*board, "1", 1]),
        reverse("reporting:as_at_measure", args=[*board, "WAIT"]),
        reverse("public:strategy", args=["s"]),
        reverse("public:objective", args=["s", "2024-25-q2", "1", 1]),
        reverse("public:measure", args=["s", "2024-25-q2", "WAIT"]),
    ]
    for url in pages:
        page = client.get(url).content.decode()
        assert SUMMARY in page and 'class="dq-kite"' in page, url


def test_a_closed_quarter_keeps_the_rating_it_had(client, admin_user, board_member, strategy):
    client.force_login(admin_user)
    rate(client, RATED)
    period = close_quarter(strategy, Q2, admin_user)
    rate(client, RATED | {"sign_off": "not_met"}, version=1)
    client.force_login(board_member)
    report = client.get(reverse("reporting:period_report", args=["s", period.pk])).content.decode()
    assert SUMMARY in report
    live = client.get(reverse("measures:detail", args=["WAIT"])).content.decode()
    assert "4 met, 1 partly met, 1 not met" in live


def test_an_unrated_measure_says_so(client, board_member):
    make_measure(make_objective(make_priority(make_strategy(slug="x"))), code="NEW")
    client.force_login(board_member)
    page = client.get(reverse("measures:detail", args=["NEW"])).content.decode()
    assert "Data quality not rated" in page and "Nobody has rated" in page


def test_a_refused_save_shows_the_rating_as_saved_beside_the_typed_choices(
    client, admin_user, strategy
):
    client.force_login(admin_user)
    rate(client, RATED)
    response = rate(client, RATED | {"sign_off": "met"}, version=0, reassessed="on")
    assert response.status_code == 409
    assert response.context["rating"].ratings["sign_off"] == "not_assessed"  # as saved
    assert response.context["form"]["sign_off"].value() == "met"  # as typed
