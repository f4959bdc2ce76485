"""Tokens for the read API: each a person's, named, with an expiry, revocable. Only a hash of
the key is stored; the key is shown once, when it is made."""

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from strategy_tracker.visible_text import visible_text

KEY_PREFIX = "st_"  # so a leaked key is recognisable in logs and by secret scanners


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(
        max_length=100,
        validators=[visible_text],
        help_text="What it is for, e.g. “Power BI board pack”.",
    )
    # The key's first characters, to tell tokens apart; never enough to use one.
    prefix = models.CharField(max_length=12, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "name"],
                condition=Q(revoked_at__isnull=True),
                name="api_token_name_once_per_user",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @classmethod
    def issue(cls, user, name: str, days: int) -> tuple["ApiToken", str]:
        """A new token and its key (shown once; only its hash is kept)."""
        key = KEY_PREFIX + secrets.token_urlsafe(32)
        token = cls.objects.create(
            user=user,
            name=name,
            prefix=key[:10],
            key_hash=key_hash(key),
            expires_at=timezone.now() + dt.timedelta(days=days),
        )
        return token, key

    @classmethod
    def usable_count(cls, user) -> int:
        """How many of `user`'s tokens still read the API."""
        return cls.objects.filter(
            user=user, revoked_at__isnull=True, expires_at__gt=timezone.now()
        ).count()

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()
