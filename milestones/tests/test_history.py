import datetime as dt

import pytest
from django.core.cache import cache
from django.urls import reverse

from editor import archiving
from milestones.history import milestone_change_log
from milestones.models import Milestone

pytestmark = pytest.mark.django_db


def test_the_milestone_page_shows_every_change_newest_first(
    client, milestone, programme_lead, site_admin
):
    milestone.record_update(
        by=programme_lead,
        expected_version=milestone.version,
        status="at_risk",
        commentary="Recruitment slow",
        forecast_date=dt.date(2027, 6, 30),
    )
    client.force_login(site_admin)
    # An admin edit through the Django admin appears too.
    admin_url = reverse("admin:milestones_milestone_change", args=[milestone.pk])
    form = client.get(admin_url).context["adminform"].form
    data = {k: ("" if v is None else v) for k, v in form.initial.items() if k not in ("delegates",)}
    data["read_version"] = form["read_version"].value()
    data |= {
        "title": "Clear the Lighthouse Centre backlog",
        "objective": milestone.objective_id,
        "owner": programme_lead.pk,
        "due_date": milestone.due_date.isoformat(),
        "forecast_date": "2027-06-30",
        "milestonedelegate_set-TOTAL_FORMS": 0,
        "milestonedelegate_set-INITIAL_FORMS": 0,
    }
    response = client.post(admin_url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors

    page = client.get(milestone.get_absolute_url())
    history = page.context["entries"]
    assert [e.who for e in history] == ["Sam Site-Admin", "Lee Lead", "System (data load)"]
    assert [(c.field, c.old, c.new) for c in history[0].changes] == [
        ("title", "Clear the Lighthouse backlog", "Clear the Lighthouse Centre backlog")
    ]
    changes = {c.field: (c.old, c.new) for c in history[1].changes}
    assert changes["status"] == ("Not started", "At risk")
    assert changes["commentary"] == ("", "Recruitment slow")
    assert changes["forecast date"] == (None, "30 Jun 2027")
    html = page.content.decode()
    assert "<del>Not started</del> → <ins>At risk</ins>" in html


def test_the_milestone_page_query_count_does_not_grow_with_its_history(
    client, milestone, programme_lead, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def update(commentary):
        milestone.refresh_from_db()
        milestone.record_update(
            by=programme_lead,
            expected_version=milestone.version,
            status="on_track",
            commentary=commentary,
            forecast_date=None,
        )

    client.force_login(programme_lead)
    url = milestone.get_absolute_url()
    update("First")
    client.get(url)
    cache.clear()  # measure the page as worked out, not as cached
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    few = len(few)
    for n in range(30):
        update(f"Update {n}")
    cache.clear()
    with django_assert_max_num_queries(few):
        response = client.get(url)
    assert len(response.context["entries"]) == 32


def test_a_change_of_delegates_is_a_change_not_a_confirmation(
    client, admin_user, milestone, make_user
):
    from milestones.history import milestone_change_log
    from strategy_tracker.roles import PROGRAMME_LEAD

    deputy = make_user("deputy2", PROGRAMME_LEAD, first_name="Dora", last_name="Deputy")
    milestone.assign(by=admin_user, add_delegates=[deputy])
    latest = milestone_change_log(milestone)[0]
    assert latest.action == "changed"
    assert latest.reason == "Delegates: none → Dora Deputy"


def test_a_lead_saving_the_same_update_again_is_a_confirmation(milestone, programme_lead):
    from milestones.history import milestone_change_log

    for _ in range(2):
        milestone.refresh_from_db()
        milestone.record_update(
            by=programme_lead,
            expected_version=milestone.version,
            status="on_track",
            commentary="On plan.",
            forecast_date=None,
        )
    assert milestone_change_log(milestone)[0].action == "confirmed, with no change"


def test_archiving_and_restoring_are_named_in_the_history(milestone):
    archiving.archive(milestone)
    archiving.restore(Milestone.everything.get(pk=milestone.pk))
    restored, archived = milestone_change_log(milestone)[:2]
    assert [c.field for c in archived.changes] == ["archived"]
    assert archived.changes[0].old is None and archived.changes[0].new
    assert [(c.field, c.new) for c in restored.changes] == [("archived", None)]
    assert "confirmed" not in archived.action + restored.action
