"""A milestone due outside its strategy's period, in the editor and a workbook: saved as
given (a document may date one after its period), and said where it is set and on the
milestone's screen (milestones/due_dates.py)."""

import datetime as dt
import html

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from editor.workbook_files import write_workbook
from milestones.models import Milestone
from objectives.models import Organisation
from tests.factories import make_milestone, make_objective, make_priority, make_strategy

pytestmark = pytest.mark.django_db


def _warnings(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request) if m.level_tag == "warning"]


def _seen(client, url) -> str:
    page = client.get(url).content.decode()
    marker = 'name="seen" value="'
    start = page.index(marker) + len(marker)
    return page[start : page.index('"', start)]


@pytest.fixture
def milestone():
    strategy = make_strategy(
        status="draft", period_start=dt.date(2023, 4, 1), period_end=dt.date(2028, 3, 31)
    )
    objective = make_objective(make_priority(strategy, number=1), number=2)
    return make_milestone(objective, title="Open the hub", due_date=dt.date(2026, 3, 31))


def _item_url(milestone, level="milestone", pk=None, action="item"):
    strategy = milestone.objective.priority.strategy
    return reverse(f"editor:{action}", args=[strategy.slug, level, pk or milestone.pk])


def _milestone_data(milestone, client, url, **changes) -> dict:
    return {
        "title": milestone.title,
        "heading": "",
        "due_date": milestone.due_date.isoformat(),
        "due_text": "",
        "source_ref": "",
        "responsible": "",
        "seen": _seen(client, url),
    } | changes


def test_a_due_date_after_the_period_is_saved_as_given_and_said(client, admin_user, milestone):
    client.force_login(admin_user)
    url = _item_url(milestone)

    response = client.post(url, _milestone_data(milestone, client, url, due_date="2031-03-31"))

    assert response.status_code == 302
    milestone.refresh_from_db()
    assert milestone.due_date == dt.date(2031, 3, 31)
    [warning] = _warnings(response)
    assert warning == (
        "Its due date, 31 March 2031, is after the strategy's period, which ends on "
        "31 March 2028. It is saved as given: correct it if the document says otherwise."
    )
    screen = html.unescape(client.get(url).content.decode())
    assert 'id="due-note"' in screen and "is after the strategy's period" in screen


def test_a_due_date_within_the_period_is_saved_without_a_word(client, admin_user, milestone):
    client.force_login(admin_user)
    url = _item_url(milestone)
    response = client.post(url, _milestone_data(milestone, client, url, due_date="2027-06-30"))
    assert response.status_code == 302 and _warnings(response) == []
    assert 'id="due-note"' not in client.get(url).content.decode()


def test_a_milestone_added_due_before_the_period_is_saved_and_said(client, admin_user, milestone):
    client.force_login(admin_user)
    url = _item_url(milestone, "objective", milestone.objective_id, "add_child")

    response = client.post(url, {"add-title": "Early start", "add-due_date": "2022-03-31"})

    assert response.status_code == 302
    added = Milestone.objects.get(title="Early start")
    assert added.due_date == dt.date(2022, 3, 31)
    [warning] = _warnings(response)
    assert warning.startswith(
        "Its due date, 31 March 2022, is before the strategy's period, which starts on "
        "1 April 2023."
    )


def test_shortening_the_period_names_the_milestones_it_leaves_outside(
    client, admin_user, milestone
):
    strategy = milestone.objective.priority.strategy
    client.force_login(admin_user)
    url = reverse("editor:strategy", args=[strategy.slug])
    page = client.get(url)
    data = {
        name: field.value() if field.value() is not None else ""
        for name, field in ((n, page.context["form"][n]) for n in page.context["form"].fields)
    }
    data |= {"period_end": "2026-03-30", "seen": _seen(client, url)}

    response = client.post(url, data)

    assert response.status_code == 302, response.content.decode()[:3000]
    strategy.refresh_from_db()
    assert strategy.period_end == dt.date(2026, 3, 30)
    milestone.refresh_from_db()
    assert milestone.due_date == dt.date(2026, 3, 31)  # kept, not moved
    [warning] = _warnings(response)
    assert warning.startswith(
        "1 milestone is due outside the period (1 April 2023 to 30 March 2026): "
        "Milestone 1.2.1 “Open the hub”: Its due date, 31 March 2026, is after"
    )


STRATEGY = {
    "title": "Workbook plan",
    "slug": "workbook-plan",
    "organisation": "Thurrock Council",
    "period_start": dt.date(2024, 4, 1),
    "period_end": dt.date(2027, 3, 31),
}


def _rows(due: dt.date):
    return [
        {"level": "priority", "number": "1", "title": "Start well"},
        {"level": "objective", "number": "1.1", "title": "Fewer smokers"},
        {"level": "milestone", "number": "1.1.1", "title": "Service opens", "due_date": due},
    ]


def test_a_workbooks_milestone_due_after_the_period_is_previewed_with_a_note_and_imported(
    client, admin_user
):
    Organisation.objects.create(name="Thurrock Council")
    client.force_login(admin_user)
    content = write_workbook(STRATEGY, _rows(dt.date(2031, 3, 31)))
    uploaded = client.post(
        reverse("editor:import_start"), {"file": SimpleUploadedFile("plan.xlsx", content)}
    )
    preview = client.get(uploaded.url)
    plan = preview.context["plan"]
    assert plan.ok, plan.problems
    assert plan.notes == [
        'Sheet "Items", row 4: Its due date, 31 March 2031, is after the strategy\'s period, '
        "which ends on 31 March 2027."
    ]
    page = html.unescape(preview.content.decode())
    assert "To check: 1 date outside the strategy's period" in page
    assert "Import it" in page  # a note, not a problem

    confirm = reverse("editor:import_confirm", args=[preview.context["upload"].pk])
    response = client.post(confirm, {"seen": plan.digest})

    assert response.status_code == 302
    assert Milestone.objects.get(title="Service opens").due_date == dt.date(2031, 3, 31)
    [warning] = _warnings(response)
    assert "row 4: Its due date, 31 March 2031, is after" in warning


def test_a_workbooks_milestones_within_the_period_have_no_note(client, admin_user):
    Organisation.objects.create(name="Thurrock Council")
    client.force_login(admin_user)
    content = write_workbook(STRATEGY, _rows(dt.date(2027, 3, 31)))
    uploaded = client.post(
        reverse("editor:import_start"), {"file": SimpleUploadedFile("plan.xlsx", content)}
    )
    preview = client.get(uploaded.url)
    assert preview.context["plan"].ok and preview.context["plan"].notes == []
    assert "To check" not in preview.content.decode()


def test_a_workbook_into_a_draft_judges_its_milestones_by_the_drafts_period(client, admin_user):
    organisation = Organisation.objects.create(name="Thurrock Council")
    strategy = make_strategy(
        organisation=organisation,
        slug="workbook-plan",
        status="draft",
        period_start=dt.date(2024, 4, 1),
        period_end=dt.date(2025, 3, 31),
    )
    client.force_login(admin_user)
    content = write_workbook({}, _rows(dt.date(2026, 3, 31)))
    uploaded = client.post(
        reverse("editor:import_into", args=[strategy.slug]),
        {"file": SimpleUploadedFile("plan.xlsx", content)},
    )
    plan = client.get(uploaded.url).context["plan"]
    assert plan.ok, plan.problems
    assert [n.split(": ", 1)[1] for n in plan.notes] == [
        "Its due date, 31 March 2026, is after the strategy's period, which ends on 31 March 2025."
    ]
