from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from measures import fingertips
from measures.models import Measure, NationalIndicator
from objectives.models import Strategy


class Command(BaseCommand):
    help = (
        "Fetch the published figures of the measures linked to OHID Fingertips indicators "
        "and propose them, as one import, to the user given: they preview and confirm it as "
        "they would a CSV file. Nothing is written to the figures until they do."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--user", required=True, help="The Admin who previews and confirms the import."
        )
        parser.add_argument("--strategy", help="Only this strategy's measures (its slug).")
        parser.add_argument("--measure", help="Only this measure (its code).")

    def handle(self, *args, user: str, strategy: str | None, measure: str | None, **options):
        by = get_user_model().objects.filter(username=user).first()
        if by is None:
            raise CommandError(f"No user {user}.")
        links = self._links(strategy, measure)
        self.stdout.write(
            f"Fetching from {fingertips.api_url()} for {len(links)} linked "
            f"measure{'s' if len(links) != 1 else ''}, to propose to {user}."
        )
        try:
            proposal = fingertips.propose_import(links, by=by)
        except fingertips.FingertipsUnreachable as error:
            raise CommandError(str(error)) from None
        for fetched in proposal.fetched:
            self._report(fetched)
        self._conclude(proposal)

    def _links(self, strategy: str | None, measure: str | None) -> list[NationalIndicator]:
        links = NationalIndicator.objects.filter(measure__in=Measure.objects.all())
        if strategy:
            found = Strategy.objects.filter(slug=strategy)
            if not found.exists():
                raise CommandError(f"No strategy {strategy}.")
            links = links.filter(measure__in=Measure.objects.for_strategies(found))
        if measure:
            links = links.filter(measure__code__iexact=measure)
        links = list(links.select_related("measure"))
        if not links:
            which = f"measure {measure}" if measure else "measure"
            where = f" of strategy {strategy}" if strategy else ""
            raise CommandError(
                f"No {which}{where} is linked to a national indicator (a site administrator "
                "links them in the Django admin: National indicators)."
            )
        return links

    def _report(self, fetched: fingertips.Fetched) -> None:
        if fetched.error:
            self.stdout.write(f"{fetched.code}: not fetched. {fetched.error}")
            return
        figures = fetched.figures
        span = ""
        if figures:
            span = f": {figures[0].period}" + (
                f" to {figures[-1].period}" if len(figures) > 1 else ""
            )
        count = f"{len(figures)} figure{'s' if len(figures) != 1 else ''}"
        self.stdout.write(f"{fetched.code} ← {fetched.described}: {count}{span}.")
        for skipped in fetched.skipped:
            self.stdout.write(f"  Left out {skipped}")

    def _conclude(self, proposal: fingertips.Proposal) -> None:
        if proposal.batch:
            totals = proposal.report.totals
            restated = ""
            if proposal.report.restated:
                restated = (
                    f" ({proposal.report.restated} of them restating figures already reported: "
                    "the preview asks you to confirm)"
                )
            self.stdout.write(
                f"Proposed import {proposal.batch.pk}: {totals['new']} new, "
                f"{totals['update']} updated{restated}, {totals['unchanged']} unchanged, "
                f"{totals['error']} with errors."
            )
            if totals["error"]:
                self.stdout.write(
                    "Rows with errors cannot be imported: the preview says what is wrong; put "
                    "it right (the measure's range or baseline, or the link) and fetch again."
                )
            site = settings.SITE_URL.rstrip("/")
            self.stdout.write(f"Preview and confirm at {site}{proposal.batch.get_absolute_url()}")
        elif proposal.nothing_new:
            self.stdout.write(
                "Nothing new: every figure fetched is stored already as Fingertips gives it, so "
                "no import was proposed."
            )
        failed = len(proposal.failed)
        if failed == len(proposal.fetched):
            raise CommandError("Nothing was fetched, so nothing was proposed (see above).")
        if not proposal.batch and not proposal.nothing_new:
            self.stdout.write(
                "No figure fetched can be imported (see above), so none was proposed."
            )
        if failed:
            raise CommandError(
                f"{failed} of {len(proposal.fetched)} linked measures could not be fetched (see "
                "above); the others' figures are as proposed."
            )
