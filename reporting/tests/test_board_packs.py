"""Board packs: several strategies' reports for a quarter as one PDF, made by the task worker
with its progress shown, kept only when whole."""

import io

import pytest
from django_tasks_db.models import DBTaskResult
from pypdf import PdfReader

from reporting import cycle, packs, pdf
from reporting.models import BoardPack
from reporting.quarters import Quarter
from reporting.tests.helpers import close_quarter, q2_strategy
from tests.factories import make_objective, make_priority, make_strategy
from tests.task_worker import run_queued_tasks

pytestmark = pytest.mark.django_db
Q2 = Quarter(2024, 2)


@pytest.fixture
def periods(programme_lead, admin_user):
    first = q2_strategy(programme_lead)
    second = make_strategy(slug="second", title="Second strategy")
    make_objective(make_priority(second, number=1, title="Healthy towns"), number=1)
    return [close_quarter(first, Q2, admin_user), close_quarter(second, Q2, admin_user)]


@pytest.fixture
def admin(client, admin_user):
    client.force_login(admin_user)
    return client


def _text(data: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(data))
    return len(reader.pages), " ".join(" ".join(p.extract_text().split()) for p in reader.pages)


@pytest.mark.pdf
def test_an_admin_asks_for_a_pack_and_the_worker_makes_it(admin, periods):
    page = admin.get("/board-packs/").content.decode()
    assert "A pack for 2024/25 Q2" in page and "Second strategy" in page
    response = admin.post(
        "/board-packs/", {"quarter": "2024/25 Q2", "periods": [p.pk for p in periods]}
    )
    assert response.status_code == 302
    pack = BoardPack.objects.get()
    assert (pack.state, pack.total, pack.pdf) == ("queued", 2, None)
    assert admin.get(f"/board-packs/{pack.pk}/status/").json()["download"] == ""
    assert admin.get(f"/board-packs/{pack.pk}/pack.pdf").status_code == 404
    assert run_queued_tasks() == 1
    pack.refresh_from_db()
    assert (pack.state, pack.done) == ("done", 2)
    status = admin.get(f"/board-packs/{pack.pk}/status/").json()
    assert status["progress"] == f"Ready: {pack.pages} pages."
    download = admin.get(status["download"])
    assert download["Content-Type"] == "application/pdf"
    pages, text = _text(b"".join(download.streaming_content))
    assert pages == pack.pages
    assert "Board pack: 2024/25 Q2" in text and "Contents" in text
    for title in (periods[0].strategy.title, "Second strategy"):
        assert text.count(title) >= 2  # in the contents and on its report
    assert "Builders delayed by a month." in text  # an exception with its commentary
    assert "nothing to report for the quarter" in text  # the second had no items


@pytest.mark.pdf
def test_a_pack_that_fails_part_way_keeps_no_pdf_and_says_why(admin, periods, monkeypatch):
    made = []
    real = pdf.Printer.pdf

    def fail_on_the_second(printer, html, title):
        made.append(title)
        if len(made) == 2:
            raise OSError("disk full")
        return real(printer, html, title)

    monkeypatch.setattr(pdf.Printer, "pdf", fail_on_the_second)
    pack = packs.request_pack(Q2, periods, by=periods[0].closed_by)
    run_queued_tasks()
    pack.refresh_from_db()
    assert pack.state == "failed" and pack.pdf is None and pack.done == 1
    assert pack.failure.startswith("OSError while making ") and "disk full" in pack.failure
    assert DBTaskResult.objects.get().status == "FAILED"
    assert admin.get(f"/board-packs/{pack.pk}/pack.pdf").status_code == 404
    page = admin.get("/board-packs/").content.decode()
    assert "Failed, so no PDF was kept: OSError while making" in page


@pytest.mark.pdf
def test_a_pack_is_made_once_even_if_its_task_runs_twice(periods):
    pack = packs.request_pack(Q2, periods[:1], by=periods[0].closed_by)
    packs.make(pack.pk)
    pack.refresh_from_db()
    made_at = pack.finished_at
    packs.make(pack.pk)
    pack.refresh_from_db()
    assert pack.finished_at == made_at and pack.state == "done"


def test_a_pack_of_nothing_or_of_an_unclosed_quarter_is_refused(periods, programme_lead):
    other = make_strategy(slug="open-one")
    make_objective(make_priority(other, number=1), number=1)
    q3 = Q2.next()
    open_period = cycle.open_period(
        cycle.schedule(other, q3, *cycle.default_window(q3), by=None), None
    )
    for chosen, words in (
        ([], "Choose at least one strategy"),
        ([open_period], "has no closed report for 2024/25 Q2"),
        ([periods[0], close_quarter(make_strategy(), Q2.previous())], "has no closed report"),
    ):
        with pytest.raises(packs.PackRefused, match=words):
            packs.request_pack(Q2, chosen, by=programme_lead)
    assert not BoardPack.objects.exists() and not DBTaskResult.objects.exists()


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ({"quarter": "2024/25 Q2"}, "Choose at least one strategy for the pack."),
        ({"quarter": "2024/25 Q2", "periods": ["99999"]}, "has no closed report for this"),
        ({"quarter": "2024/25 Q2", "periods": ["x"]}, "has no closed report for this"),
        ({"quarter": "2024/25 Q2", "periods": ["9" * 30]}, "has no closed report for this"),
        ({"quarter": "2024/25 Q9", "periods": ["1"]}, "is not a quarter such as 2024/25 Q2"),
    ],
)
def test_a_bad_request_for_a_pack_says_why_and_queues_nothing(admin, periods, data, words):
    response = admin.post("/board-packs/", data)
    assert response.status_code in (200, 400)
    assert words in response.content.decode()
    assert not BoardPack.objects.exists() and not DBTaskResult.objects.exists()


def test_a_quarter_nobody_closed_is_refused_in_words_not_offered_empty(admin, periods):
    """ "A pack for 2026/27 Q3" with no strategy to choose and a Make button; its post then
    said a strategy had no closed report "any more"."""
    asked = admin.get("/board-packs/", {"quarter": "2030/31 Q3"})
    sent = admin.post("/board-packs/", {"quarter": "2030/31 Q3", "periods": ["1"]})
    assert (asked.status_code, sent.status_code) == (200, 400)
    for response in (asked, sent):
        page = response.content.decode()
        assert "2030/31 Q3 has no closed report you can see." in page
        assert "A pack for 2030/31 Q3" not in page
    assert not BoardPack.objects.exists() and not DBTaskResult.objects.exists()


def test_a_pack_of_no_strategy_is_refused_in_a_summary_linked_to_the_first_box(admin, periods):
    page = admin.post("/board-packs/", {"quarter": "2024/25 Q2"}).content.decode()
    summary = page[page.index('class="error-summary"') :]
    assert '<a href="#id_periods_0">Choose at least one strategy for the pack.</a>' in summary
    assert 'id="id_periods_0"' in page and 'aria-describedby="periods-error"' in page


@pytest.mark.pdf  # the queued pack is printed
def test_packs_are_for_admins_only(client, board_member, programme_lead, periods):
    pack = packs.request_pack(Q2, periods, by=periods[0].closed_by)
    run_queued_tasks()
    for user in (board_member, programme_lead):
        client.force_login(user)
        for url in (
            "/board-packs/",
            f"/board-packs/{pack.pk}/status/",
            f"/board-packs/{pack.pk}/pack.pdf",
        ):
            assert client.get(url).status_code == 403, (user, url)
        response = client.post(
            "/board-packs/", {"quarter": "2024/25 Q2", "periods": [periods[0].pk]}
        )
        assert response.status_code == 403
    assert BoardPack.objects.count() == 1


def test_a_pack_with_no_browser_to_print_with_fails_in_words(periods, settings):
    settings.PDF_BROWSER = "/nowhere/chromium"
    pack = packs.request_pack(Q2, periods, by=periods[0].closed_by)
    run_queued_tasks()
    pack.refresh_from_db()
    assert pack.state == "failed" and pack.pdf is None
    assert "No browser to print with at /nowhere/chromium (PDF_BROWSER)." in pack.failure


@pytest.mark.pdf
def test_a_contents_list_longer_than_a_page_numbers_the_reports_after_it(admin_user):
    periods = [
        close_quarter(
            make_strategy(slug=f"long-{n}", title=f"Strategy {n}: " + "a long title " * 12),
            Q2,
            admin_user,
        )
        for n in range(30)
    ]
    pack = packs.request_pack(Q2, periods, by=admin_user)
    with pdf.Printer() as printer:
        cover = packs._cover(printer, pack, packs.ordered_periods(pack), [3] * 30)
    cover_pages, text = _text(cover)
    assert cover_pages >= 2
    first = cover_pages + 1
    assert f"{first}–{first + 2}" in text  # the first report's pages, after the cover
    assert f"{first + 87}–{first + 89}" in text  # the thirtieth's


def test_a_pack_whose_worker_stopped_or_never_started_says_so(admin, periods):
    import datetime as dt

    from django.utils import timezone

    pack = packs.request_pack(Q2, periods, by=periods[0].closed_by)
    long_ago = timezone.now() - dt.timedelta(hours=1)
    BoardPack.objects.filter(pk=pack.pk).update(requested_at=long_ago)
    status = admin.get(f"/board-packs/{pack.pk}/status/").json()
    assert status["progress"].startswith("Still waiting for the task worker")
    BoardPack.objects.filter(pk=pack.pk).update(state="running", started_at=long_ago, done=1)
    status = admin.get(f"/board-packs/{pack.pk}/status/").json()
    assert status["state"] == "stalled" and status["download"] == ""
    assert status["progress"].startswith("Stopped after 1 of 2 reports")
    BoardPack.objects.filter(pk=pack.pk).update(started_at=timezone.now())
    assert admin.get(f"/board-packs/{pack.pk}/status/").json()["state"] == "running"


@pytest.mark.pdf  # the queued pack is printed
def test_the_same_pack_asked_for_twice_while_it_is_made_is_queued_once(admin, periods):
    data = {"quarter": "2024/25 Q2", "periods": [p.pk for p in periods]}
    assert admin.post("/board-packs/", data).status_code == 302
    second = admin.post("/board-packs/", data)  # a double click, or a second tab
    assert second.status_code == 400
    assert "This pack is already being made" in second.content.decode()
    assert BoardPack.objects.count() == 1 and DBTaskResult.objects.count() == 1
    other = {"quarter": "2024/25 Q2", "periods": [periods[0].pk]}
    assert admin.post("/board-packs/", other).status_code == 302  # a different pack
    run_queued_tasks()
    assert admin.post("/board-packs/", data).status_code == 302  # made: it may be made again
    assert BoardPack.objects.count() == 3
