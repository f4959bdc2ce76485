"""`Authorization: Bearer <key>`: the token's person, exactly as if they were signed in (every
queryset scopes what they read). Unknown, revoked and expired keys get 401."""

import datetime as dt

from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views.decorators.debug import sensitive_variables
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from api.models import ApiToken, key_hash

REFUSED = "This token is unknown, revoked or expired: make a new one on your API tokens page."
# Written at most this often per token, so reading does not write on every request.
LAST_USED_EVERY = dt.timedelta(minutes=5)


class BearerTokenAuthentication(authentication.BaseAuthentication):
    keyword = b"bearer"

    @method_decorator(sensitive_variables("key", "parts"))
    def authenticate(self, request):
        parts = authentication.get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed("Send the header as: Authorization: Bearer <key>")
        try:
            key = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(REFUSED) from None
        token = ApiToken.objects.select_related("user").filter(key_hash=key_hash(key)).first()
        if token is None or not token.is_usable or not token.user.is_active:
            raise exceptions.AuthenticationFailed(REFUSED)
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at > LAST_USED_EVERY:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token

    def authenticate_header(self, request) -> str:
        return 'Bearer realm="api"'


class BearerTokenScheme(OpenApiAuthenticationExtension):
    """How the schema describes the token: HTTP bearer."""

    target_class = "api.authentication.BearerTokenAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer"}
