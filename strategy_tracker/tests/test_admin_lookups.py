"""An admin list filtered by a date no calendar holds says the filter is wrong (Django's
"?e=1"), on every list of the project's models and its people."""

import pytest
from django.contrib import admin
from django.db import models
from django.urls import reverse

pytestmark = pytest.mark.django_db
OURS = {"objectives", "milestones", "measures", "reporting", "risks", "sso", "api", "auth"}


def _dated_lists():
    for model in admin.site._registry:
        if model._meta.app_label not in OURS:
            continue
        dates = [f for f in model._meta.concrete_fields if isinstance(f, models.DateField)]
        if dates:
            name = f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist"
            yield pytest.param(name, dates[0].name, id=model._meta.label)


@pytest.mark.parametrize("changelist, field", list(_dated_lists()))
def test_a_year_no_calendar_holds_is_a_wrong_filter_not_a_failure(
    client, django_user_model, changelist, field
):
    client.force_login(django_user_model.objects.create_superuser("root", "r@example.invalid"))
    response = client.get(reverse(changelist), {f"{field}__year": "0"})
    assert response.status_code == 302 and response["Location"].endswith("?e=1")
