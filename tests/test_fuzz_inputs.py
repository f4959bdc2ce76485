"""Every query parameter and form field of every page, filled with odd values: a clear
answer (200, 302, 400, 403, 404, 409), never a 500."""

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from measures.tests.test_spc import quarters
from tests.examples import examples
from tests.factories import (
    make_measure,
    make_milestone,
    make_objective,
    make_priority,
    make_strategy,
    make_value,
)

pytestmark = pytest.mark.django_db

ODD = st.one_of(
    st.text(max_size=40),
    st.sampled_from(
        [
            "",
            "-1",
            "0",
            "²",
            "١٢",
            "99999999999999999999999",
            "-99999999999999999999",
            "1e309",
            "NaN",
            "2024-02-30",
            "0001-01-01",
            "9999-12-31",
            "x" * 5000,
            "1,2,3",
            "²,³",
            "' OR 1=1 --",
            "<script>",
            "%00",
            "\x00",
        ]
    ),
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
)
FUZZ = settings(
    max_examples=examples(30),
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
GET_PAGES = {
    "/strategies/": ["organisation"],
    "/strategies/s/": ["sort", "spc-sort"],
    "/strategies/s/priorities/1/": ["status", "rag", "owner", "due", "sort", "page", "per_page"],
    "/strategies/s/priorities/1/objectives/1/": ["status", "rag", "owner", "due", "sort", "page"],
    "/milestones/mine/": ["page"],
    "/milestones/assign/": ["status", "rag", "owner", "due"],
    "/measures/M1/": ["sort"],
    "/measures/import/history/": ["page"],
}


@pytest.fixture
def world(admin_user, programme_lead):
    strategy = make_strategy(slug="s")
    objective = make_objective(make_priority(strategy, number=1), number=1)
    milestone = make_milestone(
        objective, title="A milestone", due_date=dt.date(2027, 3, 31), owner=programme_lead
    )
    measure = make_measure(objective, code="M1")
    for end in quarters(16):
        make_value(measure, end, 10 + end.month % 3)
    return milestone


def _ok(response) -> bool:
    return response.status_code < 500


@pytest.mark.parametrize("url", sorted(GET_PAGES))
def test_odd_query_strings_never_break_a_page(client, admin_user, world, url):
    client.force_login(admin_user)
    params = GET_PAGES[url] + ["unknown"]

    @FUZZ
    @given(st.dictionaries(st.sampled_from(params), ODD, max_size=4))
    def check(query):
        response = client.get(url, query)
        assert _ok(response), (url, query, response.status_code)

    check()


def _forms(milestone) -> dict[str, list[str]]:
    base = milestone.get_absolute_url()
    return {
        base + "update/": ["status", "commentary", "forecast_date", "version"],
        base + "assign/": ["owner", "delegates", "read_owner", "read_delegates"],
        "/milestones/assign/": ["milestones", "owner", "add_delegates", "remove_delegates"],
        "/measures/M1/spc/": ["spc_baseline_points", "spc_rebase_from", "reason", "read_limits"],
        "/accounts/login/": ["username", "password"],
    }


@pytest.mark.parametrize(
    "form",
    ["update/", "assign/", "/milestones/assign/", "/measures/M1/spc/", "/accounts/login/"],
)
def test_odd_form_fields_never_break_a_form(client, admin_user, world, form):
    url = next(u for u in _forms(world) if u.endswith(form))
    fields = _forms(world)[url]
    client.force_login(admin_user)

    @FUZZ
    @given(st.dictionaries(st.sampled_from(fields), ODD, min_size=1))
    def check(data):
        response = client.post(url, data)
        assert _ok(response), (url, data, response.status_code)

    check()
