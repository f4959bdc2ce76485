"""The dashboard's exceptions, written in Python: what a person entered is escaped, and a long
report is cut short with its line breaks kept."""

import datetime as dt

import pytest
from django.utils import timezone

from tests.factories import make_milestone, make_objective

pytestmark = pytest.mark.django_db


def test_what_people_entered_is_escaped_and_a_report_keeps_its_line_breaks(
    client, board_member, programme_lead
):
    programme_lead.first_name, programme_lead.last_name = "<b>Lee</b>", "& Co"
    programme_lead.save()
    objective = make_objective()
    make_milestone(
        objective,
        heading="Phase <1>",
        title="<script>alert(1)</script> the hub",
        due_date=timezone.localdate() - dt.timedelta(days=3),
        due_text="by <i>spring</i>",
        owner=programme_lead,
        status="at_risk",
        commentary="First line <em>\nsecond line " + "x" * 500,
        last_updated_at=timezone.now(),
        last_updated_by=programme_lead,
    )
    client.force_login(board_member)
    page = client.get(objective.priority.strategy.get_absolute_url()).content.decode()
    rows = page[page.index('id="attention"') : page.index('id="timeline"')]

    assert "<script>alert" not in rows and "&lt;script&gt;alert(1)&lt;/script&gt; the hub" in rows
    assert '<span class="heading">Phase &lt;1&gt;:</span>' in rows
    assert "by &lt;i&gt;spring&lt;/i&gt;" in rows
    assert rows.count("&lt;b&gt;Lee&lt;/b&gt; &amp; Co") == 2  # the owner, and who reported
    assert "First line &lt;em&gt;<br>second line x" in rows
    assert "x" * 400 not in rows and "…</blockquote>" in rows
    assert "<strong>Reported overdue" not in rows and "<strong>Reported at risk</strong>" in rows


def test_a_row_without_an_owner_date_or_reporter_says_so(client, board_member):
    objective = make_objective()
    make_milestone(
        objective, title="Open the hub", status="at_risk", last_updated_at=timezone.now()
    )
    client.force_login(board_member)
    page = client.get(objective.priority.strategy.get_absolute_url()).content.decode()
    rows = page[page.index('id="attention"') : page.index('id="timeline"')]
    row = rows[rows.index("Open the hub") : rows.index("</tr>", rows.index("Open the hub"))]

    assert '<td data-label="Owner"><span class="muted">Nobody yet</span></td>' in row
    assert '<td data-label="Due">No date <span class="muted"></span></td>' in row
    assert "<strong>Reported at risk</strong></p>" in row and "forecast" not in row
    assert "commentary" not in row
    assert f'<p class="muted">Someone, {timezone.localdate():%-d %b %Y}</p>' in row
