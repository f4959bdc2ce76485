"""Who a provider's sign-in makes someone here: the person matched by their verified e-mail
address (or created on their first sign-in), with the roles their provider groups map to.

The provider is configured by environment variables (settings OIDC_*); without
OIDC_DISCOVERY_URL and OIDC_CLIENT_ID there is no single sign-on and these pages are not
found.
"""

from authlib.integrations.django_client import OAuth
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from sso.models import GroupRole
from strategy_tracker.roles import ROLES


class SignInRefused(Exception):
    """The provider vouched for someone this installation does not let in; says why."""


def configured() -> bool:
    return bool(settings.OIDC_DISCOVERY_URL and settings.OIDC_CLIENT_ID)


def provider():
    """An Authlib client for the provider, read from settings each time (tests change them;
    its discovery document and keys are fetched once per client)."""
    oauth = OAuth()
    return oauth.register(
        "provider",
        client_id=settings.OIDC_CLIENT_ID,
        client_secret=settings.OIDC_CLIENT_SECRET,
        server_metadata_url=settings.OIDC_DISCOVERY_URL,
        client_kwargs={"scope": settings.OIDC_SCOPES, "timeout": settings.OIDC_TIMEOUT_S},
    )


def user_for(claims: dict):
    """The person these ID token claims are, with their roles set from their groups."""
    email = (claims.get("email") or "").strip()
    if not email:
        raise SignInRefused(
            "Your organisation's sign-in did not say your e-mail address, so you cannot be "
            "matched with an account here. Ask your IT team to send the e-mail claim."
        )
    if settings.OIDC_REQUIRE_VERIFIED_EMAIL and claims.get("email_verified") is not True:
        raise SignInRefused(
            f"Your organisation's sign-in has not verified {email}, so it cannot be used here."
        )
    domain = email.rpartition("@")[2].lower()
    allowed = [d.lower() for d in settings.OIDC_ALLOWED_DOMAINS]
    if allowed and domain not in allowed:
        raise SignInRefused(
            f"Addresses at {domain} cannot sign in here. Ask an Admin if your organisation "
            "should be added."
        )
    with transaction.atomic():
        user = _matched_or_new(email, claims)
        _set_roles(user, claims.get(settings.OIDC_GROUPS_CLAIM) or [])
    return user


def _matched_or_new(email: str, claims: dict):
    User = get_user_model()
    matches = list(User.objects.filter(email__iexact=email)[:2])
    if len(matches) > 1:
        raise SignInRefused(
            f"More than one account here has the address {email}; ask an Admin to sort it out."
        )
    if matches:
        user = matches[0]
        if not user.is_active:
            raise SignInRefused("Your account here has been switched off. Ask an Admin.")
        return user
    username = email.lower()[:150]
    if User.objects.filter(username=username).exists():
        raise SignInRefused(
            f"An account here is called {username} but has another address; ask an Admin."
        )
    user = User(
        username=username,
        email=email,
        first_name=(claims.get("given_name") or "")[:150],
        last_name=(claims.get("family_name") or "")[:150],
    )
    if not user.first_name and claims.get("name"):
        user.first_name = claims["name"][:150]
    user.set_unusable_password()  # signs in through the provider only
    user.save()
    return user


def _set_roles(user, groups) -> None:
    """When the person's provider groups map to roles, the provider decides their roles;
    when none of their groups is mapped, their roles stay as an Admin granted them."""
    if not isinstance(groups, list):
        groups = [groups]
    mapped = set(
        GroupRole.objects.filter(group__in=[str(g) for g in groups]).values_list("role", flat=True)
    )
    if not mapped:
        return
    role_groups = Group.objects.filter(name__in=ROLES)
    user.groups.remove(*[g for g in role_groups if g.name not in mapped])
    user.groups.add(*[g for g in role_groups if g.name in mapped])
