import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from measures.models import Measure, MeasureValue
from measures.tests.test_spc import BASELINE, quarters

pytestmark = pytest.mark.django_db


@pytest.fixture
def shifted(measures):
    """16 calm quarters, then 7 above the mean: a shift, on a lower-is-better measure."""
    measure = measures["CNT"]
    measure.direction = "lower"
    measure.target_value = Decimal(20)
    measure.save()
    values = BASELINE + [10.5, 11, 10.5, 11, 10.5, 11, 10.5]
    MeasureValue.objects.bulk_create(
        MeasureValue(measure=measure, period_end=p, value=Decimal(str(v)))
        for p, v in zip(quarters(len(values)), values, strict=True)
    )
    return measure


def test_the_measure_page_shows_the_spc_chart_signals_and_icons(client, board_member, shifted):
    client.force_login(board_member)
    response = client.get("/measures/CNT/")
    html = response.content.decode()
    chart = response.context["spc_chart"]
    names = [t["name"] for t in chart["data"]]
    assert {
        "Mean",
        "Upper process limit",
        "Lower process limit",
        "Near limits (2σ)",
        "Target",
    } <= set(names)
    assert "Special cause: concern" in names and "Common cause" in names
    symbols = {t["name"]: t["marker"]["symbol"] for t in chart["data"] if "marker" in t}
    assert symbols["Special cause: concern"] != symbols["Common cause"]
    assert "Shift: 7 points above the mean, 30 Jun 2023 to 31 Dec 2024 — concern" in html
    assert "Special cause concern (high)" in html
    assert "Consistently passing the target" in html  # target 20 is above the upper limit
    assert "How to read the SPC icons" in html


def test_fewer_than_fifteen_values_is_a_run_chart_and_the_page_says_why(
    client, board_member, measures
):
    MeasureValue.objects.bulk_create(
        MeasureValue(measure=measures["CNT"], period_end=p, value=Decimal(n))
        for n, p in enumerate(quarters(5))
    )
    client.force_login(board_member)
    html = client.get("/measures/CNT/").content.decode()
    assert "5 points: SPC limits need at least 15, so this is a run chart only." in html
    assert "Run chart only (fewer than 15 points)" in html


def test_an_admin_rebases_the_limits_with_a_reason_kept_in_history(client, admin_user, shifted):
    client.force_login(admin_user)
    response = client.post(
        reverse("measures:spc_limits", args=["CNT"]),
        {
            "spc_baseline_points": 12,
            "spc_rebase_from": "2023-06-30",
            "reason": "New triage model.",
            "read_limits": "|",
        },
    )
    assert response.status_code == 302
    shifted.refresh_from_db()
    assert (shifted.spc_baseline_points, shifted.spc_rebase_from) == (12, dt.date(2023, 6, 30))
    record = shifted.history.first()
    assert record.history_change_reason == "SPC limits: New triage model."
    assert record.history_user == admin_user
    html = client.get("/measures/CNT/").content.decode()
    assert "rebased from 30 Jun 2023" in html
    assert "SPC limits: New triage model." in html


@pytest.mark.parametrize(
    "data,message",
    [
        ({"spc_baseline_points": 12, "reason": ""}, "Say why the limits are being changed"),
        ({"spc_baseline_points": 7, "reason": "x"}, "greater than or equal to 8"),
        ({"spc_rebase_from": "2023-06-31", "reason": "x"}, "Enter the period end as a date"),
        # The last three quarters: limits from three points would judge the target on noise.
        (
            {"spc_rebase_from": "2024-06-30", "reason": "x"},
            "Rebase from a period with at least 7 values from it onward (this one has 3)",
        ),
    ],
)
def test_a_bad_rebase_changes_nothing(client, admin_user, shifted, data, message):
    client.force_login(admin_user)
    before = shifted.history.count()
    response = client.post(
        reverse("measures:spc_limits", args=["CNT"]), data | {"read_limits": "|"}
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Measure.objects.get(pk=shifted.pk).spc_baseline_points is None
    assert shifted.history.count() == before


def test_saving_the_limits_as_shown_needs_no_reason_and_changes_nothing(
    client, admin_user, shifted
):
    Measure.objects.filter(pk=shifted.pk).update(
        spc_baseline_points=12, spc_rebase_from=dt.date(2023, 6, 30)
    )
    client.force_login(admin_user)
    form = client.get("/measures/CNT/").context["spc_form"]
    # The date is shown as the browser's date field needs it, not in the site's locale.
    assert 'value="2023-06-30"' in str(form["spc_rebase_from"])
    before = shifted.history.count()
    response = client.post(
        reverse("measures:spc_limits", args=["CNT"]),
        {
            "spc_baseline_points": "12",
            "spc_rebase_from": "2023-06-30",
            "read_limits": "12|2023-06-30",
        },
        follow=True,
    )
    assert "nothing was changed" in response.content.decode()
    assert shifted.history.count() == before


def test_limits_changed_by_another_admin_meanwhile_are_not_undone(client, admin_user, shifted):
    client.force_login(admin_user)
    Measure.objects.filter(pk=shifted.pk).update(spc_baseline_points=10)  # someone else
    data = {"spc_rebase_from": "2023-06-30", "reason": "Mine", "read_limits": "|"}
    response = client.post(reverse("measures:spc_limits", args=["CNT"]), data)
    assert response.status_code == 400
    assert "Someone changed these limits while you had this page open" in (
        response.content.decode()
    )
    assert Measure.objects.get(pk=shifted.pk).spc_baseline_points == 10
    # What this Admin typed is kept, now against the current limits: saving again works.
    again = response.context["spc_form"]
    assert again.data["read_limits"] == "10|"
    # Saving again would clear the other Admin's baseline: the page shows it beside this form.
    rows = {d.label: (d.saved, d.yours) for d in again.conflict}
    assert rows == {"Baseline points": ("10", "—"), "Rebase from": ("—", "2023-06-30")}
    response = client.post(reverse("measures:spc_limits", args=["CNT"]), again.data)
    assert response.status_code == 302
    shifted.refresh_from_db()
    assert (shifted.spc_baseline_points, shifted.spc_rebase_from) == (None, dt.date(2023, 6, 30))


@pytest.mark.parametrize("user_fixture", ["board_member", "programme_lead"])
def test_only_admins_may_rebase(client, request, shifted, user_fixture):
    client.force_login(request.getfixturevalue(user_fixture))
    response = client.post(
        reverse("measures:spc_limits", args=["CNT"]), {"spc_baseline_points": 12, "reason": "x"}
    )
    assert response.status_code == 403
    assert Measure.objects.get(pk=shifted.pk).spc_baseline_points is None
    assert "Save SPC limits" not in client.get("/measures/CNT/").content.decode()


def test_the_dashboard_has_a_sortable_spc_summary(client, board_member, shifted, measures):
    client.force_login(board_member)
    strategy = shifted.strategy
    response = client.get(strategy.get_absolute_url())
    table = response.context["spc_summary"]
    names = [row["name"] for row in table.rows]
    assert set(names) == {m.name for m in measures.values()}
    html = response.content.decode()
    assert "Special cause concern (high)" in html
    by_latest = client.get(strategy.get_absolute_url() + "?spc-sort=-latest").context["spc_summary"]
    assert by_latest.rows[0]["name"] == shifted.name


def test_icons_appear_beside_the_rag_on_priority_and_objective_pages(client, board_member, shifted):
    client.force_login(board_member)
    objective = shifted.objective
    for url in (objective.get_absolute_url(), objective.priority.get_absolute_url()):
        html = client.get(url).content.decode()
        assert "Special cause concern (high)" in html, url


def test_a_measure_with_no_values_says_so_rather_than_run_chart(client, board_member, measures):
    client.force_login(board_member)
    html = client.get("/measures/CNT/").content.decode()
    assert "No values yet, so no SPC" in html
    assert "Run chart only" not in html


@pytest.fixture
def mixed(measures):
    """EPUT's shape: an annual 2019/20 figure, a one-off one, then 15 quarters."""
    measure = measures["CNT"]
    MeasureValue.objects.create(
        measure=measure, period_end=dt.date(2020, 3, 31), value=588, period_text="2019/20"
    )
    MeasureValue.objects.create(
        measure=measure,
        period_end=dt.date(2021, 4, 30),
        value=700,
        period_text="April 2021 onwards",
    )
    MeasureValue.objects.bulk_create(
        MeasureValue(measure=measure, period_end=p, value=Decimal(v))
        for p, v in zip(quarters(15, dt.date(2023, 6, 30)), [11, 9] * 7 + [11], strict=True)
    )
    return measure


def _text(html: str) -> str:
    import re

    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_the_spc_chart_says_which_values_are_kept_out_of_its_limits(client, board_member, mixed):
    client.force_login(board_member)
    response = client.get("/measures/CNT/")
    html = response.content.decode()
    note = html[html.index('id="spc-left-out"') :]
    note = _text(note[note.index(">") + 1 : note.index("</div>")])
    assert note.startswith(
        "This chart's limits use 15 quarterly values, one period apart. 2 other values are "
        "shown (open circles) but kept out of the limits:"
    )
    assert "31 Mar 2020 (2019/20): 588 — an annual figure, not quarterly" in note
    assert "30 Apr 2021 (April 2021 onwards): 700 — " in note and "one-off figure" in note

    chart = response.context["spc_chart"]
    left_out = next(t for t in chart["data"] if t["name"] == "Not in the SPC series")
    assert left_out["x"] == ["2020-03-31", "2021-04-30"]
    mean = next(t for t in chart["data"] if t["name"] == "Mean")
    assert mean["y"] == pytest.approx([10 + 1 / 15] * len(mean["y"]))  # the quarters' alone
    spc_table = html[html.index('id="spc-table"') :]
    spc_table = spc_table[spc_table.index("<tbody>") : spc_table.index("</tbody>")]
    assert spc_table.count("<tr>") == 15  # a row for each point of the quarters' chart


def test_a_chart_of_one_period_type_has_no_such_note(client, board_member, shifted):
    client.force_login(board_member)
    response = client.get("/measures/CNT/")
    assert 'id="spc-left-out"' not in response.content.decode()
    assert "Not in the SPC series" not in [t["name"] for t in response.context["spc_chart"]["data"]]


def test_a_rebase_from_a_date_with_no_value_is_refused(client, admin_user, shifted):
    client.force_login(admin_user)
    response = client.post(
        reverse("measures:spc_limits", args=["CNT"]),
        {"spc_rebase_from": "2023-08-15", "reason": "New model", "read_limits": "|"},
    )
    assert response.status_code == 400
    assert "Rebase from the end of a period this measure has a value for" in (
        response.content.decode()
    )
    assert Measure.objects.get(pk=shifted.pk).spc_rebase_from is None
