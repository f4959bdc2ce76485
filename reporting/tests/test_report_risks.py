"""Strategic risks in the quarter's close and the board report."""

import datetime as dt

import pytest
from django.urls import reverse

from public.models import Publication
from reporting.quarters import Quarter
from reporting.tests.helpers import close_quarter, q2_strategy
from risks.models import Risk
from tests.factories import make_risk

pytestmark = pytest.mark.django_db
Q2, Q3 = Quarter(2024, 2), Quarter(2024, 3)


def _report(client, period) -> str:
    url = reverse("reporting:period_report", args=[period.strategy.slug, period.pk])
    page = client.get(url).content.decode()
    return page.split('id="risks"')[1].split('id="changes"')[0]


def test_close_keeps_each_open_risk_as_it_stood(admin_user, programme_lead):
    strategy = q2_strategy(programme_lead)
    objective = strategy.priorities.get().objectives.get()
    risk = make_risk(objective, title="Staffing", review_date=dt.date(2024, 9, 1), owner=admin_user)
    make_risk(objective, title="Gone", status="closed")
    period = close_quarter(strategy, Q2, admin_user)
    kept = period.risk_snapshot.get()
    assert (kept.risk_id, kept.title, kept.current_score, kept.owner) == (
        risk.id,
        "Staffing",
        12,
        "Ada Admin",
    )
    assert kept.threatens == "objective 1.1"
    assert kept.review_overdue  # due 1 September, the quarter ended 30 September
    Risk.objects.filter(pk=risk.pk).update(current_likelihood=2, title="Renamed")
    kept.refresh_from_db()
    assert (kept.current_score, kept.title) == (12, "Staffing")


def test_the_report_shows_risks_above_appetite_and_scores_moved_since(
    client, admin_user, board_member, programme_lead
):
    strategy = q2_strategy(programme_lead)
    objective = strategy.priorities.get().objectives.get()
    rising = make_risk(objective, title="Staffing", appetite="open")  # 12, open accepts 12
    steady = make_risk(objective, title="Estates", current_likelihood=2, current_impact=2)
    q2 = close_quarter(strategy, Q2, admin_user)
    client.force_login(board_member)
    first = _report(client, q2)
    assert "2 open risks when 2024/25 Q2 closed: 0 above appetite" in first
    above = first.split('id="risks-above-appetite"')[1].split("</table>")[0]
    assert "No risk was above its appetite" in above
    assert "no closed report of an earlier quarter" in first

    Risk.objects.filter(pk=rising.pk).update(current_likelihood=5)  # 15: above
    Risk.objects.filter(pk=steady.pk).update(status="closed")
    added = make_risk(objective, title="Cyber attack")
    q3 = close_quarter(strategy, Q3, admin_user)
    second = _report(client, q3)
    above = second.split('id="risks-above-appetite"')[1].split("</table>")[0]
    assert "R1: Staffing" in above and "R3: Cyber attack" in above
    staffing = above.split("R1: Staffing")[1].split("</tr>")[0]
    assert (
        '<td data-label="Target"><span class="risk-score risk-moderate"><strong>4</strong> Moderate'
        in staffing
    )
    moved = second.split('id="risks-moved"')[1].split('id="risks-heat-map"')[0]
    assert "R1: Staffing: score up from 12 (high) to 15 (extreme)" in moved
    assert f"R{added.number}: Cyber attack: new, scored 12 (high)" in moved
    assert "R2: Estates: closed (was 4, moderate)" in moved
    # The first report is as it was.
    assert _report(client, q2) == first


def test_the_public_report_leaves_risks_out(client, admin_user, programme_lead):
    strategy = q2_strategy(programme_lead)
    make_risk(strategy.priorities.get().objectives.get(), title="Staffing")
    close_quarter(strategy, Q2, admin_user)
    Publication.objects.create(strategy=strategy, is_public=True)
    page = client.get(reverse("public:report", args=["s", "2024-25-q2"])).content.decode()
    assert 'id="exceptions"' in page and "Staffing" not in page and 'id="risks"' not in page


def test_a_quarter_closed_before_risks_were_kept_shows_none_and_is_not_compared(
    client, admin_user, board_member, programme_lead
):
    strategy = q2_strategy(programme_lead)
    q2 = close_quarter(strategy, Q2, admin_user)
    q2.as_closed.pop("risks_kept")  # as a quarter closed before this release
    q2.save()
    make_risk(strategy.priorities.get().objectives.get(), title="Staffing")
    q3 = close_quarter(strategy, Q3, admin_user)
    client.force_login(board_member)
    old = client.get(reverse("reporting:period_report", args=["s", q2.pk])).content.decode()
    assert 'id="risks"' not in old
    assert "2024/25 Q2 closed before strategic risks were kept" in _report(client, q3)
