"""Demo users, one per role, for trying the app locally. Never for production.

Each holds their role in every organisation there is (load_example gives them the example's
too); `siteadmin` is a site administrator (superuser), who manages organisations and
memberships in the Django admin."""

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from strategy_tracker.demo_users import DEMO_USERS, SITE_ADMINISTRATOR, grant_demo_roles


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
            user.is_staff = user.is_superuser = role == SITE_ADMINISTRATOR
            user.set_password(password)
            user.save()
            self.stdout.write(f"  {role:<18} username: {username:<9} password: {password}")
        grant_demo_roles()
