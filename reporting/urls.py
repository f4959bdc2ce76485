from django.urls import path

from reporting import views

app_name = "reporting"

urlpatterns = [
    path("milestones/return/", views.quarterly_return, name="quarterly_return"),
    path("strategies/<slug:slug>/periods/", views.periods, name="periods"),
    path("strategies/<slug:slug>/periods/<int:pk>/dates/", views.period_dates, name="period_dates"),
    path("strategies/<slug:slug>/periods/<int:pk>/open/", views.period_open, name="period_open"),
    path("strategies/<slug:slug>/periods/<int:pk>/close/", views.period_close, name="period_close"),
    path(
        "strategies/<slug:slug>/periods/<int:pk>/report/", views.period_report, name="period_report"
    ),
]
