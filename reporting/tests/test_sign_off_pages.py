import datetime as dt

import pytest
from django.utils import timezone

from milestones.models import Submission
from objectives.models import Strategy
from reporting import changes, cycle
from reporting.models import ReportingPeriod
from reporting.quarters import Quarter
from reporting.tests.helpers import return_as_shown, strategy_reporting
from strategy_tracker.roles import APPROVER, BOARD_MEMBER, PROGRAMME_LEAD
from tests.factories import make_milestone

pytestmark = pytest.mark.django_db


@pytest.fixture
def approver(make_user):
    return make_user("approver", [BOARD_MEMBER, APPROVER], first_name="Ann", last_name="Prover")


@pytest.fixture
def milestone(programme_lead, approver):
    period, objective = strategy_reporting("s", Quarter.containing(timezone.localdate()))
    strategy = period.strategy
    strategy.requires_approval = True
    strategy.save()
    strategy.approvers.add(approver)
    return make_milestone(objective, title="Open the hub", owner=programme_lead)


def _update(client, m, **fields):
    data = {"status": "at_risk", "commentary": "Builders late.", "forecast_date": ""}
    data |= {"version": m.version} | fields
    return client.post(m.get_absolute_url() + "update/", data)


def test_a_leads_update_is_submitted_and_the_board_sees_the_old_one_until_approved(
    client, programme_lead, approver, milestone
):
    client.force_login(programme_lead)
    response = _update(client, milestone)
    assert response.status_code == 302
    page = client.get(milestone.get_absolute_url()).content.decode()
    assert "Update submitted for approval" in page and "An update is awaiting approval" in page
    milestone.refresh_from_db()
    assert milestone.commentary == ""

    client.force_login(approver)
    approvals = client.get("/milestones/approvals/")
    (row,) = approvals.context["rows"]
    assert row["submission"].commentary == "Builders late." and not row["own"]
    assert client.post(f"/milestones/approvals/{row['submission'].pk}/approve/").status_code == 302
    milestone.refresh_from_db()
    assert (milestone.status, milestone.commentary) == ("at_risk", "Builders late.")
    assert client.get("/milestones/approvals/").context["rows"] == []


def test_a_returned_update_shows_the_reason_and_the_leads_words_to_send_again(
    client, programme_lead, approver, milestone
):
    client.force_login(programme_lead)
    _update(client, milestone, commentary="Builders late, maybe.")
    submission = Submission.objects.get()
    client.force_login(approver)
    empty = client.post(
        f"/milestones/approvals/{submission.pk}/return/", {f"return-{submission.pk}-reason": ""}
    )
    assert empty.status_code == 400 and "Say why the update is returned" in empty.content.decode()
    # Said at the form's top, where the focus lands, and linked to the box to fill in.
    summary = empty.content.decode().split('<div class="error-summary" role="alert">')[1]
    assert f'<a href="#return-{submission.pk}-reason">' in summary.split("</div>")[0]
    client.post(
        f"/milestones/approvals/{submission.pk}/return/",
        {f"return-{submission.pk}-reason": "Which month?"},
    )
    client.force_login(programme_lead)
    response = client.get(milestone.get_absolute_url())
    assert "“Which month?”" in response.content.decode()
    assert response.context["form"]["commentary"].value() == "Builders late, maybe."


def test_an_approver_cannot_approve_their_own_update(client, approver, milestone, make_user):
    other = make_user("other", [BOARD_MEMBER, APPROVER])
    milestone.objective.priority.strategy.approvers.add(other)
    Submission.objects.create(
        milestone=milestone, status="complete", base_version=1, submitted_by=approver
    )
    client.force_login(approver)
    (row,) = client.get("/milestones/approvals/").context["rows"]
    assert row["own"]
    response = client.post(f"/milestones/approvals/{row['submission'].pk}/approve/")
    assert response.status_code == 409
    assert "another approver must approve or return it" in response.content.decode()
    assert Submission.objects.get().state == "submitted"


def test_someone_not_approving_for_the_strategy_sees_nothing_and_can_do_nothing(
    client, programme_lead, milestone, make_user
):
    client.force_login(programme_lead)
    _update(client, milestone)
    outsider = make_user("outsider", PROGRAMME_LEAD)
    client.force_login(outsider)
    assert client.get("/milestones/approvals/").context["rows"] == []
    pk = Submission.objects.get().pk
    assert client.post(f"/milestones/approvals/{pk}/approve/").status_code == 404
    assert Submission.objects.get().state == "submitted"


def test_the_quarterly_return_submits_for_approval_and_counts_as_sent(
    client, programme_lead, milestone
):
    client.force_login(programme_lead)
    period = milestone.objective.priority.strategy.reporting_periods.get()
    data = {
        f"m{milestone.pk}-period": period.pk,
        f"m{milestone.pk}-version": milestone.version,
        f"m{milestone.pk}-status": "at_risk",
        f"m{milestone.pk}-commentary": "Late.",
        f"m{milestone.pk}-forecast_date": "",
    }
    client.post("/milestones/return/", data)
    page = client.get("/milestones/return/")
    assert "1 submitted for approval." in page.content.decode()
    assert page.context["still_to_update"] == 0
    # Sent again as shown (the lead's submitted words), it is left, not submitted twice.
    data[f"m{milestone.pk}-commentary"] = "Late."
    client.post("/milestones/return/", data)
    assert Submission.objects.count() == 1


def test_an_admin_sets_sign_off_and_a_stale_page_saves_nothing(
    client, admin_user, approver, programme_lead, make_user
):
    second = make_user("second", APPROVER)
    period, _ = strategy_reporting("t", None)
    strategy = Strategy.objects.get(slug="t")
    client.force_login(admin_user)
    form = client.get("/strategies/t/periods/").context["sign_off_form"]
    read = form.initial["read_state"]
    url = "/strategies/t/sign-off/"
    empty = client.post(url, {"requires_approval": "on", "read_state": read})
    assert empty.status_code == 400 and "Name at least one approver" in empty.content.decode()
    # Only Approvers of the strategy's organisations can be named.
    not_one = {"requires_approval": "on", "approvers": [programme_lead.pk], "read_state": read}
    assert client.post(url, not_one).status_code == 400
    data = {"requires_approval": "on", "approvers": [approver.pk], "read_state": read}
    assert client.post(url, data).status_code == 302
    strategy.refresh_from_db()
    assert strategy.requires_approval and list(strategy.approvers.all()) == [approver]
    assert strategy.history.first().history_change_reason == (
        "Sign-off required; approvers: Ann Prover"
    )
    # The same form again, from the page as it was read before the save: refused, kept.
    stale = client.post(url, data | {"approvers": [second.pk]})
    assert stale.status_code == 409
    assert "Someone changed this strategy&#x27;s sign-off" in stale.content.decode()
    kept = stale.context["sign_off_form"]
    assert [str(v) for v in kept["approvers"].value()] == [str(second.pk)]
    [difference] = kept.conflict  # what is saved now beside this form, named
    assert (difference.label, difference.saved) == ("Approvers", "Ann Prover")
    assert difference.yours == str(kept.fields["approvers"].label_from_instance(second))
    assert list(strategy.approvers.all()) == [approver]
    fresh = client.get("/strategies/t/periods/").context["sign_off_form"].initial["read_state"]
    again = client.post(url, data | {"read_state": fresh})
    assert again.status_code == 302
    assert "Sign-off is as it was" in client.get("/strategies/t/periods/").content.decode()


def test_the_sign_off_form_keeps_an_inactive_approver_and_refuses_odd_ids(
    client, admin_user, approver
):
    strategy_reporting("u", None)
    strategy = Strategy.objects.get(slug="u")
    strategy.approvers.add(approver)
    approver.is_active = False
    approver.save()
    client.force_login(admin_user)
    form = client.get("/strategies/u/periods/").context["sign_off_form"]
    labels = [label for _, label in form.fields["approvers"].choices]
    assert "Ann Prover (inactive: can no longer approve)" in labels
    read = form.initial["read_state"]
    keep = {"approvers": [approver.pk], "read_state": read}
    assert client.post("/strategies/u/sign-off/", keep).status_code == 302
    assert list(strategy.approvers.all()) == [approver]
    odd = client.post(
        "/strategies/u/sign-off/", {"approvers": ["99999999999999999999"], "read_state": read}
    )
    assert odd.status_code == 400
    assert list(strategy.approvers.all()) == [approver]


def test_nobody_is_left_to_decide_an_update_waiting_for_approval(
    client, admin_user, programme_lead, approver, make_user, milestone
):
    client.force_login(programme_lead)
    assert _update(client, milestone).status_code == 302
    client.force_login(admin_user)
    read = client.get("/strategies/s/periods/").context["sign_off_form"].initial["read_state"]
    # Approval off and no approver named: nobody could decide what waits.
    off = client.post("/strategies/s/sign-off/", {"read_state": read})
    assert off.status_code == 400
    assert (
        "1 milestone update is waiting for approval, and nobody could approve it with these "
        "settings" in off.content.decode()
    )
    # An approver named who can no longer approve counts as none.
    leaver = make_user("leaver", APPROVER)
    leaver.is_active = False
    leaver.save()
    strategy = Strategy.objects.get(slug="s")
    strategy.approvers.add(leaver)
    read = client.get("/strategies/s/periods/").context["sign_off_form"].initial["read_state"]
    swap = {"requires_approval": "on", "approvers": [leaver.pk], "read_state": read}
    assert client.post("/strategies/s/sign-off/", swap).status_code == 400
    strategy.refresh_from_db()
    assert strategy.requires_approval and set(strategy.approvers.all()) == {approver, leaver}

    # Approval off with the approver still named: they still decide what waits.
    keep = {"approvers": [approver.pk], "read_state": read}
    assert client.post("/strategies/s/sign-off/", keep).status_code == 302
    assert not Strategy.objects.get(slug="s").requires_approval
    client.force_login(approver)
    (submission,) = Submission.objects.all()
    assert client.post(f"/milestones/approvals/{submission.pk}/approve/").status_code == 302


def test_an_update_waiting_for_sign_off_at_the_close_is_reported_as_sent(
    client, admin_user, programme_lead, milestone
):
    other = make_milestone(milestone.objective, title="Hire the team", owner=programme_lead)
    client.force_login(programme_lead)
    assert _update(client, milestone).status_code == 302  # waits for an approver
    period = ReportingPeriod.objects.get(strategy__slug="s")
    cycle.close_period(period, admin_user, today=period.quarter_end + dt.timedelta(days=1))
    found = changes.compare(None, period).found
    assert [c.row.object_id for c in found["awaiting_approval"]] == [milestone.pk]
    assert [c.row.object_id for c in found["no_update"]] == [other.pk]
    client.force_login(admin_user)
    page = client.get(f"/strategies/s/periods/{period.pk}/report/").content.decode()
    assert "Updated, but waiting for an approver&#x27;s sign-off" in page


def test_an_update_waiting_for_approval_is_not_replaced_from_a_page_that_did_not_show_it(
    client, programme_lead, make_user, milestone
):
    delegate = make_user("dee", PROGRAMME_LEAD, first_name="Dee", last_name="Legate")
    milestone.delegates.add(delegate)
    client.force_login(delegate)
    stale_form = client.get(milestone.get_absolute_url()).context["form"]
    assert stale_form.initial["waiting"] is None
    client.force_login(programme_lead)
    assert _update(client, milestone, commentary="Owner: supplier late.").status_code == 302
    (waiting,) = Submission.objects.filter(state="submitted")

    client.force_login(delegate)
    response = _update(client, milestone, status="on_track", commentary="Delegate: all fine.")
    assert response.status_code == 409
    page = response.content.decode()
    assert "Another update was sent for approval while you were editing" in page
    assert "Owner: supplier late." in page  # theirs, shown
    form = response.context["form"]
    assert form["commentary"].value() == "Delegate: all fine."  # yours, kept
    assert list(Submission.objects.filter(state="submitted")) == [waiting]

    # Sent again from that page, which now shows the waiting update: it replaces it.
    again = client.post(milestone.get_absolute_url() + "update/", form.data)
    assert again.status_code == 302
    (now,) = Submission.objects.filter(state="submitted")
    assert now.commentary == "Delegate: all fine." and now.submitted_by == delegate


def test_a_return_row_does_not_replace_an_update_its_page_did_not_show(
    client, programme_lead, make_user, milestone
):
    delegate = make_user("dee", PROGRAMME_LEAD)
    milestone.delegates.add(delegate)
    period = milestone.objective.priority.strategy.reporting_periods.get()
    row = {"period": period.pk, "version": milestone.version, "forecast_date": "", "waiting": ""}
    sent = {f"m{milestone.pk}-{k}": v for k, v in row.items()}
    client.force_login(programme_lead)
    client.post(
        "/milestones/return/",
        sent
        | {f"m{milestone.pk}-status": "at_risk", f"m{milestone.pk}-commentary": "Owner's words."},
    )
    client.force_login(delegate)
    response = client.post(
        "/milestones/return/",
        sent | {f"m{milestone.pk}-status": "off_track", f"m{milestone.pk}-commentary": "Mine."},
    )
    assert [r.outcome for r in response.context["rows"]] == ["conflict"]
    (waiting,) = Submission.objects.filter(state="submitted")
    assert (waiting.commentary, waiting.submitted_by) == ("Owner's words.", programme_lead)
    assert "Another update was sent for approval while you were writing" in (
        response.content.decode()
    )
    # Sent again from that page, which now shows the waiting update, it replaces it.
    (row,) = response.context["rows"]
    again = client.post("/milestones/return/", row.form.data)
    assert again.status_code == 302
    (now,) = Submission.objects.filter(state="submitted")
    assert (now.commentary, now.submitted_by) == ("Mine.", delegate)


def test_an_untouched_return_row_is_left_when_an_update_was_sent_since_its_page(
    client, programme_lead, make_user, milestone
):
    delegate = make_user("dee", PROGRAMME_LEAD)
    milestone.delegates.add(delegate)
    client.force_login(delegate)
    untouched = return_as_shown(client.get("/milestones/return/"))
    client.force_login(programme_lead)
    assert _update(client, milestone, commentary="Owner: late.").status_code == 302
    client.force_login(delegate)
    response = client.post("/milestones/return/", untouched)
    assert response.status_code == 302  # nothing to send, nothing blocked
    (waiting,) = Submission.objects.filter(state="submitted")
    assert waiting.commentary == "Owner: late."


def test_a_return_sent_as_shown_leaves_an_update_returned_since_with_its_reason(
    client, programme_lead, approver, make_user, milestone
):
    delegate = make_user("dee", PROGRAMME_LEAD)
    milestone.delegates.add(delegate)
    client.force_login(programme_lead)
    untouched = return_as_shown(client.get("/milestones/return/"))
    client.force_login(delegate)
    assert _update(client, milestone, commentary="Delegate: trainer off.").status_code == 302
    client.force_login(approver)
    submission = Submission.objects.get()
    reason = {f"return-{submission.pk}-reason": "Give the date recruitment finished."}
    client.post(f"/milestones/approvals/{submission.pk}/return/", reason)
    assert Submission.objects.get().state == "returned"

    client.force_login(programme_lead)
    assert client.post("/milestones/return/", untouched).status_code == 302
    assert list(Submission.objects.values_list("state", flat=True)) == ["returned"]


def test_a_reason_typed_for_an_update_decided_meanwhile_is_shown_back_to_copy(
    client, programme_lead, approver, milestone, make_user
):
    client.force_login(programme_lead)
    _update(client, milestone)
    submission = Submission.objects.get()
    other = make_user("other", [BOARD_MEMBER, APPROVER])
    milestone.objective.priority.strategy.approvers.add(other)
    client.force_login(other)
    client.post(f"/milestones/approvals/{submission.pk}/approve/")

    client.force_login(approver)
    reason = "Which month?\nThe forecast and the words disagree."
    response = client.post(
        f"/milestones/approvals/{submission.pk}/return/", {f"return-{submission.pk}-reason": reason}
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert "Nothing was changed" in page and "What you typed is here to copy" in page
    assert "Which month?<br>The forecast and the words disagree." in page
    assert Submission.objects.get().state == "approved"


def test_each_waiting_update_shows_its_milestones_due_date_in_the_documents_words(
    client, programme_lead, approver, milestone
):
    milestone.due_date, milestone.due_text = dt.date(2024, 3, 31), "in Year 1"
    milestone.save()
    by_month = make_milestone(
        milestone.objective,
        title="Hire the team",
        owner=programme_lead,
        due_date=dt.date(2013, 9, 30),
        due_text="Sept 2013",
    )
    undated = make_milestone(milestone.objective, title="Agree the plan", owner=programme_lead)
    client.force_login(programme_lead)
    for m in (milestone, by_month, undated):
        assert _update(client, m).status_code == 302
    client.force_login(approver)
    page = client.get("/milestones/approvals/").content.decode()
    by_title = {
        s.milestone.title: page.split(f'id="submission-{s.pk}"')[1].split("</section>")[0]
        for s in Submission.objects.select_related("milestone")
    }
    assert "Due 31 Mar 2024 (“in Year 1”)" in by_title["Open the hub"]
    assert "Due Sept 2013" in by_title["Hire the team"]
    assert "No due date" in by_title["Agree the plan"]


def _two_waiting(client, programme_lead, milestone):
    """The fixture's milestone and a second, each with an update waiting: their submissions."""
    team = make_milestone(milestone.objective, title="Hire the team", owner=programme_lead)
    client.force_login(programme_lead)
    for m in (milestone, team):
        assert _update(client, m).status_code == 302
    return Submission.objects.get(milestone=milestone), Submission.objects.get(milestone=team)


def _page_sent(*submissions, **reasons) -> dict:
    """What the approvals page sends: every update it shows, and each box (`reasons` by
    submission id as "s<pk>")."""
    data = {"shown": [s.pk for s in submissions]}
    for s in submissions:
        data[f"return-{s.pk}-reason"] = reasons.get(f"s{s.pk}", "")
    return data


def test_a_reason_typed_for_another_update_comes_back_after_acting_on_one(
    client, programme_lead, approver, milestone
):
    hub, team = _two_waiting(client, programme_lead, milestone)
    client.force_login(approver)
    typed = "Which month?\nThe forecast and the words disagree."
    sent = _page_sent(hub, team, **{f"s{hub.pk}": typed})
    assert client.post(f"/milestones/approvals/{team.pk}/approve/", sent).status_code == 302
    page = client.get("/milestones/approvals/")
    (row,) = page.context["rows"]
    assert row["submission"] == hub and row["form"]["reason"].value() == typed
    assert "The forecast and the words disagree.</textarea>" in page.content.decode()
    assert client.get("/milestones/approvals/").context["rows"][0]["form"]["reason"].value() == (
        typed  # a reload keeps it too
    )
    # Acting on it then works as before, and its box is not kept once it is decided.
    again = client.post(
        f"/milestones/approvals/{hub.pk}/return/", _page_sent(hub, **{f"s{hub.pk}": typed})
    )
    assert again.status_code == 302
    hub.refresh_from_db()
    assert (hub.state, hub.return_reason) == ("returned", typed)
    assert client.session["approvals_typed_reasons"] == {}


def test_a_reason_typed_for_another_update_comes_back_when_a_return_is_refused_or_sent(
    client, programme_lead, approver, milestone
):
    hub, team = _two_waiting(client, programme_lead, milestone)
    client.force_login(approver)
    sent = _page_sent(hub, team, **{f"s{hub.pk}": "Which month?"})
    empty = client.post(f"/milestones/approvals/{team.pk}/return/", sent)
    assert empty.status_code == 400
    forms = {row["submission"].pk: row["form"] for row in empty.context["rows"]}
    assert forms[team.pk].errors and forms[hub.pk]["reason"].value() == "Which month?"
    sent[f"return-{team.pk}-reason"] = "Name the supplier."
    assert client.post(f"/milestones/approvals/{team.pk}/return/", sent).status_code == 302
    team.refresh_from_db()
    assert (team.state, team.return_reason) == ("returned", "Name the supplier.")
    (row,) = client.get("/milestones/approvals/").context["rows"]
    assert row["form"]["reason"].value() == "Which month?"
    # A box sent cleared keeps nothing for it, though the click was refused (that update was
    # returned already); ids not of this page's updates are passed over.
    bogus = _page_sent(hub) | {"shown": [hub.pk, "x", "99999999999999999999", team.pk]}
    client.post(f"/milestones/approvals/{team.pk}/approve/", bogus)
    (row,) = client.get("/milestones/approvals/").context["rows"]
    assert row["form"]["reason"].value() == ""


def test_a_reason_typed_for_an_update_decided_by_another_approver_meanwhile_is_shown_once(
    client, programme_lead, approver, milestone, make_user
):
    hub, team = _two_waiting(client, programme_lead, milestone)
    other = make_user("other", [BOARD_MEMBER, APPROVER])
    milestone.objective.priority.strategy.approvers.add(other)
    client.force_login(other)
    assert client.post(f"/milestones/approvals/{hub.pk}/approve/").status_code == 302

    client.force_login(approver)
    sent = _page_sent(hub, team, **{f"s{hub.pk}": "Which month?"})
    assert client.post(f"/milestones/approvals/{team.pk}/approve/", sent).status_code == 302
    page = client.get("/milestones/approvals/")
    assert page.context["decided_meanwhile"] == [
        ("Reason typed for “Open the hub” (approved)", "Which month?")
    ]
    assert "No longer waiting for you" in page.content.decode()
    assert client.get("/milestones/approvals/").context["decided_meanwhile"] == []
