"""The three roles, as Django groups, and what each may do.

Board members read everything. Programme leads read everything and update the milestones
they own (checked per object in milestones/). Admins also import figures and edit everything.
Nothing is ever deleted through the app, so no role holds a delete permission.
"""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

BOARD_MEMBER = "Board member"
PROGRAMME_LEAD = "Programme lead"
ADMIN = "Admin"
ROLES = (BOARD_MEMBER, PROGRAMME_LEAD, ADMIN)

# (app_label, model) pairs the roles work with.
TRACKED_MODELS = [
    ("objectives", "organisation"),
    ("objectives", "strategy"),
    ("objectives", "priority"),
    ("objectives", "objective"),
    ("milestones", "milestone"),
    ("measures", "measure"),
    ("measures", "measurevalue"),
    ("measures", "trajectorypoint"),
    ("reporting", "reportingperiod"),
]


def role_permissions() -> dict[str, list[tuple[str, str]]]:
    """Map each role to the (app_label, codename) permissions it holds."""
    view = [(app, f"view_{model}") for app, model in TRACKED_MODELS]
    edit = [
        (app, f"{action}_{model}") for app, model in TRACKED_MODELS for action in ("add", "change")
    ]
    return {
        BOARD_MEMBER: view,
        PROGRAMME_LEAD: view + [("milestones", "update_own_milestone")],
        ADMIN: view
        + edit
        + [
            ("milestones", "update_own_milestone"),
            ("measures", "import_measurevalue"),
            ("auth", "view_user"),
            ("auth", "add_user"),
            ("auth", "change_user"),
        ],
    }


def ensure_role_groups(apps) -> None:
    """Create the role groups with exactly their permissions. Safe to run again.

    Takes an app registry so a migration can pass its historical one.
    """
    from django.contrib.auth.management import create_permissions

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    # Permissions are normally created after all migrations; the groups need them now.
    for app_config in apps.get_app_configs():
        models_module = getattr(app_config, "models_module", None)
        # A migration's app stubs have no models module, which create_permissions skips.
        app_config.models_module = models_module or True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = models_module

    for role, perms in role_permissions().items():
        group, _ = Group.objects.get_or_create(name=role)
        wanted = [
            Permission.objects.get(content_type__app_label=app, codename=codename)
            for app, codename in perms
        ]
        group.permissions.set(wanted)


def ensure_role_groups_after_migrate(sender, **kwargs) -> None:
    from django.apps import apps

    ensure_role_groups(apps)


def user_roles(user: AbstractBaseUser | AnonymousUser) -> set[str]:
    if not user.is_authenticated:
        return set()
    if user.is_superuser:
        return set(ROLES)
    # Read once per user object (a request's user lives for that request only).
    if not hasattr(user, "_tracker_roles"):
        user._tracker_roles = {g.name for g in user.groups.all() if g.name in ROLES}
    return user._tracker_roles


def is_admin(user: AbstractBaseUser | AnonymousUser) -> bool:
    return ADMIN in user_roles(user)
