"""The Django admin's refused save of a closed strategy's item (a 403 with the form) under axe
at 390 px (found by an accessibility pass). axe run on a Django admin page makes Chromium log a
Content-Security-Policy violation of axe's own (its checks apply styles to measure colours), so
the page is checked for violations before axe runs, and axe's own are then set aside."""

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import serious_accessibility_violations
from tests.factories import make_milestone, make_objective, make_priority, make_strategy

pytestmark = pytest.mark.e2e
PHONE = {"width": 390, "height": 844}
# A milestone as the seed strategies word them: a breadcrumb's last part is its title.
TITLE = "We will be committing to clearing the backlog for the Children's Lighthouse Centre"


def test_the_admins_refused_save_of_a_closed_strategys_item_has_no_serious_axe_findings(
    page: Page, live_server, sign_in, site_admin, programme_lead, no_csp_violations
):
    """The 403 with the form (a strategy closed while the admin page was open): its
    breadcrumbs are links told from the text around them by colour alone (1.4.1), as on every
    admin page (Django's own style, which the project's admin/base_site.html keeps)."""
    strategy = make_strategy(slug="s")
    objective = make_objective(make_priority(strategy, number=1), number=1)
    milestone = make_milestone(objective, title=TITLE, owner=programme_lead)
    page.set_viewport_size(PHONE)
    sign_in(page, "siteadmin")
    page.goto(f"{live_server.url}/admin/milestones/milestone/{milestone.pk}/change/")
    page.locator("textarea[name=commentary]").fill("Typed in the admin before it closed.")
    strategy.status = "closed"
    strategy.save()
    page.locator("input[name=_save]").click()
    expect(page.locator(".errorlist.nonfield")).to_contain_text("This strategy closed")
    assert no_csp_violations == []  # the page's own, before axe runs
    assert serious_accessibility_violations(page) == []
    no_csp_violations.clear()  # axe's own (see above)
