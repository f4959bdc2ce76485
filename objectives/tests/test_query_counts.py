"""No page's queries grow with the data: each page of a strategy four times the size of
another makes no more queries than the smaller one's."""

import pytest
from django.utils import timezone

from milestones.models import Milestone
from objectives.models import Strategy
from objectives.tests.test_dashboard_pages import _queries
from tests.factories import make_big_strategy

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def _sizes(module_transaction) -> tuple[int, int]:
    """Built once for the module's tests (ids: each test reads its own copies)."""
    today = timezone.localdate()
    small = make_big_strategy(size=1, today=today, slug="small")
    big = make_big_strategy(size=4, today=today, slug="big")
    return small.pk, big.pk


@pytest.fixture
def sizes(_sizes) -> tuple[Strategy, Strategy]:
    return tuple(Strategy.objects.get(pk=pk) for pk in _sizes)


@pytest.mark.parametrize(
    "url",
    [
        "/strategies/",
        "/strategies/{slug}/",
        "/strategies/{slug}/priorities/1/",
        "/strategies/{slug}/priorities/1/objectives/1/",
        "/strategies/{slug}/milestones/",
        "/strategies/{slug}/milestones/?rag=red&sort=due_date",
        "/strategies/{slug}/export.json",
    ],
)
def test_each_page_makes_the_same_number_of_queries_at_any_size(
    signed_in, sizes, url, django_assert_max_num_queries
):
    small, big = sizes
    assert Milestone.objects.filter(objective__priority__strategy=big).count() > 300

    small_count = _queries(signed_in, url.format(slug=small.slug))
    with django_assert_max_num_queries(small_count):
        signed_in.get(url.format(slug=big.slug))
    assert small_count <= 20  # 20: an objective page lists its strategic risks (issue 21)


def test_the_measure_page_makes_the_same_number_of_queries_at_any_size(signed_in, sizes):
    small, big = sizes
    small_measure = small.priorities.first().objectives.first().measures.first()
    big_measure = big.priorities.first().objectives.first().measures.first()
    assert big_measure.values.count() > small_measure.values.count()
    assert _queries(signed_in, small_measure.get_absolute_url()) == _queries(
        signed_in, big_measure.get_absolute_url()
    )


@pytest.mark.parametrize("url", ["/strategies/", "/strategies/{slug}/"])
def test_pages_reading_stored_readings_make_the_same_queries_at_any_size(
    signed_in, sizes, url, django_assert_max_num_queries
):
    from measures.readings import refresh

    small, big = sizes
    refresh()
    small_count = _queries(signed_in, url.format(slug=small.slug))
    with django_assert_max_num_queries(small_count):
        signed_in.get(url.format(slug=big.slug))
