"""Signing in through the organisation's own accounts (OpenID Connect), and signing out of
both this app and, where the provider supports it, the provider."""

import logging

from authlib.common.errors import AuthlibBaseError
from authlib.integrations.base_client import OAuthError
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET
from joserfc.errors import JoseError
from requests.exceptions import RequestException

from sso import signing_in

logger = logging.getLogger(__name__)
ID_TOKEN = "sso_id_token"  # kept in the session for the provider's sign-out
STATE_KEYS = "_state_provider_"  # where Authlib keeps a sign-in's state and nonce
# What a provider that answers wrongly (or a broken discovery document) makes Authlib raise.
PROVIDER_ERRORS = (OAuthError, AuthlibBaseError, RuntimeError, ValueError, TypeError)
UNAVAILABLE = (
    "Signing in through your organisation is not working just now ({why}). Try again later{local}."
)


def _refused(request: HttpRequest, message: str) -> HttpResponse:
    messages.error(request, message)
    return redirect("login")


def _local() -> str:
    return ", or sign in with your password" if settings.LOCAL_PASSWORDS else ""


@require_GET
@login_not_required
def start(request: HttpRequest) -> HttpResponse:
    """Off to the provider, with a fresh state and nonce kept in the session."""
    if not signing_in.configured():
        raise Http404
    callback = request.build_absolute_uri(reverse("sso:callback"))
    for key in [k for k in request.session.keys() if k.startswith(STATE_KEYS)]:
        del request.session[key]  # one sign-in at a time: earlier, unfinished ones lapse
    try:
        return signing_in.provider().authorize_redirect(request, callback)
    except (RequestException, *PROVIDER_ERRORS) as error:
        logger.warning("sso start failed: %r", error)
        why = "it did not answer" if isinstance(error, RequestException) else "it answered wrongly"
        return _refused(request, UNAVAILABLE.format(why=why, local=_local()))


@require_GET
@login_not_required
def callback(request: HttpRequest) -> HttpResponse:
    """Back from the provider: check everything it sent (state, signature, issuer, audience,
    expiry, nonce), then sign the person in."""
    if not signing_in.configured():
        raise Http404
    try:
        client = signing_in.provider()
        token = client.authorize_access_token(
            request,
            leeway=settings.OIDC_CLOCK_LEEWAY_S,
            claims_options=signing_in.id_token_checks(client),
        )
    except RequestException as error:
        logger.warning("sso token request failed: %r", error)
        return _refused(request, UNAVAILABLE.format(why="it did not answer", local=_local()))
    except signing_in.SignInRefused as refusal:
        return _refused(request, str(refusal))
    except (*PROVIDER_ERRORS, JoseError, KeyError, TypeError, AttributeError) as error:
        # A wrong state (an old or forged link), a token for another app, an expired one, a
        # nonce that is not the one sent: all the same to the person signing in.
        logger.warning("sso sign-in refused: %r", error)
        return _refused(
            request,
            "That sign-in could not be checked, so you are not signed in. Please start "
            "again from this page.",
        )
    claims = token.get("userinfo") if token.get("id_token") else None
    if not claims:
        return _refused(request, "Your organisation's sign-in sent no ID token; not signed in.")
    try:
        user = signing_in.user_for(dict(claims))
    except signing_in.SignInRefused as refusal:
        return _refused(request, str(refusal))
    login(request, user, backend="strategy_tracker.passwords.PasswordBackend")
    request.session[ID_TOKEN] = token.get("id_token", "")
    return redirect(settings.LOGIN_REDIRECT_URL)


@login_not_required
def sign_out(request: HttpRequest) -> HttpResponse:
    """Sign out here, then at the provider if this session came from it and it can.

    Open to anyone: Sign out on a page left open after the session ended would otherwise be
    sent to sign in, and back here afterwards by GET, a 405. Signed out already, they go to
    the sign-in page. Signed in, it takes a POST, so a link elsewhere signs nobody out."""
    if not request.user.is_authenticated:
        messages.info(request, "You were signed out already.")
        return redirect("login")
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    id_token = request.session.get(ID_TOKEN)
    logout(request)
    if id_token and signing_in.configured():
        after = request.build_absolute_uri(reverse("login"))
        try:
            client = signing_in.provider()
            if client.load_server_metadata().get("end_session_endpoint"):
                url = client.create_logout_url(
                    post_logout_redirect_uri=after, id_token_hint=id_token
                )["url"]
                # A page that goes on at once, not a redirect: the sign-out form's own
                # redirect to another site would break the form-action policy (CSP).
                return render(request, "sso/signing_out.html", {"url": url})
        except (RequestException, *PROVIDER_ERRORS) as error:
            logger.warning("sso sign-out at the provider failed: %r", error)
            messages.info(
                request,
                "You are signed out here; your organisation's sign-in "
                "did not answer, so you may still be signed in there.",
            )
    return redirect("login")


class LoginView(auth_views.LoginView):
    """The sign-in page: the organisation's sign-in when there is one, and passwords unless
    they are switched off (LOCAL_PASSWORDS)."""

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {
            "sso_name": settings.OIDC_PROVIDER_NAME if signing_in.configured() else "",
            "local_passwords": settings.LOCAL_PASSWORDS,
        }

    def post(self, request, *args, **kwargs):
        if not settings.LOCAL_PASSWORDS:
            messages.error(
                request, "Passwords are switched off here: sign in through your organisation."
            )
            return redirect("login")
        return super().post(request, *args, **kwargs)
