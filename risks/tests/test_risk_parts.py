"""The heat map and a priority's list of risks, written in Python (risks/templatetags/
risk_parts.py): what a person typed is escaped, each risk links to its page, and each
judgement is in words, never colour alone."""

import datetime as dt
from types import SimpleNamespace

from risks.scoring import band_of, heat_map
from risks.templatetags.risk_parts import heat_map_table, risk_list_items

HOSTILE = '<script>alert("x")</script>'
STRATEGY = SimpleNamespace(slug="trust-plan")


def _risk(**fields):
    scores = dict(current_likelihood=4, current_impact=5, target_likelihood=2, target_impact=2)
    snapshot = SimpleNamespace(number=7, title=HOSTILE, owner="", threatens=HOSTILE, **scores)
    snapshot.__dict__.update(fields)
    return snapshot


def test_the_heat_map_escapes_titles_and_links_only_on_the_register():
    risks = [_risk()]
    linked = heat_map_table(heat_map(risks), "Caption & more", STRATEGY)
    unlinked = heat_map_table(heat_map(risks), "Caption & more")
    for html in (linked, unlinked):
        assert HOSTILE not in html and "&lt;script&gt;" in html
        assert "<caption>Caption &amp; more</caption>" in html
        assert "20 Extreme</span><ul><li>" in html  # likelihood 4 × impact 5
        assert html.count(", no risks</span>") == 24  # the other cells say so in words
    assert '<a href="/strategies/trust-plan/risks/7/">R7<span' in linked
    assert "<a " not in unlinked


def _listed(**fields):
    risk = _risk(
        status="open",
        review_date=dt.date(2025, 1, 31),
        above_appetite=True,
        owner=SimpleNamespace(get_full_name=lambda: "", username="<lead>"),
        reference="R7",
        current_score=20,
        current_band=band_of(20),
    )
    risk.__dict__.update(fields)
    return risk


def test_a_risk_list_says_above_appetite_overdue_or_closed_in_words():
    today = dt.date(2025, 3, 1)
    overdue = risk_list_items([_listed()], STRATEGY, today)
    assert HOSTILE not in overdue and "&lt;script&gt;" in overdue
    assert '<a href="/strategies/trust-plan/risks/7/">R7: &lt;script&gt;' in overdue
    assert "Above appetite" in overdue and "Review overdue</strong> (due 31 Jan 2025)" in overdue
    assert "; owner &lt;lead&gt;</li>" in overdue and "20</strong> Extreme" in overdue
    closed = risk_list_items([_listed(status="closed", above_appetite=False)], STRATEGY, today)
    assert "(closed)" in closed and "overdue" not in closed and "appetite" not in closed
    fresh = risk_list_items([_listed(review_date=today, owner=None)], STRATEGY, today)
    assert "overdue" not in fresh and "owner" not in fresh
