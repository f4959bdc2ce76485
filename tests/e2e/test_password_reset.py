import re

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from tests.e2e.conftest import serious_accessibility_violations
from tests.factories import make_strategy
from tests.task_worker import run_queued_tasks

pytestmark = pytest.mark.e2e

NEW_PASSWORD = "Lighthouse-backlog-2026"


def test_a_lead_resets_a_forgotten_password_by_e_mail_and_signs_in_with_it(
    page: Page, live_server, programme_lead, settings, sign_in
):
    make_strategy()  # an organisation they are a programme lead of
    programme_lead.email = "lee.lead@example.invalid"
    programme_lead.save()
    settings.SITE_URL = live_server.url  # where the e-mailed link points
    heading = page.get_by_role("heading", level=1)

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_role("link", name="Forgotten your password?").click()
    expect(heading).to_have_text("Reset your password")
    assert serious_accessibility_violations(page) == []
    page.get_by_label("E-mail address").fill("lee.lead@example.invalid")
    page.get_by_role("button", name="Send me a reset link").click()

    expect(heading).to_have_text("Check your e-mail")
    assert serious_accessibility_violations(page) == []
    run_queued_tasks()  # the task worker sends the link (make test runs none beside the server)
    assert len(mail.outbox) == 1  # the live server shares the test's outbox
    link = re.search(r"https?://\S+/accounts/reset/\S+/", mail.outbox[0].body).group(0)
    assert link.startswith(live_server.url)

    page.goto(link)
    expect(heading).to_have_text("Set a new password")
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("New password again").fill(NEW_PASSWORD + "x")
    page.get_by_role("button", name="Set password").click()
    expect(page.get_by_role("alert")).to_contain_text("Your password was not set")
    expect(page.get_by_text("The two password fields didn’t match.")).to_be_visible()
    assert serious_accessibility_violations(page) == []
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("New password again").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Set password").click()

    expect(heading).to_have_text("Password set")
    page.get_by_role("link", name="Sign in with your new password").click()
    sign_in(page, "lead", NEW_PASSWORD)
    expect(heading).to_have_text("My milestones")  # a lead's home
    expect(page.get_by_role("link", name="Change password")).to_be_visible()
