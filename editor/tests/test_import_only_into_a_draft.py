"""A file only fills a draft: a published or closed strategy's editor does not link to
"Import items from a spreadsheet", and its import page offers no upload steps, saying what
to do instead."""

import pytest
from django.urls import reverse

from tests.factories import make_strategy

pytestmark = pytest.mark.django_db


def _pages(client, strategy) -> tuple[str, str]:
    editor = client.get(reverse("editor:strategy", args=[strategy.slug])).content.decode()
    page = client.get(reverse("editor:import_into", args=[strategy.slug])).content.decode()
    return editor, page


def test_a_draft_s_editor_links_to_its_import_page_which_offers_the_upload(client, admin_user):
    strategy = make_strategy(status="draft")
    client.force_login(admin_user)
    editor, page = _pages(client, strategy)
    assert "Import items from a spreadsheet" in editor
    assert "Upload it here" in page and "Upload and preview" in page
    assert "a file can only fill a draft" not in page


def test_a_published_strategy_s_import_page_asks_for_no_upload_and_points_to_the_editor(
    client, admin_user
):
    strategy = make_strategy(status="published")
    client.force_login(admin_user)
    editor, page = _pages(client, strategy)
    assert "Import items from a spreadsheet" not in editor
    assert "Download as a workbook (.xlsx)" in editor  # the downloads stay
    assert "Upload it here" not in page and "Upload and preview" not in page
    assert "This strategy is published: a file can only fill a draft." in page
    assert "Change it item by item in" in page
    assert f'href="{reverse("editor:strategy", args=[strategy.slug])}">its editor</a>' in page


def test_a_closed_strategy_s_import_page_says_nothing_in_it_can_be_changed(client, admin_user):
    strategy = make_strategy(status="closed")
    client.force_login(admin_user)
    editor, page = _pages(client, strategy)
    assert "Import items from a spreadsheet" not in editor
    assert "Upload it here" not in page and "Upload and preview" not in page
    assert "This strategy is closed: a file can only fill a draft." in page
    assert "nothing in it can be changed" in page
    assert "Change it item by item" not in page
