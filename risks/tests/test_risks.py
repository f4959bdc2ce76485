import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from risks.models import Risk, RiskAction
from risks.scoring import band_of, heat_map
from strategy_tracker.roles import ADMIN, BOARD_MEMBER, PROGRAMME_LEAD
from tests.factories import make_objective, make_priority, make_risk, make_strategy

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()


@pytest.fixture
def strategy():
    strategy = make_strategy(slug="s", title="Care plan")
    first = make_priority(strategy, number=1, title="Care closer to home")
    make_objective(first, number=1, title="Open hubs")
    make_objective(first, number=2, title="Hire the team")
    make_priority(strategy, number=2, title="Prevention")
    return strategy


def objective(strategy, number):
    return strategy.priorities.get(number=1).objectives.get(number=number)


def form_data(*objectives, actions=(), **fields) -> dict:
    data = {
        "title": "Workforce shortfall",
        "cause": "Because of national shortages of nurses",
        "event": "there is a risk that the hubs cannot be staffed",
        "effect": "resulting in delayed care closer to home",
        "owner": "",
        "objectives": [o.pk for o in objectives],
        "inherent_likelihood": "5",
        "inherent_impact": "4",
        "current_likelihood": "4",
        "current_impact": "4",
        "target_likelihood": "2",
        "target_impact": "3",
        "appetite": "cautious",
        "controls": "Recruitment plan",
        "gaps_in_control": "",
        "assurance_first_line": "Monthly staffing report",
        "assurance_second_line": "People committee",
        "assurance_third_line": "",
        "gaps_in_assurance": "",
        "review_date": (TODAY + dt.timedelta(days=30)).isoformat(),
        "actions-TOTAL_FORMS": str(max(len(actions), 1)),
        "actions-INITIAL_FORMS": "0",
        "actions-MIN_NUM_FORMS": "0",
        "actions-MAX_NUM_FORMS": "50",
    }
    for n, action in enumerate(actions):
        for key, value in action.items():
            data[f"actions-{n}-{key}"] = value
    return data | fields


def edit_data(client, risk) -> dict:
    """What the risk's edit form sends back untouched."""
    form = client.get(reverse("risks:edit", args=["s", risk.number])).context["form"]
    actions = client.get(reverse("risks:edit", args=["s", risk.number])).context["actions"]
    data = {}
    for bound in [*form, *[f for a in actions for f in a], *actions.management_form]:
        value = bound.value()
        if value is None or value is False:
            continue
        data[bound.html_name] = (
            value.isoformat() if isinstance(value, dt.date) else ("on" if value is True else value)
        )
    return data


def test_an_admin_adds_a_risk_linked_to_two_objectives(client, admin_user, strategy):
    client.force_login(admin_user)
    data = form_data(
        objective(strategy, 1),
        objective(strategy, 2),
        actions=[{"description": "Run a recruitment fair", "due_date": "2030-01-31"}],
        owner=str(admin_user.pk),
    )
    response = client.post(reverse("risks:add", args=["s"]), data)
    risk = Risk.objects.get()
    assert response.status_code == 302 and response["Location"] == risk.get_absolute_url()
    assert (risk.number, risk.reference, risk.current_score, risk.owner) == (
        1,
        "R1",
        16,
        admin_user,
    )
    assert sorted(o.number for o in risk.objectives.all()) == [1, 2]
    assert risk.actions.get().description == "Run a recruitment fair"
    assert risk.history.get().history_user == admin_user
    page = client.get(risk.get_absolute_url()).content.decode()
    assert "16</strong> Extreme" in page and "Above appetite" in page
    assert "Objective 1.1: Open hubs" in page and "Objective 1.2: Hire the team" in page


@pytest.mark.parametrize(
    "change, field, message",
    [
        ({"current_likelihood": "6"}, "current_likelihood", "Select a valid choice"),
        ({"inherent_impact": "0"}, "inherent_impact", "Select a valid choice"),
        ({"target_likelihood": "5", "target_impact": "5"}, "target_impact", "cannot be above"),
        ({"review_date": (TODAY - dt.timedelta(days=1)).isoformat()}, "review_date", "passed"),
        ({"review_date": "9999-12-31"}, "review_date", "from 1 January 1990 to 31 December 2100"),
        ({"objectives": []}, "priorities", "at least one priority or objective"),
        ({"appetite": "reckless"}, "appetite", "Select a valid choice"),
        ({"objectives": ["x"]}, "objectives", "not one of the available choices"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_is_added(
    client, admin_user, strategy, change, field, message
):
    client.force_login(admin_user)
    response = client.post(
        reverse("risks:add", args=["s"]), form_data(objective(strategy, 1)) | change
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert message in " ".join(errors[field] if field else errors["__all__"])
    assert not Risk.objects.exists()


def test_an_action_due_off_the_calendar_is_refused_and_nothing_is_added(
    client, admin_user, strategy
):
    client.force_login(admin_user)
    action = {"description": "Hire", "due_date": "0001-01-01"}
    response = client.post(
        reverse("risks:add", args=["s"]), form_data(objective(strategy, 1), actions=[action])
    )
    assert response.status_code == 400
    (errors,) = response.context["actions"].errors
    assert errors["due_date"] == ["Enter a date from 1 January 1990 to 31 December 2100."]
    assert not Risk.objects.exists()


def test_a_link_to_another_strategys_objective_is_refused(client, admin_user, strategy):
    elsewhere = make_objective(make_priority(make_strategy(slug="other")), number=1)
    client.force_login(admin_user)
    response = client.post(reverse("risks:add", args=["s"]), form_data(elsewhere))
    assert response.status_code == 400
    assert "Select a valid choice" in " ".join(response.context["form"].errors["objectives"])
    assert not Risk.objects.exists()


def test_the_database_refuses_scores_outside_the_matrix(strategy):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_risk(objective(strategy, 1), current_likelihood=6)
    with pytest.raises(IntegrityError), transaction.atomic():
        make_risk(objective(strategy, 1), target_likelihood=5, target_impact=5)
    assert not Risk.objects.exists()


def test_who_may_read_add_and_change(client, make_user, make_member, strategy, admin_user):
    risk = make_risk(objective(strategy, 1))
    board = make_user("board", BOARD_MEMBER)
    outsider = make_member("outsider", {make_strategy(slug="theirs").organisation: [ADMIN]})
    client.force_login(board)
    assert client.get(reverse("risks:register", args=["s"])).status_code == 200
    assert client.get(risk.get_absolute_url()).status_code == 200
    assert client.get(reverse("risks:add", args=["s"])).status_code == 403
    assert (
        client.post(reverse("risks:add", args=["s"]), form_data(objective(strategy, 1))).status_code
        == 403
    )
    assert client.post(reverse("risks:edit", args=["s", 1]), {"title": "x"}).status_code == 403
    client.force_login(outsider)
    for url in (reverse("risks:register", args=["s"]), risk.get_absolute_url()):
        assert client.get(url).status_code == 404
    assert client.post(reverse("risks:edit", args=["s", 1]), {"title": "x"}).status_code == 404
    assert Risk.objects.count() == 1 and Risk.objects.get().title == "Risk 1"


def test_the_owner_changes_their_risk_but_cannot_give_it_away(client, make_user, strategy):
    owner = make_user("owner", PROGRAMME_LEAD)
    other = make_user("other", PROGRAMME_LEAD)
    risk = make_risk(objective(strategy, 1), owner=owner)
    client.force_login(other)
    assert client.get(reverse("risks:edit", args=["s", 1])).status_code == 403
    client.force_login(owner)
    data = edit_data(client, risk) | {"current_likelihood": "3", "owner": str(other.pk)}
    response = client.post(reverse("risks:edit", args=["s", 1]), data)
    assert response.status_code == 302
    risk.refresh_from_db()
    assert (risk.current_likelihood, risk.owner) == (3, owner)  # the owner field is the Admins'


def test_saving_untouched_changes_nothing_then_a_change_is_kept_with_who(
    client, admin_user, strategy
):
    risk = make_risk(objective(strategy, 1))
    RiskAction.objects.create(risk=risk, description="Hire agency staff")
    risk.refresh_from_db()  # the action moved its version
    client.force_login(admin_user)
    data = edit_data(client, risk)
    response = client.post(reverse("risks:edit", args=["s", 1]), data, follow=True)
    assert "Nothing had changed" in response.content.decode()
    assert Risk.objects.get().version == risk.version
    assert Risk.history.count() == 1 and RiskAction.history.count() == 1
    data |= {
        "current_impact": "2",
        "objectives": [objective(strategy, 1).pk, objective(strategy, 2).pk],
    }
    data["actions-0-done"] = "on"
    assert client.post(reverse("risks:edit", args=["s", 1]), data).status_code == 302
    risk = Risk.objects.get()
    assert risk.current_impact == 2 and risk.actions.get().done
    log = client.get(risk.get_absolute_url()).context["history"]
    assert log[0].who == "Ada Admin" or log[1].who == "Ada Admin"
    changes = {c.field: (c.old, c.new) for e in log for c in e.changes}
    assert changes["current impact"] == ("3: Moderate", "2: Minor")
    assert changes["done"] == (False, True)
    assert any("objective 1.1 → objective 1.1, objective 1.2" in e.reason for e in log)


def test_a_save_over_someone_elses_is_refused_and_keeps_what_was_typed(
    client, admin_user, strategy
):
    risk = make_risk(objective(strategy, 1))
    client.force_login(admin_user)
    data = edit_data(client, risk) | {"title": "My new title"}
    Risk.objects.get().save()  # someone else saves meanwhile
    response = client.post(reverse("risks:edit", args=["s", 1]), data)
    assert response.status_code == 409
    assert "Someone else saved this risk" in response.content.decode()
    assert response.context["form"]["title"].value() == "My new title"
    assert Risk.objects.get().title == "Risk 1"
    # Saved again from the refused page, it goes in.
    data["version"] = response.context["form"]["version"].value()
    assert client.post(reverse("risks:edit", args=["s", 1]), data).status_code == 302
    assert Risk.objects.get().title == "My new title"


def test_a_refused_save_shows_each_field_saved_meanwhile_beside_this_form(
    client, admin_user, strategy
):
    risk = make_risk(objective(strategy, 1))
    RiskAction.objects.create(risk=risk, description="Hire nurses")
    client.force_login(admin_user)
    data = edit_data(client, risk) | {"cause": "My cause"}
    # Meanwhile someone renames it and ticks its action done.
    Risk.objects.filter(pk=risk.pk).update(title="Their title")
    action = RiskAction.objects.get()
    action.done = True
    action.save()
    RiskAction.objects.create(risk=risk, description="Agency cover")
    response = client.post(reverse("risks:edit", args=["s", 1]), data)
    assert response.status_code == 409
    rows = {d.label: (d.saved, d.yours) for d in response.context["form"].conflict}
    assert rows["Title"] == ("Their title", "Risk 1")
    assert rows["Action 1, Done"] == ("Yes", "No")
    assert rows["Cause"][1] == "My cause"
    assert "Inherent likelihood" not in rows  # the same on both sides
    assert rows["Action added meanwhile (kept)"] == ("Agency cover", "—")
    page = response.content.decode()
    assert "What is saved now, beside yours" in page and "Their title" in page


def test_an_overdue_review_is_flagged_on_the_register_and_objective(client, board_member, strategy):
    make_risk(objective(strategy, 1), title="Late one", review_date=TODAY - dt.timedelta(days=3))
    make_risk(objective(strategy, 2), title="Fresh one")
    client.force_login(board_member)
    register = client.get(reverse("risks:register", args=["s"]))
    table = register.content.decode().partition('id="register"')[2]
    rows = table.split("<tr>")
    assert "Review overdue" in next(r for r in rows if "Late one" in r)
    assert "Review overdue" not in next(r for r in rows if "Fresh one" in r)
    target = next(r for r in rows if "Late one" in r).split('data-label="Target">')[1]
    assert target.startswith('<span class="risk-score risk-moderate"><strong>4</strong> Moderate')
    page = client.get(objective(strategy, 1).get_absolute_url()).content.decode()
    assert "Late one" in page and "Review overdue" in page and "Fresh one" not in page
    overdue = client.get(reverse("risks:register", args=["s"]), {"review": "overdue"})
    assert [r.record.title for r in overdue.context["table"].paginated_rows] == ["Late one"]


def test_the_heat_map_places_each_risk_by_its_current_scores(client, board_member, strategy):
    make_risk(objective(strategy, 1), current_likelihood=5, current_impact=4)
    make_risk(
        objective(strategy, 2),
        current_likelihood=2,
        current_impact=1,
        target_likelihood=1,
        target_impact=1,
    )
    grid = dict(heat_map(Risk.objects.all()))
    assert [r.number for r in grid[5][3].risks] == [1]  # likelihood 5, impact 4
    assert [r.number for r in grid[2][0].risks] == [2]
    assert sum(len(c.risks) for cells in grid.values() for c in cells) == 2
    client.force_login(board_member)
    page = client.get(reverse("risks:register", args=["s"])).content.decode()
    heat = page[page.index('class="heat-map"') : page.index("</table>")]
    assert (
        "20 Extreme" in heat
        and '>R1<span class="visually-hidden">: Risk 1</span></a>' in heat
        and "2 Low" in heat
    )


def test_bands_and_appetite():
    assert [band_of(s).label for s in (1, 3, 4, 6, 8, 12, 15, 25)] == [
        "Low",
        "Low",
        "Moderate",
        "Moderate",
        "High",
        "High",
        "Extreme",
        "Extreme",
    ]


def test_the_register_filters_by_appetite_and_sorts_by_score(client, board_member, strategy):
    make_risk(
        objective(strategy, 1),
        title="Within",
        current_likelihood=3,
        current_impact=3,
        appetite="cautious",
    )
    make_risk(
        objective(strategy, 1),
        title="Above",
        current_likelihood=4,
        current_impact=3,
        appetite="cautious",
    )
    make_risk(objective(strategy, 1), title="Closed", status="closed")
    client.force_login(board_member)
    url = reverse("risks:register", args=["s"])
    titles = lambda r: [row.record.title for row in r.context["table"].paginated_rows]  # noqa: E731
    assert titles(client.get(url)) == ["Above", "Within"]  # open ones, highest score first
    assert titles(client.get(url, {"sort": "current"})) == ["Within", "Above"]
    assert titles(client.get(url, {"appetite_state": "above"})) == ["Above"]
    assert titles(client.get(url, {"status": ""})) == ["Above", "Closed", "Within"]
    assert client.get(url, {"band": "nonsense"}).status_code == 200
    # A closed risk is judged against no appetite: it was listed as "Within" whatever its
    # score, and found by the "within appetite" filter.
    within = {"status": "", "appetite_state": "within"}
    assert titles(client.get(url, within)) == ["Within"]
    page = client.get(url, {"status": "closed"}).content.decode()
    assert "Closed: not judged" in page and "<br>Within" not in page


def test_the_register_reads_a_fixed_number_of_queries(
    client, board_member, strategy, django_assert_max_num_queries
):
    client.force_login(board_member)
    for n in range(3):
        make_risk(objective(strategy, 1 + n % 2))
    with django_assert_max_num_queries(16) as few:
        client.get(reverse("risks:register", args=["s"]))
    for n in range(20):
        make_risk(objective(strategy, 1 + n % 2))
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("risks:register", args=["s"]))


def test_the_dashboard_and_priority_page_count_and_list_risks(client, board_member, strategy):
    priority = strategy.priorities.get(number=2)
    risk = make_risk(
        strategy=strategy, title="Prevention slips", review_date=TODAY - dt.timedelta(days=1)
    )
    risk.priorities.set([priority])
    client.force_login(board_member)
    dashboard = client.get(strategy.get_absolute_url()).content.decode()
    assert "1 open risk</a>: 1 above appetite, 1 with its review overdue" in dashboard
    assert "Prevention slips" in client.get(priority.get_absolute_url()).content.decode()


def test_odd_addresses_do_not_break_the_register(client, board_member, strategy):
    make_risk(objective(strategy, 1))
    client.force_login(board_member)
    url = reverse("risks:register", args=["s"])
    assert client.get(url, {"per_page": "abc", "sort": "nonsense"}).status_code == 200
    assert client.get(url, {"page": "99"}).status_code == 404
    assert client.get(url, {"page": "x"}).status_code == 404
    assert client.get(reverse("risks:detail", args=["s", 99999999999])).status_code == 404


def test_a_closed_strategy_takes_no_new_risks(client, admin_user, strategy):
    strategy.status = "closed"
    strategy.save()
    client.force_login(admin_user)
    response = client.post(reverse("risks:add", args=["s"]), form_data(objective(strategy, 1)))
    assert response.status_code == 403
    assert not Risk.objects.exists()
    assert "Add a risk" not in client.get(reverse("risks:register", args=["s"])).content.decode()


def test_a_change_to_an_action_elsewhere_makes_an_open_form_stale(client, admin_user, strategy):
    risk = make_risk(objective(strategy, 1))
    action = RiskAction.objects.create(risk=risk, description="Original")
    client.force_login(admin_user)
    data = edit_data(client, risk) | {"title": "New title"}
    action.description = "Changed in the Django admin"
    action.save()  # as the admin's inline does, without saving the risk
    assert client.post(reverse("risks:edit", args=["s", 1]), data).status_code == 409
    assert RiskAction.objects.get().description == "Changed in the Django admin"
    assert Risk.objects.get().title == "Risk 1"


def test_an_owner_who_is_not_an_admin_keeps_appetite_and_status(client, make_user, strategy):
    owner = make_user("owner", PROGRAMME_LEAD)
    risk = make_risk(objective(strategy, 1), owner=owner)
    client.force_login(owner)
    data = edit_data(client, risk) | {"appetite": "seek", "status": "closed", "title": "Mine"}
    assert client.post(reverse("risks:edit", args=["s", 1]), data).status_code == 302
    risk.refresh_from_db()
    assert (risk.title, risk.appetite, risk.status) == ("Mine", "cautious", "open")


def test_a_closed_strategys_risks_are_as_they_were(client, admin_user, strategy):
    risk = make_risk(objective(strategy, 1))
    client.force_login(admin_user)
    data = edit_data(client, risk) | {"title": "Changed"}
    strategy.status = "closed"
    strategy.save()
    assert client.post(reverse("risks:edit", args=["s", 1]), data).status_code == 403
    assert Risk.objects.get().title == "Risk 1"
    assert "Change this risk" not in client.get(risk.get_absolute_url()).content.decode()


def test_a_closed_risk_is_not_flagged_above_appetite(client, board_member, strategy):
    make_risk(objective(strategy, 1), title="Done with", status="closed")  # 12 > cautious 9
    client.force_login(board_member)
    page = client.get(objective(strategy, 1).get_absolute_url()).content.decode()
    assert "Done with" in page and "Above appetite" not in page
    url = reverse("risks:register", args=["s"])
    above = client.get(url, {"status": "", "appetite_state": "above"})
    assert list(above.context["table"].paginated_rows) == []


def test_a_long_register_comes_a_page_at_a_time_keeping_its_sort(client, board_member, strategy):
    for n in range(55):
        make_risk(objective(strategy, 1), title=f"Risk {n + 1:02}")
    client.force_login(board_member)
    url = reverse("risks:register", args=["s"])
    first = client.get(url, {"sort": "title"})
    assert len(first.context["table"].paginated_rows) == 50
    assert "Risks 1–50 of 55." in first.content.decode()
    assert "?sort=title&amp;page=2" in first.content.decode()
    second = client.get(url, {"sort": "title", "page": 2})
    assert [r.record.title for r in second.context["table"].paginated_rows][0] == "Risk 51"


def test_the_error_summary_lists_errors_in_the_forms_order_and_links_the_boxes(
    client, admin_user, strategy
):
    client.force_login(admin_user)
    bad = {"objectives": [], "review_date": "not a date", "title": ""}
    page = client.post(
        reverse("risks:add", args=["s"]), form_data(objective(strategy, 1)) | bad
    ).content.decode()
    summary = page[page.index('class="error-summary"') :]
    summary = summary[: summary.index("</ul>")]
    links = [summary.index(f'href="#id_{name}"') for name in ("title", "review_date", "priorities")]
    assert links == sorted(links)  # title, then review date, then what it threatens


def test_a_closed_risk_is_not_called_within_its_appetite(client, board_member, strategy):
    """Closed at 25 against an averse appetite (up to 3), its page said "within appetite"."""
    risk = make_risk(
        objective(strategy, 1), status="closed", current_likelihood=5, current_impact=5,
        appetite="averse",
    )  # fmt: skip
    client.force_login(board_member)
    page = client.get(reverse("risks:detail", args=["s", risk.number])).content.decode()
    assert "within appetite" not in page and "Closed" in page


def test_a_closed_strategys_risk_cannot_be_changed_in_the_admin_either(
    client, site_admin, strategy
):
    """The app refused everyone, site administrators too; the Django admin saved it."""
    from milestones.tests.posted_forms import form_as_posted

    risk = make_risk(objective(strategy, 1), title="As it was")
    strategy.status = "closed"
    strategy.save()
    client.force_login(site_admin)
    url = reverse("admin:risks_risk_change", args=[risk.pk])
    data = form_as_posted(client.get(url).content.decode(), form_id="risk_form")
    response = client.post(url, data | {"title": ["Changed after close"], "_save": ["Save"]})
    assert response.status_code == 200
    assert "strategy is closed" in response.content.decode()
    risk.refresh_from_db()
    assert risk.title == "As it was"


def test_a_long_lived_risk_with_fifty_actions_still_takes_another(client, admin_user, strategy):
    """Actions are never deleted: at 50 the page offered no new row, and gave no reason."""
    risk = make_risk(objective(strategy, 1))
    RiskAction.objects.bulk_create(
        RiskAction(risk=risk, description=f"Done {n}", done=True) for n in range(50)
    )
    client.force_login(admin_user)
    page = client.get(reverse("risks:edit", args=["s", risk.number])).content.decode()
    assert 'name="actions-50-description"' in page  # a blank row for the 51st


def test_an_owners_change_after_the_risk_was_given_away_shows_back_what_was_typed(
    client, make_user, strategy
):
    """A bare 403 lost the owner's new controls."""
    from strategy_tracker.roles import PROGRAMME_LEAD as LEAD

    owner = make_user("owner", LEAD)
    risk = make_risk(objective(strategy, 1), owner=owner)
    client.force_login(owner)
    url = reverse("risks:edit", args=["s", risk.number])
    data = form_data(objective(strategy, 1)) | {"controls": "Weekly review\nof the rota"}
    Risk.objects.filter(pk=risk.pk).update(owner=None)  # given away meanwhile
    response = client.post(url, data)
    assert response.status_code == 403
    page = response.content.decode()
    assert "Your change was not saved" in page and "Weekly review<br>of the rota" in page
    risk.refresh_from_db()
    assert risk.controls != "Weekly review\nof the rota"
