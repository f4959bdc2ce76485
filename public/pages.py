"""What the public reads of a published strategy: its closed quarters only (closing a quarter
is its Admin's sign-off of it), each read from its snapshot, never from live data; without
private items, without anyone's name, and without owners' commentary unless it is published.
Rows are changed in memory only, never saved."""

from dataclasses import dataclass, field

from django.http import Http404, HttpRequest

from public.models import OpenData, Publication
from public.privacy import hidden_items, is_hidden, withheld
from reporting import changes
from reporting.models import Level, ReportingPeriod, SnapshotItem
from reporting.quarters import Quarter, file_name_of, quarter_of_file_name
from reporting.report import quarter_report
from strategy_tracker.status import Rag


@dataclass
class PublicStrategy:
    publication: Publication
    open_data: OpenData
    hidden: set[tuple[str, int]]  # public/privacy.py's hidden_items
    _periods: list[ReportingPeriod] | None = field(
        default=None, init=False, repr=False, compare=False
    )

    @property
    def strategy(self):
        return self.publication.strategy

    def periods(self) -> list[ReportingPeriod]:
        """Its closed quarters, newest first: the only ones the public sees. Read once: the
        page's ETag, the quarter it shows and the quarter it compares with are among them."""
        if self._periods is None:
            self._periods = list(
                ReportingPeriod.objects.closed()
                .filter(strategy=self.strategy)
                .order_by("-year", "-quarter")
            )
            for period in self._periods:
                period.strategy = self.strategy
                period.public_key = file_name_of(period.financial_quarter)
        return self._periods

    def period(self, quarter: Quarter) -> ReportingPeriod:
        period = next((p for p in self.periods() if p.financial_quarter == quarter), None)
        if period is None:
            raise Http404(f"{quarter.label} of this strategy is not published.")
        return period

    def rows(
        self, period: ReportingPeriod, charts: bool, chart_data: bool = False
    ) -> tuple[list[SnapshotItem], int]:
        """The quarter's snapshot as the public sees it, and how many rows were left out;
        with the measures' drawn charts only if the page draws them (they are most of its
        bytes), and the figures charted (SnapshotItem.chart) only if it lists them: decoding
        them was a tenth of the report's work, which shows none."""
        shown, withheld_rows = [], 0
        unread = () if chart_data else ("chart",) if charts else ("chart", "chart_figure")
        snapshot = period.snapshot_rows().defer(*unread)
        parents: dict[str, SnapshotItem] = {}  # the shown strategy, priority and objective
        for row, hidden in withheld(snapshot, self.hidden):
            if row.level in PARENT_LEVELS:
                parents[row.level] = row
                if row.level == Level.PRIORITY:
                    parents.pop(Level.OBJECTIVE, None)
            if hidden:
                withheld_rows += 1
                for parent in parents.values():
                    _keep_details_of_withheld(parent)
                continue
            shown.append(self._redacted(row))
        return shown, withheld_rows

    def _withheld_keys(self, period: ReportingPeriod) -> set[tuple[str, int]]:
        """The items the public did not see of `period`, judged by where its snapshot
        recorded them (changes.item_key)."""
        rows = period.snapshot_rows().only("level", "object_id")
        return {changes.item_key(row) for row, hidden in withheld(rows, self.hidden) if hidden}

    def _redacted(self, row: SnapshotItem) -> SnapshotItem:
        row.owner = row.owner_job_title if self.open_data.show_owner_job_titles else ""
        if not self.publication.publish_commentary:
            row.commentary = ""
        return row

    def report(
        self, period: ReportingPeriod, charts: bool = False, chart_data: bool = False
    ) -> dict:
        """What a public page of the quarter reads: the report, what changed, its heading;
        `charts` for a page that draws the measures' charts, `chart_data` for one that lists
        their figures too."""
        rows, withheld = self.rows(period, charts, chart_data)
        report = quarter_report(period, rows)
        earlier = changes.previous_closed(period, among=self.periods())
        found = changes.compare(earlier, period, rows)
        # An item withheld from either quarter, where that quarter recorded it (it may have
        # moved since), or kept private today, is in no change: one withheld now would read
        # as removed, one withheld then would show its old figures or place.
        unseen = set()
        if self.hidden:  # nothing private: every row of both quarters was shown
            unseen = self._withheld_keys(period)
            if earlier is not None:
                unseen |= self._withheld_keys(earlier)
        for kind in list(found.found):
            kept = [
                c
                for c in found.found.pop(kind)
                if changes.item_key(c.row) not in unseen
                and not is_hidden(c.row.level, c.row.object_id, self.hidden)
            ]
            if kept:
                found.found[kind] = kept
        return {
            "public": self,
            "strategy": self.strategy,
            "period": period,
            "quarter_key": file_name_of(period.financial_quarter),
            "heading": period.heading | {"closed_by": ""},  # no names on public pages
            "report": report,
            "changes": found,
            "withheld": withheld,
        }


PARENT_LEVELS = (Level.STRATEGY, Level.PRIORITY, Level.OBJECTIVE)


def _keep_details_of_withheld(parent: SnapshotItem) -> None:
    """A roll-up's reason can quote one of its items ("1 measure 12% above target"): where
    some are withheld, it says only what the colour and counts say."""
    if parent.counts and not getattr(parent, "reason_withheld", False):
        parent.reason = (
            f"the worst of its items is {Rag(parent.rag).label.lower()}; "
            "some of its items are not published"
        )
        parent.reason_withheld = True


def publication_of(slug: str) -> Publication:
    """The publication of the strategy published to the public under `slug`, or 404 (a
    draft never is)."""
    publication = (
        Publication.objects.public()
        .select_related("strategy__organisation")
        .filter(strategy__slug=slug)
        .first()
    )
    if publication is None:
        raise Http404("No strategy is published to the public at this address.")
    return publication


def published(slug: str) -> PublicStrategy:
    """The strategy published to the public under `slug`, or 404 (a draft never is)."""
    publication = publication_of(slug)
    return PublicStrategy(
        publication, open_data_of(publication.strategy.organisation), hidden_items(publication)
    )


def published_for(request: HttpRequest, slug: str) -> PublicStrategy:
    """published(slug), read once a request: the page's ETag (public/caching.py) reads it
    first, and the page is drawn from the same rows."""
    public = getattr(request, "public_strategy", None)
    if public is None or public.strategy.slug != slug:
        public = request.public_strategy = published(slug)
    return public


def open_data_of(organisation) -> OpenData:
    """The organisation's open-data choices: the defaults (no licence stated, no job titles)
    until its Admins make them."""
    found = OpenData.objects.filter(organisation=organisation).first()
    return found or OpenData(organisation=organisation)


def quarter_of_key(text: str) -> Quarter:
    """A quarter in a public address (file_name_of's): "2024-25-q3" → Quarter(2024, 3);
    Http404 for anything else."""
    try:
        return quarter_of_file_name(text)
    except ValueError:
        raise Http404("That is not a quarter such as 2024-25-q3.") from None
