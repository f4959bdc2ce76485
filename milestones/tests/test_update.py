import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from milestones.models import Milestone, StaleMilestoneError

pytestmark = pytest.mark.django_db


def _update_url(m: Milestone) -> str:
    return reverse("milestones:update", args=["eput", "1", 1, m.pk])


def _post(client, milestone, **fields):
    data = {
        "status": "on_track",
        "commentary": "",
        "forecast_date": "",
        "version": milestone.version,
    }
    return client.post(_update_url(milestone), data | fields)


def _snapshot(milestone: Milestone) -> tuple:
    milestone.refresh_from_db()
    return (
        milestone.status,
        milestone.commentary,
        milestone.forecast_date,
        milestone.version,
        milestone.last_updated_at,
        milestone.history.count(),
    )


def test_the_owner_updates_status_commentary_and_forecast(client, milestone, programme_lead):
    client.force_login(programme_lead)
    forecast = milestone.due_date + dt.timedelta(days=30)

    response = _post(
        client,
        milestone,
        status="at_risk",
        commentary="Recruitment is slow.",
        forecast_date=forecast.isoformat(),
    )

    assert response.status_code == 302
    assert response["Location"] == milestone.get_absolute_url()
    milestone.refresh_from_db()
    assert (milestone.status, milestone.commentary, milestone.forecast_date) == (
        "at_risk",
        "Recruitment is slow.",
        forecast,
    )
    assert milestone.last_updated_by == programme_lead
    assert milestone.last_updated_at is not None
    assert milestone.version == 2
    latest = milestone.history.first()
    assert latest.history_user == programme_lead
    assert latest.status == "at_risk"
    assert latest.history_type == "~"


def test_a_named_delegate_may_update(client, milestone, delegate):
    client.force_login(delegate)
    milestone.refresh_from_db()
    assert _post(client, milestone).status_code == 302
    milestone.refresh_from_db()
    assert milestone.last_updated_by == delegate


def test_an_admin_may_update_any_milestone(client, milestone, admin_user):
    client.force_login(admin_user)
    assert _post(client, milestone, status="complete").status_code == 302
    milestone.refresh_from_db()
    assert milestone.status == "complete"


def test_it_rejects_an_update_from_a_board_member_who_sees_no_form(client, milestone, board_member):
    client.force_login(board_member)
    page = client.get(milestone.get_absolute_url())
    assert page.status_code == 200
    assert "form" not in page.context
    assert b"Save update" not in page.content
    before = _snapshot(milestone)
    assert _post(client, milestone, status="complete").status_code == 403
    assert _snapshot(milestone) == before


def test_an_update_sent_after_the_milestone_was_given_away_shows_back_what_was_typed(
    client, milestone, programme_lead, other_lead
):
    """A bare 403 used to lose the commentary the lead had written."""
    client.force_login(programme_lead)
    Milestone.objects.filter(pk=milestone.pk).update(owner=other_lead)
    before = _snapshot(milestone)
    response = _post(client, milestone, status="at_risk", commentary="Two pages of\nwork.")
    assert response.status_code == 403
    page = response.content.decode()
    assert "Your update was not saved" in page and "It may have been given to someone else" in page
    assert '<blockquote class="commentary">Two pages of<br>work.</blockquote>' in page
    assert "At risk" in page
    assert _snapshot(milestone) == before


def test_text_shown_back_leaves_out_control_characters():
    from milestones.forms import typed_update

    typed = typed_update({"commentary": "a\x00b\x01c\u202ed\u00a0e\nf", "status": "x"})
    assert typed == [("Commentary", "abcd e\nf")]


def test_an_update_sent_after_the_milestone_was_archived_says_so(client, milestone, programme_lead):
    from django.utils import timezone

    client.force_login(programme_lead)
    Milestone.objects.filter(pk=milestone.pk).update(archived_at=timezone.now())
    response = _post(client, milestone, commentary="Kept for me.")
    assert response.status_code == 409
    page = response.content.decode()
    assert "taken out of the strategy (archived)" in page and "Kept for me." in page


def test_an_archived_milestones_title_is_not_shown_to_someone_it_was_not_for(
    client, milestone, board_member
):
    """Any reader of the strategy could post to an update address and read the title of an
    archived milestone, shown nowhere else."""
    from django.utils import timezone

    Milestone.objects.filter(pk=milestone.pk).update(archived_at=timezone.now())
    client.force_login(board_member)
    response = _post(client, milestone, commentary="x")
    assert response.status_code == 404
    assert milestone.title not in response.content.decode()


def test_an_archived_milestone_of_a_strategy_one_cannot_see_is_not_found(
    client, milestone, programme_lead
):
    from django.utils import timezone

    from objectives.models import Strategy

    Milestone.objects.filter(pk=milestone.pk).update(archived_at=timezone.now())
    Strategy.objects.update(status="draft")  # only Admins see a draft
    client.force_login(programme_lead)
    assert _post(client, milestone, commentary="x").status_code == 404


def test_the_same_update_sent_twice_is_saved_once_and_not_called_someone_elses(
    client, milestone, programme_lead
):
    """Back and send again (or a second click) answered "This milestone changed while you
    were editing it", both versions the lead's own."""
    client.force_login(programme_lead)
    fields = {"status": "at_risk", "commentary": "Late deliveries."}
    assert _post(client, milestone, **fields).status_code == 302
    after_first = _snapshot(milestone)
    milestone.version = 1  # the same form, as first drawn
    again = _post(client, milestone, **fields)
    assert again.status_code == 302
    assert _snapshot(milestone) == after_first
    page = client.get(again["Location"]).content.decode()
    assert "This update was saved already; nothing more was changed." in page
    # Different words on the same old version are still a conflict, not "saved already".
    milestone.version = 1
    assert _post(client, milestone, status="at_risk", commentary="Other words.").status_code == 409


def test_an_admins_edit_since_the_page_is_a_conflict_not_saved_already(
    client, milestone, programme_lead, admin_user
):
    """An Admin's edit moves the version and leaves the last update (the lead's own, same
    words) as it was: that read as the lead's own second send, "saved already", and the
    confirmation was never recorded."""
    client.force_login(programme_lead)
    fields = {"status": "on_track", "commentary": "Steady."}
    assert _post(client, milestone, **fields).status_code == 302
    milestone.refresh_from_db()
    drawn = milestone.version
    edited = Milestone.objects.get(pk=milestone.pk)
    edited.title = "Renamed by an Admin"
    edited._history_user = admin_user
    edited.save()
    milestone.version = drawn
    response = _post(client, milestone, **fields)
    assert response.status_code == 409
    assert Milestone.objects.get(pk=milestone.pk).history.count() == edited.history.count()


def test_the_owner_sees_the_form(client, milestone, programme_lead):
    client.force_login(programme_lead)
    assert b"Save update" in client.get(milestone.get_absolute_url()).content


def test_a_post_without_the_csrf_token_is_refused(milestone, programme_lead):
    client = Client(enforce_csrf_checks=True)
    client.force_login(programme_lead)
    before = _snapshot(milestone)
    assert _post(client, milestone, status="complete").status_code == 403
    assert _snapshot(milestone) == before


def test_a_milestone_that_does_not_exist_is_not_found(client, milestone, programme_lead):
    client.force_login(programme_lead)
    assert (
        client.post(reverse("milestones:update", args=["eput", "1", 1, 99999])).status_code == 404
    )
    # The right id under the wrong objective is not found either.
    assert (
        client.get(reverse("milestones:detail", args=["eput", "1", 2, milestone.pk])).status_code
        == 404
    )


@pytest.mark.parametrize(
    "fields,field,message",
    [
        ({"status": "finished"}, "status", "Select a valid choice"),
        ({"status": ""}, "status", "This field is required"),
        ({"forecast_date": "31/02/2027"}, "forecast_date", "Enter the forecast as a date"),
        ({"forecast_date": "2027-02-30"}, "forecast_date", "Enter the forecast as a date"),
        (
            {"forecast_date": "2023-03-31"},
            "forecast_date",
            "cannot be before the strategy starts (1 April 2023)",
        ),
        ({"commentary": "x" * 2001}, "commentary", "2000 characters or fewer (it has 2001)"),
        ({"status": "at_risk"}, "commentary", "Say why the milestone is at risk"),
        (
            {"status": "off_track", "commentary": "   "},
            "commentary",
            "Say why the milestone is off track",
        ),
        ({"status": "cancelled"}, "commentary", "Say why the milestone is cancelled"),
    ],
)
def test_bad_input_gets_a_message_by_its_field_and_changes_nothing(
    client, milestone, programme_lead, fields, field, message
):
    client.force_login(programme_lead)
    before = _snapshot(milestone)
    response = _post(client, milestone, **fields)
    assert response.status_code == 400
    errors = response.context["form"].errors[field]
    assert any(message in e for e in errors), errors
    html = response.content.decode()
    assert f'id="id_{field}-error-1"' in html
    assert f'aria-describedby="id_{field}-hint id_{field}-error-1"' in html or (
        f'aria-describedby="id_{field}-error-1"' in html
    )
    assert 'aria-invalid="true"' in html
    assert _snapshot(milestone) == before


def test_a_long_commentary_is_refused_whole_never_cut(client, milestone, programme_lead):
    """The box had maxlength="2000": a browser cut a pasted 10,000 characters to 2,000 and the
    page said "Milestone updated". Refused by the server instead, every character kept, and
    only the length named (not "say why it is off track", which it did)."""
    client.force_login(programme_lead)
    page = client.get(milestone.get_absolute_url()).content.decode()
    assert "maxlength" not in page.split('name="commentary"')[1].split(">")[0]
    assert "Up to 2,000 characters." in page
    before = _snapshot(milestone)
    long = "Why it slipped." * 666  # 9,990 characters
    response = _post(client, milestone, status="off_track", commentary=long)
    assert response.status_code == 400
    assert response.context["form"].errors["commentary"] == [
        "Keep the commentary to 2000 characters or fewer (it has 9990)."
    ]
    assert response.context["form"]["commentary"].value() == long
    assert _snapshot(milestone) == before


def test_a_forecast_already_passed_is_refused_unless_the_milestone_is_done(
    client, milestone, programme_lead
):
    """On track with a forecast last year stayed Green, and the board report printed it."""
    client.force_login(programme_lead)
    before = _snapshot(milestone)
    past = (timezone.localdate() - dt.timedelta(days=30)).isoformat()
    response = _post(client, milestone, status="on_track", forecast_date=past)
    assert response.status_code == 400
    assert "has passed. If it is done, choose Complete" in " ".join(
        response.context["form"].errors["forecast_date"]
    )
    assert _snapshot(milestone) == before
    assert _post(client, milestone, status="complete", forecast_date=past).status_code == 302


def test_a_forecast_after_the_due_date_needs_commentary(client, milestone, programme_lead):
    client.force_login(programme_lead)
    late = (milestone.due_date + dt.timedelta(days=1)).isoformat()
    response = _post(client, milestone, forecast_date=late)
    assert response.status_code == 400
    assert "Say why the forecast is later than the due date" in response.content.decode()
    assert (
        _post(client, milestone, forecast_date=late, commentary="Supplier delay.").status_code
        == 302
    )


@pytest.mark.parametrize("forecast", ["9999-12-31", "2101-01-01"])
def test_a_forecast_off_the_calendar_is_refused_and_nothing_changes(
    client, milestone, programme_lead, forecast
):
    client.force_login(programme_lead)
    before = _snapshot(milestone)
    response = _post(client, milestone, forecast_date=forecast, commentary="Typed 9999.")
    assert response.status_code == 400
    assert response.context["form"].errors["forecast_date"] == [
        "Enter a date from 1 January 1990 to 31 December 2100."
    ]
    assert _snapshot(milestone) == before


def test_reopening_a_cancelled_milestone_needs_commentary(client, milestone, programme_lead):
    Milestone.objects.filter(pk=milestone.pk).update(status="cancelled", commentary="")
    milestone.refresh_from_db()
    client.force_login(programme_lead)
    before = _snapshot(milestone)
    response = _post(client, milestone, status="on_track")
    assert response.status_code == 400
    assert "Say why this cancelled milestone is being reopened" in response.content.decode()
    assert _snapshot(milestone) == before


def test_the_second_of_two_concurrent_edits_sees_the_conflict_and_keeps_its_text(
    client, milestone, programme_lead, delegate
):
    milestone.refresh_from_db()
    read_version = milestone.version  # both people open the form now
    first = Client()
    first.force_login(delegate)
    assert (
        _post(first, milestone, status="at_risk", commentary="From the delegate.").status_code
        == 302
    )

    client.force_login(programme_lead)
    response = client.post(
        _update_url(milestone),
        {
            "status": "off_track",
            "commentary": "From the owner, typed at the same time.",
            "forecast_date": "",
            "version": read_version,
        },
    )

    assert response.status_code == 409
    html = response.content.decode()
    assert "This milestone changed while you were editing it" in html
    assert "From the delegate." in html  # the saved version
    assert "From the owner, typed at the same time." in html  # theirs, still in the form
    milestone.refresh_from_db()
    assert (milestone.status, milestone.commentary) == ("at_risk", "From the delegate.")
    form = response.context["form"]
    assert form["commentary"].value() == "From the owner, typed at the same time."
    assert int(form["version"].value()) == milestone.version

    # Having seen both, the owner resubmits and wins deliberately.
    resubmit = client.post(
        _update_url(milestone),
        {
            "status": "off_track",
            "commentary": "From the owner, typed at the same time.",
            "forecast_date": "",
            "version": form["version"].value(),
        },
    )
    assert resubmit.status_code == 302
    milestone.refresh_from_db()
    assert milestone.status == "off_track"
    assert [h.status for h in milestone.history.all()[:2]] == ["off_track", "at_risk"]


def test_the_version_is_checked_in_the_update_itself(milestone, programme_lead, other_lead):
    fields = {"status": "on_track", "commentary": "", "forecast_date": None}
    milestone.record_update(by=programme_lead, expected_version=1, **fields)
    stale_copy = Milestone.objects.get(pk=milestone.pk)
    history_count = milestone.history.count()
    with pytest.raises(StaleMilestoneError):
        stale_copy.record_update(
            by=other_lead, expected_version=1, **fields | {"status": "complete"}
        )
    milestone.refresh_from_db()
    assert milestone.status == "on_track"
    assert milestone.history.count() == history_count


def test_an_admin_edit_makes_an_open_form_out_of_date(
    client, milestone, programme_lead, admin_user
):
    read_version = milestone.version
    milestone.title = "Clear the Lighthouse backlog (retitled)"
    milestone.save()
    client.force_login(programme_lead)
    response = client.post(
        _update_url(milestone),
        {
            "status": "on_track",
            "commentary": "",
            "forecast_date": "",
            "version": read_version,
        },
    )
    assert response.status_code == 409


def test_reopening_with_the_cancellation_text_still_in_the_box_is_refused(
    client, milestone, programme_lead
):
    client.force_login(programme_lead)
    _post(client, milestone, status="cancelled", commentary="Funding withdrawn.")
    milestone.refresh_from_db()
    # The form comes back pre-filled with the saved commentary; saving it as it is.
    form = client.get(milestone.get_absolute_url()).context["form"]
    assert form.initial["commentary"] == "Funding withdrawn."
    before = _snapshot(milestone)
    response = _post(client, milestone, status="on_track", commentary="Funding withdrawn.")
    assert response.status_code == 400
    assert "Say why this cancelled milestone is being reopened" in response.content.decode()
    assert _snapshot(milestone) == before
    assert (
        _post(client, milestone, status="on_track", commentary="Funding restored.").status_code
        == 302
    )


def test_a_new_at_risk_needs_a_new_line_but_staying_at_risk_does_not(
    client, milestone, programme_lead
):
    client.force_login(programme_lead)
    _post(client, milestone, status="on_track", commentary="Going well.")
    milestone.refresh_from_db()
    assert _post(client, milestone, status="at_risk", commentary="Going well.").status_code == 400
    assert (
        _post(client, milestone, status="at_risk", commentary="Staff off sick.").status_code == 302
    )
    milestone.refresh_from_db()
    assert (
        _post(client, milestone, status="at_risk", commentary="Staff off sick.").status_code == 302
    )


def test_the_save_is_one_conditional_update(
    milestone, programme_lead, django_capture_on_commit_callbacks
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        milestone.record_update(
            by=programme_lead,
            expected_version=milestone.version,
            status="on_track",
            commentary="",
            forecast_date=None,
        )
    updates = [q["sql"] for q in queries if q["sql"].startswith('UPDATE "milestones_milestone"')]
    assert len(updates) == 1
    assert '"version" = ' in updates[0].split("WHERE")[1]


def test_an_assignment_keeps_a_lead_update_saved_meanwhile(
    milestone, programme_lead, admin_user, other_lead
):
    stale_copy = Milestone.objects.get(pk=milestone.pk)  # the admin's page, opened earlier
    milestone.record_update(
        by=programme_lead,
        expected_version=milestone.version,
        status="at_risk",
        commentary="Slipping.",
        forecast_date=None,
    )
    stale_copy.assign(by=admin_user, owner=other_lead)
    milestone.refresh_from_db()
    assert (milestone.status, milestone.commentary, milestone.owner) == (
        "at_risk",
        "Slipping.",
        other_lead,
    )
    assert milestone.version == 3  # each change moved it on, so open forms see the change


def test_an_assignment_that_changes_nothing_writes_nothing(milestone, programme_lead, admin_user):
    before = _snapshot(milestone)
    assert milestone.assign(by=admin_user, owner=programme_lead) is False
    assert _snapshot(milestone) == before


WHO_MAY = (
    "Only Lee Lead (owner), their delegates or an Admin of its organisation can update this "
    "milestone."
)


@pytest.mark.parametrize("user_fixture", ["board_member", "other_lead"])
def test_the_page_says_who_may_update_it_to_someone_who_may_not(
    client, request, milestone, user_fixture
):
    client.force_login(request.getfixturevalue(user_fixture))
    html = client.get(milestone.get_absolute_url()).content.decode()
    assert WHO_MAY in html
    assert "Save update" not in html


@pytest.mark.parametrize("user_fixture", ["programme_lead", "delegate", "admin_user"])
def test_those_who_may_update_it_see_the_form_not_the_refusal(
    client, request, milestone, user_fixture
):
    client.force_login(request.getfixturevalue(user_fixture))
    html = client.get(milestone.get_absolute_url()).content.decode()
    assert "Save update" in html
    assert WHO_MAY not in html


@pytest.mark.parametrize("user_fixture", ["board_member", "other_lead"])
def test_a_forged_update_is_refused_saying_who_may_update_it(
    client, request, milestone, user_fixture
):
    client.force_login(request.getfixturevalue(user_fixture))
    before = _snapshot(milestone)
    response = _post(client, milestone, status="complete")
    assert response.status_code == 403
    assert WHO_MAY in response.content.decode()
    assert _snapshot(milestone) == before


def test_a_milestone_with_no_owner_says_only_delegates_or_an_admin_may(
    client, milestone, other_lead
):
    Milestone.objects.filter(pk=milestone.pk).update(owner=None)
    client.force_login(other_lead)
    html = client.get(milestone.get_absolute_url()).content.decode()
    assert (
        "This milestone has no owner yet: only its delegates or an Admin of its organisation "
        "can update it." in html
    )
    refused = _post(client, milestone, status="complete").content.decode()
    assert "This milestone has no owner yet" in refused


# --- saving the form again untouched ------------------------------------------------------


COMMENTARY = "Contract signed.\nThe provider starts in January."


@pytest.fixture
def forecast_saved(client, milestone, programme_lead):
    """The lead has saved a forecast of 31 March 2027 through the form."""
    Milestone.objects.filter(pk=milestone.pk).update(due_date=dt.date(2027, 6, 30))
    client.force_login(programme_lead)
    milestone.refresh_from_db()
    response = _post(client, milestone, commentary=COMMENTARY, forecast_date="2027-03-31")
    assert response.status_code == 302
    milestone.refresh_from_db()
    return milestone


def test_the_form_shows_the_saved_forecast_as_the_date_input_needs_it(client, forecast_saved):
    form = client.get(forecast_saved.get_absolute_url()).context["form"]
    field = str(form["forecast_date"])
    assert 'type="date"' in field
    assert 'value="2027-03-31"' in field


def test_saving_the_form_again_untouched_keeps_the_forecast(client, forecast_saved):
    from milestones.tests.posted_forms import form_as_posted

    html = client.get(forecast_saved.get_absolute_url()).content.decode()
    data = form_as_posted(html, _update_url(forecast_saved))
    assert data["forecast_date"] == ["2027-03-31"]
    assert data["commentary"] == [COMMENTARY.replace("\n", "\r\n")]  # as a browser sends it

    assert client.post(_update_url(forecast_saved), data).status_code == 302

    forecast_saved.refresh_from_db()
    assert (forecast_saved.status, forecast_saved.commentary, forecast_saved.forecast_date) == (
        "on_track",
        COMMENTARY,
        dt.date(2027, 3, 31),
    )


def test_a_save_with_no_change_is_in_the_history_as_confirmed_not_as_a_change(
    client, forecast_saved
):
    from milestones.history import milestone_change_log
    from milestones.tests.posted_forms import form_as_posted

    html = client.get(forecast_saved.get_absolute_url()).content.decode()
    client.post(_update_url(forecast_saved), form_as_posted(html, _update_url(forecast_saved)))

    latest, the_save = milestone_change_log(forecast_saved)[:2]
    assert (latest.who, latest.action, latest.changes) == (
        "Lee Lead",
        "confirmed, with no change",
        [],
    )
    assert the_save.action == "changed"  # the first save did change the forecast
    page = client.get(forecast_saved.get_absolute_url()).content.decode()
    assert "confirmed, with no change" in page
    assert "(empty)</ins>" not in page


def test_last_months_words_left_in_the_box_are_named_as_the_problem(
    client, milestone, programme_lead
):
    milestone.record_update(
        by=programme_lead,
        expected_version=milestone.version,
        status="on_track",
        commentary="All fine.",
        forecast_date=None,
    )
    milestone.refresh_from_db()
    client.force_login(programme_lead)
    late = milestone.due_date + dt.timedelta(days=30)
    response = client.post(
        milestone.get_absolute_url() + "update/",
        {
            "status": "on_track",
            "commentary": "All fine.",
            "forecast_date": late.isoformat(),
            "version": milestone.version,
        },
    )
    assert response.status_code == 400
    assert "The commentary is still the last update&#x27;s: write what is new." in (
        response.content.decode()
    )


def test_saving_an_update_unchanged_says_it_was_confirmed(client, milestone, programme_lead):
    client.force_login(programme_lead)
    form = client.get(milestone.get_absolute_url()).content.decode()
    # Said before the save, not only after it: an unchanged save is a confirmation.
    assert "Saving without changing anything confirms the milestone as it is" in form
    data = {"status": "not_started", "commentary": "", "forecast_date": ""}
    response = client.post(
        milestone.get_absolute_url() + "update/",
        data | {"version": milestone.version},
        follow=True,
    )
    assert "Milestone confirmed as it was" in response.content.decode()


@pytest.mark.parametrize("invisible", ["\u200b", "\u202e\u200b \u2060", "\ufeff"])
def test_invisible_characters_are_no_reason(client, milestone, programme_lead, invisible):
    client.force_login(programme_lead)
    before = _snapshot(milestone)
    response = _post(client, milestone, status="at_risk", commentary=invisible)
    assert response.status_code == 400
    assert "Say why the milestone is at risk." in response.content.decode()
    assert _snapshot(milestone) == before


def test_invisible_characters_alone_are_not_kept_as_commentary(client, milestone, programme_lead):
    client.force_login(programme_lead)
    assert _post(client, milestone, status="on_track", commentary="\u200b\u2060").status_code == 302
    milestone.refresh_from_db()
    assert (milestone.status, milestone.commentary) == ("on_track", "")
