"""What the seed strategies' pages, open data and API show, read against their documents: a
figure's period, a milestone's due date and a report nobody made, each in the document's own
words (/work/shared/seeds/, line numbers given)."""

import json
import re

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction

from objectives.models import Strategy
from public.models import Publication
from reporting import cycle
from reporting.quarters import Quarter
from tests.seeded import load_seeds_and_example

pytestmark = pytest.mark.django_db

EPUT = "eput-mse-community-2023"
THURROCK = "thurrock-hwbs-2013"


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            users = load_seeds_and_example()
            from measures import readings

            readings.refresh()  # as the task worker does after the seeds' values are written
            admin = users["admin"]
            for slug, label in [(EPUT, "2023/24 Q4"), (THURROCK, "2015/16 Q4")]:
                strategy = Strategy.objects.get(slug=slug)
                quarter = Quarter.parse(label)
                opens, closes = cycle.default_window(quarter)
                period = cycle.schedule(strategy, quarter, opens, closes, admin)
                cycle.open_period(period, admin)
                cycle.close_period(period, admin)
                Publication.objects.update_or_create(
                    strategy=strategy, defaults={"is_public": True}
                )
            yield users
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def _board(client):
    client.force_login(get_user_model().objects.get(username="board"))
    return client


def _section(html: str, start: str, end: str) -> str:
    at = html.index(start)
    return html[at : html.index(end, at)]


def test_public_measure_figures_table_names_the_documents_period(loaded, client):
    """EPUT line 43: "for April 2021 onwards the figure was 1182". The public measure page's
    chart says "April 2021 onwards", but its text alternative, "The figures in the chart",
    gives "Period ending 31 Mar 2022", a day the document never gives (the transcription
    chose it, transcription note 17)."""
    url = f"/public/{EPUT}/2023-24-q4/measures/EPUT-DIS-MONTHLY-REFERRALS/"
    html = client.get(url).content.decode()
    table = _section(html, 'id="figures"', "</table>")
    assert "1,182" in table
    assert "April 2021 onwards" in table, table
    assert "2019/2020" in table, table


def test_measure_page_spc_table_names_the_documents_period(loaded, client):
    """The same figure on the measure's own page: "Latest 1,182 (April 2021 onwards)", but
    the SPC table (the SPC chart's text alternative) reads "31 Mar 2022 | 1,182"."""
    html = _board(client).get("/measures/EPUT-DIS-MONTHLY-REFERRALS/").content.decode()
    table = _section(html, "SPC chart as a table", "</table>")
    assert "1,182" in table
    assert "April 2021 onwards" in table, table


def test_one_value_sentence_does_not_name_a_day_the_document_does_not(loaded, client):
    """Thurrock line 205: "In 2011, the gap was 29.7%". The page says "One value so far: 29.7%
    for the period ending 31 December 2011 (2011)"; 31 December is the transcription's
    choice (its note says so), and an EYFS result is not a calendar year's."""
    html = _board(client).get("/measures/THK-EYFS-LOWEST-20PCT-GAP/").content.decode()
    sentence = re.search(r'<p class="one-value"[^>]*>(.*?)</p>', html, re.S).group(1)
    assert "31 December 2011" not in sentence, sentence
    assert "2011" in sentence


def test_timeline_hover_gives_the_documents_due_wording(loaded, client):
    """EPUT line 177: "… in Year 1." The dashboard's timeline says "Due 31 Mar 2024" on
    hover, with no "in Year 1" (every table beside it gives the words, README "Due dates")."""
    response = _board(client).get(f"/strategies/{EPUT}/")
    figure = response.context["timeline"]
    hovers = [
        trace["hovertemplate"]
        .replace("%{text}", text)
        .replace("%{x|%-d %b %Y}", day)  # as Plotly writes the day
        .replace("%{customdata}", words)
        for trace in figure["data"]
        for text, day, words in zip(
            trace["text"], trace["x"], trace.get("customdata", [""] * len(trace["x"])), strict=True
        )
    ]
    lighthouse = [h for h in hovers if "Lighthouse" in h]
    assert len(lighthouse) == 1
    assert lighthouse[0].endswith("<br>Due 2024-03-31 (“in Year 1”)<extra></extra>")


def test_api_does_not_report_a_status_nobody_reported(loaded, client):
    """README: the API's milestones give the "reported status"; the pages say "Nothing
    reported yet" for a seed milestone, "not 'Not started', which no document and no lead
    said". The API (read by Power BI board packs) keeps the stored "status": "not_started" for
    its filters and says beside it that nobody reported it."""
    _board(client)
    rows = json.loads(client.get(f"/api/v1/milestones/?strategy={EPUT}").content)["results"]
    (lighthouse,) = rows
    assert lighthouse["last_updated_at"] is None
    assert lighthouse["status"] == "not_started" and lighthouse["reported"] is False, lighthouse


def test_api_values_carry_the_documents_period_wording(loaded, client):
    """EPUT line 43 "for April 2021 onwards the figure was 1182": the API's value row gives
    only "period_end": "2022-03-31", a day the transcription chose, and not the wording."""
    _board(client)
    url = "/api/v1/values/?measure=EPUT-DIS-MONTHLY-REFERRALS"
    rows = json.loads(client.get(url).content)["results"]
    assert [row.get("period_text") for row in rows] == ["2019/2020", "April 2021 onwards"], rows


def test_public_open_data_gives_the_documents_period_for_a_figure(loaded, client):
    """The public figures CSV (open data) has "2022-03-31,1182" for EPUT line 43's "April 2021
    onwards": a day the document never gives, with neither its wording nor the fixture's note
    saying the day was chosen in transcription."""
    response = client.get(f"/public/{EPUT}/figures.csv")
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    (row,) = [line for line in body.splitlines() if ",1182," in line]
    assert "April 2021 onwards" in row, row
