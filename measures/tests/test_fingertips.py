"""National indicators: figures fetched from OHID Fingertips are proposed as an import, to be
previewed and confirmed as a CSV file is, and anything wrong with the answer or the link is
said plainly with nothing written. Fingertips is played by a local server answering from the
response files in fingertips_responses/ (fingertips_server.py); nothing here patches the
HTTP client."""

import csv
import datetime as dt
import io
import socket
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from measures import fingertips, fingertips_tasks
from measures.fingertips import DataRow, FingertipsError, Indicator
from measures.importing import confirm
from measures.models import ImportBatch, MeasureValue, NationalIndicator
from measures.parsing import ParseError
from measures.tests import fingertips_server
from measures.tests.fingertips_server import RESPONSES, Fault
from objectives.models import Organisation
from strategy_tracker.roles import ADMIN
from tests.factories import make_measure, make_objective, make_value

pytestmark = pytest.mark.django_db
DATA = "/api/all_data/csv/by_indicator_id"
METADATA = "/api/indicator_metadata/by_indicator_id"
THURROCK = "E06000034"


@pytest.fixture
def fingertips_api(settings, monkeypatch):
    """The stand-in Fingertips, with FINGERTIPS_API_URL pointing at it."""
    monkeypatch.setenv("no_proxy", "127.0.0.1")  # a proxy set for the internet is not for it
    server = fingertips_server.start()
    settings.FINGERTIPS_API_URL = server.api_url
    yield server
    fingertips_server.stop(server)


@pytest.fixture
def closed_port() -> int:
    """A port on 127.0.0.1 that nothing listens on: as good as no network."""
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        return closed.getsockname()[1]


@pytest.fixture
def objective():
    return make_objective()


def _link(measure, by, indicator_id=92443, area_type_id=502, area_code=THURROCK, **fields):
    return NationalIndicator.objects.create(
        measure=measure,
        indicator_id=indicator_id,
        area_type_id=area_type_id,
        area_code=area_code,
        linked_by=by,
        **fields,
    )


@pytest.fixture
def smoking(objective, admin_user):
    """A % measure linked to adults' smoking in Thurrock, Persons aged 18+."""
    measure = make_measure(objective, code="SMOKING", name="Adults who smoke", unit="%")
    _link(measure, admin_user, age="18+ yrs")
    return measure


@pytest.fixture
def falls(objective, admin_user):
    """A measure linked to falls among people aged 65+ in Thurrock (financial years)."""
    measure = make_measure(objective, code="FALLS", name="Falls admissions 65+", unit="number")
    _link(measure, admin_user, indicator_id=22401, age="65+ yrs")
    return measure


def _fetch(user="admin", **options) -> str:
    out = StringIO()
    call_command("fetch_fingertips", user=user, stdout=out, **options)
    return out.getvalue()


def _refused(user="admin", **options) -> tuple[str, str]:
    """The command's error, and what it printed before it."""
    out = StringIO()
    with pytest.raises(CommandError) as refusal:
        call_command("fetch_fingertips", user=user, stdout=out, **options)
    return str(refusal.value), out.getvalue()


def _proposed_rows(batch: ImportBatch) -> list[dict]:
    return list(csv.DictReader(io.StringIO(bytes(batch.content).decode("utf-8"))))


def _nothing_written() -> bool:
    return not ImportBatch.objects.exists() and not MeasureValue.objects.exists()


def _confirm(client, batch, restate=False):
    """Confirm from the batch's preview, as its form does."""
    data = {"restatements_confirmed": "on"} if restate else {}
    form = client.get(reverse("measures:import_preview", args=[batch.pk])).context.get(
        "confirm_form"
    )
    if form is not None:
        data["restatements_seen"] = form["restatements_seen"].value()
    return client.post(reverse("measures:import_confirm", args=[batch.pk]), data)


# --- the happy path ---------------------------------------------------------------------------


def test_it_proposes_the_areas_figures_for_its_population_as_an_import(
    fingertips_api, smoking, admin_user, client, settings
):
    output = _fetch()
    batch = ImportBatch.objects.get()
    assert batch.uploaded_by == admin_user
    assert [
        (r["measure_code"], r["period"], r["period_end"], r["value"], r["source"])
        for r in _proposed_rows(batch)
    ] == [
        (
            "SMOKING",
            str(year),  # the year's own wording, kept with its figure
            f"{year}-12-31",
            value,
            f"OHID Fingertips indicator 92443, E06000034 (Thurrock), {year} (Persons, 18+ yrs)",
        )
        # Thurrock's Persons 18+ rows only, rounded to the 4 places the database holds: not
        # England's, Southend's, Male, Female, 18-64 yrs or the ethnic group's.
        for year, value in [
            (2019, "17.0843"),
            (2020, "15.4123"),
            (2022, "16.3157"),
            (2023, "14.2562"),
        ]
    ]
    assert not MeasureValue.objects.exists()  # proposed, not written
    assert (
        "SMOKING ← OHID Fingertips indicator 92443 (Smoking Prevalence in adults (18+) - current "
        "smokers (APS)), E06000034 (Thurrock), Persons, 18+ yrs: 4 figures: 2019 to 2023."
    ) in output
    assert (
        "Left out 2021: no value (Value cannot be calculated as number of cases is too small)."
    ) in output
    assert f"Proposed import {batch.pk}: 4 new, 0 updated, 0 unchanged, 0 with errors." in output
    assert f"Preview and confirm at {settings.SITE_URL}/measures/import/{batch.pk}/" in output

    client.force_login(admin_user)
    page = client.get(batch.get_absolute_url())
    assert page.status_code == 200
    assert "4 new, 0 updated, 0 unchanged, 0 with errors." in page.content.decode()
    assert "OHID Fingertips indicator 92443, E06000034 (Thurrock), 2023" in page.content.decode()
    assert _confirm(client, batch).status_code == 302
    stored = MeasureValue.objects.filter(measure=smoking).order_by("period_end")
    assert [(v.period_end, v.value) for v in stored] == [
        (dt.date(2019, 12, 31), Decimal("17.0843")),
        (dt.date(2020, 12, 31), Decimal("15.4123")),
        (dt.date(2022, 12, 31), Decimal("16.3157")),
        (dt.date(2023, 12, 31), Decimal("14.2562")),
    ]
    assert stored.last().source.startswith("OHID Fingertips indicator 92443, E06000034")
    link = NationalIndicator.objects.get()
    assert link.last_fetched_at is not None
    assert link.last_fetch_outcome.startswith(f"4 figures proposed in import {batch.pk}. Left out")


def test_fetching_again_once_imported_proposes_nothing(fingertips_api, smoking, admin_user):
    _fetch()
    confirm(ImportBatch.objects.get().pk, restatements_confirmed=False)
    output = _fetch()
    assert "Nothing new: every figure fetched is stored already" in output
    assert ImportBatch.objects.count() == 1  # the imported one, kept as the record


def test_a_figure_stored_already_as_another_value_is_a_restatement_needing_the_tick(
    fingertips_api, falls, admin_user, client
):
    make_value(falls, dt.date(2022, 3, 31), 1950)  # 2021/22, reported before
    output = _fetch()
    batch = ImportBatch.objects.get()
    assert "3 new, 1 updated (1 of them restating figures already reported" in output
    # Financial years end on 31 March.
    assert [r["period_end"] for r in _proposed_rows(batch)] == [
        "2020-03-31",
        "2021-03-31",
        "2022-03-31",
        "2023-03-31",
    ]
    client.force_login(admin_user)
    page = client.get(batch.get_absolute_url()).content.decode()
    assert "1 row would change a figure already reported." in page
    assert "restatements_confirmed" in page

    refused = _confirm(client, batch)
    assert refused.status_code == 409
    assert "1 row would restate figures already reported" in refused.content.decode()
    assert list(MeasureValue.objects.values_list("period_end", "value")) == [
        (dt.date(2022, 3, 31), Decimal(1950))
    ]
    assert _confirm(client, batch, restate=True).status_code == 302
    assert MeasureValue.objects.get(period_end=dt.date(2022, 3, 31)).value == Decimal("1987.4066")
    assert MeasureValue.objects.count() == 4


def test_an_only_age_band_is_taken_and_a_sex_other_than_persons_can_be_linked(
    fingertips_api, objective, admin_user
):
    measure = make_measure(objective, code="LIFE-F", unit="number")
    _link(measure, admin_user, indicator_id=90366, sex="Female")  # no age: "All ages"
    output = _fetch()
    rows = _proposed_rows(ImportBatch.objects.get())
    assert [(r["period_end"], r["value"], r["source"]) for r in rows] == [
        (
            f"{end}-12-31",
            value,
            f"OHID Fingertips indicator 90366, E06000034 (Thurrock), {period} (Female, All ages)",
        )
        for period, end, value in [
            ("2018 - 20", 2020, "82.6357"),
            ("2019 - 21", 2021, "82.4218"),
            ("2020 - 22", 2022, "82.304"),
        ]
    ]
    assert "LIFE-F ← OHID Fingertips indicator 90366 (Life expectancy at birth)" in output


# --- which rows: refused when it is not clear ----------------------------------------------------


def test_persons_are_refused_for_an_indicator_given_for_men_and_women_apart(
    fingertips_api, objective, admin_user
):
    measure = make_measure(objective, code="LIFE", unit="number")
    _link(measure, admin_user, indicator_id=90366)
    error, output = _refused()
    assert (
        "LIFE: not fetched. Fingertips gives indicator 90366 for E06000034 (Thurrock) for "
        "“Male” and “Female”, not “Persons”: set the link's sex to the one the measure tracks."
    ) in output
    assert error == "Nothing was fetched, so nothing was proposed (see above)."
    assert _nothing_written()


def test_several_age_bands_need_the_link_to_name_one(fingertips_api, objective, admin_user):
    measure = make_measure(objective, code="FALLS", unit="number")
    _link(measure, admin_user, indicator_id=22401)
    _, output = _refused()
    assert (
        "for several age bands, “65+ yrs”, “65-79 yrs” and “80+ yrs”: set the link's age"
    ) in output
    assert _nothing_written()


def test_an_age_band_the_indicator_has_not_got_is_refused(fingertips_api, objective, admin_user):
    measure = make_measure(objective, code="FALLS", unit="number")
    _link(measure, admin_user, indicator_id=22401, age="75+ yrs")
    _, output = _refused()
    assert "not “75+ yrs”: set the link's age to one of them." in output
    assert _nothing_written()


def _row(period: str, value: str, **fields) -> DataRow:
    cells = {
        "line": 2,
        "indicator_name": "An indicator",
        "area_code": THURROCK,
        "area_name": "Thurrock",
        "sex": "Persons",
        "age": "All ages",
        "category_type": "",
        "period": period,
        "value": value,
        "value_note": "",
    }
    return DataRow(**cells | fields)


def test_an_area_listed_twice_with_one_figure_gives_it_once_and_two_figures_are_refused(
    objective, admin_user
):
    measure = make_measure(objective, code="TWICE")
    link = _link(measure, admin_user, indicator_id=1)
    about = Indicator(1, "An indicator", "Calendar")
    fetched = fingertips.choose([_row("2022", "5.1"), _row("2022", "5.1")], link, about)
    assert [(f.period_end, f.value) for f in fetched.figures] == [
        (dt.date(2022, 12, 31), Decimal("5.1"))
    ]
    with pytest.raises(FingertipsError, match="2 different figures for 2022 .“5.1” and “6.0”."):
        fingertips.choose([_row("2022", "5.1"), _row("2022", "6.0")], link, about)


def test_periods_the_import_would_refuse_are_left_out_saying_why(objective, admin_user):
    measure = make_measure(objective, code="OLD", baseline_period=dt.date(2015, 12, 31))
    link = _link(measure, admin_user, indicator_id=1)
    rows = [_row("2014", "1"), _row("Apr 2016", "2"), _row("2016", "n/a"), _row("2017", "3")]
    fetched = fingertips.choose(rows, link, Indicator(1, "An indicator", "Calendar"))
    assert [f.period for f in fetched.figures] == ["2017"]
    assert fetched.skipped == [
        "2014: it is before this measure's baseline (31 December 2015).",
        "2016: the value “n/a” is not a number.",
        "Apr 2016: it ends on 30 April 2016, not at the end of a quarter.",
    ]


@pytest.mark.parametrize(
    ("label", "year_type", "end"),
    [
        ("2022", "Calendar", dt.date(2022, 12, 31)),
        ("2020 - 22", "Calendar", dt.date(2022, 12, 31)),
        ("2022/23", "Financial", dt.date(2023, 3, 31)),
        ("2016/17 - 20/21", "Financial", dt.date(2021, 3, 31)),
        ("2022/23", "Financial year end point", dt.date(2023, 3, 31)),
        ("2023/24 Q3", "Financial", dt.date(2023, 12, 31)),
        ("2023/24 Q4", "Calendar", dt.date(2024, 3, 31)),  # the wording names its own quarter
        ("Mar 2024", "Calendar", dt.date(2024, 3, 31)),
        ("February 2024", "Financial", dt.date(2024, 2, 29)),
        ("Dec 2023", "Financial", dt.date(2023, 12, 31)),
        ("1999/00", "Financial", dt.date(2000, 3, 31)),
    ],
)
def test_a_period_maps_to_the_day_it_ends(label, year_type, end):
    assert fingertips.period_end(label, year_type) == end


@pytest.mark.parametrize(
    ("label", "year_type", "why"),
    [
        ("2022/23", "Academic", "counts this indicator's years as Academic years"),
        ("2022/23", "", "does not say what kind of years"),
        ("2022", "Financial", "as Financial years"),
        ("2022/24", "Financial", "a financial year runs from one year to the next"),
        ("2022 - 22", "Calendar", "does not end after it starts"),
        ("2023 Q3", "Calendar", "is not a financial quarter"),
        ("Smarch 2024", "Calendar", "is not a month"),
        ("Week 3 2024", "Calendar", "is not a period this reads"),
        ("Dec 9999", "Calendar", "is not a date this reads"),
        ("0000", "Calendar", "is not a date this reads"),
        ("9999/00", "Financial", "is not a date this reads"),
    ],
)
def test_a_period_whose_end_is_not_known_is_refused_not_guessed(label, year_type, why):
    with pytest.raises(ParseError, match=why):
        fingertips.period_end(label, year_type)


@pytest.mark.parametrize(
    ("value", "why"),
    [("1e30", "too large to store"), ("12345678901", "too large to store"), ("x", "not a number")],
)
def test_a_value_the_database_cannot_hold_is_left_out_saying_why(smoking, value, why):
    row = DataRow(2, "Smoking", THURROCK, "Thurrock", "Persons", "18+ yrs", "", "2022", value, "")
    about = Indicator(92443, "Smoking", "Calendar")
    link = NationalIndicator.objects.get(measure=smoking)
    assert why in fingertips._figure(row, link, about, "18+ yrs", dt.date(2026, 1, 1))


# --- what Fingertips answers: refused with a clear message, nothing written ---------------------


def test_an_indicator_fingertips_has_not_got_is_refused(fingertips_api, objective, admin_user):
    measure = make_measure(objective, code="NONE")
    _link(measure, admin_user, indicator_id=99999)
    _, output = _refused()
    assert "NONE: not fetched. Fingertips has no indicator 99999. Check the link's" in output
    assert _nothing_written()
    assert NationalIndicator.objects.get().last_fetch_outcome.startswith(
        "Fingertips has no indicator 99999."
    )


@pytest.mark.parametrize(
    ("area_type_id", "area_code", "message"),
    [
        (999, THURROCK, "Fingertips has no area type 999. Check the link's area type ID"),
        (502, "E06000099", "Fingertips has no area E06000099 among its 5 areas of type 502."),
        (
            502,
            "E06000035",
            "Fingertips publishes no figures of indicator 92443 for E06000035 (Medway) at area "
            "type 502.",
        ),
    ],
)
def test_an_area_fingertips_has_no_figures_for_is_refused_saying_why(
    fingertips_api, objective, admin_user, area_type_id, area_code, message
):
    measure = make_measure(objective, code="AREA")
    _link(measure, admin_user, area_type_id=area_type_id, area_code=area_code, age="18+ yrs")
    _, output = _refused()
    assert message in output
    assert _nothing_written()


@pytest.mark.parametrize(
    ("path", "message"),
    [
        (
            METADATA,
            "Fingertips' answer for indicator 92443's description is not the JSON it sends "
            "(Expecting value: line 1 column 1 (char 0)); it begins “<!DOCTYPE html>",
        ),
        (
            DATA,
            "Fingertips' answer for indicator 92443 at area type 502 is not its CSV of figures: "
            "the header lacks Indicator Name, Area Code,",
        ),
    ],
)
def test_an_answer_that_is_not_fingertips_own_is_refused(fingertips_api, smoking, path, message):
    fingertips_api.faults[path] = Fault(body_file="proxy_error_page.html")  # a web filter's page
    _, output = _refused()
    assert message in output
    assert _nothing_written()


def test_an_answer_shorter_than_it_announced_is_refused(fingertips_api, smoking):
    fingertips_api.faults[DATA] = Fault(missing=500)
    size = (RESPONSES / "all_data_92443_502.csv").stat().st_size
    _, output = _refused()
    assert (
        f"was cut short: {size:,} bytes of the {size + 500:,} it announced arrived. Nothing of "
        "it was used; try again."
    ) in output
    assert _nothing_written()


def test_an_answer_cut_off_in_the_middle_of_a_row_is_refused(fingertips_api, smoking):
    text = (RESPONSES / "all_data_92443_502.csv").read_bytes()
    cut = text.index(b"2022,16.3157") + len(b"2022,16.3")
    fingertips_api.faults[DATA] = Fault(cut_after=cut)  # announced as complete
    _, output = _refused()
    assert "was cut short or garbled: line 11 has 13 fields, its header 27." in output
    assert _nothing_written()


def test_an_answer_over_the_size_limit_is_not_read(fingertips_api, smoking, monkeypatch):
    monkeypatch.setattr(fingertips, "MAX_RESPONSE_BYTES", 1000)
    _, output = _refused()
    assert "is over 1,000 bytes, more than one indicator's figures: it was not read." in output
    assert _nothing_written()


def test_a_server_error_is_refused(fingertips_api, smoking):
    fingertips_api.faults[DATA] = Fault(status=500)
    _, output = _refused()
    assert (
        "Fingertips answered the request for indicator 92443 at area type 502 with HTTP 500 "
        "(Internal Server Error)."
    ) in output
    assert _nothing_written()


def test_without_network_it_says_so_and_writes_nothing(settings, smoking, closed_port):
    port = closed_port
    settings.FINGERTIPS_API_URL = f"http://127.0.0.1:{port}/api/"
    error, output = _refused()
    assert error.startswith(f"Could not reach Fingertips at http://127.0.0.1:{port}/api/ (")
    assert "Connection refused" in error
    assert "Nothing was proposed." in error
    assert "Preview" not in output
    assert _nothing_written()
    assert NationalIndicator.objects.get().last_fetch_outcome == error


def test_one_link_at_fault_leaves_the_others_proposed(fingertips_api, smoking, objective):
    _link(make_measure(objective, code="NONE"), smoking.national_indicator.linked_by, 99999)
    error, output = _refused()
    assert error.startswith("1 of 2 linked measures could not be fetched (see above)")
    assert "NONE: not fetched. Fingertips has no indicator 99999." in output
    rows = _proposed_rows(ImportBatch.objects.get())
    assert {r["measure_code"] for r in rows} == {"SMOKING"}


# --- who may -----------------------------------------------------------------------------------


def test_someone_who_may_not_import_the_measure_gets_nothing_fetched(
    fingertips_api, smoking, make_member
):
    elsewhere = make_member("elsewhere", {Organisation.objects.create(name="Elsewhere"): [ADMIN]})
    error, output = _refused(user=elsewhere.username)
    assert (
        "SMOKING: not fetched. elsewhere may not import figures for SMOKING: only Admins of the "
        "organisation responsible for it do."
    ) in output
    assert error == "Nothing was fetched, so nothing was proposed (see above)."
    assert fingertips_api.requests == []
    assert _nothing_written()
    assert NationalIndicator.objects.get().last_fetched_at is None  # not theirs to touch


def test_a_board_member_gets_nothing_fetched(fingertips_api, smoking, board_member):
    _, output = _refused(user=board_member.username)
    assert "board may not import figures for SMOKING" in output
    assert _nothing_written()


def test_the_command_names_what_it_cannot_find(fingertips_api, smoking):
    assert _refused(user="nobody")[0] == "No user nobody."
    assert _refused(strategy="no-such-strategy")[0] == "No strategy no-such-strategy."
    assert _refused(measure="OTHER")[0].startswith("No measure OTHER is linked")


def test_the_command_fetches_only_the_measure_or_strategy_asked_for(fingertips_api, smoking, falls):
    _fetch(measure="falls")
    assert {r["measure_code"] for r in _proposed_rows(ImportBatch.objects.get())} == {"FALLS"}
    ImportBatch.objects.all().delete()
    _fetch(strategy=smoking.strategy.slug)
    assert {r["measure_code"] for r in _proposed_rows(ImportBatch.objects.get())} == {
        "FALLS",
        "SMOKING",
    }


# --- the weekly task ---------------------------------------------------------------------------


def test_the_weekly_task_proposes_to_whoever_linked_each_measure_and_books_next_week(
    fingertips_api, smoking, objective, make_user
):
    other_admin = make_user("admin2", ADMIN)
    _link(make_measure(objective, code="FALLS", unit="number"), other_admin, 22401, age="65+ yrs")
    result = fingertips_tasks.fetch_national_indicators.call()
    batches = {b.uploaded_by.username: b for b in ImportBatch.objects.select_related("uploaded_by")}
    assert {
        user: {r["measure_code"] for r in _proposed_rows(batch)} for user, batch in batches.items()
    } == {"admin": {"SMOKING"}, "admin2": {"FALLS"}}
    assert result["proposed"]["admin2"] == {"import": batches["admin2"].pk, "not fetched": {}}
    booked = DBTaskResult.objects.get(
        task_path=fingertips_tasks.fetch_national_indicators.module_path
    )
    assert booked.run_after.weekday() == fingertips_tasks.WEEKLY_ON
    assert not fingertips_tasks.schedule_weekly_fetch()  # booked already


def test_the_weekly_task_stops_without_network(settings, smoking, closed_port):
    settings.FINGERTIPS_API_URL = f"http://127.0.0.1:{closed_port}/api/"
    result = fingertips_tasks.fetch_national_indicators.call()
    assert result["unreachable"].startswith("Could not reach Fingertips")
    assert _nothing_written()


def test_the_first_weekly_run_is_booked_for_next_week_not_now():
    assert fingertips_tasks.schedule_weekly_fetch()
    booked = DBTaskResult.objects.get()
    assert booked.run_after.date() > dt.date.today()
    assert booked.run_after.weekday() == fingertips_tasks.WEEKLY_ON


def test_a_fingertips_calendar_years_figure_keeps_the_years_wording(
    fingertips_api,
    smoking,
    admin_user,
    client,
):
    """Fingertips gives adult smoking by calendar year ("2023"); the figures import now reads
    "2023" in `period` and keeps it, but the proposed file leaves `period` empty, so the
    stored figure has no wording and every page names it "Dec 2023": a December figure, the
    misstatement the README says a year's figure is never shown as."""
    _fetch()
    batch = ImportBatch.objects.get()
    assert {r["period"] for r in _proposed_rows(batch)} == {"2019", "2020", "2022", "2023"}
    confirm(batch.pk, restatements_confirmed=False)
    assert set(MeasureValue.objects.values_list("period_text", flat=True)) == {
        "2019",
        "2020",
        "2022",
        "2023",
    }


def test_fingertips_years_pooled_keep_their_wording(fingertips_api, objective, admin_user):
    """Life expectancy is published for three years pooled ("2020 - 22"); the proposed file
    left `period` empty, so the stored figure had no wording and every page named it
    "Dec 2022": one month's figure, not three years'."""
    measure = make_measure(objective, code="LIFE-F", unit="number")
    _link(measure, admin_user, indicator_id=90366, sex="Female")
    _fetch()
    batch = ImportBatch.objects.get()
    wordings = ["2018 - 20", "2019 - 21", "2020 - 22"]
    assert [r["period"] for r in _proposed_rows(batch)] == wordings
    confirm(batch.pk, restatements_confirmed=False)
    stored = MeasureValue.objects.order_by("period_end").values_list("period_text", flat=True)
    assert list(stored) == wordings


# --- the indicator's unit against the measure's ------------------------------------------------
# A % or a rate fetched for a measure on another scale (or counting something else) is refused
# in words before anything is proposed: a rate per 100,000 is never stored as a rate per 1,000.


def test_a_rate_per_100000_is_refused_for_a_measure_counted_per_1000(
    fingertips_api, objective, admin_user
):
    measure = make_measure(objective, code="FALLS", unit="rate per 1,000")
    _link(measure, admin_user, indicator_id=22401, age="65+ yrs")
    error, output = _refused()
    refusal = (
        "Fingertips publishes indicator 22401 (Emergency hospital admissions due to falls in "
        "people aged 65 and over) per 100,000, but FALLS's unit is rate per 1,000: its figures "
        "would be stored 100 times too large. Link an indicator published per 1,000, or change "
        "the measure's unit to rate per 100,000 if that is what it tracks. Nothing was fetched "
        "for it."
    )
    assert f"FALLS: not fetched. {refusal}" in output
    assert error == "Nothing was fetched, so nothing was proposed (see above)."
    assert _nothing_written()
    assert NationalIndicator.objects.get().last_fetch_outcome == refusal
    # Refused before the figures were asked for.
    assert not any(request.startswith(DATA) for request in fingertips_api.requests)


def test_the_same_rate_per_100000_is_proposed_for_a_measure_counted_per_100000(
    fingertips_api, objective, admin_user
):
    measure = make_measure(objective, code="FALLS", unit="rate per 100,000")
    _link(measure, admin_user, indicator_id=22401, age="65+ yrs")
    _fetch()
    assert {r["measure_code"] for r in _proposed_rows(ImportBatch.objects.get())} == {"FALLS"}


def test_a_mismatched_measure_leaves_the_others_on_the_same_indicator_proposed(
    fingertips_api, objective, admin_user
):
    wrong = make_measure(objective, code="SMOKING-COUNT", unit="count")
    right = make_measure(objective, code="SMOKING", unit="%")
    _link(wrong, admin_user, age="18+ yrs")
    _link(right, admin_user, age="18+ yrs")
    error, output = _refused()
    assert (
        "SMOKING-COUNT: not fetched. Fingertips publishes indicator 92443 (Smoking Prevalence in "
        "adults (18+) - current smokers (APS)) as a percentage (%), but SMOKING-COUNT's unit is "
        "count: its figures are not counts. Link an indicator published as counts, or change the "
        "measure's unit to % if that is what it tracks."
    ) in output
    assert error.startswith("1 of 2 linked measures could not be fetched")
    rows = _proposed_rows(ImportBatch.objects.get())
    assert {r["measure_code"] for r in rows} == {"SMOKING"}


def test_the_indicators_unit_is_read_from_its_description(fingertips_api):
    falls = fingertips.indicator(22401)
    assert (falls.unit, falls.unit_value) == ("per 100,000", 100000.0)
    assert fingertips.indicator_scale(falls) == 100_000
    assert fingertips.indicator_scale(fingertips.indicator(92443)) == 100
    assert fingertips.indicator_scale(fingertips.indicator(90366)) is None  # years


@pytest.mark.parametrize(
    ("unit", "label", "value", "refused"),
    [
        ("%", "%", 100, ""),
        ("%", "per 100", 100, ""),  # the same scale, said otherwise
        ("%", "per 1,000", 1000, "would be stored 10 times too large"),
        ("rate per 100,000", "per 1,000", 1000, "would be stored 100 times too small"),
        ("rate per 10,000", "per 10,000", None, ""),  # no Value: the label says it
        ("rate per 1,000", "years", 1, "in years, but M's unit is rate per 1,000: its figures "),
        ("rate per 1,000", None, None, "Fingertips does not say what unit indicator 1 (An "),
        ("days", "per 1,000", 1000, "its figures are not numbers of days"),
        ("days", "years", 1, ""),  # neither is a rate: not a scale to check
        ("score", None, None, ""),
        ("number", "per 100,000", 100000, ""),  # the measure states no unit to check against
    ],
)
def test_a_unit_is_refused_only_when_its_scale_differs(objective, unit, label, value, refused):
    measure = make_measure(objective, code="M", unit=unit)
    about = Indicator(1, "An indicator", "Calendar", label, value)
    found = fingertips.unit_refusal(measure, about)
    assert (refused in found) if refused else found == ""
    assert bool(found) == bool(refused)


def test_fingertips_unit_value_that_is_not_a_number_falls_back_to_the_label():
    assert fingertips._finite("100") is None
    assert fingertips._finite(10**400) is None
    assert fingertips._finite(True) is None
    about = Indicator(1, "", "Calendar", "per 100,000", fingertips._finite("x"))
    assert fingertips.indicator_scale(about) == 100_000
