from django.urls import path

from reporting import approval_views, as_at_views, pack_views, return_views, views

app_name = "reporting"
PERIODS = "strategies/<slug:slug>/periods/"
PERIOD = PERIODS + "<int:pk>/"
BOARD = PERIOD + "board/"

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
    path("board-packs/", pack_views.board_packs, name="packs"),
    path("board-packs/<int:pk>/status/", pack_views.pack_status, name="pack_status"),
    path("board-packs/<int:pk>/pack.pdf", pack_views.pack_pdf, name="pack_pdf"),
    path("quarters/", as_at_views.strategies, name="as_at_strategies"),
    path("strategies/<slug:slug>/as-at/", as_at_views.as_at, name="as_at"),
    path(BOARD, as_at_views.dashboard, name="as_at_dashboard"),
    path(BOARD + "priorities/<priority:key>/", as_at_views.priority, name="as_at_priority"),
    path(
        BOARD + "priorities/<priority:key>/objectives/<int:number>/",
        as_at_views.objective,
        name="as_at_objective",
    ),
    path(BOARD + "measures/<slug:code>/", as_at_views.measure, name="as_at_measure"),
]
