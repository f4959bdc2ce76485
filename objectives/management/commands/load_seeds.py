import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from objectives.management.commands.import_strategy import load_strategy_file, say_due_date_notes
from objectives.models import Strategy

SEEDS_DIR = Path(settings.BASE_DIR) / "fixtures" / "seeds"


class Command(BaseCommand):
    help = "Load the seed strategies in fixtures/seeds/ that are not loaded yet."

    def handle(self, *args, **options):
        for path in sorted(SEEDS_DIR.glob("*.json")):
            slug = json.loads(path.read_text(encoding="utf-8"))["strategy"]["slug"]
            if Strategy.objects.filter(slug=slug).exists():
                self.stdout.write(f"{slug}: already loaded.")
                continue
            strategy = load_strategy_file(path)
            self.stdout.write(f"{slug}: loaded {strategy.title}.")
            say_due_date_notes(self, strategy)
