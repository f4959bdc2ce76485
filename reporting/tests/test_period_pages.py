import datetime as dt

import pytest
from django.utils import timezone

from objectives.models import Strategy
from reporting import cycle
from reporting.models import ReportingPeriod
from reporting.quarters import Quarter
from tests.factories import make_strategy

pytestmark = pytest.mark.django_db
URL = "/strategies/s/periods/"
Q2 = Quarter(2024, 2)  # July to September 2024


@pytest.fixture
def strategy():
    return make_strategy(
        slug="s", period_start=dt.date(2023, 4, 1), period_end=dt.date(2030, 3, 31)
    )


@pytest.fixture
def admin(client, admin_user):
    client.force_login(admin_user)
    return client


FINAL = {"final": "yes"}  # the Admin's tick: closing is final


def _period(strategy, quarter=Q2):
    return cycle.schedule(strategy, quarter, *cycle.default_window(quarter), by=None)


def test_the_page_offers_the_next_quarter_with_its_usual_dates(admin, strategy, settings):
    settings.REPORTING_OPENS_DAYS_BEFORE_END, settings.REPORTING_GRACE_DAYS = 14, 21
    form = admin.get(URL).context["schedule_form"]
    quarter = Quarter.containing(timezone.localdate())
    assert form.initial == {
        "quarter": quarter.label,
        "opens_on": quarter.end - dt.timedelta(days=14),
        "closes_on": quarter.end + dt.timedelta(days=21),
    }


def test_the_usual_dates_left_as_filled_in_follow_the_quarter_chosen(admin, strategy):
    page = admin.get(URL)
    form = page.context["schedule_form"]
    suggested = form.initial["quarter"]
    assert f'name="dates_for" value="{suggested}"' in page.content.decode()
    filled = {k: form.initial[k].isoformat() for k in ("opens_on", "closes_on")}
    posted = {"quarter": "2024/25 Q2", "dates_for": suggested} | filled
    assert admin.post(URL, posted).status_code == 302
    period = ReportingPeriod.objects.get()
    assert (period.opens_on, period.closes_on) == cycle.default_window(Q2)
    # Dates typed in are kept, and refused in words if they do not fit the quarter.
    typed = {"quarter": "2024/25 Q3", "dates_for": suggested} | filled
    typed["opens_on"] = "2024-12-20"
    refused = admin.post(URL, typed)
    assert refused.status_code == 400 and ReportingPeriod.objects.count() == 1


def test_an_admin_schedules_a_period_and_sees_it(admin, strategy):
    response = admin.post(
        URL, {"quarter": "2024/25 Q2", "opens_on": "2024-09-16", "closes_on": "2024-10-21"}
    )
    assert response.status_code == 302
    period = ReportingPeriod.objects.get()
    assert (period.label, period.state, period.opens_on) == (
        "2024/25 Q2",
        "scheduled",
        dt.date(2024, 9, 16),
    )
    page = admin.get(URL).content.decode()
    assert "2024/25 Q2" in page and "16 Sep 2024 to 21 Oct 2024" in page
    assert "is scheduled. Its opening day, 16 September 2024, has passed" in page
    # Its whole window has passed: every return would be late, and the page says so.
    assert "Its grace period ended on 21 October 2024 too, so every return" in page


@pytest.mark.parametrize(
    "data, message",
    [
        (
            {"quarter": "2024/26 Q2", "opens_on": "2024-09-16", "closes_on": "2024-10-21"},
            "a financial year runs into the next one",
        ),
        (
            {"quarter": "2024/25 Q2", "opens_on": "16th Sept", "closes_on": "2024-10-21"},
            "Enter a date, for example 2024-10-21.",
        ),
        (
            {"quarter": "2024/25 Q2", "opens_on": "2024-10-21", "closes_on": "2024-09-16"},
            "A period closes on or after the day it opens.",
        ),
        (
            {"quarter": "2024/25 Q2", "opens_on": "2024-06-01", "closes_on": "2024-10-21"},
            "2024/25 Q2 opens within the quarter",
        ),
    ],
)
def test_a_bad_schedule_is_refused_in_words_with_the_input_kept(admin, strategy, data, message):
    response = admin.post(URL, data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert response.context["schedule_form"].data["quarter"] == data["quarter"]
    assert not ReportingPeriod.objects.exists()


def test_a_bad_schedule_opens_at_a_summary_linking_each_error_to_its_field(admin, strategy):
    data = {"quarter": "2024/25 Q9", "opens_on": "16th Sept", "closes_on": "2024-10-21"}
    page = admin.post(URL, data).content.decode()
    summary = page[page.index('<div class="error-summary" role="alert">') :]
    summary = summary[: summary.index("</div>")]
    form = admin.post(URL, data).context["schedule_form"]
    assert "Nothing was scheduled" in summary
    for name in ("quarter", "opens_on"):
        assert f'<a href="#{form[name].id_for_label}">' in summary, name


def test_an_admin_opens_and_closes_a_period_and_closing_twice_is_refused(admin, strategy):
    period = _period(strategy)
    assert admin.post(f"{URL}{period.pk}/open/").status_code == 302
    assert admin.post(f"{URL}{period.pk}/close/", FINAL).status_code == 302  # Q2 2024 has ended
    period.refresh_from_db()
    assert period.state == "closed"
    rows = period.history.count()
    response = admin.post(f"{URL}{period.pk}/close/", FINAL)
    assert response.status_code == 409
    assert "was already closed on" in response.content.decode()
    assert period.history.count() == rows


def test_closing_needs_the_admin_to_say_it_is_final(admin, strategy):
    period = _period(strategy)
    admin.post(f"{URL}{period.pk}/open/")
    page = admin.get(URL).content.decode()
    assert 'name="final" value="yes"' in page and "Closing is final" in page
    response = admin.post(f"{URL}{period.pk}/close/")
    assert response.status_code == 409
    assert "Tick “Closing is final” beside Close 2024/25 Q2" in response.content.decode()
    period.refresh_from_db()
    assert period.state == "open" and not period.snapshot.exists()


def test_an_open_period_says_how_many_returns_are_in_before_it_is_closed(
    admin, strategy, admin_user
):
    """The page showed only dates: an Admin could close with most returns missing, unwarned."""
    from tests.factories import make_milestone, make_objective, make_priority

    objective = make_objective(make_priority(strategy))
    updated, waiting, _ = (
        make_milestone(objective, title=t, position=n) for n, t in enumerate("ABC", start=1)
    )
    make_milestone(objective, title="Done", position=4, status="complete")
    period = _period(strategy)
    admin.post(f"{URL}{period.pk}/open/")
    updated.refresh_from_db()
    updated.record_update(
        by=admin_user, expected_version=updated.version, status="on_track", commentary="",
        forecast_date=None,
    )  # fmt: skip
    page = admin.get(URL).content.decode()
    assert "<strong>1 of 3</strong> open milestones updated for 2024/25 Q2" in page
    assert "2 open milestones have no update for 2024/25 Q2 yet" in page


def test_a_quarter_not_yet_ended_is_refused_at_close(admin, strategy):
    today = timezone.localdate()
    period = _period(strategy, Quarter.containing(today))
    admin.post(f"{URL}{period.pk}/open/")
    page = admin.get(URL).content.decode()
    assert "Can be closed once the quarter has ended" in page and "final-" not in page
    response = admin.post(f"{URL}{period.pk}/close/", FINAL)
    assert response.status_code == 409
    assert "a quarter closes only after it has ended" in response.content.decode()
    period.refresh_from_db()
    assert period.state == "open"


def _shown(period) -> dict:
    """What the period's dates form carries as the page shows it."""
    period.refresh_from_db()
    return {"read_state": f"{period.state}:{period.opens_on}:{period.closes_on}"}


def test_an_admin_changes_a_periods_dates_and_a_bad_date_keeps_the_input(admin, strategy):
    period = _period(strategy)
    url = f"{URL}{period.pk}/dates/"
    dates = {"opens_on": "2024-09-01", "closes_on": "2024-10-31", **_shown(period)}
    assert admin.post(url, dates).status_code == 302
    period.refresh_from_db()
    assert (period.opens_on, period.closes_on) == (dt.date(2024, 9, 1), dt.date(2024, 10, 31))
    response = admin.post(
        url, {"opens_on": "2024-09-01", "closes_on": "2025-03-31", **_shown(period)}
    )
    assert response.status_code == 400
    assert "within 92 days" in response.content.decode()
    assert response.context["rows"][0]["window_form"].data["closes_on"] == "2025-03-31"
    period.refresh_from_db()
    assert period.closes_on == dt.date(2024, 10, 31)


def test_a_board_member_sees_the_periods_but_no_controls(client, board_member, strategy):
    _period(strategy)
    client.force_login(board_member)
    page = client.get(URL).content.decode()
    assert "2024/25 Q2" in page and "Scheduled" in page
    assert "Schedule the next period" not in page
    assert "Open 2024/25 Q2 now" not in page


def test_a_period_of_another_strategy_is_not_found_here(admin, strategy):
    other = _period(make_strategy(slug="other"))
    assert admin.post(f"{URL}{other.pk}/open/").status_code == 404
    other.refresh_from_db()
    assert other.state == "scheduled"


def test_a_draft_strategys_periods_are_for_admins_only(client, board_member, admin_user):
    make_strategy(slug="draft", status=Strategy.Status.DRAFT)
    client.force_login(board_member)
    assert client.get("/strategies/draft/periods/").status_code == 404
    client.force_login(admin_user)
    assert client.get("/strategies/draft/periods/").status_code == 200


def test_the_dashboard_links_to_the_periods(admin, strategy):
    assert 'href="/strategies/s/periods/"' in admin.get("/strategies/s/").content.decode()


def test_a_closed_periods_dates_are_refused_in_words(admin, strategy):
    period = _period(strategy)
    admin.post(f"{URL}{period.pk}/open/")
    admin.post(f"{URL}{period.pk}/close/", FINAL)
    response = admin.post(f"{URL}{period.pk}/dates/", {"opens_on": "x", "closes_on": ""})
    assert response.status_code == 409
    assert "2024/25 Q2 is closed; its dates are kept as they were." in response.content.decode()


def test_a_strategy_past_the_last_quarter_there_is_offers_no_next_one(admin):
    make_strategy(slug="far", period_start=dt.date(9999, 12, 1), period_end=dt.date(9999, 12, 31))
    response = admin.get("/strategies/far/periods/")
    assert response.status_code == 200
    assert "Schedule the next period" not in response.content.decode()
    response = admin.post(
        "/strategies/far/periods/",
        {"quarter": "9999/00 Q3", "opens_on": "9999-12-17", "closes_on": "9999-12-31"},
    )
    assert response.status_code == 400
    assert "between 1900 and 9997" in response.content.decode()


def test_the_dates_form_carries_the_dates_it_shows(admin, strategy):
    period = _period(strategy)
    form = admin.get(URL).context["rows"][0]["window_form"]
    shown = f"scheduled:{period.opens_on}:{period.closes_on}"
    assert form["read_state"].value() == shown
    assert f'name="read_state" value="{shown}"' in str(form)


def test_dates_saved_meanwhile_are_not_undone_and_are_shown_beside_yours(admin, strategy):
    period = _period(strategy)
    url = f"{URL}{period.pk}/dates/"
    opened_by_both = _shown(period)  # two Admins open the page
    first = {"opens_on": str(period.opens_on), "closes_on": "2024-11-15", **opened_by_both}
    assert admin.post(url, first).status_code == 302  # the first lengthens the grace period
    second = {"opens_on": "2024-09-20", "closes_on": str(period.closes_on), **opened_by_both}
    response = admin.post(url, second)
    assert response.status_code == 409
    period.refresh_from_db()
    assert period.closes_on == dt.date(2024, 11, 15)  # the first Admin's change is kept
    page = response.content.decode()
    assert "Since you opened this page, someone changed the dates of 2024/25 Q2, so" in page
    assert page.index('id="refusal"') < page.index('id="conflict"')  # said at the top
    form = response.context["rows"][0]["window_form"]
    assert [(d.label, d.saved, d.yours) for d in form.conflict] == [
        ("Opens on", str(period.opens_on), "2024-09-20"),
        ("Closes on", "2024-11-15", second["closes_on"]),
    ]
    assert form.data["opens_on"] == "2024-09-20"  # the second Admin's dates stay in the form
    # Saving again, having seen what is saved, is the second Admin's decision: it goes in.
    again = {**second, "read_state": form.data["read_state"]}
    assert admin.post(url, again).status_code == 302
    period.refresh_from_db()
    assert (period.opens_on, str(period.closes_on)) == (dt.date(2024, 9, 20), second["closes_on"])


@pytest.mark.parametrize(
    "state",
    [
        None,
        "",
        "yesterday",
        "2024-09-01:2024-10-31",  # without the state
        "scheduled:2024-09-01:x",
        "paused:2024-09-01:2024-10-31",
    ],
)
def test_dates_without_what_the_form_showed_are_refused(admin, strategy, state):
    period = _period(strategy)
    before = (period.opens_on, period.closes_on)
    data = {"opens_on": "2024-09-01", "closes_on": "2024-10-31"}
    if state is not None:
        data["read_state"] = state
    response = admin.post(f"{URL}{period.pk}/dates/", data)
    assert response.status_code == 400
    assert "This form is incomplete: reload the page and try again." in response.content.decode()
    period.refresh_from_db()
    assert (period.opens_on, period.closes_on) == before


def test_a_stale_form_asking_for_the_dates_already_saved_changes_nothing(admin, strategy):
    period = _period(strategy)
    url = f"{URL}{period.pk}/dates/"
    stale = _shown(period)
    dates = {"opens_on": str(period.opens_on), "closes_on": "2024-11-15"}
    assert admin.post(url, dates | stale).status_code == 302
    response = admin.post(url, dates | stale, follow=True)  # the same dates, from a stale page
    assert "The dates of 2024/25 Q2 are as they were." in response.content.decode()


def test_a_period_opened_meanwhile_refuses_dates_set_while_it_was_scheduled(
    admin, strategy, admin_user
):
    period = _period(strategy)
    url = f"{URL}{period.pk}/dates/"
    seen_scheduled = _shown(period)
    cycle.open_period(period, by=admin_user)  # another Admin opens it
    later = {"opens_on": "2024-09-25", "closes_on": str(period.closes_on)}
    response = admin.post(url, later | seen_scheduled)
    assert response.status_code == 409
    assert "Since you opened this page, someone made 2024/25 Q2 open, so" in (
        response.content.decode()
    )
    period.refresh_from_db()
    assert period.opens_on != dt.date(2024, 9, 25)


def test_a_period_closed_while_its_dates_are_saved_says_so(
    admin, strategy, admin_user, monkeypatch
):
    period = _period(strategy)
    url = f"{URL}{period.pk}/dates/"
    shown = _shown(period)
    change_window = cycle.change_window

    def closed_meanwhile(p, *args, **kwargs):  # another Admin closes it after the page checks
        cycle.open_period(p, by=admin_user)
        cycle.close_period(p, by=admin_user, today=dt.date(2024, 10, 1))
        return change_window(p, *args, **kwargs)

    monkeypatch.setattr(cycle, "change_window", closed_meanwhile)
    response = admin.post(url, {"opens_on": "2024-09-20", "closes_on": "2024-10-31"} | shown)
    assert response.status_code == 409
    assert "2024/25 Q2 is closed; its dates are kept as they were." in response.content.decode()
