"""The public view gives a strategy's period in its document's words, as its pages do."""

import json

import pytest
from django.urls import reverse

from objectives.models import Strategy
from public.models import Publication
from reporting.tests.helpers import q2_strategy

pytestmark = pytest.mark.django_db


@pytest.fixture
def public(programme_lead):
    strategy = q2_strategy(programme_lead)
    Strategy.objects.filter(pk=strategy.pk).update(period_text="2023/24 to 2027/28")
    Publication.objects.create(strategy=strategy, is_public=True)
    return strategy


def test_the_public_strategy_page_gives_the_documents_words_with_the_months(client, public):
    page = client.get(reverse("public:strategy", args=[public.slug])).content.decode()
    assert "<dt>Period</dt><dd>2023/24 to 2027/28 (taken as April 2023 to March 2028)</dd>" in page


def test_the_public_structure_file_carries_the_words(client, public):
    response = client.get(reverse("public:structure_json", args=[public.slug]))
    text = b"".join(response.streaming_content) if response.streaming else response.content
    assert json.loads(text.decode("utf-8-sig"))["strategy"]["period_text"] == "2023/24 to 2027/28"


def test_a_new_wording_makes_a_new_etag(client, public):
    url = reverse("public:strategy", args=[public.slug])
    before = client.get(url)["ETag"]
    strategy = Strategy.objects.get(pk=public.pk)
    strategy.period_text = "2023-2028"
    strategy.save()  # as the editor and the admin save it: with its history
    assert client.get(url)["ETag"] != before
