from unittest import mock

import pytest
from django.db import DatabaseError

pytestmark = pytest.mark.django_db


def test_it_answers_without_signing_in_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert "no-cache" in response["Cache-Control"]


def test_it_fails_when_the_database_does_not_answer(client):
    with mock.patch("strategy_tracker.views.Strategy.objects.filter", side_effect=DatabaseError):
        response = client.get("/healthz")
    assert response.status_code == 503
