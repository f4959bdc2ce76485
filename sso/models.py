"""Which role in which organisation a group from the sign-in provider gives (a site
administrator keeps the list)."""

from django.conf import settings
from django.db import models

from objectives.models import Organisation
from strategy_tracker.roles import ROLES


class GroupRole(models.Model):
    """People in the provider's group `group` hold `role` in `organisation` when they sign
    in through it."""

    group = models.CharField(
        max_length=200,
        help_text="As the provider sends it in the groups claim: for Microsoft Entra ID, the "
        "group's object ID.",
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="provider_groups"
    )
    role = models.CharField(max_length=50, choices=[(r, r) for r in ROLES])

    class Meta:
        ordering = ["group", "organisation__name", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "organisation", "role"], name="group_membership_once"
            ),
        ]
        verbose_name = "provider group's role"

    def __str__(self) -> str:
        return f"{self.group} → {self.role} at {self.organisation}"


class ProviderAccount(models.Model):
    """The provider's own lasting id for a person here (issuer and subject): matched first at
    every sign-in, so a changed or reissued e-mail address cannot move someone into another
    person's account."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="provider_account"
    )
    issuer = models.CharField(max_length=300)
    subject = models.CharField(max_length=255)
    # Set once a sign-in has given memberships from the person's groups: from then on the
    # provider decides them, and a sign-in with no mapped group takes them away.
    manages_roles = models.BooleanField(default=False)
    linked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["issuer", "subject"], name="provider_subject_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user} at {self.issuer}"
