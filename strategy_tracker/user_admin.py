"""People in the Django admin: who may do what to whose account (issue 15).

- Nobody, a superuser included, sets another person's password here. The admin's password
  page refuses; the change form offers "Send a password reset link" instead, so only the
  person who reads that e-mail ever knows the password.
- The Django admin is the site administrators' (superusers'): they add people, manage
  activation, and grant memberships (a role in an organisation; objectives/admin.py adds
  them to this page).
- Even a superuser cannot change another superuser's name, username or address, where that
  person's reset links go.
- Nobody changes their own activation or superuser status, so nobody locks themselves out by
  mistake: another site administrator does it.
- Staff status (reaching /admin/) follows superuser status: see staff_status.
"""

from axes.admin import AccessAttemptAdmin, AccessFailureLogAdmin, AccessLogAdmin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import UsernameField
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from strategy_tracker.accounts import link_lifetime, send_reset_link
from strategy_tracker.admin_forms import ReadStateForm
from strategy_tracker.admin_lookups import SaneLookupsMixin
from strategy_tracker.passwords import signs_in_with_provider

# Never changed in the admin: the password (a reset link instead), staff status (follows the
# Admin role), and what Django records.
ALWAYS_READ_ONLY = {"password_status", "password_state", "is_staff", "last_login", "date_joined"}
IDENTITY = {"username", "first_name", "last_name", "email"}
SUPERUSER_ONLY = IDENTITY | {"is_superuser", "user_permissions"}
OWN_ACCESS = {"is_active", "is_superuser"}

NO_PASSWORD_SETTING = (
    "Nobody sets another person's password: send them a password reset link from their page "
    "instead. To change your own, use “Change password” at the top of the site."
)


def staff_status(user: User) -> bool:
    """Whether `user` should have staff status: the Django admin is the site
    administrators' (superusers'), nobody else's."""
    return user.is_superuser


def apply_staff_status(user: User) -> None:
    wanted = staff_status(user)
    if user.is_staff != wanted:
        user.is_staff = wanted
        user.save(update_fields=["is_staff"])


def _email_in_use(email: str, instance: User) -> bool:
    return User.objects.filter(email__iexact=email).exclude(pk=instance.pk).exists()


EMAIL_IN_USE = (
    "Another account already uses this address. Each person needs their own, because "
    "password reset links are sent to it."
)


def _why_no_link_to(user: User) -> str | None:
    if not user.is_active:
        return "the account is deactivated"
    if not user.email:
        return "the account has no e-mail address"
    if signs_in_with_provider(user):
        return "the account signs in through the organisation's provider"
    return None


def _password_state(user: User) -> str:
    return "Set" if user.has_usable_password() else "Not set yet"


class UserChangeForm(ReadStateForm):
    """The change form, narrowed per request by TrackerUserAdmin (fields it makes read-only
    are left out, so a posted value for them is ignored). A person changed on another page
    since this one was opened is not saved over (ReadStateForm); their sign-ins and password,
    which this form does not show, do not count as a change, and are saved as they are now."""

    unwatched = ("last_login", "password")

    class Meta:
        model = User
        fields = (
            "username",
            "first_name",
            "last_name",
            "email",
            "is_active",
            "is_superuser",
            "user_permissions",
        )
        field_classes = {"username": UsernameField}

    def clean_email(self) -> str:
        email = self.cleaned_data["email"]
        if email and _email_in_use(email, self.instance):
            raise forms.ValidationError(EMAIL_IN_USE)
        return email


class UserCreationForm(forms.ModelForm):
    """A new account has no password: a link to set one is e-mailed to its address."""

    class Meta:
        model = User
        fields = ("username", "first_name", "last_name", "email")
        field_classes = {"username": UsernameField}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in ("first_name", "last_name", "email"):
            self.fields[name].required = True
        self.fields["email"].help_text = "A link to set a password is sent here."

    def clean_email(self) -> str:
        email = self.cleaned_data["email"]
        if _email_in_use(email, self.instance):
            raise forms.ValidationError(EMAIL_IN_USE)
        return email

    def save(self, commit: bool = True) -> User:
        user = super().save(commit=False)
        user.set_unusable_password()
        if commit:
            user.save()
        return user


class TrackerUserAdmin(SaneLookupsMixin, UserAdmin):
    form = UserChangeForm
    add_form = UserCreationForm
    add_form_template = None  # Django's asks for a password, which is never set here

    add_fieldsets = (
        (
            None,
            {
                "fields": ("username", "first_name", "last_name", "email"),
                "description": "The account is made without a password. A link to set one "
                "is e-mailed to the address given. Give the person their roles below: each "
                "is a role in one organisation.",
            },
        ),
    )

    list_display = ("username", "first_name", "last_name", "email", "is_active", "is_superuser")
    filter_horizontal = ("user_permissions",)
    actions = ["send_password_reset_links"]

    # Who may touch whom.

    def has_change_permission(self, request: HttpRequest, obj: User | None = None) -> bool:
        # Only a superuser touches a superuser: anyone else sees the page read-only.
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        # Someone who leaves is deactivated: deleting them would leave their milestones
        # ownerless with no history row, and their history naming a bare id.
        return False

    def _why_no_link(self, request: HttpRequest, user: User) -> str | None:
        """Why this request's user cannot send `user` a reset link, or None."""
        if not self.has_change_permission(request, user):
            return "only a superuser can help a superuser"
        return _why_no_link_to(user)

    # The forms.

    def get_fieldsets(self, request: HttpRequest, obj: User | None = None):
        if obj is None:
            return self.add_fieldsets
        # The password line offers a reset link only to those who may change this person.
        password = (
            "password_status" if self.has_change_permission(request, obj) else "password_state"
        )
        access = ["is_active", "is_staff", "is_superuser"]
        if request.user.is_superuser:
            access.append("user_permissions")
        return (
            (None, {"fields": ("username", password, *self._read_state(request, obj))}),
            ("Personal info", {"fields": ("first_name", "last_name", "email")}),
            (
                "Access",
                {
                    "fields": access,
                    "description": "Staff status follows superuser status: only site "
                    "administrators use this admin. Roles in organisations are below.",
                },
            ),
            ("Important dates", {"fields": ("last_login", "date_joined")}),
        )

    def _read_state(self, request: HttpRequest, obj: User) -> tuple[str, ...]:
        # Only a form that can save carries it: on a read-only page it would be a field to show.
        return ("read_state",) if self.has_change_permission(request, obj) else ()

    def get_readonly_fields(self, request: HttpRequest, obj: User | None = None) -> list[str]:
        if obj is None:
            return []
        readonly = set(ALWAYS_READ_ONLY)
        if not request.user.is_superuser:
            readonly |= SUPERUSER_ONLY
        elif obj.is_superuser and obj.pk != request.user.pk:
            readonly |= IDENTITY
        if obj.pk == request.user.pk:
            readonly |= OWN_ACCESS
        return sorted(readonly)

    @admin.display(description="Password")
    def password_status(self, user: User) -> str:
        why_not = _why_no_link_to(user)
        if why_not:
            return format_html("{}. No reset link can be sent: {}.", _password_state(user), why_not)
        return format_html(
            "{}. Nobody sets another person’s password here. "
            '<a class="button" href="{}">Send a password reset link</a>',
            _password_state(user),
            reverse("admin:auth_user_password_reset_link", args=[user.pk]),
        )

    @admin.display(description="Password")
    def password_state(self, user: User) -> str:
        if user.is_superuser:
            return f"{_password_state(user)}. Only a superuser can help a superuser."
        return f"{_password_state(user)}. You cannot send this person a reset link."

    # Saving.

    def save_related(self, request: HttpRequest, form, formsets, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        user = form.instance
        apply_staff_status(user)
        if not change:
            # After the commit, so a failed save never e-mails a link to no account.
            transaction.on_commit(lambda: self._send_first_link(request, user))

    def _send_first_link(self, request: HttpRequest, user: User) -> None:
        if send_reset_link(user, new_account=True, sent_by=request.user):
            self.message_user(
                request,
                f"A link to set a password was e-mailed to {user.email}. "
                f"It works once, for {link_lifetime()}.",
                messages.SUCCESS,
            )
        else:
            self.message_user(
                request,
                f"The e-mail to {user.email} could not be sent. Send a password reset link "
                "from this page when e-mail works again.",
                messages.ERROR,
            )

    # Passwords: never set here, only reset links sent.

    def user_change_password(self, request: HttpRequest, id: str, form_url: str = ""):
        raise PermissionDenied(NO_PASSWORD_SETTING)

    def get_urls(self):
        return [
            path(
                "<id>/password-reset-link/",
                self.admin_site.admin_view(self.reset_link_view),
                name="auth_user_password_reset_link",
            ),
        ] + super().get_urls()

    def reset_link_view(self, request: HttpRequest, id: str) -> HttpResponse:
        """Asks to confirm, then e-mails one person a reset link."""
        user = self.get_object(request, unquote(id))
        if user is None:
            raise Http404("No such user.")
        if not self.has_change_permission(request, user):
            raise PermissionDenied("Only a superuser can help a superuser.")
        why_not = self._why_no_link(request, user)
        change_url = reverse("admin:auth_user_change", args=[user.pk])
        if request.method == "POST":
            if why_not:
                self.message_user(request, f"No link was sent: {why_not}.", messages.ERROR)
            elif send_reset_link(user, sent_by=request.user):
                self.message_user(
                    request,
                    f"A password reset link was e-mailed to {user.email}. "
                    f"It works once, for {link_lifetime()}.",
                    messages.SUCCESS,
                )
            else:
                self.message_user(
                    request, "The e-mail could not be sent. Try again later.", messages.ERROR
                )
            return HttpResponseRedirect(change_url)
        context = {
            **self.admin_site.each_context(request),
            "title": "Send a password reset link",
            "opts": self.opts,
            "original": user,
            "why_not": why_not,
            "change_url": change_url,
            "valid_for": link_lifetime(),
        }
        return TemplateResponse(request, "registration/admin_send_reset_link.html", context)

    @admin.action(description="Send a password reset link", permissions=["change"])
    def send_password_reset_links(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        sent, not_sent = [], []
        for user in queryset.order_by("username"):
            why_not = self._why_no_link(request, user)
            if why_not is None and not send_reset_link(user, sent_by=request.user):
                why_not = "the e-mail could not be sent"
            if why_not:
                not_sent.append(f"{user.get_username()} ({why_not})")
            else:
                sent.append(user.get_username())
        if sent:
            self.message_user(
                request, f"Sent a password reset link to {', '.join(sent)}.", messages.SUCCESS
            )
        if not_sent:
            self.message_user(
                request, f"No link was sent to {'; '.join(not_sent)}.", messages.WARNING
            )


def site_administrators_only(request: HttpRequest) -> bool:
    """The Django admin is not scoped to organisations, so only those who reach every
    organisation use it; everyone else works in the app's pages, which are."""
    return request.user.is_active and request.user.is_superuser


admin.site.has_permission = site_administrators_only
admin.site.unregister(User)
admin.site.register(User, TrackerUserAdmin)

# django-axes' lists of sign-in attempts: a filter value no date can hold (?attempt_time__year=0)
# says the filter is wrong, as on every other list, rather than failing.
for _model, _admin in (
    (AccessAttempt, AccessAttemptAdmin),
    (AccessLog, AccessLogAdmin),
    (AccessFailureLog, AccessFailureLogAdmin),
):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)
        admin.site.register(_model, type(_admin.__name__, (SaneLookupsMixin, _admin), {}))
