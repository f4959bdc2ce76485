"""Years pooled ("2020-22", "2019/20 - 2021/22"), as suicide and mortality rates are
published: read by the figures import's `period` column, stored at the period's end in their
own words, shown in those words on every page, and a period type of their own on a chart."""

import datetime as dt
import html
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from measures.models import MeasureValue
from measures.parsing import ParseError, period_words_date
from measures.periods import POOLED, YEAR, kind_of_text, one_period_type, period_words
from tests.factories import make_measure, make_objective, make_priority, make_strategy


@pytest.mark.parametrize(
    "text, end",
    [
        ("2020-22", dt.date(2022, 12, 31)),  # three calendar years, as Fingertips words them
        ("2020 - 22", dt.date(2022, 12, 31)),
        ("2020–2022", dt.date(2022, 12, 31)),  # a word processor's dash
        ("2018-22", dt.date(2022, 12, 31)),  # five years
        ("2019/20 - 2021/22", dt.date(2022, 3, 31)),  # three financial years
        ("2016/17 - 20/21", dt.date(2021, 3, 31)),
    ],
)
def test_the_period_column_reads_years_pooled_to_the_day_they_end(text, end):
    assert period_words_date(text) == end
    assert kind_of_text(text) == POOLED
    assert period_words(end, text) == text  # not "Dec 2022", a month's figure


@pytest.mark.parametrize("text", ["2011-12", "2011-2012", "2020 - 21"])
def test_a_dash_between_two_years_is_still_a_financial_year(text):
    """As the NHS writes 2011/12: two years are one financial year, not years pooled."""
    assert period_words_date(text) == dt.date(int(text[:4]) + 1, 3, 31)
    assert kind_of_text(text) == YEAR


@pytest.mark.parametrize(
    "text, said",
    [
        ("2020-19", "neither a financial year"),
        ("2000-2020", "three to 10"),
        ("2021/22 - 2019/20", "the earliest first"),
        ("2019/21 - 2021/22", "a financial year runs from one year to the next"),
    ],
)
def test_years_pooled_that_are_no_real_period_are_refused_saying_why(text, said):
    with pytest.raises(ParseError, match=said):
        period_words_date(text)
    assert kind_of_text(text) is None


ANNUAL = [(dt.date(year, 12, 31), Decimal(10 + year % 10), str(year)) for year in (2019, 2020)]
ROLLING = [
    (dt.date(last, 12, 31), Decimal(last % 100), f"{last - 2}-{last % 100:02d}")
    for last in range(2018, 2023)
]


def test_a_pooled_figure_does_not_join_a_yearly_run_as_a_year():
    """2019 and 2020, then 2020-22 a year later: three values a year apart, but the last is
    three years' rate, not 2021's."""
    pooled = (dt.date(2021, 12, 31), Decimal(12), "2019-21")
    series = one_period_type([*ANNUAL, pooled])
    assert series.kind == YEAR
    assert [d for d, _ in series.points] == [d for d, _, _ in ANNUAL]
    (left_out,) = series.left_out
    assert (left_out.period_text, left_out.why) == ("2019-21", "a pooled figure, not annual")


def test_rolling_years_pooled_make_a_series_of_their_own():
    """2016-18 … 2020-22, one a year, as Fingertips publishes them; a year's figure among
    them is left out of that run."""
    annual = (dt.date(2023, 12, 31), Decimal(7), "2023")
    series = one_period_type([*ROLLING, annual])
    assert series.kind == POOLED
    assert [d for d, _ in series.points] == [d for d, _, _ in ROLLING]
    (left_out,) = series.left_out
    assert left_out.why == "an annual figure, not pooled"


def _text(response) -> str:
    page = response.content.decode()
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)))


@pytest.fixture
def suicides(db):
    strategy = make_strategy(slug="pooled", period_start=dt.date(2015, 4, 1))
    objective = make_objective(make_priority(strategy, number=1), number=1)
    return make_measure(
        objective, code="SUI", name="Suicide rate", unit="rate per 100,000", direction="lower"
    )


def _import(client, text: str):
    response = client.post(
        "/measures/import/", {"file": SimpleUploadedFile("f.csv", text.encode())}, follow=True
    )
    pk = response.resolver_match.kwargs["pk"]
    return _text(response), client.post(f"/measures/import/{pk}/confirm/", {})


def test_a_pooled_figure_imports_in_its_own_words_and_every_page_shows_them(
    client, admin_user, suicides
):
    client.force_login(admin_user)
    rows = "".join(f"SUI,{words},{value}\n" for _, value, words in ROLLING)
    preview, confirmed = _import(client, "measure_code,period,value\n" + rows)
    assert confirmed.status_code == 302, preview[preview.find("Preview") :][:800]
    stored = MeasureValue.objects.filter(measure=suicides).order_by("period_end")
    assert [(v.period_end, v.period_text) for v in stored] == [(d, w) for d, _, w in ROLLING]

    page = _text(client.get(suicides.get_absolute_url()))
    assert "Latest 22 rate per 100,000 (2020-22)" in page
    assert "latest value is stale (for 2020-22)" in page  # not "period ended 31 December"
    strategy_page = _text(client.get(suicides.strategy.get_absolute_url()))
    assert "22 rate per 100,000 2020-22" in strategy_page  # not "31 Dec 2022"


def test_a_pooled_figure_where_a_years_figure_is_stored_is_refused(client, admin_user, suicides):
    """2022 and 2020-22 both end on 31 December 2022; a measure keeps one figure per period
    end, so one would replace the other unseen."""
    MeasureValue.objects.create(
        measure=suicides, period_end=dt.date(2022, 12, 31), period_text="2022", value=10
    )
    client.force_login(admin_user)
    preview, _ = _import(client, "measure_code,period,value\nSUI,2020-22,11\n")
    assert "another period ending that day" in preview
    assert MeasureValue.objects.get(measure=suicides).period_text == "2022"


def test_the_spc_notice_names_a_pooled_run(client, admin_user, suicides):
    for end, value, words in [*ROLLING, (dt.date(2023, 12, 31), Decimal(7), "2023")]:
        MeasureValue.objects.create(
            measure=suicides, period_end=end, period_text=words, value=value
        )
    client.force_login(admin_user)
    page = _text(client.get(suicides.get_absolute_url()))
    assert "This chart's limits use 5 pooled values" in page
    assert "an annual figure, not pooled" in page


@pytest.mark.parametrize(
    "stored, row",
    [
        ("2018-22", "2020-22"),  # five calendar years pooled, then three, both end 31 Dec 2022
        ("2017/18 - 2021/22", "2019/20 - 2021/22"),  # five financial years, then three
    ],
)
def test_a_pooled_figure_over_another_span_ending_that_day_is_refused(
    client, admin_user, suicides, stored, row
):
    """As a year over its last quarter is refused (another period ending that day, and a
    measure keeps one figure per period end), so is three years' rate over five years' rate:
    accepted, the five years' figure is replaced, its wording rewritten, and the change
    counted as a restatement of a period that never had a figure."""
    end = period_words_date(stored)
    assert period_words_date(row) == end
    MeasureValue.objects.create(measure=suicides, period_end=end, period_text=stored, value=10)
    client.force_login(admin_user)
    data = f"measure_code,period,value\nSUI,{row},11\n".encode()
    page = client.post(
        "/measures/import/", {"file": SimpleUploadedFile("f.csv", data)}, follow=True
    )
    seen = page.context["confirm_form"]["restatements_seen"].value()
    # The Admin ticks "these rows restate figures already reported": the preview called it
    # a restatement of the 3-year figure, which was never reported.
    client.post(
        f"/measures/import/{page.resolver_match.kwargs['pk']}/confirm/",
        {"restatements_confirmed": "on", "restatements_seen": seen},
    )
    kept = MeasureValue.objects.get(measure=suicides)
    assert (kept.period_text, kept.value) == (stored, 10)


def test_the_same_years_pooled_worded_otherwise_are_the_same_period(client, admin_user, suicides):
    MeasureValue.objects.create(
        measure=suicides, period_end=dt.date(2022, 12, 31), period_text="2020-22", value=10
    )
    client.force_login(admin_user)
    data = b"measure_code,period,value\nSUI,2020 - 22,10\n"
    page = client.post(
        "/measures/import/", {"file": SimpleUploadedFile("f.csv", data)}, follow=True
    )

    assert "another period ending that day" not in page.content.decode()


def test_the_preview_names_a_row_by_its_wording_where_it_gives_both(client, admin_user, suicides):
    """The read API's values CSV gives a period's end and its wording: the preview names the
    row "2020-22", which says it is three years pooled, not "2022-12-31", which does not."""
    client.force_login(admin_user)
    data = b"measure,period_end,value,note,source,restated,period\n"
    data += b"SUI,2022-12-31,10.4,,,false,2020-22\n"
    upload = {"file": SimpleUploadedFile("values.csv", data)}
    page = client.post("/measures/import/", upload, follow=True).content.decode()

    row = re.search(r"<tr[^>]*>(?:(?!</tr>).)*SUI(?:(?!</tr>).)*</tr>", page, re.S).group(0)
    assert "2020-22" in row, row
    assert "2022-12-31" not in row, row
