from django.urls import path

from reporting import approval_views, return_views, views

app_name = "reporting"

urlpatterns = [
    path("milestones/approvals/", approval_views.approvals, name="approvals"),
    path("milestones/approvals/<int:pk>/approve/", approval_views.approve, name="approve"),
    path("milestones/approvals/<int:pk>/return/", approval_views.return_update, name="return"),
    path("strategies/<slug:slug>/sign-off/", views.sign_off_settings, name="sign_off"),
    path("milestones/return/", return_views.quarterly_return, name="quarterly_return"),
    path("strategies/<slug:slug>/periods/", views.periods, name="periods"),
    path("strategies/<slug:slug>/periods/<int:pk>/dates/", views.period_dates, name="period_dates"),
    path("strategies/<slug:slug>/periods/<int:pk>/open/", views.period_open, name="period_open"),
    path("strategies/<slug:slug>/periods/<int:pk>/close/", views.period_close, name="period_close"),
    path(
        "strategies/<slug:slug>/periods/<int:pk>/report/", views.period_report, name="period_report"
    ),
]
