"""No text anyone typed is rendered unescaped: a <script> planted in every text field of the
seed strategies appears on no page as markup."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import models

from measures.models import Measure, MeasureValue
from milestones.models import Milestone
from objectives.models import Objective, Organisation, Priority, Strategy

pytestmark = pytest.mark.django_db
PAYLOAD = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def _plant(model) -> None:
    text_fields = [
        f.name
        for f in model._meta.get_fields()
        if isinstance(f, (models.CharField, models.TextField))
        and not f.choices
        and f.name not in ("slug", "code", "due_text", "period_text")
    ]
    for obj in model.objects.all():
        for name in text_fields:
            limit = model._meta.get_field(name).max_length or 10_000
            setattr(obj, name, (PAYLOAD + getattr(obj, name))[:limit])
        obj.save()


def test_planted_markup_is_escaped_on_every_page(client, board_member, programme_lead):
    call_command("load_seeds", stdout=StringIO())
    milestone = Milestone.objects.filter(
        objective__priority__strategy__slug="thurrock-hwbs-2013"
    ).first()
    milestone.record_update(
        by=programme_lead,
        expected_version=milestone.version,
        status="at_risk",
        commentary=PAYLOAD,
        forecast_date=None,
    )
    measure = Measure.objects.get(code="EPUT-DIS-MONTHLY-REFERRALS")
    MeasureValue.objects.create(
        measure=measure, period_end=dt.date(2023, 3, 31), value=5, note=PAYLOAD
    )
    for model in (Organisation, Strategy, Priority, Objective, Milestone, Measure, MeasureValue):
        _plant(model)
    client.force_login(board_member)
    thurrock = Strategy.objects.get(slug="thurrock-hwbs-2013")
    objective = milestone.objective
    urls = [
        "/strategies/",
        thurrock.get_absolute_url(),
        objective.priority.get_absolute_url(),
        objective.get_absolute_url(),
        milestone.get_absolute_url(),
        measure.get_absolute_url(),
        "/strategies/eput-mse-community-2023/",
        "/strategies/eput-mse-community-2023/priorities/1/",
    ]
    for url in urls:
        html = client.get(url).content.decode()
        assert "<script>alert" not in html, url
        assert "<img src=x" not in html, url
        assert "&lt;script&gt;alert" in html or "\\u003Cscript\\u003Ealert" in html, url
