"""The Django admin never saves over a change made since its page was opened: not a lead's
update, not another Admin's edit, not an import's restated figure."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from measures.models import MeasureValue, TrajectoryPoint
from milestones.tests.posted_forms import form_as_posted
from objectives.models import Priority, Strategy
from tests.factories import make_measure, make_objective, make_priority, make_strategy

pytestmark = pytest.mark.django_db


def _opened(client, url: str, form_id: str) -> dict:
    """The change form as a browser shows it now, to be posted later."""
    page = client.get(url)
    assert page.status_code == 200
    return form_as_posted(page.content.decode(), form_id=form_id) | {"_save": ["Save"]}


def _with_new_row(data: dict, prefix: str, **fields: str) -> dict:
    n = int(data[f"{prefix}-TOTAL_FORMS"][0])
    return (
        data
        | {f"{prefix}-TOTAL_FORMS": [str(n + 1)]}
        | {f"{prefix}-{n}-{name}": [value] for name, value in fields.items()}
    )


def test_a_strategy_changed_since_the_page_was_opened_is_not_overwritten(client, site_admin):
    strategy = make_strategy(title="Our plan")
    client.force_login(site_admin)
    url = reverse("admin:objectives_strategy_change", args=[strategy.pk])
    data = _opened(client, url, "strategy_form") | {"vision": ["A new vision"]}
    Strategy.objects.filter(pk=strategy.pk).update(title="Our renamed plan")  # someone else

    response = client.post(url, data)

    assert response.status_code == 200
    assert "was changed by someone else since you opened the page" in response.content.decode()
    strategy.refresh_from_db()
    assert (strategy.title, strategy.vision) == ("Our renamed plan", "")


def test_a_strategy_unchanged_since_the_page_was_opened_saves(client, site_admin):
    strategy = make_strategy(title="Our plan")
    client.force_login(site_admin)
    url = reverse("admin:objectives_strategy_change", args=[strategy.pk])
    data = _opened(client, url, "strategy_form") | {"vision": ["A new vision"]}
    assert client.post(url, data).status_code == 302
    strategy.refresh_from_db()
    assert strategy.vision == "A new vision"


def test_a_priority_row_changed_meanwhile_stops_the_strategy_page_saving(client, site_admin):
    strategy = make_strategy(title="Our plan")
    priority = make_priority(strategy, number=1, title="First")
    client.force_login(site_admin)
    url = reverse("admin:objectives_strategy_change", args=[strategy.pk])
    data = _opened(client, url, "strategy_form") | {"vision": ["A new vision"]}
    Priority.objects.filter(pk=priority.pk).update(title="First, renamed")

    response = client.post(url, data)

    assert response.status_code == 200
    priority.refresh_from_db()
    strategy.refresh_from_db()
    assert (priority.title, strategy.vision) == ("First, renamed", "")


def test_saving_a_measure_never_puts_back_a_restated_figure(client, site_admin):
    measure = make_measure(make_objective(), code="VAC", definition="Old words")
    value = MeasureValue.objects.create(
        measure=measure, period_end=dt.date(2024, 6, 30), value=Decimal("9.8")
    )
    client.force_login(site_admin)
    url = reverse("admin:measures_measure_change", args=[measure.pk])
    data = _opened(client, url, "measure_form") | {"definition": ["New words"]}
    MeasureValue.objects.filter(pk=value.pk).update(value=Decimal("9.1"))  # an import restates

    assert client.post(url, data).status_code == 302

    value.refresh_from_db()
    measure.refresh_from_db()
    assert (value.value, measure.definition) == (Decimal("9.1"), "New words")


def test_figures_cannot_be_written_in_the_admin(client, site_admin):
    measure = make_measure(make_objective(), code="VAC")
    value = MeasureValue.objects.create(
        measure=measure, period_end=dt.date(2024, 6, 30), value=Decimal("9.8")
    )
    client.force_login(site_admin)
    change = reverse("admin:measures_measurevalue_change", args=[value.pk])
    assert client.post(change, {"value": "150", "period_end": "2099-03-31"}).status_code == 403
    assert client.get(reverse("admin:measures_measurevalue_add")).status_code == 403
    value.refresh_from_db()
    assert value.value == Decimal("9.8")


def test_an_inline_row_deleted_meanwhile_stops_the_page_saving_and_says_why(client, site_admin):
    measure = make_measure(make_objective(), code="VAC", name="Vacancies")
    first, _ = (
        TrajectoryPoint.objects.create(measure=measure, period_end=dt.date(y, 3, 31), value=v)
        for y, v in ((2025, 62), (2026, 69))
    )
    client.force_login(site_admin)
    url = reverse("admin:measures_measure_change", args=[measure.pk])
    data = _opened(client, url, "measure_form") | {"name": ["Vacancy rate"]}
    first.delete()  # the editor replaced the measure's planned points

    response = client.post(url, data)

    assert response.status_code == 200
    assert (
        "was deleted (or archived) by someone else since you opened it" in response.content.decode()
    )
    measure.refresh_from_db()
    assert measure.name == "Vacancies"
    assert list(measure.trajectory.values_list("value", flat=True)) == [69]


def test_a_new_inline_row_that_clashes_with_a_stored_one_is_refused_with_a_message(
    client, site_admin
):
    """A double click on Save (or a second Admin typing the same point) added the row twice:
    the database's uniqueness rule answered with a 500."""
    measure = make_measure(
        make_objective(),
        code="VAC",
        name="Vacancies",
        baseline_value=Decimal(60),
        baseline_period=dt.date(2025, 3, 31),
        target_value=Decimal(80),
        target_date=dt.date(2028, 3, 31),
    )
    client.force_login(site_admin)
    url = reverse("admin:measures_measure_change", args=[measure.pk])
    data = _with_new_row(
        _opened(client, url, "measure_form"), "trajectory", period_end="2026-03-31", value="62"
    )
    assert client.post(url, data).status_code == 302

    response = client.post(url, data)  # the same form again: the second click

    assert response.status_code == 200
    assert "already" in response.content.decode()
    assert list(measure.trajectory.values_list("value", flat=True)) == [62]


def test_a_priority_numbered_as_a_live_one_is_refused_on_the_strategy_page(client, site_admin):
    """Unique among live priorities only (a rule with a condition on a column the inline does
    not show): one click on Save was a 500."""
    strategy = make_strategy(title="Our plan")
    make_priority(strategy, number=1, title="First")
    client.force_login(site_admin)
    url = reverse("admin:objectives_strategy_change", args=[strategy.pk])
    data = _with_new_row(
        _opened(client, url, "strategy_form"), "priorities", part="1", number="1", title="Again"
    )

    response = client.post(url, data)

    assert response.status_code == 200
    assert "This strategy has a priority with this part and number already." in (
        response.content.decode()
    )  # not "Constraint “priority_number_unique_in_part” is violated."
    assert list(strategy.priorities.values_list("title", flat=True)) == ["First"]


def test_two_new_rows_alike_on_one_page_are_refused(client, site_admin):
    strategy = make_strategy(title="Our plan")
    client.force_login(site_admin)
    url = reverse("admin:objectives_strategy_change", args=[strategy.pk])
    data = _opened(client, url, "strategy_form")
    data = _with_new_row(data, "priorities", part="1", number="1", title="One")
    data = _with_new_row(data, "priorities", part="1", number="1", title="Two")

    response = client.post(url, data)

    assert response.status_code == 200
    assert "Another row on this page has the same" in response.content.decode()
    assert not strategy.priorities.exists()


def test_a_second_job_title_says_why_it_is_refused(client, site_admin, programme_lead):
    """Django put its error on the hidden person field: "Please correct the error below" and
    no error anywhere on the page."""
    client.force_login(site_admin)
    lead = programme_lead
    url = reverse("admin:auth_user_change", args=[lead.pk])
    data = _with_new_row(_opened(client, url, "user_form"), "job_title", title="Head of Care")
    assert client.post(url, data).status_code == 302

    response = client.post(url, data)  # a second tab, or a second click

    assert response.status_code == 200
    assert "Job title with this User already exists" in response.content.decode()
    assert lead.job_title.title == "Head of Care"


def test_an_add_page_saves_a_new_priority_with_its_measure(client, site_admin):
    """The parent's key is not there yet on an add page: checked without it, a measure row
    was refused as belonging to neither a priority nor an objective."""
    strategy = make_strategy(title="Our plan")
    client.force_login(site_admin)
    url = reverse("admin:objectives_priority_add")
    page = client.get(url)
    data = form_as_posted(page.content.decode(), form_id="priority_form") | {"_save": ["Save"]}
    data |= {"strategy": [str(strategy.pk)], "part": ["1"], "number": ["1"], "title": ["First"]}
    prefix = next(
        k[: -len("-TOTAL_FORMS")] for k in data if k.endswith("-TOTAL_FORMS") and "measure" in k
    )
    data = _with_new_row(
        data, prefix, code="NEW-M", name="New measure", kind="success", unit="count",
        direction="higher", tolerance="0",
    )  # fmt: skip
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert strategy.priorities.get().measures.get().code == "NEW-M"


def test_two_rows_alike_on_an_add_page_are_refused_not_a_500(client, site_admin):
    client.force_login(site_admin)
    url = reverse("admin:objectives_strategy_add")
    data = _opened(client, url, "strategy_form")
    data = _with_new_row(data, "priorities", part="1", number="1", title="One")
    data = _with_new_row(data, "priorities", part="1", number="1", title="Two")
    data |= {"title": ["A plan"], "slug": ["a-plan"], "period_start": ["2025-04-01"]}
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Another row on this page has the same" in response.content.decode()
    assert not Priority.objects.exists()
