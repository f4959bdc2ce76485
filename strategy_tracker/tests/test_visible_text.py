"""A title or name is text a page can show: never spaces and invisible characters alone (a
blank link), nor a control character (which a workbook drops, so it would read back changed)."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from api.models import ApiToken
from editor.tests.test_editor_screens import _item_url, _seen
from measures.models import Measure
from milestones.models import Milestone
from objectives.models import Objective, Priority, Strategy
from risks.models import Risk
from strategy_tracker.visible_text import visible_text
from tests.factories import make_objective, make_priority, make_strategy

pytestmark = pytest.mark.django_db
INVISIBLE = "\u200b\u2060 "


@pytest.mark.parametrize("text", ["Care closer to home", "Two\nlines", "Tab\there", "٣ wards"])
def test_text_that_shows_is_accepted(text):
    visible_text(text)


@pytest.mark.parametrize(
    "text,words",
    [
        (INVISIBLE, "spaces and invisible characters alone"),
        ("\u200e", "spaces and invisible characters alone"),
        ("Care\x1b closer", "control character (U+001B)"),
        ("A\x01B", "control character (U+0001)"),
    ],
)
def test_text_that_shows_nothing_or_cannot_be_shown_is_refused(text, words):
    with pytest.raises(ValidationError, match=re.escape(words)):
        visible_text(text)


@pytest.mark.parametrize(
    "model,field",
    [
        (Strategy, "title"),
        (Priority, "title"),
        (Objective, "title"),
        (Milestone, "title"),
        (Measure, "name"),
        (Risk, "title"),
        (ApiToken, "name"),
    ],
)
def test_every_title_and_name_is_checked(model, field):
    assert visible_text in model._meta.get_field(field).validators


def test_the_editor_refuses_an_invisible_title_and_keeps_the_old_one(client, admin_user):
    strategy = make_strategy(status="draft")
    objective = make_objective(make_priority(strategy), title="Old title")
    url = _item_url(strategy, "objective", objective.pk)
    client.force_login(admin_user)
    response = client.post(url, {"title": INVISIBLE, "seen": _seen(client, url)})
    assert response.status_code == 400
    assert "spaces and invisible characters alone show nothing" in response.content.decode()
    objective.refresh_from_db()
    assert objective.title == "Old title"


def test_a_token_named_with_invisible_characters_alone_is_not_made(client, admin_user):
    client.force_login(admin_user)
    response = client.post(reverse("api:tokens"), {"name": "\u200b", "days": 30})
    assert "spaces and invisible characters alone show nothing" in response.content.decode()
    assert not ApiToken.objects.exists()
