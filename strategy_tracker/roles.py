"""The four roles, what each may do, and who holds which where.

A person holds roles in organisations (objectives.Membership): Board member, Programme lead,
Admin, Approver. Each role's permissions are kept on a Django group of its name, and
RolePermissions gives a person the permissions of every role they hold somewhere; which
organisation's strategies and items they reach is decided per object by the querysets (
Strategy.objects.visible_to and administered_by, Milestone.can_be_updated_by, Measure's
imported_by). Site administrators (superusers) hold every role everywhere.
Nothing is ever deleted through the app, so no role holds a delete permission.
"""

from collections import defaultdict

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import BaseBackend
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

BOARD_MEMBER = "Board member"
PROGRAMME_LEAD = "Programme lead"
ADMIN = "Admin"
APPROVER = "Approver"  # may be named an approver of the organisation's strategies
ROLES = (BOARD_MEMBER, PROGRAMME_LEAD, ADMIN, APPROVER)
# Roles that may own milestones and update them.
OWNER_ROLES = (PROGRAMME_LEAD, ADMIN)

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
        APPROVER: view,
        PROGRAMME_LEAD: view + [("milestones", "update_own_milestone")],
        ADMIN: view
        + edit
        + [
            ("milestones", "update_own_milestone"),
            ("measures", "import_measurevalue"),
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


def is_site_administrator(user: AbstractBaseUser | AnonymousUser) -> bool:
    """A superuser, signed in and active: reaches every organisation."""
    return user.is_authenticated and user.is_active and user.is_superuser


def memberships(user: AbstractBaseUser | AnonymousUser) -> dict[int, frozenset[str]]:
    """Organisation id → the roles `user` holds there. Read once per user object (a
    request's user lives for that request only)."""
    if not user.is_authenticated or not user.is_active:
        return {}
    if not hasattr(user, "_tracker_memberships"):
        held = defaultdict(set)
        rows = user.memberships.order_by().values_list("organisation_id", "role")
        for organisation_id, role in rows:
            held[organisation_id].add(role)
        user._tracker_memberships = {org: frozenset(roles) for org, roles in held.items()}
    return user._tracker_memberships


def organisations_where(user: AbstractBaseUser | AnonymousUser, *roles: str) -> set[int]:
    """Ids of the organisations where `user` holds any of `roles` (any role, if none named).
    Not for site administrators, who reach every organisation: ask is_site_administrator
    first."""
    return {
        organisation
        for organisation, held in memberships(user).items()
        if not roles or held.intersection(roles)
    }


def user_roles(user: AbstractBaseUser | AnonymousUser) -> set[str]:
    """Every role `user` holds in some organisation."""
    if not user.is_authenticated:
        return set()
    if user.is_superuser:
        return set(ROLES)
    return set().union(*memberships(user).values())


def is_admin(user: AbstractBaseUser | AnonymousUser) -> bool:
    """An Admin of some organisation (which ones: organisations_where(user, ADMIN))."""
    return ADMIN in user_roles(user)


class RolePermissions(BaseBackend):
    """Gives a person the permissions of each role they hold in some organisation (the
    role's group holds them), and those a site administrator gave them directly in the user
    admin; a site administrator, every permission, as Django's ModelBackend does. Signs
    nobody in."""

    def get_all_permissions(self, user_obj, obj=None) -> set[str]:
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_tracker_role_perms"):
            user_obj._tracker_role_perms = _permission_names(
                user_obj.pk, user_roles(user_obj), every=user_obj.is_superuser
            )
        return user_obj._tracker_role_perms

    def has_module_perms(self, user_obj, app_label: str) -> bool:
        return any(name.startswith(f"{app_label}.") for name in self.get_all_permissions(user_obj))


def _permission_names(user_id: int, roles: set[str], every: bool = False) -> set[str]:
    """Each permission (`every` one, or those given to the user directly or held by one of
    `roles`' groups), as "app_label.codename". One query written out: Django's ORM spent 4M
    instructions (of 188M) of the import preview building the two it replaces
    (docs/performance.md)."""
    from django.contrib.auth.models import Group, Permission
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection

    quote = connection.ops.quote_name
    direct = get_user_model()._meta.get_field("user_permissions")
    of_group = Group._meta.get_field("permissions")
    named = ", ".join(["%s"] * len(roles)) or "NULL"  # NULL matches no group
    sql = (
        f"SELECT ct.app_label, p.codename FROM {quote(Permission._meta.db_table)} p"
        f" JOIN {quote(ContentType._meta.db_table)} ct ON ct.id = p.content_type_id"
    )
    params = []
    if not every:
        sql += (
            f" WHERE p.id IN (SELECT {quote(direct.m2m_reverse_name())}"
            f" FROM {quote(direct.m2m_db_table())} WHERE {quote(direct.m2m_column_name())} = %s)"
            f" OR p.id IN (SELECT gp.{quote(of_group.m2m_reverse_name())}"
            f" FROM {quote(of_group.m2m_db_table())} gp JOIN {quote(Group._meta.db_table)} g"
            f" ON g.id = gp.{quote(of_group.m2m_column_name())} WHERE g.name IN ({named}))"
        )
        params = [user_id, *sorted(roles)]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {f"{app_label}.{codename}" for app_label, codename in cursor.fetchall()}
