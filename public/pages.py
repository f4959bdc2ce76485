"""What the public reads of a published strategy: its closed quarters only (closing a quarter
is its Admin's sign-off of it), each read from its snapshot, never from live data; without
private items, without anyone's name, and without owners' commentary unless it is published.
Rows are changed in memory only, never saved."""

from dataclasses import dataclass, field

from django.http import Http404

from public.models import OpenData, Publication
from public.privacy import hidden_items, is_hidden
from reporting import changes
from reporting.models import PeriodState, ReportingPeriod, SnapshotItem
from reporting.quarters import Quarter, file_name_of
from reporting.report import quarter_report


@dataclass
class PublicStrategy:
    publication: Publication
    open_data: OpenData
    hidden: set[tuple[str, int]] = field(default_factory=set)

    @property
    def strategy(self):
        return self.publication.strategy

    def periods(self) -> list[ReportingPeriod]:
        """Its closed quarters, newest first: the only ones the public sees."""
        periods = list(
            ReportingPeriod.objects.filter(
                strategy=self.strategy, state=PeriodState.CLOSED
            ).order_by("-year", "-quarter")
        )
        for period in periods:
            period.public_key = file_name_of(period.financial_quarter)
        return periods

    def period(self, quarter: Quarter) -> ReportingPeriod:
        period = ReportingPeriod.objects.filter(
            strategy=self.strategy,
            state=PeriodState.CLOSED,
            year=quarter.year,
            quarter=quarter.number,
        ).first()
        if period is None:
            raise Http404(f"{quarter.label} of this strategy is not published.")
        period.strategy = self.strategy
        return period

    def rows(self, period: ReportingPeriod, charts: bool) -> tuple[list[SnapshotItem], int]:
        """The quarter's snapshot as the public sees it, and how many rows were left out;
        with the measures' charts only if the page draws them (they are most of its bytes)."""
        shown, withheld = [], 0
        snapshot = period.snapshot.order_by("position")
        for row in snapshot if charts else snapshot.defer("chart"):
            if is_hidden(row.level, row.object_id, self.hidden):
                withheld += 1
                continue
            shown.append(self._redacted(row))
        return shown, withheld

    def _redacted(self, row: SnapshotItem) -> SnapshotItem:
        row.owner = row.owner_job_title if self.open_data.show_owner_job_titles else ""
        if not self.publication.publish_commentary:
            row.commentary = ""
        return row

    def report(self, period: ReportingPeriod, charts: bool = False) -> dict:
        """What a public page of the quarter reads: the report, what changed, its heading;
        `charts` for a page that draws the measures' charts."""
        rows, withheld = self.rows(period, charts)
        report = quarter_report(period, rows)
        found = changes.compare(changes.previous_closed(period), period, rows)
        removed = [
            c
            for c in found.found.pop("removed", [])
            if not is_hidden(c.row.level, c.row.object_id, self.hidden)
        ]
        if removed:
            found.found["removed"] = removed
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


def published(slug: str) -> PublicStrategy:
    """The strategy published to the public under `slug`, or 404 (a draft never is)."""
    publication = (
        Publication.objects.public()
        .select_related("strategy__organisation")
        .filter(strategy__slug=slug)
        .first()
    )
    if publication is None:
        raise Http404("No strategy is published to the public at this address.")
    return PublicStrategy(
        publication, open_data_of(publication.strategy.organisation), hidden_items(publication)
    )


def open_data_of(organisation) -> OpenData:
    """The organisation's open-data choices: the defaults (no licence stated, no job titles)
    until its Admins make them."""
    found = OpenData.objects.filter(organisation=organisation).first()
    return found or OpenData(organisation=organisation)


def quarter_of_key(text: str) -> Quarter:
    """A quarter in a public address (file_name_of's): "2024-25-q3" → Quarter(2024, 3);
    Http404 for anything else."""
    try:
        return Quarter.parse(text.replace("-q", " Q").replace("-", "/", 1))
    except ValueError:
        raise Http404("That is not a quarter such as 2024-25-q3.") from None
