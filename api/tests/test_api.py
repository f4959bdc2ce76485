"""The read API: tokens (made, used, revoked, expired), what a token reads (exactly what its
person may), filters, pages, the rate limit, the log, and the schema."""

import datetime as dt
import logging
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from rest_framework.throttling import UserRateThrottle

from api.models import ApiToken
from measures.models import MeasureValue
from objectives.models import Organisation, Strategy
from strategy_tracker.roles import ADMIN, BOARD_MEMBER
from tests.factories import make_measure, make_objective, make_priority, make_strategy

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(make_member):
    trust, council = (
        Organisation.objects.create(name="Trust"),
        Organisation.objects.create(name="Council"),
    )
    plan = make_strategy(slug="plan", organisation=trust)
    draft = make_strategy(slug="draft", status="draft", organisation=trust)
    theirs = make_strategy(slug="theirs", organisation=council)
    measures = {}
    for strategy, code in ((plan, "M1"), (draft, "DRAFT-M"), (theirs, "THEIRS-M")):
        measure = make_measure(make_objective(make_priority(strategy)), code=code, unit="count")
        for month, value in ((3, 10), (6, 12), (9, 14)):
            MeasureValue.objects.create(
                measure=measure,
                period_end=dt.date(2024, month, 30 if month != 3 else 31),
                value=value,
            )
        measures[code] = measure
    board = make_member("bola", {trust: [BOARD_MEMBER]})
    return {"board": board, "trust": trust, "council": council, "measures": measures}


def _get(client, url, key=None, **params):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"} if key else {}
    return client.get(url, params, **headers)


def test_a_person_makes_a_token_once_uses_it_and_revokes_it(client, world):
    client.force_login(world["board"])
    page = client.post(reverse("api:tokens"), {"name": "Power BI", "days": 30})
    key = page.context["key"]
    assert page.status_code == 200 and key.startswith("st_") and key in page.content.decode()
    token = ApiToken.objects.get()
    assert token.key_hash != key and key not in (token.prefix, token.name)  # only a hash kept
    again = client.post(reverse("api:tokens"), {"name": "Power BI", "days": 30})
    assert again.status_code == 400 and "already" in again.content.decode()
    assert client.get(reverse("api:tokens")).context["key"] is None  # shown only that once
    client.logout()
    response = _get(client, "/api/v1/strategies/", key)
    assert response.status_code == 200
    assert [s["slug"] for s in response.json()["results"]] == ["plan"]
    assert ApiToken.objects.get().last_used_at is not None
    client.force_login(world["board"])
    assert client.post(reverse("api:revoke", args=[token.pk])).status_code == 302
    client.logout()
    refused = _get(client, "/api/v1/strategies/", key)
    assert refused.status_code == 401 and refused["WWW-Authenticate"] == 'Bearer realm="api"'


@pytest.mark.parametrize("key", ["st_unknown", "not ascii é", ""])
def test_unknown_expired_or_missing_keys_get_401(client, world, key):
    token, good = ApiToken.issue(world["board"], "Old", days=1)
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - dt.timedelta(1))
    for sent in (good, key):
        headers = {"HTTP_AUTHORIZATION": f"Bearer {sent}"} if sent else {}
        assert client.get("/api/v1/values/", **headers).status_code == 401


def test_a_token_reads_exactly_what_its_person_may(client, world):
    _, key = ApiToken.issue(world["board"], "Reader", days=5)
    assert _get(client, "/api/v1/strategies/draft/", key).status_code == 404  # a draft
    assert _get(client, "/api/v1/strategies/theirs/", key).status_code == 404  # not theirs
    assert _get(client, "/api/v1/measures/THEIRS-M/", key).status_code == 404
    codes = {v["measure"] for v in _get(client, "/api/v1/values/", key).json()["results"]}
    assert codes == {"M1"}
    names = [o["name"] for o in _get(client, "/api/v1/organisations/", key).json()["results"]]
    assert names == ["Trust"]
    measure = _get(client, "/api/v1/measures/M1/", key).json()
    assert measure["strategy"] == "plan" and measure["unit"] == "count"


def test_values_filter_by_measure_and_period_and_bad_filters_say_which(client, world):
    _, key = ApiToken.issue(world["board"], "Reader", days=5)
    found = _get(
        client,
        "/api/v1/values/",
        key,
        measure="m1",
        period_end_after="2024-04-01",
        period_end_before="2024-12-31",
    ).json()["results"]
    assert [(v["period_end"], Decimal(v["value"])) for v in found] == [
        ("2024-06-30", 12),
        ("2024-09-30", 14),
    ]
    bad = _get(client, "/api/v1/values/", key, period_end_after="June")
    assert bad.status_code == 400 and "period_end_after" in bad.json()
    for wrong in (5000, "²", "١٠", "0", "-1", "10" * 10):
        big = _get(client, "/api/v1/values/", key, page_size=wrong)
        assert big.status_code == 400 and "page_size" in big.json(), wrong
    page = _get(client, "/api/v1/values/", key, page_size=2).json()
    assert page["count"] == 3 and len(page["results"]) == 2 and page["next"]
    # A page that is not a number is 400 naming it (it was 404 "Invalid page"); one past the
    # last is 404, and "last" is the last.
    for wrong in ("abc", "", "0", "-1", "1e3", "²", "1" * 30):
        bad_page = _get(client, "/api/v1/values/", key, page=wrong, page_size=2)
        assert bad_page.status_code == 400 and "page" in bad_page.json(), wrong
    for past in ("9", "9999999999", "0000000009"):  # whole numbers past the last page
        assert _get(client, "/api/v1/values/", key, page=past, page_size=2).status_code == 404
    assert _get(client, "/api/v1/values/", key, page="0001", page_size=2).status_code == 200
    assert (
        len(_get(client, "/api/v1/values/", key, page="last", page_size=2).json()["results"]) == 1
    )
    # A value changed after it was reported says so.
    value = MeasureValue.objects.get(measure__code="M1", period_end="2024-06-30")
    value.value = 13
    value.save()
    # A new note on a figure that stays as it was restates nothing.
    unchanged = MeasureValue.objects.get(measure__code="M1", period_end="2024-09-30")
    unchanged.note = "Typo fixed"
    unchanged.save()
    restated = _get(client, "/api/v1/values/", key, measure="M1").json()["results"]
    assert [(v["period_end"], v["restated"]) for v in restated] == [
        ("2024-03-31", False),
        ("2024-06-30", True),
        ("2024-09-30", False),
    ]


def test_a_flood_of_requests_gets_429_with_retry_after(client, world, monkeypatch):
    monkeypatch.setattr(UserRateThrottle, "THROTTLE_RATES", {"user": "3/minute"})
    _, key = ApiToken.issue(world["board"], "Busy", days=5)
    statuses = [_get(client, "/api/v1/measures/", key).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert int(_get(client, "/api/v1/measures/", key)["Retry-After"]) > 0


def test_every_request_is_logged_with_the_tokens_name(client, world, caplog):
    _, key = ApiToken.issue(world["board"], "Board pack", days=5)
    with caplog.at_level(logging.INFO, logger="api"):
        _get(client, "/api/v1/strategies/", key)
    assert "token='Board pack'" in caplog.text and "/api/v1/strategies/" in caplog.text


def test_an_address_cannot_write_a_line_of_its_own_into_the_log(client, world, caplog):
    """A line break in the address wrote a forged "api GET … 200 token=…" line."""
    forged = "x%0Aapi%20GET%20%20200%20user=1%20token='Power%20BI'%0A"
    with caplog.at_level(logging.INFO, logger="api"):
        client.get(f"/api/v1/strategies/{forged}/")
    lines = [r.getMessage() for r in caplog.records if r.name == "api"]
    assert len(lines) == 1 and "\n" not in lines[0] and "\\n" in lines[0]


def test_nobody_revokes_someone_elses_token(client, world, make_user):
    token, key = ApiToken.issue(world["board"], "Mine", days=5)
    client.force_login(make_user("other", ADMIN))
    assert client.post(reverse("api:revoke", args=[token.pk])).status_code == 404
    assert ApiToken.objects.get().revoked_at is None


def _closed_quarter(strategy, rag="amber"):
    """A closed 2024/25 Q1 of `strategy`, whose snapshot holds the strategy's roll-up."""
    from reporting.models import ReportingPeriod, SnapshotItem

    period = ReportingPeriod.objects.create(
        strategy=strategy,
        year=2024,
        quarter=1,
        opens_on=dt.date(2024, 6, 16),
        closes_on=dt.date(2024, 7, 21),
        state="closed",
        closed_at=dt.datetime(2024, 7, 2, tzinfo=dt.UTC),
    )
    return SnapshotItem.objects.create(
        period=period,
        level="strategy",
        object_id=strategy.pk,
        position=0,
        title=strategy.title,
        rag=rag,
        reason="1 of 3 milestones at risk",
        counts={"amber": 1, "green": 2},
    )


def test_closed_quarters_as_they_were_recorded_for_what_the_person_may_read(client, world):
    _closed_quarter(Strategy.objects.get(slug="plan"))
    _closed_quarter(Strategy.objects.get(slug="theirs"), rag="red")
    _, key = ApiToken.issue(world["board"], "Board pack", days=5)
    rows = _get(client, "/api/v1/snapshots/", key, level="strategy").json()["results"]
    assert [(r["strategy"], r["quarter"], r["rag"], r["counts"]) for r in rows] == [
        ("plan", "2024/25 Q1", "amber", {"amber": 1, "green": 2})
    ]
    bad = _get(client, "/api/v1/snapshots/", key, level="everything")
    assert bad.status_code == 400 and "level" in bad.json()
    for odd in ("1.5", "5", "x"):
        bad = _get(client, "/api/v1/snapshots/", key, quarter=odd)
        assert bad.status_code == 400 and "quarter" in bad.json(), odd
    assert _get(client, "/api/v1/snapshots/", key, year="2024", quarter="1").status_code == 200


def test_the_schema_validates_and_every_endpoint_in_it_answers(client, world):
    out = StringIO()
    call_command("spectacular", "--validate", "--fail-on-warn", stdout=out)
    # Each endpoint in its own words: four showed the sign-in mixin's docstring.
    assert "Signed in by a token" not in out.getvalue()
    schema = client.get(reverse("api:schema"), {"format": "json"}).json()
    _, key = ApiToken.issue(world["board"], "Schema", days=5)
    from tests.factories import make_milestone

    ids = {
        "snapshots": _closed_quarter(Strategy.objects.get(slug="plan")).pk,
        "organisations": world["trust"].pk,
        "values": MeasureValue.objects.filter(measure__code="M1").first().pk,
        "milestones": make_milestone(world["measures"]["M1"].objective).pk,
        "priorities": world["measures"]["M1"].objective.priority_id,
        "objectives": world["measures"]["M1"].objective_id,
    }
    for path in schema["paths"]:
        url = path.replace("{slug}", "plan").replace("{code}", "M1")
        if "{id}" in path:
            url = url.replace("{id}", str(ids[path.split("/")[3]]))
        assert _get(client, url, key).status_code == 200, url


def test_a_value_and_a_snapshot_row_carry_the_id_their_own_address_takes(client, world):
    """Both were documented at …/<id>/, but no answer said what an id was."""
    _, key = ApiToken.issue(world["board"], "Ids", days=5)
    _closed_quarter(Strategy.objects.get(slug="plan"))
    for kind in ("values", "snapshots"):
        first = _get(client, f"/api/v1/{kind}/", key).json()["results"][0]
        again = _get(client, f"/api/v1/{kind}/{first['id']}/", key)
        assert again.status_code == 200 and again.json() == first, kind


def test_the_schema_and_docs_are_read_whatever_key_is_sent(client, world):
    """Open to all: a revoked or mistyped key in a client's settings answered 401."""
    for url in (reverse("api:schema"), reverse("api:docs")):
        response = client.get(url, HTTP_AUTHORIZATION="Bearer st_not-a-key")
        assert response.status_code == 200, url


def test_priorities_and_objectives_are_those_of_strategies_the_person_reads(client, world):
    _, key = ApiToken.issue(world["board"], "Structure", days=5)
    priorities = _get(client, "/api/v1/priorities/", key).json()["results"]
    objectives = _get(client, "/api/v1/objectives/", key, strategy="plan").json()["results"]
    assert [p["strategy"] for p in priorities] == ["plan"]  # not the draft, not the council's
    assert [(o["strategy"], o["priority"]) for o in objectives] == [("plan", "1")]
    theirs = world["measures"]["THEIRS-M"].objective
    assert _get(client, f"/api/v1/objectives/{theirs.pk}/", key).status_code == 404
    assert _get(client, f"/api/v1/priorities/{theirs.priority_id}/", key).status_code == 404


def test_the_documentation_is_served_from_this_server(client):
    page = client.get(reverse("api:docs")).content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in page
    assert "<script>" not in page and "//cdn" not in page  # no inline script, no CDN
    script = client.get(reverse("api:docs"), {"script": ""})
    assert script.status_code == 200 and reverse("api:schema") in script.content.decode()


def test_the_api_can_be_browsed_signed_in(client, world):
    client.force_login(world["board"])
    page = client.get("/api/v1/strategies/", HTTP_ACCEPT="text/html")
    assert page.status_code == 200 and "plan" in page.content.decode()
    assert client.get("/api/v1/strategies/theirs/", HTTP_ACCEPT="text/html").status_code == 404


def test_a_format_the_address_has_not_is_refused_naming_those_it_has(client, world):
    """`?format=csv` got a bare "Not found.", as for an address that does not exist."""
    client.force_login(world["board"])
    refused = client.get("/api/v1/values/", {"format": "csv"})
    assert refused.status_code == 404
    assert refused.json()["detail"] == (
        "No format “csv” here: this address answers in “json” or “api”. "
        "Figures come as CSV from /api/v1/values.csv."
    )
    assert client.get("/api/v1/values/", {"format": "json"}).status_code == 200
    assert client.get("/api/v1/strategies/nothing-of-that-name/").json() == {
        "detail": "No Strategy matches the given query."
    }


def test_values_come_as_one_csv_stream_with_the_same_filters_and_reach(client, world):
    _, key = ApiToken.issue(world["board"], "Power BI", days=5)
    MeasureValue.objects.filter(measure__code="M1", period_end__month=9).update(note="=HYPERLINK()")
    response = _get(client, "/api/v1/values.csv", key, period_end_after="2024-04-01")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert text.splitlines() == [
        "measure,period_end,value,note,source,restated,period,illustrative",
        "M1,2024-06-30,12,,,false,,false",
        "M1,2024-09-30,14,'=HYPERLINK(),,false,,false",  # a formula is never run by a spreadsheet
    ]
    bad = _get(client, "/api/v1/values.csv", key, period_end_before="soon")
    assert bad.status_code == 400 and "period_end_before" in bad.json()
    assert client.get("/api/v1/values.csv").status_code == 401


def test_milestones_with_their_colour_reason_and_history(client, world):
    from milestones.models import Milestone
    from tests.factories import make_milestone

    measure = world["measures"]["M1"]
    milestone = make_milestone(measure.objective, title="Open the hub", owner=world["board"])
    hidden = make_milestone(world["measures"]["THEIRS-M"].objective, title="Theirs")
    milestone.record_update(
        by=world["board"],
        expected_version=milestone.version,
        status="at_risk",
        commentary="Builders late",
        forecast_date=None,
    )
    _, key = ApiToken.issue(world["board"], "Reader", days=5)
    listed = _get(client, "/api/v1/milestones/", key, strategy="plan").json()["results"]
    assert [(m["title"], m["status"], m["strategy"]) for m in listed] == [
        ("Open the hub", "at_risk", "plan")
    ]
    assert listed[0]["rag"] in ("amber", "red") and listed[0]["rag_reason"]
    history = _get(client, f"/api/v1/milestones/{milestone.pk}/history/", key).json()
    assert [h["status"] for h in history] == ["not_started", "at_risk"]
    assert history[-1]["commentary"] == "Builders late"
    assert _get(client, f"/api/v1/milestones/{hidden.pk}/history/", key).status_code == 404
    # The list's filters are not the history's: ?status= made it 404 (the schema listed them).
    url = f"/api/v1/milestones/{milestone.pk}/history/"
    assert len(_get(client, url, key, status="complete").json()) == 2
    bad = _get(client, "/api/v1/milestones/", key, status="sideways")
    assert bad.status_code == 400 and "status" in bad.json()
    assert Milestone.objects.get(pk=milestone.pk).status == "at_risk"


def test_a_person_holds_at_most_twenty_working_tokens(client, world):
    for n in range(20):
        ApiToken.issue(world["board"], f"T{n}", days=5)
    client.force_login(world["board"])
    refused = client.post(reverse("api:tokens"), {"name": "One more", "days": 5})
    assert refused.status_code == 400 and "revoke one first" in refused.content.decode()
    assert ApiToken.objects.count() == 20


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/priorities/",
        "/api/v1/objectives/",
        "/api/v1/milestones/",
        "/api/v1/values/",
        "/api/v1/values.csv",
        "/api/v1/snapshots/",
    ],
)
def test_a_strategy_nobody_may_read_by_that_name_is_refused_not_an_empty_list(client, world, url):
    """values.csv?strategy=nope answered a header row alone: a slip in a Power BI address
    looked like a strategy without figures (found by a bad-input pass)."""
    _, key = ApiToken.issue(world["board"], "Reader", days=5)
    for slug in ("nope", "draft", "theirs"):
        response = _get(client, url, key, strategy=slug)
        assert response.status_code == 400, (url, slug)
        assert f"No strategy you may read has the short name “{slug}”." in response.content.decode()
    assert _get(client, url, key, strategy="plan").status_code == 200


@pytest.mark.parametrize("url", ["/api/v1/values/", "/api/v1/values.csv"])
def test_a_measure_nobody_may_read_by_that_code_is_refused_not_an_empty_list(client, world, url):
    """values?measure=NOPE answered an empty list, as a measure without figures would: a slip
    in a report's address looked like no figures (left out in the twenty-fourth session)."""
    _, key = ApiToken.issue(world["board"], "Reader", days=5)
    for code in ("NOPE", "DRAFT-M", "THEIRS-M"):
        response = _get(client, url, key, measure=code)
        assert response.status_code == 400, (url, code)
        assert f"No measure you may read has the code “{code}”." in response.content.decode()
    # Read as before, whatever its case.
    assert _get(client, url, key, measure="m1").status_code == 200


def test_only_the_browsable_pages_allow_inline_styles(client, world):
    """DRF's page carries a <style> and style attributes: allowed there (and in Swagger UI),
    never in the JSON a client reads, and never an inline script."""
    client.force_login(world["board"])
    browsable = client.get("/api/v1/priorities/", HTTP_ACCEPT="text/html")
    assert "style-src-attr 'unsafe-inline'" in browsable["Content-Security-Policy"]
    docs = client.get("/api/v1/docs/")
    assert "style-src-attr 'unsafe-inline'" in docs["Content-Security-Policy"]
    data = client.get("/api/v1/priorities/", HTTP_ACCEPT="application/json")
    for response in (browsable, docs, data):
        policy = response["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "script-src 'self' 'unsafe" not in policy
    assert "unsafe-inline" not in data["Content-Security-Policy"]
