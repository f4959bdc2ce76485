"""Every bad workbook through the upload, preview and confirm pages: a clear message naming the
sheet and row, and nothing written."""

import datetime as dt
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from editor.models import WorkbookUpload
from editor.workbook_files import write_workbook
from measures.models import Measure
from milestones.models import Milestone
from objectives.models import Objective, Organisation, Priority, Strategy

pytestmark = pytest.mark.django_db
STRATEGY = {
    "title": "Bad input strategy",
    "slug": "bad-input",
    "organisation": "Thurrock Council",
    "period_start": dt.date(2024, 4, 1),
    "period_end": dt.date(2027, 3, 31),
}
ROWS = [
    {"level": "priority", "number": "1", "title": "Start well"},
    {"level": "objective", "number": "1.1", "title": "Fewer smokers"},
    {"level": "milestone", "number": "1.1.1", "title": "Service opens"},
]
TABLES = (Organisation, Strategy, Priority, Objective, Milestone, Measure)


@pytest.fixture(autouse=True)
def _workbook_organisation(db):
    """The workbook's organisation exists, so its Admins import into it."""
    Organisation.objects.create(name="Thurrock Council")


def _counts():
    return [model.objects.count() for model in TABLES] + [Priority.history.count()]


def _book():
    return openpyxl.load_workbook(io.BytesIO(write_workbook(STRATEGY, ROWS)))


def _bytes(book) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _upload(client, content: bytes, name: str = "strategy.xlsx"):
    return client.post(reverse("editor:import_start"), {"file": SimpleUploadedFile(name, content)})


def _with_extra_sheet():
    book = _book()
    book.create_sheet("Sheet2")["A1"] = "notes the import would lose"
    return _bytes(book)


def _encrypted():
    # What Excel saves with a password: an OLE file holding an EncryptionInfo stream.
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "EncryptionInfo".encode("utf-16-le") + bytes(600)


FILE_REFUSALS = [
    (_with_extra_sheet, "strategy.xlsx", 'The workbook has a sheet "Sheet2" that is not read'),
    (_encrypted, "strategy.xlsx", "This workbook is protected by a password"),
    (lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "old.xls", "old Excel workbook"),
    (lambda: b"PK\x03\x04 this zip is cut short", "strategy.xlsx", "it may be damaged"),
]


@pytest.mark.parametrize(("make", "name", "message"), FILE_REFUSALS)
def test_a_file_that_cannot_be_read_is_refused_at_upload_with_nothing_stored(
    client, admin_user, make, name, message
):
    client.force_login(admin_user)
    before = _counts()
    response = _upload(client, make(), name)
    assert response.status_code == 400
    assert message in response.content.decode().replace("&quot;", '"')
    assert _counts() == before and not WorkbookUpload.objects.exists()


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(client, admin_user, settings):
    settings.WORKBOOK_MAX_BYTES = 1_000_000
    client.force_login(admin_user)
    response = _upload(client, _bytes(_book()) + bytes(1_200_000 - len(_bytes(_book()))))
    assert response.status_code == 400
    assert "The file is 1.2 MB; the limit is 1 MB." in response.content.decode()
    assert not WorkbookUpload.objects.exists()


def _hidden_row():
    book = _book()
    book["Items"].row_dimensions[3].hidden = True
    return _bytes(book)


def _merged_cells():
    book = _book()
    book["Items"].merge_cells("D3:D4")
    return _bytes(book)


def _formula():
    book = _book()
    items = book["Items"]
    title = [c.column_letter for c in items[1] if c.value == "Title"][0]
    items[f"{title}4"] = '=CONCAT("Service ", "opens")'
    return _bytes(book)


def _text_date():
    book = _book()
    items = book["Items"]
    due = [c.column_letter for c in items[1] if c.value == "Due date"][0]
    items[f"{due}4"] = "March 2014"
    return _bytes(book)


ROW_PROBLEMS = [
    (_hidden_row, 'Sheet "Items", row 3: row is hidden'),
    (_merged_cells, 'Sheet "Items", row 3: cells D3:D4 are merged'),
    (_formula, 'Sheet "Items", row 4: Title: holds a formula'),
    (_text_date, 'Sheet "Items", row 4: Due date: "March 2014" is not a date'),
]


@pytest.mark.parametrize(("make", "message"), ROW_PROBLEMS)
def test_a_bad_cell_is_named_by_sheet_and_row_and_the_import_is_refused(
    client, admin_user, make, message
):
    client.force_login(admin_user)
    before = _counts()
    response = _upload(client, make())
    assert response.status_code == 302
    preview = client.get(response.url)
    page = preview.content.decode().replace("&quot;", '"')
    assert message in page
    assert "Import it" not in page  # no confirm button while any row has a problem
    confirm = reverse("editor:import_confirm", args=[preview.context["upload"].pk])
    refused = client.post(confirm, {"seen": preview.context["plan"].digest})
    assert refused.status_code == 400
    assert _counts() == before


@pytest.mark.parametrize("status, offered", [("draft", True), ("published", False)])
def test_a_strategys_import_page_offers_an_upload_only_while_it_is_a_draft(
    client, admin_user, status, offered
):
    strategy = Strategy.objects.create(
        organisation=Organisation.objects.get(name="Thurrock Council"),
        title="Plan",
        slug="plan",
        status=status,
        period_start=dt.date(2024, 4, 1),
        period_end=dt.date(2027, 3, 31),
    )
    client.force_login(admin_user)
    page = client.get(reverse("editor:import_into", args=[strategy.slug])).content.decode()
    assert ("Upload and preview" in page) is offered
    assert ("a file can only fill a draft" in page) is not offered
