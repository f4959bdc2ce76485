"""A strategy's risk counts (RiskQuerySet.counts), judged in Python by Risk's own rules, agree
with the same counts made in SQL through with_scores(), in one query."""

import datetime as dt

import pytest
from django.db.models import Count, F, Q
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from risks.models import Risk
from risks.scoring import APPETITE_LIMITS
from tests.examples import examples
from tests.factories import make_objective, make_risk

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 6, 30)

risks = st.lists(
    st.fixed_dictionaries(
        {
            # The inherent score at most and the target at least, as the constraints ask.
            "inherent_likelihood": st.just(5),
            "inherent_impact": st.just(5),
            "target_likelihood": st.just(1),
            "target_impact": st.just(1),
            "current_likelihood": st.integers(1, 5),
            "current_impact": st.integers(1, 5),
            "appetite": st.sampled_from(list(APPETITE_LIMITS)),
            "status": st.sampled_from(["open", "closed"]),
            # Either side of today, and today itself: a review due today is not overdue.
            "review_date": st.integers(-2, 2).map(lambda days: TODAY + dt.timedelta(days=days)),
        }
    ),
    max_size=8,
)


def _counted_in_sql(queryset) -> dict[str, int]:
    return (
        queryset.open()
        .with_scores()
        .aggregate(
            open=Count("id"),
            above_appetite=Count("id", filter=Q(current_value__gt=F("appetite_value"))),
            review_overdue=Count("id", filter=Q(review_date__lt=TODAY)),
        )
    )


@pytest.fixture
def objective():
    return make_objective()


@settings(
    max_examples=examples(40),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(fields=risks)
def test_the_counts_agree_with_sql(objective, fields):
    strategy = objective.priority.strategy
    Risk.objects.filter(strategy=strategy).delete()
    for number, each in enumerate(fields, start=1):
        make_risk(objective, number=number, **each)
    assert strategy.risks.counts(TODAY) == _counted_in_sql(strategy.risks.all())


def test_the_counts_take_one_query(objective, django_assert_num_queries):
    ahead = TODAY + dt.timedelta(days=30)
    make_risk(objective, current_likelihood=5, current_impact=4, appetite="open", review_date=ahead)
    # 4 × 3 = 12, at an open appetite's limit and not above it.
    make_risk(objective, appetite="open", review_date=TODAY - dt.timedelta(days=1))
    make_risk(objective, status="closed", review_date=TODAY - dt.timedelta(days=1))
    strategy = objective.priority.strategy
    with django_assert_num_queries(1):
        counts = strategy.risks.counts(TODAY)
    assert counts == {"open": 2, "above_appetite": 1, "review_overdue": 1}
