"""Two uploads of a workbook for the same new strategy, confirmed at once (two tabs, or two
Admins): the second must be refused in words, not a 500."""

import pytest
from django.urls import reverse

from editor import structure_import
from editor.tests.test_structure_import import SMALL, _rows, _upload
from editor.workbook_files import write_workbook
from objectives.models import Strategy

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _organisation(db):
    from objectives.models import Organisation

    Organisation.objects.get_or_create(name=SMALL["organisation"])


def test_a_second_new_draft_of_the_same_short_name_confirmed_meanwhile_is_refused_not_a_500(
    client, admin_user, make_user, monkeypatch
):
    make_user("lead", "Programme lead", email="lead@example.org")
    client.force_login(admin_user)
    content = write_workbook(SMALL, _rows())
    previews = [client.get(_upload(client, content, name).url) for name in ("a.xlsx", "b.xlsx")]
    (first, second) = [
        (reverse("editor:import_confirm", args=[p.context["upload"].pk]), p.context["plan"].digest)
        for p in previews
    ]
    real_plan = structure_import.plan

    def other_tab_confirms_after_this_plan(*args, **kwargs):
        found = real_plan(*args, **kwargs)  # "new": the short name is free
        monkeypatch.setattr(structure_import, "plan", real_plan)
        assert client.post(first[0], {"seen": first[1]}).status_code == 302  # the other tab
        return found

    monkeypatch.setattr(structure_import, "plan", other_tab_confirms_after_this_plan)
    client.raise_request_exception = False
    response = client.post(second[0], {"seen": second[1]})
    assert response.status_code in (400, 409), response.status_code
    assert Strategy.objects.filter(slug=SMALL["slug"]).count() == 1
