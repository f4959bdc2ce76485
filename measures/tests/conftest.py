import datetime as dt
from decimal import Decimal

import pytest

from tests.factories import make_measure, make_objective


@pytest.fixture
def measures():
    objective = make_objective()
    return {
        "PCT": make_measure(
            objective,
            code="PCT",
            name="People independent after reablement",
            unit="%",
            direction="higher",
            baseline_period=dt.date(2020, 3, 31),
            baseline_value=Decimal(91),
        ),
        "CNT": make_measure(objective, code="CNT", name="Referrals", unit="count"),
        "NUM": make_measure(objective, code="NUM", name="Net change", unit="number"),
    }


@pytest.fixture
def signed_in_admin(client, admin_user):
    client.force_login(admin_user)
    return client
