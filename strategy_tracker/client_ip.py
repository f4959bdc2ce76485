"""The address a request really came from, for sign-in throttling.

Behind a proxy every request arrives from the proxy's address, so throttling by it would lock
a whole office out together. When the request comes from a trusted proxy (TRUSTED_PROXIES),
the client is the right-most address in X-Forwarded-For that is not one of our proxies.
Addresses further left were written by the client and could be forged.
"""

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    remote = request.META.get("REMOTE_ADDR")
    if remote in settings.TRUSTED_PROXIES:
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        # From the right, past our own proxies (with two hops the inner one is listed too).
        for address in reversed([a for a in forwarded if a]):
            if address not in settings.TRUSTED_PROXIES:
                return address
    return remote
