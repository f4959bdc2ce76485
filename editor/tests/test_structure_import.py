"""A whole strategy from a workbook: the round trip, updating a draft in place, and every bad
row refused with nothing written."""

import datetime as dt
from io import BytesIO, StringIO

import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse

from editor import structure_export, structure_import
from editor.workbook_files import read_strategy_file, write_csv, write_workbook
from measures.models import Measure
from milestones.models import Milestone
from objectives.models import Objective, Organisation, Priority, Strategy
from tests.factories import make_measure, make_objective, make_priority, make_strategy

pytestmark = pytest.mark.django_db
LIMIT = 10 * 1024 * 1024
SMALL = {
    "title": "Small strategy",
    "slug": "small-strategy",
    "organisation": "Thurrock Council",
    "organisation_short_name": "",
    "period_start": dt.date(2024, 4, 1),
    "period_end": dt.date(2027, 3, 31),
    "illustrative": True,
}


def _rows():
    return [
        {"level": "priority", "number": "1", "title": "Start well"},
        {"level": "objective", "number": "1.1", "title": "Fewer smokers"},
        {
            "level": "milestone",
            "number": "1.1.1",
            "title": "Stop-smoking service opens",
            "due_date": dt.date(2025, 3, 31),
            "due_text": "by March 2025",
            "owner_email": "lead@example.org",
        },
        {
            "level": "measure",
            "parent": "1.1",
            "code": "SMALL-SMOKING",
            "title": "Adults who smoke",
            "unit": "%",
            "direction": "lower",
        },
        {"level": "priority", "number": "2", "title": "Live well"},
    ]


def _file(rows=None, strategy=SMALL):
    content = write_workbook(strategy, _rows() if rows is None else rows)
    return read_strategy_file(content, "small.xlsx", LIMIT)


def _snapshot(strategy: Strategy):
    return structure_export.strategy_values(strategy), structure_export.item_rows(strategy)


@pytest.fixture(autouse=True)
def _workbook_organisation(db):
    """The workbook's organisation exists: its Admins import into it, its programme leads
    hold its milestones (only a site administrator names a new one)."""
    Organisation.objects.create(name=SMALL["organisation"])


@pytest.fixture
def lead(make_user):
    return make_user("lead", "Programme lead", email="lead@example.org")


def test_a_workbook_makes_a_new_draft_with_every_item(lead, admin_user):
    plan = structure_import.plan(_file())
    assert plan.ok, plan.problems
    assert plan.counts == {"new": 5, "updated": 0, "unchanged": 0, "archived": 0}
    strategy = structure_import.apply(plan, admin_user)
    assert (strategy.status, strategy.illustrative) == ("draft", True)
    milestone = Milestone.objects.get(objective__priority__strategy=strategy)
    assert (milestone.owner, milestone.due_date, milestone.position) == (
        lead,
        dt.date(2025, 3, 31),
        1,
    )
    assert Measure.objects.get(code="SMALL-SMOKING").objective.title == "Fewer smokers"


def test_importing_the_same_workbook_again_into_the_draft_changes_nothing(lead, admin_user):
    strategy = structure_import.apply(structure_import.plan(_file()), admin_user)
    before = _snapshot(strategy)
    history = Priority.history.count()
    plan = structure_import.plan(_file())
    assert plan.counts == {"new": 0, "updated": 0, "unchanged": 5, "archived": 0}
    structure_import.apply(plan, admin_user)
    assert _snapshot(Strategy.objects.get(pk=strategy.pk)) == before
    assert Priority.history.count() == history


def test_a_changed_workbook_updates_the_draft_in_place_and_archives_what_it_dropped(
    lead, admin_user
):
    strategy = structure_import.apply(structure_import.plan(_file()), admin_user)
    objective = Objective.objects.get(priority__strategy=strategy)
    rows = _rows()
    rows[1]["title"] = "Fewer adults smoking"
    del rows[4]  # priority 2 is gone
    plan = structure_import.plan(_file(rows))
    assert plan.counts == {"new": 0, "updated": 1, "unchanged": 3, "archived": 1}
    [updated] = [i for i in plan.items if i.outcome == "updated"]
    assert (updated.label, updated.changes) == ("1.1", ["Title"])
    structure_import.apply(plan, admin_user)
    objective.refresh_from_db()
    assert objective.title == "Fewer adults smoking"  # the same row, updated in place
    assert list(Priority.objects.filter(strategy=strategy).values_list("number", flat=True)) == [1]
    assert Priority.everything.get(strategy=strategy, number=2).archived_at is not None


def test_a_published_strategy_is_not_changed_by_a_workbook(lead, admin_user):
    strategy = structure_import.apply(structure_import.plan(_file()), admin_user)
    Strategy.objects.filter(pk=strategy.pk).update(status="published")
    rows = _rows()
    rows[0]["title"] = "Changed"
    plan = structure_import.plan(_file(rows))
    assert not plan.ok
    assert "a workbook can only fill a draft" in plan.problems[0]
    # Its rows are not listed as new: they were never compared with what it holds.
    assert (plan.problems[1:], plan.items, plan.tree) == ([], [], [])


BAD_ROWS = [
    (
        {"level": "measure", "parent": "1.1", "code": "FEW", "title": "F",
         "spc_baseline_points": 3},
        'Sheet "Items", row 7: SPC baseline points: Ensure this value is greater than or equal '
        "to 8.",
    ),
    (
        {"level": "milestone", "number": "1.1.2", "title": "\u200b\u2060"},
        'Sheet "Items", row 7: Title: Type some words',
    ),
    (
        {"level": "objective", "number": "3.1", "title": "Orphan"},
        'Sheet "Items", row 7: Parent 3 is not a priority in this file.',
    ),
    (
        {"level": "priority", "number": "1", "title": "Again"},
        'Sheet "Items", row 7: Number 1 is used by row 2 too.',
    ),
    (
        {"level": "milestone", "number": "1.1.2", "title": "X", "owner_email": "who@x.org"},
        'Sheet "Items", row 7: who@x.org cannot hold this milestone: no active programme lead',
    ),
    (
        {"level": "measure", "parent": "1", "code": "TAKEN-1", "title": "Elsewhere"},
        "Sheet \"Items\", row 7: measure code TAKEN-1 is already used by “Elsewhere”",
    ),
    (
        {"level": "objective", "number": "1.x", "title": "Bad number"},
        "Sheet \"Items\", row 7: Number is “1.x”; an objective's number looks like 2.1.",
    ),
    (
        {"level": "priority", "number": "3", "title": "", "due_text": "by March"},
        'Sheet "Items", row 7: Due (document wording) is not used for a priority',
    ),
    (
        {"level": "measure", "parent": "1", "code": "M-RANGE", "title": "R",
         "minimum_value": 10, "maximum_value": 5},
        'Sheet "Items", row 7: Minimum: The minimum cannot be above the maximum.',
    ),
]  # fmt: skip


@pytest.mark.parametrize(("row", "message"), BAD_ROWS)
def test_a_bad_row_is_named_and_nothing_is_written(lead, admin_user, row, message):
    make_measure(make_objective(make_priority(make_strategy(title="Elsewhere"))), code="TAKEN-1")
    counts = [m.objects.count() for m in (Strategy, Priority, Objective, Milestone, Measure)]
    plan = structure_import.plan(_file([*_rows(), row]))
    assert not plan.ok
    assert any(p.startswith(message) for p in plan.problems), plan.problems
    assert counts == [
        m.objects.count() for m in (Strategy, Priority, Objective, Milestone, Measure)
    ]


def test_a_csv_of_items_fills_an_existing_draft_but_cannot_make_a_strategy(lead, admin_user):
    draft = make_strategy(status="draft")
    csv_file = read_strategy_file(write_csv(_rows()), "items.csv", LIMIT)
    assert "A CSV file holds a strategy's items" in structure_import.plan(csv_file).problems[0]
    # Only that: its owners are not checked against a strategy it does not name.
    assert len(structure_import.plan(csv_file).problems) == 1
    plan = structure_import.plan(csv_file, draft)
    assert plan.ok, plan.problems
    structure_import.apply(plan, admin_user)
    assert Priority.objects.filter(strategy=draft).count() == 2


def test_a_workbook_with_no_items_archives_nothing_and_says_so(lead, admin_user):
    draft = structure_import.apply(structure_import.plan(_file()), admin_user)
    plan = structure_import.plan(_file([]), draft)
    assert not plan.ok and plan.count("archived") == 0
    assert plan.problems == [
        'Sheet "Items" has no rows: add the strategy\'s items under the header row.'
    ]


def test_a_csv_item_with_a_control_character_is_a_problem_not_dropped_on_the_way_back(lead):
    # A workbook cannot hold one (openpyxl drops it on writing), so a title saved with one
    # would read back changed from the next download: refused at the door instead.
    draft = make_strategy(status="draft")
    rows = [*_rows(), {"level": "milestone", "number": "1.1.2", "title": "Open\x1b the hub"}]
    plan = structure_import.plan(read_strategy_file(write_csv(rows), "items.csv", LIMIT), draft)
    assert any("control character (U+001B)" in p for p in plan.problems), plan.problems


@pytest.mark.parametrize("slug", ["eput-mse-community-2023", "thurrock-hwbs-2013"])
def test_a_seed_strategy_goes_out_as_a_workbook_and_comes_back_the_same(admin_user, slug):
    call_command("load_seeds", stdout=StringIO())
    strategy = Strategy.objects.get(slug=slug)
    exported = write_workbook(*_snapshot(strategy))
    csv_before = write_csv(structure_export.item_rows(strategy))
    before = _snapshot(strategy)
    Strategy.objects.all().delete()
    assert not Measure.everything.exists()

    plan = structure_import.plan(read_strategy_file(exported, "seed.xlsx", LIMIT))
    assert plan.ok, plan.problems[:5]
    again = structure_import.apply(plan, admin_user)

    assert _snapshot(again) == before
    assert write_csv(structure_export.item_rows(again)) == csv_before
    assert read_strategy_file(write_workbook(*_snapshot(again)), "again.xlsx", LIMIT) == (
        read_strategy_file(exported, "seed.xlsx", LIMIT)
    )


def _upload(client, content, name="small.xlsx", url=None):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(
        url or reverse("editor:import_start"), {"file": SimpleUploadedFile(name, content)}
    )


def test_upload_preview_and_confirm_through_the_pages(client, lead, admin_user):
    client.force_login(admin_user)
    response = _upload(client, write_workbook(SMALL, _rows()))
    assert response.status_code == 302
    preview = client.get(response.url)
    page = preview.content.decode()
    assert "5 new, 0 updated, 0 unchanged, 0 to be archived" in page
    assert "Row 3" in page and "Objective 1.1: Fewer smokers" in page
    assert not Strategy.objects.exists()  # a preview writes nothing
    seen = preview.context["plan"].digest
    confirm = reverse("editor:import_confirm", args=[preview.context["upload"].pk])
    response = client.post(confirm, {"seen": seen})
    assert response.status_code == 302
    strategy = Strategy.objects.get(slug="small-strategy")
    assert strategy.status == "draft" and Priority.objects.filter(strategy=strategy).count() == 2
    # Confirming twice imports once.
    client.post(confirm, {"seen": seen})
    assert Priority.objects.filter(strategy=strategy).count() == 2


def test_a_confirm_after_the_draft_changed_is_refused(client, lead, admin_user):
    draft = structure_import.apply(structure_import.plan(_file()), admin_user)
    client.force_login(admin_user)
    rows = _rows()
    rows[0]["title"] = "Start well, from the file"
    response = _upload(client, write_workbook(SMALL, rows))
    preview = client.get(response.url)
    Priority.objects.filter(strategy=draft, number=1).update(title="Changed meanwhile")
    Priority.objects.filter(strategy=draft, number=2).update(title="Also changed")
    response = client.post(
        reverse("editor:import_confirm", args=[preview.context["upload"].pk]),
        {"seen": preview.context["plan"].digest},
    )
    assert response.status_code == 409
    assert "The strategy changed since this preview" in response.content.decode()
    assert Priority.objects.get(strategy=draft, number=1).title == "Changed meanwhile"


def test_a_change_meanwhile_to_the_very_value_the_file_changes_refuses_the_confirm(
    client, lead, admin_user
):
    """The file would have replaced another Admin's title without anyone seeing it: the
    preview said "updated (Title)" both before and after their change."""
    draft = structure_import.apply(structure_import.plan(_file()), admin_user)
    client.force_login(admin_user)
    rows = _rows()
    rows[0]["title"] = "Start well, from the file"
    preview = client.get(_upload(client, write_workbook(SMALL, rows)).url)
    Priority.objects.filter(strategy=draft, number=1).update(title="Typed carefully meanwhile")
    response = client.post(
        reverse("editor:import_confirm", args=[preview.context["upload"].pk]),
        {"seen": preview.context["plan"].digest},
    )
    assert response.status_code == 409
    assert Priority.objects.get(strategy=draft, number=1).title == "Typed carefully meanwhile"
    # The new preview shows what the file would replace now; confirming that one imports.
    response = client.post(
        reverse("editor:import_confirm", args=[preview.context["upload"].pk]),
        {"seen": response.context["plan"].digest},
    )
    assert response.status_code == 302
    assert Priority.objects.get(strategy=draft, number=1).title == "Start well, from the file"


def test_a_workbook_cannot_change_which_organisation_leads_a_draft(lead, admin_user):
    """Its Strategy sheet made a partner the lead, past every rule the editor checks with it
    (a lead that is its own partner, owners of the old organisation)."""
    draft = structure_import.apply(structure_import.plan(_file()), admin_user)
    partner = Organisation.objects.create(name="Partner Trust")
    draft.partners.add(partner)
    plan = structure_import.plan(_file(strategy=SMALL | {"organisation": "Partner Trust"}), draft)
    assert not plan.ok
    assert any("cannot change which organisation leads" in p for p in plan.problems)
    draft.refresh_from_db()
    assert draft.organisation.name == "Thurrock Council"


def test_a_workbook_downloaded_before_the_draft_changed_is_refused_whole(client, lead, admin_user):
    """Another Admin renamed a priority in the editor after this workbook was downloaded: the
    preview said only "updated (Title)" and the import put the old title back (and after an
    archive, gave the renumbered milestones each other's titles)."""
    draft = structure_import.apply(structure_import.plan(_file()), admin_user)
    client.force_login(admin_user)
    workbook = client.get(reverse("editor:workbook", args=[draft.slug])).content
    # Unchanged since: it goes back in, every row unchanged.
    fresh = client.get(
        _upload(client, workbook, url=reverse("editor:import_into", args=[draft.slug])).url
    )
    assert fresh.context["plan"].ok and fresh.context["plan"].count("unchanged") == 5
    Priority.objects.filter(strategy=draft, number=1).update(title="Renamed in the editor")
    stale = client.get(
        _upload(client, workbook, url=reverse("editor:import_into", args=[draft.slug])).url
    )
    plan = stale.context["plan"]
    assert not plan.ok
    assert any("downloaded from Small strategy before it last changed" in p for p in plan.problems)
    assert Priority.objects.get(strategy=draft, number=1).title == "Renamed in the editor"


def test_a_file_that_cannot_be_read_is_refused_on_the_upload_page(client, admin_user):
    client.force_login(admin_user)
    response = _upload(client, b"\xd0\xcf\x11\xe0" + b"\x00" * 600, name="old.xls")
    assert response.status_code == 400
    assert "old Excel workbook (.xls)" in response.content.decode()
    assert not Strategy.objects.exists()


def test_someone_elses_upload_cannot_be_seen_or_confirmed(client, make_user, admin_user):
    client.force_login(admin_user)
    response = _upload(client, write_workbook(SMALL, _rows()))
    other = make_user("other-admin", "Admin")
    client.force_login(other)
    assert client.get(response.url).status_code == 404
    pk = response.url.rstrip("/").rsplit("/", 1)[-1]
    assert client.post(reverse("editor:import_confirm", args=[pk])).status_code == 404
    assert not Strategy.objects.exists()


def test_the_template_and_a_strategys_workbook_download(client, admin_user):
    strategy = make_strategy()
    make_priority(strategy, title="Downloaded priority")
    client.force_login(admin_user)
    empty = client.get(reverse("editor:template"))
    assert empty["Content-Disposition"] == 'attachment; filename="strategy-template.xlsx"'
    assert read_strategy_file(empty.content, "t.xlsx", LIMIT).rows == []
    filled = client.get(reverse("editor:template") + f"?from={strategy.slug}")
    rows = read_strategy_file(filled.content, "t.xlsx", LIMIT).rows
    assert [r.values["title"] for r in rows] == ["Downloaded priority"]


def test_every_row_is_in_the_preview_tree_even_one_whose_parent_is_missing(lead):
    orphan = {"level": "objective", "number": "3.1", "title": "Orphan"}
    plan = structure_import.plan(_file([*_rows(), orphan]))

    def rows_of(items):
        return [r for i in items for r in [i.row, *rows_of(i.children)]]

    assert sorted(rows_of(plan.tree)) == list(range(2, 8))
    assert [i.problems for i in plan.tree if i.row == 7] == [
        ["Parent 3 is not a priority in this file."]
    ]


def test_measures_keep_the_order_of_their_rows_and_a_new_order_is_an_update(lead, admin_user):
    extra = {"level": "measure", "parent": "1.1", "code": "SMALL-QUIT", "title": "Quitters"}
    rows = [*_rows(), extra]
    strategy = structure_import.apply(structure_import.plan(_file(rows)), admin_user)
    codes = [r["code"] for r in structure_export.item_rows(strategy) if r["level"] == "measure"]
    assert codes == ["SMALL-SMOKING", "SMALL-QUIT"]
    rows[3], rows[5] = rows[5], rows[3]  # the two measures swap places
    plan = structure_import.plan(_file(rows))
    assert {i.label: i.changes for i in plan.items if i.outcome == "updated"} == {
        "SMALL-QUIT": ["Order"],
        "SMALL-SMOKING": ["Order"],
    }
    structure_import.apply(plan, admin_user)
    codes = [r["code"] for r in structure_export.item_rows(strategy) if r["level"] == "measure"]
    assert codes == ["SMALL-QUIT", "SMALL-SMOKING"]


def test_a_measure_code_changed_only_in_case_is_refused_not_archived_and_added(lead, admin_user):
    strategy = structure_import.apply(structure_import.plan(_file()), admin_user)
    rows = _rows()
    rows[3]["code"] = "small-smoking"
    plan = structure_import.plan(_file(rows))
    assert plan.counts["archived"] == 0
    assert any("is stored as SMALL-SMOKING, and a code cannot change" in p for p in plan.problems)
    assert Measure.objects.filter(objective__priority__strategy=strategy).count() == 1


def test_new_items_get_their_delegates_and_points_without_reading_any_and_an_update_replaces_them(
    lead, admin_user, make_user
):
    """A new strategy's milestones have no delegates to read or remove, nor its measures
    trajectory points: only the inserts (a quarter of a 2,000-row import was those reads)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from measures.models import TrajectoryPoint
    from milestones.models import MilestoneDelegate

    deputy = make_user("deputy", "Programme lead", email="deputy@example.org")
    rows = _rows()
    rows[2]["delegate_emails"] = "deputy@example.org"
    rows[3] |= {
        "baseline_value": 20,
        "baseline_period": dt.date(2024, 3, 31),
        "target_value": 12,
        "target_date": dt.date(2027, 3, 31),
        "trajectory": "2025-03-31=18; 2026-03-31=16",
    }
    plan = structure_import.plan(_file(rows))
    assert plan.ok, plan.problems
    with CaptureQueriesContext(connection) as queries:
        strategy = structure_import.apply(plan, admin_user)
    touching = [
        q["sql"].split()[0]
        for q in queries.captured_queries
        if any(
            t in q["sql"] for t in ('"milestones_milestonedelegate"', '"measures_trajectorypoint"')
        )
    ]
    assert touching == ["INSERT", "INSERT", "INSERT"], touching
    milestone = Milestone.objects.get(objective__priority__strategy=strategy)
    assert [d.user for d in MilestoneDelegate.objects.filter(milestone=milestone)] == [deputy]
    measure = Measure.objects.get(code="SMALL-SMOKING")
    assert list(measure.trajectory.order_by("period_end").values_list("value", flat=True)) == [
        18,
        16,
    ]
    assert TrajectoryPoint.history.filter(measure_id=measure.pk).count() == 2

    make_user("second", "Programme lead", email="second@example.org")
    rows[2]["delegate_emails"] = "second@example.org"
    rows[3]["trajectory"] = "2026-03-31=15"
    plan = structure_import.plan(_file(rows))
    assert plan.ok, plan.problems
    structure_import.apply(plan, admin_user)
    assert [d.user.username for d in MilestoneDelegate.objects.filter(milestone=milestone)] == [
        "second"
    ]
    assert list(measure.trajectory.values_list("period_end", "value")) == [
        (dt.date(2026, 3, 31), 15)
    ]


def test_a_confirm_sent_while_another_imports_the_same_file_says_it_is_imported(
    client, lead, admin_user, monkeypatch
):
    """Two tabs, or a double click: the second confirm passed the first check before the
    first committed, then waits for its lock and finds the file imported. It says so, as a
    later confirm does, rather than offering the file's plan again as if nothing was done."""
    from editor import import_views

    client.force_login(admin_user)
    preview = client.get(_upload(client, write_workbook(SMALL, _rows())).url)
    upload, seen = preview.context["upload"], preview.context["plan"].digest
    confirm = reverse("editor:import_confirm", args=[upload.pk])
    read = import_views._read

    def first_confirm_commits_meanwhile(content, name):
        file = read(content, name)
        monkeypatch.setattr(import_views, "_read", read)
        assert client.post(confirm, {"seen": seen}).status_code == 302  # the other tab
        return file

    monkeypatch.setattr(import_views, "_read", first_confirm_commits_meanwhile)
    response = client.post(confirm, {"seen": seen}, follow=True)
    strategy = Strategy.objects.get(slug="small-strategy")
    assert response.redirect_chain[-1][0] == reverse("editor:strategy", args=[strategy.slug])
    assert "This file was imported already; nothing more was changed." in (
        response.content.decode()
    )
    assert Priority.objects.filter(strategy=strategy).count() == 2


def test_a_trajectory_in_a_csv_is_read_by_the_number_rule_of_its_file(lead):
    """A decimal comma is refused, never read as a number ten times bigger; in a file
    separated by semicolons, so is a point before three digits (2500 or 2.5?)."""
    draft = make_strategy(status="draft")
    heading = "level,number,parent,code,title,unit,trajectory\r\n"
    rows = "priority,1,,,P,,\r\nmeasure,,1,SMALL-T,Rate,number,2026-03-31=77,5\r\n"
    commas = read_strategy_file(
        (heading + rows.replace("2026-03-31=77,5", '"2026-03-31=77,5"')).encode(), "a.csv", LIMIT
    )
    semicolons = read_strategy_file(
        (heading + rows).replace(",", ";").replace("=77;5", "=20.500").encode(), "b.csv", LIMIT
    )
    assert (commas.comma_may_be_decimal, semicolons.comma_may_be_decimal) == (False, True)
    assert structure_import.plan(commas, draft).problems == [
        'Sheet "Items", row 3: Trajectory: 31 March 2026: “77,5” is not a number.'
    ]
    (problem,) = structure_import.plan(semicolons, draft).problems
    assert problem.startswith(
        'Sheet "Items", row 3: Trajectory: 31 March 2026: “20.500” could mean'
    )


def test_an_items_csv_downloaded_before_the_draft_changed_is_refused_whole(
    client, lead, admin_user
):
    """The items CSV carried no fingerprint, so a stale one put back another Admin's change
    unseen (left out in the twenty-fourth session); it carries one in a column of its own."""
    draft = structure_import.apply(structure_import.plan(_file()), admin_user)
    client.force_login(admin_user)
    items = client.get(reverse("editor:items_csv", args=[draft.slug])).content
    into = reverse("editor:import_into", args=[draft.slug])
    fresh = client.get(_upload(client, items, name="items.csv", url=into).url)
    assert fresh.context["plan"].ok and fresh.context["plan"].count("unchanged") == 5
    Priority.objects.filter(strategy=draft, number=1).update(title="Renamed in the editor")
    stale = client.get(_upload(client, items, name="items.csv", url=into).url)
    plan = stale.context["plan"]
    assert not plan.ok
    assert any("downloaded from Small strategy before it last changed" in p for p in plan.problems)
    assert Priority.objects.get(strategy=draft, number=1).title == "Renamed in the editor"
    # Without the column (deleted, or a file typed by hand), it is read as before.
    text = items.decode("utf-8-sig").splitlines()
    cut = "\r\n".join(line.rsplit(",", 1)[0] for line in text).encode()
    assert client.get(_upload(client, cut, name="items.csv", url=into).url).context["plan"].ok


def test_an_items_csv_with_rows_from_two_downloads_is_refused(client, lead, admin_user):
    draft = structure_import.apply(structure_import.plan(_file()), admin_user)
    client.force_login(admin_user)
    items = client.get(reverse("editor:items_csv", args=[draft.slug])).content.decode("utf-8-sig")
    lines = items.splitlines()
    lines[2] = lines[2].rsplit(",", 1)[0] + ",0123456789abcdef"
    response = _upload(
        client,
        "\r\n".join(lines).encode(),
        name="items.csv",
        url=reverse("editor:import_into", args=[draft.slug]),
    )
    assert response.status_code == 400
    assert "Drawn from" in response.content.decode()
    assert "two downloads" in response.content.decode()


def test_an_items_csv_row_cleared_but_for_its_drawn_from_cell_is_read_as_a_blank_row(
    client, lead, admin_user
):
    """4fe4120 puts the draft's fingerprint in a last "Drawn from" column on every row and
    takes it out before the rows are read. A row whose item cells were cleared (selected
    and deleted, the far-right Drawn from cell left as it was) was a blank row, skipped; it
    is now a row of its own: "row 6: Level: is empty; every row needs one", and the import
    is refused."""
    draft = structure_import.apply(structure_import.plan(_file()), admin_user)
    client.force_login(admin_user)
    items = client.get(reverse("editor:items_csv", args=[draft.slug])).content.decode("utf-8-sig")
    lines = items.splitlines()
    cols = lines[0].count(",")
    fp = lines[1].rsplit(",", 1)[1]
    # The last item row's cells cleared (select them, Delete), its Drawn from left.
    lines[-1] = "," * cols + fp
    with_fp = "\r\n".join(lines).encode()
    lines[-1] = ""
    blank = "\r\n".join(lines).encode()
    url = reverse("editor:import_into", args=[draft.slug])
    a = client.get(_upload(client, with_fp, name="items.csv", url=url).url).context["plan"]
    b = client.get(_upload(client, blank, name="items.csv", url=url).url).context["plan"]
    assert (a.ok, a.problems) == (b.ok, b.problems)


def test_a_targets_document_wording_goes_out_in_a_workbook_and_comes_back(lead, admin_user):
    rows = _rows()
    rows[3] |= {"target_value": 12, "target_date": dt.date(2027, 3, 31)}
    rows[3] |= {"target_period_text": "by 2026/27"}
    strategy = structure_import.apply(structure_import.plan(_file(rows)), admin_user)
    assert Measure.objects.get(code="SMALL-SMOKING").target_period_text == "by 2026/27"

    # The draft's own workbook, with the words, reads back unchanged...
    exported = write_workbook(*_snapshot(strategy))
    plan = structure_import.plan(read_strategy_file(exported, "again.xlsx", LIMIT), strategy)
    assert plan.counts["updated"] == 0, [(i.label, i.changes) for i in plan.items]
    # ...and a change to the words alone is an update, named by its column.
    rows[3]["target_period_text"] = "2026/27"
    plan = structure_import.plan(_file(rows), strategy)
    [updated] = [i for i in plan.items if i.outcome == "updated"]
    assert updated.changes == ["Target date (document wording)"]
    structure_import.apply(plan, admin_user)
    assert Measure.objects.get(code="SMALL-SMOKING").target_period_text == "2026/27"


def test_an_empty_illustrative_cell_is_no_not_a_change_to_a_draft_that_is_not_illustrative(
    admin_user,
):
    """A sheet's Illustrative cell left empty means no, as the draft has it: the workbook is
    unchanged, not "updated" with nothing to update."""
    Organisation.objects.get_or_create(name="Thurrock Council")
    draft = {
        "title": "Small strategy",
        "slug": "small-strategy",
        "organisation": "Thurrock Council",
        "organisation_short_name": "",
        "period_start": dt.date(2013, 4, 1),
        "period_end": dt.date(2016, 3, 31),
        "illustrative": False,
    }
    rows = [{"level": "priority", "number": "1", "title": "Start well"}]
    content = write_workbook(draft, rows)
    limit = 10 * 1024 * 1024
    structure_import.apply(
        structure_import.plan(read_strategy_file(content, "s.xlsx", limit)), admin_user
    )
    book = openpyxl.load_workbook(BytesIO(content))
    sheet = book["Strategy"]
    [row] = [c.row for c in sheet["A"] if c.value == "Illustrative"]
    sheet.cell(row=row, column=2).value = None
    emptied = BytesIO()
    book.save(emptied)

    plan = structure_import.plan(read_strategy_file(emptied.getvalue(), "s.xlsx", limit))

    assert plan.ok and plan.strategy_outcome == "unchanged", plan.problems


def test_a_workbook_downloaded_before_an_upgrade_added_fields_still_imports(lead, admin_user):
    """A draft's workbook carries its fingerprint; an upgrade that adds a field (the period's
    and a target's document wording, 2 December 2026) must not read as a change to the
    draft, or every workbook downloaded before it is refused as stale."""
    import hashlib

    draft = structure_import.apply(structure_import.plan(_file()), admin_user)
    values, rows = _snapshot(draft)
    added = {"period_text", "target_period_text"}

    def before(fields: dict) -> dict:
        return {k: v for k, v in fields.items() if k not in added}

    old = repr((sorted(before(values).items()), [before(row) for row in rows]))
    fingerprint_then = hashlib.sha256(old.encode()).hexdigest()[:32]
    content = write_workbook(values, rows, drawn_from=fingerprint_then)

    plan = structure_import.plan(read_strategy_file(content, "small.xlsx", LIMIT), draft)

    assert plan.ok, plan.problems
    assert plan.strategy_outcome == "unchanged"
