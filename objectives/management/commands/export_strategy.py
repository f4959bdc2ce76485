import json

from django.core.management.base import BaseCommand, CommandError

from objectives.models import Strategy
from objectives.strategy_json import export_strategy, strategy_queryset


class Command(BaseCommand):
    help = "Print a whole strategy as JSON (the shape import_strategy reads)."

    def add_arguments(self, parser):
        parser.add_argument("slug")

    def handle(self, *args, slug: str, **options):
        try:
            strategy = strategy_queryset().get(slug=slug)
        except Strategy.DoesNotExist:
            raise CommandError(f"No strategy with slug {slug!r}.") from None
        self.stdout.write(json.dumps(export_strategy(strategy), indent=2, ensure_ascii=False))
