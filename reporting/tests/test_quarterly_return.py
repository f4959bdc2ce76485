"""A lead's quarterly return: every open milestone they own or are a delegate on, in
strategies with an open period, updated or confirmed in one submit, each under its own lock."""

import pytest
from django.utils import timezone

from milestones import sign_off
from milestones.models import Milestone, MilestoneDelegate, Submission
from objectives.models import Strategy
from reporting import cycle
from reporting.models import ReportingPeriod
from reporting.quarters import Quarter
from reporting.tests.helpers import return_as_shown, strategy_reporting
from strategy_tracker.roles import APPROVER, BOARD_MEMBER, PROGRAMME_LEAD
from tests.factories import make_milestone, make_objective

pytestmark = pytest.mark.django_db
URL = "/milestones/return/"


def _strategy(slug, open_quarter):
    period, objective = strategy_reporting(slug, open_quarter)
    return (period.strategy if period else objective.priority.strategy), objective


@pytest.fixture
def world(programme_lead, make_user):
    this_quarter = Quarter.containing(timezone.localdate())
    _, objective = _strategy("open", this_quarter)
    _, elsewhere = _strategy("not-open", None)
    other = make_user("other", PROGRAMME_LEAD)
    mine = [
        make_milestone(objective, title=f"Mine {n}", owner=programme_lead, position=n)
        for n in range(1, 4)
    ]
    delegated = make_milestone(objective, title="Delegated", owner=other, position=4)
    MilestoneDelegate.objects.create(milestone=delegated, user=programme_lead)
    make_milestone(objective, title="Done", owner=programme_lead, status="complete", position=5)
    make_milestone(objective, title="Someone else's", owner=other, position=6)
    make_milestone(elsewhere, title="No period open", owner=programme_lead)
    return {"milestones": mine + [delegated], "other": other}


def _post_data(rows: dict[Milestone, dict]) -> dict:
    data = {}
    for m, fields in rows.items():
        m.refresh_from_db()
        period = ReportingPeriod.objects.filter(
            strategy=m.objective.priority.strategy, state="open"
        ).first()
        base = {
            "period": period.pk if period else "",
            "status": m.status,
            "commentary": m.commentary,
            "forecast_date": m.forecast_date.isoformat() if m.forecast_date else "",
            "version": m.version,
        }
        data |= {f"m{m.pk}-{k}": v for k, v in (base | fields).items() if v is not False}
    return data


def test_the_return_lists_a_leads_open_milestones_where_a_period_is_open(
    client, programme_lead, world
):
    client.force_login(programme_lead)
    response = client.get(URL)
    assert response.status_code == 200
    titles = [row.milestone.title for row in response.context["rows"]]
    assert titles == ["Mine 1", "Mine 2", "Mine 3", "Delegated"]
    assert response.context["still_to_update"] == 4
    assert "Strategy open: " in response.content.decode()


def test_one_submit_updates_confirms_and_leaves_and_says_so(client, programme_lead, world):
    one, two, three, delegated = world["milestones"]
    client.force_login(programme_lead)
    data = _post_data(
        {
            one: {"status": "at_risk", "commentary": "Supplier late."},
            two: {"confirm": "on"},
            three: {},
            delegated: {"status": "on_track", "commentary": "Going well."},
        }
    )
    response = client.post(URL, data)
    assert response.status_code == 302
    page = client.get(URL).content.decode()
    assert "2 milestones updated and 1 confirmed as it was." in page
    for m in (one, two, three, delegated):
        m.refresh_from_db()
    assert (one.status, one.commentary, delegated.status) == (
        "at_risk",
        "Supplier late.",
        "on_track",
    )
    assert two.last_updated_by == programme_lead and three.last_updated_at is None
    quarter = Quarter.containing(timezone.localdate())
    assert one.history.first().history_change_reason == f"Quarterly return {quarter}"
    assert two.history.first().history_change_reason == f"Quarterly return {quarter}"
    assert three.history.count() == 1  # only its creation
    assert client.get(URL).context["still_to_update"] == 1


def test_a_conflict_on_one_leaves_the_others_saved_and_keeps_the_leads_text(
    client, programme_lead, admin_user, world
):
    one, two, *_ = world["milestones"]
    client.force_login(programme_lead)
    data = _post_data(
        {
            one: {"status": "at_risk", "commentary": "My words on one."},
            two: {"status": "off_track", "commentary": "My words on two."},
        }
    )
    two.record_update(
        by=admin_user,
        expected_version=two.version,
        status="on_track",
        commentary="Admin's words.",
        forecast_date=None,
    )
    response = client.post(URL, data)
    assert response.status_code == 409
    one.refresh_from_db()
    two.refresh_from_db()
    assert one.commentary == "My words on one."
    assert two.commentary == "Admin's words."
    page = response.content.decode()
    assert "1 milestone updated." in page and "Admin&#x27;s words." in page
    row = next(r for r in response.context["rows"] if r.milestone.pk == two.pk)
    assert row.outcome == "conflict"
    assert row.form["commentary"].value() == "My words on two."
    assert row.form["version"].value() == two.version
    # Sent again as it now stands, the lead's version replaces the Admin's.
    again = client.post(
        URL,
        _post_data({two: {}})
        | {
            f"m{two.pk}-status": "off_track",
            f"m{two.pk}-commentary": "My words on two.",
        },
    )
    assert again.status_code == 302
    two.refresh_from_db()
    assert (two.status, two.commentary) == ("off_track", "My words on two.")


def test_an_invalid_row_is_shown_with_its_error_and_the_rest_are_saved(
    client, programme_lead, world
):
    one, two, *_ = world["milestones"]
    client.force_login(programme_lead)
    data = _post_data({one: {"status": "at_risk", "commentary": ""}, two: {"confirm": "on"}})
    response = client.post(URL, data)
    assert response.status_code == 400
    assert "Say why the milestone is at risk." in response.content.decode()
    one.refresh_from_db()
    two.refresh_from_db()
    assert one.status == "not_started" and two.last_updated_at is not None


def test_a_return_sent_after_the_period_closed_is_refused_with_the_text_kept(
    client, programme_lead, world
):
    one, two, *_ = world["milestones"]
    client.force_login(programme_lead)
    data = _post_data({one: {"status": "at_risk", "commentary": "Too late?"}, two: {}})
    ReportingPeriod.objects.update(state="closed", closed_at=timezone.now())
    response = client.post(URL, data)
    assert response.status_code == 409
    page = response.content.decode()
    assert "closed on" in page and "Your text is kept below" in page
    rows = response.context["rows"]
    assert [(r.milestone.pk, r.outcome) for r in rows] == [(one.pk, "refused"), (two.pk, "left")]
    assert rows[0].form["commentary"].value() == "Too late?"
    one.refresh_from_db()
    assert one.commentary == ""


def test_a_strategy_closed_with_its_quarter_open_takes_no_more_returns(
    client, programme_lead, world
):
    one, *_ = world["milestones"]
    client.force_login(programme_lead)
    data = _post_data({one: {"status": "complete", "commentary": "Done."}})
    Strategy.objects.filter(slug="open").update(status="closed", closed_at=timezone.now())
    response = client.post(URL, data)
    assert response.status_code == 409
    assert "was closed after this page was opened, so it takes no more returns" in (
        response.content.decode()
    )
    one.refresh_from_db()
    assert (one.status, one.commentary) == ("not_started", "")
    assert client.get(URL).context["rows"] == []


def test_a_period_closed_between_reading_and_sending_refuses_the_row(
    client, programme_lead, world, monkeypatch
):
    one, *_ = world["milestones"]
    client.force_login(programme_lead)
    data = _post_data({one: {"status": "at_risk", "commentary": "Just in time?"}})
    from reporting import returns

    real = returns.open_periods
    calls = []

    def closes_after_reading(ids):
        calls.append(ids)
        if len(calls) == 2:  # the check at saving: the Admin closed it meanwhile
            ReportingPeriod.objects.update(state="closed", closed_at=timezone.now())
        return real(ids)

    monkeypatch.setattr(returns, "open_periods", closes_after_reading)
    response = client.post(URL, data)
    assert response.status_code == 409
    assert "closed on" in response.content.decode() and "Your text is kept" in (
        response.content.decode()
    )
    row = response.context["rows"][0]
    assert row.form["commentary"].value() == "Just in time?"
    one.refresh_from_db()
    assert one.commentary == ""


def test_a_late_return_is_flagged_on_the_page_and_in_the_history(client, programme_lead):
    last = Quarter.containing(timezone.localdate()).previous()
    _, objective = _strategy("late", last)
    ReportingPeriod.objects.update(closes_on=last.end)
    m = make_milestone(objective, title="Late one", owner=programme_lead)
    client.force_login(programme_lead)
    assert "Late" in client.get(URL).content.decode()
    client.post(URL, _post_data({m: {"confirm": "on"}}))
    assert m.history.first().history_change_reason == f"Quarterly return {last} (late)"


def test_last_quarters_report_is_shown_beside_each_milestone(client, programme_lead, admin_user):
    today = timezone.localdate()
    last, this = Quarter.containing(today).previous(), Quarter.containing(today)
    strategy, objective = _strategy("two", last)
    m = make_milestone(
        objective, title="Hub", owner=programme_lead, status="at_risk", commentary="Builders."
    )
    period = ReportingPeriod.objects.get(strategy=strategy)
    cycle.close_period(period, by=admin_user)
    cycle.open_period(cycle.schedule(strategy, this, *cycle.default_window(this), None), None)
    client.force_login(programme_lead)
    response = client.get(URL)
    assert response.context["rows"][0].last_quarter.commentary == "Builders."
    assert f"Last quarter ({last})" in response.content.decode()
    assert m.pk == response.context["rows"][0].milestone.pk


def test_a_board_member_has_no_return(client, board_member):
    client.force_login(board_member)
    assert client.get(URL).status_code == 403
    assert client.post(URL, {}).status_code == 403


def test_the_returns_queries_do_not_grow_with_its_rows(client, programme_lead, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(programme_lead)
    client.get(URL)
    with CaptureQueriesContext(connection) as few:
        client.get(URL)
    objective = world["milestones"][0].objective
    for n in range(10):
        make_milestone(objective, title=f"More {n}", owner=programme_lead, position=10 + n)
    with CaptureQueriesContext(connection) as many:
        assert len(client.get(URL).context["rows"]) == 14
    assert len(many) == len(few) <= 14


def test_a_return_of_hundreds_of_milestones_is_saved(client, programme_lead, world):
    objective = world["milestones"][0].objective
    many = [
        make_milestone(objective, title=f"Bulk {n}", owner=programme_lead, position=10 + n)
        for n in range(300)
    ]
    client.force_login(programme_lead)
    data = _post_data({m: {"confirm": "on"} for m in many})
    assert len(data) > 1000  # past Django's default limit on a form's fields
    assert client.post(URL, data).status_code == 302
    assert Milestone.objects.filter(title__startswith="Bulk", last_updated_at=None).count() == 0


def test_a_milestone_closed_meanwhile_shows_as_a_conflict_not_a_silent_drop(
    client, programme_lead, admin_user, world
):
    one, *_ = world["milestones"]
    client.force_login(programme_lead)
    data = _post_data({one: {"status": "at_risk", "commentary": "Mine."}})
    one.record_update(
        by=admin_user,
        expected_version=one.version,
        status="complete",
        commentary="",
        forecast_date=None,
    )
    response = client.post(URL, data)
    assert response.status_code == 409
    row = next(r for r in response.context["rows"] if r.milestone.pk == one.pk)
    assert row.outcome == "conflict" and row.form["commentary"].value() == "Mine."


def test_the_same_return_sent_twice_saves_once_without_a_conflict(client, programme_lead, world):
    """Back and send again answered "someone else saved it while you were writing", both
    versions the lead's own."""
    one, two, *_ = world["milestones"]
    client.force_login(programme_lead)
    data = _post_data({one: {"status": "at_risk", "commentary": "Mine."}, two: {"confirm": "on"}})
    assert client.post(URL, data).status_code == 302
    assert "1 milestone updated and 1 confirmed" in client.get(URL).content.decode()
    history = {m.pk: m.history.count() for m in (one, two)}
    again = client.post(URL, data, follow=True)
    assert again.redirect_chain and again.redirect_chain[-1][1] == 302
    assert {m.pk: m.history.count() for m in (one, two)} == history
    # Said as the first send was: one updated, one confirmed (not "2 confirmed").
    assert "1 milestone updated and 1 confirmed" in again.content.decode()


def test_the_same_return_sent_twice_for_sign_off_is_no_conflict(
    client, programme_lead, world, make_user
):
    """With sign-off on, the second send met the first's update awaiting approval and said
    "another update was sent for approval while you were writing": the lead's own."""
    from milestones.models import Submission
    from strategy_tracker.roles import APPROVER, BOARD_MEMBER

    one, *_ = world["milestones"]
    strategy = one.objective.priority.strategy
    strategy.requires_approval = True
    strategy.save()
    strategy.approvers.add(make_user("approver", [BOARD_MEMBER, APPROVER]))
    client.force_login(programme_lead)
    data = _post_data({one: {"status": "at_risk", "commentary": "Mine."}})
    assert client.post(URL, data).status_code == 302
    again = client.post(URL, data)
    assert again.status_code == 302
    assert Submission.objects.filter(milestone=one, state="submitted").count() == 1
    # A different update on the same page is still a conflict with the one awaiting.
    other = client.post(URL, data | {f"m{one.pk}-commentary": "Other words."})
    assert other.status_code == 409


def test_a_milestone_taken_away_meanwhile_is_counted_not_dropped(client, programme_lead, world):
    *_, delegated = world["milestones"]
    client.force_login(programme_lead)
    data = _post_data({delegated: {"status": "at_risk", "commentary": "Mine."}})
    MilestoneDelegate.objects.filter(milestone=delegated).delete()
    response = client.post(URL, data)
    assert response.status_code == 409
    page = response.content.decode()
    assert "<h2>1 milestone was not saved</h2>" in page  # it said "0 milestones"
    assert "1 milestone you sent is no longer yours to update" in page
    # Named, with why, and what the lead typed shown back to copy (it was lost before).
    assert f"<strong>{delegated.title}</strong>: it is " in page
    assert "you are no longer its owner or a delegate" in page
    assert '<blockquote class="commentary">Mine.</blockquote>' in page and "At risk" in page
    assert "Nothing you typed" not in page  # the form below does not hold it
    delegated.refresh_from_db()
    assert delegated.commentary == ""


def test_a_milestone_archived_meanwhile_says_so_and_gives_back_the_text(
    client, programme_lead, world
):
    one, *_ = world["milestones"]
    client.force_login(programme_lead)
    data = _post_data({one: {"status": "at_risk", "commentary": "Words to keep."}})
    Milestone.objects.filter(pk=one.pk).update(archived_at=timezone.now())
    response = client.post(URL, data)
    assert response.status_code == 409
    page = response.content.decode()
    assert "it was taken out of the strategy (archived) since you opened this page" in page
    assert "Words to keep." in page


def test_an_archived_milestone_not_the_leads_is_never_named(client, programme_lead, world):
    """A forged id in the return named any archived milestone of a strategy the lead reads."""
    others = make_milestone(world["milestones"][0].objective, title="Archived, someone else's")
    Milestone.objects.filter(pk=others.pk).update(archived_at=timezone.now())
    client.force_login(programme_lead)
    response = client.post(URL, _post_data({others: {"status": "at_risk", "commentary": "x"}}))
    assert response.status_code == 409
    assert "Archived, someone else" not in response.content.decode()


def test_a_milestone_the_lead_cannot_see_is_never_named(client, programme_lead, world):
    """Ids are the lead's to write: a return naming another organisation's milestone learns
    nothing of it."""
    hidden = make_milestone(make_objective(), title="Someone else's secret plan")
    hidden.objective.priority.strategy.status = "draft"
    hidden.objective.priority.strategy.save()
    client.force_login(programme_lead)
    response = client.post(URL, _post_data({hidden: {"status": "at_risk", "commentary": "x"}}))
    assert response.status_code == 409
    page = response.content.decode()
    assert "Someone else" not in page
    assert "it is no longer in a strategy you can see" in page


def test_a_return_for_a_quarter_closed_since_is_not_counted_for_the_next(
    client, programme_lead, admin_user
):
    today = timezone.localdate()
    last, this = Quarter.containing(today).previous(), Quarter.containing(today)
    strategy, objective = _strategy("roll", last)
    m = make_milestone(objective, title="Hub", owner=programme_lead)
    client.force_login(programme_lead)
    data = _post_data({m: {"status": "at_risk", "commentary": "For last quarter."}})
    cycle.close_period(ReportingPeriod.objects.get(strategy=strategy), by=admin_user)
    cycle.open_period(cycle.schedule(strategy, this, *cycle.default_window(this), None), None)
    response = client.post(URL, data)
    assert response.status_code == 409
    assert f"{last} closed on" in response.content.decode()
    m.refresh_from_db()
    assert m.commentary == ""


def test_an_untouched_row_never_blocks_the_return(client, programme_lead, world):
    one, two, *_ = world["milestones"]
    Milestone.objects.filter(pk=one.pk).update(status="at_risk", commentary="")
    client.force_login(programme_lead)
    data = _post_data({one: {}, two: {"confirm": "on"}})
    assert client.post(URL, data).status_code == 302
    two.refresh_from_db()
    assert two.last_updated_at is not None


def test_a_version_that_is_not_a_number_is_shown_again_as_a_conflict(client, programme_lead, world):
    one, *_ = world["milestones"]
    client.force_login(programme_lead)
    data = _post_data({one: {"status": "at_risk", "commentary": "Mine.", "version": "abc"}})
    response = client.post(URL, data)
    assert response.status_code == 409
    row = response.context["rows"][0]
    assert row.outcome == "conflict" and row.form["version"].value() == one.version


def test_a_milestone_another_organisation_has_taken_on_leaves_the_owners_return(
    client, programme_lead, world
):
    from objectives.models import Organisation, Partner

    taken, *kept = world["milestones"][:3]
    strategy = taken.objective.priority.strategy
    council = Organisation.objects.create(name="Council")  # the lead is not a member
    Partner.objects.create(strategy=strategy, organisation=council)
    council.memberships.filter(user=programme_lead).delete()
    Milestone.objects.filter(pk=taken.pk).update(responsible=council)
    client.force_login(programme_lead)
    listed = [row.milestone for row in client.get(URL).context["rows"]]
    assert taken not in listed and kept[0] in listed
    before = Milestone.objects.get(pk=taken.pk).version
    client.post(URL, _post_data({taken: {"status": "off_track", "commentary": "Forged"}}))
    assert Milestone.objects.get(pk=taken.pk).version == before


def test_a_row_sent_as_its_page_showed_it_never_undoes_a_change_made_since(
    client, programme_lead, world
):
    one, two, *_ = world["milestones"]
    client.force_login(programme_lead)
    data = return_as_shown(client.get(URL))
    # Someone (a delegate, an Admin) updates one milestone after the lead opened the page.
    one.record_update(
        by=world["other"],
        expected_version=one.version,
        status="at_risk",
        commentary="Trainer off sick.",
        forecast_date=None,
    )
    # The lead sends the page, having changed only another row.
    data[f"m{two.pk}-status"], data[f"m{two.pk}-commentary"] = "off_track", "Stopped."
    response = client.post(URL, data)
    assert response.status_code == 302
    one.refresh_from_db()
    assert (one.status, one.commentary) == ("at_risk", "Trainer off sick.")
    two.refresh_from_db()
    assert (two.status, two.commentary) == ("off_track", "Stopped.")


def test_the_summary_of_what_to_correct_links_to_the_field_and_says_what_is_wrong(
    client, programme_lead, world
):
    one, *_ = world["milestones"]
    client.force_login(programme_lead)
    data = _post_data({one: {"status": "at_risk", "commentary": ""}})
    page = client.post(URL, data).content.decode()
    summary = page[: page.index("Nothing you typed is lost")]
    assert f'<a href="#id_m{one.pk}-commentary">' in summary
    assert "Say why the milestone is at risk." in summary
    assert "<h2>1 milestone was not saved</h2>" in summary


# An unchanged resend over a waiting update: left waiting only while it can be approved, and
# the return says it is waiting, not updated.
def test_ticking_confirm_over_the_leads_waiting_update_does_not_say_updated(
    client,
    programme_lead,
    world,
    make_user,
):
    one, *_ = world["milestones"]
    strategy = one.objective.priority.strategy
    strategy.requires_approval = True
    strategy.save()
    strategy.approvers.add(make_user("approver", [BOARD_MEMBER, APPROVER]))
    client.force_login(programme_lead)
    assert (
        client.post(
            URL, _post_data({one: {"status": "at_risk", "commentary": "Mine."}})
        ).status_code
        == 302
    )
    page = client.get(URL)
    data = return_as_shown(page) | {f"m{one.pk}-confirm": "on"}
    response = client.post(URL, data, follow=True)
    text = response.content.decode()
    one.refresh_from_db()
    assert one.status == "not_started"  # nothing counted
    assert Submission.objects.filter(milestone=one, state="submitted").count() == 1
    # The page must not claim the milestone was updated: it was not.
    assert "1 milestone updated" not in text


def test_an_unchanged_resend_after_the_milestone_changed_leaves_an_update_nobody_can_approve(
    client,
    programme_lead,
    world,
    make_user,
):
    one, *_ = world["milestones"]
    strategy = one.objective.priority.strategy
    strategy.requires_approval = True
    strategy.save()
    approver = make_user("approver", [BOARD_MEMBER, APPROVER])
    strategy.approvers.add(approver)
    client.force_login(programme_lead)
    assert (
        client.post(
            URL, _post_data({one: {"status": "at_risk", "commentary": "Mine."}})
        ).status_code
        == 302
    )
    one.refresh_from_db()
    one.title = "Open the hub (renamed by an Admin)"
    one.save()  # an Admin's edit: the version moves on
    # The lead opens the milestone's page afresh and saves the waiting words unchanged.
    sign_off.update(
        one,
        by=programme_lead,
        expected_version=one.version,
        status="at_risk",
        commentary="Mine.",
        forecast_date=None,
        waiting=Submission.objects.get().pk,
        reason=Submission.objects.get().reason,
    )
    waiting = Submission.objects.get(state="submitted")
    # Sent against the milestone as it is now, the update must be approvable.
    sign_off.approve(waiting, by=approver)
