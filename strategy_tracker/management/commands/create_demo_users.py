"""Demo users, one per role, for trying the app locally. Never for production."""

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

from strategy_tracker.roles import ADMIN, BOARD_MEMBER, PROGRAMME_LEAD

DEMO_USERS = [
    ("board", "Bola", "Board", BOARD_MEMBER),
    ("lead", "Lee", "Lead", PROGRAMME_LEAD),
    ("lead2", "Lena", "Second-Lead", PROGRAMME_LEAD),
    ("admin", "Ada", "Admin", ADMIN),
]


class Command(BaseCommand):
    help = "Create (or reset) one demo user per role, with new random passwords printed."

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Create them even with DEBUG off. Only for a throwaway demo server.",
        )

    def handle(self, *args, allow_production: bool = False, **options):
        if not settings.DEBUG and not allow_production:
            raise CommandError(
                "Refusing to create demo users with DEBUG off. "
                "Pass --allow-production only on a throwaway demo server."
            )
        User = get_user_model()
        self.stdout.write("Demo logins (local use only):")
        for username, first, last, role in DEMO_USERS:
            password = secrets.token_urlsafe(9)
            user, _ = User.objects.get_or_create(username=username)
            user.first_name, user.last_name = first, last
            user.email = f"{username}@example.invalid"
            user.is_staff = role == ADMIN
            user.set_password(password)
            user.save()
            user.groups.set([Group.objects.get(name=role)])
            self.stdout.write(f"  {role:<15} username: {username:<6} password: {password}")
