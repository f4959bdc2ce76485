"""An Admin building a real strategy on day one, in the editor and from a workbook (found by
a pass that built two)."""

import datetime as dt
import html
import io
import re
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from editor.workbook_files import write_workbook
from measures.models import Measure
from milestones.models import Milestone
from objectives.models import Organisation
from tests.factories import make_objective, make_priority, make_strategy

pytestmark = pytest.mark.django_db


def _page_text(response) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode())))


def test_a_rate_per_100000_from_the_document_can_be_held_in_the_editor(client, admin_user):
    """Public-health measures are rates per 100,000 (suicide, under-75 mortality). The unit
    list offers only "rate per 1,000": the Admin must misstate the rate a hundredfold, or
    choose "number (unit not stated)", which says the document stated no unit."""
    strategy = make_strategy(status="draft")
    objective = make_objective(make_priority(strategy))
    client.force_login(admin_user)
    response = client.post(
        reverse("editor:add_measure", args=[strategy.slug, "objective", objective.pk]),
        {
            "code": "RIV-SUICIDE",
            "name": "Suicide rate",
            "kind": "success",
            "unit": "rate per 100,000",
            "direction": "lower",
            "baseline_value": "11.2",
            "target_value": "10",
            "tolerance": "0",
        },
    )
    assert response.status_code == 302, _page_text(response)[-600:]
    assert Measure.objects.get(code="RIV-SUICIDE").unit == "rate per 100,000"


def test_a_milestone_due_on_the_first_of_its_month_is_not_shown_as_due_that_whole_month(
    client, admin_user, monkeypatch
):
    """Typed "March 2026" into the template's Due date column, Excel stores 1 March 2026;
    the editor's date box takes any day. The milestone goes red on 2 March, but every
    milestone table shows its due date as "March 2026" alone, so on 15 March the board reads
    "Due March 2026 · Red, overdue"."""
    strategy = make_strategy(status="published")
    objective = make_objective(make_priority(strategy))
    client.force_login(admin_user)
    response = client.post(
        reverse("editor:add_child", args=[strategy.slug, "objective", objective.pk]),
        {
            "add-title": "Tobacco needs assessment",
            "add-due_date": "2026-03-01",
            "add-due_text": "March 2026",
        },
    )
    assert response.status_code == 302
    assert Milestone.objects.get().due_date == dt.date(2026, 3, 1)
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: dt.date(2026, 3, 15))
    page = _page_text(client.get(reverse("objectives:strategy_milestones", args=[strategy.slug])))
    assert "overdue: was due 1 March 2026" in page
    # The Due column must not claim the whole of March while the status says it is overdue.
    assert "1 Mar 2026" in page, page[page.find("Milestone Objective Due") :][:400]


def _workbook_with_baseline(value) -> bytes:
    Organisation.objects.create(name="Thurrock Council")
    rows = [
        {"level": "priority", "number": "1", "title": "Start well"},
        {"level": "objective", "number": "1.1", "title": "Fewer smokers"},
        {
            "level": "measure",
            "parent": "1.1",
            "code": "THK-X",
            "title": "Adults who smoke",
            "kind": "success",
            "unit": "%",
            "direction": "lower",
        },
    ]
    strategy = {
        "title": "Day one",
        "slug": "day-one",
        "organisation": "Thurrock Council",
        "period_start": dt.date(2024, 4, 1),
        "period_end": dt.date(2027, 3, 31),
    }
    book = openpyxl.load_workbook(io.BytesIO(write_workbook(strategy, rows)))
    items = book["Items"]
    headings = [c.value for c in items[1]]
    items.cell(4, headings.index("Baseline") + 1).value = value
    out = io.BytesIO()
    book.save(out)
    return _as_excel_saves_it(out.getvalue())


MARKER = "123456.789"  # replaced by the digits Excel writes for the cell's double


def _as_excel_saves_it(data: bytes) -> bytes:
    """openpyxl writes a float to 15 significant digits; Excel writes the shortest form that
    reads back as the same double, up to 17 ("3.3000000000000003" for =1.1*3)."""
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            part = source.read(item.filename)
            if item.filename.startswith("xl/worksheets/"):
                part = part.replace(f"<v>{MARKER}</v>".encode(), f"<v>{repr(1.1 * 3)}</v>".encode())
            target.writestr(item, part)
    return out.getvalue()


def test_a_baseline_excel_shows_as_3_3_is_read_as_3_3_not_refused_for_its_digits(
    client, admin_user
):
    """A cell worked out with a formula and pasted as a value (formulas are refused, so that
    is what the Admin does) holds the double 3.3000000000000003: Excel shows 3.3 and saves
    all 17 digits. The import reads all 17 and refuses the row with "Ensure that there are no
    more than 14 digits in total", about a number nobody can see in the cell."""
    data = _workbook_with_baseline(float(MARKER))
    assert repr(1.1 * 3).encode() in zipfile.ZipFile(io.BytesIO(data)).read(
        "xl/worksheets/sheet2.xml"
    )
    client.force_login(admin_user)
    response = client.post(
        reverse("editor:import_start"),
        {"file": SimpleUploadedFile("plan.xlsx", data)},
        follow=True,
    )
    page = _page_text(response)
    assert "digits in total" not in page, page[page.find("Preview of") :][:500]
    assert "Nothing can be imported" not in page
