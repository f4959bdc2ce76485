"""Which role a group from the sign-in provider gives (an administrator keeps the list)."""

from django.db import models

from strategy_tracker.roles import ROLES


class GroupRole(models.Model):
    """People in the provider's group `group` get `role` when they sign in through it."""

    group = models.CharField(
        max_length=200,
        help_text="As the provider sends it in the groups claim: for Microsoft Entra ID, the "
        "group's object ID.",
    )
    role = models.CharField(max_length=50, choices=[(r, r) for r in ROLES])

    class Meta:
        ordering = ["group", "role"]
        constraints = [
            models.UniqueConstraint(fields=["group", "role"], name="group_role_once"),
        ]
        verbose_name = "provider group's role"

    def __str__(self) -> str:
        return f"{self.group} → {self.role}"
