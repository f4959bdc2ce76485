"""A person's API tokens: make one (named, with an expiry; its key shown once), see when each
was last used, revoke one. Anyone signed in may, for themself only."""

from django import forms
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from api.models import ApiToken
from strategy_tracker.visible_text import visible_text

MAX_DAYS = 365
MAX_TOKENS = 20  # working (not revoked, not expired) tokens a person may hold at once


class TokenForm(forms.Form):
    name = forms.CharField(
        max_length=100,
        validators=[visible_text],
        help_text="What it is for, e.g. “Power BI board pack”.",
    )
    days = forms.IntegerField(
        min_value=1,
        max_value=MAX_DAYS,
        initial=90,
        label="Expires after (days)",
        help_text=f"1 to {MAX_DAYS}. Make a new one before it expires.",
    )


@require_http_methods(["GET", "POST"])
def tokens(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST if request.method == "POST" else None)
    key = None
    status = 200
    if request.method == "POST":
        if form.is_valid() and ApiToken.usable_count(request.user) >= MAX_TOKENS:
            form.add_error(None, f"You have {MAX_TOKENS} working tokens: revoke one first.")
        if form.is_valid():
            name = form.cleaned_data["name"].strip()
            try:
                with transaction.atomic():
                    # An expired token of that name, which has no Revoke button, makes way for
                    # its replacement: marked revoked when it stopped working.
                    request.user.api_tokens.filter(
                        name=name, revoked_at__isnull=True, expires_at__lte=timezone.now()
                    ).update(revoked_at=F("expires_at"))
                    _, key = ApiToken.issue(request.user, name, form.cleaned_data["days"])
            except IntegrityError:
                form.add_error("name", f"You have a token called “{name}” already.")
            else:
                form = TokenForm()
        if form.errors:
            status = 400
    context = {
        "form": form,
        "key": key,
        "tokens": request.user.api_tokens.all(),
        "now": timezone.now(),
    }
    return render(request, "api/tokens.html", context, status=status)


@require_POST
def revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)  # only one's own
    if token.revoked_at is None:
        ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        messages.success(request, f"“{token.name}” is revoked: it no longer works.")
    else:
        messages.info(request, f"“{token.name}” was revoked already.")
    return redirect("api:tokens")


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    """Says which of the person's credentials a new password leaves working: their tokens."""

    def get_context_data(self, **kwargs) -> dict:
        tokens = ApiToken.usable_count(self.request.user)
        return super().get_context_data(**kwargs) | {"usable_tokens": tokens}
