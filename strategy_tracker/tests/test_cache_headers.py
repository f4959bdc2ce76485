"""Nothing a signed-in person saw is kept by a browser or proxy: after sign-out on a shared
machine, the back button cannot show it."""

import datetime as dt

import pytest
from django.urls import reverse

from conftest import TEST_PASSWORD
from tests.factories import make_measure, make_objective, make_priority, make_strategy, make_value

pytestmark = pytest.mark.django_db


def _no_store(response) -> bool:
    return "no-store" in response.get("Cache-Control", "")


@pytest.fixture
def strategy():
    strategy = make_strategy(slug="s")
    measure = make_measure(make_objective(make_priority(strategy, number=1), number=1), code="M1")
    make_value(measure, dt.date(2024, 6, 30), 5)
    return strategy


def test_every_page_and_download_for_someone_signed_in_is_never_stored(
    client, admin_user, strategy
):
    client.force_login(admin_user)
    urls = [
        reverse("objectives:strategy_list"),
        reverse("objectives:strategy_detail", args=["s"]),
        reverse("objectives:strategy_export_json", args=["s"]),
        reverse("objectives:strategy_values_csv", args=["s"]),
        reverse("measures:detail", args=["M1"]),
        reverse("measures:values_csv", args=["M1"]),
        reverse("measures:import_template"),
        reverse("milestones:mine"),
        "/no-such-page/",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code in (200, 404), url
        assert _no_store(response), url


def test_the_django_admin_is_never_stored(client, site_admin):
    client.force_login(site_admin)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200 and _no_store(response)


def test_signing_in_and_signing_out_are_never_stored(client, board_member):
    signed_in = client.post(reverse("login"), {"username": "board", "password": TEST_PASSWORD})
    assert signed_in.status_code == 302
    assert _no_store(signed_in)

    signed_out = client.post(reverse("logout"))
    assert signed_out.status_code == 302
    assert _no_store(signed_out)


def test_static_files_stay_cacheable_for_someone_signed_in(client, board_member):
    client.force_login(board_member)
    response = client.get("/static/css/site.css")
    assert response.status_code == 200
    assert not _no_store(response)
