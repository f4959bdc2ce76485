"""Load the illustrative example strategy, for trying the app. Never for production."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from objectives.example_strategy import EXAMPLE_SLUG, USERNAMES, load_example
from objectives.models import Strategy
from strategy_tracker.demo_users import grant_demo_roles


class Command(BaseCommand):
    help = (
        "Load the illustrative 'Example Community Health Trust' strategy, with owners, "
        "updates and figures, if it is not loaded yet. Needs the demo users."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Load it even with DEBUG off. Only for a throwaway demo server.",
        )

    def handle(self, *args, allow_production: bool = False, **options):
        if not settings.DEBUG and not allow_production:
            raise CommandError(
                "Refusing to load the illustrative example with DEBUG off. "
                "Pass --allow-production only on a throwaway demo server."
            )
        if Strategy.objects.filter(slug=EXAMPLE_SLUG).exists():
            self.stdout.write(f"{EXAMPLE_SLUG}: already loaded; nothing changed.")
            return
        users = {u.username: u for u in get_user_model().objects.filter(username__in=USERNAMES)}
        missing = [name for name in USERNAMES if name not in users]
        if missing:
            raise CommandError(
                f"The example's milestones belong to the demo users, and {', '.join(missing)} "
                "do not exist. Run `python manage.py create_demo_users` first."
            )
        strategy = load_example(timezone.localdate(), users)
        grant_demo_roles()  # their roles in the example's organisation too
        self.stdout.write(f"{EXAMPLE_SLUG}: loaded {strategy.title} (illustrative data).")
