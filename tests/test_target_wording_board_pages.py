"""A closed quarter's board pages, public ones included, give a measure's target in the
document's words ("by 2027/28"), as its status reason said them at the close, not the day it
is filed under; and the public structure file gives the words with the date."""

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse

from measures.models import Measure
from public.models import Publication
from reporting.tests.helpers import q2_strategy
from reporting.tests.test_snapshots import _close

pytestmark = pytest.mark.django_db


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.fixture
def closed(programme_lead, admin_user):
    strategy = q2_strategy(programme_lead)
    # A period ending another day than the target's: the report gives the strategy's period.
    type(strategy).objects.filter(pk=strategy.pk).update(period_end=dt.date(2029, 3, 31))
    Measure.objects.filter(code="WAIT").update(
        target_date=dt.date(2028, 3, 31), target_period_text="2027/28"
    )
    Publication.objects.create(strategy=strategy, is_public=True)
    return _close(strategy, admin_user)


def test_the_board_report_as_at_and_public_pages_give_the_documents_words(
    closed, client, board_member
):
    client.force_login(board_member)
    base = f"/strategies/s/periods/{closed.pk}/"
    public = reverse("public:measure", args=["s", "2024-25-q2", "WAIT"])
    for url in [base + "report/", base + "board/measures/WAIT/", public]:
        response = (Client() if url == public else client).get(url)
        assert response.status_code == 200, url
        page = _text(response.content.decode())
        assert "against target 10 by 2027/28" in page, url
        assert "31 March 2028" not in page, url


def test_the_public_structure_file_gives_the_words_beside_the_date(closed):
    data = Client().get(reverse("public:structure_json", args=["s"])).json()
    (measure,) = data["priorities"][0]["objectives"][0]["measures"]
    assert (measure["target_date"], measure["target_period_text"]) == ("2028-03-31", "2027/28")
