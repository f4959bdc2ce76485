"""Every error page is in the site's layout, says why and what to do, and links back
(issue 14), and never links to another site."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.test import Client, RequestFactory, override_settings
from django.urls import include, path, reverse
from django.views.decorators.http import require_GET

from strategy_tracker import urls as site_urls
from strategy_tracker.database_errors import server_error
from strategy_tracker.roles import PROGRAMME_LEAD
from tests.factories import make_milestone, make_objective, make_priority, make_strategy

pytestmark = pytest.mark.django_db

LAYOUT = ["Skip to main content", 'class="site-header"', 'class="site-footer"']


@require_GET
def _boom(request: HttpRequest):
    raise RuntimeError("a bug")


@require_GET
def _refuse(request: HttpRequest):
    raise PermissionDenied("Only this milestone's owner may change it.")


# This module is also a URLconf for some tests: the site's URLs and handlers, plus views that
# fail in known ways.
urlpatterns = [path("boom/", _boom), path("refuse/", _refuse), path("", include(site_urls))]
handler403 = site_urls.handler403
handler404 = site_urls.handler404
handler500 = site_urls.handler500


def _page(response) -> str:
    html = response.content.decode()
    for part in LAYOUT:
        assert part in html, part
    return html


def milestone_args(milestone) -> list:
    return ["s", "1", 1, milestone.pk]


@pytest.fixture
def milestone(programme_lead):
    strategy = make_strategy(slug="s")
    objective = make_objective(make_priority(strategy, number=1), number=1)
    return make_milestone(
        objective, owner=programme_lead, due_date=dt.date.today() + dt.timedelta(days=100)
    )


def test_a_lead_opening_the_import_page_gets_a_403_page_in_the_layout(client, programme_lead):
    make_strategy()  # an organisation they are a programme lead of
    client.force_login(programme_lead)
    response = client.get(
        reverse("measures:import_start"), HTTP_REFERER="http://testserver/milestones/mine/"
    )

    assert response.status_code == 403
    html = _page(response)
    assert "<h1>You cannot do this</h1>" in html
    assert "Your account has the role Programme lead, which does not allow you" in html
    assert (
        "ask an Admin of your organisation, or your site administrator, to give your account access"
        in html
    )
    assert "Nothing was changed." in html
    assert '<a href="/milestones/mine/">Go back to the page you were on</a>' in html
    assert f'<a href="{reverse("objectives:strategy_list")}">' in html
    assert "Lee Lead (Programme lead)" in html  # the signed-in header, as on every page


@override_settings(ROOT_URLCONF=__name__)
def test_a_403_with_a_reason_shows_that_reason(client, board_member):
    client.force_login(board_member)
    response = client.get("/refuse/")

    assert response.status_code == 403
    html = _page(response)
    assert '<p class="lead">Only this milestone&#x27;s owner may change it.</p>' in html
    assert "which does not allow you" not in html


def test_another_leads_update_is_refused_with_the_views_reason(client, make_user, milestone):
    client.force_login(make_user("other", PROGRAMME_LEAD))
    response = client.post(reverse("milestones:update", args=milestone_args(milestone)))

    assert response.status_code == 403
    html = _page(response)
    assert "<h1>You cannot do this</h1>" in html
    assert "which does not allow you" not in html  # the view said why, so that is shown


def test_opening_an_update_address_directly_gets_a_405_page_linking_to_the_milestone(
    client, programme_lead, milestone
):
    client.force_login(programme_lead)
    response = client.get(reverse("milestones:update", args=milestone_args(milestone)))

    assert response.status_code == 405
    assert response["Allow"] == "POST"
    html = _page(response)
    assert "<h1>You cannot open this address directly</h1>" in html
    assert "only accepts a form being sent" in html
    detail = reverse("milestones:detail", args=milestone_args(milestone))
    assert detail == milestone.get_absolute_url()
    assert f'<a href="{detail}">Go to the page this address belongs to</a>' in html


def test_a_form_sent_to_a_page_that_only_shows_gets_a_405_page(client, board_member):
    client.force_login(board_member)
    url = reverse("objectives:strategy_list")
    response = client.post(url)

    assert response.status_code == 405
    assert response["Allow"] == "GET"
    html = _page(response)
    assert "<h1>This page cannot receive a form</h1>" in html
    assert f'<a href="{url}">Go to the page</a>' in html


def test_an_anonymous_405_says_nothing_about_the_site(client):
    response = client.post(reverse("healthz"))

    assert response.status_code == 405
    html = _page(response)
    assert "Go to the page" not in html
    assert "list of strategies" not in html
    assert f'<a href="{reverse("login")}">Sign in</a>' in html


def test_an_unknown_strategy_gets_a_404_page(client, board_member):
    client.force_login(board_member)
    response = client.get(
        "/strategies/no-such-strategy/", HTTP_REFERER="http://testserver/strategies/"
    )

    assert response.status_code == 404
    html = _page(response)
    assert "<h1>Page not found</h1>" in html
    assert "There is no page at the address <code>/strategies/no-such-strategy/</code>" in html
    assert "If you typed the address, check it is correct." in html
    assert '<a href="/strategies/">Go back to the page you were on</a>' in html
    assert "Strategy matches" not in html  # the exception's text names the model


@pytest.mark.parametrize(
    "referer",
    [
        "https://evil.example/strategies/",
        "http://evil.example/strategies/",
        "http://testserver//evil.example/strategies/",
        "http://testserver/\\evil.example/",
        "http://testserver/\t/evil.example/",
        "https://testserver/strategies/",  # another origin: the scheme differs
        "/strategies/",
        "javascript:alert(1)",
    ],
)
def test_a_referer_from_another_site_is_not_linked(client, board_member, referer):
    client.force_login(board_member)
    response = client.get("/strategies/no-such-strategy/", HTTP_REFERER=referer)

    html = _page(response)
    assert "Go back to the page you were on" not in html
    assert "evil.example" not in html
    assert "javascript:" not in html


def test_a_form_sent_without_its_csrf_token_gets_the_csrf_page(programme_lead, milestone):
    client = Client(enforce_csrf_checks=True)
    client.force_login(programme_lead)
    detail = milestone.get_absolute_url()
    assert client.get(detail).status_code == 200  # sets the CSRF cookie
    response = client.post(
        reverse("milestones:update", args=milestone_args(milestone)),
        {"status": "complete", "commentary": "x", "version": milestone.version},
        HTTP_REFERER=f"http://testserver{detail}",
    )

    assert response.status_code == 403
    html = _page(response)
    assert "<h1>Your form could not be sent</h1>" in html
    assert "Nothing was saved." in html
    assert "the form was open for a long time" in html
    assert "blocking cookies from this site" in html
    assert "Reload the page, then fill in the form and send it again." in html
    assert f'<a href="{detail}">Go back to the form</a>' in html
    assert "sent no cookie" not in html
    milestone.refresh_from_db()
    assert milestone.status != "complete"


def test_a_form_sent_without_the_csrf_cookie_says_cookies_are_blocked():
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "a", "password": "b"})

    assert response.status_code == 403
    html = _page(response)
    assert "sent no cookie from this site, so it is probably blocking them" in html
    assert f'<a href="{reverse("login")}">Sign in</a>' in html


@override_settings(ROOT_URLCONF=__name__)
def test_a_server_error_gets_the_500_page_in_the_layout(board_member):
    client = Client(raise_request_exception=False)
    client.force_login(board_member)
    response = client.get("/boom/")

    assert response.status_code == 500
    html = _page(response)
    assert "<h1>Sorry, there is a problem with the service</h1>" in html
    assert "Try again in a few minutes." in html
    assert f'<a href="{reverse("home")}">Go to the start page</a>' in html
    assert "Bola Board" not in html  # rendered without the request: no user, no database


def test_the_500_page_is_rendered_without_the_database(django_assert_num_queries):
    with django_assert_num_queries(0):
        response = server_error(RequestFactory().get("/"))

    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in _page(response)
