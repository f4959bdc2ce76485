"""Found by a second reading of the twenty-fifth session's change."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from milestones.models import Milestone
from milestones.tests.posted_forms import form_as_posted
from tests.factories import make_milestone, make_objective, make_priority, make_strategy

pytestmark = pytest.mark.django_db


def _opened(client, url: str, form_id: str) -> dict:
    page = client.get(url)
    assert page.status_code == 200, page.status_code
    return form_as_posted(page.content.decode(), form_id=form_id) | {"_save": ["Save"]}


def test_a_milestone_added_in_the_admin_does_not_skip_the_strategys_sign_off(
    client, site_admin, programme_lead, make_user
):
    """acb3c18 refuses a status, commentary or forecast changed in the admin while the
    strategy has sign-off on, but only on a milestone that exists: the add page still writes
    a reported status and commentary straight onto a new milestone (save_model stamps
    last_updated_at), so the board sees 'Reported complete' that no approver approved."""
    from strategy_tracker.roles import APPROVER, BOARD_MEMBER

    approver = make_user("approver", [BOARD_MEMBER, APPROVER])
    strategy = make_strategy(slug="s", requires_approval=True, status="published")
    strategy.approvers.add(approver)
    objective = make_objective(make_priority(strategy, number=1), number=1)
    client.force_login(site_admin)
    url = reverse("admin:milestones_milestone_add")
    data = _opened(client, url, "milestone_form") | {
        "objective": [str(objective.pk)],
        "position": ["1"],
        "title": ["Open the hub"],
        "status": ["complete"],
        "commentary": ["Opened on time."],
    }

    client.post(url, data)

    added = Milestone.objects.filter(title="Open the hub").first()
    assert added is None or added.last_updated_at is None, (
        f"a new milestone reported {added.status!r} with no approver's sign-off"
    )


def _at(day: dt.date, hour=12) -> dt.datetime:
    from django.utils import timezone

    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def test_moving_an_open_periods_opening_day_earlier_counts_the_updates_sent_since(
    admin_user, programme_lead
):
    """e63b9fb keeps returns_counted_from as the period opens; change_window still lets an
    Admin move an open period's opening day ("Change the dates of 2024/25 Q2" is offered
    while it is open) and no longer changes what it counts from. Q1 closed on 10 July; the
    lead updated on 5 September; Q2 opened on its day, 16 September; the Admin then moves
    Q2's opening day to 1 September. The periods page shows "Returns 1 Sep to 21 Oct", but
    the lead's 5 September update is still owed, and the report will list it as without an
    update (before e63b9fb: returns_from = min(opened_at, first day) = 1 September)."""
    from django.utils import timezone

    from reporting import cycle, returns
    from reporting.models import ReportingPeriod
    from reporting.quarters import Quarter

    q1q, q2q = Quarter(2024, 1), Quarter(2024, 2)
    strategy = make_strategy(slug="s")
    objective = make_objective(make_priority(strategy, number=1), number=1)
    m = make_milestone(
        objective, title="Open the hub", owner=programme_lead, status="on_track",
        due_date=dt.date(2025, 12, 1), last_updated_at=_at(dt.date(2024, 5, 1)),
    )  # fmt: skip
    q1 = cycle.schedule(strategy, q1q, *cycle.default_window(q1q), by=admin_user)
    cycle.open_period(q1, by=admin_user)
    q1 = cycle.close_period(q1, by=admin_user, today=dt.date(2024, 7, 10))
    ReportingPeriod.objects.filter(pk=q1.pk).update(closed_at=_at(dt.date(2024, 7, 10)))
    type(m).objects.filter(pk=m.pk).update(last_updated_at=_at(dt.date(2024, 9, 5)))
    q2 = cycle.schedule(strategy, q2q, *cycle.default_window(q2q), by=admin_user)  # 16 Sep
    cycle.open_period(q2, by=admin_user)
    # As the daily run opens it, on its day.
    ReportingPeriod.objects.filter(pk=q2.pk).update(
        opened_at=_at(dt.date(2024, 9, 16), 6), returns_counted_from=_at(dt.date(2024, 9, 16), 0)
    )
    q2.refresh_from_db()
    cycle.change_window(q2, dt.date(2024, 9, 1), q2.closes_on, by=admin_user)

    q2.refresh_from_db()
    m.refresh_from_db()
    assert q2.opens_on == dt.date(2024, 9, 1)
    assert not returns.still_owed(m, q2, None), (
        f"returns open on {q2.opens_on}, yet the 5 September update is owed: counted from "
        f"{timezone.localtime(q2.returns_from):%d %B}"
    )


def test_a_cross_site_post_to_no_page_does_not_have_the_site_show_its_words():
    """9764efb: what_was_sent shows a POST's text on the 404 page. An address that names no
    view is answered before any view middleware runs, so neither the CSRF check nor the
    sign-in requirement applies: any other site's form (or a link in a phishing e-mail that
    submits one) makes the tracker's own origin display words of the attacker's choosing,
    under "What you typed is here to copy", to someone not even signed in."""
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    words = "Your account is suspended. Call the IT desk on 0800 000 000 with your password."

    page = client.post("/no-such-page/", {"message": words}, HTTP_ORIGIN="https://evil.example")

    assert page.status_code == 404
    assert words not in page.content.decode()


def test_the_upgrade_leaves_a_closed_quarters_counts_agreeing_with_its_report(
    admin_user, programme_lead
):
    """e63b9fb changes what changes.compare() lists ("a finished milestone never 'slipped'",
    "a restored milestone completed years ago not 'completed' this quarter"). A board report
    lists its changes by compare(), run as the page is drawn; the strategy's dashboard shows
    the counts kept on the period at close (change_counts). For a quarter closed before the
    upgrade the two now disagree: on PostgreSQL, the example strategy with 2026/27 Q1 and Q2
    closed by 6630766 (a milestone completed in Q2, a month after it was due) kept
    {'slipped': 1, ...}; migrated to HEAD, its dashboard says "slipped 1" and its report lists
    no slipped milestone. Here the period is closed by HEAD and given the counts 6630766
    kept, then the upgrade's data migrations are run."""
    import importlib

    from django.apps import apps

    from reporting import changes, cycle
    from reporting.models import ReportingPeriod
    from reporting.quarters import Quarter

    strategy = make_strategy(slug="s", status="published")
    objective = make_objective(make_priority(strategy, number=1), number=1)
    m = make_milestone(
        objective, title="Open the hub", owner=programme_lead, status="on_track",
        due_date=dt.date(2024, 9, 1), last_updated_at=_at(dt.date(2024, 6, 1)),
    )  # fmt: skip
    for quarter, today in ((Quarter(2024, 1), dt.date(2024, 7, 5)),):
        p = cycle.schedule(strategy, quarter, *cycle.default_window(quarter), by=admin_user)
        cycle.open_period(p, by=admin_user)
        cycle.close_period(p, by=admin_user, today=today)
    q2q = Quarter(2024, 2)
    q2 = cycle.schedule(strategy, q2q, *cycle.default_window(q2q), by=admin_user)
    cycle.open_period(q2, by=admin_user)
    type(m).objects.filter(pk=m.pk).update(
        status="complete", forecast_date=dt.date(2024, 10, 1), commentary="Done, a month late.",
        last_updated_at=_at(dt.date(2024, 9, 20)),
    )  # fmt: skip
    q2 = cycle.close_period(q2, by=admin_user, today=dt.date(2024, 10, 5))
    # As 6630766 counted it at close: the completed milestone also "slipped".
    old_counts = q2.change_counts | {"slipped": 1}
    ReportingPeriod.objects.filter(pk=q2.pk).update(change_counts=old_counts)
    import pkgutil

    from django.db import migrations

    import reporting.migrations as package

    for module in sorted(m.name for m in pkgutil.iter_modules(package.__path__)):
        if module[:4].isdigit() and int(module[:4]) > 14:  # the upgrade's, after 0014
            migration = importlib.import_module(f"reporting.migrations.{module}").Migration
            for operation in migration.operations:
                if isinstance(operation, migrations.RunPython):
                    operation.code(apps, None)

    q2.refresh_from_db()
    report = changes.compare(changes.previous_closed(q2), q2).counts
    # Counted again when the dashboard line first reads them, and kept.
    assert changes.kept_counts(q2) == report and "slipped" not in report
    q2.refresh_from_db()
    assert q2.change_counts == report
