"""Board packs: several strategies' reports for one quarter as one PDF for the board papers.

An Admin asks for one (`request_pack`); the task worker makes it (`make`), report by report,
saying how far it has got; the PDF is kept only when every report is in it."""

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from reporting import pdf
from reporting.models import BoardPack, PackState, PeriodState, ReportingPeriod
from reporting.quarters import Quarter
from reporting.report import pdf_title, report_context

MOST_REPORTS = 60  # more than any board's papers; a pack of every strategy of a large system


class PackRefused(ValueError):
    """Why a pack cannot be made, in words for the Admin."""


def request_pack(quarter: Quarter, periods: list[ReportingPeriod], by) -> BoardPack:
    """Queue a pack of these closed periods of `quarter`; the worker makes it."""
    from reporting.tasks import make_board_pack  # here: the task module imports this one

    if not periods:
        raise PackRefused("Choose at least one strategy for the pack.")
    if len(periods) > MOST_REPORTS:
        raise PackRefused(f"A pack holds at most {MOST_REPORTS} reports; choose fewer.")
    for period in periods:
        if period.state != PeriodState.CLOSED or period.financial_quarter != quarter:
            raise PackRefused(
                f"{period.strategy.title} has no closed report for {quarter.label}, so it "
                "cannot be in this pack."
            )
    with transaction.atomic():
        # Held to the end, so a second click on the same pack waits for the first, then sees it.
        list(ReportingPeriod.objects.select_for_update().filter(pk__in=[p.pk for p in periods]))
        _refuse_a_second(quarter, periods)
        pack = BoardPack.objects.create(
            year=quarter.year, quarter=quarter.number, requested_by=by, total=len(periods)
        )
        pack.periods.set(periods)
        # In the same transaction as the pack: both are written, or neither.
        make_board_pack.enqueue(pack.pk)
    return pack


def _refuse_a_second(quarter: Quarter, periods: list[ReportingPeriod]) -> None:
    """The same pack asked for again while it is still being made (a double click, a second
    tab) is refused: the first is on its way."""
    wanted = {p.pk for p in periods}
    making = BoardPack.objects.filter(
        year=quarter.year, quarter=quarter.number, state__in=[PackState.QUEUED, PackState.RUNNING]
    ).prefetch_related("periods")
    for pack in making.defer("pdf"):
        if not pack.stalled and {p.pk for p in pack.periods.all()} == wanted:
            raise PackRefused(
                f"This pack is already being made (asked for on "
                f"{timezone.localtime(pack.requested_at):%-d %b %Y at %H:%M}): its progress is "
                "below."
            )


def ordered_periods(pack: BoardPack) -> list[ReportingPeriod]:
    periods = pack.periods.select_related("strategy__organisation", "closed_by")
    return sorted(periods, key=lambda p: (p.heading["organisation"]["name"], p.heading["title"]))


def _cover(printer, pack: BoardPack, periods, lengths: list[int]) -> bytes:
    """The cover and its contents, numbered from the page after the cover: a long contents
    list takes more than one page, so the cover is printed until its own length holds."""
    cover_pages, cover = 1, b""
    for _ in range(3):
        contents, page = [], cover_pages + 1
        for period, length in zip(periods, lengths, strict=True):
            contents.append((period, page, page + length - 1))
            page += length
        html = render_to_string("reporting/pack_cover.html", {"pack": pack, "contents": contents})
        cover = printer.pdf(html, f"Board pack {pack.label}")
        printed = pdf.page_count(cover)
        if printed == cover_pages:
            break
        cover_pages = printed
    return cover


def make(pack_id: int) -> None:
    """Make the pack's PDF. A pack already started (by another worker, or before a restart)
    is left alone; a failure is recorded in words and keeps no PDF."""
    started = BoardPack.objects.filter(pk=pack_id, state=PackState.QUEUED).update(
        state=PackState.RUNNING, started_at=timezone.now()
    )
    if not started:
        return
    pack = BoardPack.objects.defer("pdf").get(pk=pack_id)
    current = ""
    try:
        with pdf.Printer() as printer:
            parts, lengths = [], []
            periods = ordered_periods(pack)
            for done, period in enumerate(periods, start=1):
                current = period.heading["title"]
                context = report_context(period)
                html = render_to_string("reporting/report_pdf.html", context)
                parts.append(printer.pdf(html, pdf_title(context)))
                lengths.append(pdf.page_count(parts[-1]))
                BoardPack.objects.filter(pk=pack_id).update(done=done)
            current = "the cover"
            cover = _cover(printer, pack, periods, lengths)
        data = pdf.joined_pdf([cover, *parts])
        pages = pdf.page_count(cover) + sum(lengths)
    except Exception as error:
        where = f" while making {current}" if current else ""
        BoardPack.objects.filter(pk=pack_id).update(
            state=PackState.FAILED,
            failure=f"{type(error).__name__}{where}: {error}"[:2000],
            finished_at=timezone.now(),
        )
        raise
    BoardPack.objects.filter(pk=pack_id).update(
        state=PackState.DONE,
        pdf=data,
        pages=pages,
        size=len(data),
        finished_at=timezone.now(),
    )
