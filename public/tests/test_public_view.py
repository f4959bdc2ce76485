"""The public view: only a published strategy's closed quarters, for anyone, with no cookie,
cacheable; no names, no private items, commentary only if published; its open data; and
the Admin's page that publishes it."""

import csv
import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from measures.models import Measure, MeasureValue
from milestones.models import Milestone
from objectives.models import JobTitle, Strategy
from public.models import OpenData, PrivateItem, Publication
from reporting.models import SnapshotItem
from reporting.quarters import Quarter
from reporting.tests.helpers import close_quarter, q2_strategy
from tests.factories import make_strategy, make_value

pytestmark = pytest.mark.django_db
Q2 = Quarter(2024, 2)


@pytest.fixture
def plan(programme_lead, admin_user):
    """Strategy "s" with 2024/25 Q2 closed and published to the public."""
    strategy = q2_strategy(programme_lead)
    JobTitle.objects.create(user=programme_lead, title="Head of Community Services")
    close_quarter(strategy, Q2, by=admin_user)
    Publication.objects.create(strategy=strategy, is_public=True)
    return strategy


def _text(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode("utf-8-sig")
    return response.content.decode()


def _urls(slug: str = "s") -> list[str]:
    quarter = [slug, "2024-25-q2"]
    return [
        reverse("public:strategy", args=[slug]),
        reverse("public:quarter", args=quarter),
        reverse("public:priority", args=[*quarter, "1"]),
        reverse("public:objective", args=[*quarter, "1", 1]),
        reverse("public:measure", args=[*quarter, "WAIT"]),
        reverse("public:report", args=quarter),
        reverse("public:figures_csv", args=[slug]),
        reverse("public:structure_json", args=[slug]),
    ]


def test_anyone_reads_every_public_page_without_signing_in_or_a_cookie(client, plan):
    for url in _urls():
        response = client.get(url)
        assert response.status_code == 200, url
        assert not response.cookies, url
        assert response["Cache-Control"] == "public, max-age=300", url
        assert "Cookie" not in response.get("Vary", ""), url
        # Every page of a quarter is tagged; the structure, the live one, is not.
        assert bool(response.get("ETag")) is (not url.endswith(".json")), url


def test_a_signed_in_visitor_gets_the_same_page_and_no_cookie(client, plan, board_member):
    anonymous = Client().get(_urls()[1])
    client.force_login(board_member)
    signed_in = client.get(_urls()[1])
    assert signed_in.status_code == 200 and not signed_in.cookies
    assert signed_in.content == anonymous.content
    assert "Sign out" not in signed_in.content.decode()
    # Their own pages still carry their session and are never stored.
    own = client.get(reverse("objectives:strategy_list"))
    assert settings.SESSION_COOKIE_NAME in own.cookies and "no-store" in own["Cache-Control"]


def test_a_matching_etag_gets_304_and_a_change_makes_a_new_one(client, plan, admin_user):
    url = _urls()[0]
    tag = client.get(url)["ETag"]
    assert client.get(url, HTTP_IF_NONE_MATCH=tag).status_code == 304
    close_quarter(plan, Quarter(2024, 3), by=admin_user)
    changed = client.get(url, HTTP_IF_NONE_MATCH=tag)
    assert changed.status_code == 200 and changed["ETag"] != tag
    assert "2024/25 Q3" in changed.content.decode()


def test_a_page_and_its_tag_read_what_they_share_once_and_name_nobody(client, plan, admin_user):
    close_quarter(plan, Quarter(2024, 3), by=admin_user)  # a quarter before to compare with
    once = ("public_publication", "public_opendata", "public_privateitem")
    for url in _urls()[:7]:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200, url
        sql = [query["sql"] for query in queries]
        for table in (*once, "reporting_reportingperiod"):
            assert sum(f'FROM "{table}"' in s for s in sql) == 1, (url, table)
        # The closer's name was kept at close: nobody's row is read, even to be left out.
        assert not any('FROM "auth_user"' in s for s in sql), url


def test_only_the_measure_page_reads_the_figures_charted(client, plan):
    """The report draws the charts kept at close; only a measure's page lists the figures
    behind its chart (its table), so only it reads them."""
    figures = '"reporting_snapshotitem"."chart",'
    for url in _urls()[:6]:
        with CaptureQueriesContext(connection) as queries:
            page = client.get(url).content.decode()
        reads = any(figures in query["sql"] for query in queries)
        assert reads is url.endswith("/measures/WAIT/"), url
        if "/report/" in url:
            assert '<figure class="spc-chart"' in page, url  # drawn all the same
    assert 'id="figures"' in client.get(_urls()[4]).content.decode()


def test_nothing_is_public_until_published_and_nothing_after_unpublishing(client, plan):
    Publication.objects.filter(strategy=plan).update(is_public=False)
    for url in _urls():
        assert client.get(url).status_code == 404, url
    assert "Strategy" not in client.get(reverse("public:index")).content.decode().split("<h1>")[1]


def test_a_draft_is_never_public_even_if_marked(client, plan):
    plan.status = "draft"
    plan.save()
    assert client.get(_urls()[0]).status_code == 404


def test_only_closed_quarters_are_shown(client, plan, admin_user):
    from reporting import cycle

    quarter = Quarter(2024, 3)
    cycle.open_period(cycle.schedule(plan, quarter, *cycle.default_window(quarter), by=None), None)
    page = client.get(_urls()[0]).content.decode()
    assert "2024/25 Q2" in page and "2024/25 Q3" not in page
    assert client.get(reverse("public:quarter", args=["s", "2024-25-q3"])).status_code == 404
    for bad in ("2024-26-q3", "2024-25-q5", "q3", "9999999999-25-q1"):
        assert client.get(reverse("public:quarter", args=["s", bad])).status_code == 404, bad


def test_a_published_strategy_with_no_closed_quarter_says_so(client, programme_lead):
    strategy = q2_strategy(programme_lead)
    Publication.objects.create(strategy=strategy, is_public=True)
    page = client.get(_urls()[0]).content.decode()
    assert "No quarter has been closed and signed off yet" in page


def test_pages_name_nobody_and_show_commentary_only_when_published(client, plan, admin_user):
    pages = "".join(_text(client.get(url)) for url in _urls())
    # Neither the owner nor the Admin who closed the quarter is named.
    assert "Lee Lead" not in pages and "Ada Admin" not in pages
    assert "Builders delayed" not in pages
    assert "Head of Community Services" not in pages
    Publication.objects.filter(strategy=plan).update(publish_commentary=True)
    OpenData.objects.create(organisation=plan.organisation, show_owner_job_titles=True)
    objective = _text(client.get(_urls()[3]))
    assert "Builders delayed" in objective and "Head of Community Services" in objective
    assert "Lee Lead" not in objective


def test_a_private_objective_leaves_every_page_and_the_open_data(client, plan):
    objective = plan.priorities.get().objectives.get()
    publication = Publication.objects.get(strategy=plan)
    PrivateItem.objects.create(publication=publication, kind="objective", object_id=objective.pk)
    assert client.get(_urls()[3]).status_code == 404
    assert client.get(_urls()[4]).status_code == 404  # its measure
    pages = "".join(_text(client.get(url)) for url in (_urls()[0], _urls()[5]))
    assert "Open the hub" not in pages and "Waits" not in pages
    assert "Some items are not published" in pages
    assert "WAIT" not in _text(client.get(_urls()[6]))
    structure = json.loads(_text(client.get(_urls()[7])))
    assert structure["priorities"][0]["objectives"] == []


def test_the_structure_file_leaves_out_the_strategys_texts_no_public_page_shows(client, plan):
    """Its aims named a priority kept private, which no public page showed."""
    Strategy.objects.filter(pk=plan.pk).update(
        vision="Care at home", aims="Care closer to home\nA great place to work", summary="Ours"
    )
    structure = json.loads(_text(client.get(_urls()[7])))["strategy"]
    assert structure["vision"] == "Care at home"
    assert not {"aims", "purpose", "values", "summary"} & set(structure)


def test_a_private_milestone_alone_is_left_out(client, plan):
    hidden = Milestone.objects.get(title="Hire the team")
    publication = Publication.objects.get(strategy=plan)
    PrivateItem.objects.create(publication=publication, kind="milestone", object_id=hidden.pk)
    page = _text(client.get(_urls()[3]))
    assert "Open the hub" in page and "Hire the team" not in page
    assert "1 item of this quarter is kept private" in page
    milestones = json.loads(_text(client.get(_urls()[7])))["priorities"][0]["objectives"][0]
    assert [m["title"] for m in milestones["milestones"]] == ["Open the hub", "Agree the plan"]


def test_figures_are_those_the_closed_quarters_showed(client, plan):
    make_value(Measure.objects.get(code="WAIT"), dt.date(2024, 11, 30), 3)  # not yet reported
    OpenData.objects.create(organisation=plan.organisation, licence="OGL-UK-3.0")
    rows = list(csv.DictReader(io.StringIO(_text(client.get(_urls()[6])))))
    assert [(r["measure"], r["period_end"], r["value"]) for r in rows] == [
        ("WAIT", "2024-07-31", "14"),
        ("WAIT", "2024-08-31", "13"),
        ("WAIT", "2024-09-30", "12"),
    ]
    assert {r["reported_in"] for r in rows} == {"2024/25 Q2"}
    assert {r["licence"] for r in rows} == {"Open Government Licence v3.0"}
    assert {r["illustrative"] for r in rows} == {""}


def test_the_structure_has_its_licence_and_no_progress_or_people(client, plan):
    OpenData.objects.create(organisation=plan.organisation, licence="CC-BY-4.0")
    data = json.loads(_text(client.get(_urls()[7])))
    assert data["licence"]["name"].startswith("Creative Commons Attribution")
    assert data["licence"]["url"].startswith("https://creativecommons.org/")
    text = json.dumps(data)
    for live in ('"owner"', '"commentary"', '"status"', "Builders delayed", "Lee"):
        assert live not in text, live
    measure = data["priorities"][0]["objectives"][0]["measures"][0]
    assert measure["code"] == "WAIT" and measure["target_value"] == "10"
    assert "values" not in measure  # figures are in the figures file, as reported


def test_illustrative_strategies_are_labelled_on_every_page_and_in_the_figures(client, plan):
    Strategy = type(plan)
    Strategy.objects.filter(pk=plan.pk).update(illustrative=True)
    plan.reporting_periods.update(as_closed={})
    for url in _urls()[:6]:
        assert "Illustrative data" in _text(client.get(url)), url
    rows = list(csv.DictReader(io.StringIO(_text(client.get(_urls()[6])))))
    assert all(r["illustrative"].startswith("Illustrative data") for r in rows)


def test_the_index_and_accessibility_statement_are_public(client, plan):
    index = client.get(reverse("public:index"))
    assert index.status_code == 200 and plan.title in index.content.decode()
    statement = client.get(reverse("public:accessibility")).content.decode()
    assert "Accessibility statement" in statement and "Enforcement procedure" in statement
    assert "WCAG" in statement


def test_public_pages_refuse_writes_with_405_even_without_a_form_token(plan):
    strict = Client(enforce_csrf_checks=True)
    for url in _urls()[:2] + [reverse("public:index")]:
        assert strict.post(url).status_code == 405, url
        assert strict.put(url).status_code == 405, url


@pytest.mark.parametrize("code", ["NOPE", "wait"])
def test_an_unknown_measure_is_404(client, plan, code):
    url = reverse("public:measure", args=["s", "2024-25-q2", code])
    assert client.get(url).status_code == 404


# --- the Admin's page ----------------------------------------------------------------------


def _manage(strategy) -> str:
    return reverse("publication:manage", args=[strategy.slug])


def test_an_admin_publishes_and_unpublishes_and_both_are_recorded(
    client, admin_user, programme_lead
):
    strategy = q2_strategy(programme_lead)
    client.force_login(admin_user)
    assert client.get(_manage(strategy)).status_code == 200
    client.post(_manage(strategy), {"action": "publish", "version": 1})
    publication = Publication.objects.get(strategy=strategy)
    assert publication.is_public
    client.post(_manage(strategy), {"action": "unpublish", "version": publication.version})
    publication.refresh_from_db()
    assert not publication.is_public
    reasons = list(
        publication.history.order_by("history_date").values_list(
            "history_change_reason", "history_user__username", "is_public"
        )
    )
    assert reasons == [
        ("Published to the public", admin_user.username, True),
        ("Unpublished", admin_user.username, False),
    ]
    page = client.get(_manage(strategy)).content.decode()
    assert "Published to the public" in page and "Unpublished" in page


def test_a_stale_page_changes_nothing(client, admin_user, programme_lead):
    strategy = q2_strategy(programme_lead)
    client.force_login(admin_user)
    client.post(_manage(strategy), {"action": "publish", "version": 1})
    stale = client.post(
        _manage(strategy), {"action": "settings", "version": 7, "licence": "CC0-1.0"}
    )
    assert stale.status_code == 409 and "Someone changed" in stale.content.decode()
    assert not OpenData.objects.exists()


def test_a_draft_cannot_be_published(client, admin_user):
    strategy = make_strategy(slug="d", status="draft")
    client.force_login(admin_user)
    refused = client.post(_manage(strategy), {"action": "publish", "version": 1})
    assert refused.status_code == 409 and "draft" in refused.content.decode()
    assert not Publication.objects.filter(is_public=True).exists()


def test_settings_are_saved_and_saving_them_again_changes_nothing(client, admin_user, plan):
    client.force_login(admin_user)
    milestone = Milestone.objects.get(title="Hire the team")
    publication = Publication.objects.get(strategy=plan)
    form = {
        "action": "settings",
        "version": publication.version,
        "open_data_version": "",
        "private": [f"milestone:{milestone.pk}"],
        "licence": "OGL-UK-3.0",
        "publish_commentary": "on",
    }
    assert client.post(_manage(plan), form).status_code == 302
    publication.refresh_from_db()
    assert publication.publish_commentary and publication.private_items.count() == 1
    page = client.get(_manage(plan))
    initial = page.context["form"].initial
    again = client.post(
        _manage(plan),
        form | {"version": initial["version"], "open_data_version": initial["open_data_version"]},
        follow=True,
    )
    assert "as they were" in again.content.decode()
    assert publication.history.count() == 2
    bad = client.post(
        _manage(plan),
        form
        | {
            "version": initial["version"],
            "private": ["milestone:999999"],
            "open_data_version": initial["open_data_version"],
        },
    )
    assert bad.status_code == 400 and "not one of the available choices" in bad.content.decode()


def test_only_the_lead_organisations_admins_run_the_public_view(
    client, plan, board_member, make_member
):
    client.force_login(board_member)
    assert client.get(_manage(plan)).status_code == 403
    assert client.post(_manage(plan), {"action": "unpublish", "version": 1}).status_code == 403
    outsider = make_member("outsider", {})
    client.force_login(outsider)
    assert client.get(_manage(plan)).status_code == 404
    assert Publication.objects.get(strategy=plan).is_public


def test_a_private_priority_hides_everything_it_had_at_close_even_if_moved_since(client, plan):
    from objectives.models import Priority

    priority = plan.priorities.get()
    publication = Publication.objects.get(strategy=plan)
    PrivateItem.objects.create(publication=publication, kind="priority", object_id=priority.pk)
    # Its objective moved since, to a priority that is not private: the closed quarter still
    # hides it, where it was when the quarter closed.
    objective = priority.objectives.get()
    objective.priority = Priority.objects.create(strategy=plan, number=2, title="Other")
    objective.save()
    for url in (_urls()[0], _urls()[5]):
        page = _text(client.get(url))
        assert "Care closer to home" not in page and "Open the hub" not in page, url
        assert "Waits" not in page, url
    assert client.get(_urls()[2]).status_code == 404


def test_an_item_moved_out_of_a_private_objective_is_in_no_quarters_changes(
    client, programme_lead, admin_user
):
    from objectives.models import Objective
    from tests.factories import make_milestone, make_objective, make_priority

    strategy = q2_strategy(programme_lead)
    shown = make_objective(make_priority(strategy, number=2, title="Public priority"), number=1)
    make_milestone(shown, title="A public milestone", due_date=dt.date(2025, 6, 1))
    close_quarter(strategy, Q2, by=admin_user)
    close_quarter(strategy, Q2.next(), by=admin_user)
    publication = Publication.objects.create(strategy=strategy, is_public=True)
    private = Objective.objects.get(priority__strategy=strategy, priority__number=1, number=1)
    PrivateItem.objects.create(publication=publication, kind="objective", object_id=private.pk)
    # Moved since both quarters closed, to an objective the public sees.
    public_objective = make_objective(private.priority, number=2, title="Public objective")
    Milestone.objects.filter(title="Open the hub").update(objective=public_objective)
    for url in (
        reverse("public:strategy", args=["s"]),
        reverse("public:report", args=["s", "2024-25-q3"]),
    ):
        page = _text(client.get(url))
        assert "Public priority" in page, url  # the quarter has rows the public sees
        assert "Open the hub" not in page, url  # not even as "No longer in the strategy"


def test_a_roll_up_never_quotes_a_private_items_finding(client, plan):
    publication = Publication.objects.get(strategy=plan)
    measure = Measure.objects.get(code="WAIT")
    PrivateItem.objects.create(publication=publication, kind="measure", object_id=measure.pk)
    internal = plan.reporting_periods.get().snapshot.get(level="objective")
    page = _text(client.get(_urls()[2]))
    assert "some of its items are not published" in page
    assert internal.reason not in page  # the board's reason, which may name the measure


def test_two_admins_saving_first_the_second_from_a_stale_page_changes_nothing(
    client, admin_user, programme_lead
):
    strategy = q2_strategy(programme_lead)
    milestone = Milestone.objects.get(title="Hire the team")
    client.force_login(admin_user)
    drawn = client.get(_manage(strategy)).context["form"].initial  # both pages show this
    first = {"action": "settings", "private": [f"milestone:{milestone.pk}"]}
    client.post(_manage(strategy), first | {"version": drawn["version"]})
    second = client.post(
        _manage(strategy), {"action": "settings", "private": [], "version": drawn["version"]}
    )
    assert second.status_code == 409
    assert PrivateItem.objects.filter(object_id=milestone.pk).exists()


def test_a_stale_save_keeps_the_admins_choices_on_the_page_to_save_again(
    client, admin_user, programme_lead
):
    """The page used to show only what was saved: the second Admin's ticks, commentary choice
    and licence were gone."""
    strategy = q2_strategy(programme_lead)
    milestone = Milestone.objects.get(title="Hire the team")
    client.force_login(admin_user)
    drawn = client.get(_manage(strategy)).context["form"].initial
    client.post(
        _manage(strategy),
        {"action": "settings", "private": [f"milestone:{milestone.pk}"], "version": 1},
    )
    mine = {"action": "settings", "publish_commentary": "on", "licence": "CC0-1.0"}
    stale = client.post(_manage(strategy), mine | {"version": drawn["version"]})
    assert stale.status_code == 409
    assert "Your choices are still in the form below" in stale.content.decode()
    kept = stale.context["form"]
    assert kept["publish_commentary"].value() and kept["licence"].value() == "CC0-1.0"
    assert not OpenData.objects.exists()  # nothing saved yet
    # The other Admin's private item is listed beside these choices, not undone unseen.
    private = next(d for d in stale.context["conflict"] if d.label == "Keep these items private")
    assert "Hire the team" in private.saved and "Hire the team" not in private.yours
    assert 'id="conflict"' in stale.content.decode()


def test_saving_a_setting_through_the_page_changes_every_tag(client, plan, admin_user):
    url = _urls()[0]
    tag = Client().get(url)["ETag"]
    client.force_login(admin_user)
    version = Publication.objects.get(strategy=plan).version
    client.post(_manage(plan), {"action": "settings", "version": version, "licence": "CC0-1.0"})
    again = Client().get(url, HTTP_IF_NONE_MATCH=tag)
    assert again.status_code == 200 and "Creative Commons Zero" in again.content.decode()


def test_an_archived_item_can_be_kept_private(client, plan, admin_user):
    milestone = Milestone.objects.get(title="Hire the team")
    Milestone.objects.filter(pk=milestone.pk).update(archived_at=timezone.now())
    client.force_login(admin_user)
    form = client.get(_manage(plan)).context["form"]
    assert (f"milestone:{milestone.pk}", "Milestone: Hire the team (archived)") in form.fields[
        "private"
    ].choices


def test_the_structure_waits_for_a_close_to_show_a_new_item(client, plan):
    from tests.factories import make_objective

    make_objective(plan.priorities.get(), number=2, title="Added after the close")
    assert "Added after the close" not in _text(client.get(_urls()[7]))


def test_the_open_structure_names_nobody_who_updated_a_milestone(client, plan, programme_lead):
    """The strategy JSON names who last updated a milestone and when (a round trip keeps a
    milestone's status judged as it was); the public file, which is the structure without
    progress, names nobody."""
    from django.utils import timezone

    from milestones.models import Milestone

    Milestone.objects.filter(objective__priority__strategy=plan).update(
        last_updated_at=timezone.now(), last_updated_by=programme_lead
    )
    text = client.get(reverse("public:structure_json", args=["s"])).content.decode()
    assert "last_updated" not in text and programme_lead.username not in text


def test_a_restated_years_figure_is_named_by_its_wording_on_the_public_measure_page(client, plan):
    SnapshotItem.objects.filter(level="measure", number="WAIT").update(
        restated_period_end=dt.date(2024, 3, 31),
        restated_period_text="2023/24",
        restated_from=Decimal(10),
        restated_to=Decimal(9),
    )
    page = _text(client.get(reverse("public:measure", args=["s", "2024-25-q2", "WAIT"])))
    assert "The figure for 2023/24 was 10" in page


def test_a_years_figure_the_report_named_beside_its_chart_is_in_the_figures_with_its_wording(
    client, programme_lead, admin_user
):
    """One period type per chart: the report names a 2023/24 figure among monthly ones beside
    the chart rather than draw it, and the open data gives it too, with its wording (its
    period end alone, 31 March, would read as a month's figure)."""
    strategy = q2_strategy(programme_lead)
    MeasureValue.objects.create(
        measure=Measure.objects.get(code="WAIT"),
        period_end=dt.date(2024, 3, 31),
        value=1950,
        period_text="2023/24",
    )
    close_quarter(strategy, Q2, by=admin_user)
    Publication.objects.create(strategy=strategy, is_public=True)
    rows = list(csv.DictReader(io.StringIO(_text(client.get(_urls()[6])))))
    assert [(r["period_end"], r["value"], r["period"]) for r in rows] == [
        ("2024-03-31", "1950", "2023/24"),
        ("2024-07-31", "14", ""),
        ("2024-08-31", "13", ""),
        ("2024-09-30", "12", ""),
    ]
    assert list(rows[0])[-1] == "period"  # added last: the other columns keep their places
    page = _text(client.get(reverse("public:measure", args=["s", "2024-25-q2", "WAIT"])))
    assert "2023/24: 1,950 (an annual figure, not monthly)" in page


def test_the_public_pages_say_who_signed_off_a_quarter_as_the_app_knows_it(client, plan):
    """Closing a quarter is its Admin's sign-off: the app records no board's, so the pages
    claim none ("what the board signed off" was said of every closed quarter)."""
    index = _text(client.get(reverse("public:index")))
    assert "board signed off" not in index
    for url in _urls()[1:6]:
        assert "board signed off" not in _text(client.get(url)), url
    for url in _urls()[1:5]:  # the pages with the "as at" banner
        assert "signed off by closing the quarter on" in _text(client.get(url)), url
