import pytest
from django.urls import reverse

from tests.factories import make_measure, make_strategy

pytestmark = pytest.mark.django_db


@pytest.fixture
def urls():
    strategy = make_strategy(slug="s")
    measure = make_measure(code="M-ONE")
    return [
        reverse("home"),
        reverse("objectives:strategy_list"),
        strategy.get_absolute_url(),
        measure.get_absolute_url(),
    ]


def test_every_page_sends_an_anonymous_visitor_to_sign_in(client, urls):
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login")), url


def test_signed_in_users_of_every_role_can_read_every_page(
    client, urls, board_member, programme_lead, admin_user
):
    for user in (board_member, programme_lead, admin_user):
        client.force_login(user)
        for url in urls:
            response = client.get(url, follow=True)
            assert response.status_code == 200, (user, url)


def test_the_admin_site_is_for_admins_only(client, board_member, programme_lead, admin_user):
    for user in (board_member, programme_lead):
        client.force_login(user)
        response = client.get(reverse("admin:index"))
        assert response.status_code == 302
        assert "/admin/login/" in response["Location"]
    client.force_login(admin_user)
    assert client.get(reverse("admin:index")).status_code == 200


def test_signing_out_needs_a_post(client, board_member):
    client.force_login(board_member)
    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("objectives:strategy_list")).status_code == 302
