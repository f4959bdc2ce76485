"""The address a request really came from, for sign-in throttling.

Behind a proxy every request arrives from the proxy's address, so throttling by it would lock
a whole office out together. When the request comes from a trusted proxy (TRUSTED_PROXIES),
the client is the right-most address in X-Forwarded-For that is not one of our proxies.
Addresses further left were written by the client and could be forged.

Why not django-axes' own AXES_IPWARE_* settings: django-ipware decides whether to believe
X-Forwarded-For from what the header says, never from who sent it (REMOTE_ADDR is just one more
header to it). A client reaching the app directly could then pick its address by sending the
header, and ipware's trusted-proxy list is matched against entries inside the header, where
the proxy that talks to the app never writes its own address. Axes calls this function
(AXES_CLIENT_IP_CALLABLE); other code reads the address through
axes.helpers.get_client_ip_address, so both follow the same setting.
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
