import pytest
from django.db import IntegrityError, transaction

from milestones.models import Milestone
from tests.factories import make_milestone

pytestmark = pytest.mark.django_db


def test_a_milestone_status_must_be_a_known_one():
    with pytest.raises(IntegrityError), transaction.atomic():
        make_milestone(status="done-ish")


def test_every_documented_status_is_accepted():
    for status in Milestone.Status.values:
        assert make_milestone(status=status).status == status


def test_a_milestone_may_have_no_due_date_but_keeps_the_documents_wording():
    milestone = make_milestone(title="Extensive Review of Accident and Emergency", due_text="by x")
    milestone.refresh_from_db()
    assert milestone.due_date is None
    assert milestone.due_text == "by x"


def test_every_change_to_a_milestone_is_kept_with_who_made_it(admin_user):
    milestone = make_milestone()
    milestone._history_user = admin_user
    milestone.status = Milestone.Status.AT_RISK
    milestone.save()

    records = list(milestone.history.all())
    assert len(records) == 2
    assert records[0].status == "at_risk"
    assert records[0].history_user == admin_user
    assert records[1].status == "not_started"
