"""A measure's target in the document's own words: "reduce to 12% by 2027/28" is entered with
the target date 31 March 2028 (which the status is judged by), and every page said "by 31 March
2028", a day the document never gave."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from measures.models import Measure
from milestones.tests.posted_forms import form_as_posted
from tests.factories import make_measure, make_objective, make_value

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 12, 2)
DUE = dt.date(2028, 3, 31)


def _vacancies(**fields) -> Measure:
    """14% against a target of 12%, lower is better: red, its reason quoting the target."""
    made = make_measure(
        code="VAC",
        unit="%",
        direction="lower",
        target_value=Decimal(12),
        target_date=DUE,
        **fields,
    )
    make_value(made, dt.date(2026, 9, 30), 14)
    return made


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.mark.parametrize(
    "wording, said",
    [
        ("2027/28", "by 2027/28"),  # a period alone: due by it, as the date was
        ("by March 2028", "by March 2028"),  # its own "by", not "by by"
        ("in 2028", "in 2028"),
        ("By the end of 2027/28", "by the end of 2027/28"),  # read mid-sentence
    ],
)
def test_the_status_reason_gives_the_target_in_the_documents_words(wording, said):
    made = _vacancies(target_period_text=wording)
    reason = Measure.objects.with_latest_value().get(pk=made.pk).rag(TODAY).reason
    assert f"against target 12 {said})" in reason, reason
    assert "31 March 2028" not in reason, reason


def test_without_words_the_reason_gives_the_target_date_as_before():
    made = _vacancies()
    reason = Measure.objects.with_latest_value().get(pk=made.pk).rag(TODAY).reason
    assert "against target 12 by 31 March 2028)" in reason, reason


def test_words_without_a_date_are_shown_and_neither_says_nothing():
    from measures.periods import by_when

    assert by_when(None, "2027/28") == "by 2027/28"
    assert by_when(None, "  ") == ""
    assert by_when(DUE, "") == "by 31 March 2028"


def test_the_measure_page_shows_the_target_in_the_documents_words(client, board_member):
    _vacancies(target_period_text="2027/28")
    client.force_login(board_member)
    page = _text(client.get("/measures/VAC/").content.decode())
    assert "Target 12% by 2027/28, tolerance" in page
    assert "Target: 2027/28 12%" in page  # the values table's target row
    assert "31 March 2028" not in page


def test_the_measure_page_without_words_still_gives_the_date(client, board_member):
    _vacancies()
    client.force_login(board_member)
    page = _text(client.get("/measures/VAC/").content.decode())
    assert "Target 12% by 31 March 2028, tolerance" in page


def test_the_words_are_edited_in_the_django_admin_and_kept_in_the_history(client, site_admin):
    measure = make_measure(make_objective(), code="ADM", target_value=12, target_date=DUE)
    client.force_login(site_admin)
    url = reverse("admin:measures_measure_change", args=[measure.pk])
    page = client.get(url).content.decode()
    data = form_as_posted(page, form_id="measure_form") | {"_save": ["Save"]}
    assert data["target_period_text"] == [""]

    response = client.post(url, data | {"target_period_text": ["2027/28"]})

    assert response.status_code == 302
    measure.refresh_from_db()
    assert measure.target_period_text == "2027/28"
    assert measure.history.first().target_period_text == "2027/28"


def test_the_measures_history_names_the_words_as_the_editor_does(client, board_member):
    measure = _vacancies()
    measure.target_period_text = "2027/28"
    measure.save()
    client.force_login(board_member)
    page = _text(client.get("/measures/VAC/").content.decode())
    assert "Target date (document wording)" in page
    assert "Target period text" not in page
