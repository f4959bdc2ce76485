"""No text box cuts what is pasted into it: static/js/forms.js takes a single-line box's
maxlength off (the server still sends it, for a browser without JavaScript)."""

import pytest
from django.urls import reverse
from playwright.sync_api import Page

from tests.factories import make_objective, make_priority, make_strategy

pytestmark = pytest.mark.e2e


def test_a_single_line_box_in_the_editor_has_no_maxlength_after_forms_js(
    page: Page, live_server, admin_user, sign_in
):
    strategy = make_strategy(status="draft")
    make_objective(make_priority(strategy))
    sign_in(page, "admin")
    url = live_server.url + reverse("editor:strategy", args=[strategy.slug])
    response = page.goto(url)
    assert response.status == 200
    html = response.text()
    assert "maxlength" in html  # the server still sends it (kept without JavaScript)
    assert page.locator("input[maxlength], textarea[maxlength]").count() == 0
