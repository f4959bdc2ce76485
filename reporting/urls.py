from django.urls import path

from reporting import approval_views, return_views, views

app_name = "reporting"
PERIODS = "strategies/<slug:slug>/periods/"
PERIOD = PERIODS + "<int:pk>/"

urlpatterns = [
    path("milestones/return/", return_views.quarterly_return, name="quarterly_return"),
    path("milestones/approvals/", approval_views.approvals, name="approvals"),
    path("milestones/approvals/<int:pk>/approve/", approval_views.approve, name="approve"),
    path("milestones/approvals/<int:pk>/return/", approval_views.return_update, name="return"),
    path("strategies/<slug:slug>/sign-off/", views.sign_off_settings, name="sign_off"),
    path(PERIODS, views.periods, name="periods"),
    path(PERIOD + "dates/", views.period_dates, name="period_dates"),
    path(PERIOD + "open/", views.period_open, name="period_open"),
    path(PERIOD + "close/", views.period_close, name="period_close"),
    path(PERIOD + "report/", views.period_report, name="period_report"),
    path(PERIOD + "report.pdf", views.period_report_pdf, name="period_report_pdf"),
]
