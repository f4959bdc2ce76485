"""Data kept from before the twenty-fifth session's rules, read after the upgrade (found by an
upgrade pass from the previous release)."""

import pytest

from objectives.models import RESERVED_SLUG_REFUSAL
from tests.factories import make_strategy

pytestmark = pytest.mark.django_db


def test_a_strategy_kept_with_a_reserved_short_name_can_be_edited_or_says_what_to_fix(
    client, admin_user
):
    """Before acb3c18 the Django admin saved a strategy named "import" (the rule now refuses
    only new ones). After the upgrade its dashboard's "Edit this strategy" link is
    /edit/import/, the workbook import page, which neither edits it nor says why."""
    strategy = make_strategy(slug="import", title="Import Strategy Kept From Before")
    client.force_login(admin_user)
    dashboard = client.get("/strategies/import/").content.decode()
    # No link to an editor that is the app's own page; what to fix, said where it would be.
    assert ">Edit this strategy<" not in dashboard
    assert RESERVED_SLUG_REFUSAL in dashboard and "in the Django admin" in dashboard
    assert strategy.title in dashboard
