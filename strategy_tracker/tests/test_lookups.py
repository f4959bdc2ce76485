"""field__any_of finds exactly what field__in finds, on PostgreSQL as one array parameter."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from objectives.models import Organisation
from tests.examples import examples

pytestmark = pytest.mark.django_db

# Every character PostgreSQL keeps in text (it refuses NUL), and those its array syntax uses.
names = st.text(st.characters(codec="utf-8", exclude_characters="\x00"), max_size=30)
TRICKY = ['a "quoted" name', "back\\slash", "{braces}", "a, comma", " ", "", "NULL", "é ü 中"]


@pytest.fixture
def organisations():
    return {name: Organisation.objects.create(name=name).pk for name in TRICKY}


def _found(**lookup) -> set[int]:
    return set(Organisation.objects.filter(**lookup).values_list("pk", flat=True))


@settings(
    max_examples=examples(60),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(wanted=st.lists(st.one_of(names, st.sampled_from(TRICKY)), max_size=8))
def test_text_finds_what_in_finds(organisations, wanted):
    assert _found(name__any_of=wanted) == _found(name__in=wanted)


def test_whole_numbers_and_none_find_what_in_finds(organisations):
    ids = [*organisations.values(), 10**12, None]
    assert _found(pk__any_of=ids) == _found(pk__in=ids) == set(organisations.values())
    if connection.vendor == "postgresql":  # SQLite's driver refuses them for __in too
        beyond_bigint = [*organisations.values(), 10**20, -(10**20)]
        assert _found(pk__any_of=beyond_bigint) == _found(pk__in=beyond_bigint)
    assert _found(pk__any_of=[]) == _found(pk__any_of=[None]) == set()


def test_a_longer_text_never_matches_one_cut_short(organisations):
    longest = "x" * 200  # Organisation.name is at most 200 characters
    Organisation.objects.create(name=longest)
    assert _found(name__any_of=[longest + "y"]) == set()
    assert len(_found(name__any_of=[longest])) == 1


def test_a_subquery_and_mixed_values_are_read_as_in_reads_them(organisations):
    subquery = Organisation.objects.filter(name__startswith="a").values("pk")
    assert _found(pk__any_of=subquery) == _found(pk__in=subquery) != set()
    mixed = [organisations["NULL"], str(organisations["é ü 中"])]
    assert _found(pk__any_of=mixed) == _found(pk__in=mixed) == set(mixed[:1]) | {int(mixed[1])}


def test_other_values_are_left_to_in():
    import datetime as dt

    from strategy_tracker.lookups import _array_literal

    assert _array_literal([dt.date(2024, 3, 31)], text=False) is None
    assert _array_literal([1, "1"], text=False) is None
    assert _array_literal([True], text=False) is _array_literal(["1"], text=False) is None
    assert _array_literal([2**63], text=False) is None
    assert _array_literal([2**63 - 1], text=False) == ("bigint", f"{{{2**63 - 1}}}")
    assert _array_literal([1], text=True) is None
    assert _array_literal(['say "hi"\\'], text=True) == ("text", '{"say \\"hi\\"\\\\"}')
    # Codes with nothing to escape are joined as they are; one that needs it escapes them all.
    assert _array_literal(["A-1", "", "b, {c}", "NULL"], text=True) == (
        "text",
        '{"A-1","","b, {c}","NULL"}',
    )
    assert _array_literal(["A-1", 'x"y', "z\\"], text=True) == (
        "text",
        '{"A-1","x\\"y","z\\\\"}',
    )


def test_postgresql_gets_one_array_parameter_for_many_values(organisations):
    with CaptureQueriesContext(connection) as queries:
        _found(pk__any_of=list(range(1, 1001)))
        _found(name__any_of=[f"name {n}" for n in range(1000)])
    for query, element_type in zip(queries, ("bigint", "text"), strict=True):
        sql = query["sql"]
        if connection.vendor == "postgresql":
            assert "= ANY(" in sql and f"::{element_type}[])" in sql, sql[:200]
            assert " IN (" not in sql
        else:
            assert " IN (" in sql


def test_plain_ids_and_codes_are_taken_as_they_are_and_anything_else_is_prepared(
    organisations, monkeypatch
):
    """A thousand ids or codes from an import are not prepared one by one; a value of
    another type is prepared as `__in` prepares it (the string "5" finds 5)."""
    from django.db.models import CharField, IntegerField

    def refuse(field, value):
        raise AssertionError(f"{value!r} prepared one by one")

    ids = list(organisations.values())
    with monkeypatch.context() as patched:
        patched.setattr(IntegerField, "get_prep_value", refuse)
        patched.setattr(CharField, "get_prep_value", refuse)
        assert _found(pk__any_of=ids) == set(ids)
        assert _found(name__any_of=set(TRICKY)) == set(ids)
        assert _found(pk__any_of=(ids[0], 10**12)) == {ids[0]}
    assert _found(pk__any_of=[str(ids[0]), ids[1]]) == {ids[0], ids[1]}
    assert _found(pk__any_of=[True]) == _found(pk__in=[True])


@settings(
    max_examples=examples(40),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(wanted=st.lists(st.integers(min_value=-5, max_value=2**40), max_size=8))
def test_whole_numbers_find_what_in_finds(organisations, wanted):
    wanted = [*wanted, organisations["NULL"]]
    found = _found(pk__any_of=wanted)
    assert found == _found(pk__in=wanted) and organisations["NULL"] in found
