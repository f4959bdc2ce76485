import pytest
from django.templatetags.static import static

pytestmark = pytest.mark.django_db


def test_favicon_ico_leads_anyone_to_the_svg_every_page_names(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"] == static("favicon.svg")
    assert response["Location"].endswith(".svg")


def test_favicon_ico_only_answers_reads(client):
    assert client.post("/favicon.ico").status_code == 405
