"""People's own passwords: changing it while signed in, and resetting it by e-mail.

Nobody sets another person's password (strategy_tracker/user_admin.py): an Admin sends a reset
link, and only the person who reads that e-mail chooses the password. Both ways in are
throttled like signing in: a wrong current password counts as a failed sign-in for
django-axes, and reset requests are limited per client address and per address typed.
The reset form's link is looked up and e-mailed by the task worker, never in the request.
"""

import datetime as dt
import hashlib
import logging
import unicodedata
from urllib.parse import urlsplit

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_client_ip_address, get_lockout_response
from axes.utils import reset as reset_failed_sign_ins
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import password_validation
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.middleware import get_user as get_signed_in_user
from django.contrib.auth.models import User
from django.contrib.auth.signals import user_login_failed
from django.contrib.auth.tokens import default_token_generator
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_tasks import task

from strategy_tracker.dates import duration_in_words
from strategy_tracker.passwords import signs_in_with_provider

logger = logging.getLogger(__name__)

RATE_LIMIT_WINDOW_S = 60 * 60
TOO_MANY_RESET_REQUESTS = (
    "Too many reset links have been asked for from your network or for this address in the "
    "last hour. Please wait an hour and try again, or ask your site administrator to send you "
    "a link."
)


def link_lifetime() -> str:
    """How long a reset link works, in words: "24 hours"."""
    return duration_in_words(settings.PASSWORD_RESET_TIMEOUT)


def send_reset_link(user: User, *, new_account: bool = False, sent_by: User | None = None) -> bool:
    """E-mail `user` Django's one-use link to set a new password; False if it could not be
    sent (the error is logged).

    The link is built on SITE_URL, never on the request's Host header: a client chooses that
    header, and could otherwise have the e-mail point at its own site to collect the token.
    """
    site = urlsplit(settings.SITE_URL)
    context = {
        "user": user,
        "protocol": site.scheme,
        "domain": site.netloc,
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user),
        "new_account": new_account,
        "sent_by": sent_by.get_full_name() or sent_by.get_username() if sent_by else "",
        "valid_for": link_lifetime(),
    }
    subject = render_to_string("registration/password_reset_subject.txt", context)
    body = render_to_string("registration/password_reset_email.txt", context)
    try:
        send_mail(" ".join(subject.split()), body, None, [user.email])
    except Exception:
        logger.exception("Could not e-mail a password reset link to user %s", user.pk)
        return False
    return True


def _counted_over_limit(key: str) -> bool:
    """Count one more request under `key` in the current window; True once past the limit."""
    cache.add(key, 0, timeout=RATE_LIMIT_WINDOW_S)
    try:
        count = cache.incr(key)
    except ValueError:  # the window ended between add and incr
        cache.set(key, 1, timeout=RATE_LIMIT_WINDOW_S)
        count = 1
    return count > settings.PASSWORD_RESET_REQUESTS_PER_HOUR


def reset_requests_exhausted(request: HttpRequest, email: str) -> bool:
    """Count this reset request against its client address and the address typed; True when
    either has had its share this hour. Both are always counted, so switching addresses
    does not reset either count."""
    typed = hashlib.sha256(email.strip().casefold().encode()).hexdigest()
    # The client address as sign-in throttling reads it (AXES_CLIENT_IP_CALLABLE).
    client = get_client_ip_address(request) or "unknown"
    by_client = _counted_over_limit(f"password-reset:client:{client}")
    by_address = _counted_over_limit(f"password-reset:address:{typed}")
    return by_client or by_address


def _same_address(a: str, b: str) -> bool:
    return (
        unicodedata.normalize("NFKC", a).casefold() == unicodedata.normalize("NFKC", b).casefold()
    )


class PasswordHelpTextMixin:
    """The validators' rules as one plain sentence: Django's help text is an HTML list, which
    cannot sit inside the hint paragraph of templates/includes/_field.html."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].help_text = " ".join(
            password_validation.password_validators_help_texts()
        )
        self.fields["new_password2"].label = "New password again"


class SetPasswordForm(PasswordHelpTextMixin, auth_forms.SetPasswordForm):
    pass


class PasswordChangeForm(PasswordHelpTextMixin, auth_forms.PasswordChangeForm):
    """A wrong current password counts as a failed sign-in, so this form cannot be used to
    guess a password the sign-in page would lock out."""

    def __init__(self, user: User, *args, request: HttpRequest, **kwargs) -> None:
        self.request = request
        super().__init__(user, *args, **kwargs)
        self.fields["old_password"].label = "Current password"

    def clean_old_password(self) -> str:
        try:
            return super().clean_old_password()
        except ValidationError:
            user_login_failed.send(
                sender=__name__,
                credentials={"username": self.user.get_username()},
                request=self.request,
            )
            raise


def accounts_to_reset(email: str) -> list[User]:
    """Active accounts with this address, including new ones whose password is not set yet:
    Django leaves those out, but here a reset link is how an account gets its first password,
    and the way back when that first link has expired."""
    candidates = User._default_manager.filter(email__iexact=email, is_active=True)
    return [
        user
        for user in candidates
        if _same_address(email, user.email) and not signs_in_with_provider(user)
    ]


RESET_TASKS_KEPT = dt.timedelta(hours=1)


@task()
def send_reset_links(email: str) -> None:
    """E-mail each account with the address typed on the reset form its link. Run by the task
    worker: the request only queues the address, the same work for every address, so neither
    its answer nor how long that takes says whether an account uses it."""
    for user in accounts_to_reset(email):
        send_reset_link(user)
    forget_typed_addresses()


def forget_typed_addresses() -> int:
    """The worker keeps each task with its arguments: here, an address someone typed, an
    account's or not. Those of reset requests finished over an hour ago go, and those the
    worker never ran within the hour (it was stopped: their links would come too late); each
    reset run asks, and the daily jobs, so the last request's address goes too. The last
    hour's stay, for a site administrator looking into a link that did not arrive."""
    from django.db.models import Q
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    cutoff = timezone.now() - RESET_TASKS_KEPT
    old = Q(finished_at__lt=cutoff) | Q(
        finished_at__isnull=True, enqueued_at__lt=cutoff, status=TaskResultStatus.READY
    )
    deleted, _ = DBTaskResult.objects.filter(old, task_path=send_reset_links.module_path).delete()
    return deleted


class PasswordResetRequestForm(auth_forms.PasswordResetForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].label = "E-mail address"
        self.fields["email"].help_text = "The address your account uses."

    def save(self, **kwargs) -> None:
        """Queue the address for the worker, which sends each account its link. (Django's
        own save builds the link on the request's Host header; send_reset_link uses
        SITE_URL.)"""
        send_reset_links.enqueue(self.cleaned_data["email"])


def _signs_in_with_provider(request: HttpRequest) -> bool:
    # The user request.user stands for (the middleware's, cached): signs_in_with_provider
    # reads the model from type(user), which the lazy request.user is not.
    return signs_in_with_provider(get_signed_in_user(request))


def password_change_offered(request: HttpRequest) -> bool:
    """Whether the header offers Change password: not when passwords are switched off, nor
    to someone who signs in through their organisation (no password of ours signs them in)."""
    return (
        settings.LOCAL_PASSWORDS
        and request.user.is_authenticated
        and not _signs_in_with_provider(request)
    )


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = PasswordChangeForm

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not settings.LOCAL_PASSWORDS:  # passwords switched off: people sign in via sso/
            raise Http404
        # Their "current password" could only ever be wrong, and count towards a lockout.
        if _signs_in_with_provider(request):
            return render(request, "registration/password_change_provider.html")
        # Locked out of signing in from here is locked out of this form too.
        if request.user.is_authenticated:
            credentials = {"username": request.user.get_username()}
            if not AxesProxyHandler.is_allowed(request, credentials):
                return get_lockout_response(request, None, credentials)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict:
        return super().get_form_kwargs() | {"request": self.request}


@method_decorator(login_not_required, name="dispatch")
class PasswordResetView(auth_views.PasswordResetView):
    """Asks for an address and always answers the same way, so it never says whether an
    account uses that address."""

    form_class = PasswordResetRequestForm

    def dispatch(self, request, *args, **kwargs):
        if not settings.LOCAL_PASSWORDS:  # passwords switched off: people sign in via sso/
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form: PasswordResetRequestForm) -> HttpResponse:
        if reset_requests_exhausted(self.request, form.cleaned_data["email"]):
            form.add_error(None, TOO_MANY_RESET_REQUESTS)
            return self.render_to_response(self.get_context_data(form=form), status=429)
        form.save()
        return HttpResponseRedirect(self.get_success_url())


@method_decorator(login_not_required, name="dispatch")
class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = SetPasswordForm

    def dispatch(self, request, *args, **kwargs):
        if not settings.LOCAL_PASSWORDS:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_user(self, uidb64):
        """As Django's, but a link sent before the account was switched off (or linked to the
        organisation's sign-in) sets no password: it is "no longer valid", as a used one is."""
        user = super().get_user(uidb64)
        if user is not None and (not user.is_active or signs_in_with_provider(user)):
            return None
        return user

    def form_valid(self, form: SetPasswordForm) -> HttpResponse:
        response = super().form_valid(form)
        # Following the e-mailed link proves the person holds the account's address, so
        # wrong passwords tried before no longer keep them from signing in with the new one.
        reset_failed_sign_ins(username=form.user.get_username())
        return response


@method_decorator(login_not_required, name="dispatch")
class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    extra_context = {"valid_for": link_lifetime}
