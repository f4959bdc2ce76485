import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from milestones.models import Milestone
from tests.factories import make_milestone, make_objective

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


def test_owners_and_last_updaters_are_read_in_one_query_for_many(
    programme_lead, admin_user, django_assert_num_queries
):
    from milestones.models import read_people

    objective = make_objective()
    make_milestone(objective, owner=programme_lead, last_updated_by=admin_user)
    make_milestone(objective, owner=admin_user)
    make_milestone(objective)
    milestones = list(Milestone.objects.filter(objective=objective).order_by("id"))
    with django_assert_num_queries(1):
        read_people(milestones)
        found = [(m.owner, m.last_updated_by) for m in milestones]
    assert found == [(programme_lead, admin_user), (admin_user, None), (None, None)]


@pytest.mark.parametrize("field", ["due_date", "forecast_date"])
def test_a_milestone_date_off_the_calendar_is_refused_wherever_it_is_entered(field):
    # The editor, a workbook, strategy JSON and the admin all check with full_clean.
    milestone = make_milestone()
    setattr(milestone, field, dt.date(9999, 12, 31))
    with pytest.raises(ValidationError) as refused:
        milestone.full_clean()
    assert set(refused.value.message_dict) == {field}
    setattr(milestone, field, dt.date(2100, 12, 31))
    milestone.full_clean()
