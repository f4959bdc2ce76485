"""Who a provider's sign-in makes someone here: the person the provider's own id for them
(issuer and subject) was linked to, or at a first sign-in the person with their verified
e-mail address (or a new account, if a provider group gives them a role); with the roles
in organisations their provider groups map to.

The provider is configured by environment variables (settings OIDC_*); without
OIDC_DISCOVERY_URL and OIDC_CLIENT_ID there is no single sign-on and these pages are not
found.
"""

import functools

from authlib.integrations.django_client import OAuth
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from objectives.models import Membership
from sso.models import GroupRole, ProviderAccount
from strategy_tracker.passwords import sign_on_configured


class SignInRefused(Exception):
    """The provider vouched for someone this installation does not let in; says why."""


configured = sign_on_configured  # the rule lives with the passwords it switches off


def provider():
    """An Authlib client for the provider as configured now. One per configuration, so its
    discovery document and keys are fetched once (and the keys again when they rotate)."""
    return _client(
        settings.OIDC_DISCOVERY_URL,
        settings.OIDC_CLIENT_ID,
        settings.OIDC_CLIENT_SECRET,
        settings.OIDC_SCOPES,
        settings.OIDC_TIMEOUT_S,
    )


@functools.lru_cache(maxsize=4)
def _client(discovery_url: str, client_id: str, secret: str, scopes: str, timeout: int):
    return OAuth().register(
        "provider",
        client_id=client_id,
        client_secret=secret,
        server_metadata_url=discovery_url,
        client_kwargs={
            "scope": scopes,
            # Every call to the provider (discovery, token, keys) gives up after this long.
            "default_timeout": timeout,
            "code_challenge_method": "S256",  # PKCE, where the provider supports it
        },
    )


def id_token_checks(client) -> dict:
    """Claims the ID token must carry: this provider as issuer, this app as audience."""
    issuer = client.load_server_metadata().get("issuer")
    if not issuer:
        raise SignInRefused("The provider's discovery document names no issuer.")
    return {
        "iss": {"essential": True, "value": issuer},
        "aud": {"essential": True, "value": settings.OIDC_CLIENT_ID},
    }


def user_for(claims: dict):
    """The person these (checked) ID token claims are, with their roles set from their
    groups."""
    issuer, subject = str(claims.get("iss") or ""), str(claims.get("sub") or "")
    if not issuer or not subject:
        raise SignInRefused("Your organisation's sign-in did not say who you are.")
    groups = _groups(claims)
    with transaction.atomic():
        link = (
            ProviderAccount.objects.select_related("user")
            .filter(issuer=issuer, subject=subject)
            .first()
        )
        if link is None:
            user = _first_sign_in(claims, groups)
            link = ProviderAccount.objects.create(user=user, issuer=issuer, subject=subject)
        user = link.user
        if not user.is_active:
            raise SignInRefused(
                "Your account here has been switched off. Ask your site administrator."
            )
        _set_roles(link, groups)
    return user


def _groups(claims: dict) -> list[str]:
    groups = claims.get(settings.OIDC_GROUPS_CLAIM)
    if groups is None and settings.OIDC_GROUPS_CLAIM in (claims.get("_claim_names") or {}):
        # Entra ID leaves the groups out for someone in very many (an "overage").
        raise SignInRefused(
            "Your account is in too many groups for the sign-in to list them. Ask your IT team "
            "to send only the groups assigned to this app."
        )
    if groups is None:
        return []
    return [str(g) for g in (groups if isinstance(groups, list) else [groups])]


def _verified_email(claims: dict) -> str:
    email = claims.get("email")
    if not isinstance(email, str) or "@" not in email.strip():
        raise SignInRefused(
            "Your organisation's sign-in did not say your e-mail address, so you cannot be "
            "matched with an account here. Ask your IT team to send the e-mail claim."
        )
    email = email.strip()
    if settings.OIDC_REQUIRE_VERIFIED_EMAIL and claims.get("email_verified") is not True:
        raise SignInRefused(
            f"Your organisation's sign-in has not verified {email}, so it cannot be used here."
        )
    domain = email.rpartition("@")[2].lower()
    if settings.OIDC_ALLOWED_DOMAINS and domain not in settings.OIDC_ALLOWED_DOMAINS:
        raise SignInRefused(
            f"Addresses at {domain} cannot sign in here. Ask your site administrator if your "
            "organisation should be added."
        )
    return email


def _first_sign_in(claims: dict, groups: list[str]):
    """The account a first sign-in links to: the one with this address, or a new one."""
    email = _verified_email(claims)
    User = get_user_model()
    # Compared in Python too: a database's case folding can match letters that only look
    # alike (the dotless ı, the long ſ).
    matches = [
        u for u in User.objects.filter(email__iexact=email) if u.email.lower() == email.lower()
    ]
    if len(matches) > 1:
        raise SignInRefused(
            f"More than one account here has the address {email}; ask your site administrator "
            "to sort it out."
        )
    if matches:
        user = matches[0]
        if claims.get("email_verified") is not True and not settings.OIDC_ALLOWED_DOMAINS:
            # Nobody vouched for the address, and no list of the organisation's own domains
            # limits it: any account of the provider could claim someone else's.
            raise SignInRefused(
                f"Your organisation's sign-in has not verified {email}, so it is not matched "
                "with the account here that has it. Ask your site administrator: the app needs "
                "your organisation's domains (OIDC_ALLOWED_DOMAINS) to trust such an address."
            )
        if user.is_superuser:
            raise SignInRefused(
                "A site administrator's account is never linked to a sign-in by its address; "
                "sign in with your password."
            )
        if ProviderAccount.objects.filter(user=user).exists():
            raise SignInRefused(
                f"The account with the address {email} is linked to another sign-in; ask your "
                "site administrator."
            )
        return user
    if not _mapped_memberships(groups) and not settings.OIDC_CREATE_USERS_WITHOUT_ROLE:
        raise SignInRefused(
            "You do not have an account here yet, and none of your groups gives one. Ask your "
            "site administrator to add you."
        )
    username = email.lower()[:150]
    if User.objects.filter(username=username).exists():
        raise SignInRefused(
            f"An account here is called {username} but has another address; ask your site "
            "administrator."
        )
    user = User(username=username, email=email)
    user.first_name = str(claims.get("given_name") or claims.get("name") or "")[:150]
    user.last_name = str(claims.get("family_name") or "")[:150]
    user.set_unusable_password()  # signs in through the provider only
    user.save()
    return user


def _mapped_memberships(groups: list[str]) -> set[tuple[int, str]]:
    """(organisation id, role) pairs the person's groups give."""
    return set(GroupRole.objects.filter(group__in=groups).values_list("organisation_id", "role"))


def unlink(link: ProviderAccount) -> None:
    """A site administrator takes away a person's link to the sign-in (their id there changed):
    the memberships the provider's groups decided go with it, to come back from their groups
    at their next sign-in (else the new link, deciding nothing until a group maps a role,
    would keep them for good), and the account gets no password back (one it had before
    it was linked must not sign it in again)."""
    user = link.user
    if link.manages_roles:
        decided = set(GroupRole.objects.values_list("organisation_id", "role"))
        for membership in Membership.objects.filter(user=user):
            if (membership.organisation_id, membership.role) in decided:
                membership._change_reason = "Unlinked from the single sign-on provider"
                membership.delete()
    user.set_unusable_password()
    user.save(update_fields=["password"])
    link.delete()


def _set_roles(link: ProviderAccount, groups: list[str]) -> None:
    """Once the person's groups have given them memberships, the provider decides, at every
    sign-in, the memberships that some group maps to (someone taken out of a group loses
    what it gave). Memberships no group maps to (an Approver named by a site administrator,
    say) stay as granted, as all do until a group first gives one."""
    mapped = _mapped_memberships(groups)
    if not mapped and not link.manages_roles:
        return
    user = link.user
    decided = set(GroupRole.objects.values_list("organisation_id", "role"))
    held = set(Membership.objects.filter(user=user).values_list("organisation_id", "role"))
    for organisation_id, role in (held & decided) - mapped:
        Membership.objects.filter(user=user, organisation_id=organisation_id, role=role).delete()
    for organisation_id, role in sorted(mapped - held):
        # One by one, not bulk_create: each grant is kept in the memberships' history, as
        # each removal above is.
        membership = Membership(user=user, organisation_id=organisation_id, role=role)
        membership._change_reason = "Given by a group at the single sign-on provider"
        membership.save()
    if mapped and not link.manages_roles:
        link.manages_roles = True
        link.save(update_fields=["manages_roles"])
