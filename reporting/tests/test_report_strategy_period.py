"""The board report says the strategy's period in its heading, on the page and in the PDF:
in the document's own words with the dates the tracker takes them as, as at the close."""

import datetime as dt
import io
from unittest import mock

import pytest

from reporting import cycle
from reporting.models import ReportingPeriod
from reporting.quarters import Quarter
from tests.factories import make_milestone, make_objective, make_priority, make_strategy

pytestmark = pytest.mark.django_db
Q2 = Quarter(2014, 2)
WORDS = "2013 – 2016 (taken as 1 April 2013 to 31 March 2016)"


@pytest.fixture
def closed(admin_user):
    strategy = make_strategy(
        slug="s",
        period_start=dt.date(2013, 4, 1),
        period_end=dt.date(2016, 3, 31),
        period_text="2013 – 2016",
    )
    make_milestone(make_objective(make_priority(strategy)), due_date=dt.date(2015, 3, 31))
    period = cycle.schedule(strategy, Q2, *cycle.default_window(Q2), by=None)
    cycle.open_period(period, by=None)
    return cycle.close_period(period, by=admin_user, today=dt.date(2014, 10, 5))


def _facts(page: str) -> str:
    return page.split('id="report-facts"')[1].split("</dl>")[0]


def test_the_report_page_gives_the_strategys_period_in_its_own_words(client, admin_user, closed):
    client.force_login(admin_user)
    page = client.get(f"/strategies/s/periods/{closed.pk}/report/").content.decode()
    assert "<dt>Strategy period</dt><dd>" + WORDS + "</dd>" in _facts(page)
    # In the heading, before the summary.
    assert page.index('id="report-facts"') < page.index('id="summary"')


def test_the_report_pdf_gives_the_strategys_period(client, admin_user, closed):
    client.force_login(admin_user)
    with mock.patch("reporting.views.pdf_of", return_value=b"%PDF-") as printed:
        response = client.get(f"/strategies/s/periods/{closed.pk}/report.pdf")
    assert response.status_code == 200
    html = printed.call_args.args[0]
    assert "<dt>Strategy period</dt><dd>" + WORDS + "</dd>" in _facts(html)


def test_a_strategy_re_dated_after_the_close_leaves_the_report_as_the_board_read_it(
    client, admin_user, closed
):
    strategy = closed.strategy
    strategy.period_end, strategy.period_text = dt.date(2019, 3, 31), "2013 – 2019"
    strategy.save()
    client.force_login(admin_user)
    page = client.get(f"/strategies/s/periods/{closed.pk}/report/").content.decode()
    assert WORDS in _facts(page) and "2019" not in _facts(page)


def test_a_quarter_closed_before_the_period_was_kept_gives_todays(client, admin_user, closed):
    ReportingPeriod.objects.filter(pk=closed.pk).update(as_closed={})
    strategy = closed.strategy
    strategy.period_text = ""
    strategy.save()
    client.force_login(admin_user)
    page = client.get(f"/strategies/s/periods/{closed.pk}/report/").content.decode()
    assert "<dd>1 April 2013 to 31 March 2016</dd>" in _facts(page)


@pytest.mark.pdf
def test_the_printed_report_says_the_strategys_period(client, admin_user, closed):
    from pypdf import PdfReader

    client.force_login(admin_user)
    response = client.get(f"/strategies/s/periods/{closed.pk}/report.pdf")
    assert response["Content-Type"] == "application/pdf"
    pdf = PdfReader(io.BytesIO(response.content))
    text = " ".join(" ".join(page.extract_text().split()) for page in pdf.pages)
    assert "Strategy period" in text and "taken as 1 April 2013 to 31 March 2016" in text
