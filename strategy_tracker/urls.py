from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, register_converter
from django.views.generic import RedirectView

from api import token_views
from milestones.views import home
from objectives.converters import PriorityKeyConverter
from sso import views as sso_views
from strategy_tracker import accounts
from strategy_tracker.views import favicon, healthz

register_converter(PriorityKeyConverter, "priority")

urlpatterns = [
    path("", home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("favicon.ico", favicon),
    path("accounts/login/", sso_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", sso_views.sign_out, name="logout"),
    path("accounts/sso/", include("sso.urls")),
    path(
        "accounts/password_change/",
        accounts.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password_change/done/",
        token_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("accounts/password_reset/", accounts.PasswordResetView.as_view(), name="password_reset"),
    path(
        "accounts/password_reset/done/",
        accounts.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        accounts.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    # The admin's own "Change password" checks the current password without the throttling.
    path("admin/password_change/", RedirectView.as_view(pattern_name="password_change")),
    path("", include("milestones.urls")),
    path("strategies/", include("objectives.urls")),
    path("strategies/", include("public.manage_urls")),
    path("strategies/", include("risks.urls")),
    path("edit/", include("editor.urls")),
    path("api/", include("api.urls")),
    path("public/", include("public.urls")),
    path("", include("reporting.urls")),
    path("measures/", include("measures.urls")),
    path("admin/", admin.site.urls),
]

handler400 = "strategy_tracker.error_pages.bad_request"
handler403 = "strategy_tracker.error_pages.permission_denied"
handler404 = "strategy_tracker.error_pages.page_not_found"
handler500 = "strategy_tracker.database_errors.server_error"
