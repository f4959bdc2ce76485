"""The workbook preview page: its tree of every row, a labelled region, left out when a file
refused as a whole has no rows to show (an empty div named by a heading fails axe:
aria-prohibited-attr)."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from editor.workbook_files import write_workbook
from tests.factories import make_strategy

pytestmark = pytest.mark.django_db


def _preview(client, content: bytes) -> str:
    response = client.post(
        reverse("editor:import_start"), {"file": SimpleUploadedFile("plan.xlsx", content)}
    )
    assert response.status_code == 302
    return client.get(response.url).content.decode()


def test_the_empty_template_refused_as_a_whole_shows_no_empty_tree(client, admin_user):
    make_strategy(status="draft")  # an organisation for the Admin to be an Admin of
    client.force_login(admin_user)
    page = _preview(client, write_workbook({}, []))
    assert "Nothing can be imported yet" in page
    assert "Every row" not in page and "tree-preview" not in page


def test_the_tree_of_every_row_is_a_region_named_by_its_heading(client, admin_user):
    strategy = make_strategy(status="draft")  # its organisation, which the Admin leads
    client.force_login(admin_user)
    values = {
        "title": "Start well",
        "slug": "start-well",
        "organisation": strategy.organisation.name,
        "period_start": dt.date(2024, 4, 1),
        "period_end": dt.date(2027, 3, 31),
    }
    page = _preview(
        client, write_workbook(values, [{"level": "priority", "number": "1", "title": "P"}])
    )
    assert '<section class="tree-preview" aria-labelledby="tree-heading">' in page
    assert '<h2 id="tree-heading">Every row</h2>' in page
    assert '<div class="tree-preview"' not in page
