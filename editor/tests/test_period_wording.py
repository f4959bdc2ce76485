"""The document's wording of a strategy's period, through the editor and a workbook."""

import datetime as dt
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from editor import structure_import
from editor.workbook_files import read_strategy_file, write_workbook
from milestones.tests.posted_forms import form_as_posted
from objectives.models import Organisation, Strategy
from reporting import structure_changes
from tests.factories import make_strategy

pytestmark = pytest.mark.django_db
LIMIT = 10 * 1024 * 1024
DRAFT = {
    "title": "Small strategy",
    "slug": "small-strategy",
    "organisation": "Thurrock Council",
    "organisation_short_name": "",
    "period_start": dt.date(2013, 4, 1),
    "period_end": dt.date(2016, 3, 31),
    "period_text": "2013 – 2016",
    "illustrative": True,
}
ROWS = [{"level": "priority", "number": "1", "title": "Start well"}]


@pytest.fixture(autouse=True)
def _workbook_organisation(db):
    Organisation.objects.create(name=DRAFT["organisation"])


def _file(content: bytes):
    return read_strategy_file(content, "small.xlsx", LIMIT)


def _without_the_wording_row(content: bytes) -> bytes:
    """A workbook downloaded before the row existed."""
    book = openpyxl.load_workbook(io.BytesIO(content))
    sheet = book["Strategy"]
    [row] = [c.row for c in sheet["A"] if c.value == "Period (document wording)"]
    sheet.delete_rows(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_an_admin_words_the_period_in_the_editor(client, admin_user):
    strategy = make_strategy(status="draft", organisation=Organisation.objects.get())
    client.force_login(admin_user)
    url = reverse("editor:strategy", args=[strategy.slug])
    page = client.get(url).content.decode()
    assert "Period (document wording)" in page
    data = form_as_posted(page, "") | {"period_text": ["2023/24 to 2027/28"]}
    assert client.post(url, data).status_code == 302
    assert Strategy.objects.get(pk=strategy.pk).period_text == "2023/24 to 2027/28"


def test_the_board_report_names_a_new_wording_of_a_published_strategys_period(client, admin_user):
    """In "Changed since publication", in words a board member reads, not "period text"."""
    strategy = make_strategy(
        organisation=Organisation.objects.get(),
        published_at=timezone.now() - dt.timedelta(days=1),
    )
    start = timezone.now()
    client.force_login(admin_user)
    url = reverse("editor:strategy", args=[strategy.slug])
    data = form_as_posted(client.get(url).content.decode(), "") | {"period_text": ["2013-2016"]}
    assert client.post(url, data).status_code == 302
    [change] = structure_changes.changes_between(strategy, start, timezone.now())
    assert "period (document wording) changed from “nothing” to “2013-2016”" in change.what


def test_a_workbook_carries_the_wording_out_and_back_in(admin_user):
    strategy = structure_import.apply(
        structure_import.plan(_file(write_workbook(DRAFT, ROWS))), admin_user
    )
    assert strategy.period_text == "2013 – 2016"
    changed = _file(write_workbook(DRAFT | {"period_text": "2013-2016"}, ROWS))
    plan = structure_import.plan(changed)
    assert plan.strategy_outcome == "updated"
    structure_import.apply(plan, admin_user)
    assert Strategy.objects.get(pk=strategy.pk).period_text == "2013-2016"


def test_a_workbook_from_before_the_wording_row_leaves_the_drafts_wording_as_it_is(admin_user):
    strategy = structure_import.apply(
        structure_import.plan(_file(write_workbook(DRAFT, ROWS))), admin_user
    )
    older = _file(_without_the_wording_row(write_workbook(DRAFT, ROWS)))
    assert older.strategy_problems == []
    plan = structure_import.plan(older)
    assert plan.ok and plan.strategy_outcome == "unchanged", plan.problems
    structure_import.apply(plan, admin_user)
    assert Strategy.objects.get(pk=strategy.pk).period_text == "2013 – 2016"


def test_a_new_strategy_from_a_workbook_without_the_row_has_no_wording(admin_user):
    older = _file(_without_the_wording_row(write_workbook(DRAFT, ROWS)))
    strategy = structure_import.apply(structure_import.plan(older), admin_user)
    assert (strategy.period_text, strategy.period_end) == ("", dt.date(2016, 3, 31))


def test_new_dates_under_kept_words_ask_the_admin_to_check_the_words(client, admin_user):
    strategy = make_strategy(
        status="draft", organisation=Organisation.objects.get(), period_text="2024/25 to 2028/29"
    )
    client.force_login(admin_user)
    url = reverse("editor:strategy", args=[strategy.slug])
    data = form_as_posted(client.get(url).content.decode(), "") | {"period_end": ["2026-03-31"]}

    page = client.post(url, data, follow=True).content.decode()

    assert "“2024/25 to 2028/29”, was kept as it was" in page
    assert Strategy.objects.get(pk=strategy.pk).period_text == "2024/25 to 2028/29"
