"""The demo users: one per role, for trying the app locally, never for production
(create_demo_users makes them; load_example and the bench give them their roles in the
organisations they add)."""

from django.apps import apps
from django.contrib.auth import get_user_model

from strategy_tracker.roles import ADMIN, APPROVER, BOARD_MEMBER, PROGRAMME_LEAD

SITE_ADMINISTRATOR = "Site administrator"
DEMO_USERS = [
    ("board", "Bola", "Board", BOARD_MEMBER),
    ("approver", "Abi", "Approver", APPROVER),
    ("lead", "Lee", "Lead", PROGRAMME_LEAD),
    ("lead2", "Lena", "Second-Lead", PROGRAMME_LEAD),
    ("admin", "Ada", "Admin", ADMIN),
    ("siteadmin", "Sam", "Site-Admin", SITE_ADMINISTRATOR),
]


def grant_demo_roles() -> None:
    """Each demo user (but the site administrator, who reaches everything) holds their role
    in every organisation."""
    Membership = apps.get_model("objectives", "Membership")
    Organisation = apps.get_model("objectives", "Organisation")
    users = {u.username: u for u in get_user_model().objects.filter(username__in=_names())}
    Membership.objects.bulk_create(
        [
            Membership(user=users[username], organisation=organisation, role=role)
            for username, _, _, role in DEMO_USERS
            if role != SITE_ADMINISTRATOR and username in users
            for organisation in Organisation.objects.all()
        ],
        ignore_conflicts=True,
    )


def _names() -> list[str]:
    return [username for username, *_ in DEMO_USERS]
