"""The read API gives a strategy's period in its document's words beside its dates."""

import datetime as dt

import pytest

from api.models import ApiToken
from tests.factories import make_strategy

pytestmark = pytest.mark.django_db


def test_a_strategy_gives_its_documents_wording_of_its_period(client, board_member):
    make_strategy(
        slug="thurrock",
        period_start=dt.date(2013, 4, 1),
        period_end=dt.date(2016, 3, 31),
        period_text="2013 – 2016",
    )
    _, key = ApiToken.issue(board_member, "Power BI", days=1)
    response = client.get("/api/v1/strategies/thurrock/", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 200
    body = response.json()
    assert (body["period_text"], body["period_start"], body["period_end"]) == (
        "2013 – 2016",
        "2013-04-01",
        "2016-03-31",
    )


def test_a_measure_gives_its_baselines_and_targets_document_wording(client, board_member):
    from tests.factories import make_measure, make_objective, make_priority

    strategy = make_strategy(slug="plan")
    make_measure(
        make_objective(make_priority(strategy)),
        code="VAC",
        baseline_period=dt.date(2020, 3, 31),
        baseline_period_text="2019/20",
        target_date=dt.date(2028, 3, 31),
        target_period_text="by 2027/28",
    )
    _, key = ApiToken.issue(board_member, "Power BI", days=1)
    body = client.get("/api/v1/measures/VAC/", HTTP_AUTHORIZATION=f"Bearer {key}").json()
    assert (body["baseline_period_text"], body["target_period_text"]) == ("2019/20", "by 2027/28")
