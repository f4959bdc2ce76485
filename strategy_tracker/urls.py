from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, register_converter

from milestones.views import home
from objectives.converters import PriorityKeyConverter
from strategy_tracker.views import healthz

register_converter(PriorityKeyConverter, "priority")

urlpatterns = [
    path("", home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include("milestones.urls")),
    path("strategies/", include("objectives.urls")),
    path("measures/", include("measures.urls")),
    path("admin/", admin.site.urls),
]

handler403 = "strategy_tracker.error_pages.permission_denied"
handler404 = "strategy_tracker.error_pages.page_not_found"
handler500 = "strategy_tracker.database_errors.server_error"
