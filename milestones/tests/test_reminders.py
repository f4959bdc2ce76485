import datetime as dt
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from tests.factories import make_milestone

pytestmark = pytest.mark.django_db


def _run(*args) -> str:
    out = StringIO()
    call_command("send_update_reminders", *args, stdout=out)
    return out.getvalue()


def test_it_lists_and_emails_owners_with_milestones_to_update(milestone, programme_lead, settings):
    programme_lead.email = "lee.lead@example.nhs.uk"
    programme_lead.save()
    make_milestone(milestone.objective, title="Done", owner=programme_lead, status="complete")
    make_milestone(
        milestone.objective,
        title="Fresh",
        owner=programme_lead,
        last_updated_at=timezone.now() - dt.timedelta(days=2),
    )

    output = _run()

    assert "Lee Lead <lee.lead@example.nhs.uk>: 1 to update" in output
    assert milestone.title in output
    assert "Done" not in output and "Fresh" not in output
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["lee.lead@example.nhs.uk"]
    assert settings.SITE_URL + milestone.get_absolute_url() in mail.outbox[0].body


def test_list_only_sends_nothing(milestone):
    assert "1 to update" in _run("--list-only")
    assert mail.outbox == []


def test_nothing_to_remind(milestone):
    milestone.status = "complete"
    milestone.save()
    assert _run() == "No milestone needs an update.\n"


def test_each_milestone_in_the_email_names_its_strategy(milestone, programme_lead):
    """A lead with milestones in two strategies could not tell which was which."""
    programme_lead.email = "lee.lead@example.nhs.uk"
    programme_lead.save()
    _run()
    (message,) = mail.outbox
    strategy = milestone.objective.priority.strategy
    assert f"- {milestone.title} ({strategy.title}): " in message.body


def test_the_illustrative_examples_milestones_are_labelled_in_the_email(milestone, programme_lead):
    """The README said so; only the quarterly return's reminder did."""
    programme_lead.email = "lee.lead@example.nhs.uk"
    programme_lead.save()
    strategy = milestone.objective.priority.strategy
    type(strategy).objects.filter(pk=strategy.pk).update(illustrative=True)
    _run()
    (message,) = mail.outbox
    assert (
        f"- {milestone.title} ({strategy.title} (illustrative data, not from a published "
        "document)): " in message.body
    ), message.body
