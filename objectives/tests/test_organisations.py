"""Roles scoped to organisations (issue 19): who reads, owns, updates, assigns, edits and
imports what, when a strategy belongs to one organisation and lists others as partners.

The world: the Trust leads "plan" with the Council as its partner; the Clinic, in neither,
has its own Admin. Every page is also in tests/test_permission_matrix.py, for two
organisations × every role; here are the rules behind it."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from editor import structure_import
from editor.structure_export import item_rows, strategy_values
from editor.workbook_files import read_strategy_file, write_workbook
from measures.models import ImportBatch, MeasureValue
from milestones.models import Milestone
from objectives.models import Organisation, Partner, Strategy
from reporting.models import BoardPack, ReportingPeriod
from strategy_tracker.roles import ADMIN, BOARD_MEMBER, PROGRAMME_LEAD
from tests.factories import (
    make_measure,
    make_milestone,
    make_objective,
    make_priority,
    make_strategy,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(make_member):
    trust = Organisation.objects.create(name="Trust")
    council = Organisation.objects.create(name="Council")
    clinic = Organisation.objects.create(name="Clinic")
    plan = make_strategy(slug="plan", title="Joint plan", organisation=trust)
    Partner.objects.create(strategy=plan, organisation=council)
    objective = make_objective(make_priority(plan, number=1), number=1)
    people = {
        "trust_board": make_member("trust_board", {trust: [BOARD_MEMBER]}),
        "trust_lead": make_member("trust_lead", {trust: [PROGRAMME_LEAD]}),
        "trust_admin": make_member("trust_admin", {trust: [ADMIN]}),
        "council_board": make_member("council_board", {council: [BOARD_MEMBER]}),
        "council_lead": make_member("council_lead", {council: [PROGRAMME_LEAD]}),
        "council_admin": make_member("council_admin", {council: [ADMIN]}),
        "clinic_board": make_member("clinic_board", {clinic: [BOARD_MEMBER]}),
        "clinic_admin": make_member("clinic_admin", {clinic: [ADMIN]}),
    }
    trusts = make_milestone(objective, title="Trust's own", owner=people["trust_lead"], position=1)
    councils = make_milestone(
        objective,
        title="Council's part",
        responsible=council,
        owner=people["council_lead"],
        position=2,
    )
    return {
        "plan": plan,
        "objective": objective,
        "trust": trust,
        "council": council,
        "clinic": clinic,
        "trusts": trusts,
        "councils": councils,
        **people,
    }


def _slugs(user) -> set[str]:
    return set(Strategy.objects.visible_to(user).values_list("slug", flat=True))


def test_a_partnership_is_read_by_both_organisations_and_nobody_else(client, world):
    draft = make_strategy(slug="draft", status="draft", organisation=world["trust"])
    Partner.objects.create(strategy=draft, organisation=world["council"])
    assert _slugs(world["trust_board"]) == {"plan"}
    assert _slugs(world["council_board"]) == {"plan"}
    assert _slugs(world["clinic_board"]) == set()
    # A draft is for the lead organisation's Admins only: not a partner's, not its board.
    assert _slugs(world["trust_admin"]) == {"plan", "draft"}
    assert _slugs(world["council_admin"]) == {"plan"}
    client.force_login(world["council_board"])
    page = client.get(reverse("objectives:strategy_detail", args=["plan"])).content.decode()
    assert "Trust, in partnership with Council" in page
    assert client.get(reverse("objectives:strategy_detail", args=["draft"])).status_code == 404
    client.force_login(world["clinic_board"])
    assert client.get(reverse("objectives:strategy_detail", args=["plan"])).status_code == 404
    listed = client.get(reverse("objectives:strategy_list")).content.decode()
    assert "Joint plan" not in listed


def test_an_item_names_the_lead_organisation_or_a_partner_as_responsible(world):
    milestone = world["trusts"]
    milestone.responsible = world["clinic"]
    with pytest.raises(ValidationError, match="lead organisation or one of its partners"):
        milestone.full_clean()
    milestone.responsible = world["council"]
    milestone.full_clean()
    measure = make_measure(world["objective"], code="M1", unit="count")
    assert measure.responsible_organisation_id == world["trust"].pk  # inherited from the lead
    world["objective"].responsible = world["council"]
    world["objective"].save()
    measure = type(measure).objects.get(pk=measure.pk)
    assert measure.responsible_organisation_id == world["council"].pk  # from its objective
    annotated = type(measure).objects.with_responsible().get(pk=measure.pk)
    assert annotated.responsible_organisation == measure.responsible_organisation_id


def test_a_lead_updates_only_milestones_of_their_own_organisation(client, world):
    trusts, councils = world["trusts"], world["councils"]
    assert trusts.can_be_updated_by(world["trust_lead"])
    assert councils.can_be_updated_by(world["council_lead"])
    # Owner of a milestone the Council has since taken on: no longer theirs to update.
    councils.owner = world["trust_lead"]
    councils.save()
    assert not councils.can_be_updated_by(world["trust_lead"])
    client.force_login(world["trust_lead"])
    url = reverse("milestones:update", args=["plan", (1, 1), 1, councils.pk])
    before = Milestone.objects.get(pk=councils.pk).version
    data = {"status": "complete", "commentary": "", "forecast_date": "", "version": before}
    assert client.post(url, data).status_code == 403
    assert Milestone.objects.get(pk=councils.pk).version == before


def test_owners_are_chosen_from_the_responsible_organisation(client, world):
    councils = world["councils"]
    client.force_login(world["trust_admin"])
    page = client.get(councils.get_absolute_url())
    choices = {label for _, label in page.context["assign_form"].fields["owner"].choices}
    assert "council_lead" in choices and "trust_lead" not in choices
    url = reverse("milestones:assign", args=["plan", (1, 1), 1, councils.pk])
    shown = {"read_owner": str(councils.owner_id), "read_delegates": ""}
    refused = client.post(url, shown | {"owner": world["trust_lead"].pk})
    assert refused.status_code == 400
    assert Milestone.objects.get(pk=councils.pk).owner == world["council_lead"]


def test_a_partners_admin_assigns_its_own_milestones_only(client, world):
    client.force_login(world["council_admin"])
    page = client.get(reverse("milestones:bulk_assign"))
    assert [m.pk for m in page.context["milestones"]] == [world["councils"].pk]
    trusts_url = reverse("milestones:assign", args=["plan", (1, 1), 1, world["trusts"].pk])
    shown = {"read_owner": str(world["trusts"].owner_id), "read_delegates": ""}
    assert client.post(trusts_url, shown | {"owner": ""}).status_code == 403
    trusts, councils = world["trusts"], world["councils"]
    bulk = {
        "milestones": [trusts.pk],
        "shown": [f"{trusts.pk}:{trusts.owner_id}"],
        "owner": world["council_lead"].pk,
    }
    assert client.post(reverse("milestones:bulk_assign"), bulk).status_code == 400
    assert Milestone.objects.get(pk=world["trusts"].pk).owner == world["trust_lead"]
    # Their own: assigned, but only to their own people.
    own = {
        "milestones": [councils.pk],
        "shown": [f"{councils.pk}:{councils.owner_id}"],
        "owner": world["trust_lead"].pk,
    }
    assert client.post(reverse("milestones:bulk_assign"), own).status_code == 400
    own["owner"] = world["council_admin"].pk
    assert client.post(reverse("milestones:bulk_assign"), own).status_code == 302
    assert Milestone.objects.get(pk=world["councils"].pk).owner == world["council_admin"]


def test_only_the_lead_organisations_admins_edit_run_and_publish_the_strategy(client, world):
    for who, status in (("trust_admin", 200), ("council_admin", 404), ("clinic_admin", 404)):
        client.force_login(world[who])
        assert client.get(reverse("editor:strategy", args=["plan"])).status_code == status, who
        assert client.get(reverse("editor:workbook", args=["plan"])).status_code == status, who
    client.force_login(world["council_admin"])
    closing = {"to": "closed", "seen": "published", "final": "yes"}
    url = reverse("objectives:strategy_status", args=["plan"])
    assert client.post(url, closing).status_code == 403
    schedule = {"quarter": "2024/25 Q3", "opens_on": "2024-12-17", "closes_on": "2025-01-21"}
    assert client.post(reverse("reporting:periods", args=["plan"]), schedule).status_code == 403
    assert Strategy.objects.get(slug="plan").status == "published"
    assert not ReportingPeriod.objects.exists()
    page = client.get(reverse("objectives:strategy_detail", args=["plan"])).content.decode()
    assert "Edit this strategy" not in page


def _import(client, rows: str):
    data = ("measure_code,period_end,value\n" + rows).encode()
    upload = client.post(
        reverse("measures:import_start"), {"file": SimpleUploadedFile("f.csv", data)}
    )
    assert upload.status_code == 302
    return client.get(upload["Location"])


def test_an_admin_imports_figures_only_for_measures_their_organisation_is_responsible_for(
    client, world
):
    objective = world["objective"]
    make_measure(objective, code="TRUST-M", unit="count")
    make_measure(objective, code="COUNCIL-M", unit="count", responsible=world["council"])
    other = make_measure(
        make_objective(make_priority(make_strategy(organisation=world["clinic"]))),
        code="CLINIC-M",
        unit="count",
    )
    client.force_login(world["trust_admin"])
    page = _import(client, "TRUST-M,2024-06-30,5\nCOUNCIL-M,2024-06-30,6\nCLINIC-M,2024-06-30,7\n")
    errors = {row.line: row.messages for row in page.context["report"].rows if row.messages}
    assert errors == {
        3: [
            "Measure COUNCIL-M is the responsibility of Council: only its Admins import its "
            "figures."
        ],
        4: ["Unknown measure code “CLINIC-M”."],  # another organisation's, not even shown
    }
    assert '<td class="num">3</td><td>COUNCIL-M</td>' in page.content.decode()
    batch = ImportBatch.objects.get()
    confirmed = client.post(reverse("measures:import_confirm", args=[batch.pk]))
    assert confirmed.status_code == 409 and not MeasureValue.objects.exists()
    # The Council's Admin imports the Council's measure.
    client.force_login(world["council_admin"])
    page = _import(client, "COUNCIL-M,2024-06-30,6\n")
    assert not page.context["report"].has_errors
    batch = ImportBatch.objects.latest("pk")
    assert client.post(reverse("measures:import_confirm", args=[batch.pk])).status_code == 302
    assert list(MeasureValue.objects.values_list("measure__code", "value")) == [
        ("COUNCIL-M", Decimal(6))
    ]
    assert other.values.count() == 0
    template = client.get(reverse("measures:import_template")).content.decode()
    assert "COUNCIL-M" in template and "TRUST-M" not in template


def _workbook(values: dict, rows: list[dict]):
    return read_strategy_file(write_workbook(values, rows), "plan.xlsx", 10_000_000)


def test_a_workbook_cannot_reach_another_organisations_strategy_or_name_one(world):
    Strategy.objects.filter(pk=world["plan"].pk).update(status="draft")  # workbooks fill drafts
    plan = Strategy.objects.get(pk=world["plan"].pk)
    values, rows = strategy_values(plan), item_rows(plan)
    allowed = structure_import.plan(_workbook(values, rows), plan, by=world["trust_admin"])
    assert allowed.ok, allowed.problems
    refused = structure_import.plan(_workbook(values, rows), plan, by=world["council_admin"])
    assert not refused.ok
    assert "You are not an Admin of this strategy's lead organisation" in refused.problems[0]
    # By its short name alone, from the import page: refused without naming it.
    found = structure_import.plan(_workbook(values, rows), None, by=world["clinic_admin"])
    assert found.problems[0] == (
        'Sheet "Strategy": the short name “plan” is taken by a strategy you are not an Admin '
        "of; choose another short name."
    )
    assert not found.ok and "Joint plan" not in "\n".join(found.problems)
    copy = values | {"slug": "clinic-copy", "title": "Copy"}
    named = structure_import.plan(_workbook(copy, []), None, by=world["clinic_admin"])
    assert any("you are not an Admin of “Trust”" in p for p in named.problems)


def test_a_workbook_names_nothing_of_other_organisations(world, make_member):
    make_measure(world["objective"], code="TRUST-M", unit="count")
    Strategy.objects.filter(pk=world["plan"].pk).update(status="draft")
    values = strategy_values(world["plan"]) | {
        "slug": "clinic-plan",
        "title": "Clinic plan",
        "organisation": "Clinic",
    }
    rows = [
        {"level": "priority", "number": "1", "title": "P"},
        {"level": "objective", "number": "1.1", "title": "O"},
        {"level": "milestone", "number": "1.1.1", "title": "A", "owner_email": "trust_lead"},
        {"level": "milestone", "number": "1.1.2", "title": "B", "owner_email": "nobody-at-all"},
        {"level": "measure", "parent": "1.1", "code": "TRUST-M", "title": "M", "unit": "count"},
    ]
    problems = structure_import.plan(_workbook(values, rows), None, by=world["clinic_admin"])
    text = "\n".join(problems.problems)
    assert "Joint plan" not in text and "Trust" not in text
    assert "measure code TRUST-M is already used by another organisation's strategy" in text
    # Someone of another organisation and nobody at all are refused in the same words.
    refusals = [p.split(": ", 1)[1].split(" ", 1)[1] for p in problems.problems if "hold" in p]
    assert len(refusals) == 2 and refusals[0] == refusals[1]


def test_a_workbook_gives_a_milestone_only_to_its_responsible_organisations_people(world):
    Strategy.objects.filter(pk=world["plan"].pk).update(status="draft")
    plan = Strategy.objects.get(pk=world["plan"].pk)
    rows = item_rows(plan)
    for row in rows:
        if row.get("title") == "Council's part":
            row["owner_email"] = "trust_lead"  # a Trust lead, on the Council's milestone
    refused = structure_import.plan(
        _workbook(strategy_values(plan), rows), plan, by=world["trust_admin"]
    )
    assert any("trust_lead cannot hold this milestone" in p for p in refused.problems)


def test_a_partner_named_by_items_stays_a_partner_and_the_lead_is_never_one(world):
    partner = Partner.objects.get(strategy=world["plan"], organisation=world["council"])
    assert world["plan"].organisations_named_by_items() == {world["council"].pk}
    with pytest.raises(ValidationError, match="leads it already"):
        Partner(strategy=world["plan"], organisation=world["trust"]).full_clean()
    assert partner.pk  # removing it is refused in the admin: see the next test


def test_the_site_administrator_adds_and_removes_partners_in_the_admin(client, world, site_admin):
    from milestones.tests.posted_forms import form_as_posted

    client.force_login(site_admin)
    url = reverse("admin:objectives_strategy_change", args=[world["plan"].pk])
    data = form_as_posted(client.get(url).content.decode(), form_id="strategy_form")
    data |= {"partner_set-0-DELETE": ["on"], "_save": ["Save"]}
    response = client.post(url, data)
    assert response.status_code == 200
    assert "name Council as responsible" in response.content.decode()
    assert world["plan"].partners.count() == 1
    Milestone.objects.filter(pk=world["councils"].pk).update(responsible=None)
    data = form_as_posted(client.get(url).content.decode(), form_id="strategy_form")
    data |= {
        "partner_set-0-DELETE": ["on"],
        "partner_set-TOTAL_FORMS": ["2"],
        "partner_set-1-organisation": [str(world["clinic"].pk)],
        "_save": ["Save"],
    }
    assert client.post(url, data).status_code == 302
    assert list(world["plan"].partners.values_list("name", flat=True)) == ["Clinic"]


def test_a_partner_changed_meanwhile_is_neither_saved_over_nor_deleted(client, world, site_admin):
    from milestones.tests.posted_forms import form_as_posted
    from objectives.models import Partner

    Milestone.objects.filter(pk=world["councils"].pk).update(responsible=None)
    client.force_login(site_admin)
    url = reverse("admin:objectives_strategy_change", args=[world["plan"].pk])
    opened = form_as_posted(client.get(url).content.decode(), form_id="strategy_form")
    # Another site administrator puts the Clinic in the Council's place meanwhile.
    Partner.objects.filter(strategy=world["plan"]).update(organisation=world["clinic"])
    for change in ({"partner_set-0-DELETE": ["on"]}, {"vision": ["Ours"]}):
        response = client.post(url, opened | change | {"_save": ["Save"]})
        assert response.status_code == 200
        assert "was changed by someone else since you opened the page" in response.content.decode()
        assert list(world["plan"].partners.values_list("name", flat=True)) == ["Clinic"]


def test_board_packs_are_listed_only_to_those_who_may_read_every_report(client, world):
    period = ReportingPeriod.objects.create(
        strategy=world["plan"],
        year=2024,
        quarter=1,
        opens_on=dt.date(2024, 6, 16),
        closes_on=dt.date(2024, 7, 21),
        state="closed",
        closed_at=dt.datetime(2024, 7, 2, tzinfo=dt.UTC),
    )
    pack = BoardPack.objects.create(
        year=2024,
        quarter=1,
        requested_by=world["trust_admin"],
        total=1,
        state="done",
        pdf=b"%PDF-1.7",
    )
    pack.periods.set([period])
    pdf = reverse("reporting:pack_pdf", args=[pack.pk])
    for who, status in (("trust_admin", 200), ("council_admin", 200), ("clinic_admin", 404)):
        client.force_login(world[who])
        assert client.get(pdf).status_code == status, who


def test_a_partners_items_say_who_delivers_them(client, world):
    make_measure(world["objective"], code="COUNCIL-M", unit="count", responsible=world["council"])
    client.force_login(world["trust_board"])
    page = client.get(world["councils"].get_absolute_url()).content.decode()
    assert "<dt>Delivered by</dt><dd>Council (partner)</dd>" in page
    assert "Delivered by" not in client.get(world["trusts"].get_absolute_url()).content.decode()
    measure = client.get(reverse("measures:detail", args=["COUNCIL-M"])).content.decode()
    assert "Delivered by Council (partner)" in measure


def test_someone_in_no_organisation_is_told_why_they_see_nothing(client, world, make_user):
    client.force_login(make_user("newcomer"))
    page = client.get(reverse("objectives:strategy_list")).content.decode()
    assert "Your account is not in any organisation yet" in page
    assert "Joint plan" not in page
    assert client.get(world["trusts"].get_absolute_url()).status_code == 404


def test_a_partners_admin_never_reaches_the_leads_draft(client, world):
    draft = make_strategy(slug="secret", status="draft", organisation=world["trust"])
    Partner.objects.create(strategy=draft, organisation=world["council"])
    objective = make_objective(make_priority(draft, number=1), number=1)
    hidden = make_milestone(objective, title="Secret milestone", responsible=world["council"])
    make_measure(objective, code="SECRET-M", name="Secret measure", responsible=world["council"])
    client.force_login(world["council_admin"])
    page = client.get(reverse("milestones:bulk_assign")).content.decode()
    assert "Secret milestone" not in page
    bulk = {
        "milestones": [hidden.pk],
        "shown": [f"{hidden.pk}:"],
        "owner": world["council_lead"].pk,
    }
    assert client.post(reverse("milestones:bulk_assign"), bulk).status_code == 400
    assert Milestone.objects.get(pk=hidden.pk).owner is None
    template = client.get(reverse("measures:import_template")).content.decode()
    assert "SECRET-M" not in template and "Secret measure" not in template


def test_an_organisation_id_names_nothing_the_person_cannot_see(client, world):
    client.force_login(world["clinic_board"])
    url = reverse("objectives:strategy_list") + f"?organisation={world['trust'].pk}"
    page = client.get(url).content.decode()
    assert "Trust" not in page and "No organisation has that number" in page
    client.force_login(world["council_board"])  # a partner sees the lead's name anyway
    assert "Strategies of Trust" in client.get(url).content.decode()


def test_a_partner_row_changed_to_another_organisation_is_a_removal(client, world, site_admin):
    from milestones.tests.posted_forms import form_as_posted

    client.force_login(site_admin)
    url = reverse("admin:objectives_strategy_change", args=[world["plan"].pk])
    data = form_as_posted(client.get(url).content.decode(), form_id="strategy_form")
    data |= {"partner_set-0-organisation": [str(world["clinic"].pk)], "_save": ["Save"]}
    response = client.post(url, data)
    assert (
        response.status_code == 200 and "name Council as responsible" in response.content.decode()
    )
    assert list(world["plan"].partners.values_list("name", flat=True)) == ["Council"]


def test_a_partner_cannot_be_made_the_lead_too(world):
    plan = world["plan"]
    plan.organisation = world["council"]
    with pytest.raises(ValidationError, match="one of its partners"):
        plan.full_clean()
